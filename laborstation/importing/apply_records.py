"""Placements (转移就业花名册) and enrolments (培训花名册) into the store.

The person is found by ID number; someone not in the register is added when the
row names a village, otherwise the row is refused. Placements are deduplicated
by person, start date and employer; enrolments by person and course (courses are
matched or created by name, provider and dates); a row for one already in the store
fills in what it lacks (返乡时间, 月收入 …; a certificate), every field with overwrite,
and its changes are listed. A row dated in a submitted period is refused (the period
lock).
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
    shown_value,
    update_by_id,
)
from laborstation.importing.names import fast_search_text
from laborstation.importing.result import ADDED, UNCHANGED, UPDATED, Item
from laborstation.importing.rows import course_name
from laborstation.model import Course, Enrolment, Person, Placement
from laborstation.progress import Progress
from laborstation.regions import resolve_destination
from laborstation.services.locking import Locks

_GUESSED_TYPES = (("创业", "3"), ("引导", "1"), ("提升", "4"), ("岗位", "4"))
# What a row brings to a placement already in the store (same person, start and employer),
# with the labels its changes are listed under; filled in where empty (all with overwrite).
PLACEMENT_FIELDS = {"return_on": "返乡时间", "monthly_wage": "月收入", "industry": "行业",
                    "occupation": "工种/岗位", "channel": "输出机构", "insurances": "参保情况"}
ENROLMENT_FIELDS = {"certificate_kind": "证书", "certificate_no": "证书编号"}


def _plain(name: str) -> str:
    return "".join(name.split())


def _filled_in(env: Env, record: dict, old: dict, labels: dict) -> dict:
    """field → (stored, new) for ``labels``' fields the row fills in: those empty in the
    store (any that differ, with overwrite)."""
    changes = {}
    for field in labels:
        new, current = record.get(field), old[field]
        if new is None or new == "" or new == current:
            continue
        if current is None or current == "" or env.overwrite:
            changes[field] = (current, new)
    return changes


def _stored(env: Env, table, key: tuple[str, ...], fields: dict,
            items: list[Item]) -> dict[tuple, dict | None]:
    """The live records of the rows' persons by ``key`` (its columns' values), with the
    ``fields`` a row may fill in; the callers add None for a record the file adds."""
    stored: dict[tuple, dict | None] = {}
    wanted = [table.c.id, *(table.c[c] for c in key), *(table.c[f] for f in fields)]
    for part in chunks(list({i.record["_pid"] for i in items}), 5000):
        for found in env.session.execute(select(*wanted).where(
                table.c.person_id.in_(part), table.c.deleted_at.is_(None))).mappings():
            stored.setdefault(tuple(found[c] for c in key), dict(found))
    return stored


def _brought(env: Env, item: Item, stored: dict, key: tuple, fields: dict) -> dict | None:
    """None for a row whose record is not in the store yet; else the changes it brings to
    it ({}: none, and the row is marked unchanged; so is a second row of the file for a
    record the file adds)."""
    if key not in stored:
        return None
    old = stored[key]
    changes = {} if old is None else _filled_in(env, item.record, old, fields)
    if not changes:
        item.outcome = UNCHANGED
    return changes


def _update(env: Env, item: Item, table: str, old: dict, changes: dict, labels: dict,
            updates: list[dict]) -> None:
    """The row updates the record ``old``: its changes listed on the item and audited."""
    item.outcome = UPDATED
    item.changes = [f"{labels[f]}：{shown_value(f, o)} → {shown_value(f, n)}"
                    for f, (o, n) in changes.items()]
    env.audit(table, old["id"], item, {f: [o, n] for f, (o, n) in changes.items()})
    values = {f: n for f, (o, n) in changes.items()}
    old.update(values)
    updates.append({"_id": old["id"], **values, "updated_at": env.now})


def _persons(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    """Set record['_pid'] and ['_village_id'] for every open row; add missing persons."""
    table = Person.__table__
    numbers = list({i.record["id_number"] for i in items})
    known: dict[str, tuple[int, int | None, str]] = {}
    for part in chunks(numbers, 5000):
        rows = env.session.execute(
            select(table.c.id_number, table.c.id, table.c.village_id, table.c.name).where(
                table.c.id_number.in_(part), table.c.deleted_at.is_(None))
        ).all()
        known.update({n: (pid, vid, name) for n, pid, vid, name in rows})
    yield Progress(0, len(items), "查找人员…")
    new: dict[str, list[Item]] = {}
    for item in items:
        record = item.record
        found = known.get(record["id_number"])
        if found is not None:
            record["_pid"], record["_village_id"], registered = found
            if record["name"] and _plain(record["name"]) != _plain(registered):
                item.warn(f"姓名“{record['name']}”与台账中这个身份证号的姓名“{registered}”不同，"
                          f"已记在{registered}名下：请核对身份证号是否抄错")
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
    stored = _stored(env, table, ("person_id", "start_on", "employer_name"), PLACEMENT_FIELDS,
                     live)
    rows, written, updates = [], [], []
    for item in live:
        record = item.record
        key = (record["_pid"], record["start_on"], record["employer_name"])
        changes = _brought(env, item, stored, key, PLACEMENT_FIELDS)
        if changes is not None:
            if changes and not (_locked(env, locks, item, record["start_on"], "转移就业记录") or (
                    "return_on" in changes and _locked(
                        env, locks, item, record["return_on"], "转移就业记录"))):
                _update(env, item, "placement", stored[key], changes, PLACEMENT_FIELDS, updates)
            continue
        if _locked(env, locks, item, record["start_on"], "转移就业记录"):
            continue
        stored[key] = None
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
    update_by_id(env.session, table, updates)
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
    known = {  # (names as rows give them: a course stored with spaces is found too)
        (course_name(name), provider, start, end): cid
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
    stored = _stored(env, table, ("person_id", "course_id"), ENROLMENT_FIELDS, live)
    rows, written, updates = [], [], []
    for item in live:
        record = item.record
        key = (record["_pid"], record["_course_id"])
        changes = _brought(env, item, stored, key, ENROLMENT_FIELDS)
        if changes is not None:
            if changes:
                _update(env, item, "enrolment", stored[key], changes, ENROLMENT_FIELDS, updates)
            continue
        stored[key] = None
        rows.append({
            "person_id": key[0], "course_id": key[1], "result": record["result"],
            "certificate_kind": record["certificate_kind"],
            "certificate_no": record["certificate_no"], "created_at": env.now,
            "updated_at": env.now, "deleted_at": None,
        })
        written.append(item)
    update_by_id(env.session, table, updates)
    yield from _write_added(env, table, "enrolment", rows, written, len(items), "参训记录")
