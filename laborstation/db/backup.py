"""Copies of a SQLite database file, made with SQLite's online backup API.

The online backup copies a consistent snapshot even while the program (or
another connection) has the file open, unlike a plain file copy in WAL mode.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_sqlite(source: Path, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(destination)
    return destination


def timestamped_name(prefix: str, when: datetime | None = None) -> str:
    when = when or datetime.now()
    return f"{prefix}-{when:%Y%m%d-%H%M%S}.db"
