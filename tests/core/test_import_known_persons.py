"""Rows that would add someone the register has already: a mistyped ID number corrected
in the ledger (the return counted the person, and a roster's placement, twice), a
person in the recycle bin (added anew, they could never be restored); and a row with
the number of an earlier row that was refused (it was refused as its double)."""

from __future__ import annotations

from datetime import date

import pytest
from import_world import TOWNSHIP, count, imp
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.idnumber import make_id
from laborstation.model import Person, Placement
from laborstation.services.persons import delete_person
from laborstation.services.station import set_station

LEDGER = ["姓名", "身份证号", "行政村", "户编号", "与户主关系"]
RIGHT = make_id("410926", date(1993, 1, 19), 44, False)
TYPO = make_id("410926", date(1993, 1, 9), 44, False)  # (19 typed 09; another check digit)


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code=TOWNSHIP)


def _ledger(tmp_path, name, rows):
    return write_xlsx(tmp_path / name, {"台账": [LEDGER, *rows]})


def _told(result) -> list[tuple[int, str]]:
    return [(f.row, f.reason) for f in result.findings if f.reason]


def _fix_typo_rows() -> tuple[list, list]:
    head = ["王建国", make_id("410926", date(1965, 3, 1), 11, True), "张庄村", "1", "户主"]
    return [head, ["王小红", TYPO, "张庄村", "1", "女"]], [head, ["王小红", RIGHT, "张庄村", "1", "女"]]


def test_a_corrected_id_number_is_not_a_second_person(store, station, tmp_path):
    assert TYPO != RIGHT and sum(a != b for a, b in zip(TYPO, RIGHT, strict=True)) <= 2
    before, after = _fix_typo_rows()
    imp(store, _ledger(tmp_path, "a.xlsx", before), "persons")
    result = imp(store, _ledger(tmp_path, "b.xlsx", after), "persons")
    differ = sum(a != b for a, b in zip(TYPO, RIGHT, strict=True))
    assert _told(result) == [(3, f"台账中同村已有王小红，身份证号 {TYPO}，与这一行的只差 {differ} 位："
                                 "如果是改正了身份证号，请先在程序中把此人的身份证号改正，再导入"
                                 "这一行（不然会多出一个人）")]
    assert count(store, Person) == 2


def test_a_roster_with_the_corrected_number_adds_no_second_person(store, station, tmp_path):
    before, _after = _fix_typo_rows()
    imp(store, _ledger(tmp_path, "a.xlsx", before), "persons")
    header = ["姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位"]
    roster = write_xlsx(tmp_path / "r.xlsx", {"花名册": [
        header, ["王小红", RIGHT, "张庄村", "2026-03-01", "深圳", "富士康"]]})
    result = imp(store, roster, "placements")
    assert result.errors == 1 and "台账中同村已有王小红" in _told(result)[0][1]
    assert (count(store, Person), count(store, Placement)) == (2, 0)


def test_a_person_of_the_same_name_and_another_number_is_added(store, station, tmp_path):
    """Numbers differing in more than a typo's characters: two persons of one name."""
    before, _after = _fix_typo_rows()
    imp(store, _ledger(tmp_path, "a.xlsx", before), "persons")
    other = make_id("410926", date(1971, 8, 2), 66, False)
    result = imp(store, _ledger(tmp_path, "b.xlsx", [["王小红", other, "张庄村", "2", "户主"]]),
                 "persons")
    assert (result.added, result.errors) == (1, 0)


def test_a_person_in_the_recycle_bin_is_not_added_anew(store, station, tmp_path):
    before, _after = _fix_typo_rows()
    imp(store, _ledger(tmp_path, "a.xlsx", before), "persons")
    with store.reading() as session:
        married_out = session.scalars(select(Person).where(Person.name == "王小红")).one().id
    delete_person(store, married_out)
    result = imp(store, _ledger(tmp_path, "a.xlsx", before), "persons")
    assert _told(result) == [(3, f"身份证号 {TYPO} 的王小红已删除，在“回收站”中：如要重新登记，"
                                 "请在回收站中恢复此人后再导入这一行")]
    assert (result.unchanged, result.added) == (1, 0)


def test_a_row_whose_earlier_double_was_refused_is_imported(store, station, tmp_path):
    """The first row of a number lacked its village and was refused: the second, whole,
    was refused too, as its double, and the household was left without its head."""
    number = make_id("410926", date(1970, 1, 1), 11, True)
    path = _ledger(tmp_path, "a.xlsx", [["张伟", number, "", "1", "户主"],
                                        ["张伟", number, "张庄村", "1", "户主"],
                                        ["李芳", make_id("410926", date(1972, 1, 1), 12, False),
                                         "张庄村", "1", "妻"]])
    result = imp(store, path, "persons")
    assert [row for row, _reason in _told(result)] == [2]
    assert result.added == 2
    with store.reading() as session:
        zhang = session.scalars(select(Person).where(Person.name == "张伟")).one()
        assert zhang.household.head_id == zhang.id


def test_a_near_number_of_another_family_is_another_person(store, station, tmp_path):
    """Two 王小红 of one village, born ten days apart with one sequence number: numbers
    one digit apart. In another household (户编号), the second is added."""
    before, _after = _fix_typo_rows()
    imp(store, _ledger(tmp_path, "a.xlsx", before), "persons")
    result = imp(store, _ledger(tmp_path, "b.xlsx", [["王小红", RIGHT, "张庄村", "2", "户主"]]),
                 "persons")
    assert (result.added, result.errors) == (1, 0)


def test_a_near_number_added_earlier_in_the_same_file_is_not_a_correction(
        store, station, tmp_path, monkeypatch):
    """On the generic path (PostgreSQL), a big file's later part saw the persons its
    earlier parts added as the register's: a new person was refused."""
    from laborstation.importing import fast_sql, xlsx_parts
    monkeypatch.setattr(fast_sql, "available", lambda session: False)
    monkeypatch.setattr(xlsx_parts, "SPLIT_FROM", 4096)
    monkeypatch.setattr(xlsx_parts, "FIRST_PART", 1024)
    monkeypatch.setattr(xlsx_parts, "PART", 3072)
    before, _after = _fix_typo_rows()
    imp(store, _ledger(tmp_path, "a.xlsx", before[:1]), "persons")  # (a register not empty)
    fillers = [[f"人{n}", make_id("410926", date(1990, 1, 1 + n % 28), n, True), "李庄村", "",
                ""] for n in range(10, 200)]
    path = _ledger(tmp_path, "b.xlsx", [["王五", TYPO, "张庄村", "", ""], *fillers,
                                        ["王五", RIGHT, "张庄村", "", ""]])
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (192, 0)
