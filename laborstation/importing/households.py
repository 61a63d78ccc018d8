"""Households of a persons import: found by 户编号 within the village and group (many
ledgers number the households 1, 2, 3 … in every village, some in every group), else by
the head's name in the village/group; made when new, their heads set at the end; a row
naming another head or another 户类别 than its stored household's is told.

A row giving another 村民小组 than the one household its 户编号 names in the village
(``_other_group``) is that household when the rows say it is the same family: a stored
household's group corrected (the rows of its members, or of its 户主 by name, and none
naming another 户主), or one member's 组 cell mistyped under a household this file made
(the row names its 户主). Without such a word it is another household (a village numbering
1, 2, 3 … in each group whose other groups are not yet stored), as is a number already
in two groups: those villages keep a household per group."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from laborstation.importing import fast_sql
from laborstation.importing.apply import (
    HOUSEHOLD_CATEGORY,
    OVERWRITE_BOX,
    OVERWRITE_HOW,
    Env,
)
from laborstation.importing.bulk_write import Suspended, insert_returning_ids
from laborstation.importing.household_changes import (
    HouseholdChanges,
    Stored,
    named,
    number_key,
    squeezed,
    weigh_groups,
    written_head,
)
from laborstation.importing.result import ERROR, Item
from laborstation.model import Area, Household, Person
from laborstation.services.register_types import HEAD_RELATION as HEAD


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
        self._load(env.session)
        self.suspended = Suspended(env.session, "household")
        self.made_headless: dict[int, Item] = {}  # new household made without its head → its
        # first row (told if no row of the file is its head: ``tell``)
        self.head_rows: dict = {}  # household (or a new one's key) → its 户主's row, by name
        self.deferred: list[tuple[Item, int, str]] = []  # rows naming another 户主 (overwrite)
        self.numbered_as: dict[int, str] = {}  # stored household → the 户编号 it takes
        self.head_claims: dict[int, Item] = {}  # stored household → the first 户主 row
        # (village, 户编号 key, group) → the stored household of another group its rows name
        # (None: another household): ``_regrouped``
        self.regrouped: dict[tuple, int | None] = {}
        self.headed: set[tuple] | None = None  # ``_headed``, of the part being linked

    def _load(self, session: Session) -> None:
        rows = session.execute(
            select(Household.id, Household.number, Household.village_id, Household.group_id,
                   Household.head_id, Person.name, Household.category, Household.address,
                   Person.id_number)
            .outerjoin(Person, Person.id == Household.head_id)
            .where(Household.deleted_at.is_(None))
        ).all()
        self.by_number: dict[tuple, dict] = {}  # (village, 户编号 key) → {group: household}
        self.by_head: dict[tuple, int] = {}  # (village, group, head's name) → household
        self.headless: set = set()
        self.head_names: dict = {}  # household (or a new one's key) → its head's name
        self.stored: dict[int, Stored] = {}
        for hid, number, village, group, head_id, head_name, category, address, head_number \
                in rows:
            self.stored[hid] = Stored(number, village, group, head_id, head_name, category,
                                      address, head_number)
            if number:
                self.by_number.setdefault((village, number_key(number)), {}).setdefault(
                    group, hid)
            if head_name:
                self.by_head.setdefault((village, group, squeezed(head_name)), hid)
                self.head_names[hid] = head_name
            if head_id is None:
                self.headless.add(hid)
        # A stored household of no 村民小组, the only one its head's name names in the
        # village: a row of a group naming that head finds it, as ``_numbered`` a number's.
        names = Counter((village, head) for village, _group, head in self.by_head)
        self.groupless = {(village, head): hid for (village, group, head), hid
                          in self.by_head.items() if group is None and names[village, head] == 1}
        self.changes = HouseholdChanges(self.env, self.stored, self.headless)

    def link(self, items: list[Item], heads: bool = False,
             part: list[Item] | None = None) -> None:
        """Set record['household_id'] for every row naming a household; new ones inserted.

        A household is named by its 户编号 in the row's village and group (``_numbered``;
        another group: ``_other_group``), else by its head (户主姓名, or the row's own
        name when it is the 户主) in the row's village and group. With ``heads`` (each
        record's ``_id`` known, foreign keys off), a new household is written with its
        head when that is among ``items``; else ``set_heads`` sets it at the end.
        ``part``: all the part's rows (those keeping their household too), when
        ``items`` are only some.
        """
        env, by_number, by_head = self.env, self.by_number, self.by_head
        self.headed = None
        new: dict[tuple, dict] = {}  # key → the household row to insert
        members: dict[tuple, list[dict]] = {}  # key → the records of its members
        firsts: dict[tuple, Item] = {}  # key → its first row
        numbered: dict[tuple, dict] = {}  # (village, 户编号) → {group: key} of those new
        for item in items:
            record = item.record
            village = record["village_id"]
            if village is None or item.outcome == ERROR:  # (refused: no 行政村, known …)
                continue
            group = record["_group_id"]
            number = record["_hh_no"]
            if number:
                if number[:1] == "0":  # (the test of number_key, inline: most do not)
                    number = number_key(number)
                where = (village, number)
                groups = by_number.get(where)  # (a new register: none, the common case)
                found = _numbered(groups, group) if groups else None
                key = None
                if found is None and "_stored_hh" in record:
                    found = self._numbering(item, record["_stored_hh"], village, number)
                    groups = by_number.get(where)
                if found is None and group is None and groups and len(groups) > 1:
                    self._ambiguous(item, groups)
                    continue
                if found is None:  # (a member whose 小组 cell is blank joins it too)
                    made = numbered.get(where)
                    key = made and _numbered(made, group)
                    if not key and (groups or made) and group is not None:
                        found, key = self._other_group(item, where, groups, made,
                                                       items if part is None else part)
                    if found is None and not key:
                        key = ("n", village, group, number)
                        if made is None:
                            numbered[where] = {group: key}
                        else:
                            made.setdefault(group, key)
                if record["_hh_head"] or record.get("relation") == HEAD:
                    self._check_head(item, found if found is not None else key)
            else:
                head = written_head(record)
                if not head:  # (its 村民小组 is kept by a household only: told at the end)
                    env.result.groups_unkept += group is not None
                    continue
                head = squeezed(head)  # (欧阳　明 is 欧阳明)
                found = by_head.get((village, group, head))
                if found is None and group is not None and self.groupless:
                    found = self.groupless.get((village, head))  # (its group: ``compare``)
                key = ("h", village, group, head) if found is None else None
                if record.get("relation") == HEAD:
                    self._namesake(item, found if found is not None else key)
            if found is not None:
                record["household_id"] = found
                if found in self.stored:
                    self.compare(item, found)
                continue
            named = members.get(key)
            if named is not None:
                named.append(record)
            else:
                members[key] = [record]
                firsts[key] = item
                new[key] = {
                    "number": record["_hh_no"] or None, "village_id": village,
                    "group_id": group, "address": record.get("address", ""),
                    "phone": "", "category": record.get("_hh_category") or self._category_of(record),
                    "head_id": None, "notes": "", "created_at": env.now, "updated_at": env.now,
                    "deleted_at": None,
                }
            if heads and new[key]["head_id"] is None and _is_head(record, key):
                new[key]["head_id"] = record["_id"]
        keys = list(new)
        self.suspended.adding(len(keys))
        ids = insert_returning_ids(env.session, Household.__table__, [new[k] for k in keys])
        for key, hid in zip(keys, ids, strict=True):
            if key in self.head_names:
                self.head_names[hid] = self.head_names.pop(key)
            if key in self.head_rows:
                self.head_rows[hid] = self.head_rows.pop(key)
            if key[0] == "n":  # later parts of the file find them too
                by_number.setdefault((key[1], key[3]), {})[key[2]] = hid
            else:
                by_head[key[1:]] = hid
            headless = new[key]["head_id"] is None  # its head is set at the end (set_heads)
            if headless:
                self.headless.add(hid)
                self.made_headless[hid] = firsts[key]
            for record in members[key]:
                record["household_id"] = hid
                if headless:
                    record["_hh_key"] = key
        env.result.households_added += len(ids)
        env.audit_others("household", ids)

    def _other_group(self, item: Item, where: tuple, groups: dict | None, made: dict | None,
                     part: list[Item]) -> tuple[int | None, tuple | None]:
        """The household (stored or inserted: an id; made by this part: its key) a row
        names whose 户编号 names one household of its village, in another 村民小组; (None,
        None) for another household (a village numbering in each group)."""
        ones = {household: group for group, household in (groups or {}).items()}
        ones.update({key: group for group, key in (made or {}).items()})
        if len(ones) != 1:  # (the number names a household in two groups already)
            return None, None
        ((one, its_group),) = ones.items()
        if one in self.stored:
            return self._regrouped(item, where, part), None
        if not self._slip(item, one, its_group, part):
            return None, None
        return (None, one) if isinstance(one, tuple) else (one, None)

    def _regrouped(self, item: Item, where: tuple, part: list[Item]) -> int | None:
        """The stored household a row giving another 村民小组 than its own names, if any
        (``weigh_groups``: all the part's rows of that group and number at once, so
        that a family's rows are not split by their order)."""
        key = (*where, item.record["_group_id"])
        if key not in self.regrouped:
            self.regrouped.update(weigh_groups(self.stored, self.by_number, self.regrouped, part))
        return self.regrouped.get(key)

    def _slip(self, item: Item, household: int | tuple, group: int, part: list[Item]) -> bool:
        """A member's row of another 村民小组 than the household its 户编号 names (made by
        this file), naming its 户主 (户主姓名); or naming none, a member (与户主关系) of a
        group whose 户编号 no 户主's row of the part gives: its 组 cell mistyped. Told; the
        member joins it. (A 户主's row, or one naming another 户主, is another household.)"""
        record = item.record
        relation, head = record.get("relation"), record["_hh_head"]
        if relation == HEAD:
            return False
        if head:
            its_head = self.head_names.get(household)
            if not its_head or squeezed(head) != squeezed(its_head):
                return False
        elif relation is None or (
                record["village_id"], number_key(record["_hh_no"]), record["_group_id"]
        ) in self._headed(part):
            return False
        its_head = self.head_names.get(household)
        if its_head is None:
            return False
        its, own = self._group_name(group), record["_group"]
        item.warn(f"村民小组“{own}”与同一户（户编号 {record['_hh_no']}，户主{its_head}）的“{its}”"
                  f"不同：已归入这一户（{its}）。如果确是{own}的另一户，请改正户编号后再导入")
        return True

    def _headed(self, part: list[Item]) -> set[tuple]:
        """(village, 户编号 key, group) of the part's 户主 rows (read once a part)."""
        if self.headed is None:
            self.headed = {(record["village_id"], number_key(record["_hh_no"]),
                            record["_group_id"]) for item in part
                           if (record := item.record)["_hh_no"] and record.get("relation") == HEAD}
        return self.headed

    def _group_name(self, group: int | None) -> str:
        """A 村民小组 as a message names it."""
        return self.env.session.get(Area, group).name if group is not None else "（空）"

    def _ambiguous(self, item: Item, groups: dict) -> None:
        """A row whose 户编号 names households of several 村民小组 (numbered in each group)
        and gives no group: refused (a household of no group was made beside them)."""
        names = [self.env.session.get(Area, group).name for group in groups if group]
        item.refuse(f"本村有 {len(groups)} 户的户编号是“{item.record['_hh_no']}”（"
                    f"{'、'.join(names)}），这一行没有填写村民小组：请填写村民小组后再导入")

    def _numbering(self, item: Item, household: int, village: int, number: str) -> int | None:
        """The person's stored household when it has no 户编号 and is in the row's village
        and group: the ledger numbers its households now. It takes the first row's 户编号
        (rows after find it by it) rather than a new household being made and the old one
        left empty; a row giving it another (a son's new household) is not it."""
        stored = self.stored.get(household)
        group = item.record["_group_id"]
        if stored is None or stored.number or stored.village != village or (
                group is not None and stored.group is not None and group != stored.group):
            return None
        given = self.numbered_as.setdefault(household, number)
        if given != number:
            return None
        self.changes.want(item, household, "number", item.record["_hh_no"])
        self.by_number.setdefault((village, number), {})[stored.group] = household
        return household

    def compare(self, item: Item, household: int) -> None:
        """The row's values for its stored household: its 村民小组 (``HouseholdChanges.group``),
        户类别; the address and 户主 of the row of its 户主 (``HouseholdChanges.want``)."""
        record = item.record
        if record["_group_id"] is not None and (record["_hh_no"] or written_head(record)):
            self.changes.group(item, household)  # (a row naming no household: its person's)
        if record.get("_hh_category"):
            self.changes.want(item, household, "category", record["_hh_category"])
        if record.get("relation") == HEAD and not record.get("_namesake"):
            first = self.head_claims.setdefault(household, item)
            if first is not item and first.record["id_number"] != record["id_number"]:
                item.warn(f"这一户已有一行户主（「{first.sheet}」第 {first.row} 行"
                          f"{first.record['name']}）：一户只有一位户主，户主按那一行，"
                          "请核对与户主关系")
                return
            self.changes.want(item, household, "address", record.get("address"))
            self.changes.want(item, household, "head_id", record["id_number"])

    def keeping(self, item: Item, household: int) -> None:
        """A row of a person who keeps their stored household (no overwrite): a 户编号 it
        lacks is filled in; another 户编号, or another 户主, is told."""
        record, stored = item.record, self.stored.get(household)
        if stored is None:
            return
        record["_stored_hh"] = household  # (its rows say which household a group is: ``link``)
        number = record["_hh_no"]
        if number and not stored.number:
            key = number_key(number)
            other = _numbered(self.by_number.get((stored.village, key)), stored.group)
            if other not in (None, household) or self._numbering(
                    item, household, record["village_id"], key) is None:
                item.warn(f"户编号“{number}”的户不是台账中此人所在的户（那一户没有户编号）："
                          "所在户没有改动" + OVERWRITE_HOW)
                return
        elif number and number != stored.number and number_key(number) != number_key(
                stored.number):
            item.warn(f"户编号“{number}”与台账中此人所在户的户编号“{stored.number}”不同："
                      "所在户没有改动" + OVERWRITE_HOW)
            return
        written = written_head(record)
        if written and written != stored.head_name and stored.head_name and (
                squeezed(written) != squeezed(stored.head_name)):
            item.warn(f"台账中此人所在户的户主是{stored.head_name}，这一行写的户主是{written}："
                      "户主没有改动" + OVERWRITE_HOW)
        self.compare(item, household)

    def _check_head(self, item: Item, household: int | tuple) -> None:
        """A warning on a row whose 户主 (户主姓名, or its own name as 户主) is not the head
        of the household its 户编号 names (stored, or made by an earlier row): the row
        joins it all the same (its head is not changed). Another family under the same
        number (groups numbered apart, the group not written), or a new head."""
        record = item.record
        written = written_head(record)
        if not written:
            return
        head = self.head_names.setdefault(household, written)
        if head != written and squeezed(head) != squeezed(written):
            if self.env.overwrite and household in self.stored:
                if record.get("relation") == HEAD:
                    self.head_names[household] = written  # (its new head: ``compare``)
                else:  # (told at the end unless a row of its 户主 changes it)
                    self.deferred.append((item, household, written))
                return
            told = _other_head(record["_hh_no"], head, written)
            if record.get("relation") == HEAD:  # (a household has one 户主)
                record["relation"] = None
                told += f"。{record['name']}的与户主关系“户主”没有记录，请核对后在程序中填写"
            item.warn(told)

    def _namesake(self, item: Item, household: int | tuple) -> None:
        """A 户主's row naming its household by the head's name (no 户编号), where another
        person of that name is 户主: two families taken for one. Told, and the row's
        person is not made its head."""
        record = item.record
        stored = self.stored.get(household) if isinstance(household, int) else None
        if stored is not None:
            other, where = stored.head_number, "台账中"
        else:
            first = self.head_rows.setdefault(household, item)
            other, where = first.record["id_number"], f"第 {first.row} 行"
        if other and other != record["id_number"]:
            record["_namesake"] = True
            head = squeezed(written_head(record))
            if head == squeezed(record["name"]):
                item.warn(f"这个村民小组另有一位户主也叫{record['name']}（{where}，身份证号不同）："
                          "没有户编号，两家被归成了一户。请填写“户编号”列区分两户后再导入")
            else:  # (户主姓名 names another: two rows say they head one household)
                item.warn(f"户主“{head}”这一户已有户主（{where}，身份证号不同），这一行的"
                          f"{record['name']}也写着是户主：请核对与户主关系；如是另一户，请填写"
                          "“户编号”列区分两户后再导入")

    def _category_of(self, record: dict) -> str:
        """A new household's 户类别 when its row gives none: that of the stored household
        its person comes from (a family renumbered keeps its 脱贫户), else 一般户."""
        stored = self.stored.get(record.get("_stored_hh"))
        return stored.category if stored is not None else HOUSEHOLD_CATEGORY

    def tell(self) -> None:
        """After the heads are set: new households of a ledger giving 与户主关系 that no
        row heads; rows naming another 户主 than their household's (with overwrite,
        unless a row of its 户主 changed it); households persons left."""
        for household, item in self.made_headless.items():
            if household in self.headless and item.record.get("relation"):
                item.warn(f"新建的户（{named(item.record['_hh_no'])}）没有户主："
                          + self._headless_why(item.record, household))
        for item, household, written in self.deferred:
            head = self.stored[household].head_name or ""
            if not head:
                item.warn(f"户编号“{item.record['_hh_no']}”的户现在没有户主，这一行写的户主是"
                          f"{written}：请在程序中为这一户设置户主")
            elif squeezed(head) != squeezed(written):
                item.warn(_other_head(item.record["_hh_no"], head, written))
        self.changes.tell_left()

    def _headless_why(self, record: dict, household: int) -> str:
        """Why a new household has no 户主: none of its rows heads it; or, its 户编号 naming
        a household of another 村民小组 too, its rows' 组 cell may be mistyped."""
        number = record["_hh_no"]
        groups = self.by_number.get((record["village_id"], number_key(number))) if number else None
        others = [group for group, hid in (groups or {}).items() if hid != household]
        if len(others) != 1 or others[0] is None:
            return "表中没有这一户的户主（或户主仍在原来的户）：请在程序中为这一户设置户主"
        its, own = self._group_name(others[0]), record["_group"] or "（空）"
        return (f"户编号 {number} 在{its}另有一户，这一行写的村民小组是{own}。如果是同一户，"
                f"请改正村民小组后勾选“{OVERWRITE_BOX}”再导入；如果确是另一户，"
                "请在程序中为这一户设置户主")


def _other_head(number: str, head: str, written: str) -> str:
    return (f"户编号“{number}”的户，户主是{head}，这一行写的户主是{written}：已归入这一户，"
            "户主没有改动。如果不是同一户，请核对户编号（各村民小组分别编号时，请填写村民小组）；"
            "如果换了户主，请在程序中修改")


def _is_head(record: dict, key: tuple | None) -> bool:
    """The row is its household's head: 户主, or the head a household is named by."""
    return record.get("relation") == HEAD or (
        key is not None and key[0] == "h" and key[3] == squeezed(record["name"]))


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
