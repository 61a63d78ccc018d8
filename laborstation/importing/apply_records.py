"""Placements (转移就业花名册) and enrolments (培训花名册) into the store.

A placement is matched by person, start date and employer (compared as ``employer_key``
gives it), an enrolment by person and course, a course by name, provider and start
date. A row for a record in the store, or for one an earlier row of the file adds,
fills in what it lacks (返乡时间, 月收入 …; a certificate; a course's end date), every
field with overwrite; its changes are listed and audited, so a file leaves the same
records on its first import as on its second. Rows are matched before the period lock
is asked: only a row that adds or changes a record dated in a submitted period is
refused, and a refused row leaves nothing behind (the person it names, and a new
village, are added only for rows that are written).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select

from laborstation.codes import code_list, normalise_name
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
from laborstation.importing.places import township_key
from laborstation.importing.result import ADDED, UNCHANGED, UPDATED, Item
from laborstation.importing.rows import course_name
from laborstation.model import COUNTY, TOWNSHIP, Area, Course, Enrolment, Person, Placement
from laborstation.model.training import RESULT_COMPLETED, RESULT_NAMES, RESULT_NOT_COMPLETED
from laborstation.progress import Progress
from laborstation.regions import Destination, resolve_destination
from laborstation.services.locking import Locks

_GUESSED_TYPES = (("创业", "3"), ("引导", "1"), ("提升", "4"), ("岗位", "4"))
OTHER_MODE = "9"
# What a row brings to a placement already matched (same person, start and employer),
# with the labels its changes are listed under; filled in where empty (all with overwrite).
PLACEMENT_FIELDS = {"return_on": "返乡时间", "monthly_wage": "月收入", "industry": "行业",
                    "occupation": "工种/岗位", "channel": "输出机构", "insurances": "参保情况",
                    "destination": "务工地点", "organised": "输出方式", "contract": "劳动合同"}
_DESTINATION_COLUMNS = ("province", "city", "area_code", "region_class")  # from 务工地点
_PLACEMENT_LISTED = {**PLACEMENT_FIELDS, "region_class": "地域类别"}
ENROLMENT_FIELDS = {"result": "培训结果", "certificate_kind": "证书", "certificate_no": "证书编号"}
_CERTIFICATE_FIELDS = ("certificate_kind", "certificate_no")
COURSE_FIELDS = {"end_on": "培训班结业时间", "course_type": "培训类型", "mode": "培训方式",
                 "trade": "培训工种"}
_COURSE_WARNED = ("end_on", "course_type", "mode")  # a difference kept is told (not 工种)
_NAMES = {"organised": {True: "有组织", False: "自发"}, "contract": {True: "已签", False: "未签"},
          "result": RESULT_NAMES}
_CODED = {"course_type": "course_type", "mode": "course_mode", "region_class": "region_class"}
PLACEMENT, TRAINING = "转移就业记录", "培训记录"


def _plain(name: str) -> str:
    return "".join(name.split())


_BRACKET_MARKS = str.maketrans("", "", "()[]{}【】〔〕<>《》「」『』")
_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


@lru_cache(maxsize=65536)
def employer_key(name: str) -> str:
    """An employer as placements are matched by: no spaces of any width, NFKC, no
    brackets, no company suffix, so 昆山仁宝电子有限公司, 昆山仁宝电子 and 昆山 仁宝电子
    （有限公司） are one employer (the text stored is the first written)."""
    key = normalise_name(name).translate(_BRACKET_MARKS)
    for suffix in _COMPANY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def _shown(field_name: str, value) -> str:
    names = _NAMES.get(field_name)
    if names is not None and value in names:
        return names[value]
    if field_name in _CODED and value:
        return code_list(_CODED[field_name]).name_of(value) or str(value)
    return shown_value(field_name, value)


def _filled_in(env: Env, record: dict, old: dict, fields) -> dict:
    """field → (stored, new) for the ``fields`` the row fills in: those empty in the
    store (any that differ, with overwrite). A blank cell (None, '') changes nothing."""
    changes = {}
    for name in fields:
        new, current = record.get(name), old[name]
        if new is None or new == "" or new == current:
            continue
        if current is None or current == "" or env.overwrite:
            changes[name] = (current, new)
    return changes


def _stored(env: Env, table, columns: tuple[str, ...], number_of: dict[int, str],
            key_of: Callable[[dict], tuple | None]) -> dict[tuple, dict]:
    """The live records of the rows' registered persons (``number_of``: their ID numbers
    by id), by ``key_of`` of each."""
    stored: dict[tuple, dict] = {}
    wanted = [table.c[c] for c in columns]
    for part in chunks(list(number_of), 5000):
        for found in env.session.execute(select(*wanted).where(
                table.c.person_id.in_(part), table.c.deleted_at.is_(None))).mappings():
            record = dict(found)
            key = key_of(record)
            if key is not None:
                stored.setdefault(key, record)
    return stored


@dataclass
class _Batch:
    """What the rows do to one table: records to add (each with the row adding it) and
    changes to records stored or being added (each with the row bringing it); written
    for the rows still open at the end."""

    table: object
    kind: str  # the audit's table name
    added: list[tuple[Item, dict]] = field(default_factory=list)
    changed: list[tuple[Item, dict, dict]] = field(default_factory=list)

    def change(self, item: Item, old: dict, changes: dict, labels: dict) -> None:
        """The row changes ``old`` (a record in the store, or one the file adds: id None)."""
        item.outcome = UPDATED
        item.changes = [*(item.changes or []), *(
            f"{labels[f]}：{_shown(f, o)} → {_shown(f, n)}"
            for f, (o, n) in changes.items() if f in labels)]
        old.update({f: n for f, (o, n) in changes.items()})
        self.changed.append((item, old, changes))

    def write_changes(self, env: Env) -> list[tuple[Item, dict, dict]]:
        """Update the stored records (each once, with its final values) and audit the
        changes; those to records being added are returned, to audit once they have ids."""
        final: dict[int, tuple[dict, set]] = {}
        later = []
        for item, old, changes in self.changed:
            if not is_open(item):
                continue
            audited = {f: [o, n] for f, (o, n) in changes.items()}
            if old["id"] is None:
                later.append((item, old, audited))
                continue
            env.audit(self.kind, old["id"], item, audited)
            final.setdefault(old["id"], (old, set()))[1].update(changes)
        update_by_id(env.session, self.table, [
            {"_id": rid, **{f: old[f] for f in names}, "updated_at": env.now}
            for rid, (old, names) in final.items()])
        return later

    def write(self, env: Env, total: int, label: str) -> Generator[Progress, None, None]:
        later = self.write_changes(env)
        added = [(item, row) for item, row in self.added if is_open(item)]
        done = 0
        for part in chunks(added):
            items, rows = [i for i, _ in part], [r for _, r in part]
            ids = insert_returning_ids(env.session, self.table, rows)
            for item, row, new_id in zip(items, rows, ids, strict=True):
                item.outcome, row["id"] = ADDED, new_id
            env.audit_added(self.kind, ids, items)
            done += len(part)
            yield Progress(done, total, f"已写入 {done} 条{label}")
        _audit_later(env, self.kind, later)


def _audit_later(env: Env, kind: str, later: list[tuple[Item, dict, dict]]) -> None:
    for item, record, audited in later:
        if record["id"] is not None:
            env.audit(kind, record["id"], item, audited)


def _find_persons(env: Env, items: list[Item]) -> Generator[Progress, None, dict[int, str]]:
    """Set record['_pid'] and ['_village_id'] of a row naming someone in the register, and
    ['_lock_area'] of every row (whose returns lock its records); writes nothing (the
    others are added by ``_add_persons``). Returns the ID numbers by person id."""
    table = Person.__table__
    known: dict[str, tuple[int, int | None, str]] = {}
    for part in chunks(list({i.record["id_number"] for i in items}), 5000):
        rows = env.session.execute(
            select(table.c.id_number, table.c.id, table.c.village_id, table.c.name).where(
                table.c.id_number.in_(part), table.c.deleted_at.is_(None))
        ).all()
        known.update({n: (pid, vid, name) for n, pid, vid, name in rows})
    yield Progress(0, len(items), "查找人员…")
    units: dict[str, int] | None = None
    for item in items:
        record = item.record
        found = known.get(record["id_number"])
        if found is None:
            if units is None:
                units = _townships(env)
            record["_lock_area"] = units.get(township_key(record["_township"]),
                                             env.station.area_id)
            continue
        record["_pid"], record["_village_id"], registered = found
        record["_lock_area"] = record["_village_id"]
        if record["name"] and _plain(record["name"]) != _plain(registered):
            item.warn(f"姓名“{record['name']}”与台账中这个身份证号的姓名“{registered}”不同，"
                      f"已记在{registered}名下：请核对身份证号是否抄错")
    return {pid: number for number, (pid, _village, _name) in known.items()}


def _townships(env: Env) -> dict[str, int]:
    """A county unit's townships by ``township_key``: the records of someone not yet in
    the register are locked by their township's returns, known before any village is
    made. (A township unit: none; its own returns lock them.)"""
    if env.station.level != COUNTY:
        return {}
    found: dict[str, int] = {}
    for area_id, name in env.session.execute(select(Area.id, Area.name).where(
            Area.level == TOWNSHIP, Area.deleted_at.is_(None))).all():
        found.setdefault(township_key(name), area_id)
    return found


def _add_persons(env: Env, items: list[Item]) -> None:
    """Add the persons not in the register whose rows are still open, with the village
    (made when new) of their first row naming one, and set those rows' '_pid'; someone
    who cannot be added makes all their open rows errors."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        if "_pid" not in item.record:
            groups.setdefault(item.record["id_number"], []).append(item)
    firsts, takers = [], []
    for group in groups.values():
        open_rows = [i for i in group if is_open(i)] if len(group) > 1 else group
        if not open_rows or not is_open(open_rows[0]):
            continue
        first = next((i for i in group if i.record["_village"] and i.record["name"]), None)
        village = env.place(first)[0] if first is not None else None
        if village is None:
            reason = _not_added(first, open_rows[0])
            for item in open_rows:
                item.refuse(reason)
            continue
        record = first.record
        record["village_id"], record["_village_id"] = village, village
        record["search_text"] = fast_search_text(record["name"])
        firsts.append(first)
        takers.append(open_rows)
    # (a placement's notes are the placement's, not the person's)
    ids = insert_persons(env, [{**i.record, "notes": ""} if i.record.get("notes") else i.record
                               for i in firsts])
    env.audit_added("person", ids, firsts)
    for first, rows, pid in zip(firsts, takers, ids, strict=True):
        env.result.persons_added += 1
        for item in rows:
            item.record["_pid"], item.record["_village_id"] = pid, first.record["_village_id"]


