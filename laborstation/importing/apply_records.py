"""What the rosters (转移就业花名册, 培训花名册) share when they are written.

The persons a roster names are found by ID number (``find_persons``); someone not in
the register is added, with the village their rows name, only for rows still open at
the end (``add_persons``). What the rows do to one table is held in a ``Batch`` and
written at the end: a row for a record in the store, or for one an earlier row of the
file adds, fills in what it lacks (``filled_in``), every field with overwrite; its
changes are listed and audited, so a file leaves the same records on its first import
as on its second. Rows are matched before the period lock is asked (``locked``): only
a row that adds or changes a record dated in a submitted period is refused, and a
refused row leaves nothing behind (the person it names, and a new village, are added
only for rows that are written). The kinds: ``apply_placements``, ``apply_trainings``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field

from sqlalchemy import func, select

from laborstation.codes import code_list
from laborstation.errors import PeriodLocked
from laborstation.importing.apply import Env, insert_persons, is_open, kept_warning, shown_value
from laborstation.importing.bulk_write import chunks, insert_returning_ids, update_by_id
from laborstation.importing.known_persons import refuse_known
from laborstation.importing.names import fast_search_text
from laborstation.importing.person_names import names_alike, not_alike, other_name
from laborstation.importing.places import township_key, village_key
from laborstation.importing.result import ADDED, ERROR, UPDATED, Item
from laborstation.model import COUNTY, Person
from laborstation.model.training import RESULT_NAMES
from laborstation.progress import Progress
from laborstation.services.locking import Locks

# How a changed value of a roster's record is listed: by its name, or a code's name.
_NAMES = {"organised": {True: "有组织", False: "自发"}, "contract": {True: "已签", False: "未签"},
          "result": RESULT_NAMES}
_CODED = {"course_type": "course_type", "mode": "course_mode", "region_class": "region_class"}


def _plain(name: str) -> str:
    return "".join(name.split())


def shown(field_name: str, value) -> str:
    """A value as a change to it is listed: 有组织, a code's name, （空） …"""
    names = _NAMES.get(field_name)
    if names is not None and value in names:
        return names[value]
    if field_name in _CODED and value:
        return code_list(_CODED[field_name]).name_of(value) or str(value)
    return shown_value(field_name, value)


def filled_in(env: Env, record: dict, old: dict, fields: dict[str, str],
              item: Item | None = None, file_values: FileValues | None = None) -> dict:
    """field → (stored, new) for the ``fields`` (name → label) the row fills in: those
    empty in the store (any that differ, with overwrite). A blank cell (None, '')
    changes nothing. A stored value that differs is kept, and ``item`` told, as for
    persons; not one an earlier row of the file gives too (or added, or filled in):
    ``file_values`` tells that, naming the row, and one warning says it."""
    changes, kept = {}, []
    for name in fields:
        new, current = record.get(name), old[name]
        if new is None or new == "" or new == current:
            continue
        if current is None or current == "" or env.overwrite:
            changes[name] = (current, new)
        elif file_values is None or file_values.row_of(old, name) is None:
            kept.append((fields[name], shown(name, current), shown(name, new)))
    if kept and item is not None and old.get("id") is not None:
        item.warn(kept_warning("已记", kept))
    return changes


def file_row(item: Item) -> str:
    """A row as a message names it: “三月”表第 4 行."""
    return f"“{item.sheet}”表第 {item.row} 行"


def the_one(records: list[dict]) -> dict | None:
    """The record when there is exactly one (a row leaving its employer or provider blank
    is that one's); None when there are none or several."""
    return records[0] if len(records) == 1 else None


# Two records of one person this many days apart may be one, its date corrected.
NEAR_DAYS = 31


class FileValues:
    """Which row of the file gave a record (stored or added) the value it has of each
    field: a later row giving another value is told, naming that row, whichever value
    the rules of ``filled_in`` keep (the first; the later with overwrite). Two rows of
    one roster disagreeing would otherwise leave the later 无变化 without a word.

    ``labels``: the fields compared, by their labels; ``given``: the key of a row's
    record holding the value it gives of a field, when not the field's name. Records are
    known by id(); a row is the source of a value by being the first row that touched
    the record (its record still holds what it gave), else by an entry of its own, so
    that a roster of 250,000 rows keeps one entry a record."""

    def __init__(self, labels: dict[str, str], given: dict[str, str] | None = None) -> None:
        self.labels, self._given = labels, given or {}
        self._first: dict[int, Item] = {}
        self._rows: dict[tuple[int, str], Item] = {}

    def _gives(self, item: Item, name: str):
        return item.record.get(self._given.get(name, name))

    def row_of(self, record: dict, name: str) -> Item | None:
        """The row of the file that gave ``record`` its value of ``name``; None when the
        value is the store's (or empty)."""
        row = self._rows.get((id(record), name))
        if row is None:
            first = self._first.get(id(record))
            if first is not None and self._gives(first, name) == record[name]:
                row = first
        return row

    def compare(self, item: Item, record: dict, changes: dict,
                told: tuple[str, ...] = ()) -> None:
        """Before ``changes`` are made to ``record``: warn ``item`` of each value it gives
        (a blank one gives none) that differs from the one an earlier row gave, and
        remember it for the values the record keeps (the first row to come to a record,
        adding it or not, is remembered for them all). ``told``: fields whose difference,
        when kept, the caller tells itself."""
        if self._first.setdefault(id(record), item) is item:
            return
        for name, label in self.labels.items():
            new = self._gives(item, name)
            if new is None or new == "":
                continue
            current = record[name]
            earlier = self.row_of(record, name)
            if new == current:
                if earlier is None:
                    self._rows[id(record), name] = item
                continue
            if name in changes:
                self._rows[id(record), name] = item
            elif name in told:
                continue
            if earlier is None or current is None or current == "":
                continue  # (the value is the store's, or none: not two rows disagreeing)
            was, now = shown(name, current), shown(name, new)
            kept = (f"已按本行的“{now}”记：请核对哪一个对" if name in changes
                    else f"仍按“{was}”记：请核对哪一个对，如应按本行，请在程序中修改这条记录")
            item.warn(f"{label}“{now}”与本文件{file_row(earlier)}的“{was}”不同（同一条记录），"
                      + kept)


