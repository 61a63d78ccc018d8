"""The SQLite plans the speed targets rest on (SQLite has no statistics here: the plan
follows from the indexes alone, so a new or changed index can quietly take over)."""

from __future__ import annotations

import pytest
from person_sql import person_statements

from laborstation.indicators import compute
from laborstation.periods import Period
from laborstation.services.browse import PersonQuery, person_ids

pytestmark = pytest.mark.sqlite_only


def _plans(store, work) -> list[str]:
    """EXPLAIN QUERY PLAN of every statement ``work()`` runs that reads ``person``."""
    statements = person_statements(store, work)
    raw = store.engine.raw_connection()
    try:
        found = []
        for statement, parameters in statements:
            rows = raw.cursor().execute("EXPLAIN QUERY PLAN " + statement, parameters)
            found += [row[-1] for row in rows if " person " in f" {row[-1]} "]
        return found
    finally:
        raw.close()


def test_a_name_search_reads_the_range_of_its_own_index(store):
    for text in ("王伟", "wangwei", "ww"):
        plans = _plans(store, lambda t=text: person_ids(store, PersonQuery(text=t)))
        assert plans, text
        assert all("ix_person_labour" not in p and "ix_person_deleted_at" not in p
                   for p in plans), plans
        assert any("ix_person_search_text" in p for p in plans), plans


def test_an_id_number_prefix_reads_the_id_number_index(store):
    from laborstation.services.browse import person_page

    # (A key of up to 6 digits, a region nearly everyone shares, is tested in place.)
    for text in ("41092619", "410926198001011234"):
        for work in (lambda t=text: person_ids(store, PersonQuery(text=t)),
                     lambda t=text: person_page(store, PersonQuery(text=t))):
            plans = _plans(store, work)
            assert plans and not any(p.startswith("SCAN person") and "INDEX" not in p
                                     for p in plans), (text, plans)
    plans = _plans(store, lambda: person_page(store, PersonQuery(text="41092619")))
    assert any("INDEX uq_person_id_number_live (id_number>? AND id_number<?)" in p
               for p in plans), plans


def test_the_rural_labour_stock_is_read_from_its_covering_index(store, township_id):
    window = Period.parse("2026-10").month_window

    def figure():
        with store.reading() as session:
            compute(session, "101", window, township_id)

    plans = _plans(store, figure)
    assert any("COVERING INDEX ix_person_labour (sex=? AND birth_date>? AND birth_date<?)" in p
               for p in plans), plans


def test_the_recycle_bin_rows_are_read_from_their_own_small_index(store):
    from sqlalchemy import select

    from laborstation.model import Person
    from laborstation.services.person_search import binned as _binned

    def binned():
        with store.reading() as session:
            session.execute(select(Person.id_number).where(_binned(Person.deleted_at))).all()

    assert _plans(store, binned) == ["SEARCH person USING INDEX ix_person_binned (deleted_at>?)"]


def test_the_register_sorted_by_birth_date_reads_a_covering_index(store):
    from laborstation.services.browse import person_page

    for descending in (False, True):
        query = PersonQuery(sort="birth_date", descending=descending)
        plans = _plans(store, lambda q=query: person_page(store, q))
        reads = [p for p in plans if p.startswith("SCAN person")]
        assert reads and all("COVERING INDEX" in p for p in reads), plans


def test_the_same_name_and_birth_date_check_reads_the_labour_index(store):
    """No index on name alone (migration 0008): the check seeks sex and birth date."""
    from datetime import date

    from laborstation.idnumber import make_id
    from laborstation.services.duplicates import duplicate_candidates
    from laborstation.services.register_types import PersonInput

    number = make_id("410926", date(1980, 1, 1), 123, True)
    plans = _plans(store, lambda: duplicate_candidates(store, PersonInput(number, "王伟")))
    same = [p for p in plans if "ix_person_labour" in p]
    assert same and "(sex=? AND birth_date=?" in same[0], plans
    assert not any(p.startswith("SCAN person") for p in plans), plans


def test_the_first_page_sorted_by_name_is_one_pass_over_the_table(store):
    """(~50 ms at 250,000 persons: a top-300 sort, no index walked row by row.)"""
    from laborstation.services.browse import person_page

    plans = _plans(store, lambda: person_page(store, PersonQuery(sort="name")))
    assert plans[-1] == "SCAN person", plans  # (before it: the counts, over small indexes)
