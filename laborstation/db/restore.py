"""Put a backup copy in place of the database file, keeping a copy of the current one first.

Order of work, each step safe if the power fails after it:
1. the copy passes ``PRAGMA integrity_check`` and is a LaborStation database
   of a schema this program knows (an older one is upgraded on next open);
2. the database's lock is taken (the caller must have closed its store; a
   program still holding it is named in the refusal);
3. the current file is copied to ``backups/before-restore-….db``;
4. the copy is written beside the database as ``….restoring`` (online
   backup API), the old ``-wal``/``-shm`` are removed (a stale WAL must never
   be applied to the new file) and the new file is renamed into place.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from laborstation.config import backups_dir_for
from laborstation.db.backup import (
    BackupInfo,
    _sync_folder,
    backup_info,
    backup_sqlite,
    make_backup,
    timestamped_name,
)
from laborstation.db.integrity import connect_read_only, integrity_check
from laborstation.db.lockfile import DatabaseLock
from laborstation.errors import UserError


@dataclass(frozen=True, slots=True)
class RestoreResult:
    db_path: Path
    restored_from: BackupInfo
    safety_copy: BackupInfo | None  # the database as it was just before (None if there was none)


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from laborstation.db import migrate

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def check_backup_file(path: Path) -> None:
    """Refuse a copy that is damaged, not ours, or from a newer program."""
    if not path.is_file():
        raise UserError(f"备份文件不存在：{path}")
    problems = integrity_check(path)
    if problems:
        raise UserError(f"备份文件 {path.name} 已损坏或不是数据库（{problems[0]}），未恢复。")
    try:
        connection = connect_read_only(path)
        try:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise UserError(f"备份文件 {path.name} 无法读取：{error}") from error
    if not {"person", "household", "audit_log"} <= tables or not revision:
        raise UserError(f"文件 {path.name} 不是本程序的数据库备份，未恢复。")
    if revision[0] not in _known_revisions():
        raise UserError(f"备份文件 {path.name} 来自更新版本的程序（结构版本 {revision[0]}），"
                        "请先升级本程序再恢复。")


def _safety_copy(db_path: Path) -> BackupInfo | None:
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:
        return make_backup(db_path, reason="before-restore")
    except UserError:
        # The current file is too damaged for SQLite to read: keep its raw bytes instead.
        target = backups_dir_for(db_path) / timestamped_name("before-restore")
        shutil.copy2(db_path, target)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, target.with_name(target.name + "-wal"))
        return backup_info(target, with_counts=False)


def _record(db_path: Path, actor_name: str, backup_name: str) -> None:
    """An audit row in the restored file: who put which copy back, when."""
    try:
        connection = sqlite3.connect(str(db_path))
        try:
            with connection:
                connection.execute(
                    "INSERT INTO audit_log (at, user_name, action, table_name, row_id, field, old, new)"
                    " VALUES (?, ?, 'restore', 'database', NULL, 'file', NULL, ?)",
                    (f"{datetime.now():%Y-%m-%d %H:%M:%S}.000000", actor_name, backup_name),
                )
        finally:
            connection.close()
    except sqlite3.Error:
        pass  # the restore itself succeeded; an unusual copy without the table is still usable


def restore_backup(backup_path: str | Path, db_path: str | Path, *, actor=None) -> RestoreResult:
    """Replace the database file with a backup copy. The caller's store must be closed.

    ``actor`` (the store's ``Actor``) must be the head; ``None`` means the CLI/system.
    """
    if actor is not None:
        from laborstation.services import authz

        authz.require(actor, authz.RESTORE)
    backup_path, db_path = Path(backup_path).resolve(), Path(db_path).resolve()
    if backup_path == db_path:
        raise UserError("不能用数据库文件自身恢复。")
    check_backup_file(backup_path)
    restored_from = backup_info(backup_path)
    with DatabaseLock(db_path):
        safety = _safety_copy(db_path)
        incoming = db_path.with_name(db_path.name + ".restoring")
        try:
            backup_sqlite(backup_path, incoming)
        except (OSError, sqlite3.Error) as error:
            incoming.unlink(missing_ok=True)
            raise UserError(f"恢复失败，当前数据库未改动：{error}") from error
        try:
            for suffix in ("-wal", "-shm", "-journal"):
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
            incoming.replace(db_path)
        except OSError as error:  # Windows: a connection of this program is still open
            incoming.unlink(missing_ok=True)
            kept = f"当前数据库的副本：{safety.path}。" if safety else ""
            raise UserError(f"无法替换数据库文件（仍被打开？请先关闭数据库）。{kept}（{error}）") from error
        _sync_folder(db_path.parent)
        _record(db_path, actor.name if actor is not None else "system", backup_path.name)
    return RestoreResult(db_path, restored_from, safety)
