"""Engines: SQLite with the pragmas an office PC needs, or PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from laborstation.db import checkpoint
from laborstation.errors import StoreError

# How long a statement waits for another program's write to end before SQLite gives up
# with "database is locked" (``store.DatabaseBusy``). Read at each new connection.
BUSY_TIMEOUT_MS = 10_000


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Office PCs lose power: FULL makes every commit durable before it returns.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _settings_back(dbapi_connection, _record) -> None:
    """A connection goes back to the pool enforcing foreign keys, its temp store in
    memory and its automatic checkpoints on, whatever a big import did with them
    (``importing.bulk_write.begin_bulk_write``); its transaction has ended."""
    if dbapi_connection is not None:
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute("PRAGMA temp_store=MEMORY")
        checkpoint.automatic(dbapi_connection)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:  # a name too long, a drive gone, no permission
                raise StoreError(f"无法建立数据库所在的文件夹 {folder}："
                                 f"{error.strerror or error}") from error
        engine = create_engine(url, echo=echo)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "checkin", _settings_back)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of a SQLite engine, or None for a server or in-memory database."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database)
