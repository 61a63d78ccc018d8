"""Placements (转移就业花名册) and enrolments (培训花名册) into the store.

The person is found by ID number; someone not in the register is added when the
row names a village, otherwise the row is refused. Placements are deduplicated
by person, start date and employer; enrolments by person and course (courses are
matched or created by name, provider and dates). A row dated in a submitted
period is refused (the period lock).
"""

from __future__ import annotations

from collections.abc import Generator

from sqlalchemy import select

from laborstation.errors import PeriodLocked
from laborstation.importing.apply import (
    Env,
    chunks,
    insert_persons,
    insert_returning_ids,
    is_open,
)
from laborstation.importing.names import fast_search_text
from laborstation.importing.result import ADDED, UNCHANGED, Item
from laborstation.model import Course, Enrolment, Person, Placement
from laborstation.progress import Progress
from laborstation.regions import resolve_destination
from laborstation.services.locking import Locks

_GUESSED_TYPES = (("创业", "3"), ("引导", "1"), ("提升", "4"), ("岗位", "4"))


def _persons(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    """Set record['_pid'] and ['_village_id'] for every open row; add missing persons."""
    table = Person.__table__
    numbers = list({i.record["id_number"] for i in items})
    known: dict[str, tuple[int, int | None]] = {}
    for part in chunks(numbers, 5000):
        rows = env.session.execute(
            select(table.c.id_number, table.c.id, table.c.village_id).where(
                table.c.id_number.in_(part), table.c.deleted_at.is_(None))
        ).all()
        known.update({n: (pid, vid) for n, pid, vid in rows})
    yield Progress(0, len(items), "查找人员…")
    new: dict[str, list[Item]] = {}
    for item in items:
        record = item.record
        found = known.get(record["id_number"])
        if found is not None:
            record["_pid"], record["_village_id"] = found
            continue
        if record["id_number"] in new:
            new[record["id_number"]].append(item)
            continue
        village, group = env.place(item)
        if not is_open(item):
            continue
        if village is None:
            item.refuse("此人不在实名制台账中，本行也没有行政村：请先导入实名制台账，或在本行填写行政村")
            continue
        if not record["name"]:
            item.refuse("此人不在实名制台账中，本行也没有姓名，无法新增")
            continue
        record["village_id"], record["_village_id"] = village, village
        record["search_text"] = fast_search_text(record["name"])
        new[record["id_number"]] = [item]
    firsts = [group[0] for group in new.values()]
    ids = insert_persons(env, [i.record for i in firsts])
    env.audit_added("person", ids, firsts)
    for first, pid in zip(firsts, ids, strict=True):
        env.result.persons_added += 1
        for item in new[first.record["id_number"]]:
            item.record["_pid"], item.record["_village_id"] = pid, first.record["_village_id"]


def _locked(env: Env, locks: Locks, item: Item, day, what: str) -> bool:
    try:
        locks.check(day, area_id=item.record.get("_village_id"), what=what)
    except PeriodLocked as error:
        item.refuse(str(error))
        return True
    return False


def apply_placements(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    live = [i for i in items if is_open(i)]
    yield from _persons(env, live)
    live = [i for i in live if is_open(i)]
    locks = Locks.load(env.session)
    table = Placement.__table__
    keys: set[tuple] = set()
    for part in chunks(list({i.record["_pid"] for i in live}), 5000):
        keys.update(env.session.execute(
            select(table.c.person_id, table.c.start_on, table.c.employer_name).where(
                table.c.person_id.in_(part), table.c.deleted_at.is_(None))
        ).all())
    rows, written = [], []
    for item in live:
        record = item.record
        key = (record["_pid"], record["start_on"], record["employer_name"])
        if key in keys:
            item.outcome = UNCHANGED
            continue
        if _locked(env, locks, item, record["start_on"], "转移就业记录"):
            continue
        keys.add(key)
        destination = resolve_destination(record["destination"],
                                          home_code=env.home_code(record["_village_id"]))
        if record["destination"] and destination.region_class is None:
            item.warn(f"务工地点“{record['destination']}”无法识别省市，只记原文")
        rows.append({
            "person_id": record["_pid"], "start_on": record["start_on"],
            "return_on": record["return_on"], "province": destination.province,
            "city": destination.city[:40], "area_code": destination.area_code,
            "destination": record["destination"], "region_class": destination.region_class,
            "employer_id": None, "employer_name": record["employer_name"],
            "industry": record["industry"], "occupation": record["occupation"],
            "employment_form": None, "organised": record["organised"],
            "channel": record["channel"], "monthly_wage": record["monthly_wage"],
            "contract": record["contract"], "insurances": record["insurances"], "brand": "",
            "program": "", "notes": record["notes"], "created_at": env.now,
            "updated_at": env.now, "deleted_at": None,
        })
        written.append(item)
    yield from _write_added(env, table, "placement", rows, written, len(items), "转移就业记录")



def _write_added(env, table, kind: str, rows: list[dict], written: list, total: int, label: str):
    """Insert the new rows in chunks, mark their file rows added and audit them."""
    done = 0
    for part_rows, part_items in zip(chunks(rows), chunks(written), strict=True):
        ids = insert_returning_ids(env.session, table, part_rows)
        for item in part_items:
            item.outcome = ADDED
        env.audit_added(kind, ids, part_items)
        done += len(part_items)
        yield Progress(done, total, f"已写入 {done} 条{label}")

def _course_type(record: dict, item: Item) -> str:
    if record["_course_type"]:
        return record["_course_type"]
    for word, code in _GUESSED_TYPES:
        if word in record["_course"]:
            return code
    item.warn("没有培训类型，按“职业技能培训”记")
    return "2"


def _courses(env: Env, live: list[Item]) -> None:
    """Set record['_course_id'], creating the courses not yet in the store."""
    table = Course.__table__
    known = {
        (name, provider, start, end): cid
        for cid, name, provider, start, end in env.session.execute(
            select(table.c.id, table.c.name, table.c.provider, table.c.start_on, table.c.end_on)
            .where(table.c.deleted_at.is_(None))
        ).all()
    }
    new: dict[tuple, dict] = {}
    for item in live:
        record = item.record
        key = (record["_course"], record["_provider"], record["_start"], record["_end"])
        if key in known or key in new:
            continue
        new[key] = {
            "area_id": env.station.area_id, "name": key[0],
            "course_type": _course_type(record, item), "mode": record["_course_mode"],
            "trade": record["_trade"], "provider": key[1], "place": "", "village_id": None,
            "start_on": key[2], "end_on": key[3], "hours": None, "subsidy": None, "notes": "",
            "created_at": env.now, "updated_at": env.now, "deleted_at": None,
        }
    keys = list(new)
    ids = insert_returning_ids(env.session, table, [new[k] for k in keys])
    for key, cid in zip(keys, ids, strict=True):
        known[key] = cid
        env.result.created_courses.append(f"{key[0]}（{key[2].isoformat()}）")
    env.audit_others("course", ids)
    for item in live:
        r = item.record
        r["_course_id"] = known[(r["_course"], r["_provider"], r["_start"], r["_end"])]


def apply_trainings(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    live = [i for i in items if is_open(i)]
    yield from _persons(env, live)
    live = [i for i in live if is_open(i)]
    locks = Locks.load(env.session)
    live = [i for i in live if not _locked(env, locks, i, i.record["_end"], "培训记录")]
    _courses(env, live)
    table = Enrolment.__table__
    keys: set[tuple] = set()
    for part in chunks(list({i.record["_pid"] for i in live}), 5000):
        keys.update(env.session.execute(
            select(table.c.person_id, table.c.course_id).where(
                table.c.person_id.in_(part), table.c.deleted_at.is_(None))
        ).all())
    rows, written = [], []
    for item in live:
        record = item.record
        key = (record["_pid"], record["_course_id"])
        if key in keys:
            item.outcome = UNCHANGED
            continue
        keys.add(key)
        rows.append({
            "person_id": key[0], "course_id": key[1], "result": record["result"],
            "certificate_kind": record["certificate_kind"],
            "certificate_no": record["certificate_no"], "created_at": env.now,
            "updated_at": env.now, "deleted_at": None,
        })
        written.append(item)
    yield from _write_added(env, table, "enrolment", rows, written, len(items), "参训记录")
