"""The recycle bin (回收站): what was soft-deleted, newest first, and how to bring it back.

Households, persons and areas (villages, groups) are listed here. A person deleted together with a
household is not listed on their own: restoring the household brings them back.
Other services can add their kinds with ``register_kind``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborstation import idnumber
from laborstation.errors import NotFound
from laborstation.model import Area, Household, Person
from laborstation.model.area import LEVEL_NAMES
from laborstation.services.areas import restore_area
from laborstation.services.households import restore_household
from laborstation.services.persons import restore_person

__all__ = ["RecycleItem", "kinds", "recycle_bin", "register_kind", "restore"]


@dataclass(frozen=True, slots=True)
class RecycleItem:
    kind: str  # 'household', 'person', or a kind added with register_kind
    id: int
    label: str  # e.g. 「户 012 东村 户主 张三（含 3 名成员）」
    deleted_at: datetime
    kind_name: str = ""  # 户 / 人员 / ...


@dataclass(frozen=True, slots=True)
class _Kind:
    name: str
    list_items: Callable[[Session], Iterable[RecycleItem]]
    restore: Callable[..., object]


_KINDS: dict[str, _Kind] = {}


def register_kind(
    kind: str,
    name: str,
    list_items: Callable[[Session], Iterable[RecycleItem]],
    restore: Callable[..., object],
) -> None:
    """Add a kind of record to the bin: ``list_items(session)`` and ``restore(store, id)``."""
    _KINDS[kind] = _Kind(name, list_items, restore)


def kinds() -> dict[str, str]:
    return {kind: k.name for kind, k in _KINDS.items()}


def _village_names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(Area.id, Area.name).where(Area.id.in_(ids))).all())


def _households(session: Session) -> list[RecycleItem]:
    rows = session.scalars(select(Household).where(Household.deleted_at.is_not(None))).all()
    villages = _village_names(session, (h.village_id for h in rows))
    items = []
    for h in rows:
        head = session.get(Person, h.head_id) if h.head_id else None
        count = session.scalar(
            select(func.count()).where(
                Person.household_id == h.id, Person.deleted_at == h.deleted_at
            )
        )
        parts = [f"户 {h.number or '（无编号）'}", villages.get(h.village_id, "")]
        if head is not None:
            parts.append(f"户主 {head.name}")
        label = " ".join(p for p in parts if p) + f"（含 {count} 名成员）"
        items.append(RecycleItem("household", h.id, label, h.deleted_at, "户"))
    return items


def _persons(session: Session) -> list[RecycleItem]:
    rows = session.execute(
        select(Person, Household.deleted_at)
        .outerjoin(Household, Household.id == Person.household_id)
        .where(Person.deleted_at.is_not(None))
    ).all()
    villages = _village_names(session, (p.village_id for p, _ in rows))
    items = []
    for person, household_deleted_at in rows:
        if household_deleted_at is not None and household_deleted_at == person.deleted_at:
            continue  # comes back with its household
        label = " ".join(
            p
            for p in (
                person.name,
                idnumber.mask(person.id_number),
                villages.get(person.village_id, ""),
            )
            if p
        )
        items.append(RecycleItem("person", person.id, label, person.deleted_at, "人员"))
    return items


def _areas(session: Session) -> list[RecycleItem]:
    rows = session.scalars(select(Area).where(Area.deleted_at.is_not(None))).all()
    parents = _village_names(session, (a.parent_id for a in rows))
    return [
        RecycleItem(
            "area",
            a.id,
            f"{LEVEL_NAMES.get(a.level, a.level)} {parents.get(a.parent_id, '')} {a.name}".strip(),
            a.deleted_at,
            "地区",
        )
        for a in rows
    ]


register_kind("area", "地区", _areas, restore_area)
register_kind("household", "户", _households, restore_household)
register_kind("person", "人员", _persons, restore_person)


def recycle_bin(store, only: Iterable[str] | None = None) -> list[RecycleItem]:
    """Everything in the bin (or only the kinds in ``only``), newest deletion first."""
    wanted = list(_KINDS) if only is None else list(only)
    items: list[RecycleItem] = []
    with store.reading() as s:
        for kind in wanted:
            items.extend(_KINDS[kind].list_items(s))
    return sorted(items, key=lambda i: (i.deleted_at, i.kind, i.id), reverse=True)


def restore(store, kind: str, item_id: int):
    """Restore one item of the bin; returns what the kind's restore service returns."""
    if kind not in _KINDS:
        raise NotFound(f"回收站中没有这类记录：{kind}")
    return _KINDS[kind].restore(store, item_id)
