"""Persons (实名制台账) into the register, with their households.

Persons are matched by ID number: new ones are added; existing ones are only
filled in where empty (every field with ``overwrite``), and the changes listed.
Households are matched by 户编号 within the village and group (many ledgers number the
households 1, 2, 3 … in every village, some in every group), else by the head's name in
the village/group.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from laborstation.importing import bulk_write, fast_sql
from laborstation.importing.apply import (
    Env,
    insert_persons,
    is_open,
    kept_warning,
    shown_value,
    village_shown,
)
from laborstation.importing.bulk_write import (
    Suspended,
    begin_bulk_write,
    check_foreign_keys,
    chunks,
    next_ids,
    sqlite_in_transaction,
    update_by_id,
)
from laborstation.importing.households import Households, set_heads
from laborstation.importing.known_persons import refuse_known
from laborstation.importing.letting_go import alongside
from laborstation.importing.missing_persons import missing_from
from laborstation.importing.names import fast_search_text
from laborstation.importing.person_names import names_alike, not_alike
from laborstation.importing.result import ADDED, ERROR, UNCHANGED, UPDATED, Item
from laborstation.model import Area, Household, Person
from laborstation.progress import Progress

# Fields an existing person may take from the file, with their Chinese labels.
UPDATABLE = {
    "name": "姓名", "nation": "民族", "education": "文化程度", "phone": "联系电话",
    "relation": "与户主关系", "labour_capacity": "劳动能力", "local_status": "就业状态",
    "skills": "技能特长", "training_wish": "培训意愿", "address": "家庭住址",
    "village_id": "行政村", "household_id": "户", "notes": "备注",
}
_FIELDS = tuple(UPDATABLE)
_HOUSEHOLD_AT = 1 + _FIELDS.index("household_id")  # in the rows of ``_existing`` (id first)
_VILLAGE = _FIELDS.index("village_id")  # in a person's stored values (``_changes``)
_NAME_AT = 1 + _FIELDS.index("name")  # in the rows of ``_existing``


def _refuse_unlike(items: list[Item], existing: dict[str, tuple]) -> bool:
    """Refuse the rows whose name is not like that of the person registered under their
    ID number (``person_names.names_alike``); True when there were any."""
    refused = False
    for item in items:
        record = item.record
        found = existing.get(record["id_number"])
        if found is not None and not names_alike(record["name"], found[_NAME_AT]):
            item.refuse(not_alike(record["id_number"], record["name"], found[_NAME_AT]))
            refused = True
    return refused


def _changes(record: dict, old: tuple, overwrite: bool, item: Item,
             shown: Callable[[str, object], str] = shown_value) -> dict:
    changes = {}
    kept = []
    for index, field in enumerate(_FIELDS):
        new = record.get(field)
        if new is None or new == "":
            continue
        current = old[index]
        if current == new:
            continue
        if field == "notes" and current:  # notes are added to, never replaced
            if new not in current:
                changes[field] = (current, f"{current}；{new}")
            continue
        if current is None or current == "" or overwrite:
            changes[field] = (current, new)
        elif field != "household_id":  # (another household is told: ``keeping``)
            kept.append(field)
    if "household_id" in changes and "village_id" not in changes:
        # The village follows the household (one in no household yet takes the row's).
        village = record.get("village_id")
        if village is not None and village != old[_VILLAGE]:
            changes["village_id"] = (old[_VILLAGE], village)
            kept = [field for field in kept if field != "village_id"]
    if ("village_id" in changes and "household_id" not in changes
            and old[_FIELDS.index("household_id")] is not None):
        # A person in a household lives in the household's village (as services.persons
        # keeps it): a row moving the person alone would split them.
        was, now = changes.pop("village_id")
        item.warn(f"行政村“{shown('village_id', now)}”未改：此人所在户在“{shown('village_id', was)}”，"
                  "有所属户的人员随户所在的村；如已迁出，请在表中写明新的户（户编号或户主）后再导入，"
                  "或在程序中办理")
    if kept:
        item.warn(kept_warning("台账中", [
            (UPDATABLE[f], shown(f, old[_FIELDS.index(f)]), shown(f, record[f])) for f in kept]))
    return changes


class PersonsWriter:
    """Writes a persons ledger part by part, as its rows are checked (``run_import``).

    State carried from part to part: the ID numbers seen (a second row with the same
    number is refused), the households found or made, the rows to make heads of.
    """

    def __init__(self, env: Env):
        self.env = env
        self.seen: dict[str, Item] = {}
        self.villages: set[int] = set()  # of the rows, on a register not empty before
        self.others: set[str] = set()  # ID numbers of rows refused before ``seen`` took them
        self.households: Households | None = None
        self.persons = Suspended(env.session, "person")
        self.kept: list[Item] = []  # rows that name a person of the register now
        self.done = 0
        self.last_before: int | None = None  # the highest person id before the import
        self.keys_off: bool | None = None  # foreign keys checked at the end, not each row

    def add(self, items: list[Item], total: int | None) -> Generator[Progress, None, None]:
        env, seen, place = self.env, self.seen, self.env.place
        if self.keys_off is None:  # (first part: the import has not written yet)
            big = total is None or total >= bulk_write.SUSPEND_INDEXES_FROM  # None: being read
            self.keys_off = big and env.fast and begin_bulk_write(env.session)
        live: list[Item] = []
        doubles: list[tuple[Item, Item]] = []  # (a row, the earlier one with its number)
        for item in items:
            if item.outcome == ERROR:
                continue
            record = item.record
            number = record["id_number"]
            first = seen.get(number)
            if first is not None and first.outcome != ERROR:  # (a row refused is no first)
                if _same_person_row(record, first.record):  # (a row copied twice)
                    item.outcome = UNCHANGED
                    item.warn(f"与「{first.sheet}」第 {first.row} 行完全相同，只导入了一次")
                    continue
                item.refuse(f"身份证号与「{first.sheet}」第 {first.row} 行重复：同一个人只能有一行，"
                            "请核对身份证号，或删去重复的一行后再导入")
                doubles.append((item, first))
                continue
            seen[number] = item
            village, group = place(item)
            if item.outcome == ERROR:
                continue
            record["village_id"], record["_group_id"] = village, group
            live.append(item)
        existing = self._existing([i.record["id_number"] for i in live])
        if existing and _refuse_unlike(live, existing):
            live = [i for i in live if i.outcome != ERROR]
        if self.last_before:  # (who of the register the file leaves out: ``finish``)
            self.villages.update(i.record["village_id"] for i in live)
            self.others.update(i.record["id_number"] for i in items
                               if i.outcome == ERROR and i.record)
        # (Into a new register, every row is new: the passes for those there are skipped.)
        fresh = [i for i in live if i.record["id_number"] not in existing] if existing else live
        unplaced = [i for i in fresh if i.record["village_id"] is None]
        for item in unplaced:
            item.refuse("新增人员缺少行政村：请在“行政村”列填写村名（表中没有这一列的，加上这一列）")
        if fresh and self.last_before:  # (none to find in a new register)
            known = refuse_known(env, [i for i in fresh if i.outcome != ERROR], self.last_before)
            self.others.update(i.record["_known_as"] for i in known if "_known_as" in i.record)
        if self.households is None:
            self.households = Households(env)
        fresh_ids = None
        if self.keys_off:  # each person's id before the households naming their heads
            fresh_ids = next_ids(env.session, Person.__table__, len(fresh))
            for item, pid in zip(fresh, fresh_ids, strict=True):
                item.record["_id"] = pid
            for item in live if existing else ():
                if item.record["id_number"] in existing:
                    item.record["_id"] = existing[item.record["id_number"]][0]
        self.households.link(self._moving(live, existing), heads=self.keys_off, part=live)
        if any(i.outcome == ERROR for i in live):  # (no 行政村, known, a 户编号 of several
            live = [i for i in live if i.outcome != ERROR]  # groups and no group: ``link``)
            fresh = [i for i in fresh if i.outcome != ERROR]
            if fresh_ids is not None:
                fresh_ids = [i.record["_id"] for i in fresh]
        self.persons.adding(len(fresh))
        for start in range(0, len(fresh), 20000):
            part = fresh[start:start + 20000]
            records = [i.record for i in part]
            given = fresh_ids[start:start + 20000] if fresh_ids is not None else None
            ids = insert_persons(env, records, given)
            for item in part:
                item.outcome = ADDED
            if given is None:  # (else each record has its ``_id`` already)
                for record, pid in zip(records, ids, strict=True):
                    record["_id"] = pid
            env.audit_added("person", ids, part)
            self.done += len(part)
            yield Progress(self.done, total, f"已处理 {self.done} 人")
        if existing:
            moves = _update_existing(env, [i for i in live if i.record["id_number"] in existing
                                           and is_open(i)], existing)
            self.households.changes.leaving(moves)
        self.households.changes.write()
        self.kept += [i for i in live if i.outcome in (ADDED, UPDATED, UNCHANGED)] if existing \
            else live
        # Rows refused as doubles of a row then refused itself (no 行政村, …): taken after all.
        if again := [item for item, first in doubles if first.outcome == ERROR]:
            for item in again:
                item.outcome, item.reason = "", ""
            yield from self.add(again, total)

    def _moving(self, live: list[Item], existing: dict[str, tuple]) -> list[Item]:
        """The rows whose household the import may set: a new person's, or one in no
        household yet, or any with overwrite. (A household named only by persons who keep
        theirs would be made empty.) The others' are compared with their own
        (``Households.keeping``)."""
        if not existing:
            return live
        overwrite, moving = self.env.overwrite, []
        for item in live:
            found = existing.get(item.record["id_number"])
            if found is None or found[_HOUSEHOLD_AT] is None:
                moving.append(item)
            elif overwrite:
                item.record["_stored_hh"] = found[_HOUSEHOLD_AT]
                moving.append(item)
            else:
                self.households.keeping(item, found[_HOUSEHOLD_AT])
        return moving

    def _existing(self, numbers: list[str]) -> dict[str, tuple]:
        """Persons of the register (before this import) with these ID numbers.

        Only those: a number is looked up once per import (a second row with it is
        refused first), so it cannot name a person this import added.
        """
        session = self.env.session
        if self.last_before is None:  # (inside the import's write transaction)
            if self.env.fast:  # (so no one adds meanwhile)
                connection, _raw = sqlite_in_transaction(session)
                self.last_before = connection.exec_driver_sql(
                    "SELECT coalesce(max(id), 0) FROM person").scalar_one()
            else:  # (those another clerk adds meanwhile have higher ids: not looked at)
                self.last_before = session.scalar(select(func.coalesce(func.max(Person.id), 0)))
        if self.env.fast:
            if not self.last_before:
                return {}
            return {row[0]: tuple(row[1:]) for row in fast_sql.live_rows_by(
                session, "person", "id_number", numbers, ("id", *_FIELDS), self.last_before)}
        existing = {}
        for part in chunks(numbers, 20000):
            existing.update(_existing(session, part))
        return existing

    def finish(self, meanwhile: Callable[[], None] | None = None
               ) -> Generator[Progress, None, None]:
        """Heads of the households made, then the indexes (an update is cheaper without).

        ``meanwhile``: work needing neither the database nor the rows' records, done in
        a thread while SQLite rebuilds the indexes (see ``letting_go``).
        """
        done = self.done
        yield Progress(done, done, "设置户主…")
        if self.households is not None:
            set_heads(self.env, self.kept, self.households.headless)
            self.households.tell()
        if self.last_before and self.env.places.new_areas:  # (a first import uses all)
            made = [area for area, _values in self.env.places.new_areas]
            self.env.drop_unused_areas(_areas_used(self.env.session, made))
        if villages := self.villages - {None}:
            self.env.result.missing, self.env.result.missing_names = missing_from(
                self.env, villages, self.seen.keys() | self.others, self.last_before)
        self.kept, self.seen = [], {}  # (the items are the caller's from here on)
        if self.persons.statements or (self.households and self.households.suspended.statements):
            yield Progress(done, done, "重建索引…")
            with alongside(meanwhile):
                self.persons.restore()
                if self.households:
                    self.households.suspended.restore()
        if self.keys_off:
            check_foreign_keys(self.env.session, ("area", "household", "person"))
        yield Progress(done, done, "写入审计记录…")


def _same_person_row(record: dict, first: dict) -> bool:
    """Whether a row says all an earlier row of its ID number says (its 序号 aside): the
    same row twice, not a second person under a mistyped number. (``first`` holds more:
    what the import added to it since.)"""
    return all(first.get(key) == value for key, value in record.items())


def _existing(session: Session, numbers: list[str]) -> dict[str, tuple]:
    table = Person.__table__
    rows = session.execute(
        select(table.c.id_number, table.c.id, *(table.c[f] for f in _FIELDS)).where(
            table.c.id_number.in_(numbers), table.c.deleted_at.is_(None)
        )
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _areas_used(session: Session, areas: list[int]) -> set[int]:
    """The ``areas`` a live person or household is in."""
    person, household, used = Person.__table__, Household.__table__, set()
    for part in chunks(areas, 500):
        used.update(session.scalars(select(person.c.village_id).where(
            person.c.village_id.in_(part), person.c.deleted_at.is_(None)).distinct()))
        for village, group in session.execute(select(household.c.village_id, household.c.group_id)
                                              .where(household.c.deleted_at.is_(None))
                                              .where(household.c.village_id.in_(part)
                                                     | household.c.group_id.in_(part))):
            used.update((village, group))
    return used


def _shown_values(session: Session) -> Callable[[str, object], str]:
    """How a changed value is listed for the clerk: the name of a code, of a village, a
    household by its number and group (or its head), not the code or id stored."""
    places: dict[int, str] = {}
    households: dict[int, str] = {}  # every household as shown, read once when needed

    def shown(field: str, value) -> str:
        if value is None:
            return shown_value(field, value)
        if field == "village_id":
            if value not in places:
                places[value] = village_shown(session, value)
            return places[value]
        if field == "household_id":
            if not households:
                households.update(_households_shown(session))
            return households.get(value, "另一户（无户编号）")
        return shown_value(field, value)

    return shown


def _households_shown(session: Session) -> dict[int, str]:
    group, head = aliased(Area), aliased(Person)
    rows = session.execute(
        select(Household.id, Household.number, group.name, head.name)
        .outerjoin(group, group.id == Household.group_id)
        .outerjoin(head, head.id == Household.head_id))
    return {hid: (f"户编号 {number}" + (f"（{group_name}）" if group_name else "") if number
                  else f"{head_name}户（无户编号）" if head_name else "另一户（无户编号）")
            for hid, number, group_name, head_name in rows}


def _update_existing(env: Env, items: list[Item], existing: dict[str, tuple]
                     ) -> list[tuple[Item, int]]:
    """The rows' changes written; returns the rows moving their person out of a stored
    household, with it."""
    shown = _shown_values(env.session)
    updates: list[dict] = []
    moves = []
    for item in items:
        old = existing[item.record["id_number"]]
        pid = old[0]
        item.record["_id"] = pid
        changes = _changes(item.record, old[1:], env.overwrite, item, shown)
        if not changes:
            item.outcome = UNCHANGED
            continue
        item.outcome = UPDATED
        item.changes = [f"{UPDATABLE[f]}：{shown(f, o)} → {shown(f, n)}"
                        for f, (o, n) in changes.items()]
        row = {f: n for f, (o, n) in changes.items()}
        if "name" in row:
            row["search_text"] = fast_search_text(row["name"])
        row["updated_at"] = env.now
        env.audit("person", pid, item, {f: [o, n] for f, (o, n) in changes.items()})
        row["_id"] = pid
        updates.append(row)
        if "household_id" in changes and changes["household_id"][0] is not None:
            moves.append((item, changes["household_id"][0]))
    update_by_id(env.session, Person.__table__, updates)
    return moves
