"""Writing shared by every kind: the import's environment, places, person look-ups, audit.

Writes are SQLAlchemy Core executemany in large chunks inside the import's one
session (one transaction): per-person ORM objects would be ~50× slower. The audit
log gets one entry per updated record and one per run of added ones (action
``import``, see ``audit_runs``), also in bulk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import repeat
from operator import itemgetter

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from laborstation.codes import code_list
from laborstation.db import audit
from laborstation.errors import UserError
from laborstation.importing import audit_runs, fast_sql
from laborstation.importing.index_sort import sorting_in_pieces
from laborstation.importing.places import Places, township_key
from laborstation.importing.result import ERROR, ImportResult, Item
from laborstation.model import COUNTY, Area, AuditEntry, Person

CHUNK = 5000
AUDIT_COLUMNS = ("at", "user_name", "action", "table_name", "row_id", "last_row_id", "field",
                 "old", "new")
SUSPEND_INDEXES_FROM = 5000  # rows; below this, updating the indexes row by row is cheap
PERSON_DEFAULTS = {
    "nation": "01", "education": None, "phone": "", "household_id": None, "village_id": None,
    "relation": None, "labour_capacity": "1", "is_rural": True, "local_status": None,
    "skills": "", "training_wish": "", "address": "", "died_on": None, "notes": "",
}


def _id_runs(ids: list[int], items: list[Item] | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each stretch of consecutive ids (from one sheet, given the items)."""
    start = 0
    while start < len(ids):
        end = start + 1
        while end < len(ids) and ids[end] == ids[end - 1] + 1 and (
                items is None or items[end].sheet == items[start].sheet):
            end += 1
        yield start, end
        start = end


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class Env:
    session: Session
    station: object  # StationInfo
    result: ImportResult
    overwrite: bool = False
    now: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    places: Places | None = None
    audit_rows: list = field(default_factory=list)  # tuples in AUDIT_COLUMNS order
    stored: dict = field(default_factory=dict)  # values converted for binding (insert_columns)
    _file_json: str = ""

    def __post_init__(self) -> None:
        self.places = Places(self.session, unit_id=self.station.area_id,
                             unit_level=self.station.level, created=self.result.created_areas)
        self._file_json = json.dumps(self.result.file.name, ensure_ascii=False)
        self._actor = self.session.info.get("actor", "")
        self._place_cache: dict[tuple, tuple[int, int | None]] = {}
        self._prefixes: dict[str, str] = {}
        self._fast = fast_sql.available(self.session)

    @property
    def fast(self) -> bool:
        """One-statement SQLite writes can be used (see ``fast_sql``)."""
        return self._fast

    def _prefix(self, sheet_name: str) -> str:
        prefix = self._prefixes.get(sheet_name)
        if prefix is None:
            sheet = json.dumps(sheet_name, ensure_ascii=False)
            prefix = self._prefixes[sheet_name] = (
                f'{{"file": {self._file_json}, "sheet": {sheet}, "row": ')
        return prefix

    def audit(self, table: str, row_id: int, item: Item, changes: dict | None = None) -> None:
        """One entry for a record the row changed (an update: with its changes)."""
        new = f"{self._prefix(item.sheet)}{item.row}"
        if changes:
            new += ', "changes": ' + json.dumps(changes, ensure_ascii=False, default=str)
        self.audit_rows.append((self.now, self._actor, "import", table, row_id, None, "", None,
                                new + "}"))

    def audit_added(self, table: str, ids: list[int], items: list[Item]) -> None:
        """One entry per run of new records (consecutive ids, one sheet): ``audit_runs``."""
        for start, end in _id_runs(ids, items):
            rows = [item.row for item in items[start:end]]
            self._run(table, ids[start], ids[end - 1],
                      audit_runs.run_text(self.result.file.name, items[start].sheet, rows,
                                          end - start))

    def audit_others(self, table: str, ids: list[int]) -> None:
        """Records made for the file rather than for one row (households, courses)."""
        for start, end in _id_runs(ids):
            self._run(table, ids[start], ids[end - 1],
                      audit_runs.run_text(self.result.file.name, None, None, end - start))

    def _run(self, table: str, first: int, last: int, new: str) -> None:
        self.audit_rows.append((self.now, self._actor, "import", table, first, last, "", None,
                                new))

    def flush_audit(self) -> None:
        """Write the audit entries: the areas made first, then the rest in the order made."""
        session = self.session
        self.audit_rows[:0] = [  # (as the ORM's audit listener writes an insert)
            (self.now, self._actor, "insert", "area", area_id, None, "", None,
             audit.values_json({"id": area_id, **values}))
            for area_id, values in self.places.new_areas]
        self.places.new_areas.clear()
        dropped = suspend_indexes(session, "audit_log", len(self.audit_rows))
        bulk_insert(session, AuditEntry.__table__, self.audit_rows, ids=False,
                    columns=AUDIT_COLUMNS)
        restore_indexes(session, dropped)
        self.audit_rows.clear()

    def township_id(self, item: Item) -> int | None:
        """The township a row belongs to; refuses the row when it cannot be told."""
        name = item.record["_township"]
        station = self.station
        if station.level != COUNTY:
            return station.area_id
        if not name:
            item.refuse("缺少乡镇：本单位是县，每行都要填写乡镇")
            return None
        return self.places.township(name)

    def place(self, item: Item) -> tuple[int | None, int | None]:
        """(village id, group id) named by a row; (None, None) when it names no village."""
        record = item.record
        key = (record["_township"], record["_village"], record["_group"])
        found = self._place_cache.get(key)
        if found is not None:
            return found
        if not record["_village"]:
            return None, None
        try:
            township = self.township_id(item)
            if township is None:
                return None, None
            village = self.places.village(township, record["_village"])
            group = self.places.group(village, record["_group"]) if record["_group"] else None
        except UserError as error:
            item.refuse(str(error))
            return None, None
        self._place_cache[key] = (village, group)
        return village, group

    def home_code(self, village_id: int | None) -> str:
        """The 12-digit code destinations are judged from: the township, else the county."""
        station = self.station
        if station.level != COUNTY:
            return station.area_code
        return station.county_code + "000000"


