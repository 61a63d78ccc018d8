"""The import's bulk SQLite writes: one audit row per record, heads, look-ups, rollback."""

from __future__ import annotations

import gc
import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.idnumber import make_id
from laborstation.importing import fast_sql, plan_import, run_import
from laborstation.importing.audit_runs import row_of, row_ranges
from laborstation.importing.bulk_write import insert_columns
from laborstation.model import AuditEntry, Household, Person
from laborstation.progress import run_to_end
from laborstation.services.audit_query import AuditFilter, audit_page, readable
from laborstation.services.station import set_station

HEADER = ["姓名", "身份证号", "与户主关系", "户主姓名", "户编号"]


def pid(n: int, male: bool = True) -> str:
    return make_id("410926", date(1980, 1, 1) + timedelta(days=n // 400), (n % 400) * 2, male)


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code="410926100000")


def _village(n: int) -> list[list]:
    return [[f"张{i}", pid(n * 10000 + i), "户主" if i % 3 == 0 else "子", "", f"H{n}-{i // 3}"]
            for i in range(3000)]


def test_every_added_record_is_in_an_audit_run_naming_file_sheet_and_row(store, station,
                                                                         tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", {"东村": [HEADER, *_village(1)],
                                         "西村": [["西村台账"], HEADER, *_village(2)]})
    result = run_to_end(run_import(store, path, kind="persons"))
    assert gc.isenabled()
    assert result.added == 6000 and result.households_added == 2000
    with store.reading() as session:
        runs = session.execute(select(AuditEntry.table_name, AuditEntry.row_id,
                                      AuditEntry.last_row_id, AuditEntry.new)
                               .where(AuditEntry.action == "import")).all()
        persons = dict(session.execute(select(Person.id, Person.id_number)).all())
        heads = session.execute(select(Household.number, Household.head_id)).all()
    person_runs = [r for r in runs if r.table_name == "person"]
    assert len(person_runs) == 2  # one a sheet, not one a record
    assert sum(r.last_row_id - r.row_id + 1 for r in person_runs) == 6000
    assert sum(json.loads(r.new)["count"] for r in person_runs) == 6000

    def origin(person_id: int) -> tuple[str, int]:
        """What the audit page shows for one person: the run it came in, its row."""
        [entry] = [e for e in audit_page(store, AuditFilter(table="person", row_id=person_id)).rows
                   if e.action == "import"]
        assert json.loads(entry.new)["file"] == "two.xlsx"
        return json.loads(entry.new)["sheet"], row_of(entry.new, entry.row_id, person_id)

    ids = {number: person_id for person_id, number in persons.items()}
    assert origin(ids[pid(10000)]) == ("东村", 2) and origin(ids[pid(12999)]) == ("东村", 3001)
    assert origin(ids[pid(20000)]) == ("西村", 3) and origin(ids[pid(22999)]) == ("西村", 3002)
    households = [r for r in runs if r.table_name == "household"]  # one run a sheet
    assert [json.loads(r.new) for r in households] == [{"file": "two.xlsx", "count": 1000}] * 2
    assert sum(r.last_row_id - r.row_id + 1 for r in households) == 2000
    assert all(head is not None for _, head in heads)  # every household has its 户主
    shown = readable(person_runs[1].new)
    assert shown == "文件：two.xlsx；工作表：西村；第 3–3002 行；共 3000 条"


def test_row_ranges_and_the_row_of_a_record():
    assert row_ranges([3, 4, 5, 9, 10, 2]) == [[3, 5], [9, 10], [2, 2]]
    new = json.dumps({"rows": row_ranges([3, 4, 5, 9, 10])})
    assert [row_of(new, 100, i) for i in range(99, 106)] == [None, 3, 4, 5, 9, 10, None]


def test_an_update_is_audited_with_its_changes(store, station, tmp_path):
    first = write_xlsx(tmp_path / "a.xlsx", {"东村": [HEADER + ["联系电话"],
                                                 ["张伟", pid(1), "户主", "", "H1", ""]]})
    second = write_xlsx(tmp_path / "b.xlsx", {"东村": [HEADER + ["联系电话"],
                                                  ["张伟", pid(1), "户主", "", "H1", "13800000000"]]})
    run_to_end(run_import(store, first, kind="persons"))
    result = run_to_end(run_import(store, second, kind="persons"))
    assert result.updated == 1
    with store.reading() as session:
        new = session.scalars(select(AuditEntry.new).where(AuditEntry.new.like('%"b.xlsx"%'))).one()
    assert json.loads(new)["changes"] == {"phone": ["", "13800000000"]}