def stored_records(env: Env, table, columns: tuple[str, ...], number_of: dict[int, str],
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
class Batch:
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
            f"{labels[f]}：{shown(f, o)} → {shown(f, n)}"
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
            yield Progress(done, total, f"已处理 {done} 条{label}")
        audit_later(env, self.kind, later)


def audit_later(env: Env, kind: str, later: list[tuple[Item, dict, dict]]) -> None:
    """Audit the changes ``Batch.write_changes`` left to records that have ids now."""
    for item, record, audited in later:
        if record["id"] is not None:
            env.audit(kind, record["id"], item, audited)


def find_persons(env: Env, items: list[Item]) -> Generator[Progress, None, dict[int, str]]:
    """Set record['_pid'] and ['_village_id'] of a row naming someone in the register, and
    ['_lock_area'] of every row (whose returns lock its records); writes nothing (the
    others are added by ``add_persons``). Returns the ID numbers by person id."""
    table = Person.__table__
    known: dict[str, tuple[int, int | None, str]] = {}
    for part in chunks(list({i.record["id_number"] for i in items}), 5000):
        rows = env.session.execute(
            select(table.c.id_number, table.c.id, table.c.village_id, table.c.name).where(
                table.c.id_number.in_(part), table.c.deleted_at.is_(None))
        ).all()
        known.update({n: (pid, vid, name) for n, pid, vid, name in rows})
    yield Progress(0, len(items), "查找人员…")
    county = env.station.level == COUNTY
    lock_areas: dict[str, int] = {}  # 乡镇 as written → the lock area of its rows
    for item in items:
        record = item.record
        found = known.get(record["id_number"])
        if found is None:
            township = record["_township"]
            area = lock_areas.get(township)
            if area is None:  # (a township unit: its own returns lock them)
                found = env.places.known_township(township) if county else None
                area = lock_areas[township] = env.station.area_id if found is None else found
            record["_lock_area"] = area
            continue
        if not names_alike(record["name"], found[2]):
            item.refuse(not_alike(record["id_number"], record["name"], found[2]))
            continue
        record["_pid"], record["_village_id"], registered = found
        record["_lock_area"] = record["_village_id"]
        if record["name"] and _plain(record["name"]) != _plain(registered):
            item.warn(other_name(record["name"], registered, "台账中"))
        if record["_village"] and record["_village_id"] is not None:
            _warn_other_place(item, env.places.village_and_township(record["_village_id"]),
                              env.places.counties)
    return {pid: number for number, (pid, _village, _name) in known.items()}


def _warn_other_place(item: Item, registered: tuple[str, str] | None,
                      counties: tuple[str, ...]) -> None:
    """A warning when the row places its person in another village (or township) than
    the register does: the record goes to the person of the register, whose village is
    not changed by a roster."""
    if registered is None:
        return
    record = item.record
    village, township = registered
    other_village = village_key(record["_village"]) != village_key(village)
    other_township = bool(record["_township"]) and (
        township_key(record["_township"], counties) != township_key(township, counties))
    if other_village or other_township:
        written = (record["_township"] if other_township else "") + record["_village"]
        shown = (township if other_township else "") + village
        item.warn(f"这一行写的是{written}，台账中此人在{shown}：已记在台账中的这个人名下，"
                  "台账的行政村没有改动（如此人已迁居，请在台账中修改）")


def add_persons(env: Env, items: list[Item]) -> None:
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
        for item in open_rows:  # (as for a person of the register: a number miscopied?)
            if item.record["name"] and _plain(item.record["name"]) != _plain(record["name"]):
                item.warn(other_name(item.record["name"], record["name"], file_row(first)))
        firsts.append(first)
        takers.append(open_rows)
    before = env.session.scalar(select(func.coalesce(func.max(Person.id), 0)))  # (none added)
    if refuse_known(env, firsts, before):  # (in the recycle bin, or a number corrected)
        for first, rows in zip(firsts, takers, strict=True):
            for item in rows if first.outcome == ERROR else ():
                item.refuse(first.reason)
        kept = [(f, rows) for f, rows in zip(firsts, takers, strict=True) if f.outcome != ERROR]
        firsts, takers = [f for f, _rows in kept], [rows for _f, rows in kept]
    ids = insert_persons(env, [i.record for i in firsts])
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


def locked(env: Env, locks: Locks, item: Item, day, what: str) -> bool:
    """True, with the row refused, when the returns submitted for the row's area lock a
    record of ``day``."""
    try:
        locks.check(day, area_id=item.record["_lock_area"], what=what)
    except PeriodLocked as error:
        item.refuse(str(error))
        return True
    return False
