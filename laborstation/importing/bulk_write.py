"""Bulk SQL writing for an import: many rows in few statements, inside its one transaction.

On SQLite, rows go straight to the DB-API ``executemany`` with ids known beforehand
(``next_ids``), a column holding one value in every row is written into the statement
instead of being bound (``_literal``), and a table that at least doubles has its
secondary indexes dropped and built again at the end (``suspend_indexes``: building an
index over sorted keys is several times faster than updating it row by row). On
PostgreSQL, SQLAlchemy Core's executemany with ``INSERT … RETURNING`` does it.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from laborstation.db import checkpoint
from laborstation.importing.index_sort import sorting_in_pieces

CHUNK = 5000  # rows a look-up or a portable write takes at once
SUSPEND_INDEXES_FROM = 5000  # rows; below this, updating the indexes row by row is cheap


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _processors(table, columns: list[str], dialect) -> list:
    return [table.c[name].type._cached_bind_processor(dialect) for name in columns]


def _stored(values: list, process, done: dict) -> list:
    """A column's values as SQLAlchemy would bind them, each distinct value converted once
    (dates and timestamps repeat a lot) and kept in ``done`` for the next chunks."""
    try:
        distinct = set(values)
    except TypeError:  # unhashable values: convert each
        return [None if value is None else process(value) for value in values]
    distinct.difference_update(done)
    distinct.discard(None)
    for value in distinct:
        done[value] = process(value)
    return list(map(done.get, values))


def _literal(column: list) -> str:
    """``?``, or the SQL literal of the one value a column holds in every row.

    Binding costs per value and row; a constant (the import's timestamp, NULL, '')
    is written once into the statement instead. Only values whose literal stores
    exactly what binding would: None, int, str without NUL.
    """
    first = column[0]
    if len(column) < 2 or column[-1] is not first or column[len(column) // 2] is not first:
        return "?"  # (cheap look first: most columns differ at one of these)
    if first is None or first.__class__ is str:  # (equal to one: the same stored value)
        if column.count(first) != len(column):  # (C speed: a code column gets here)
            return "?"
    elif len(set(map(id, column))) != 1:  # (1 == 1.0 == True: the very same object)
        return "?"
    if first is None:
        return "NULL"
    if first.__class__ is int:
        return str(first)
    if first.__class__ is str and "\x00" not in first:
        return "'" + first.replace("'", "''") + "'"
    return "?"


def bulk_insert(session: Session, table, rows: list, *, ids: bool = True,
                columns: tuple[str, ...] | None = None) -> list[int]:
    """Insert many rows (dicts, or tuples in ``columns`` order); returns their new ids."""
    if not rows:
        return []
    if columns is None:
        names = [c for c in rows[0] if c != "id"]
        values = [list(map(itemgetter(name), rows)) for name in names]
    else:
        names = list(columns)
        values = [list(column) for column in zip(*rows, strict=True)]
    return insert_columns(session, table, names, values, ids=ids)


def next_ids(session: Session, table, count: int) -> list[int]:
    """The ids the next ``count`` rows of ``table`` take on SQLite (after max(id), inside
    this transaction), known before the rows are written."""
    start = session.connection().execute(
        select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(start + 1, start + 1 + count))


def begin_bulk_write(session: Session) -> bool:
    """SQLite only, before the session's transaction begins: foreign keys unchecked for
    it (a big import checks them once, ``check_foreign_keys``, instead of at each row),
    the temp store on file (its indexes are then sorted in pieces, ``index_sort``) and
    no automatic checkpoint at its commit (``session.info["checkpoint"]``: the caller
    starts one after it, ``db.checkpoint``); then the transaction is begun. False, with
    nothing done, on PostgreSQL or once a transaction is open (the pragmas would be
    ignored or refused). The connection gets all three back when it returns to the pool
    (``db.engine``)."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name != "sqlite" or raw.in_transaction:
        return False
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    connection.exec_driver_sql("PRAGMA temp_store = FILE")
    checkpoint.defer(raw)
    session.info["checkpoint"] = True
    sqlite_in_transaction(session)
    return True


def check_foreign_keys(session: Session, tables: tuple[str, ...]) -> None:
    """Every foreign key of these tables points at a row (after ``begin_bulk_write``)."""
    connection = session.connection()
    for table in tables:
        found = connection.exec_driver_sql(f'PRAGMA foreign_key_check("{table}")').first()
        if found is not None:
            raise RuntimeError(f"{table} #{found[1]}: no {found[2]} row it points at")


def insert_columns(session: Session, table, names: list[str], values: list[list], *,
                   ids: bool | list[int] = True, stored: dict | None = None) -> list[int]:
    """Insert rows given column by column (``values[i]`` holds column ``names[i]``).

    ``stored``: the values converted for binding so far, by column name, kept by the
    caller from chunk to chunk of one import (see ``_stored``).

    On SQLite the rows go straight to the DB-API ``executemany`` with ids assigned
    from max(id) inside this transaction (a concurrent writer makes the insert fail,
    never mix ids), or the ids given (``next_ids``); elsewhere SQLAlchemy's
    INSERT … RETURNING does it.
    """
    count = len(values[0]) if values else 0
    if not count:
        return []
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        rows = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
        if not ids:
            session.execute(insert(table), rows)
            return []
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.execute(stmt, rows).scalars())
    stored = {} if stored is None else stored
    values = [
        _stored(column, process, stored.setdefault(name, {})) if process is not None
        else column
        for name, column, process in zip(names, values, _processors(table, names, dialect),
                                         strict=True)
    ]
    new_ids: list[int] = []
    if ids:
        new_ids = ids if isinstance(ids, list) else next_ids(session, table, count)
        values = [new_ids, *values]
    quoted = [dialect.identifier_preparer.quote(c) for c in (["id"] if ids else []) + names]
    slots = [_literal(column) for column in values]  # a column of one value is written inline
    bound = [column for column, slot in zip(values, slots, strict=True) if slot == "?"]
    sql = f"INSERT INTO {table.name} ({', '.join(quoted)}) VALUES ({', '.join(slots)})"
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, zip(*bound, strict=True) if bound else [()] * count)
    finally:
        cursor.close()
    return new_ids


