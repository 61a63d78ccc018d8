"""One writer: a lock file beside the database (``station.db.lock``).

The file holds JSON naming the holder ``{pid, host, user, since}`` so a second
program can say who has the database open. What actually excludes it is an
OS-level lock on that file (``fcntl.flock``; ``msvcrt.locking`` on Windows),
which the operating system drops when the holder exits or crashes: a lock
file left by a killed program is stale by construction and is simply taken
over (``DatabaseLock.stale_holder`` then tells who left it).

The file is never deleted, only emptied on release: deleting a lock file
races with a program that has just opened it. OS locks on network shares are
not reliable; the database is meant to live on the clerk's own disk.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path

from laborstation.errors import StoreError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    # Lock one byte far past the JSON so that others can still read who holds it.
    _LOCK_OFFSET = 1 << 30

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class DatabaseInUse(StoreError):
    """Another program (on this or another computer) has the database open for writing."""

    def __init__(self, message: str, holder: dict):
        super().__init__(message)
        self.holder = holder


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def read_holder(lock_path: Path) -> dict:
    """The JSON in a lock file ({} when empty or unreadable)."""
    try:
        data = json.loads(lock_path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _me() -> dict:
    try:
        user = getpass.getuser()
    except Exception:  # no login name (service account, odd environment)
        user = ""
    return {"pid": os.getpid(), "host": socket.gethostname(), "user": user,
            "since": datetime.now().isoformat(sep=" ", timespec="seconds")}


def _in_use_message(db_path: Path, holder: dict) -> str:
    if not holder:
        return f"数据库 {db_path} 正被另一个程序使用。请先关闭那个程序再打开。"
    who = f"计算机“{holder.get('host', '?')}”上的进程 {holder.get('pid', '?')}"
    if holder.get("user"):
        who += f"（用户 {holder['user']}）"
    return (f"数据库 {db_path} 正被{who}使用，自 {holder.get('since', '?')} 起。"
            "同一时间只能有一个程序修改数据库，请先关闭那个程序再打开。")


class DatabaseLock:
    """Exclusive use of one SQLite file by this process: ``with DatabaseLock(path): ...``."""

    def __init__(self, db_path: str | os.PathLike):
        self.db_path = Path(db_path)
        self.path = lock_path_for(self.db_path)
        self.stale_holder: dict | None = None
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> DatabaseLock:
        """Take the lock or raise ``DatabaseInUse`` naming the holder's machine, PID and time."""
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as error:
            raise StoreError(f"无法建立锁文件 {self.path}（{error.strerror or error}）。"
                             "数据库所在的文件夹需要能够写入。") from error
        if not _try_lock(fd):
            os.close(fd)
            holder = read_holder(self.path)
            raise DatabaseInUse(_in_use_message(self.db_path, holder), holder)
        # We hold it: whatever the file still names is a holder that died without releasing.
        previous = read_holder(self.path)
        self.stale_holder = previous or None
        me = _me()
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(me, ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
        self._fd = fd
        self.holder = me
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self):  # a forgotten lock is released when the object goes
        try:
            self.release()
        except Exception:
            pass