def check_township_column(items: list[Item], env: Env) -> None:
    """A township unit may import a file with a 乡镇 column only if it names that township
    (in the rows read as records: not a note under the table).

    (In a county each row that names a village must name its township too: ``place``
    refuses the row otherwise.) A file of another township would otherwise be filed
    under this one without a word.
    """
    station, counties = env.station, env.places.counties  # (范县城关镇 is 城关镇)
    if station.level == COUNTY:
        return
    names: dict[str, str] = {}  # key → the name as first written
    for item in items:
        text = item.record["_township"] if item.record is not None else ""
        if text:
            names.setdefault(township_key(text, counties), text)
    if len(names) > 1:
        shown = "、".join(sorted(names.values())[:5])
        raise UserError(
            f"文件中有多个乡镇（{shown}），本单位是乡镇：多个乡镇的台账只能由县级单位导入。"
        )
    own = env.session.get(Area, station.area_id)
    if names and own is not None and township_key(own.name, counties) not in names:
        other = next(iter(names.values()))
        raise UserError(
            f"文件的“乡镇”列写的是{other}，本单位是{own.name}：其他乡镇的台账不能导入本单位。"
            "如果是本乡镇的台账，请改正“乡镇”列（或删去这一列）后再导入。"
        )


def existing_persons(session: Session, numbers: list[str], columns: tuple) -> dict[str, tuple]:
    """Live persons by ID number, one query per chunk."""
    table = Person.__table__
    wanted = [table.c.id_number, *(table.c[c] for c in columns)]
    found: dict[str, tuple] = {}
    for part in chunks(numbers, 5000):
        rows = session.execute(
            select(*wanted).where(table.c.id_number.in_(part), table.c.deleted_at.is_(None))
        ).all()
        for row in rows:
            found[row[0]] = tuple(row[1:])
    return found


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
    it (a big import checks them once, ``check_foreign_keys``, instead of at each row)
    and the temp store on file (its indexes are then sorted in pieces, ``index_sort``);
    then the transaction is begun. False, with nothing done, on PostgreSQL or once a
    transaction is open (the pragmas would be ignored or refused). The connection gets
    both back when it returns to the pool (``db.engine``)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or connection.connection.driver_connection.in_transaction:
        return False
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    connection.exec_driver_sql("PRAGMA temp_store = FILE")
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


# Fields holding a code, by the code list that names it: a change is listed by the name.
CODED_FIELDS = {"nation": "nation", "education": "education", "relation": "relation",
                "labour_capacity": "labour_capacity", "local_status": "local_status",
                "industry": "industry", "occupation": "occupation",
                "certificate_kind": "certificate"}


def shown_value(field: str, value) -> str:
    """A value as a change lists it: a code's name, 5200 rather than 5200.00, （空）."""
    if value is None or value == "":
        return "（空）"
    if field in CODED_FIELDS:
        return code_list(CODED_FIELDS[field]).name_of(value) or str(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def insert_returning_ids(session: Session, table, rows: list[dict]) -> list[int]:
    return bulk_insert(session, table, rows)


PERSON_COLUMNS = (*PERSON_DEFAULTS, "id_number", "name", "sex", "birth_date", "search_text",
                  "created_at", "updated_at", "deleted_at")
_DEFAULTS = (*PERSON_DEFAULTS.values(), "", "", "", None, "")


def insert_persons(env: Env, records: list[dict], ids: list[int] | None = None) -> list[int]:
    """Person rows from records (a None or missing value takes its default), column by
    column; with the ``ids`` given (``next_ids``), else new ones."""
    values = []
    for key, default in zip(PERSON_COLUMNS[:-3], _DEFAULTS, strict=True):
        column = list(map(dict.get, records, repeat(key)))
        if default is not None and None in column:
            column = [default if value is None else value for value in column]
        values.append(column)
    count = len(records)
    values += ([env.now] * count, [env.now] * count, [None] * count)
    return insert_columns(env.session, Person.__table__, list(PERSON_COLUMNS), values,
                          ids=True if ids is None else ids, stored=env.stored)


def is_open(item: Item) -> bool:
    return item.outcome != ERROR
