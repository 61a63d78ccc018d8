"""Drive the demo generators township by township and bulk-insert their rows.

Everything is written with Core ``insert()`` executemany in chunks inside one
unaudited session, with ids assigned here, so a station-scale demo takes
seconds. Cancelling (``close()`` on the generator) rolls the rows back.
"""

from __future__ import annotations

import random
from collections.abc import Generator
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import bindparam, func, insert, select, text, update

from laborstation.demo import assistance, geography, jobs, training
from laborstation.demo.common import Ids, row_times
from laborstation.demo.employers import make_employers
from laborstation.demo.placements import employ_households, make_placements
from laborstation.demo.population import Township, Village, make_people
from laborstation.demo.targets import make_targets
from laborstation.errors import UserError
from laborstation.model import (
    GROUP,
    TOWNSHIP,
    VILLAGE,
    Area,
    Course,
    Employer,
    Enrolment,
    HardToEmploy,
    Household,
    Intention,
    JobPosting,
    PartnerSite,
    Person,
    Placement,
    RightsCase,
    Target,
    Visit,
    WelfarePost,
    visit_person,
)
from laborstation.progress import Progress
from laborstation.services.station import set_station, station_in

CHUNK = 5000


@dataclass(frozen=True)
class Scale:
    townships: int
    villages: tuple[int, int]  # per township, inclusive range
    people: int  # per township
    courses: int  # per township and year
    postings: int
    cases: int
    visits: int


SCALES = {
    "tiny": Scale(1, (2, 2), 300, 4, 8, 3, 10),  # for tests, not offered to users
    "tiny-county": Scale(2, (2, 2), 150, 3, 6, 2, 6),
    "station": Scale(1, (19, 21), 20_000, 12, 50, 12, 90),
    "county": Scale(12, (17, 23), 20_800, 12, 50, 12, 90),
}


class DemoRefused(UserError):
    """The demo only fills a database that holds no people yet."""


@dataclass
class DemoCounts:
    areas: int = 0
    households: int = 0
    persons: int = 0
    employers: int = 0
    partner_sites: int = 0
    placements: int = 0
    courses: int = 0
    enrolments: int = 0
    job_postings: int = 0
    intentions: int = 0
    hard_to_employ: int = 0
    welfare_posts: int = 0
    rights_cases: int = 0
    visits: int = 0
    targets: int = 0

    LABELS = {"areas": "区划（乡镇/村/组）", "households": "户", "persons": "人员",
              "employers": "用工单位", "partner_sites": "劳务合作基地", "placements": "转移就业记录",
              "courses": "培训班", "enrolments": "参训记录", "job_postings": "用工信息",
              "intentions": "用工意向", "hard_to_employ": "就业困难人员认定",
              "welfare_posts": "公益性岗位", "rights_cases": "维权案件", "visits": "回访慰问",
              "targets": "目标任务"}

    def rows(self) -> list[tuple[str, int]]:
        return [(self.LABELS[f.name], getattr(self, f.name)) for f in fields(self)]

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


_TABLES = {"area": Area, "household": Household, "person": Person, "employer": Employer,
           "partner_site": PartnerSite, "placement": Placement, "course": Course,
           "enrolment": Enrolment, "job_posting": JobPosting, "intention": Intention,
           "hard_to_employ": HardToEmploy, "welfare_post": WelfarePost,
           "rights_case": RightsCase, "visit": Visit, "target": Target}


def _insert(session, model, rows: list[dict]) -> Generator[int, None, None]:
    table = getattr(model, "__table__", model)
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[start:start + CHUNK])
        yield min(len(rows), start + CHUNK)


def _refuse_if_populated(session, unit_code: str) -> None:
    """Refuse a database with people, households, villages or another reporting unit."""
    for model, what in ((Person, "名人员"), (Household, "户"), (Placement, "条转移就业记录")):
        found = session.execute(select(func.count()).select_from(model)).scalar_one()
        if found:
            raise DemoRefused(f"数据库中已有 {found:,} {what}：演示数据只能写入空数据库，请指定一个新的文件。")
    villages = session.execute(select(func.count()).select_from(Area)
                               .where(Area.level == VILLAGE)).scalar_one()
    if villages:
        raise DemoRefused(f"数据库中已有 {villages:,} 个行政村：演示数据只能写入空数据库，请指定一个新的文件。")
    station = station_in(session)
    if station is not None and station.area_code != unit_code:
        raise DemoRefused(f"数据库已设置填报单位“{station.name}”（{station.area_code}），"
                          "演示数据只能写入新的数据库文件。")


