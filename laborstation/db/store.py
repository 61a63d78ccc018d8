"""The Store: one database, its engine and its sessions.

Services take a ``Store`` and open one Session per action with
``store.session()``; the session commits when the block ends and rolls back on
any exception, so a write is all there or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from laborstation.config import backups_dir_for, database_url
from laborstation.db import audit, migrate
from laborstation.db.backup import backup_sqlite, timestamped_name
from laborstation.db.engine import make_engine, sqlite_path
from laborstation.errors import StoreError


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is working: written into every audit row; the role is checked by services."""

    name: str = "system"
    role: str = "head"


SYSTEM = Actor()


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)
        self.path: Path | None = sqlite_path(engine)
        self.actor: Actor = SYSTEM
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        audit.install(self._sessions)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else self.url

    @contextmanager
    def session(self, *, audit_changes: bool = True) -> Iterator[Session]:
        """A unit of work: commits at the end of the block, rolls back on an exception."""
        session = self._sessions()
        session.info["actor"] = self.actor.name
        session.info["audit"] = audit_changes
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading: never commits. Loaded objects stay readable after the block."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()  # ends the transaction without expiring what was loaded

    def close(self) -> None:
        self.engine.dispose()


def open_store(
    db: str | Path | None = None, *, migrate_schema: bool = True, must_exist: bool = False
) -> Store:
    """Open (creating when new) a database and bring its schema to head.

    Before an upgrade of an existing SQLite file a copy is written to its
    ``backups`` folder. A file that is not a database raises ``StoreError``.
    """
    url = database_url(db)
    engine = make_engine(url)
    path = sqlite_path(engine)
    if must_exist and path is not None and not path.exists():
        engine.dispose()
        raise StoreError(f"数据库文件不存在：{path}")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        if migrate_schema:
            _bring_to_head(engine)
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as error:
        engine.dispose()
        raise StoreError(f"无法打开数据库 {path or url}：{_reason(error)}") from error
    return Store(engine)


def _bring_to_head(engine: Engine) -> None:
    if migrate.is_empty(engine):
        migrate.create_new(engine)
        return
    if not migrate.needs_upgrade(engine):
        return
    path = sqlite_path(engine)
    if path is not None and path.exists():
        backup_sqlite(path, backups_dir_for(path) / timestamped_name("before-upgrade"))
    migrate.upgrade(engine)


def _reason(error: Exception) -> str:
    message = str(getattr(error, "orig", error))
    if "file is not a database" in message or "malformed" in message:
        return "文件不是数据库或已损坏"
    if "unable to open" in message:
        return "文件无法打开（路径不存在或没有权限）"
    if "locked" in message:
        return "数据库正被其他程序占用"
    return message