def sqlite_in_transaction(session: Session):
    """The raw sqlite3 connection with a transaction surely open (DDL alone would not open one)."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    if not raw.in_transaction:
        connection.exec_driver_sql("UPDATE setting SET value = value WHERE 0")
    return connection, raw


def suspend_indexes(session: Session, table_name: str, adding: int,
                    existing: int | None = None) -> list[str]:
    """For an insert bigger than the table (SQLite), drop its secondary indexes.

    Building an index once over sorted keys is several times faster than updating
    eleven indexes row by row. Returns the SQL to recreate them (``restore_indexes``);
    it all happens inside the import's transaction, so a rollback brings them back,
    and recreating the unique index re-checks what the import checked in Python.
    """
    if adding < SUSPEND_INDEXES_FROM or session.connection().dialect.name != "sqlite":
        return []
    connection, _raw = sqlite_in_transaction(session)
    if existing is None:  # (else: the rows it had before the import began)
        existing = connection.exec_driver_sql(f"SELECT count(*) FROM {table_name}").scalar_one()
    if existing > adding:
        return []
    found = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL", (table_name,)
    ).all()
    for name, _sql in found:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def restore_indexes(session: Session, statements: list[str]) -> None:
    """Build the indexes ``suspend_indexes`` dropped, their keys sorted in pieces."""
    connection = session.connection()
    with sorting_in_pieces(connection):
        for sql in statements:
            connection.exec_driver_sql(sql)


def update_by_id(session: Session, table, rows: list[dict]) -> None:
    """``UPDATE table SET … WHERE id = row['_id']`` for each row (dicts of the columns to
    set and ``_id``), one executemany per set of columns."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for columns, same in groups.items():
        stmt = update(table).where(table.c.id == bindparam("_id")).values(
            {c: bindparam(c) for c in columns if c != "_id"})
        session.connection().execute(stmt, same)


def insert_returning_ids(session: Session, table, rows: list[dict]) -> list[int]:
    return bulk_insert(session, table, rows)


class Suspended:
    """A table's secondary indexes, dropped once the rows added reach the rows it had
    (``suspend_indexes``), and made again by ``restore``."""

    def __init__(self, session: Session, table: str):
        self.session, self.table = session, table
        self.added = 0
        self.had: int | None = None  # rows before the import
        self.statements: list[str] | None = None

    def adding(self, count: int) -> None:
        if self.had is None:
            self.had = self.session.connection().exec_driver_sql(
                f'SELECT count(*) FROM "{self.table}"').scalar_one()
        self.added += count
        if self.statements is None:
            self.statements = suspend_indexes(self.session, self.table, self.added,
                                              self.had) or None

    def restore(self) -> None:
        if self.statements:
            restore_indexes(self.session, self.statements)
            self.statements = None
