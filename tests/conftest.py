"""Fixtures shared by the core and UI tests."""

from __future__ import annotations

import pytest

from laborstation.db import open_store


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder from a test."""
    monkeypatch.setenv("LABORSTATION_DATA", str(tmp_path_factory.mktemp("userdata")))
    monkeypatch.delenv("LABORSTATION_DB", raising=False)


@pytest.fixture
def store(tmp_path):
    """A new, empty SQLite store at head, in a real file."""
    s = open_store(tmp_path / "station.db")
    yield s
    s.close()
