"""Trainings (培训花名册) into the store: courses and their enrolments.

A course is matched by name (as ``course_names.course_key`` gives it: no year or township before
it, 第一期 and （1期） alike) and provider (as ``course_names.course_name`` gives it: spaces and
the width of brackets do not count) and start date, or, for a row giving only
its 结业时间, as the one course of that name ending that day; it is made for the rows
still open at the end when new. An enrolment is matched by
person and course. A row for one in the store, or for one an earlier row of the file
adds, fills in what it lacks (a course's end date, type, mode and 工种; an enrolment's
result and certificate), as ``apply_records`` tells. A row without 培训机构 is the one
course of its name and start date, when there is one only; a row naming one fills it in on
the one course of its name and start stored without it (the course keeps its first key,
which its enrolments are matched by, and is found by the new one too). A course made beside others
of that name and start, and an enrolment a few days from the person's one in a course of
that name and provider (a date corrected), are told: 301 may count the trainees twice.
A course's 学时, 培训补贴 and notes: ``course_figures``.
"""

from __future__ import annotations

from collections.abc import Generator

from sqlalchemy import select

from laborstation.importing.apply import Env, is_open
from laborstation.importing.apply_records import (
    NEAR_DAYS,
    Batch,
    FileValues,
    add_persons,
    audit_later,
    file_row,
    filled_in,
    find_persons,
    locked,
    shown,
    stored_records,
    the_one,
)
from laborstation.importing.bulk_write import insert_returning_ids
from laborstation.importing.course_cells import Told
from laborstation.importing.course_figures import (
    COURSE_FIGURES,
    OTHER_MODE,
    figure_changes,
    given_by,
    guessed_type,
    keep_locked_figures,
    kept_message,
    made_with,
    maybe_default,
    new_course_figures,
    settle_subsidy,
    start_known,
    tell_defaults,
    tell_once,
    tell_row,
)
from laborstation.importing.course_names import course_key, course_name
from laborstation.importing.result import UNCHANGED, Item
from laborstation.model import Course, Enrolment
from laborstation.model.training import RESULT_COMPLETED, RESULT_NAMES, RESULT_NOT_COMPLETED
from laborstation.progress import Progress
from laborstation.services.locking import Locks

ENROLMENT_FIELDS = {"result": "培训结果", "certificate_kind": "证书", "certificate_no": "证书编号"}
_CERTIFICATE_FIELDS = {"certificate_kind": "证书", "certificate_no": "证书编号"}
COURSE_FIELDS = {"end_on": "培训班结业时间", "course_type": "培训类型", "mode": "培训方式",
                 "trade": "培训工种"}
_COURSE_LISTED = {**COURSE_FIELDS, **COURSE_FIGURES, "provider": "培训机构",
                  "notes": "培训班备注", "start_on": "开班时间"}
_COURSE_WARNED = ("end_on", "course_type", "mode")  # a difference kept is told (not 工种)
TRAINING = "培训记录"


