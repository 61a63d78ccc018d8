"""Courses of every type and mode, with enrolments, results and certificates."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from laborstation.demo.common import Ids, random_day, row_times, working_age
from laborstation.demo.population import Township
from laborstation.model.training import RESULT_COMPLETED, RESULT_NOT_COMPLETED, RESULT_WITHDRAWN
from laborstation.periods import shift_year

# course type -> (trade, certificate kinds a completer may get (with weights), hours)
_TRADES = {
    "1": (("外出务工", (("4", 0.5), (None, 0.5))), ("法律法规与安全常识", (("4", 0.4), (None, 0.6)))),
    "2": (("电工", (("2", 0.8), ("4", 0.2))), ("焊工", (("2", 0.8), ("4", 0.2))),
          ("家政服务员", (("2", 0.6), ("3", 0.2), ("4", 0.2))), ("育婴员", (("2", 0.7), ("4", 0.3))),
          ("中式烹调师", (("2", 0.7), ("4", 0.3))), ("养老护理员", (("2", 0.7), ("4", 0.3))),
          ("挖掘机驾驶员", (("3", 0.7), ("4", 0.3))),
          ("废旧金属挑选分拣", (("3", 0.8), ("4", 0.2))), ("缝纫工", (("3", 0.5), ("4", 0.5)))),
    "3": (("SYB创业", (("4", 0.9), (None, 0.1))), ("网络创业", (("4", 0.9), (None, 0.1)))),
    "4": (("电子装配", (("2", 0.6), ("4", 0.4))), ("企业新型学徒制（焊工）", (("2", 0.9), ("4", 0.1))),
          ("叉车司机", (("1", 0.5), ("3", 0.5)))),
}
_HOURS = {"1": (8, 24), "2": (40, 120), "3": (56, 80), "4": (24, 80)}
_PROVIDERS = {"1": ("范县职业教育中心", "范县人社局就业服务中心"),
              "2": ("范县职业教育中心", "濮阳市豫北职业培训学校", "范县鑫源职业技能培训学校"),
              "3": ("范县人社局创业指导中心", "濮阳市创业大学"),
              "4": ("范县恒信羽绒制品有限公司", "郑州航空港区鸿达精密电子有限公司")}
_PER_HEAD = {"1": (100, 300), "2": (800, 1800), "3": (1000, 1500), "4": (500, 1200)}
_CERT_PREFIX = {"1": "ZG", "2": "S", "3": "Z", "4": "PX"}


def make_training(rng: random.Random, township: Township, persons: list[dict], ids: Ids,
                  today: date, per_year: int, class_size: int, placements: list[dict]
                  ) -> tuple[list[dict], list[dict]]:
    """Course and enrolment rows for the three years up to ``today``.

    Many courses run in winter before the Spring Festival departures (春风行动), and
    people about to leave are keener to enrol, so training is often followed by work away.
    """
    leaving: dict[int, list[date]] = {}
    for row in placements:
        leaving.setdefault(row["person_id"], []).append(row["start_on"])
    first = shift_year(today, -3)
    courses: list[dict] = []
    enrolments: list[dict] = []
    by_village: dict[int, list[dict]] = {}
    for person in persons:
        by_village.setdefault(person["village_id"], []).append(person)
    every = persons
    serial: dict[tuple[int, str], int] = {}
    for year in range(first.year, today.year + 1):
        types = ["1", "2", "3", "4"]
        modes = ["1", "2", "3", "9"]
        rng.shuffle(types)
        rng.shuffle(modes)
        for index in range(per_year):
            course_type = types[index] if index < 4 else rng.choices("1234", (2, 5, 1.5, 1.5))[0]
            mode = modes[index] if index < 4 else rng.choices("1239", (1.5, 1.5, 1.5, 5.5))[0]
            if rng.random() < 0.4:  # winter, before the departures
                start = random_day(rng, date(year, 1, 2), date(year, 2, 10))
            else:
                start = random_day(rng, date(year, 3, 1), date(year, 12, 10))
            days = rng.randint(1, 3) if course_type == "1" else rng.randint(5, 25)
            end = start + timedelta(days=days)
            if start < first or end > today:
                continue
            trade, certificates = rng.choice(_TRADES[course_type])
            key = (year, trade)
            serial[key] = serial.get(key, 0) + 1
            village = rng.choice(township.villages) if rng.random() < 0.5 else None
            pool = by_village[village.id] if village and village.id in by_village else every
            wanted = max(3, round(class_size * rng.uniform(0.6, 1.3)))
            candidates = _draw(rng, pool, wanted, start, leaving)
            if len(candidates) < 3:
                continue
            size = len(candidates)
            course_id = ids.take("course")
            low, high = _PER_HEAD[course_type]
            courses.append({
                "id": course_id, "area_id": township.id,
                "name": f"{year}年{township.name}{trade}培训班（第{serial[key]}期）",
                "course_type": course_type, "mode": mode, "trade": trade,
                "provider": rng.choice(_PROVIDERS[course_type]),
                "place": f"{village.name}村委会" if village else f"{township.name}劳动保障所培训室",
                "village_id": village.id if village else None, "start_on": start, "end_on": end,
                "hours": rng.randint(*_HOURS[course_type]),
                "subsidy": Decimal(size * rng.randint(low, high) // 100 * 100), "notes": "",
                **row_times(start), "deleted_at": None,
            })
            for number, person in enumerate(candidates, start=1):
                result = rng.choices((RESULT_COMPLETED, RESULT_NOT_COMPLETED, RESULT_WITHDRAWN),
                                     (0.9, 0.06, 0.04))[0]
                kind = None
                if result == RESULT_COMPLETED:
                    kind = rng.choices([c for c, _ in certificates],
                                       [w for _, w in certificates])[0]
                enrolments.append({
                    "id": ids.take("enrolment"), "person_id": person["id"],
                    "course_id": course_id, "result": result, "certificate_kind": kind,
                    "certificate_no": (f"{_CERT_PREFIX[kind]}{township.code[:9]}{year % 100:02d}"
                                       f"{course_id:04d}{number:03d}" if kind else ""),
                    **row_times(end), "deleted_at": None,
                })
    return courses, enrolments


def _draw(rng: random.Random, pool: list[dict], wanted: int, at: date,
          leaving: dict[int, list[date]]) -> list[dict]:
    """Up to ``wanted`` distinct adults of working age at ``at``, drawn from ``pool``;
    those who leave for work within half a year are far likelier to enrol."""
    chosen: dict[int, dict] = {}
    soon = at + timedelta(days=180)
    for _ in range(wanted * 40):
        person = rng.choice(pool)
        keen = any(at <= day <= soon for day in leaving.get(person["id"], ()))
        if (person["id"] not in chosen and (keen or rng.random() < 0.08)
                and working_age(person, at)
                and person["birth_date"] <= date(at.year - 18, 12, 31)):
            chosen[person["id"]] = person
            if len(chosen) == wanted:
                break
    return list(chosen.values())