def _not_added(first: Item | None, row: Item) -> str:
    if first is not None:  # its village could not be made
        return first.reason or "此人不在实名制台账中，本行的行政村无法新建"
    if not row.record["_village"]:
        return "此人不在实名制台账中，本行也没有行政村：请先导入实名制台账，或在本行填写行政村"
    return "此人不在实名制台账中，本行也没有姓名，无法新增"


def _locked(env: Env, locks: Locks, item: Item, day, what: str) -> bool:
    try:
        locks.check(day, area_id=item.record["_lock_area"], what=what)
    except PeriodLocked as error:
        item.refuse(str(error))
        return True
    return False


def _where(env: Env, item: Item) -> Destination:
    """The row's destination; a warning when 务工地点 names a place outside 务工省份/务工城市
    (those are kept: the place resolved is no closer than theirs)."""
    record = item.record
    home = env.home_code(record.get("_village_id"))
    where = resolve_destination(record["destination"], home_code=home)
    if record["_detail"]:
        columns = resolve_destination(record["_columns"], home_code=home)
        if ((where.area_code, where.province, where.region_class)
                == (columns.area_code, columns.province, columns.region_class)
                and resolve_destination(record["_detail"], home_code=home).region_class):
            item.warn(f"务工地点“{record['_detail']}”不在务工省份/城市“{record['_columns']}”"
                      f"之内，按“{record['_columns']}”记，请核对")
    return where


