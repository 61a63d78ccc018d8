"""A big transaction's pages copied from the WAL into the database file after it, in a thread.

SQLite's automatic checkpoint runs inside the commit that takes the WAL over its
threshold. After a 250,000-row import that is ~100 MB copied into the database file and
synced before the import can return (~0.2 s). Once the commit has synced the WAL
(``synchronous=FULL``) the import is durable, so a big write turns the automatic checkpoint
off for its own commit (``defer``: ``importing.bulk_write``), and ``Checkpoints.start``
copies the pages afterwards on a connection of its own, while the clerk reads the result.
A PASSIVE checkpoint waits for no reader or writer; one cut short (the program closed, a
power cut) leaves the pages in the WAL, where SQLite finds them at the next open.
``Checkpoints.wait`` (``Store.close``) lets one still running finish.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

AUTOMATIC_PAGES = 1000  # SQLite's default wal_autocheckpoint, set back on the pool's check-in


def defer(dbapi_connection) -> None:
    """No automatic checkpoint at this connection's commits (until the pool takes it back:
    ``db.engine``)."""
    dbapi_connection.execute("PRAGMA wal_autocheckpoint = 0")


def automatic(dbapi_connection) -> None:
    dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {AUTOMATIC_PAGES}")


def checkpoint(path: Path, timeout_s: float = 10.0) -> tuple[int, int, int] | None:
    """``PRAGMA wal_checkpoint(PASSIVE)`` on a connection of its own: (busy, frames in the
    WAL, frames copied), or None when SQLite could not (the file gone, locked)."""
    try:
        connection = sqlite3.connect(path, timeout=timeout_s)
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA synchronous = FULL")  # (the file synced, as at a commit)
        row = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return tuple(row) if row else None
    except sqlite3.Error:  # copied at the next checkpoint instead: nothing is lost
        return None
    finally:
        connection.close()


class Checkpoints:
    """The background checkpoints of one store's file."""

    def __init__(self, path: Path | None):
        self.path = path
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Checkpoint the file in a thread (nothing for a server or an in-memory store)."""
        if self.path is None:
            return
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=checkpoint, args=(self.path,),
                                  name="WAL checkpoint", daemon=True)
        thread.start()
        self._threads.append(thread)

    def wait(self) -> None:
        for thread in self._threads:
            thread.join()
        self._threads = []
