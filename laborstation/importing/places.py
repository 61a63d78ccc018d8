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
from laborstation.importing.chinese_numbers import chinese_number
from laborstation.model import COUNTY, GROUP, TOWNSHIP, VILLAGE, Area
from laborstation.model.area import LEVEL_NAMES
from laborstation.regions import COUNTY_INSIDE, TOWNSHIP_INSIDE
from laborstation.services._checks import clean_text
from laborstation.services.areas import NAME_MAX

_VILLAGE_WORDS = "村民委员会|村委会|村委|居民委员会|居委会|社区|村"
_VILLAGE_SUFFIX = re.compile(rf"({_VILLAGE_WORDS})$")
_COMMITTEE_WORDS = re.compile(r"(村民委员会|村委会|村委|居民委员会|居委会)$")
_VILLAGE_WORD = re.compile(rf"^({_VILLAGE_WORDS})+")  # after a village's key (李庄村1组)
_COMMITTEE = re.compile(r"(村民委员会|村委会|村委)$")
_TOWNSHIP_WORDS = "街道办事处|办事处|街道|镇|乡"
# The township's government or the station's office after a township's name (城关镇人民政府,
# 辛庄镇劳动保障所, as the setup dialog suggests a station be named): none of its name.
_OFFICE = (r"人民政府|政府|(?:便民|为民|党群|政务)服务中心|(?:人力资源和?社会保障|劳动和?社会保障"
           r"|劳动就业和?社会保障|就业和?社会保障|劳动保障|劳动就业|社会保障|人社|社保|劳保)"
           r"(?:事务|服务|工作|管理)?(?:所|站|中心|办公室|办)")
_OFFICE_SUFFIX = re.compile(rf"({_OFFICE})$")
_TOWNSHIP_SUFFIX = re.compile(rf"({_OFFICE}|{_TOWNSHIP_WORDS})$")
_GROUP = re.compile(r"^第?([0-9零〇一二三四五六七八九十百两]+)(村民小组|小组|组|队|生产队)?$")


_TOWNSHIP_WORD = re.compile(rf"^({_TOWNSHIP_WORDS})")  # after a township key


