"""Cells a persons ledger leaves to the row above: a household's members listed under its
head with their 户编号, 户主姓名, 行政村 or 村民小组 blank, and cells written 同上 or 〃.

Blank cells are carried down only on the rows of a ledger listing households (与户主关系
written): on a member's row (not 户主 or 本人) all of them, as a blank there means the
head's household; on a head's row a blank 乡镇 or 行政村 (households listed by village
write it where it changes), and a blank 村民小组 with it, but not 户编号 or 户主姓名 (a
household without a number, named by its head). A sheet without a 行政村 column (one sheet
a village, named after it) has one village throughout: its 村民小组, too, is written where
it changes, so a head's blank one is carried as if its village were. A village belongs to
its township and a group or 户编号 to its village: below a 乡镇 or 行政村 written
otherwise than the row above's, no blank is carried (the row names another place: its
own blank 行政村 refuses it as new, a blank 村民小组 is none). On a row without 与户主关系
a blank is a blank: nothing says it belongs with the row above (a new person without a
village is refused, as before). A ditto mark is carried down on any row (with no row
above, the cell is blank). The value carried is the row above's after its own carrying, read before the row is checked
(a refused head's row still places the members below it). ``rows`` counts the rows that
took a value, for the import's summary.
"""

from __future__ import annotations

import re

from laborstation.importing import values as v
from laborstation.importing.places import township_key, village_key
from laborstation.services.register_types import HEAD_RELATION

_COUNTY_BEFORE = re.compile(r"^\S{1,4}?[县市区](?=\S{2,})")  # 范县城关镇: 城关镇


def _township_key(name: str) -> str:
    """A township as the row above's is compared with: 范县城关镇 is 城关 too (a county
    written before it; only for telling the place changed, not to name it)."""
    return township_key(_COUNTY_BEFORE.sub("", name))


DITTO = frozenset({"同上", "〃", "\"", "”", "“", "''", "同前", "同上行", "仝上"})
_AREA = frozenset({"_township", "_village"})  # carried on a head's row too
_GROUP = "_group"  # carried on a head's row with its village
_HEAD = "_hh_head"


class CarryDown:
    """The place cells of one sheet carried down to the rows that leave them to the row above."""

    def __init__(self, keys: list[str], codes: v.Codes) -> None:
        self.keys = keys
        self.rows = 0
        self._codes = codes
        self._above: dict[str, str] = dict.fromkeys(keys, "")
        self._members: dict[object, bool | None] = {}  # 与户主关系 → member (True), head
        self._one_village = "_village" not in keys  # (the sheet's: its name, or none)

    def _member(self, relation: object) -> bool | None:
        """True for a member's 与户主关系, False for the head's, None when blank."""
        if relation in self._members:
            return self._members[relation]
        word = "".join(v.text(relation).split())
        found = self._members[relation] = None if not word else (
            self._codes.lookup("relation", word) != HEAD_RELATION)
        return found

    def fill(self, record: dict, relation: object, name: object) -> list[str] | tuple:
        """Give the ``record``'s blank or ditto place values (``keys``) those of the row
        above. A head's row leaving 户主姓名 blank is its own name's household (``name``):
        its members below take that. Returns the keys given a value ([] mostly)."""
        taken: list[str] | tuple = ()
        if "" in record.values() or not DITTO.isdisjoint(record.values()):
            taken = self._take(record, relation, name)
        self._above = record  # (its place values, as carried: only those are read)
        return taken

    def _take(self, record: dict, relation: object, name: object) -> list[str]:
        above = self._above
        member = None if relation == "" else self._member(relation)
        if member is False and _HEAD in record and not record[_HEAD]:
            record[_HEAD] = "".join(v.text(name).split())
        taken = []
        area_carried, elsewhere = self._one_village, False
        for key in self.keys:  # (in the order 乡镇, 行政村, 村民小组, 户编号, 户主姓名)
            value = record[key]
            if value in DITTO or (not value and member is not None and not elsewhere and (
                    member or key in _AREA or (key == _GROUP and area_carried))):
                record[key] = value = above[key]
                if value:
                    taken.append(key)
                area_carried = area_carried or (key in _AREA and bool(value))
            elif value and key in _AREA and value != above[key] and above[key] and not elsewhere:
                # Another township or village than the row above's (城关 is 城关镇): the blanks
                # below it are not that place's (王楼乡 under 城关镇/李庄村 is no 王楼乡/李庄村).
                keyed = _township_key if key == "_township" else village_key
                elsewhere = keyed(value) != keyed(above[key])
        if taken:
            self.rows += 1
        return taken
