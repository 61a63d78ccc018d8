"""Townships, villages and groups named in a ledger → area ids, created when new.

All live areas under the unit are loaded once; names are compared loosely
(``李庄``, ``李庄村`` and ``李庄村委会`` are one village; ``3``, ``3组``, ``三组``
and ``第三村民小组`` one group). New areas are inserted directly (a county ledger
may name thousands of groups: the ORM's checks cost ~4 ms each) and listed in
``new_areas`` for the import's audit entries; a name the cache did not find cannot
clash with a live sibling, as the keys here are coarser than ``normalise_name``.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from laborstation.errors import UserError
from laborstation.model import COUNTY, GROUP, TOWNSHIP, VILLAGE, Area
from laborstation.model.area import LEVEL_NAMES
from laborstation.regions import COUNTY_INSIDE, TOWNSHIP_INSIDE
from laborstation.services._checks import clean_text
from laborstation.services.areas import NAME_MAX

_VILLAGE_SUFFIX = re.compile(r"(村民委员会|村委会|居民委员会|居委会|社区|村)$")
_TOWNSHIP_WORDS = "街道办事处|办事处|街道|镇|乡"
_TOWNSHIP_SUFFIX = re.compile(rf"(人民政府|{_TOWNSHIP_WORDS})$")
_GROUP = re.compile(r"^第?([0-9零〇一二三四五六七八九十百两]+)(村民小组|小组|组|队|生产队)?$")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


_TOWNSHIP_WORD = re.compile(rf"^({_TOWNSHIP_WORDS})")  # after a township key


def _clean(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _key(name: str) -> str:
    return _clean(name).casefold()


def village_key(name: str) -> str:
    key = _key(name)
    return _VILLAGE_SUFFIX.sub("", key) or key


def township_key(name: str, counties: tuple[str, ...] = ()) -> str:
    """城关, 城关镇, 城关镇人民政府 and (given the county's name) 范县城关镇 are one key."""
    key = _key(name)
    for county in counties:
        county = _key(county)
        if county and key.startswith(county) and len(key) > len(county):
            key = key[len(county):]
            break
    while (shorter := _TOWNSHIP_SUFFIX.sub("", key)) and shorter != key:
        key = shorter
    return key


def _chinese_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def group_key(name: str) -> str:
    key = _key(name)
    match = _GROUP.match(key)
    if match:
        number = _chinese_number(match.group(1))
        if number is not None:
            return f"#{number}"
    return key


class Places:
    """Area lookups for one import, inside its session."""

    def __init__(self, session: Session, *, unit_id: int, unit_level: str, created: list[str]):
        self.session = session
        self.unit_id = unit_id
        self.unit_level = unit_level
        self.created = created
        self._townships: dict[str, int] = {}
        self._villages: dict[tuple[int, str], int] = {}
        self._groups: dict[tuple[int, str], int] = {}
        self._codes: dict[int, str | None] = {}
        self._names: dict[int, tuple[str, int | None]] = {}  # id → (name, parent id)
        self._orders: dict[int, int] | None = None  # the top sort_order under each parent
        self.new_areas: list[tuple[int, dict]] = []  # (id, values) of the areas made
        self._village_townships: dict[str, set[int]] = {}  # village key → townships
        self._made: set[int] = set()  # ids of the areas this import made
        rows = session.execute(
            select(Area.id, Area.name, Area.level, Area.parent_id, Area.code).where(
                Area.deleted_at.is_(None)
            )
        ).all()
        self.counties = tuple(name for _id, name, level, _p, _c in rows if level == COUNTY)
        # A county whose townships carry their official codes has its list of townships:
        # a name not on it is a mistake to correct, not a township to make (``township``).
        self._listed: list[str] = []
        for area_id, name, level, parent_id, code in rows:
            self._codes[area_id] = code
            self._names[area_id] = (name, parent_id)
            if level == TOWNSHIP:
                self._townships.setdefault(township_key(name, self.counties), area_id)
                if code and parent_id == unit_id:
                    self._listed.append(name)
            elif level == VILLAGE and parent_id is not None:
                self._add_village(parent_id, village_key(name), area_id)
            elif level == GROUP and parent_id is not None:
                self._groups.setdefault((parent_id, group_key(name)), area_id)
        self._with_villages = {parent for parent, _name in self._villages}  # before the import

    def _add_village(self, township_id: int, key: str, area_id: int) -> int:
        """A village of the store or made now, findable by township and by name alone."""
        found = self._villages.setdefault((township_id, key), area_id)
        self._village_townships.setdefault(key, set()).add(township_id)
        return found

    def code(self, area_id: int) -> str | None:
        return self._codes.get(area_id)

    def _create(self, name: str, level: str, parent_id: int) -> int:
        """A new area, inserted now (ValidationError when the name is empty or too long)."""
        label = LEVEL_NAMES[level]
        name = clean_text(name, "name", f"{label}名", max_len=NAME_MAX, required=True)
        if self._orders is None:
            self._orders = dict(self.session.execute(
                select(Area.parent_id, func.max(Area.sort_order)).group_by(Area.parent_id)
            ).all())
        order = self._orders[parent_id] = (self._orders.get(parent_id) or 0) + 1
        values = {"name": name, "level": level, "parent_id": parent_id, "code": None,
                  "sort_order": order}
        area_id = self.session.connection().execute(
            insert(Area.__table__), values).inserted_primary_key[0]
        self._codes[area_id] = None
        self._names[area_id] = (name, parent_id)
        self._made.add(area_id)
        self.new_areas.append((area_id, values))
        self.created.append(f"{label} {name}")
        return area_id

    def drop_unused(self, used: set[int]) -> set[int]:
        """Delete the areas this import made that nothing it wrote is in (``used``: those
        its persons and households are in): a row whose person kept their place named a
        new village or group. An area is kept with a kept area made under it. Returns
        the ids dropped (not told as made, nor audited)."""
        keep = set(used)
        for area_id, values in reversed(self.new_areas):  # (children after their parents)
            if area_id in keep:
                keep.add(values["parent_id"])
        dropped = {area_id for area_id, _values in self.new_areas if area_id not in keep}
        if not dropped:
            return dropped
        for area_id, values in reversed(self.new_areas):
            if area_id in dropped:
                self.session.connection().execute(
                    Area.__table__.delete().where(Area.__table__.c.id == area_id))
                self.created.remove(f"{LEVEL_NAMES[values['level']]} {values['name']}")
        self.new_areas = [(a, v) for a, v in self.new_areas if a not in dropped]
        self._made -= dropped
        for found in (self._townships, self._villages, self._groups):
            for key in [key for key, area_id in found.items() if area_id in dropped]:
                del found[key]
        return dropped

    def has_villages(self, township_id: int | None) -> bool:
        """The township had villages before this import (a first import makes them all)."""
        return township_id in self._with_villages

    def is_new(self, area_id: int) -> bool:
        """The area was made by this import."""
        return area_id in self._made

    def known_township(self, name: str) -> int | None:
        """The township of that name the store has (none is made)."""
        return self._townships.get(township_key(name, self.counties))

    def village_and_township(self, village_id: int) -> tuple[str, str] | None:
        """The names of a stored village and of its township."""
        village = self._names.get(village_id)
        township = self._names.get(village[1]) if village and village[1] is not None else None
        return None if township is None else (village[0], township[0])

    def local_region(self, text: str, village_id: int | None) -> str | None:
        """The region class of a destination that is the name of a township or village
        the store has (城关镇, 濮城镇, 李庄村: GB/T 2260 stops at counties): 乡镇内 (11)
        within the township of the person's village ``village_id``, else 县内乡镇外 (12);
        None for any other text."""
        key = township_key(text, self.counties)
        home = self._names.get(village_id, ("", None))[1]
        if home is None and self.unit_level != COUNTY:
            home = self.unit_id  # (a township unit: its own township)
        township = self._townships.get(key)
        if township is None:
            township = self._township_of_village(key, home)
        if township is None:
            return None
        return TOWNSHIP_INSIDE if township == home else COUNTY_INSIDE

    def _township_of_village(self, key: str, home: int | None) -> int | None:
        """The township of the village a destination names: 城关镇李庄村 (township and
        village), or 李庄村 alone: the person's own township's, else any that has one (all
        the store's townships lie in the county: the region class is 12 whichever it is)."""
        for name, area_id in self._townships.items():
            if len(key) > len(name) and key.startswith(name):
                rest = _TOWNSHIP_WORD.sub("", key[len(name):])
                if rest and (area_id, village_key(rest)) in self._villages:
                    return area_id
        found = self._village_townships.get(village_key(key), ())
        if home in found:
            return home
        return min(found, default=None)

    def township(self, name: str) -> int | None:
        """A township of the county unit; None when the unit is a township itself."""
        if self.unit_level != COUNTY:
            return None
        key = township_key(name, self.counties)
        found = self._townships.get(key)
        if found is None:
            if self._listed:
                shown = "、".join(self._listed[:8]) + ("等" if len(self._listed) > 8 else "")
                raise UserError(f"乡镇“{name}”不是本县的乡镇（本县有{shown}）：请改正乡镇名称"
                                "后再导入这一行。")
            found = self._townships[key] = self._create(name, TOWNSHIP, self.unit_id)
        return found

    def village(self, township_id: int, name: str) -> int:
        """Raises a UserError (e.g. ValidationError) when a new village cannot be made."""
        key = (township_id, village_key(name))
        found = self._villages.get(key)
        if found is None:
            clean = re.sub(r"(村民委员会|村委会)$", "村", _clean(name))
            found = self._add_village(township_id, key[1], self._create(clean, VILLAGE, township_id))
        return found

    def group(self, village_id: int, name: str) -> int:
        key = (village_id, group_key(name))
        found = self._groups.get(key)
        if found is None:
            clean = _clean(name)
            if clean.isdigit():
                clean += "组"
            found = self._groups[key] = self._create(clean, GROUP, village_id)
        return found
