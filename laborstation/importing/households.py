"""Households of a persons import: found by 户编号 within the village and group (many
ledgers number the households 1, 2, 3 … in every village, some in every group), else by
the head's name in the village/group; made when new, their heads set at the end; a row
naming another head or another 户类别 than its stored household's is told."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from laborstation.codes import code_list
from laborstation.importing import fast_sql
from laborstation.importing.apply import HOUSEHOLD_CATEGORY, Env, is_open
from laborstation.importing.bulk_write import Suspended, insert_returning_ids, update_by_id
from laborstation.importing.result import UNCHANGED, UPDATED, Item
from laborstation.model import Household, Person
from laborstation.services.register_types import HEAD_RELATION as HEAD


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


class Households:
    """Households of the register and those the import made so far, found by 户编号 or head."""

    def __init__(self, env: Env):
        self.env = env
        (self.by_number, self.by_head, self.headless, self.head_names,
         self.categories) = _households(env.session)
        # stored household → (row, its 户类别 wanted): written with overwrite, else told
        self.recategorised: dict[int, tuple[Item, str]] = {}
        self.suspended = Suspended(env.session, "household")

    def link(self, items: list[Item], heads: bool = False) -> None:
        """Set record['household_id'] for every row naming a household; new ones inserted.

        A household is named by its 户编号 in the row's village and group (``_numbered``),
        else by its head (户主姓名, or the row's own name when it is the 户主) in the row's
        village and group. With ``heads`` (each
        record's ``_id`` known, foreign keys off), a new household is written with its
        head when that is among ``items``; else ``set_heads`` sets it at the end.
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
                if record.get("_hh_category"):
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
                    "phone": "", "category": record.get("_hh_category") or HOUSEHOLD_CATEGORY, "head_id": None,
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
            headless = new[key]["head_id"] is None  # its head is set at the end (set_heads)
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
        overwrite. (Not for a household this import made: it has the first row's.)"""
        wanted, stored = item.record["_hh_category"], self.categories.get(household)
        if stored is None or wanted == stored or household in self.recategorised:
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


def _is_head(record: dict, key: tuple | None) -> bool:
    """The row is its household's head: 户主, or the head a household is named by."""
    return record.get("relation") == HEAD or (
        key is not None and key[0] == "h" and key[3] == record["name"])


def set_heads(env: Env, items: list[Item], headless: set) -> None:
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
