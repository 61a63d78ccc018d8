"""The register's read side for households and the area tree (persons: ``browse``).

``household_ids`` filters and sorts in one SQL query that returns only ids;
``household_rows`` fetches the page of rows a table is about to paint;
``area_nodes`` gives the village/group tree with live-person counts; ``totals``
the figures of the status bar. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from laborstation.model import Area, Household, Person
from laborstation.search_keys import normalise_query
from laborstation.services import masking
from laborstation.services.id_lists import chunks, fetch_ids
from laborstation.services.person_search import binned, escape_like, text_condition


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    id: int
    number: str
    head_name: str
    head_id_number: str
    village: str
    group: str
    address: str
    phone: str
    category: str
    members: int
    deleted_at: datetime | None


@dataclass(frozen=True, slots=True)
class AreaNode:
    id: int
    code: str | None
    name: str
    level: str
    parent_id: int | None
    persons: int  # live persons registered in it (villages only; 0 elsewhere)


@dataclass(frozen=True, slots=True)
class HouseholdQuery:
    text: str = ""  # household number, or a member's name / pinyin / ID / phone
    township_id: int | None = None
    village_id: int | None = None
    group_id: int | None = None
    category: str | None = None
    sort: str = "default"  # default (village, number), number, category
    descending: bool = False
    include_deleted: bool = False


def _household_conditions(query: HouseholdQuery) -> list:
    conds: list = [
        Household.deleted_at.is_not(None) if query.include_deleted
        else Household.deleted_at.is_(None)
    ]
    key = normalise_query(query.text)
    if key:
        members = select(Person.household_id).where(
            Person.deleted_at.is_(None), text_condition(query.text)
        )
        by_number = Household.number.like(f"{escape_like(key.upper())}%", escape="\\")
        conds.append(or_(Household.id.in_(members), by_number))
    if query.village_id is not None:
        conds.append(Household.village_id == query.village_id)
    elif query.township_id is not None:
        conds.append(
            Household.village_id.in_(select(Area.id).where(Area.parent_id == query.township_id))
        )
    if query.group_id is not None:
        conds.append(Household.group_id == query.group_id)
    if query.category is not None:
        conds.append(Household.category == query.category)
    return conds


def household_ids(store, query: HouseholdQuery) -> list[int]:
    columns = {
        "default": [Household.village_id, Household.number, Household.id],
        "number": [Household.number, Household.id],
        "category": [Household.category, Household.id],
    }.get(query.sort, [Household.village_id, Household.number, Household.id])
    if query.descending:
        columns = [c.desc() for c in columns]
    stmt = select(Household.id).where(*_household_conditions(query)).order_by(*columns)
    return fetch_ids(store, stmt)


def household_rows(store, ids: Sequence[int]) -> list[HouseholdRow]:
    village, group, head = aliased(Area), aliased(Area), aliased(Person)
    members = (
        select(func.count())
        .where(Person.household_id == Household.id, Person.deleted_at.is_(None))
        .scalar_subquery()
    )
    found: dict[int, HouseholdRow] = {}
    with store.engine.connect() as connection:
        for chunk in chunks(list(ids)):
            stmt = (
                select(
                    Household.id, Household.number, head.name, head.id_number, village.name,
                    group.name, Household.address, Household.phone, Household.category,
                    members, Household.deleted_at,
                )
                .outerjoin(head, head.id == Household.head_id)
                .outerjoin(village, village.id == Household.village_id)
                .outerjoin(group, group.id == Household.group_id)
                .where(Household.id.in_(chunk))
            )
            for r in connection.execute(stmt):
                found[r[0]] = HouseholdRow(
                    id=r[0], number=r[1] or "", head_name=r[2] or "", head_id_number=r[3] or "",
                    village=r[4] or "", group=r[5] or "", address=r[6] or "", phone=r[7] or "",
                    category=r[8] or "", members=int(r[9] or 0), deleted_at=r[10],
                )
    return masking.rows_for(store, [found[i] for i in ids if i in found])  # viewers: masked


# --- the area tree and counts -----------------------------------------------------------------


def area_nodes(store) -> list[AreaNode]:
    """Every live area with the number of live persons of each village, in display order.

    Counted over the village_id index (every person) less the recycle bin's few,
    which reads no table rows: the tree is part of the window's start.
    """
    per_village = select(Person.village_id, func.count()).group_by(Person.village_id)
    stmt = (
        select(Area.id, Area.code, Area.name, Area.level, Area.parent_id)
        .where(Area.deleted_at.is_(None))
        .order_by(Area.sort_order, Area.code, Area.id)
    )
    with store.engine.connect() as connection:
        counts = dict(connection.execute(per_village).all())
        in_bin = select(Person.village_id).where(binned(Person.deleted_at))
        for (village_id,) in connection.execute(in_bin):  # few rows: no GROUP BY plan to fear
            counts[village_id] -= 1
        return [
            AreaNode(r[0], r[1], r[2], r[3], r[4], int(counts.get(r[0], 0)))
            for r in connection.execute(stmt)
        ]


def totals(store) -> dict[str, int]:
    """Live persons, live households and the recycle bin's size (for the status bar)."""
    live_p = select(func.count()).select_from(Person).where(Person.deleted_at.is_(None))
    live_h = select(func.count()).select_from(Household).where(Household.deleted_at.is_(None))
    bin_p = select(func.count()).select_from(Person).where(Person.deleted_at.is_not(None))
    bin_h = select(func.count()).select_from(Household).where(Household.deleted_at.is_not(None))
    with store.engine.connect() as connection:
        return {
            "persons": int(connection.execute(live_p).scalar_one()),
            "households": int(connection.execute(live_h).scalar_one()),
            "deleted_persons": int(connection.execute(bin_p).scalar_one()),
            "deleted_households": int(connection.execute(bin_h).scalar_one()),
        }
