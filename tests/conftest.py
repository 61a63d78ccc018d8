"""Fixtures shared by the core and UI tests.

The ``store`` fixture is a fresh SQLite file at head. With ``LABORSTATION_TEST_PG`` set to
a PostgreSQL URL (``.ci/start-postgres`` prints one) it is a fresh schema on that server
instead, so the same tests prove the core on both databases.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from laborstation.db import open_store
from laborstation.db.engine import make_engine

PG_URL = os.environ.get("LABORSTATION_TEST_PG", "")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder from a test."""
    monkeypatch.setenv("LABORSTATION_DATA", str(tmp_path_factory.mktemp("userdata")))
    monkeypatch.delenv("LABORSTATION_DB", raising=False)


def _fresh_postgres_schema(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def store(tmp_path):
    """A new, empty store at head: a real SQLite file, or a fresh PostgreSQL schema."""
    if PG_URL:
        _fresh_postgres_schema(PG_URL)
        s = open_store(PG_URL)
    else:
        s = open_store(tmp_path / "station.db")
    yield s
    s.close()


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.sqlite_only`` tests look inside the SQLite file; on PostgreSQL they skip."""
    if not PG_URL:
        return
    skip = pytest.mark.skip(reason="looks inside the SQLite file (ran in the SQLite pass)")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


def pytest_report_header(config):
    return f"store fixture database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite file'}"