class _Courses:
    """Courses, stored and made by the file, by '_key' (name as rows give it, provider,
    start date), by name and start date (``on_day``) and by name and provider; a course
    a row gives its provider or start day is found by the row's key too (``also``)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple, dict] = {}
        self.on_day: dict[tuple, list[dict]] = {}
        self._of_provider: dict[tuple, list[dict]] = {}
        self._made_by: dict[int, Item] = {}

    def add(self, course: dict, item: Item | None = None) -> None:
        key = course["_key"]
        if key not in self.by_key:
            self.also(key, course)
        if item is not None:
            self._made_by[id(course)] = item

    def also(self, key: tuple, course: dict) -> None:
        """``course`` found by ``key`` (name, provider, start) from now on."""
        name, provider, start = key
        self.by_key[key] = course
        for found, index in (((name, start), self.on_day), ((name, provider), self._of_provider)):
            known = index.setdefault(found, [])
            if not any(c is course for c in known):
                known.append(course)

    def ending(self, name: str, provider: str, end) -> dict | None:
        """The one course of this name ending on ``end`` (of this provider, or with none
        written on either side), for a row giving only its 结业时间."""
        found = {id(c): c for (n, p, _start), c in self.by_key.items() if n == name
                 and c["end_on"] == end and (p == provider or not p or not provider)}
        return the_one(list(found.values()))  # (a course found by two keys is one)

    def named(self, course: dict) -> str:
        """Where another course is: in the store, or the row of the file making it."""
        item = self._made_by.get(id(course))
        return "台账中已有" if item is None else f"本文件{file_row(item)}已建"

    def of_month(self, name: str, provider: str, start) -> dict | None:
        """The stored course a row giving a later day (``start``) of its month starts: the
        only one of this name and provider that month, stored on its 1st (as 2026.6 is),
        not ended before that day unless on its first (then its end moves with it). Not
        one on another day, or beside another (``_warn_near_course`` tells)."""
        found = the_one([c for c in self._of_provider.get((name, provider), ())
                         if (c["start_on"].year, c["start_on"].month) == (start.year, start.month)])
        if (start.day == 1 or found is None or found["id"] is None or found["start_on"].day != 1
                or found["start_on"] < found["end_on"] < start):
            return None
        return found


def _stored_courses(env: Env) -> tuple[_Courses, dict[int, tuple]]:
    """Live courses (a course stored with spaces in its name is found too) and each
    course's key by its id."""
    table = Course.__table__
    courses = _Courses()
    keys: dict[int, tuple] = {}
    for found in env.session.execute(
            select(table.c.id, table.c.name, table.c.provider, table.c.start_on,
                   table.c.end_on, table.c.course_type, table.c.mode, table.c.trade,
                   table.c.hours, table.c.subsidy, table.c.notes)
            .where(table.c.deleted_at.is_(None))).mappings():
        key = (course_key(course_name(found["name"])), course_name(found["provider"] or ""),
               found["start_on"])
        keys[found["id"]] = key
        courses.add({**found, "_defaulted": frozenset(), "_key": key})
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
            "course_type": course_type or guessed_type(record["_course"])[0],
            "mode": mode or OTHER_MODE, "trade": record["_trade"],
            **new_course_figures(item), "_defaulted": frozenset(defaulted),
            "_key": (course_key(record["_course"]), course_name(record["_provider"]),
                     record["_start"])}


def _course_changes(env: Env, item: Item, course: dict, loose: tuple[str, ...] = ()) -> dict:
    """What a row changes of its course (end date, type, mode, 工种): filled in where
    the course has none (or ``loose``), any with overwrite; a difference kept is told
    once a course, naming what was (and, of a stored course, that it may be a default)."""
    record = item.record
    given = {"end_on": record["_end_given"], "course_type": record["_course_type"],
             "mode": record["_course_mode"], "trade": record["_trade"]}
    changes = {}
    for name, new in given.items():
        current = course[name]
        if new is None or new == "" or new == current:
            continue
        if (current in (None, "") or name in course["_defaulted"] or name in loose
                or env.overwrite):
            changes[name] = (current, new)
        elif name in _COURSE_WARNED:
            hint = maybe_default(name, course) if course["id"] is not None else ""
            tell_once(item, course, Told(f"kept_{name}", kept_message(
                COURSE_FIELDS[name], shown(name, new), course, shown(name, current), hint)))
    changes.update(figure_changes(env, item, course))
    return changes


def _enrolment_changes(env: Env, item: Item, old: dict, values: FileValues) -> dict:
    """What a row changes of an enrolment: its result (未结业 → 结业 is how a course goes;
    another change only with overwrite) and its certificate, which only 结业 keeps.
    ``values``: the rows of the file that gave the values kept, named when told."""
    record = item.record
    earlier = values.row_of(old, "result")
    result, given = old["result"], record["_result_given"]
    changes = {}
    if given is not None and given != result:
        if env.overwrite or (result, given) == (RESULT_NOT_COMPLETED, RESULT_COMPLETED):
            changes["result"] = (result, given)
            result = given
        else:
            lost = "，本行的证书未记" if record["certificate_kind"] else ""
            where = "已记的" if earlier is None else f"本文件{file_row(earlier)}的"
            item.warn(f"培训结果“{RESULT_NAMES[given]}”与{where}“{RESULT_NAMES[result]}”不同，"
                      f"仍按“{RESULT_NAMES[result]}”记（覆盖导入可改正）{lost}")
    if result == RESULT_COMPLETED:
        changes.update(filled_in(env, record, old, _CERTIFICATE_FIELDS, item, values))
    else:
        for name, empty in zip(_CERTIFICATE_FIELDS, (None, ""), strict=True):
            if old[name] not in (None, ""):
                changes[name] = (old[name], empty)
    return changes


