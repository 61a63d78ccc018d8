"""One-statement SQLite writes for an import's bulk steps: household heads, look-ups.

A chunk goes to SQLite as one JSON parameter and ``json_each`` walks it, so the
row loop runs inside one statement instead of tens of thousands of ``executemany``
rounds through Python. The rows written are the same as the portable path writes
(callers fall back to it on PostgreSQL, or on an SQLite without JSON or UPDATE … FROM).
"""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy.orm import Session

_MIN_VERSION = (3, 33, 0)  # UPDATE … FROM


def available(session: Session) -> bool:
    """True on an SQLite new enough for these statements (checked once per connection)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or sqlite3.sqlite_version_info < _MIN_VERSION:
        return False
    info = connection.info
    if "json_each" not in info:
        try:
            connection.exec_driver_sql("SELECT count(*) FROM json_each('[1]')").scalar_one()
            info["json_each"] = True
        except Exception:  # an SQLite built without JSON  # noqa: BLE001
            info["json_each"] = False
    return info["json_each"]


def _cursor(session: Session):
    return session.connection().connection.driver_connection.cursor()


def _run(session: Session, sql: str, params: tuple) -> list[tuple]:
    cursor = _cursor(session)
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def set_by_id(session: Session, table: str, column: str, pairs: list[tuple[int, int]]) -> None:
    """``UPDATE table SET column = value WHERE id = key`` for every (key, value) pair."""
    sql = (f'UPDATE "{table}" SET "{column}" = json_extract(j.value, \'$[1]\') '
           f"FROM json_each(?) AS j WHERE \"{table}\".id = json_extract(j.value, '$[0]')")
    _run(session, sql, (json.dumps(pairs),))


def live_rows_by(session: Session, table: str, key: str, keys: list[str],
                 columns: tuple[str, ...], upto: int) -> list[tuple]:
    """Live rows with id ≤ ``upto`` whose ``key`` column is one of ``keys``: (key, *columns).

    The id bound keeps the lookup to the rows a table had before an import began: with
    its indexes suspended, SQLite then scans that rowid range only, not what was added.
    """
    wanted = ", ".join(f'"{c}"' for c in (key, *columns))
    sql = (f'SELECT {wanted} FROM "{table}" WHERE id <= ? AND deleted_at IS NULL '
           f'AND "{key}" IN (SELECT value FROM json_each(?))')
    return _run(session, sql, (upto, json.dumps(keys, ensure_ascii=False)))


def rows_in(session: Session, sql: str, keys: list, *params) -> list[tuple]:
    """The rows of ``sql``, a SELECT whose last condition is ``IN (SELECT value FROM
    json_each(?))``, for all of ``keys`` at once (``params`` come before them)."""
    return _run(session, sql, (*params, json.dumps(keys, ensure_ascii=False)))
