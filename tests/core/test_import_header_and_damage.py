"""A two-row header whose only group is over columns this kind does not import (the
sub-title row had been read as a data row), and damaged workbooks told so in Chinese
(a truncated one had shown calamine's English, one missing its parts had been called a
ZIP to unpack or a sheet without a header)."""

from __future__ import annotations

import zipfile

import pytest
from import_world import count, imp, pid
from openpyxl import Workbook
from workbooks import write_xlsx

from laborstation.importing import UnreadableFile, plan_import, run_import
from laborstation.model import Area, Household, Person
from laborstation.progress import run_to_end


def _not_imported(plan) -> set[str]:
    """The columns the plan lists as not imported (未识别的列, or another kind's)."""
    return {title for line in plan.describe().splitlines() if "（不导入）：" in line
            for title in line.split("：", 1)[1].split("、")}


def test_a_group_over_columns_not_imported_is_still_the_headers_second_row(store, station,
                                                                             tmp_path):
    """转移就业情况 over 务工地点|务工单位|月收入 on a 实名制台账: the sub-titles are part of
    the header (listed as not imported), not a person without an ID number. A row of text
    under a one-row header stays a data row."""
    titles = ["序号", "姓名", "身份证号码", "性别", "村民小组", "户编号", "与户主关系"]
    people = [[i + 1, f"沙{i}", pid(i), "男", "一组", "SW9", "户主" if i == 0 else "子女",
               "广东东莞", "某厂", 4000] for i in range(4)]
    path = write_xlsx(tmp_path / "沙窝村台账.xlsx", {
        "沙窝村": [["沙窝村农村劳动力实名制台账"], [*titles, "转移就业情况", None, None],
                  [None] * 7 + ["务工地点", "务工单位", "月收入"], *people],
        "李庄村": [["姓名", "身份证号码", "村民小组", "备注"], ["王五", None, "二组", "待补"]]},
        {"沙窝村": ["A1:J1", "H2:J2", *(f"{c}2:{c}3" for c in "ABCDEFG")]})
    plan = plan_import(store, "persons", path)
    two_rows, one_row = plan.outline()
    assert (two_rows.header_rows, two_rows.data_rows) == ("第 2–3 行", 4)
    assert _not_imported(plan) == {"务工地点", "务工单位", "月收入"}
    assert (one_row.header_rows, one_row.data_rows) == ("第 1 行", 1)
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (4, 1)
    [refused] = result.error_findings
    assert refused.sheet == "李庄村" and "身份证号" in refused.reason


def test_a_roster_with_a_group_it_does_not_import_has_no_note_row(store, station, tmp_path):
    """家庭情况 over 户主姓名|家庭人口 on a 转移就业花名册: had been counted a note row."""
    titles = ["序号", "姓名", "身份证号码", "行政村", "外出时间", "务工地点", "用工单位"]
    path = write_xlsx(tmp_path / "花名册.xlsx", {"花名册": [
        ["城关镇转移就业花名册"], [*titles, "家庭情况", None], [None] * 7 + ["户主姓名", "家庭人口"],
        *([i + 1, f"张{i}", pid(i), "李庄村", "2026-02-01", "郑州", "郑州某厂", f"张{i}", 4]
          for i in range(3))]},
        {"花名册": ["A1:I1", "H2:I2", *(f"{c}2:{c}3" for c in "ABCDEFG")]})
    plan = plan_import(store, "placements", path)
    [sheet] = plan.outline()
    assert (sheet.header_rows, sheet.data_rows) == ("第 2–3 行", 3)
    assert _not_imported(plan) == {"户主姓名", "家庭人口"}
    result = imp(store, path, "placements")
    assert (result.read, result.added, result.errors, result.blank) == (3, 3, 0, 0)


# Damaged workbooks -------------------------------------------------------------------------

def _ledger(path):
    book = Workbook()
    sheet = book.active
    sheet.title = "李庄村"
    sheet.append(["姓名", "身份证号码", "行政村"])
    for n in range(30):
        sheet.append([f"张{n}", pid(n), "李庄村"])
    book.save(path)
    return path


def _without(source, target, keep):
    """The workbook ``source`` zipped again into ``target`` with only the parts ``keep``
    says to keep."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if keep(info.filename):
                new.writestr(info, old.read(info))
    return target


def _truncated(source, target):
    data = source.read_bytes()
    target.write_bytes(data[:len(data) // 2])
    return target


def _told_damaged(store, path) -> str:
    """The message of a damaged workbook: from the plan and from the import alike, exit 2,
    in Chinese (no English from the reader), nothing written."""
    before = [count(store, model) for model in (Person, Household, Area)]
    with pytest.raises(UnreadableFile) as planned:
        plan_import(store, "persons", path)
    with pytest.raises(UnreadableFile) as imported:
        run_to_end(run_import(store, path, kind="persons"))
    message = str(planned.value)
    assert str(imported.value) == message and planned.value.exit_code == 2
    assert message.startswith(f"文件 {path.name} 已损坏或不完整")
    assert "另存为一份再导入" in message and "重新要一份" in message
    assert "压缩包" not in message and "表头" not in message and "技术信息" not in message
    letters = message.replace(path.name, "").replace("Excel", "").replace("WPS", "")
    assert not any("a" <= c.lower() <= "z" for c in letters.replace("xlsx", ""))
    assert [count(store, model) for model in (Person, Household, Area)] == before
    return message


@pytest.mark.parametrize("damage", [
    pytest.param(_truncated, id="truncated"),
    pytest.param(lambda s, t: _without(s, t, lambda n: n != "xl/workbook.xml"),
                 id="no_workbook_part"),
    pytest.param(lambda s, t: _without(s, t, lambda n: not n.startswith("xl/")),
                 id="no_xl_parts"),
])
def test_a_damaged_workbook_is_told_so_in_chinese(store, station, tmp_path, damage):
    imp(store, _ledger(tmp_path / "good.xlsx"), "persons")
    _told_damaged(store, damage(_ledger(tmp_path / "source.xlsx"), tmp_path / "台账.xlsx"))


def test_a_zip_of_other_files_is_still_a_zip_to_unpack(store, station, tmp_path):
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.write(_ledger(tmp_path / "李庄村.xlsx"), "李庄村.xlsx")
        package.writestr("说明.txt", "见表格")
    with pytest.raises(UnreadableFile, match="是压缩包（ZIP）.*请先解压"):
        plan_import(store, "persons", path)
