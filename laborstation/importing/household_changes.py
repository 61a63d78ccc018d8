"""What a ledger imported again changes in the households already stored.

Filled in where empty: a 户编号 the ledger gives a household stored without one, its
村民小组, the address its 户主's row gives. With overwrite also changed: its 村民小组 (the
whole household moves: ``group``), 户类别, address, 户主 (the person whose row says
户主). Each is a change of the row giving it (listed once, audited); without overwrite
a differing 村民小组 or 户类别 is told once. Persons moving out with overwrite
may leave a household without its 户主 (as the register's own move does) or without
members: told on their rows, nothing deleted. Here too: whether rows giving a stored
household's 户编号 with another 村民小组 name it (``weigh_groups``), and the keys rows name
households by (``number_key``, ``written_head``, ``squeezed``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from laborstation.importing.apply import OVERWRITE_HOW, Env, is_open, shown_value
from laborstation.importing.bulk_write import chunks, update_by_id
from laborstation.importing.result import ERROR, UNCHANGED, UPDATED, Item
from laborstation.model import Area, Household, Person
from laborstation.services.register_types import HEAD_RELATION as HEAD

_LABELS = {"number": "户编号", "category": "户类别", "address": "户的家庭住址",
           "group": "户的村民小组"}
_COLUMNS = {"group": "group_id"}  # (the others' names are their columns')


@dataclass(slots=True)
class Stored:
    """A household of the register before the import, as far as the import compares it."""

    number: str | None
    village: int
    group: int | None
    head_id: int | None
    head_name: str | None
    category: str
    address: str
    head_number: str | None = None  # its head's ID number


class HouseholdChanges:
    """The changes rows ask of stored households, written part by part (``write``)."""

    def __init__(self, env: Env, stored: dict[int, Stored], headless: set):
        self.env = env
        self.stored = stored
        self.headless = headless  # (the households' own set: set_heads fills it)
        self.wanted: dict[tuple[int, str], tuple[Item, object]] = {}  # the first row asking
        self.left: dict[int, list[Item]] = {}  # household → the rows of persons moving out
        self.unheaded: dict[int, Item] = {}  # household → the row of its 户主 moving out
        self.first_group: dict[int, Item] = {}  # household → the first row giving a 村民小组

    def want(self, item: Item, household: int, field: str, value) -> None:
        """A row's value for a stored household's field: taken where the household has
        none, or with overwrite; a differing 户类别 is told without (the address and the
        户主 are told on the row already: the person's 家庭住址, ``_check_head``)."""
        stored = self.stored.get(household)
        if stored is None or (household, field) in self.wanted:
            return
        old = getattr(stored, field)
        if value == old or value in (None, "") or (field == "number" and old):
            return  # (another 户编号 names another household: ``link``)
        if old in (None, "") or self.env.overwrite:
            self.wanted[household, field] = (item, value)
        elif field == "category":
            self.wanted[household, field] = (item, None)  # (told once)
            item.warn(f"户类别“{shown_value(field, value)}”与台账中这一户的"
                      f"“{shown_value(field, old)}”不同，未覆盖" + OVERWRITE_HOW)
        elif field == "group":
            self.wanted[household, field] = (item, None)  # (told once)
            was = self._shown(field, old)
            item.warn(f"村民小组“{self._shown(field, value)}”与台账中这一户（{named(stored.number)}）"
                      f"的“{was}”不同，未覆盖：这一户仍在{was}" + OVERWRITE_HOW)

    def group(self, item: Item, household: int) -> None:
        """A row's 村民小组 for its stored household. The first row of the file giving one
        is taken (``want``: where the household has none, or with overwrite; its members
        all move with it); a later row giving another, if the household does not end
        there, is a slip of that row's 组 cell: told, and the row stays in the household."""
        first = self.first_group.setdefault(household, item)
        if first is item:
            self.want(item, household, "group", item.record["_group_id"])
            return
        group, given = item.record["_group_id"], first.record["_group_id"]
        stored = self.stored[household].group
        ends = given if self.env.overwrite or stored in (None, given) else stored
        if group != given and group != ends:
            item.warn(f"村民小组“{self._shown('group', group)}”与同一户（"
                      f"{named(self.stored[household].number)}）「{first.sheet}」第 {first.row} 行"
                      f"的“{self._shown('group', given)}”不同：已归入这一户（"
                      f"{self._shown('group', ends)}）。如果确是另一户，请改正户编号后再导入")

    def _shown(self, field: str, value) -> str:
        """A household's value as a message shows it: a group by its name."""
        if field == "group" and value is not None:
            return self.env.session.get(Area, value).name
        return shown_value(field, value)

    def write(self) -> None:
        """The changes asked so far, by rows written (after the persons' own changes)."""
        rows = []
        for (household, field), (item, value) in self.wanted.items():
            if value is None or not is_open(item):
                continue
            stored = self.stored[household]
            if field == "head_id":
                value = item.record.get("_id")  # (the row's person: known once written)
                if value in (None, stored.head_id) or item.record.get("household_id") != household:
                    continue
                change = f"户主：{stored.head_name or '（空）'} → {item.record['name']}"
                old, stored.head_id, stored.head_name = stored.head_id, value, item.record["name"]
                stored.head_number = item.record["id_number"]
                self.headless.discard(household)
                self._tell_former_head(item, old, household)
            else:
                old = getattr(stored, field)
                change = f"{_LABELS[field]}：{self._shown(field, old)} → {self._shown(field, value)}"
                setattr(stored, field, value)  # (later parts of the file see it)
            column = _COLUMNS.get(field, field)
            rows.append({"_id": household, column: value, "updated_at": self.env.now})
            self.env.audit("household", household, item, {column: [old, value]})
            _changed(item, change)
        self.wanted = {key: (item, None) for key, (item, _value) in self.wanted.items()}
        update_by_id(self.env.session, Household.__table__, rows)

    def _tell_former_head(self, item: Item, former: int | None, household: int) -> None:
        """A household's head changed while its former head, still in it, is still 户主
        (the file left them out, or kept their relation): told, as the program's 设为户主
        tells it (after the persons' own changes: one the file gave them counts)."""
        if former is None:
            return
        found = self.env.session.execute(  # (Core: the import writes persons so)
            select(Person.name, Person.household_id, Person.relation).where(
                Person.id == former)).first()
        if found is not None and found.household_id == household and found.relation == HEAD:
            item.warn(f"原户主{found.name}的与户主关系仍为“户主”，请在程序中改为正确的关系")

    def leaving(self, moves: list[tuple[Item, int]]) -> None:
        """Persons moved out of stored households (with overwrite). A 户主 moving out
        leaves the household without one, which a row of the file naming its new 户主
        fills (``set_heads``); else ``tell_left`` tells it."""
        rows = []
        for item, household in moves:
            stored = self.stored.get(household)
            if stored is None:
                continue
            self.left.setdefault(household, []).append(item)
            if stored.head_id is not None and stored.head_id == item.record.get("_id"):
                self.env.audit("household", household, item, {"head_id": [stored.head_id, None]})
                rows.append({"_id": household, "head_id": None, "updated_at": self.env.now})
                stored.head_id, stored.head_name, stored.head_number = None, None, None
                self.headless.add(household)
                self.unheaded[household] = item
        update_by_id(self.env.session, Household.__table__, rows)

    def tell_left(self) -> None:
        """After the heads are set: the households persons moved out of that have no
        members now, or no 户主 (told on a row moving out; a clerk deletes or sets it)."""
        if not self.left:
            return
        kept, session = set(), self.env.session
        for part in chunks(list(self.left), 20000):
            kept.update(session.scalars(
                select(Person.household_id).where(Person.household_id.in_(part),
                                                  Person.deleted_at.is_(None)).distinct()))
        for household, items in self.left.items():
            if household not in kept:
                items[-1].warn(f"原户（{named(self.stored[household].number)}）已没有成员：如不再需要，"
                               "请在程序中删除这一户")
            elif household in self.unheaded and household in self.headless:
                self.unheaded[household].warn(
                    f"原户（{named(self.stored[household].number)}）的户主转到了别的户，原户现在没有户主："
                    "请在程序中为原户设置户主")


def named(number: str | None) -> str:
    """A household as a message names it: by its 户编号, if it has one."""
    return f"户编号 {number}" if number else "无户编号"


def _changed(item: Item, change: str) -> None:
    item.changes = [*(item.changes or []), change]
    if item.outcome == UNCHANGED:
        item.outcome = UPDATED


def number_key(number: str) -> str:
    """A 户编号 as households are matched by: 001 and 1 are one household (Excel drops
    the zeros of a number cell, and of every cell of a CSV it saves)."""
    if number[:1] == "0" and number.isdigit():
        return number.lstrip("0") or "0"
    return number


def written_head(record: dict) -> str:
    """The 户主 a row names: its 户主姓名, or its own name on the 户主's row ('' for none)."""
    return record["_hh_head"] or (record["name"] if record.get("relation") == HEAD else "")


def squeezed(name: str) -> str:
    """A name without its spaces (full-width or not): 欧阳　明 is 欧阳明."""
    return name if name.isalpha() else "".join(name.split())


def weigh_groups(stored: dict[int, Stored], by_number: dict[tuple, dict], decided: dict,
                 part: list[Item]) -> dict[tuple, int | None]:
    """Whether the rows giving a stored household's 户编号 with another 村民小组 (its only
    one in the village) name that household: (village, 户编号 key, group) → it, when a
    row is of its member or names its 户主 and none names another 户主 (the group is
    corrected: every member stays, ``HouseholdChanges.group``); → None else (a household
    of that group numbered alike, its village numbering each group from 1)."""
    named: dict[tuple, int | None] = {}
    against: set[tuple] = set()
    for item in part:
        record = item.record
        number, group = record["_hh_no"], record["_group_id"]
        if not number or group is None or item.outcome == ERROR:
            continue
        where = (record["village_id"], number_key(number))
        groups = by_number.get(where)
        if not groups or group in groups or len(groups) != 1:
            continue
        key = (*where, group)
        ((its_group, household),) = groups.items()
        its = stored.get(household)
        if its is None or its_group is None or key in decided:
            continue
        named.setdefault(key, None)
        head = written_head(record)
        if head and its.head_name and squeezed(head) != squeezed(its.head_name) or (
                record.get("relation") == HEAD and its.head_number
                and record["id_number"] != its.head_number):
            against.add(key)
        elif record.get("_stored_hh") == household or head and its.head_name:
            named[key] = household
    return {key: None if key in against else household for key, household in named.items()}