def _clean(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _key(name: str) -> str:
    return _clean(name).casefold()


def village_key(name: str) -> str:
    """李庄, 李庄村, 李庄村委, 李庄村委会 and 李庄村村委会 are one key (陈村 and 陈村村委会
    too: a committee word at the end goes, then one 村 or 社区; 张村社区 stays apart from
    张村)."""
    key = _key(name)
    key = _COMMITTEE_WORDS.sub("", key) or key
    return _VILLAGE_SUFFIX.sub("", key) or key


def village_name(name: str) -> str:
    """A new village's name: 李庄村委会, 李庄村委 and 李庄村村委会 are 李庄村, 陈村村委会 陈村."""
    name = _clean(name)
    base = _COMMITTEE.sub("", name)
    if base == name or not base:
        return name
    return base if base.endswith("村") else base + "村"


def _without_county(name: str, counties: tuple[str, ...]) -> str:
    for county in counties:
        county = _clean(county)
        if county and name.casefold().startswith(county.casefold()) and len(name) > len(county):
            return name[len(county):]
    return name


def township_key(name: str, counties: tuple[str, ...] = ()) -> str:
    """城关, 城关镇, 城关镇政府, 城关镇人民政府, 城关镇劳动保障所 and (given the county's
    name) 范县城关镇 are one key."""
    key = _without_county(_key(name), counties)
    while (shorter := _TOWNSHIP_SUFFIX.sub("", key)) and shorter != key:
        key = shorter
    return key


def township_name(name: str, counties: tuple[str, ...] = ()) -> str:
    """A township's name without the county before it nor an office after it: 范县王楼镇,
    王楼镇人民政府 and 王楼镇劳动保障所 are 王楼镇."""
    name = _without_county(_clean(name), counties)
    while (shorter := _OFFICE_SUFFIX.sub("", name)) and shorter != name:
        name = shorter
    return name


def typo_hint(alike: str) -> str:
    """Told of a township made by an import that a township of the register is like."""
    return f"台账中有{alike}，只差一个字：如是笔误，请改正乡镇名后再导入"


def _one_apart(a: str, b: str) -> bool:
    """The two differ by one character (changed, added or left out)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def group_key(name: str) -> str:
    key = _key(name)
    match = _GROUP.match(key)
    if match:
        number = chinese_number(match.group(1))
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
        self._told: dict[int, str] = {}  # an area made → its line in ``created``
        rows = session.execute(
            select(Area.id, Area.name, Area.level, Area.parent_id, Area.code).where(
                Area.deleted_at.is_(None)
            )
        ).all()
        self.counties = tuple(name for _id, name, level, _p, _c in rows if level == COUNTY)
        # A county whose townships carry their official codes has its list of townships:
        # a name not on it is a mistake to correct, not a township to make (``township``).
        self._listed: list[str] = []
        groups = []
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
                groups.append((parent_id, name, area_id))
        for parent_id, name, area_id in groups:  # (once the villages' names are known)
            self._groups.setdefault((parent_id, group_key(self._in_village(parent_id, name))),
                                    area_id)
        self._with_villages = {parent for parent, _name in self._villages}  # before the import
        self._stored_townships = dict(self._townships)  # key → id, before the import
        self._alike: dict[int, str] = {}  # a township made now → the stored one it is like

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
        self._told[area_id] = f"{label} {name}"
        self.created.append(self._told[area_id])
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
        for area_id, _values in reversed(self.new_areas):
            if area_id in dropped:
                self.session.connection().execute(
                    Area.__table__.delete().where(Area.__table__.c.id == area_id))
                self.created.remove(self._told.pop(area_id))
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
            found = self._townships[key] = self._create(
                township_name(name, self.counties), TOWNSHIP, self.unit_id)
            # (whole names, 镇/乡 and all: 张庄乡 and 辛庄镇 are no typo of each other)
            tidy = township_name(name, self.counties)
            alike = next((self._names[area_id][0] for area_id in self._stored_townships.values()
                          if len(tidy) >= 3 and _one_apart(tidy, self._names[area_id][0])), None)
            if alike:  # (城光镇 for 城关镇?)
                self._alike[found] = alike
                told = self._told[found]
                self._told[found] = self.created[self.created.index(told)] = (
                    f"{told}（{typo_hint(alike)}）")
        return found

    def alike_township(self, township_id: int) -> str | None:
        """The name of the township of the register that one made by this import differs
        from by one character (a typo of it?); None for any other."""
        return self._alike.get(township_id)

    def village(self, township_id: int, name: str) -> int:
        """Raises a UserError (e.g. ValidationError) when a new village cannot be made."""
        name = self._in_township(township_id, name)
        key = (township_id, village_key(name))
        found = self._villages.get(key)
        if found is None:
            found = self._add_village(township_id, key[1],
                                      self._create(village_name(name), VILLAGE, township_id))
        return found

    def _in_township(self, township_id: int, name: str) -> str:
        """A village's name without its township's before it: 城关镇李庄村 (a sheet named
        so, as two townships' 李庄村 cannot both be 李庄村) is 李庄村 of 城关镇."""
        clean = _clean(name)
        township = township_key(self._names.get(township_id, ("",))[0], self.counties)
        if township and clean.casefold().startswith(township):
            rest = clean[len(township):]
            word = _TOWNSHIP_WORD.match(rest)
            if word and len(rest) - word.end() >= 2:
                return rest[word.end():]
        return name

    def _in_village(self, village_id: int, name: str) -> str:
        """A group's name without its village's before it: 李庄村1组 is 1组 of 李庄村."""
        clean = _clean(name)
        village = village_key(self._names.get(village_id, ("",))[0])
        if village and clean.casefold().startswith(village):
            rest = clean[len(village):]
            word = _VILLAGE_WORD.match(rest)
            rest = rest[word.end():] if word else rest
            # (without a 村 between, a one-character key is no village's name: 3村, 35组)
            if _GROUP.match(rest) and (word or (len(village) > 1 and not _GROUP.match(village))):
                return rest
        return name

    def group(self, village_id: int, name: str) -> int:
        name = self._in_village(village_id, name)
        key = (village_id, group_key(name))
        found = self._groups.get(key)
        if found is None:
            clean = _clean(name)
            if clean.isdigit():
                clean += "组"
            found = self._groups[key] = self._create(clean, GROUP, village_id)
        return found
