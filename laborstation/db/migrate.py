"""Bring a database to the current schema at start-up.

A new database is built with ``create_all`` and stamped at head; an older one
is copied aside first, then upgraded by Alembic. A failed upgrade rolls back
(SQLite DDL is transactional) and the copy stays beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from laborstation.db.base import Base

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported inside the functions: a start-up that needs no upgrade
# only reads the version row, and skipping Alembic's import saves ~0.1 s of it.

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # (configparser reads % as interpolation: a path with Chinese characters, which the URL
    # writes as %E5…, as in C:\Users\张三\AppData, would make the option unreadable)
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database (read directly: no Alembic import needed)."""
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def create_new(engine: Engine) -> None:
    from alembic import command

    import laborstation.model  # noqa: F401

    Base.metadata.create_all(engine)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.stamp(config, "head")


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()
