"""Backup copies of a SQLite database file, their list and their thinning.

Copies are made with SQLite's online backup API, which copies a consistent
snapshot (including what still sits in the WAL) even while the program has the
file open. Each copy is a plain single-file database (journal mode DELETE),
named ``<reason>-YYYYmmdd-HHMMSS.db`` in the ``backups`` folder beside the
database, so the folder can be listed, thinned and copied to a USB stick
without opening anything else. Restoring is in ``db.restore``.

A PostgreSQL database is backed up with the server's own tools (pg_dump):
``make_backup`` says so instead of pretending.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from laborstation.config import backups_dir_for
from laborstation.db.integrity import connect_read_only, quick_check
from laborstation.errors import UserError

#: Why a copy was made (the first part of its file name) and how the GUI names it.
REASON_NAMES = {
    "auto": "定时备份",
    "close": "关闭时备份",
    "manual": "手动备份",
    "before-upgrade": "升级前备份",
    "before-restore": "恢复前备份",
    "before-import": "导入前备份",
}

#: Regular copies, thinned by the day/week/month schedule; the others are safety copies.
SCHEDULED = frozenset({"auto", "close", "manual"})
SAFETY_DAYS = 60
#: Audit actions that change no data (a login alone does not call for a backup).
NOT_CHANGES = ("login", "loginfail")

_NAME = re.compile(r"^(?P<reason>[a-z]+(?:-[a-z]+)*)-(?P<stamp>\d{8}-\d{6})(?:_(?P<n>\d+))?\.db$")
_STAMP = "%Y%m%d-%H%M%S"
PG_DUMP_MESSAGE = "当前使用数据库服务器（PostgreSQL），本程序不复制服务器上的数据：请使用数据库服务器的 pg_dump 备份。"


class BackupNotSupported(UserError):
    """A backup of a database this program cannot copy (a PostgreSQL server, an in-memory one)."""


@dataclass(frozen=True, slots=True)
class Counts:
    """Live (not recycled) records in a copy, shown beside it in the restore list."""

    persons: int
    households: int
    placements: int


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    made_at: datetime
    reason: str
    size: int
    counts: Counts | None = None  # None when not read or when the copy cannot be read

    @property
    def reason_name(self) -> str:
        return REASON_NAMES.get(self.reason, self.reason)


# ---------------------------------------------------------------- making a copy


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy ``source`` to ``destination`` through a ``.part`` file, durably."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            # A standalone copy: no -wal/-shm beside it, readable from a read-only stick.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    tmp.replace(destination)
    _sync_folder(destination.parent)
    return destination


def _sync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def timestamped_name(prefix: str, when: datetime | None = None) -> str:
    when = when or datetime.now()
    return f"{prefix}-{when:{_STAMP}}.db"


def is_server_url(db: str) -> bool:
    """True for a database URL that is not SQLite (backups are then the server's business)."""
    return "://" in db and make_url(db).get_backend_name() != "sqlite"


def sqlite_file_of(store_or_path) -> Path:
    """The SQLite file behind a Store, a path or a URL; ``BackupNotSupported`` for a server."""
    if hasattr(store_or_path, "engine"):  # a Store
        if not store_or_path.is_sqlite:
            raise BackupNotSupported(PG_DUMP_MESSAGE)
        if store_or_path.path is None:
            raise BackupNotSupported("内存中的数据库没有文件，无法备份。")
        return Path(store_or_path.path)
    text = str(store_or_path)
    if "://" in text:
        if is_server_url(text):
            raise BackupNotSupported(PG_DUMP_MESSAGE)
        database = make_url(text).database
        if not database or database == ":memory:":
            raise BackupNotSupported("内存中的数据库没有文件，无法备份。")
        return Path(database)
    return Path(text)


def _free_name(folder: Path, reason: str, when: datetime) -> Path:
    path = folder / timestamped_name(reason, when)
    n = 2
    while path.exists():
        path = folder / f"{reason}-{when:{_STAMP}}_{n}.db"
        n += 1
    return path


def make_backup(store_or_path, *, reason: str, dest_dir: str | Path | None = None,
                dest_file: str | Path | None = None, now: datetime | None = None) -> BackupInfo:
    """Copy the database now; into its ``backups`` folder unless ``dest_dir``/``dest_file``.

    ``reason`` is one of ``REASON_NAMES`` (it starts the file name).
    """
    if reason not in REASON_NAMES:
        raise ValueError(f"unknown backup reason {reason!r}")
    source = sqlite_file_of(store_or_path)
    if not source.is_file():
        raise UserError(f"数据库文件不存在，无法备份：{source}")
    when = (now or datetime.now()).replace(microsecond=0)
    if dest_file is not None:
        destination = Path(dest_file)
    else:
        folder = Path(dest_dir) if dest_dir is not None else backups_dir_for(source)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserError(f"无法在 {folder} 建立备份文件夹：{error.strerror or error}") from error
        destination = _free_name(folder, reason, when)
    try:
        backup_sqlite(source, destination)
    except (OSError, sqlite3.Error) as error:
        raise UserError(f"备份失败，无法写入 {destination}：{error}") from error
    return BackupInfo(destination, when, reason, destination.stat().st_size,
                      read_counts(destination))


# ---------------------------------------------------------------- reading copies


def read_counts(path: str | Path) -> Counts | None:
    """Live persons, households and placements in a copy (read-only; None if unreadable)."""
    try:
        connection = connect_read_only(path)
        try:
            row = connection.execute(
                "SELECT (SELECT count(*) FROM person WHERE deleted_at IS NULL),"
                " (SELECT count(*) FROM household WHERE deleted_at IS NULL),"
                " (SELECT count(*) FROM placement WHERE deleted_at IS NULL)"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return Counts(*row)


def parse_backup_name(path: Path) -> tuple[str, datetime] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        return match["reason"], datetime.strptime(match["stamp"], _STAMP)
    except ValueError:
        return None


def backup_info(path: str | Path, *, with_counts: bool = True) -> BackupInfo:
    """What is known of one copy: from its name when it follows the pattern, else its mtime."""
    path = Path(path)
    stat = path.stat()
    parsed = parse_backup_name(path)
    reason, made_at = parsed or ("manual", datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0))
    return BackupInfo(path, made_at, reason, stat.st_size,
                      read_counts(path) if with_counts else None)


def _named_backups(folder: Path) -> list[tuple[datetime, int, Path, str]]:
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        parsed = parse_backup_name(path)
        if match is None or parsed is None or not path.is_file():
            continue
        found.append((parsed[1], int(match["n"] or 1), path, parsed[0]))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return found


def list_backups(db_path: str | Path | None = None, *, folder: str | Path | None = None,
                 with_counts: bool = True) -> list[BackupInfo]:
    """The copies in the database's ``backups`` folder (or ``folder``), newest first."""
    folder = Path(folder) if folder is not None else backups_dir_for(Path(db_path))
    infos = []
    for made_at, _n, path, reason in _named_backups(folder):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        infos.append(BackupInfo(path, made_at, reason, size,
                                read_counts(path) if with_counts else None))
    return infos


def newest_good_backup(db_path: str | Path, *, folder: str | Path | None = None) -> BackupInfo | None:
    """The newest copy that passes ``quick_check`` (offered when the database is damaged)."""
    for info in list_backups(db_path, folder=folder, with_counts=False):
        if not quick_check(info.path):
            return backup_info(info.path)
    return None


# ---------------------------------------------------------------- when and which


def backup_due(last_backup_at: datetime | None, last_change_at: datetime | None,
               now: datetime, every_hours: float = 3) -> bool:
    """Is a timed backup due? Only when something changed since the last copy.

    ``every_hours=0`` answers "changed since the last copy?" (the backup on close).
    """
    if last_change_at is None:
        return False
    if last_backup_at is None:
        return True
    if last_change_at <= last_backup_at:
        return False
    return now - last_backup_at >= timedelta(hours=every_hours)


def last_backup_at(db_path: str | Path) -> datetime | None:
    backups = list_backups(db_path, with_counts=False)
    return backups[0].made_at if backups else None


def last_change_at(store) -> datetime | None:
    """When data last changed: the newest audit row (every write leaves one; logins do not count)."""
    from sqlalchemy import func, select

    from laborstation.model.system import AuditEntry

    with store.reading() as session:
        return session.scalar(select(func.max(AuditEntry.at))
                              .where(AuditEntry.action.not_in(NOT_CHANGES)))


def auto_backup(store, *, reason: str = "auto", every_hours: float = 3,
                now: datetime | None = None) -> BackupInfo | None:
    """The GUI's timer (``reason="auto"``) and close (``reason="close", every_hours=0``) backup.

    Makes a copy when ``backup_due``, then thins the folder. Does nothing on a server.
    """
    if not store.is_sqlite or store.path is None:
        return None
    now = now or datetime.now()
    if not backup_due(last_backup_at(store.path), last_change_at(store), now, every_hours):
        return None
    info = make_backup(store, reason=reason, now=now)
    thin_backups(info.path.parent, now)
    return info


def _week(day) -> int:
    return (day.toordinal() - 1) // 7  # serial week starting on Monday (0001-01-01 is a Monday)


def _month(day) -> int:
    return day.year * 12 + day.month


def thin_backups(folder: str | Path, now: datetime, *, daily: int = 12, weekly: int = 10,
                 monthly: int = 9, safety_days: int = SAFETY_DAYS) -> list[Path]:
    """Remove the copies the schedule no longer needs; return the removed paths.

    Regular copies (timed, on close, manual) are kept as Anki keeps its
    backups: every copy of today and yesterday; then, going back in time, the
    newest copy of each of ``daily`` earlier days, then of each of ``weekly``
    earlier weeks (Monday to Sunday), then of each of ``monthly`` earlier
    months. Safety copies (before an upgrade, a restore or an import) hold a
    state the later copies may not have, so each is kept ``safety_days`` days.
    Only files named like our copies are touched.
    """
    yesterday = now.date() - timedelta(days=1)
    last_day = last_week = last_month = None
    removed: list[Path] = []
    for made_at, _n, path, reason in _named_backups(Path(folder)):
        day = made_at.date()
        keep = False
        if reason not in SCHEDULED:
            keep = reason not in REASON_NAMES or made_at >= now - timedelta(days=safety_days)
            if not keep:
                removed.extend(_remove(path))
            continue
        if day >= yesterday:
            keep = True
        elif daily > 0:
            if last_day is None or day < last_day:
                keep, daily = True, daily - 1
        elif weekly > 0:
            if last_week is None or _week(day) < last_week:
                keep, weekly = True, weekly - 1
        elif monthly > 0 and (last_month is None or _month(day) < last_month):
            keep, monthly = True, monthly - 1
        if keep:
            last_day, last_week, last_month = day, _week(day), _month(day)
        else:
            removed.extend(_remove(path))
    return removed


def _remove(path: Path) -> list[Path]:
    try:
        path.unlink()
    except OSError:
        return []  # open elsewhere (Windows): next time
    return [path]
