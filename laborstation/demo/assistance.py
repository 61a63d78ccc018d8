"""Hard-to-employ people, public-welfare posts, rights cases and follow-up visits."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from laborstation.demo.common import Ids, dates_by_year, random_day, row_times, working_age
from laborstation.demo.names import full_name, surname
from laborstation.demo.population import Township
from laborstation.model.rights import CASE_CLOSED, CASE_OPEN
from laborstation.periods import shift_year

_POSTS = {"1": ("村级劳动保障协理员", "治安巡逻员", "村级协管员", "河道巡查员"),
          "2": ("保洁员", "护林员", "乡村公路养护员", "水管员", "养老服务员")}
_SUMMARIES = {"1": "{e}拖欠{n}人工资共{a}元", "2": "与{e}解除劳动合同未支付经济补偿，涉及{n}人",
              "3": "在{e}务工期间受伤，工伤待遇未落实", "4": "{e}未为{n}名务工人员缴纳社会保险",
              "5": "非法职业中介收取介绍费后未安排工作，涉及{n}人", "9": "与{e}的其他劳动争议"}


def make_assistance(rng: random.Random, township: Township, persons: list[dict],
                    categories: dict[int, str], ids: Ids, today: date
                    ) -> tuple[list[dict], list[dict]]:
    """Hard-to-employ recognitions and welfare posts (rows of both tables)."""
    first = shift_year(today, -3)
    villages = {v.id: v.name for v in township.villages}
    recognised: list[dict] = []
    posts: list[dict] = []
    for person in persons:
        if not working_age(person, today):
            continue
        category = categories.get(person["household_id"], "0")
        older = person["birth_date"].year <= today.year - (50 if person["sex"] == "1" else 40)
        odds = 0.01 + (0.06 if category in ("1", "2") else 0) + (0.08 if category == "3" else 0)
        odds += 0.15 if person["labour_capacity"] == "2" else 0
        odds *= 1.5 if older else 1
        post_start = None
        if rng.random() < odds:
            if person["labour_capacity"] == "2":
                code = "060"
            elif category == "3":
                code = "040"
            elif category in ("1", "2"):
                code = "090"
            else:
                code = "050" if older else rng.choice(("070", "990"))
            adult = _sixteenth(person["birth_date"])
            on = random_day(rng, max(first, adult), today - timedelta(days=20))
            ended = on + timedelta(days=rng.randint(180, 700)) if rng.random() < 0.25 else None
            recognised.append({
                "id": ids.take("hard_to_employ"), "person_id": person["id"], "category": code,
                "recognised_on": on, "ended_on": ended if ended and ended <= today else None,
                "notes": "", **row_times(on), "deleted_at": None,
            })
            if rng.random() < 0.55:
                post_start = min(today, on + timedelta(days=rng.randint(10, 120)))
        elif category in ("1", "2") and rng.random() < 0.01:
            post_start = random_day(rng, max(first, _sixteenth(person["birth_date"])), today)
        if post_start is not None:
            post_type = rng.choice("12")
            end = post_start + timedelta(days=365) if rng.random() < 0.3 else None
            posts.append({
                "id": ids.take("welfare_post"), "person_id": person["id"], "post_type": post_type,
                "post_name": rng.choice(_POSTS[post_type]), "employer_id": None,
                "employer_name": f"{villages.get(person['village_id'], '')}村民委员会",
                "start_on": post_start, "end_on": end if end and end <= today else None,
                "monthly_subsidy": Decimal(rng.choice((500, 600, 800, 1000, 1200))), "notes": "",
                **row_times(post_start), "deleted_at": None,
            })
    return recognised, posts


def make_rights_cases(rng: random.Random, township: Township, persons: dict[int, dict],
                      placements: list[dict], ids: Ids, today: date, per_year: int) -> list[dict]:
    first = shift_year(today, -3)
    handlers = [full_name(rng, surname(rng), rng.choice("12"), 1985) for _ in range(2)]
    rows: list[dict] = []
    for received in dates_by_year(rng, first, today, per_year):
        placement = rng.choice(placements) if placements else None
        if placement is not None:
            received = max(placement["start_on"], received)
        case_type = rng.choices("123459", (60, 14, 9, 7, 4, 6))[0]
        involved = rng.choices((1, rng.randint(2, 8), rng.randint(9, 40)), (0.5, 0.4, 0.1))[0]
        claimed = involved * rng.randint(30, 300) * 100
        closed = received < today - timedelta(days=20) and rng.random() < 0.8
        closed_on = min(today, received + timedelta(days=rng.randint(7, 120))) if closed else None
        recovered = 0
        if closed and case_type in "124":
            recovered = round(claimed * rng.uniform(0.6, 1.0), -2)
        employer = placement["employer_name"] if placement else ""
        person = persons.get(placement["person_id"]) if placement else None
        rows.append({
            "id": ids.take("rights_case"), "area_id": township.id, "received_on": received,
            "case_type": case_type, "complainant": person["name"] if person else "",
            "person_id": person["id"] if person else None,
            "employer_id": placement["employer_id"] if placement else None,
            "employer_name": employer, "people_involved": involved,
            "amount_claimed": Decimal(claimed), "amount_recovered": Decimal(recovered),
            "status": CASE_CLOSED if closed else CASE_OPEN, "closed_on": closed_on,
            "handler": rng.choice(handlers),
            "summary": _SUMMARIES[case_type].format(e=employer or "用工单位", n=involved, a=claimed)
            + ("，经协调已追回" if recovered else ""),
            **row_times(received), "deleted_at": None,
        })
    return rows


def make_visits(rng: random.Random, township: Township, persons: dict[int, dict],
                placements: list[dict], ids: Ids, today: date, per_year: int
                ) -> tuple[list[dict], list[dict]]:
    """Visits and their visit_person links (回访 of migrants, 慰问 of families at home)."""
    first = shift_year(today, -3)
    visits: list[dict] = []
    links: list[dict] = []
    person_list = list(persons.values())
    for day in dates_by_year(rng, first, today, per_year):
        follow_up = bool(placements) and rng.random() < 0.7
        visit_id = ids.take("visit")
        if follow_up:
            placement = rng.choice(placements)
            day = max(day, placement["start_on"])
            place = placement["destination"] + (f" {placement['employer_name']}"
                                                 if placement["employer_name"] else "")
            people = [placement["person_id"]]
            people += [rng.choice(placements)["person_id"] for _ in range(rng.randint(0, 5))]
        else:
            village = rng.choice(township.villages)
            place = f"{township.name}{village.name}"
            people = [rng.choice(person_list)["id"] for _ in range(rng.randint(1, 4))]
        people = list(dict.fromkeys(people))
        visits.append({
            "id": visit_id, "area_id": township.id, "visited_on": day, "place": place,
            "people_visited": len(people) + rng.choice((0, 0, 0, 1, 2, 5)),
            "kind": "回访" if follow_up else "慰问",
            "notes": "了解务工收入和权益保障情况" if follow_up else "走访留守家庭，宣传就业政策",
            **row_times(day), "deleted_at": None,
        })
        links.extend({"visit_id": visit_id, "person_id": pid} for pid in people)
    return visits, links


def _sixteenth(birth: date) -> date:
    """The 16th birthday (28 February for a 29 February birth)."""
    try:
        return birth.replace(year=birth.year + 16)
    except ValueError:
        return date(birth.year + 16, 2, 28)
