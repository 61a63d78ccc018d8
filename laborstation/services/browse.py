"""The register's read side: which persons or households match, in what order, and their rows.

The GUI's lazy table models call this (Anki's browser table): ``person_ids``
runs one SQL query that filters and sorts and returns only ids; the model then
asks ``person_rows`` for the page of ids it is about to paint. Nothing here
loads 250,000 rows, and nothing imports Qt.

Search text is matched by kind: digits (and a final X) are a prefix of the ID
number or the phone number (an index range); anything else is looked for in
``person.search_text`` ("张三丰 zhangsanfeng zsf"), so a name, a part of it,
its full pinyin or its initials all find the person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, func, or_, select, union_all
from sqlalchemy.orm import aliased

from laborstation.indicators.sqlfn import rural_labour
from laborstation.model import Area, HardToEmploy, Household, Person, Placement
from laborstation.search_keys import normalise_query
from laborstation.services import masking

# Sort keys a caller may ask for; each maps to indexed columns where it can.
SORT_KEYS = ("default", "name", "id_number", "birth_date", "village", "phone", "household")
_CHUNK = 900  # bound parameters per IN query (SQLite's old limit is 999)


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


def _next_prefix(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix`` (ASCII keys)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_number_key(key: str) -> bool:
    """Digits, optionally ending in X: a prefix of an ID number or a phone number."""
    body = key[:-1] if key.endswith("x") and len(key) > 1 else key
    return body.isascii() and body.isdigit()


def text_condition(raw: str):
    """The WHERE clause a search box entry stands for (None when it is empty).

    A selective key is matched inside ``id IN (subquery)`` so the subquery reads
    only a covering index (search_text, id_number or phone, each with the rowid)
    and the table is visited for the matches alone. A short number (a region
    prefix nearly everyone shares) is tested in place instead.
    """
    key = normalise_query(raw)
    if not key:
        return None
    if is_number_key(key):
        upper = key.upper()
        by_id = and_(Person.id_number >= upper, Person.id_number < _next_prefix(upper))
        by_phone = and_(Person.phone >= key, Person.phone < _next_prefix(key))
        if len(key) <= 6:
            return by_id if upper.endswith("X") else or_(by_id, by_phone)
        phones = [] if upper.endswith("X") else [select(Person.id).where(by_phone)]
        return Person.id.in_(_ids_where(by_id, *phones))
    pattern = f"%{_escape_like(key)}%"
    return Person.id.in_(select(Person.id).where(Person.search_text.like(pattern, escape="\\")))


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
    return _fetch_ids(store, stmt)


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


def _unindexed(column):
    """The column as an expression no index serves, so the planner keeps the order's index."""
    return func.coalesce(column, None)


def _live_and_binned() -> tuple:
    """The two halves an ID-number condition is read in: the live persons from the
    partial unique index, the only index of id_number (migration 0007), and the
    binned ones from their own small index."""
    return Person.deleted_at.is_(None), _binned(Person.deleted_at)


def _ids_where(by_id, *more):
    """Persons, live or binned, meeting ``by_id`` (a condition on the ID number), with
    the ``more`` selects after them."""
    return union_all(*(select(Person.id).where(by_id, half) for half in _live_and_binned()),
                     *more)


def _count_where(connection, by_id) -> int:
    """How many persons, live or binned, meet ``by_id`` (read as ``_ids_where``)."""
    count = select(func.count()).select_from(Person)
    return sum(int(connection.execute(count.where(by_id, half)).scalar_one())
               for half in _live_and_binned())


def _count_matching(connection, key: str) -> int:
    """Persons, live or not, whose ID number or phone (or search keys) match ``key``.

    Each part is a count over one covering index; an ID-or-phone key counts both
    ranges and takes off the rows in both (read through the smaller range).
    """
    count = select(func.count()).select_from(Person)
    if not is_number_key(key):
        like = Person.search_text.like(f"%{_escape_like(key)}%", escape="\\")
        return int(connection.execute(count.where(like)).scalar_one())
    upper = key.upper()
    by_id = and_(Person.id_number >= upper, Person.id_number < _next_prefix(upper))
    ids = _count_where(connection, by_id)
    if upper.endswith("X"):
        return ids
    by_phone = and_(Person.phone >= key, Person.phone < _next_prefix(key))
    phones = int(connection.execute(count.where(by_phone)).scalar_one())
    if not ids or not phones:
        return ids + phones
    width = len(key)
    if ids < phones:
        both = _count_where(connection, and_(by_id, func.substr(Person.phone, 1, width) == key))
    else:
        both = int(connection.execute(count.where(
            by_phone, func.substr(Person.id_number, 1, width) == upper)).scalar_one())
    return ids + phones - both


