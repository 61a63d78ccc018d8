"""The Store: one database, its engine and its sessions.

Services take a ``Store`` and open one Session per action with
``store.session()``; the session commits when the block ends and rolls back on
any exception, so a write is all there or not at all. When another program holds
SQLite's write lock longer than the busy timeout (``engine.BUSY_TIMEOUT_MS``), the
action ends with ``DatabaseBusy``, a ``UserError`` the GUI shows and the CLI prints,
rather than SQLite's "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from laborstation.config import database_url
from laborstation.db import audit, migrate
from laborstation.db.backup import make_backup, newest_good_backup
from laborstation.db.checkpoint import Checkpoints
from laborstation.db.engine import make_engine, sqlite_path
from laborstation.db.integrity import NOT_A_DATABASE, DamagedDatabase, damaged_message, quick_check
from laborstation.db.lockfile import DatabaseLock
from laborstation.errors import StoreError


class DatabaseBusy(StoreError):
    """Another program is writing to the SQLite file (``database is locked``)."""


def is_busy(error: BaseException) -> bool:
    """SQLite's SQLITE_BUSY (``database is locked``), raw or wrapped by SQLAlchemy; no other
    error (a table locked inside this program, a damaged file, ...)."""
    found = getattr(error, "orig", error) if isinstance(error, DBAPIError) else error
    if not isinstance(found, sqlite3.OperationalError):
        return False
    code = getattr(found, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY  # (also SQLITE_BUSY_SNAPSHOT, ...)
    return str(found).startswith("database is locked")


def busy_message(where: object) -> str:
    return (f"数据库 {where} 正被另一个程序使用（正在写入），请稍后再试；如果另一台电脑或另一个"
            "窗口开着本程序，请先关闭它。这次的操作没有完成，数据库保持原样。")


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
        self.lock: DatabaseLock | None = None  # held when opened with exclusive=True
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        audit.install(self._sessions)
        # A big import's pages are copied into the file after its commit (``db.checkpoint``).
        self.checkpoints = Checkpoints(self.path)

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
        except BaseException as error:
            session.rollback()
            if is_busy(error):
                raise DatabaseBusy(busy_message(self.display_name)) from error
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading: never commits. Loaded objects stay readable after the block."""
        session = self._sessions()
        try:
            yield session
        except Exception as error:
            if is_busy(error):  # (another program holds an exclusive lock)
                raise DatabaseBusy(busy_message(self.display_name)) from error
            raise
        finally:
            session.close()  # ends the transaction without expiring what was loaded

    def close(self) -> None:
        self.checkpoints.wait()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def open_store(
    db: str | Path | None = None, *, migrate_schema: bool = True, must_exist: bool = False,
    exclusive: bool = False, check_integrity: bool | None = None,
) -> Store:
    """Open (creating when new) a database and bring its schema to head.

    Before an upgrade of an existing SQLite file a copy is written to its
    ``backups`` folder. A file that is not a database raises ``StoreError``
    (``DamagedDatabase``, naming the newest good backup, when it is damaged).
    ``exclusive=True`` (the GUI) takes the single-writer lock (``DatabaseInUse``
    when another program holds it; ``Store.close()`` releases it) and, unless
    ``check_integrity=False``, runs ``PRAGMA quick_check`` first.
    """
    url = database_url(db)
    engine = make_engine(url)
    path = sqlite_path(engine)
    if must_exist and path is not None and not path.exists():
        engine.dispose()
        raise StoreError(f"数据库文件不存在：{path}")
    lock = DatabaseLock(path) if exclusive and path is not None else None
    try:
        if lock is not None:
            lock.acquire()
        if check_integrity is None:
            check_integrity = exclusive
        if check_integrity and path is not None and path.is_file() and path.stat().st_size:
            problems = quick_check(path)
            if problems:
                backup = newest_good_backup(path)
                raise DamagedDatabase(damaged_message(path, problems, backup), problems, backup)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        if migrate_schema:
            _bring_to_head(engine)
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as error:
        engine.dispose()
        if lock is not None:
            lock.release()
        reason = _reason(error, path)
        if path is not None and reason == NOT_A_DATABASE:
            backup = newest_good_backup(path)
            raise DamagedDatabase(damaged_message(path, [reason], backup), [reason], backup) from error
        raise StoreError(f"无法打开数据库 {path or url}：{reason}") from error
    except BaseException:
        engine.dispose()
        if lock is not None:
            lock.release()
        raise
    store = Store(engine)
    store.lock = lock
    return store


def _bring_to_head(engine: Engine) -> None:
    if migrate.is_empty(engine):
        migrate.create_new(engine)
        return
    if not migrate.needs_upgrade(engine):
        return
    path = sqlite_path(engine)
    copy = None
    if path is not None and path.exists():
        copy = make_backup(path, reason="before-upgrade").path
    upgrade_engine = _transactional_ddl_engine(engine) if path is not None else engine
    try:
        migrate.upgrade(upgrade_engine)
    except Exception as error:
        kept = f"升级前的副本：{copy}。" if copy else ""
        raise StoreError(f"数据库结构升级失败，数据库保持原样。{kept}（{error}）") from error
    finally:
        if upgrade_engine is not engine:
            upgrade_engine.dispose()


def _transactional_ddl_engine(engine: Engine) -> Engine:
    """An engine on the same file whose transactions also cover DDL.

    Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so
    the ALTER/CREATE of a migration would each commit at once and a migration
    failing half way would leave a half-upgraded file. This engine turns that
    off and issues BEGIN itself: the whole upgrade commits or rolls back.
    """
    upgrade_engine = make_engine(engine.url.render_as_string(hide_password=False))

    @event.listens_for(upgrade_engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(upgrade_engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return upgrade_engine


# SQLite opens no path longer than this (bytes of UTF-8; 512 on Linux and macOS, ~1040 on
# Windows, where the system's own 260 characters come first): ~170 Chinese characters.
_LONGEST_PATH = 512 if os.name != "nt" else 1040


def _reason(error: Exception, path: Path | None = None) -> str:
    message = str(getattr(error, "orig", error))
    if "file is not a database" in message or "malformed" in message:
        return NOT_A_DATABASE
    if "unable to open" in message:
        if path is not None and len(str(path.resolve()).encode("utf-8")) >= _LONGEST_PATH:
            return (f"文件的路径太长（{len(str(path.resolve()))} 个字符）：请把数据库放在"
                    "路径短一些的文件夹中")
        return "文件无法打开（路径不存在或没有权限）"
    if "locked" in message:
        return "数据库正被其他程序占用"
    return message
