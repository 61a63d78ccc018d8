"""Writing shared by every kind: the import's environment, places, person look-ups, audit.

Writes are SQLAlchemy Core executemany in large chunks inside the import's one
session (one transaction): per-person ORM objects would be ~50× slower. The audit
log gets one row per inserted or updated record (action ``import``), also in bulk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from laborstation.errors import UserError
from laborstation.importing.places import Places, township_key
from laborstation.importing.result import ERROR, ImportResult, Item
from laborstation.model import COUNTY, AuditEntry, Person

CHUNK = 5000
AUDIT_COLUMNS = ("at", "user_name", "action", "table_name", "row_id", "field", "old", "new")
SUSPEND_INDEXES_FROM = 5000  # rows; below this, updating the indexes row by row is cheap
PERSON_DEFAULTS = {
    "nation": "01", "education": None, "phone": "", "household_id": None, "village_id": None,
    "relation": None, "labour_capacity": "1", "is_rural": True, "local_status": None,
    "skills": "", "training_wish": "", "address": "", "died_on": None, "notes": "",
}


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
    audit_rows: list[tuple] = field(default_factory=list)  # in AUDIT_COLUMNS order
    _file_json: str = ""

    def __post_init__(self) -> None:
        self.places = Places(self.session, unit_id=self.station.area_id,
                             unit_level=self.station.level, created=self.result.created_areas)
        self._file_json = json.dumps(self.result.file.name, ensure_ascii=False)
        self._actor = self.session.info.get("actor", "")
        self._place_cache: dict[tuple, tuple[int, int | None]] = {}
        self._prefixes: dict[str, str] = {}

    def audit(self, table: str, row_id: int, item: Item, changes: dict | None = None) -> None:
        prefix = self._prefixes.get(item.sheet)
        if prefix is None:
            sheet = json.dumps(item.sheet, ensure_ascii=False)
            prefix = self._prefixes[item.sheet] = f'{{"file": {self._file_json}, "sheet": {sheet}, "row": '
        new = f"{prefix}{item.row}"
        if changes:
            new += ', "changes": ' + json.dumps(changes, ensure_ascii=False, default=str)
        self.audit_rows.append((self.now, self._actor, "import", table, row_id, "", None,
                                new + "}"))

    def audit_other(self, table: str, row_id: int) -> None:
        """Audit a record made for the file rather than for one row (a household, a course)."""
        self.audit_rows.append((self.now, self._actor, "import", table, row_id, "", None,
                                f'{{"file": {self._file_json}}}'))

    def flush_audit(self) -> None:
        dropped = suspend_indexes(self.session, "audit_log", len(self.audit_rows))
        for part in chunks(self.audit_rows, 50000):
            bulk_insert(self.session, AuditEntry.__table__, part, ids=False,
                        columns=AUDIT_COLUMNS)
        restore_indexes(self.session, dropped)
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
        township = self.township_id(item)
        if township is None:
            return None, None
        try:
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


def check_township_column(plan, station) -> None:
    """A township unit may import a file with a 乡镇 column only if it names one township.

    (In a county each row that names a village must name its township too: ``place``
    refuses the row otherwise.)
    """
    if station.level == COUNTY:
        return
    names = set()
    for sheet in plan.usable_sheets:
        column = sheet.header.columns.get("township")
        if column is None:
            continue
        for cells in sheet.rows[sheet.header.data_start:]:
            if column < len(cells) and str(cells[column] or "").strip():
                names.add(township_key(str(cells[column])))
    if len(names) > 1:
        shown = "、".join(sorted(names)[:5])
        raise UserError(
            f"文件中有多个乡镇（{shown}），本单位是乡镇：多个乡镇的台账只能由县级单位导入。"
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


def _tuples(rows: list, columns: list[str], processors: list, from_dicts: bool,
            first_ids: list[int] | None) -> list[tuple]:
    """Rows as DB-API parameter tuples, values converted as SQLAlchemy would store them.

    Converted values are memoised per column: dates and timestamps repeat a lot.
    With ``first_ids`` each tuple starts with that id.
    """
    offset = 1 if first_ids is not None else 0
    converting = [(i + offset, p, {}) for i, p in enumerate(processors) if p is not None]
    out = []
    for n, row in enumerate(rows):
        values = [row[c] for c in columns] if from_dicts else list(row)
        if first_ids is not None:
            values.insert(0, first_ids[n])
        for index, process, memo in converting:
            value = values[index]
            if value is not None:
                done = memo.get(value)
                if done is None:
                    done = memo[value] = process(value)
                values[index] = done
        out.append(tuple(values))
    return out


def bulk_insert(session: Session, table, rows: list, *, ids: bool = True,
                columns: tuple[str, ...] | None = None) -> list[int]:
    """Insert many rows (dicts, or tuples in ``columns`` order); returns their new ids.

    On SQLite the rows go straight to the DB-API ``executemany`` with ids assigned
    from max(id) inside this transaction (a concurrent writer makes the insert fail,
    never mix ids); elsewhere SQLAlchemy's INSERT … RETURNING does it.
    """
    if not rows:
        return []
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        if columns is not None:
            rows = [dict(zip(columns, row, strict=True)) for row in rows]
        if not ids:
            session.execute(insert(table), rows)
            return []
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.execute(stmt, rows).scalars())
    from_dicts = columns is None
    names = [c for c in rows[0] if c != "id"] if from_dicts else list(columns)
    new_ids = None
    if ids:
        start = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        new_ids = list(range(start + 1, start + 1 + len(rows)))
    params = _tuples(rows, names, _processors(table, names, dialect), from_dicts, new_ids)
    quoted = [dialect.identifier_preparer.quote(c) for c in (["id"] if ids else []) + names]
    sql = f"INSERT INTO {table.name} ({', '.join(quoted)}) VALUES ({', '.join('?' * len(quoted))})"
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()
    return new_ids or []


def _sqlite_in_transaction(session: Session):
    """The raw sqlite3 connection with a transaction surely open (DDL alone would not open one)."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    if not raw.in_transaction:
        connection.exec_driver_sql("UPDATE setting SET value = value WHERE 0")
    return connection, raw


