"""Trainings (培训花名册) into the store: courses and their enrolments.

A course is matched by name (as ``rows.course_name`` gives it), provider and start
date, and made for the rows still open at the end when new; an enrolment is matched by
person and course. A row for one in the store, or for one an earlier row of the file
adds, fills in what it lacks (a course's end date, type, mode and 工种; an enrolment's
result and certificate), as ``apply_records`` tells.
"""

from __future__ import annotations

from collections.abc import Generator

from sqlalchemy import select

from laborstation.importing.apply import Env, is_open
from laborstation.importing.apply_records import (
    Batch,
    add_persons,
    audit_later,
    filled_in,
    find_persons,
    locked,
    shown,
    stored_records,
)
from laborstation.importing.bulk_write import insert_returning_ids
from laborstation.importing.result import UNCHANGED, Item
from laborstation.importing.rows import course_name
from laborstation.model import Course, Enrolment
from laborstation.model.training import RESULT_COMPLETED, RESULT_NAMES, RESULT_NOT_COMPLETED
from laborstation.progress import Progress
from laborstation.services.locking import Locks

_GUESSED_TYPES = (("创业", "3"), ("引导", "1"), ("提升", "4"), ("岗位", "4"))
OTHER_MODE = "9"
ENROLMENT_FIELDS = {"result": "培训结果", "certificate_kind": "证书", "certificate_no": "证书编号"}
_CERTIFICATE_FIELDS = ("certificate_kind", "certificate_no")
COURSE_FIELDS = {"end_on": "培训班结业时间", "course_type": "培训类型", "mode": "培训方式",
                 "trade": "培训工种"}
_COURSE_WARNED = ("end_on", "course_type", "mode")  # a difference kept is told (not 工种)
TRAINING = "培训记录"


def _course_type(record: dict, item: Item) -> str:
    for word, code in _GUESSED_TYPES:
        if word in record["_course"]:
            return code
    item.warn("没有培训类型，按“职业技能培训”记")
    return "2"


def _stored_courses(env: Env) -> tuple[dict[tuple, dict], dict[int, tuple]]:
    """Live courses by (name as rows give it, provider, start date): a course stored with
    spaces in its name is found too; and each course's key by its id."""
    table = Course.__table__
    courses: dict[tuple, dict] = {}
    keys: dict[int, tuple] = {}
    for found in env.session.execute(
            select(table.c.id, table.c.name, table.c.provider, table.c.start_on,
                   table.c.end_on, table.c.course_type, table.c.mode, table.c.trade)
            .where(table.c.deleted_at.is_(None))).mappings():
        course = {**found, "_defaulted": frozenset()}
        keys[course["id"]] = key = (course_name(course["name"]), course["provider"],
                                    course["start_on"])
        courses.setdefault(key, course)
    return courses, keys


def _new_course(item: Item) -> dict:
    """A course made by a row; '_defaulted': the fields the row left blank (a type
    guessed, the mode 其他, the end date taken from the start), which a later row of the
    file fills in like empty ones."""
    record = item.record
    course_type, mode = record["_course_type"], record["_course_mode"]
    defaulted = {f for f, value in (("course_type", course_type), ("mode", mode),
                                    ("end_on", record["_end_given"])) if value is None}
    return {"id": None, "name": record["_course"], "provider": record["_provider"],
            "start_on": record["_start"], "end_on": record["_end"],
            "course_type": course_type or _course_type(record, item),
            "mode": mode or OTHER_MODE, "trade": record["_trade"],
            "_defaulted": frozenset(defaulted)}


def _course_changes(env: Env, item: Item, course: dict) -> dict:
    """What a row changes of its course (end date, type, mode, 工种): filled in where
    the course has none, any with overwrite; a difference kept is told, naming what was."""
    record = item.record
    given = {"end_on": record["_end_given"], "course_type": record["_course_type"],
             "mode": record["_course_mode"], "trade": record["_trade"]}
    changes = {}
    for name, new in given.items():
        current = course[name]
        if new is None or new == "" or new == current:
            continue
        if current in (None, "") or name in course["_defaulted"] or env.overwrite:
            changes[name] = (current, new)
        elif name in _COURSE_WARNED:
            kept = shown(name, current)
            item.warn(f"{COURSE_FIELDS[name]}“{shown(name, new)}”与培训班“{course['name']}”"
                      f"已记的“{kept}”不同，仍按“{kept}”记（覆盖导入可改正）")
    return changes


