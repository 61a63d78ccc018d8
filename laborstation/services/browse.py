"""The register's read side: which persons or households match, in what order, and their rows.

The GUI's lazy table models call this (Anki's browser table): ``person_ids``
runs one SQL query that filters and sorts and returns only ids; the model then
asks ``person_rows`` for the page of ids it is about to paint. Nothing here
loads 250,000 rows, and nothing imports Qt. What search text matches is
``person_search``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased

from laborstation.indicators.sqlfn import rural_labour
from laborstation.model import Area, HardToEmploy, Household, Person, Placement
from laborstation.search_keys import normalise_query
from laborstation.services import masking
from laborstation.services.id_lists import chunks, fetch_ids
from laborstation.services.person_search import (
    count_matching,
    deleted_matching,
    few_matching,
    in_place,
    is_number_key,
    text_condition,
    unindexed,
)

# Sort keys a caller may ask for; each maps to indexed columns where it can.
SORT_KEYS = ("default", "name", "id_number", "birth_date", "village", "phone", "household")


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """What the register shows: search text, filters and the order."""

    text: str = ""
    township_id: int | None = None
    village_id: int | None = None
    group_id: int | None = None
    household_id: int | None = None
    category: str | None = None  # household_category code
    rural_labour: bool | None = None
    local_status: str | None = None
    hard_to_employ: bool | None = None
    placed_in_year: int | None = None
    sort: str = "default"
    descending: bool = False
    include_deleted: bool = False  # True: the recycle bin (only deleted rows)
    today: date | None = None  # the day ages and "rural labour" are counted at


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    name: str
    sex: str
    id_number: str
    birth_date: date
    age: int
    village: str
    group: str
    household_id: int | None
    household_number: str
    relation: str | None
    phone: str
    is_rural: bool
    labour_capacity: str
    local_status: str | None
    category: str | None
    deleted_at: datetime | None


def _age(birth: date, at: date) -> int:
    return at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))


def _conditions(query: PersonQuery) -> list:
    today = query.today or date.today()
    conds: list = [
        Person.deleted_at.is_not(None) if query.include_deleted else Person.deleted_at.is_(None)
    ]
    text = text_condition(query.text)
    if text is not None:
        conds.append(text)
    if query.village_id is not None:
        conds.append(Person.village_id == query.village_id)
    elif query.township_id is not None:
        villages = select(Area.id).where(Area.parent_id == query.township_id)
        conds.append(Person.village_id.in_(villages))
    if query.household_id is not None:
        conds.append(Person.household_id == query.household_id)
    if query.group_id is not None:
        households = select(Household.id).where(Household.group_id == query.group_id)
        conds.append(Person.household_id.in_(households))
    if query.category is not None:
        households = select(Household.id).where(Household.category == query.category)
        conds.append(Person.household_id.in_(households))
    if query.local_status is not None:
        conds.append(Person.local_status == query.local_status)
    if query.rural_labour is not None:
        labour = rural_labour(today)  # the return's own definition (101)
        conds.append(labour if query.rural_labour else ~labour)
    if query.hard_to_employ is not None:
        current = exists().where(
            HardToEmploy.person_id == Person.id,
            HardToEmploy.deleted_at.is_(None),
            HardToEmploy.recognised_on <= today,
            or_(HardToEmploy.ended_on.is_(None), HardToEmploy.ended_on >= today),
        )
        conds.append(current if query.hard_to_employ else ~current)
    if query.placed_in_year is not None:
        year = query.placed_in_year
        conds.append(
            Person.id.in_(
                select(Placement.person_id).where(
                    Placement.deleted_at.is_(None),
                    Placement.start_on >= date(year, 1, 1),
                    Placement.start_on <= date(year, 12, 31),
                )
            )
        )
    return conds


def _order(query: PersonQuery) -> list:
    key = query.sort if query.sort in SORT_KEYS else "default"
    columns = {
        "default": [Person.id],  # entry order: households stay together, no sort step
        "name": [Person.name, Person.id],
        "id_number": [Person.id_number],
        "birth_date": [Person.birth_date, Person.id],
        "village": [Person.village_id, Person.id],
        "household": [Person.household_id, Person.relation, Person.id],
        "phone": [Person.phone, Person.id],
    }[key]
    if query.descending:
        return [c.desc() for c in columns]
    return columns


def person_ids(store, query: PersonQuery) -> list[int]:
    """The ids of the persons that match, in the asked order (one SQL query, ids only)."""
    stmt = select(Person.id).where(*_conditions(query)).order_by(*_order(query))
    return fetch_ids(store, stmt)


@dataclass(frozen=True, slots=True)
class PersonPage:
    """The first ``ids`` of a result of ``total`` rows; ``complete`` when ids are all of them."""

    ids: list[int]
    total: int
    complete: bool
    # All ids (live or not) that match the text, when they are few: a longer key typed
    # next can only match some of these, so it is looked for among them (``within``).
    candidates: list[int] | None = None


LARGE = 3000  # more matches than this: the head of the list and a count, not every id


def _only_text(query: PersonQuery) -> bool:
    return (
        not query.include_deleted
        and all(getattr(query, f) is None for f in (
            "township_id", "village_id", "group_id", "household_id", "category",
            "rural_labour", "local_status", "hard_to_employ", "placed_in_year"))
    )


def person_page(store, query: PersonQuery, head: int = 300,
                within: Sequence[int] | None = None) -> PersonPage:
    """What a search keystroke needs: the first ``head`` ids in order and the exact count.

    A search that matches most of 250,000 people ("z", or the county's ID prefix)
    would spend its time carrying every id into Python. When only the search text
    is set: a key with at most ``LARGE`` matches is read through its index and
    sorted by id list; a key with more is counted over covering indexes (minus
    the recycle bin) and only the first rows are read in order; ``person_ids``
    gives the rest when the clerk scrolls past them. Other filters: ``person_ids``.
    ``within``: the ``candidates`` of the page of a key this one extends (typing on).
    """
    if not _only_text(query):
        ids = person_ids(store, query)
        return PersonPage(ids, len(ids), True)
    key = normalise_query(query.text)
    with store.engine.connect() as connection:
        if key:
            few = few_matching(connection, key, LARGE, within)
            if few is not None:
                if not few:
                    return PersonPage([], 0, True, [])
                stmt = (select(Person.id)
                        .where(Person.id.in_(few), Person.deleted_at.is_(None))
                        .order_by(*_order(query)))
                ids = [row[0] for row in connection.execute(stmt)]
                return PersonPage(ids, len(ids), True, few)
            matches = count_matching(connection, key)
        else:
            matches = int(connection.execute(
                select(func.count()).select_from(Person)).scalar_one())
        total = matches - deleted_matching(connection, key)
        stmt = select(Person.id).where(unindexed(Person.deleted_at).is_(None))
        if key:
            stmt = stmt.where(in_place(key))
        ids = [row[0] for row in connection.execute(stmt.order_by(*_order(query)).limit(head))]
        return PersonPage(ids, total, len(ids) >= total)


def person_rows(store, ids: Sequence[int], *, today: date | None = None) -> list[PersonRow]:
    """The rows of these persons, in the order of ``ids`` (missing ids are skipped)."""
    today = today or date.today()
    village, group = aliased(Area), aliased(Area)
    found: dict[int, PersonRow] = {}
    with store.engine.connect() as connection:
        for chunk in chunks(list(ids)):
            stmt = (
                select(
                    Person.id, Person.name, Person.sex, Person.id_number, Person.birth_date,
                    village.name, group.name, Person.household_id, Household.number,
                    Person.relation, Person.phone, Person.is_rural, Person.labour_capacity,
                    Person.local_status, Household.category, Person.deleted_at,
                )
                .outerjoin(Household, Household.id == Person.household_id)
                .outerjoin(village, village.id == Person.village_id)
                .outerjoin(group, group.id == Household.group_id)
                .where(Person.id.in_(chunk))
            )
            for r in connection.execute(stmt):
                found[r[0]] = PersonRow(
                    id=r[0], name=r[1], sex=r[2], id_number=r[3], birth_date=r[4],
                    age=_age(r[4], today), village=r[5] or "", group=r[6] or "",
                    household_id=r[7], household_number=r[8] or "", relation=r[9],
                    phone=r[10] or "", is_rural=bool(r[11]), labour_capacity=r[12] or "",
                    local_status=r[13], category=r[14], deleted_at=r[15],
                )
    return masking.rows_for(store, [found[i] for i in ids if i in found])  # viewers: masked


# --- a person's rights cases ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonCase:
    id: int
    received_on: date
    case_type: str
    employer_name: str
    amount_claimed: object  # Decimal yuan
    amount_recovered: object
    status_name: str


def cases_of_person(store, person_id: int) -> list[PersonCase]:
    """The live rights cases a person brought or was visited for (the person page's tab).

    ``services.rights.list_cases`` has no person filter; this is the read the tab needs.
    """
    from laborstation.model import RightsCase
    from laborstation.model.rights import CASE_STATUS_NAMES

    stmt = (
        select(RightsCase)
        .where(RightsCase.person_id == person_id, RightsCase.deleted_at.is_(None))
        .order_by(RightsCase.received_on.desc())
    )
    with store.reading() as session:
        return [
            PersonCase(c.id, c.received_on, c.case_type, c.employer_name or "",
                       c.amount_claimed, c.amount_recovered,
                       CASE_STATUS_NAMES.get(c.status, c.status))
            for c in session.scalars(stmt)
        ]


__all__ = [
    "SORT_KEYS", "PersonQuery", "PersonRow", "LARGE", "PersonCase", "PersonPage", "cases_of_person", "is_number_key", "normalise_query", "person_ids", "person_page", "person_rows", "text_condition",
]
