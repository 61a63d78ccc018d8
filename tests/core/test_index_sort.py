"""A big import builds its indexes with their keys sorted in pieces, and every SQLite
setting it changed for that is back afterwards (index_sort, bulk_write.begin_bulk_write)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, event, text

from laborstation.db.engine import make_engine
from laborstation.idnumber import make_id
from laborstation.importing import bulk_write, run_import
from laborstation.importing.index_sort import SORT_PIECE_KB, SORT_THREADS, sorting_in_pieces
from laborstation.progress import run_to_end
from laborstation.services.station import set_station

pytestmark = pytest.mark.sqlite_only

_SETTINGS = ("foreign_keys", "temp_store", "cache_size", "cache_spill", "threads",
             "wal_autocheckpoint")


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
        assert (inside["cache_size"], inside["threads"]) == (-SORT_PIECE_KB, SORT_THREADS)
        after = _settings(connection)
        assert {**after, "temp_store": 2} == usual
        with pytest.raises(RuntimeError), sorting_in_pieces(connection):
            raise RuntimeError("an index that could not be built")
        assert _settings(connection) == after


def test_an_index_sorted_in_pieces_holds_every_key_in_order(tmp_path):
    """60,000 keys of ~40 bytes, several pieces' worth, inside the transaction that wrote
    the rows: the index SQLite builds under these settings is whole and in order."""
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


def _ledger_of_300(path):
    """A persons ledger of 300 rows (a big import once SUSPEND_INDEXES_FROM is 50)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["姓名", "身份证号", "行政村"])
    for n in range(300):
        sheet.append([f"李{n}", make_id("410926", date(1990, 1, 1 + n % 28), n, n % 2 == 0),
                      "西村"])
    book.save(path)
    return path


def test_a_big_import_gives_its_connection_back_as_it_was(store, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_write, "SUSPEND_INDEXES_FROM", 50)  # 300 rows make a big import
    set_station(store, name="城关镇", code="410926100000")
    with store.session() as session:
        usual = _settings(session.connection())
    big = _ledger_of_300(tmp_path / "big.xlsx")
    seen = {}  # the settings as each person index was built

    def building(_connection, cursor, statement, *_args):
        built = re.match(r'CREATE (?:UNIQUE )?INDEX "?(\w+)"? ON "?person"? ', statement)
        if built:
            seen[built[1]] = tuple(
                cursor.connection.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("temp_store", "foreign_keys", "cache_size", "threads",
                             "wal_autocheckpoint"))

    event.listen(store.engine, "before_cursor_execute", building)
    try:
        result = run_to_end(run_import(store, big, kind="persons"))
    finally:
        event.remove(store.engine, "before_cursor_execute", building)
    assert result.added == 300
    assert "ix_person_labour" in seen and set(seen.values()) == {  # (temp store on file)
        (1, 0, -SORT_PIECE_KB, SORT_THREADS, 0)}, seen  # (no checkpoint at its commit)
    with store.session() as session:
        assert _settings(session.connection()) == usual
        assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"


def test_a_big_import_is_copied_into_the_database_file_after_its_commit(store, tmp_path,
                                                                          monkeypatch):
    """Its commit leaves the pages in the WAL (no automatic checkpoint): a thread copies
    them into the file afterwards, and closing the store waits for it. The .db file alone,
    without its -wal, then holds every row."""
    import shutil
    import sqlite3

    monkeypatch.setattr(bulk_write, "SUSPEND_INDEXES_FROM", 50)
    set_station(store, name="城关镇", code="410926100000")
    result = run_to_end(run_import(store, _ledger_of_300(tmp_path / "big.xlsx"), kind="persons"))
    assert result.added == 300
    # (the connection that committed, back in the pool, checkpoints automatically again)
    with store.session() as session:
        assert session.connection().exec_driver_sql(
            "PRAGMA wal_autocheckpoint").scalar_one() == 1000
    store.checkpoints.wait()
    alone = tmp_path / "alone.db"
    shutil.copyfile(store.path, alone)  # (the database file, not its WAL)
    copy = sqlite3.connect(alone)
    try:
        assert copy.execute("SELECT count(*) FROM person").fetchone()[0] == 300
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()