def test_fast_statements_write_what_executemany_would(store, station):
    if not store.is_sqlite:
        pytest.skip("one-statement writes are SQLite's")
    with store.session() as session:
        assert fast_sql.available(session)
        ids = insert_columns(session, Household.__table__,
                             ["number", "village_id", "group_id", "address", "phone", "category",
                              "head_id", "notes", "created_at", "updated_at", "deleted_at"],
                             [["A", "B"], [station.area_id] * 2, [None] * 2, ["", ""], ["", ""],
                              ["0", "0"], [None] * 2, ["", ""],
                              [datetime(2026, 1, 2, 3, 4, 5)] * 2, [datetime(2026, 1, 2)] * 2,
                              [None, datetime(2026, 2, 1)]])
        people = insert_columns(
            session, Person.__table__,
            ["id_number", "name", "sex", "birth_date", "nation", "phone", "labour_capacity",
             "is_rural", "skills", "training_wish", "address", "notes", "search_text",
             "household_id", "village_id", "created_at", "updated_at"],
            [[pid(5)], ["张五"], ["1"], [date(1980, 1, 1)], ["01"], [""], ["1"], [True], [""],
             [""], [""], [""], ["张五 zhangwu zw"], [ids[0]], [station.area_id],
             [datetime(2026, 1, 2)], [datetime(2026, 1, 2)]])
        fast_sql.set_by_id(session, "household", "head_id", [(ids[0], people[0])])
        live = fast_sql.live_rows_by(session, "household", "number", ["A", "B", "C"], ("id",),
                                     max(ids))
        assert live == [("A", ids[0])]  # B is in the recycle bin
        assert fast_sql.live_rows_by(session, "household", "number", ["A"], ("id",),
                                     ids[0] - 1) == []  # made after the bound
    with store.reading() as session:
        a, b = (session.get(Household, i) for i in ids)
        assert a.created_at == datetime(2026, 1, 2, 3, 4, 5) and b.deleted_at is not None
        assert a.head_id == people[0] and b.head_id is None
        person = session.get(Person, people[0])
        assert person.birth_date == date(1980, 1, 1) and person.is_rural is True


@pytest.mark.sqlite_only
def test_cancel_after_the_bulk_writes_leaves_no_rows_no_audit_and_the_indexes(store, station,
                                                                              tmp_path):
    if not store.is_sqlite:
        pytest.skip("indexes are dropped and rebuilt on SQLite only")
    rows = [[f"张{i}", pid(i), "户主", "", f"H{i}"] for i in range(6000)]
    path = write_xlsx(tmp_path / "big.xlsx", {"东村": [HEADER, *rows]})
    work = run_import(store, path, kind="persons")
    for step in work:
        if step.message == "重建索引…":  # persons written, their indexes dropped
            break
    assert not gc.isenabled()  # paused while the rows are written (see importing.run)
    work.close()
    assert gc.isenabled()
    with store.reading() as session:
        assert session.scalars(select(Person.id)).all() == []
        assert session.scalars(select(Household.id)).all() == []
        assert session.scalars(select(AuditEntry.id).where(
            AuditEntry.action == "import")).all() == []
        indexes = {name for (name,) in session.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person'")}
    assert {"uq_person_id_number_live", "ix_person_labour"} <= indexes


def test_cells_that_are_not_text_are_read_as_text(store, station, tmp_path):
    path = write_xlsx(tmp_path / "odd.xlsx", {"东村": [["姓名", "身份证号", "性别", "村民小组"],
                                                  [1234, pid(1), 1, 3], ["王芳", pid(2, False), "男", 4]]})
    result = run_to_end(run_import(store, path, kind="persons"))
    assert result.added == 2
    warnings = {f.row: f.warnings for f in result.findings}
    assert 2 not in warnings and any("性别" in w for w in warnings[3])
    with store.reading() as session:
        assert session.scalars(select(Person.name).order_by(Person.id)).all() == ["1234", "王芳"]


def test_rows_freed_during_the_index_rebuild_leave_the_report_its_rows(store, station,
                                                                      tmp_path):
    """A big import lets go of clean rows while SQLite rebuilds the indexes
    (``letting_go``): the rows the clerk is told about keep their cells, and a plan the
    caller made keeps all its rows."""
    rows = _village(1) + _village(2)
    rows[10][1] = "410926198001010000"  # a wrong check digit: refused
    rows[20][0] = "张" * 45  # a name too long: clipped, with a warning
    path = write_xlsx(tmp_path / "big.xlsx", {"东村": [HEADER, *rows]})
    plan = plan_import(store, "persons", path)
    result = run_to_end(run_import(store, plan))
    assert result.added == 5999 and result.errors == 1 and result.accounted
    refused = [f for f in result.findings if f.outcome == "error"]
    warned = [f for f in result.findings if f.warnings]
    assert [f.values[:2] for f in refused] == [rows[10][:2]] and refused[0].row == 12
    assert [f.values[0] for f in warned] == ["张" * 45] and warned[0].row == 22
    assert plan.rows == 6000  # (the caller's plan: its rows are not taken)

    again = write_xlsx(tmp_path / "again.xlsx", {"西村": [HEADER, *_village(3)]})
    result = run_to_end(run_import(store, again, kind="persons"))  # a plan of its own
    assert result.added == 3000 and result.accounted
