"""The area tree below the station: villages (行政村) and their groups (村民小组).

The county and township rows are made by ``services.station``; clerks add the
villages and groups. A village code is the township's 9 digits plus 3 of its own.
``village_in`` / ``group_in`` / ``township_of`` work inside a caller's session
(importers); everything else opens one session per call.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborstation.codes import normalise_name
from laborstation.errors import DuplicateRecord, NotFound, ValidationError
from laborstation.model import Household, Person
from laborstation.model.area import GROUP, LEVEL_NAMES, TOWNSHIP, VILLAGE, Area
from laborstation.services._checks import clean_text, now, require_writer

__all__ = [
    "AreaInfo",
    "add_group",
    "add_village",
    "area_tree",
    "children",
    "delete_area",
    "get_area",
    "group_in",
    "rename_area",
    "restore_area",
    "township_of",
    "village_in",
]

NAME_MAX = 60


@dataclass(frozen=True, slots=True)
class AreaInfo:
    id: int
    code: str | None
    name: str
    level: str  # county / township / village / group
    parent_id: int | None
    depth: int = 0  # in area_tree(): 0 for the top rows

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)


def _info(area: Area, depth: int = 0) -> AreaInfo:
    return AreaInfo(area.id, area.code, area.name, area.level, area.parent_id, depth)


def _live(session: Session, area_id: int, level: str | None = None) -> Area:
    area = session.get(Area, area_id)
    what = LEVEL_NAMES.get(level, "地区") if level else "地区"
    if area is None or area.deleted_at is not None:
        raise NotFound(f"找不到{what}（编号 {area_id}），可能已被删除。")
    if level is not None and area.level != level:
        raise ValidationError(
            f"「{area.name}」是{LEVEL_NAMES.get(area.level, area.level)}，不是{what}。", "level"
        )
    return area


def _siblings(session: Session, parent_id: int | None) -> list[Area]:
    parent = Area.parent_id.is_(None) if parent_id is None else Area.parent_id == parent_id
    return list(session.scalars(select(Area).where(parent, Area.deleted_at.is_(None))))


def _check_unique_name(
    session: Session, parent: Area | None, name: str, level: str, skip_id: int | None = None
) -> None:
    key = normalise_name(name)
    for other in _siblings(session, parent.id if parent else None):
        if other.id != skip_id and normalise_name(other.name) == key:
            where = f"「{parent.name}」下" if parent else ""
            raise DuplicateRecord(
                f"{where}已有名为「{other.name}」的{LEVEL_NAMES.get(level, '地区')}。", other.id
            )


def _next_order(session: Session, parent_id: int) -> int:
    top = session.scalar(select(func.max(Area.sort_order)).where(Area.parent_id == parent_id))
    return (top or 0) + 1


def _check_village_code(session: Session, township: Area, code) -> str | None:
    if code is None or not str(code).strip():
        return None
    code = "".join(str(code).split())
    if len(code) != 12 or not (code.isascii() and code.isdigit()):
        raise ValidationError(f"村代码「{code}」无效：应为 12 位数字。", "code")
    if township.code and code[:9] != township.code[:9]:
        raise ValidationError(
            f"村代码 {code} 与乡镇「{township.name}」不符：前 9 位应为 {township.code[:9]}。",
            "code",
        )
    if code[9:] == "000":
        raise ValidationError(f"村代码 {code} 无效：后 3 位不能是 000（那是乡镇本身）。", "code")
    holder = session.scalar(select(Area).where(Area.code == code))
    if holder is not None:
        where = "（在回收站中）" if holder.deleted_at is not None else ""
        raise DuplicateRecord(f"代码 {code} 已用于「{holder.name}」{where}。", holder.id)
    return code


def _new_village(session: Session, township: Area, name: str, code=None) -> Area:
    name = clean_text(name, "name", "村名", max_len=NAME_MAX, required=True)
    _check_unique_name(session, township, name, VILLAGE)
    village = Area(
        name=name,
        level=VILLAGE,
        parent_id=township.id,
        code=_check_village_code(session, township, code),
        sort_order=_next_order(session, township.id),
    )
    session.add(village)
    session.flush()
    return village


def _new_group(session: Session, village: Area, name: str) -> Area:
    name = clean_text(name, "name", "村民小组名", max_len=NAME_MAX, required=True)
    _check_unique_name(session, village, name, GROUP)
    group = Area(
        name=name, level=GROUP, parent_id=village.id, sort_order=_next_order(session, village.id)
    )
    session.add(group)
    session.flush()
    return group


def add_village(store, township_id: int, name: str, code: str | None = None) -> AreaInfo:
    """A new village under a township; ``code`` (12 digits) is optional."""
    require_writer(store)
    with store.session() as s:
        return _info(_new_village(s, _live(s, township_id, TOWNSHIP), name, code))


def add_group(store, village_id: int, name: str) -> AreaInfo:
    """A new village group (村民小组) under a village."""
    require_writer(store)
    with store.session() as s:
        return _info(_new_group(s, _live(s, village_id, VILLAGE), name))


def rename_area(store, area_id: int, name: str) -> AreaInfo:
    """A new name, unique among the live areas with the same parent."""
    require_writer(store)
    with store.session() as s:
        area = _live(s, area_id)
        label = {VILLAGE: "村名", GROUP: "村民小组名"}.get(area.level, "名称")
        name = clean_text(name, "name", label, max_len=NAME_MAX, required=True)
        parent = s.get(Area, area.parent_id) if area.parent_id else None
        _check_unique_name(s, parent, name, area.level, skip_id=area.id)
        area.name = name
        s.flush()
        return _info(area)


def delete_area(store, area_id: int) -> AreaInfo:
    """Send a village or group typed by mistake to the recycle bin.

    Refused while anything live is in it (groups, households, persons).
    """
    require_writer(store)
    with store.session() as s:
        area = _live(s, area_id)
        if area.level not in (VILLAGE, GROUP):
            what = LEVEL_NAMES.get(area.level, area.level)
            raise ValidationError(f"「{area.name}」是{what}，只能删除村或村民小组。", "level")
        column = Household.village_id if area.level == VILLAGE else Household.group_id
        counts = [
            (len(_siblings(s, area.id)), "个村民小组"),
            (
                s.scalar(
                    select(func.count()).where(column == area.id, Household.deleted_at.is_(None))
                ),
                "户",
            ),
            (
                s.scalar(
                    select(func.count()).where(
                        Person.village_id == area.id, Person.deleted_at.is_(None)
                    )
                ),
                "人",
            ),
        ]
        still = "、".join(f"{n} {what}" for n, what in counts if n)
        if still:
            raise ValidationError(f"「{area.name}」下还有 {still}，不能删除。", "area_id")
        area.deleted_at = now()
        s.flush()
        return _info(area)


def restore_area(store, area_id: int) -> AreaInfo:
    """Bring back a deleted village or group (its parent must be live, its name still free)."""
    require_writer(store)
    with store.session() as s:
        area = s.get(Area, area_id)
        if area is None:
            raise NotFound(f"找不到地区（编号 {area_id}）。")
        if area.deleted_at is not None:
            parent = s.get(Area, area.parent_id) if area.parent_id else None
            if parent is not None and parent.deleted_at is not None:
                raise ValidationError(f"「{parent.name}」也已删除，请先恢复它。", "parent_id")
            _check_unique_name(s, parent, area.name, area.level, skip_id=area.id)
            area.deleted_at = None
            s.flush()
        return _info(area)


def get_area(store, area_id: int) -> AreaInfo:
    with store.reading() as s:
        return _info(_live(s, area_id))


def _order(area: Area):
    return (area.sort_order or 0, area.code or "", area.name, area.id)


def children(store, parent_id: int | None) -> list[AreaInfo]:
    """The live areas directly under ``parent_id`` (None: the top rows), in display order."""
    with store.reading() as s:
        return [_info(a) for a in sorted(_siblings(s, parent_id), key=_order)]


def area_tree(store) -> list[AreaInfo]:
    """All live areas, depth first (each parent before its children), with their depth.

    An area whose parent is deleted is left out, with everything below it.
    """
    with store.reading() as s:
        areas = list(s.scalars(select(Area).where(Area.deleted_at.is_(None))))
    by_parent: dict[int | None, list[Area]] = defaultdict(list)
    for area in areas:
        by_parent[area.parent_id].append(area)
    out: list[AreaInfo] = []
    stack = [(a, 0) for a in sorted(by_parent[None], key=_order, reverse=True)]
    while stack:
        area, depth = stack.pop()
        out.append(_info(area, depth))
        stack.extend((c, depth + 1) for c in sorted(by_parent[area.id], key=_order, reverse=True))
    return out


def _find_child(session: Session, parent_id: int, name: str, level: str) -> Area | None:
    """The live child named ``name``; else the one named with/without a final 村 if unique."""
    key = normalise_name(name)
    kids = [a for a in _siblings(session, parent_id) if a.level == level]
    for area in kids:
        if normalise_name(area.name) == key:
            return area
    if level != VILLAGE:
        return None
    other = key[:-1] if key.endswith("村") else key + "村"
    near = [a for a in kids if normalise_name(a.name) == other]
    return near[0] if len(near) == 1 else None


def village_in(session: Session, township_id: int, name: str, create: bool = True) -> Area | None:
    """The village ``name`` under a township, inside the caller's session (for importers).

    「李庄」 finds 「李庄村」 and the other way round. With ``create`` a missing
    village is added (and flushed, so it has an id); else None.
    """
    township = _live(session, township_id, TOWNSHIP)
    found = _find_child(session, township.id, name, VILLAGE)
    if found is None and create:
        found = _new_village(session, township, name)
    return found


def group_in(session: Session, village_id: int, name: str, create: bool = True) -> Area | None:
    """The group ``name`` under a village, inside the caller's session (for importers)."""
    village = _live(session, village_id, VILLAGE)
    found = _find_child(session, village.id, name, GROUP)
    if found is None and create:
        found = _new_group(session, village, name)
    return found


def township_of(session: Session, area_id: int | None) -> Area | None:
    """The township an area lies in (itself if it is one); None above or outside townships."""
    seen = set()
    area = session.get(Area, area_id) if area_id is not None else None
    while area is not None and area.id not in seen:
        if area.level == TOWNSHIP:
            return area
        seen.add(area.id)
        area = session.get(Area, area.parent_id) if area.parent_id is not None else None
    return None