def _warn_no_region(item: Item, placement: dict) -> None:
    """The return needs every placement's region class: check V1 blocks the submission."""
    if placement["region_class"] is not None:
        return
    if placement["destination"]:
        item.warn(f"务工地点“{placement['destination']}”无法识别省市，只记原文；没有地域类别，"
                  "提交月报时校验 V1 会报错：请改正务工地点")
    else:
        item.warn("务工地点为空（务工省份、城市也没有填）：没有地域类别，提交月报时校验 V1 "
                  "会报错：请补填务工地点")


def _new_placement(env: Env, item: Item) -> dict:
    record = item.record
    where = _where(env, item)
    return {
        "id": None, "person_id": None, "start_on": record["start_on"],
        "return_on": record["return_on"], "province": where.province,
        "city": where.city[:40], "area_code": where.area_code,
        "destination": record["destination"], "region_class": where.region_class,
        "employer_id": None, "employer_name": record["employer_name"],
        "industry": record["industry"], "occupation": record["occupation"],
        "employment_form": None, "organised": bool(record["organised"]),
        "channel": record["channel"], "monthly_wage": record["monthly_wage"],
        "contract": bool(record["contract"]), "insurances": record["insurances"], "brand": "",
        "program": "", "notes": record["notes"], "created_at": env.now,
        "updated_at": env.now, "deleted_at": None,
    }


