"""Job postings the station publishes, and the intentions matched to them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from laborstation.demo.common import Ids, dates_by_year, random_day, row_times, working_age
from laborstation.demo.geography import DESTINATION_BY_KEY
from laborstation.demo.placements import Employers
from laborstation.demo.population import Township
from laborstation.periods import shift_year

_JOBS = {"C": ("普工", "操作工", "分拣工", "质检员", "缝纫工"), "E": ("建筑工人", "钢筋工", "木工", "电焊工"),
         "G": ("快递分拣员", "装卸工", "货车司机"), "H": ("厨师", "服务员", "帮厨"),
         "O": ("保洁员", "保安", "家政服务员"), "A": ("采棉工", "种植工人"), "F": ("营业员",)}
_REQUIREMENTS = ("男女不限，18—50周岁，身体健康", "男性，20—55周岁，能吃苦耐劳", "18—45周岁，初中及以上文化",
                 "有相关工作经验者优先，包吃住", "女性优先，20—50周岁，手脚灵活", "持证上岗，有证书者优先")
_PUBLISHED = ("{t}劳动保障所公告栏", "村务微信群", "范县就业创业服务平台", "乡村广播", "春风行动招聘会")
_OUTCOMES = ("已签订用工意向", "已到岗", "待面试", "未达成")


def make_jobs(rng: random.Random, township: Township, persons: list[dict], employers: Employers,
              ids: Ids, today: date, per_year: int) -> tuple[list[dict], list[dict]]:
    first = shift_year(today, -3)
    keys = sorted(k for k, d in DESTINATION_BY_KEY.items()
                  if d.province and not d.cotton and k in employers.by_destination)
    local = employers.by_township.get(township.code[:9], [])
    postings: list[dict] = []
    intentions: list[dict] = []
    for index, posted in enumerate(dates_by_year(rng, first, today, per_year)):
        cotton = index % 20 == 0
        if cotton:
            key = rng.choice(("xj_alar", "xj_shihezi", "xj_tumxuk"))
            posted = min(today, date(posted.year, 8, rng.randint(1, 25)))
            if posted < first:
                continue
        else:
            key = rng.choice(keys) if (not local or rng.random() < 0.75) else ""
        if key:
            dest = DESTINATION_BY_KEY[key]
            employer_id, name, industry, _occupation = rng.choice(employers.by_destination[key])
            province, city, (low, high) = dest.province, dest.city, dest.wage
        else:
            employer_id, name, industry, _occupation = rng.choice(local)
            province, city, (low, high) = "41", "濮阳市范县", (2400, 4000)
        job = rng.choice(_JOBS.get(industry, ("普工",)))
        positions = rng.randint(50, 200) if cotton else rng.choice((2, 3, 5, 8, 10, 15, 20, 30, 50))
        wage_min = rng.randint(low, (low + high) // 2) // 100 * 100
        posting_id = ids.take("job_posting")
        postings.append({
            "id": posting_id, "area_id": township.id, "employer_id": employer_id,
            "title": f"{name}招聘{job}{positions}名", "positions": positions,
            "wage_min": Decimal(wage_min), "wage_max": Decimal(wage_min + rng.randint(5, 25) * 100),
            "requirements": rng.choice(_REQUIREMENTS), "province": province, "city": city,
            "posted_on": posted, "closes_on": posted + timedelta(days=rng.randint(15, 60)),
            "published_at": rng.choice(_PUBLISHED).format(t=township.name),
            **row_times(posted), "deleted_at": None,
        })
        seen: set[int] = set()
        for _ in range(rng.randint(0, min(8, positions))):
            person = rng.choice(persons)
            when = random_day(rng, posted, min(today, posted + timedelta(days=30)))
            if person["id"] in seen or not working_age(person, when):
                continue
            seen.add(person["id"])
            intentions.append({
                "id": ids.take("intention"), "person_id": person["id"],
                "job_posting_id": posting_id, "intended_on": when,
                "outcome": rng.choices(_OUTCOMES, (0.45, 0.25, 0.15, 0.15))[0],
                **row_times(when), "deleted_at": None,
            })
    return postings, intentions