def _warn_other_providers(courses: _Courses, item: Item, others: list[dict]) -> None:
    """A course made beside others of its name and start date (another provider, or
    none written): if it is one of them, 301 counts its trainees twice."""
    record = item.record
    listed = "，".join(f"{courses.named(c)}一期（培训机构“{c['provider'] or '（空）'}”）"
                      for c in others)
    why = ("这一行没有写培训机构，无法确定是哪一期" if not record["_provider"]
           else f"这一行的培训机构“{record['_provider']}”与之不同")
    item.warn(f"培训班“{record['_course']}”{record['_start'].isoformat()} 开班的：{listed}；"
              f"{why}，已另建一期：如果是同一期，月报会把学员算两次（301），请在程序中删去多建"
              "的一期，并把花名册中的培训机构写成一致")


def _course_of(env: Env, locks: Locks, item: Item, courses: _Courses,
               batch: Batch) -> dict | None:
    """The row's course: found (with the row's changes to it) or made; None when the
    period lock refuses the row."""
    record = item.record
    name, provider, start = course_key(record["_course"]), record["_provider"], record["_start"]
    key = (name, course_name(provider), start)
    course = courses.by_key.get(key)
    named = None  # the 培训机构 the row gives a course stored without one
    if course is None and record["_start_given"] is None:  # only 结业时间: the one ending so
        course = courses.ending(name, key[1], record["_end"])
        if course is not None and provider and not course["provider"]:
            named = provider
    if course is None:
        course = the_one(courses.on_day.get((name, start), []))
        if course is not None and provider:
            if course["provider"]:
                course = None  # (another provider: another course, told below)
            else:
                named = provider
    refined = None  # the start of a stored course known by its month, its day given
    if course is None and record["_start_given"] is not None:
        course = courses.of_month(name, key[1], start)
        refined = None if course is None else course["start_on"]
    if course is None:
        if locked(env, locks, item, record["_end"], TRAINING):
            return None
        others = courses.on_day.get((name, start), [])
        if others:
            _warn_other_providers(courses, item, others)
        if record["_start_given"] is None:
            item.warn(f"没有开班时间：新建的培训班“{record['_course']}”按结业时间 {start.isoformat()} 记开班时间，"
                      "请核对后在程序中改正")
        course = _new_course(item)
        courses.add(course, item)
        return course
    moved = refined is not None and course["end_on"] < start  # (its end moves with it)
    changes = _course_changes(env, item, course, ("end_on",) if moved else ())
    if refined is not None:
        changes["start_on"] = (refined, start)
        if moved and "end_on" not in changes:
            changes["end_on"] = (course["end_on"], record["_end"])
    if named is not None:
        changes["provider"] = ("", named)
    keep_locked_figures(locks, item, course, changes, TRAINING)
    if course["id"] is None:  # made by the file: its notes and figures are of its making
        made_with(item, course, changes)
    if changes:
        days = (course["end_on"], *changes.get("end_on", ())[1:])
        if any(locked(env, locks, item, day, TRAINING) for day in days):
            return None
        batch.change(item, course, changes, _COURSE_LISTED)
        course["_defaulted"] = course["_defaulted"] - changes.keys()
        given_by(item, course, changes)
        if named is not None or refined is not None:
            courses.also(key, course)  # (its rows with 培训机构, or of its day, find it by that)
        if refined is not None:
            item.warn(start_known(course, refined, changes, record["_end_given"] is None))
            if moved and record["_end_given"] is None:
                course["_defaulted"] = course["_defaulted"] | {"end_on"}
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
             "hours": c["hours"], "subsidy": c["subsidy"], "notes": c["notes"],
             "created_at": env.now, "updated_at": env.now, "deleted_at": None}
            for c in made.values()]
    ids = insert_returning_ids(env.session, batch.table, rows)
    for course, course_id in zip(made.values(), ids, strict=True):
        course["id"] = course_id
        env.result.created_courses.append(f"{course['name']}（{course['start_on'].isoformat()}）")
    env.audit_others("course", ids)
    audit_later(env, "course", later)


