"""Persons (实名制台账) into the register, with their households.

Persons are matched by ID number: new ones are added; existing ones are only
filled in where empty (every field with ``overwrite``), and the changes listed.
Households are matched by 户编号 within the village and group (many ledgers number the
households 1, 2, 3 … in every village, some in every group), else by the head's name in
the village/group.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from laborstation.codes import code_list
from laborstation.importing import bulk_write, fast_sql
from laborstation.importing.apply import Env, insert_persons, is_open, shown_value
from laborstation.importing.bulk_write import (
    begin_bulk_write,
    check_foreign_keys,
    chunks,
    insert_returning_ids,
    next_ids,
    restore_indexes,
    sqlite_in_transaction,
    suspend_indexes,
    update_by_id,
)
from laborstation.importing.letting_go import alongside
from laborstation.importing.names import fast_search_text
from laborstation.importing.result import ADDED, ERROR, UNCHANGED, UPDATED, Item
from laborstation.model import Area, Household, Person
from laborstation.progress import Progress

HEAD = "02"  # relation code of the head of household
# Fields an existing person may take from the file, with their Chinese labels.
UPDATABLE = {
    "name": "姓名", "nation": "民族", "education": "文化程度", "phone": "联系电话",
    "relation": "与户主关系", "labour_capacity": "劳动能力", "local_status": "就业状态",
    "skills": "技能特长", "training_wish": "培训意愿", "address": "家庭住址",
    "village_id": "行政村", "household_id": "户", "notes": "备注",
}
_FIELDS = tuple(UPDATABLE)
_HOUSEHOLD_AT = 1 + _FIELDS.index("household_id")  # in the rows of ``_existing`` (id first)


def _households(session: Session) -> tuple[dict, dict, set, dict, dict]:
    rows = session.execute(
        select(Household.id, Household.number, Household.village_id, Household.group_id,
               Household.head_id, Person.name, Household.category)
        .outerjoin(Person, Person.id == Household.head_id)
        .where(Household.deleted_at.is_(None))
    ).all()
    by_number, by_head, headless, head_names = {}, {}, set(), {}
    categories = {}
    for hid, number, village, group, head_id, head_name, category in rows:
        categories[hid] = category
        if number:
            by_number.setdefault((village, _number_key(number)), {}).setdefault(group, hid)
        if head_name:
            by_head.setdefault((village, group, head_name), hid)
            head_names[hid] = head_name
        if head_id is None:
            headless.add(hid)
    return by_number, by_head, headless, head_names, categories


def _number_key(number: str) -> str:
    """A 户编号 as households are matched by: 001 and 1 are one household (Excel drops
    the zeros of a number cell, and of every cell of a CSV it saves)."""
    if number[:1] == "0" and number.isdigit():
        return number.lstrip("0") or "0"
    return number


def _numbered(groups: dict | None, group: int | None):
    """The household with a row's 户编号 in its village (``groups``: group → household):
    the one in the row's 村民小组 (ledgers number households 1, 2, 3 … in every village,
    some in every group); or the only one, when the row or it has no group."""
    if not groups:
        return None
    found = groups.get(group)
    if found is None and len(groups) == 1:
        (only_group, only), = groups.items()
        if group is None or only_group is None:
            return only
    return found


class _Households:
    """Households of the register and those the import made so far, found by 户编号 or head."""

    def __init__(self, env: Env):
        self.env = env
        (self.by_number, self.by_head, self.headless, self.head_names,
         self.categories) = _households(env.session)
        # stored household → (row, its 户类别 wanted): written with overwrite, else told
        self.recategorised: dict[int, tuple[Item, str]] = {}
        self.suspended = _Suspended(env.session, "household")

    def link(self, items: list[Item], heads: bool = False) -> None:
        """Set record['household_id'] for every row naming a household; new ones inserted.

        A household is named by its 户编号 in the row's village and group (``_numbered``),
        else by its head (户主姓名, or the row's own name when it is the 户主) in the row's
        village and group. With ``heads`` (each
        record's ``_id`` known, foreign keys off), a new household is written with its
        head when that is among ``items``; else ``_set_heads`` sets it at the end.
        """
        env, by_number, by_head = self.env, self.by_number, self.by_head
        new: dict[tuple, dict] = {}  # key → the household row to insert
        members: dict[tuple, list[dict]] = {}  # key → the records of its members
        numbered: dict[tuple, dict] = {}  # (village, 户编号) → {group: key} of those new
        for item in items:
            record = item.record
            village = record["village_id"]
            if village is None:
                continue
            group = record["_group_id"]
            number = record["_hh_no"]
            if number:
                if number[:1] == "0":  # (the test of _number_key, inline: most do not)
                    number = _number_key(number)
                found = _numbered(by_number.get((village, number)), group)
                key = None
                if found is None:  # (a member whose 小组 cell is blank joins it too)
                    key = _numbered(numbered.get((village, number)), group) or (
                        "n", village, group, number)
                    numbered.setdefault((village, number), {}).setdefault(key[2], key)
                if record["_hh_head"] or record.get("relation") == HEAD:
                    self._check_head(item, found if found is not None else key)
            else:
                head = record["_hh_head"] or (
                    record["name"] if record.get("relation") == HEAD else "")
                if not head:
                    continue
                found = by_head.get((village, group, head))
                key = ("h", village, group, head) if found is None else None
            if found is not None:
                record["household_id"] = found
                if record.get("_hh_category") and found in self.categories:
                    self.check_category(item, found)
                continue
            named = members.get(key)
            if named is not None:
                named.append(record)
            else:
                members[key] = [record]
                new[key] = {
                    "number": record["_hh_no"] or None, "village_id": village,
                    "group_id": group, "address": record.get("address", ""),
                    "phone": "", "category": record.get("_hh_category") or "0", "head_id": None,
                    "notes": "", "created_at": env.now, "updated_at": env.now, "deleted_at": None,
                }
            if heads and new[key]["head_id"] is None and _is_head(record, key):
                new[key]["head_id"] = record["_id"]
        keys = list(new)
        self.suspended.adding(len(keys))
        ids = insert_returning_ids(env.session, Household.__table__, [new[k] for k in keys])
        for key, hid in zip(keys, ids, strict=True):
            if key in self.head_names:
                self.head_names[hid] = self.head_names.pop(key)
            if key[0] == "n":  # later parts of the file find them too
                by_number.setdefault((key[1], key[3]), {})[key[2]] = hid
            else:
                by_head[key[1:]] = hid
            headless = new[key]["head_id"] is None  # its head is set at the end (_set_heads)
            if headless:
                self.headless.add(hid)
            for record in members[key]:
                record["household_id"] = hid
                if headless:
                    record["_hh_key"] = key
        env.result.households_added += len(ids)
        env.audit_others("household", ids)


    def check_category(self, item: Item, household: int) -> None:
        """A row giving a stored household another 户类别 (一般户 → 监测户: 103 and 207
        count it): kept for ``recategorise`` (the first row asking), told without
        overwrite."""
        wanted, stored = item.record["_hh_category"], self.categories[household]
        if wanted == stored or household in self.recategorised:
            return
        self.recategorised[household] = (item, wanted)  # (also: told once)
        if not self.env.overwrite:
            names = code_list("household_category")
            item.warn(f"户类别“{names.name_of(wanted)}”与台账中这一户的“{names.name_of(stored)}”"
                      "不同，未覆盖（需要覆盖时勾选“用表中的值覆盖已有信息”，命令行加 --overwrite）")

    def recategorise(self) -> None:
        """With overwrite, the stored households' new 户类别, each a change of the row
        giving it (listed, audited); after the rows' own changes are known."""
        if not self.env.overwrite:
            return
        names, rows = code_list("household_category"), []
        for household, (item, wanted) in self.recategorised.items():
            stored = self.categories[household]
            if not is_open(item) or stored == wanted:
                continue
            self.categories[household] = wanted  # (done: later parts of the file see it)
            rows.append({"_id": household, "category": wanted, "updated_at": self.env.now})
            self.env.audit("household", household, item, {"category": [stored, wanted]})
            item.changes = [*(item.changes or []),
                            f"户类别：{names.name_of(stored)} → {names.name_of(wanted)}"]
            if item.outcome == UNCHANGED:
                item.outcome = UPDATED
        update_by_id(self.env.session, Household.__table__, rows)

    def _check_head(self, item: Item, household: int | tuple) -> None:
        """A warning on a row whose 户主 (户主姓名, or its own name as 户主) is not the head
        of the household its 户编号 names (stored, or made by an earlier row): the row
        joins it all the same (its head is not changed). Another family under the same
        number (groups numbered apart, the group not written), or a new head."""
        record = item.record
        written = record["_hh_head"] or (record["name"] if record.get("relation") == HEAD else "")
        if not written:
            return
        head = self.head_names.setdefault(household, written)
        if head != written and "".join(head.split()) != "".join(written.split()):
            item.warn(f"户编号“{record['_hh_no']}”的户，户主是{head}，这一行写的户主是{written}："
                      "已归入这一户，户主没有改动。如果不是同一户，请核对户编号（各村民小组分别"
                      "编号时，请填写村民小组）；如果换了户主，请在程序中修改")


class _Suspended:
    """A table's secondary indexes, dropped once the rows added reach the rows it had
    (``suspend_indexes``), and made again by ``restore``."""

    def __init__(self, session: Session, table: str):
        self.session, self.table = session, table
        self.added = 0
        self.had: int | None = None  # rows before the import
        self.statements: list[str] | None = None

    def adding(self, count: int) -> None:
        if self.had is None:
            self.had = self.session.connection().exec_driver_sql(
                f'SELECT count(*) FROM "{self.table}"').scalar_one()
        self.added += count
        if self.statements is None:
            self.statements = suspend_indexes(self.session, self.table, self.added,
                                              self.had) or None

    def restore(self) -> None:
        if self.statements:
            restore_indexes(self.session, self.statements)
            self.statements = None


def _changes(record: dict, old: tuple, overwrite: bool, item: Item) -> dict:
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
        elif field not in ("village_id", "household_id"):
            kept.append(UPDATABLE[field])
    if kept:
        item.warn("与台账中已有的" + "、".join(kept) + "不同，未覆盖（需要覆盖时勾选"
                  "“用表中的值覆盖已有信息”，命令行加 --overwrite）")
    return changes


class PersonsWriter:
    """Writes a persons ledger part by part, as its rows are checked (``run_import``).

    State carried from part to part: the ID numbers seen (a second row with the same
    number is refused), the households found or made, the rows to make heads of.
    """

    def __init__(self, env: Env):
        self.env = env
        self.seen: dict[str, Item] = {}
        self.households: _Households | None = None
        self.persons = _Suspended(env.session, "person")
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
        for item in items:
            if item.outcome == ERROR:
                continue
            record = item.record
            number = record["id_number"]
            first = seen.get(number)
            if first is not None:
                item.refuse(f"身份证号与「{first.sheet}」第 {first.row} 行重复")
                continue
            seen[number] = item
            village, group = place(item)
            if item.outcome == ERROR:
                continue
            record["village_id"], record["_group_id"] = village, group
            live.append(item)
        existing = self._existing([i.record["id_number"] for i in live])
        # (Into a new register, every row is new: the passes for those there are skipped.)
        fresh = [i for i in live if i.record["id_number"] not in existing] if existing else live
        unplaced = [i for i in fresh if i.record["village_id"] is None]
        for item in unplaced:
            item.refuse("新增人员缺少行政村：请填写“行政村”列（或把工作表命名为村名）")
        if unplaced:
            live = [i for i in live if i.outcome != ERROR]
            fresh = [i for i in fresh if i.outcome != ERROR]
        if self.households is None:
            self.households = _Households(env)
        fresh_ids = None
        if self.keys_off:  # each person's id before the households naming their heads
            fresh_ids = next_ids(env.session, Person.__table__, len(fresh))
            for item, pid in zip(fresh, fresh_ids, strict=True):
                item.record["_id"] = pid
            for item in live if existing else ():
                if item.record["id_number"] in existing:
                    item.record["_id"] = existing[item.record["id_number"]][0]
        self.households.link(self._moving(live, existing), heads=self.keys_off)
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
            yield Progress(self.done, total, f"已写入 {self.done} 人")
        if existing:
            _update_existing(env, [i for i in live if i.record["id_number"] in existing
                                   and is_open(i)], existing)
        self.households.recategorise()
        self.kept += [i for i in live if i.outcome in (ADDED, UPDATED, UNCHANGED)] if existing \
            else live

    def _moving(self, live: list[Item], existing: dict[str, tuple]) -> list[Item]:
        """The rows whose household the import may set: a new person's, or one in no
        household yet, or any with overwrite. (A household named only by persons who keep
        theirs would be made empty.) The others' 户类别 is checked against their own."""
        if not existing or self.env.overwrite:
            return live
        moving = []
        for item in live:
            found = existing.get(item.record["id_number"])
            if found is None or found[_HOUSEHOLD_AT] is None:
                moving.append(item)
            elif item.record.get("_hh_category") and found[_HOUSEHOLD_AT] in \
                    self.households.categories:  # (its household's 户类别 is the row's to tell)
                self.households.check_category(item, found[_HOUSEHOLD_AT])
        return moving

    def _existing(self, numbers: list[str]) -> dict[str, tuple]:
        """Persons of the register (before this import) with these ID numbers.

        Only those: a number is looked up once per import (a second row with it is
        refused first), so it cannot name a person this import added.
        """
        session = self.env.session
        if self.env.fast:
            if self.last_before is None:  # (inside the import's write transaction, so
                connection, _raw = sqlite_in_transaction(session)  # no one adds meanwhile)
                self.last_before = connection.exec_driver_sql(
                    "SELECT coalesce(max(id), 0) FROM person").scalar_one()
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
            _set_heads(self.env, self.kept, self.households.headless)
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


def _existing(session: Session, numbers: list[str]) -> dict[str, tuple]:
    table = Person.__table__
    rows = session.execute(
        select(table.c.id_number, table.c.id, *(table.c[f] for f in _FIELDS)).where(
            table.c.id_number.in_(numbers), table.c.deleted_at.is_(None)
        )
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _shown_values(session: Session) -> Callable[[str, object], str]:
    """How a changed value is listed for the clerk: the name of a code, of a village, the
    number of a household, not the code or id stored."""
    places: dict[int, str] = {}
    numbers: dict[int, str | None] = {}  # every household's 户编号, read once when needed

    def shown(field: str, value) -> str:
        if value is None:
            return shown_value(field, value)
        if field == "village_id":
            if value not in places:
                area = session.get(Area, value)
                places[value] = area.name if area is not None else str(value)
            return places[value]
        if field == "household_id":
            if not numbers:
                numbers.update(session.execute(select(Household.id, Household.number)).all())
            number = numbers.get(value)
            return f"户编号 {number}" if number else "另一户（无户编号）"
        return shown_value(field, value)

    return shown


def _update_existing(env: Env, items: list[Item], existing: dict[str, tuple]) -> None:
    shown = _shown_values(env.session)
    updates: list[dict] = []
    for item in items:
        old = existing[item.record["id_number"]]
        pid = old[0]
        item.record["_id"] = pid
        changes = _changes(item.record, old[1:], env.overwrite, item)
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
    update_by_id(env.session, Person.__table__, updates)


def _is_head(record: dict, key: tuple | None) -> bool:
    """The row is its household's head: 户主, or the head a household is named by."""
    return record.get("relation") == HEAD or (
        key is not None and key[0] == "h" and key[3] == record["name"])


def _set_heads(env: Env, items: list[Item], headless: set) -> None:
    rows = []
    for item in items:
        record = item.record
        hid = record.get("household_id")
        if hid is None or hid not in headless:
            continue
        if _is_head(record, record.get("_hh_key")):
            headless.discard(hid)
            rows.append({"_hid": hid, "head_id": record["_id"]})
    if rows and env.fast:
        fast_sql.set_by_id(env.session, "household", "head_id",
                           [(row["_hid"], row["head_id"]) for row in rows])
    elif rows:
        table = Household.__table__
        stmt = update(table).where(table.c.id == bindparam("_hid")).values(
            head_id=bindparam("head_id"))
        env.session.connection().execute(stmt, rows)