def _deleted_matching(connection, key: str) -> int:
    """How many rows of the recycle bin match ``key`` (few rows, matched here)."""
    rows = connection.execute(
        select(Person.id_number, Person.phone, Person.search_text).where(
            _binned(Person.deleted_at))
    ).all()
    if not key:
        return len(rows)
    if is_number_key(key):
        upper = key.upper()
        return sum(1 for n, phone, _ in rows
                   if n.startswith(upper) or (not upper.endswith("X") and (phone or "").startswith(key)))
    return sum(1 for _, _, text in rows if key in (text or ""))


def _only_text(query: PersonQuery) -> bool:
    return (
        not query.include_deleted
        and all(getattr(query, f) is None for f in (
            "township_id", "village_id", "group_id", "household_id", "category",
            "rural_labour", "local_status", "hard_to_employ", "placed_in_year"))
    )


def _few_matching(connection, key: str, limit: int,
                  within: Sequence[int] | None = None) -> list[int] | None:
    """The ids (live or not) matching ``key`` when there are at most ``limit``; else None.

    Each index is read with a LIMIT, so a key that matches nearly everyone stops early.
    ``within``: the candidates of a shorter key; only those rows are tested.
    """
    if is_number_key(key):
        upper = key.upper()
        parts = [and_(Person.id_number >= upper, Person.id_number < _next_prefix(upper))]
        reads = [_ids_where(parts[0])]
        if not upper.endswith("X"):
            parts.append(and_(Person.phone >= key, Person.phone < _next_prefix(key)))
            reads.append(select(Person.id).where(parts[1]))
    else:
        parts = [Person.search_text.like(f"%{_escape_like(key)}%", escape="\\")]
        reads = [select(Person.id).where(parts[0])]
    if within is not None:
        stmt = select(Person.id).where(Person.id.in_(list(within)), or_(*parts))
        return [row[0] for row in connection.execute(stmt)]
    found: set[int] = set()
    for read in reads:
        rows = connection.execute(read.limit(limit + 1)).all()
        found.update(row[0] for row in rows)
        if len(rows) > limit or len(found) > limit:
            return None
    return list(found)


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
            few = _few_matching(connection, key, LARGE, within)
            if few is not None:
                if not few:
                    return PersonPage([], 0, True, [])
                stmt = (select(Person.id)
                        .where(Person.id.in_(few), Person.deleted_at.is_(None))
                        .order_by(*_order(query)))
                ids = [row[0] for row in connection.execute(stmt)]
                return PersonPage(ids, len(ids), True, few)
            matches = _count_matching(connection, key)
        else:
            matches = int(connection.execute(
                select(func.count()).select_from(Person)).scalar_one())
        total = matches - _deleted_matching(connection, key)
        stmt = select(Person.id).where(_unindexed(Person.deleted_at).is_(None))
        if key:
            stmt = stmt.where(_in_place(key))
        ids = [row[0] for row in connection.execute(stmt.order_by(*_order(query)).limit(head))]
        return PersonPage(ids, total, len(ids) >= total)


def _in_place(key: str):
    """The search condition on unindexed expressions: the rows are read in the order's index."""
    if is_number_key(key):
        upper = key.upper()
        width = len(key)
        by_id = func.substr(Person.id_number, 1, width) == upper
        if upper.endswith("X"):
            return by_id
        return or_(by_id, func.substr(Person.phone, 1, width) == key)
    return _unindexed(Person.search_text).like(f"%{_escape_like(key)}%", escape="\\")


def _binned(column):
    """Rows in the recycle bin: a range, not IS NOT NULL, so the deleted_at index is used."""
    return column >= datetime(1900, 1, 1)


def _fetch_ids(store, stmt) -> list[int]:
    """Run a one-column integer query, reading the DBAPI cursor directly.

    250,000 ids come back in a third of the time SQLAlchemy's row processing
    takes, which is what keeps a search keystroke under 100 ms.
    """
    with store.engine.connect() as connection:
        result = connection.execute(stmt)
        try:
            return [row[0] for row in result.cursor.fetchall()]
        finally:
            result.close()


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def person_rows(store, ids: Sequence[int], *, today: date | None = None) -> list[PersonRow]:
    """The rows of these persons, in the order of ``ids`` (missing ids are skipped)."""
    today = today or date.today()
    village, group = aliased(Area), aliased(Area)
    found: dict[int, PersonRow] = {}
    with store.engine.connect() as connection:
        for chunk in _chunks(list(ids)):
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


# --- households -----------------------------------------------------------------------------


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
