"""A big import builds its indexes with their keys sorted in pieces, and every SQLite
setting it changed for that is back afterwards (index_sort, apply.begin_bulk_write)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, text

from laborstation.db.engine import make_engine
from laborstation.idnumber import make_id
from laborstation.importing import apply, run_import
from laborstation.importing.index_sort import SORT_PIECE_KB, SORT_THREADS, sorting_in_pieces
from laborstation.progress import run_to_end
from laborstation.services.station import set_station

pytestmark = pytest.mark.sqlite_only

_SETTINGS = ("foreign_keys", "temp_store", "cache_size", "cache_spill", "threads")


def _settings(connection) -> dict:
    return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
            for name in _SETTINGS}


def test_keys_are_sorted_in_pieces_only_with_the_temp_store_on_file(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pieces.db'}")
    with engine.connect() as connection:
        usual = _settings(connection)
        assert usual["temp_store"] == 2  # memory: nothing to change
        with sorting_in_pieces(connection):
            assert _settings(connection) == usual
        connection.exec_driver_sql("PRAGMA temp_store = FILE")
        with sorting_in_pieces(connection):
            inside = _settings(connection)
        assert (inside["cache_size"], inside["cache_spill"], inside["threads"]) == (
            -SORT_PIECE_KB, 0, SORT_THREADS)
        after = _settings(connection)
        assert {**after, "temp_store": 2} == usual
        with pytest.raises(RuntimeError), sorting_in_pieces(connection):
            raise RuntimeError("an index that could not be built")
        assert _settings(connection) == after


def test_an_index_sorted_in_pieces_holds_every_key_in_order(tmp_path):
    """60,000 keys of ~40 bytes: over the 2 MB pieces, so SQLite sorts and merges pieces,
    inside a transaction holding the rows (which cache_spill off keeps in memory)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'merge.db'}")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA temp_store = FILE")
        connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT)")
        connection.exec_driver_sql(
            "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 60000) "
            "INSERT INTO t (k) SELECT printf('%040d', (v * 7919) % 60000) FROM n")
        with sorting_in_pieces(connection):
            connection.exec_driver_sql("CREATE INDEX ix_t_k ON t (k)")
        connection.commit()
        keys = list(connection.execute(text("SELECT k FROM t INDEXED BY ix_t_k ORDER BY k"))
                    .scalars())
        assert keys == sorted(f"{v:040d}" for v in range(60000))
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"


def test_a_big_import_gives_its_connection_back_as_it_was(store, tmp_path, monkeypatch):
    monkeypatch.setattr(apply, "SUSPEND_INDEXES_FROM", 50)  # 300 rows make a big import
    set_station(store, name="城关镇", code="410926100000")
    with store.session() as session:
        usual = _settings(session.connection())
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["姓名", "身份证号", "行政村"])
    for n in range(300):
        sheet.append([f"李{n}", make_id("410926", date(1990, 1, 1 + n % 28), n, n % 2 == 0),
                      "西村"])
    book.save(tmp_path / "big.xlsx")
    seen = []
    original = apply.restore_indexes

    def watched(session, statements):
        if statements:
            seen.append(_settings(session.connection()))
        original(session, statements)

    monkeypatch.setattr(apply, "restore_indexes", watched)
    monkeypatch.setattr("laborstation.importing.apply_persons.restore_indexes", watched)
    result = run_to_end(run_import(store, tmp_path / "big.xlsx", kind="persons"))
    assert result.added == 300
    assert seen and seen[0]["temp_store"] == 1 and seen[0]["foreign_keys"] == 0  # (file)
    with store.session() as session:
        assert _settings(session.connection()) == usual
        assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
