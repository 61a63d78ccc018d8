"""A persons ledger's 备注, a coded cell naming no code, an over-long 联系电话 (the fifth
review)."""

from __future__ import annotations

from import_world import imp, pid, rows_of
from workbooks import write_xlsx

from laborstation.model import Person

HEADER = ["姓名", "身份证号", "行政村", "民族", "劳动能力", "联系电话", "备注"]


def findings(result) -> dict[int, str]:
    return {f.row: " ".join(f.warnings) for f in result.findings}


def test_the_notes_column_is_kept_and_a_death_written_there_is_told(store, station, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [
        HEADER,
        ["甲", pid(1), "李庄村", "汉族", "健康", "", "长期在外"],
        ["乙", pid(2), "李庄村", "火星族", "", "", "2023年去世"],
        ["丙", pid(3), "李庄村", "", "", "", "同上"],
    ]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (3, 0)
    notes = {p.name: p.notes for p in rows_of(store, Person)}
    assert notes == {"甲": "长期在外", "乙": "2023年去世；民族：火星族", "丙": "2023年去世"}
    told = findings(result)
    assert "已去世" in told[3] and "死亡日期" in told[3] and "已去世" in told[4]
    assert "新增人员的民族记为“汉族”" in told[3]  # (what is stored instead, not only 备注)


def test_an_unknown_labour_capacity_says_what_a_new_person_gets(store, station, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [
        HEADER, ["甲", pid(1), "李庄村", "", "长期卧床不起", "", ""]]})
    result = imp(store, path, "persons")
    assert "劳动能力“长期卧床不起”不在代码表中" in findings(result)[2]
    assert "新增人员的劳动能力记为“" in findings(result)[2]


def test_an_over_long_phone_keeps_whole_numbers(store, station, tmp_path):
    phones = "13803930004 13803930005 13803930006 13803930007"
    path = write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [
        HEADER, ["甲", pid(1), "李庄村", "", "", phones, ""]]})
    result = imp(store, path, "persons")
    (person,) = rows_of(store, Person)
    assert person.phone == "13803930004 13803930005 13803930006"
    assert "联系电话超过 40 个字，已截断为“13803930004 13803930005 13803930006”" \
        in findings(result)[2]


def test_a_household_number_excel_made_a_date_is_told_and_a_long_one_refused(
        store, station, tmp_path):
    from datetime import datetime

    header = ["姓名", "身份证号", "行政村", "户编号"]
    path = write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [
        header, ["甲", pid(1), "李庄村", datetime(2026, 1, 2)], ["乙", pid(2), "李庄村", "1" * 40]]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (1, 1)
    assert "是一个日期" in findings(result)[2]
    assert "超过 32 个字" in result.error_findings[0].reason
