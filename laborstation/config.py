"""Where the data lives and which database to open."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "LaborStation"
DB_ENV = "LABORSTATION_DB"
DATA_ENV = "LABORSTATION_DATA"


def data_dir() -> Path:
    """The user's data folder (``%LOCALAPPDATA%\\LaborStation`` on Windows)."""
    override = os.environ.get(DATA_ENV)
    path = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "station.db"


def backups_dir_for(db_path: Path) -> Path:
    """Backups sit in a ``backups`` folder beside the database file."""
    path = db_path.parent / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(db: str | os.PathLike | None = None) -> str:
    """A SQLAlchemy URL from ``--db`` (a path or a URL), ``LABORSTATION_DB`` or the default."""
    value = str(db) if db else os.environ.get(DB_ENV, "")
    if not value:
        value = str(default_db_path())
    if "://" in value:
        return value
    from sqlalchemy.engine import URL

    # (URL.create quotes the path: written into the URL as it is, a folder named
    # 台账%20备份 or 用户%E5%BC%A0三, as browsers and WeChat name downloads, would be read
    # back decoded, as another folder)
    path = str(Path(value).expanduser().resolve())
    return URL.create("sqlite", database=path).render_as_string(hide_password=False)