def suspend_indexes(session: Session, table_name: str, adding: int) -> list[str]:
    """For an insert bigger than the table (SQLite), drop its secondary indexes.

    Building an index once over sorted keys is several times faster than updating
    eleven indexes row by row. Returns the SQL to recreate them (``restore_indexes``);
    it all happens inside the import's transaction, so a rollback brings them back,
    and recreating the unique index re-checks what the import checked in Python.
    """
    if adding < SUSPEND_INDEXES_FROM or session.connection().dialect.name != "sqlite":
        return []
    connection, _raw = _sqlite_in_transaction(session)
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
    connection = session.connection()
    for sql in statements:
        connection.exec_driver_sql(sql)


def insert_returning_ids(session: Session, table, rows: list[dict]) -> list[int]:
    return bulk_insert(session, table, rows)


PERSON_COLUMNS = (*PERSON_DEFAULTS, "id_number", "name", "sex", "birth_date", "search_text",
                  "created_at", "updated_at", "deleted_at")
_DEFAULTS = (*PERSON_DEFAULTS.values(), "", "", "", None, "")


def person_tuple(record: dict, env: Env) -> tuple:
    """The person columns of a record in PERSON_COLUMNS order (defaults where the file gave
    nothing), for ``bulk_insert(..., columns=PERSON_COLUMNS)``."""
    get = record.get
    values = [get(key) for key in PERSON_COLUMNS[:-3]]
    for index, value in enumerate(values):
        if value is None:
            values[index] = _DEFAULTS[index]
    values += (env.now, env.now, None)
    return tuple(values)


def insert_persons(env: Env, records: list[dict]) -> list[int]:
    rows = [person_tuple(record, env) for record in records]
    return bulk_insert(env.session, Person.__table__, rows, columns=PERSON_COLUMNS)


def is_open(item: Item) -> bool:
    return item.outcome != ERROR