def _warn_near_course(enrolled: dict[tuple, list], item: Item, course: dict) -> None:
    """A warning on a new enrolment of a person enrolled in a course of the same name and
    provider starting within ``NEAR_DAYS``: perhaps one course, its date corrected.
    ``enrolled``: (ID number, name, provider) → (start, row of the file or None)."""
    name_key, provider_key, start = course["_key"]
    name, provider = course["name"], course["provider"]
    mine = enrolled.setdefault((item.record["id_number"], name_key, provider_key), [])
    near = [(day, row) for day, row in mine if 0 < abs((day - start).days) <= NEAR_DAYS]
    mine.append((start, item))
    if near:
        listed = "、".join(f"{day.isoformat()} 开班一期的参训记录（"
                          + ("台账中已有" if row is None else f"本文件{file_row(row)}") + "）"
                          for day, row in near)
        item.warn(f"此人已有培训班“{name}”（培训机构“{provider or '（空）'}”）{listed}，"
                  f"与这一行的开班时间 {start.isoformat()} 相差不到 {NEAR_DAYS} 天：可能是同一期"
                  "培训改正了日期，已另记一条，月报会算两次（301）；如果是，请在程序中删去日期"
                  "错误的那一条参训记录")


def _refuse_future(env: Env, items: list[Item]) -> None:
    """A course starting or ending after the import's today is refused: a record dated in
    the future fails check V7, and a course's 结业时间 is needed (it counts when it ends)."""
    today = env.now.date()
    for item in items:
        if not is_open(item):
            continue
        record = item.record
        for when, label in ((record["_start"], "开班时间"), (record["_end"], "结业时间")):
            if when > today:
                item.refuse(f"{label} {when.isoformat()} 晚于今天（{today.isoformat()}），"
                            "不能登记未来的日期：培训班结业后再导入这一行")
                break


def apply_trainings(env: Env, items: list[Item]) -> Generator[Progress, None, None]:
    _refuse_future(env, items)
    live = [i for i in items if is_open(i)]
    number_of = yield from find_persons(env, live)
    live = [i for i in live if is_open(i)]  # (a name unlike the number's person: refused)
    locks = Locks.load(env.session)
    courses, course_keys = _stored_courses(env)
    course_batch = Batch(Course.__table__, "course")
    batch = Batch(Enrolment.__table__, "enrolment")
    stored = stored_records(
        env, batch.table, ("id", "person_id", "course_id", *ENROLMENT_FIELDS), number_of,
        lambda e: (number_of[e["person_id"]], course_keys[e["course_id"]])
        if e["course_id"] in course_keys else None)
    values, enrolled = FileValues(ENROLMENT_FIELDS, {"result": "_result_given"}), {}
    for number, (name, provider, start) in stored:
        enrolled.setdefault((number, name, provider), []).append((start, None))
    for item in live:
        record = item.record
        record["_course_ref"] = None
        course = _course_of(env, locks, item, courses, course_batch)
        if course is None:
            continue
        record["_course_ref"] = course
        tell_row(item, course)
        key = (record["id_number"], course["_key"])
        enrolment = stored.get(key)
        if enrolment is None:
            if not locked(env, locks, item, course["end_on"], TRAINING):
                stored[key] = enrolment = {
                    "id": None, "person_id": None, "course_id": None, "result": record["result"],
                    "certificate_kind": record["certificate_kind"],
                    "certificate_no": record["certificate_no"], "created_at": env.now,
                    "updated_at": env.now, "deleted_at": None}
                batch.added.append((item, enrolment))
                _warn_near_course(enrolled, item, course)
                values.compare(item, enrolment, {})
            continue
        changes = _enrolment_changes(env, item, enrolment, values)
        if changes and locked(env, locks, item, course["end_on"], TRAINING):
            continue
        values.compare(item, enrolment, changes, told=("result",))
        if changes:
            batch.change(item, enrolment, changes, ENROLMENT_FIELDS)
        elif not item.outcome:  # (a row changing only its course is 更新)
            item.outcome = UNCHANGED
    for course in {id(i.record["_course_ref"]): i.record["_course_ref"] for i in live
                   if i.record["_course_ref"] is not None}.values():
        settle_subsidy(env, locks, course, course_batch, _COURSE_LISTED, TRAINING)
    add_persons(env, live)
    tell_defaults(live)
    _write_courses(env, course_batch, live)
    for item, enrolment in batch.added:
        if is_open(item):
            enrolment["person_id"] = item.record["_pid"]
            enrolment["course_id"] = item.record["_course_ref"]["id"]
    yield from batch.write(env, len(items), "参训记录")
