"""What clerks' ledgers carry besides persons (the fifth review): totals and signature
lines under the table, a template's rows with only 序号 and places filled in, its hint
row (必填, 格式：…) and its 示例 row under the header."""

from __future__ import annotations

from datetime import date

from import_world import imp, pid
from workbooks import write_xlsx

from laborstation.importing import plan_import

HEADER = ["序号", "姓名", "身份证号", "性别", "联系电话", "家庭住址", "备注"]


def persons(n: int) -> list[list]:
    return [[i, f"人{i}", pid(i), "男", "", "李庄村", ""] for i in range(1, n + 1)]


def test_totals_and_signature_lines_under_the_table_are_notes(store, station, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"李庄村": [HEADER, *persons(3),
        ["制表人：张三", "", "", "审核人：李四", "", "", "制表日期：2025年3月1日"],
        ["", "合计", 3, "", "", "", ""], ["", "合计", "3人", "", "", "", ""],
        ["", "负责人：", "王所长", "", "", "", ""], ["", "填表人", "张三", "", "13800000009", "", ""],
        ["单位（盖章）：", "", "", "", "填报日期：", date(2025, 3, 1), ""],
        ["以上人员信息已核实无误", "", "", "", "", "", ""],
        ["", "单伟", "41092619800101", "男", "", "", ""],  # a person, a short ID: an error
    ]})
    result = imp(store, path, "persons", all_or_nothing=True)
    assert (result.added, result.errors, result.blank, result.read) == (3, 1, 7, 11)
    assert result.error_findings[0].row == 12 and not result.written


def test_a_total_or_a_signature_label_with_no_id_number_is_a_note(store, station, tmp_path):
    """合计, 以下空白 or 共2人 alone under 姓名, a label under 身份证号 waiting for its
    signature: notes, not persons refused for a blank ID number (the sixth review)."""
    path = write_xlsx(tmp_path / "l.xlsx", {"李庄村": [HEADER, *persons(2),
        ["", "合计", "", "", "", "", ""], ["", "以下空白", "", "", "", "", ""],
        ["", "共2人", "", "", "", "", ""], ["", "小计", "", "", "", "", "2"],
        ["审核：", "", "村支书签字：", "", "", "", ""],
        ["", "张伟", "", "男", "", "", ""],  # a person without an ID number: an error
        ["", "", "身份证：未提供", "", "", "", "李四"],  # (no name: an error too)
    ]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors, result.blank, result.read) == (2, 2, 5, 9)
    assert [f.row for f in result.error_findings] == [9, 10]


def test_a_templates_rows_with_only_places_filled_in_are_blank(store, station, tmp_path):
    header = ["序号", "乡镇", "行政村", "姓名", "身份证号", "性别"]
    rows = [[1, "城关镇", "李庄村", "甲", pid(1), "男"]]
    rows += [[n, "城关镇", "李庄村", "", "", ""] for n in range(2, 20)]
    rows.append([20, "城关镇", "李庄村", "", "", "女"])  # something written: a row to fix
    result = imp(store, write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [header, *rows]}), "persons")
    assert (result.added, result.blank, result.errors) == (1, 18, 1) and result.accounted


def test_a_templates_hint_row_and_sample_row_are_part_of_its_header(store, station, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"李庄村": [
        HEADER, ["", "必填", "必填，18位", "必填", "选填", "", ""],
        ["示例", "张三", pid(99), "男", "13800000000", "", ""], *persons(2)]})
    plan = plan_import(store, "persons", path)
    try:
        assert "第 1 行（第 2–3 行是填写说明或示例，不导入）" in plan.describe()
    finally:
        plan.close()
    result = imp(store, path, "persons")
    assert (result.read, result.added, result.errors) == (2, 2, 0)