def _unit_code(spec: Scale) -> str:
    if spec.townships == 1:
        return f"{geography.COUNTY_CODE}{geography.TOWNSHIPS[0][0]}000"
    return f"{geography.COUNTY_CODE}000000"


def _set_unit(store, spec: Scale):
    """The reporting unit: the township itself, or the county for a county-scale demo."""
    name = geography.TOWNSHIPS[0][1] if spec.townships == 1 else geography.COUNTY_NAME
    return set_station(store, name=name, code=_unit_code(spec))


def _layout(rng: random.Random, spec: Scale, info, session_ids: Ids, today: date
            ) -> tuple[list[Township], list[dict]]:
    """The townships, villages and groups, and the area rows still to insert."""
    chosen = geography.TOWNSHIPS[:spec.townships]
    area_rows: list[dict] = []
    times = row_times(today)
    townships: list[Township] = []
    taken: set[str] = set()
    for order, (code, name) in enumerate(chosen):
        full = f"{geography.COUNTY_CODE}{code}000"
        if info.level == TOWNSHIP:
            township_id = info.area_id
        else:
            township_id = session_ids.take("area")
            area_rows.append({"id": township_id, "code": full, "name": name, "level": TOWNSHIP,
                              "parent_id": info.county_area_id, "sort_order": order,
                              **times, "deleted_at": None})
        township = Township(township_id, full, name)
        count = rng.randint(*spec.villages)
        for index, (village_name, family) in enumerate(geography.village_names(rng, count, taken)):
            village = Village(session_ids.take("area"), f"{full[:9]}{201 + index:03d}",
                              village_name, family, weight=rng.uniform(0.5, 1.5))
            area_rows.append({"id": village.id, "code": village.code, "name": village_name,
                              "level": VILLAGE, "parent_id": township_id, "sort_order": index,
                              **times, "deleted_at": None})
            for number in range(rng.randint(3, 8)):
                group_id = session_ids.take("area")
                group = geography.group_name(number)
                village.groups.append((group_id, group))
                area_rows.append({"id": group_id, "code": None, "name": group, "level": GROUP,
                                  "parent_id": village.id, "sort_order": number,
                                  **times, "deleted_at": None})
            township.villages.append(village)
        townships.append(township)
    return townships, area_rows


def generate(store, *, scale: str = "station", seed: int = 1, today: date | None = None
             ) -> Generator[Progress, None, DemoCounts]:
    """Fill an empty store with a deterministic demo: same seed and ``today``, same rows."""
    if scale not in SCALES:
        raise UserError(f"未知的演示数据规模“{scale}”：可选 station（一个乡镇）或 county（一个县）。")
    spec = SCALES[scale]
    real_today = date.today()
    today = today or real_today
    if today > real_today:  # ID numbers of babies born "after today" would be invalid
        raise UserError(f"演示数据的日期 {today.isoformat()} 晚于今天，请指定今天或更早的日期。")
    rng = random.Random(f"laborstation-demo:{seed}")
    counts = DemoCounts()
    steps = 2 + spec.townships * 5
    with store.reading() as session:
        _refuse_if_populated(session, _unit_code(spec))
    yield Progress(0, steps, "设置填报单位……")
    info = _set_unit(store, spec)
    with store.session(audit_changes=False) as session:
        _refuse_if_populated(session, info.area_code)
        ids = Ids({name: (session.execute(select(func.max(model.id))).scalar() or 0) + 1
                   for name, model in _TABLES.items()})
        townships, area_rows = _layout(rng, spec, info, ids, today)
        # The unit's own rows came from set_station just now: date them like the rest.
        areas = Area.__table__
        session.execute(update(areas).where(areas.c.id.in_({info.area_id, info.county_area_id}))
                        .values(**row_times(today)))
        employer_rows, site_rows, employers = make_employers(rng, ids, today)
        for _ in _insert(session, Area, area_rows):
            pass
        for _ in _insert(session, Employer, employer_rows):
            pass
        for _ in _insert(session, PartnerSite, site_rows):
            pass
        counts.areas, counts.employers = len(area_rows), len(employer_rows)
        counts.partner_sites = len(site_rows)
        yield Progress(1, steps, f"区划 {len(area_rows):,} 个，用工单位 {len(employer_rows):,} 家")
        used_ids: set[str] = set()
        targets: list[dict] = []
        county_targets: dict[str, int] = {}
        for index, township in enumerate(townships):
            trng = random.Random(f"laborstation-demo:{seed}:{township.code}")
            done = 1 + index * 5
            people = make_people(trng, township, target=spec.people, today=today,
                                 first_household=ids.peek("household"),
                                 first_person=ids.peek("person"), used_ids=used_ids)
            ids.advance("household", len(people.households))
            ids.advance("person", len(people.persons))
            placements = make_placements(trng, township, people.persons, people.category,
                                         employers, today, ids.peek("placement"))
            ids.advance("placement", len(placements))
            employ_households(trng, people.persons, placements, today)
            for _ in _insert(session, Household, people.households):
                yield Progress(done, steps, f"{township.name}：写入户 {len(people.households):,} 户")
            for written in _insert(session, Person, people.persons):
                yield Progress(done, steps, f"{township.name}：写入人员 {written:,}/"
                                            f"{len(people.persons):,}")
            # The head exists only now; keep updated_at as entered (not the onupdate now()).
            entered = people.households[0]["created_at"] if people.households else None
            heads = [{"hid": h, "head": p, "entered": entered} for h, p in people.heads]
            table = Household.__table__
            session.execute(update(table).where(table.c.id == bindparam("hid"))
                            .values(head_id=bindparam("head"), updated_at=bindparam("entered")),
                            heads)
            counts.households += len(people.households)
            counts.persons += len(people.persons)
            for written in _insert(session, Placement, placements):
                yield Progress(done + 1, steps, f"{township.name}：写入转移就业 {written:,}/"
                                                f"{len(placements):,}")
            counts.placements += len(placements)
            got = yield from _activities(session, trng, township, people, placements, employers,
                                         ids, today, spec, counts, (done + 2, steps))
            figures = make_targets(today.year, got, people.category,
                                   {p["id"]: p for p in people.persons}, trng)
            for code, value in figures.items():
                targets.append(_target_row(ids, today, code, value, township.id))
                county_targets[code] = county_targets.get(code, 0) + value
            yield Progress(done + 5, steps, f"{township.name}：完成，{len(people.persons):,} 人")
        if info.area_id != townships[0].id:
            for code, value in county_targets.items():
                targets.append(_target_row(ids, today, code, value, info.area_id))
        for _ in _insert(session, Target, targets):
            pass
        counts.targets = len(targets)
        _advance_sequences(session)
        yield Progress(steps, steps, "写入完成，正在提交……")
    return counts


