"""What a search-box key matches among persons, read over covering indexes.

Digits (and a final X) are a prefix of the ID number or of the phone number: an index
range each. Anything else is looked for in ``person.search_text`` ("张三丰 zhangsanfeng
zsf"), so a name, a part of it, its full pinyin or its initials all find the person.
The register (``browse``), the households list and the audit log search through
``text_condition``; the register's keystroke page (``browse.person_page``) also counts
the matches and lists a few of them here without reading every id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, union_all

from laborstation.model import Person
from laborstation.search_keys import normalise_query


def next_prefix(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix`` (ASCII keys)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def escape_like(text: str) -> str:
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
        by_id = and_(Person.id_number >= upper, Person.id_number < next_prefix(upper))
        by_phone = and_(Person.phone >= key, Person.phone < next_prefix(key))
        if len(key) <= 6:
            return by_id if upper.endswith("X") else or_(by_id, by_phone)
        phones = [] if upper.endswith("X") else [select(Person.id).where(by_phone)]
        return Person.id.in_(_ids_where(by_id, *phones))
    pattern = f"%{escape_like(key)}%"
    return Person.id.in_(select(Person.id).where(Person.search_text.like(pattern, escape="\\")))


def unindexed(column):
    """The column as an expression no index serves, so the planner keeps the order's index."""
    return func.coalesce(column, None)


def binned(column):
    """Rows in the recycle bin: a range, not IS NOT NULL, so the deleted_at index is used."""
    return column >= datetime(1900, 1, 1)


def _live_and_binned() -> tuple:
    """The two halves an ID-number condition is read in: the live persons from the
    partial unique index, the only index of id_number (migration 0007), and the
    binned ones from their own small index."""
    return Person.deleted_at.is_(None), binned(Person.deleted_at)


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


def count_matching(connection, key: str) -> int:
    """Persons, live or not, whose ID number or phone (or search keys) match ``key``.

    Each part is a count over one covering index; an ID-or-phone key counts both
    ranges and takes off the rows in both (read through the smaller range).
    """
    count = select(func.count()).select_from(Person)
    if not is_number_key(key):
        like = Person.search_text.like(f"%{escape_like(key)}%", escape="\\")
        return int(connection.execute(count.where(like)).scalar_one())
    upper = key.upper()
    by_id = and_(Person.id_number >= upper, Person.id_number < next_prefix(upper))
    ids = _count_where(connection, by_id)
    if upper.endswith("X"):
        return ids
    by_phone = and_(Person.phone >= key, Person.phone < next_prefix(key))
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


def deleted_matching(connection, key: str) -> int:
    """How many rows of the recycle bin match ``key`` (few rows, matched here)."""
    rows = connection.execute(
        select(Person.id_number, Person.phone, Person.search_text).where(
            binned(Person.deleted_at))
    ).all()
    if not key:
        return len(rows)
    if is_number_key(key):
        upper = key.upper()
        return sum(1 for n, phone, _ in rows
                   if n.startswith(upper) or (not upper.endswith("X") and (phone or "").startswith(key)))
    return sum(1 for _, _, text in rows if key in (text or ""))


def few_matching(connection, key: str, limit: int,
                  within: Sequence[int] | None = None) -> list[int] | None:
    """The ids (live or not) matching ``key`` when there are at most ``limit``; else None.

    Each index is read with a LIMIT, so a key that matches nearly everyone stops early.
    ``within``: the candidates of a shorter key; only those rows are tested.
    """
    if is_number_key(key):
        upper = key.upper()
        parts = [and_(Person.id_number >= upper, Person.id_number < next_prefix(upper))]
        reads = [_ids_where(parts[0])]
        if not upper.endswith("X"):
            parts.append(and_(Person.phone >= key, Person.phone < next_prefix(key)))
            reads.append(select(Person.id).where(parts[1]))
    else:
        parts = [Person.search_text.like(f"%{escape_like(key)}%", escape="\\")]
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


def in_place(key: str):
    """The search condition on unindexed expressions: the rows are read in the order's index."""
    if is_number_key(key):
        upper = key.upper()
        width = len(key)
        by_id = func.substr(Person.id_number, 1, width) == upper
        if upper.endswith("X"):
            return by_id
        return or_(by_id, func.substr(Person.phone, 1, width) == key)
    return unindexed(Person.search_text).like(f"%{escape_like(key)}%", escape="\\")