def _placement_changes(env: Env, item: Item, old: dict) -> dict:
    """What a row changes of a matched placement; a new 务工地点 brings its province,
    city and region class."""
    changes = _filled_in(env, item.record, old, PLACEMENT_FIELDS)
    if "destination" in changes:
        where = _where(env, item)
        for column in _DESTINATION_COLUMNS:
            value = getattr(where, column)
            value = value[:40] if column == "city" else value
            if value != old[column]:
                changes[column] = (old[column], value)
    return changes


def apply_placements(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    live = [i for i in items if is_open(i)]
    number_of = yield from _find_persons(env, live)
    locks = Locks.load(env.session)
    batch = _Batch(Placement.__table__, "placement")
    stored = _stored(
        env, batch.table, ("id", "person_id", "start_on", "employer_name", *PLACEMENT_FIELDS,
                           *_DESTINATION_COLUMNS), number_of,
        lambda p: (number_of[p["person_id"]], p["start_on"], employer_key(p["employer_name"])))
    for item in live:
        record = item.record
        key = (record["id_number"], record["start_on"], employer_key(record["employer_name"]))
        placement = stored.get(key)
        if placement is None:
            if _locked(env, locks, item, record["start_on"], PLACEMENT):
                continue
            stored[key] = placement = _new_placement(env, item)
            batch.added.append((item, placement))
        else:
            changes = _placement_changes(env, item, placement)
            if not changes:
                item.outcome = UNCHANGED
            elif _locked(env, locks, item, placement["start_on"], PLACEMENT) or (
                    "return_on" in changes and _locked(env, locks, item, record["return_on"],
                                                       PLACEMENT)):
                continue
            else:
                batch.change(item, placement, changes, _PLACEMENT_LISTED)
        _warn_no_region(item, placement)
    _add_persons(env, live)
    for item, placement in batch.added:
        if is_open(item):
            placement["person_id"] = item.record["_pid"]
    yield from batch.write(env, len(items), PLACEMENT)


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
            kept = _shown(name, current)
            item.warn(f"{COURSE_FIELDS[name]}“{_shown(name, new)}”与培训班“{course['name']}”"
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
        changes.update(_filled_in(env, record, old, _CERTIFICATE_FIELDS))
    else:
        for name, empty in zip(_CERTIFICATE_FIELDS, (None, ""), strict=True):
            if old[name] not in (None, ""):
                changes[name] = (old[name], empty)
    return changes


def _course_of(env: Env, locks: Locks, item: Item, courses: dict, batch: _Batch) -> dict | None:
    """The row's course: found (with the row's changes to it) or made; None when the
    period lock refuses the row."""
    record = item.record
    key = (record["_course"], record["_provider"], record["_start"])
    course = courses.get(key)
    if course is None:
        if _locked(env, locks, item, record["_end"], TRAINING):
            return None
        courses[key] = course = _new_course(item)
        return course
    changes = _course_changes(env, item, course)
    if changes:
        days = (course["end_on"], *changes.get("end_on", ())[1:])
        if any(_locked(env, locks, item, day, TRAINING) for day in days):
            return None
        batch.change(item, course, changes, COURSE_FIELDS)
        course["_defaulted"] = course["_defaulted"] - changes.keys()
    return course


def _write_courses(env: Env, batch: _Batch, live: list[Item]) -> None:
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
    _audit_later(env, "course", later)


def apply_trainings(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    live = [i for i in items if is_open(i)]
    number_of = yield from _find_persons(env, live)
    locks = Locks.load(env.session)
    courses, course_keys = _stored_courses(env)
    course_batch = _Batch(Course.__table__, "course")
    batch = _Batch(Enrolment.__table__, "enrolment")
    stored = _stored(env, batch.table, ("id", "person_id", "course_id", *ENROLMENT_FIELDS),
                     number_of, lambda e: (number_of[e["person_id"]], course_keys[e["course_id"]])
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
            if not _locked(env, locks, item, course["end_on"], TRAINING):
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
        elif not _locked(env, locks, item, course["end_on"], TRAINING):
            batch.change(item, enrolment, changes, ENROLMENT_FIELDS)
    _add_persons(env, live)
    _write_courses(env, course_batch, live)
    for item, enrolment in batch.added:
        if is_open(item):
            enrolment["person_id"] = item.record["_pid"]
            enrolment["course_id"] = item.record["_course_ref"]["id"]
    yield from batch.write(env, len(items), "参训记录")