def _enrolment_changes(env: Env, item: Item, old: dict) -> dict:
    """What a row changes of an enrolment: its result (未结业 → 结业 is how a course goes;
    another change only with overwrite) and its certificate, which only 结业 keeps."""
    record = item.record
    result, given = old["result"], record["_result_given"]
    changes = {}
    if given is not None and given != result:
        if env.overwrite or (result, given) == (RESULT_NOT_COMPLETED, RESULT_COMPLETED):
            changes["result"] = (result, given)
            result = given
        else:
            lost = "，本行的证书未记" if record["certificate_kind"] else ""
            item.warn(f"培训结果“{RESULT_NAMES[given]}”与已记的“{RESULT_NAMES[result]}”不同，"
                      f"仍按“{RESULT_NAMES[result]}”记（覆盖导入可改正）{lost}")
    if result == RESULT_COMPLETED:
        changes.update(filled_in(env, record, old, _CERTIFICATE_FIELDS))
    else:
        for name, empty in zip(_CERTIFICATE_FIELDS, (None, ""), strict=True):
            if old[name] not in (None, ""):
                changes[name] = (old[name], empty)
    return changes


def _course_of(env: Env, locks: Locks, item: Item, courses: dict, batch: Batch) -> dict | None:
    """The row's course: found (with the row's changes to it) or made; None when the
    period lock refuses the row."""
    record = item.record
    key = (record["_course"], record["_provider"], record["_start"])
    course = courses.get(key)
    if course is None:
        if locked(env, locks, item, record["_end"], TRAINING):
            return None
        courses[key] = course = _new_course(item)
        return course
    changes = _course_changes(env, item, course)
    if changes:
        days = (course["end_on"], *changes.get("end_on", ())[1:])
        if any(locked(env, locks, item, day, TRAINING) for day in days):
            return None
        batch.change(item, course, changes, COURSE_FIELDS)
        course["_defaulted"] = course["_defaulted"] - changes.keys()
    return course


def _write_courses(env: Env, batch: Batch, live: list[Item]) -> None:
    """The courses the open rows use, made; the changes to courses, written; and each
    open row's record['course_id'] set."""
    later = batch.write_changes(env)
    made: dict[int, dict] = {}
    for item in live:
        course = item.record["_course_ref"] if is_open(item) else None
        if course is not None and course["id"] is None:
            made.setdefault(id(course), course)
    rows = [{"area_id": env.station.area_id, "name": c["name"], "course_type": c["course_type"],
             "mode": c["mode"], "trade": c["trade"], "provider": c["provider"], "place": "",
             "village_id": None, "start_on": c["start_on"], "end_on": c["end_on"],
             "hours": None, "subsidy": None, "notes": "", "created_at": env.now,
             "updated_at": env.now, "deleted_at": None} for c in made.values()]
    ids = insert_returning_ids(env.session, batch.table, rows)
    for course, course_id in zip(made.values(), ids, strict=True):
        course["id"] = course_id
        env.result.created_courses.append(f"{course['name']}（{course['start_on'].isoformat()}）")
    env.audit_others("course", ids)
    audit_later(env, "course", later)


def apply_trainings(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    live = [i for i in items if is_open(i)]
    number_of = yield from find_persons(env, live)
    locks = Locks.load(env.session)
    courses, course_keys = _stored_courses(env)
    course_batch = Batch(Course.__table__, "course")
    batch = Batch(Enrolment.__table__, "enrolment")
    stored = stored_records(
        env, batch.table, ("id", "person_id", "course_id", *ENROLMENT_FIELDS), number_of,
        lambda e: (number_of[e["person_id"]], course_keys[e["course_id"]])
        if e["course_id"] in course_keys else None)
    for item in live:
        record = item.record
        record["_course_ref"] = None
        course = _course_of(env, locks, item, courses, course_batch)
        if course is None:
            continue
        record["_course_ref"] = course
        key = (record["id_number"], (record["_course"], record["_provider"], record["_start"]))
        enrolment = stored.get(key)
        if enrolment is None:
            if not locked(env, locks, item, course["end_on"], TRAINING):
                stored[key] = enrolment = {
                    "id": None, "person_id": None, "course_id": None, "result": record["result"],
                    "certificate_kind": record["certificate_kind"],
                    "certificate_no": record["certificate_no"], "created_at": env.now,
                    "updated_at": env.now, "deleted_at": None}
                batch.added.append((item, enrolment))
            continue
        changes = _enrolment_changes(env, item, enrolment)
        if not changes:
            if not item.outcome:  # (a row changing only its course is 更新)
                item.outcome = UNCHANGED
        elif not locked(env, locks, item, course["end_on"], TRAINING):
            batch.change(item, enrolment, changes, ENROLMENT_FIELDS)
    add_persons(env, live)
    _write_courses(env, course_batch, live)
    for item, enrolment in batch.added:
        if is_open(item):
            enrolment["person_id"] = item.record["_pid"]
            enrolment["course_id"] = item.record["_course_ref"]["id"]
    yield from batch.write(env, len(items), "参训记录")