def _advance_sequences(session) -> None:
    """The demo chose its ids itself: move PostgreSQL's id sequences past them, or the
    next record a clerk adds would collide with a demo row (SQLite needs nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in _TABLES:
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                             f"(SELECT max(id) FROM {name}))"))


def _target_row(ids: Ids, today: date, code: str, value: int, area_id: int) -> dict:
    return {"id": ids.take("target"), "year": today.year, "indicator": code, "value": value,
            "area_id": area_id, **row_times(date(today.year, 1, 1))}


def _activities(session, rng, township, people, placements, employers, ids, today, spec,
                counts, at) -> Generator[Progress, None, dict[str, list[dict]]]:
    """Training, jobs, assistance, rights cases and visits of one township."""
    done, steps = at
    persons, class_size = people.persons, max(6, min(45, spec.people // 450))
    by_id = {p["id"]: p for p in persons}
    courses, enrolments = training.make_training(rng, township, persons, ids, today,
                                                 spec.courses, class_size, placements)
    postings, intentions = jobs.make_jobs(rng, township, persons, employers, ids, today,
                                          spec.postings)
    hard, posts = assistance.make_assistance(rng, township, persons, people.category, ids, today)
    cases = assistance.make_rights_cases(rng, township, by_id, placements, ids, today, spec.cases)
    visits, links = assistance.make_visits(rng, township, by_id, placements, ids, today,
                                           spec.visits)
    got = {"placement": placements, "course": courses, "enrolment": enrolments,
           "job_posting": postings, "intention": intentions, "hard_to_employ": hard,
           "welfare_post": posts, "rights_case": cases, "visit": visits}
    plan = ((Course, courses, "courses", "培训班"), (Enrolment, enrolments, "enrolments", "参训"),
            (JobPosting, postings, "job_postings", "用工信息"),
            (Intention, intentions, "intentions", "用工意向"),
            (HardToEmploy, hard, "hard_to_employ", "就业困难人员"),
            (WelfarePost, posts, "welfare_posts", "公益性岗位"),
            (RightsCase, cases, "rights_cases", "维权案件"), (Visit, visits, "visits", "回访慰问"),
            (visit_person, links, None, "回访对象"))
    for step, (model, rows, field, label) in enumerate(plan):
        for written in _insert(session, model, rows):
            yield Progress(done + step // 4, steps, f"{township.name}：写入{label} {written:,}")
        if field:
            setattr(counts, field, getattr(counts, field) + len(rows))
    return got
