"""Two-row headers: a sub-title read with its group title (证书 over 编号 is 证书编号, not
a 序号), and the error report of such a sheet keeping both rows, so that the rows fixed
there import again as the file's did (起 and 止 without 培训时间 above them were no dates)."""

from __future__ import annotations

from datetime import date

import pytest
from import_world import imp, pid
from openpyxl import load_workbook
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.importing import plan_import, write_error_report
from laborstation.model import Course, Enrolment, Person, Placement


def bad(n: int) -> str:
    """pid(n) with its check digit wrong."""
    good = pid(n)
    return good[:-1] + ("1" if good[-1] == "0" else "0")


def test_a_number_under_a_certificate_title_is_the_certificates(store, station, tmp_path):
    """证书 over 类型 | 编号: 编号 was taken for a 序号 and every number lost, unlisted.
    A 编号 heading a column of its own is still the serial."""
    path = write_xlsx(tmp_path / "t.xlsx", {
        "电工班": [
            ["序号", "姓名", "身份证号", "行政村", "培训班名称", "开班时间", "证书", None],
            [None, None, None, None, None, None, "类型", "编号"],
            [1, "甲", pid(1), "李庄村", "电工班", "2026.3.1", "职业技能等级证书", "S0001"],
            [2, "乙", pid(2), "李庄村", "电工班", "2026.3.1", "专项职业能力证书", "Z0002"]],
        "焊工班": [
            ["编号", "姓名", "身份证号", "行政村", "培训班名称", "开班时间", "证书", "证书编号"],
            [1, "丙", pid(3), "李庄村", "焊工班", "2026.4.1", "专项职业能力证书", "H0003"]]},
        {"电工班": ["G1:H1", "A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:F2"]})
    two_rows, one_row = plan_import(store, "trainings", path).outline()
    assert ("证书编号", "证书编号") in two_rows.mapping and two_rows.unmatched == ()
    assert dict(one_row.mapping)["编号"] == "序号（不导入）" and one_row.unmatched == ()
    assert dict(two_rows.mapping)["序号"] == "序号（不导入）"  # (listed: not lost)
    result = imp(store, path, "trainings")
    assert (result.added, result.errors) == (3, 0)
    with store.reading() as session:
        numbers = dict(session.execute(select(Person.name, Enrolment.certificate_no)
                                       .join(Person, Enrolment.person_id == Person.id)).all())
    assert numbers == {"甲": "S0001", "乙": "Z0002", "丙": "H0003"}


def fix_and_import_again(store, result, tmp_path, kind, fixes: dict[int, str]):
    """The clerk's part: the report's ID cells (by column) corrected, the report imported."""
    report = write_error_report(result, tmp_path / "errors.xlsx")
    book = load_workbook(report)
    sheet = book.active
    for column, value in fixes.items():  # (the one refused row is the last)
        sheet.cell(sheet.max_row, column + 1).value = value
    book.save(report)
    return sheet, imp(store, report, kind)


@pytest.mark.parametrize("kind, title, more", [
    ("trainings", "培训时间", ["培训班名称", "电工班"]),
    ("placements", "外出时间", ["务工地点", "北京"])])
def test_a_fixed_row_of_a_report_under_a_span_title_imports_again(store, station, tmp_path,
                                                                   kind, title, more):
    """培训时间 over 起 | 止: the report's header had 起 and 止 alone, and the fixed row
    was refused with 开班时间和结业时间都为空."""
    path = write_xlsx(tmp_path / "roster.xlsx", {"Sheet1": [
        ["序号", "姓名", "身份证号", "行政村", more[0], title, None],
        [None, None, None, None, None, "起", "止"],
        [1, "甲", pid(1), "李庄村", more[1], "2026.3.1", "2026.3.15"],
        [2, "乙", bad(2), "李庄村", more[1], "2026.3.1", "2026.3.15"]]},
        {"Sheet1": ["F1:G1", "A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2"]})
    result = imp(store, path, kind)
    assert (result.added, result.errors) == (1, 1)
    sheet, again = fix_and_import_again(store, result, tmp_path, kind, {2: pid(2)})
    header = [[cell.value for cell in row][:9] for row in sheet.iter_rows(max_row=2)]
    assert header == [["序号", "姓名", "身份证号", "行政村", more[0], title, None, "错误原因",
                       "原行号"], [None, None, None, None, None, "起", "止", None, None]]
    assert "F1:G1" in sheet.merged_cells and "A1:A2" in sheet.merged_cells
    assert (again.added, again.errors) == (1, 0)
    # The report's own columns are named as such in the plan, not 未识别.
    [outline] = plan_import(store, kind, tmp_path / "errors.xlsx").outline()
    assert (outline.unmatched, outline.from_report) == (("错误原因", "原行号"),) * 2
    shown = plan_import(store, kind, tmp_path / "errors.xlsx").describe()
    assert "上次导入的出错原因和行号（不导入）：错误原因、原行号" in shown and "未识别" not in shown
    with store.reading() as session:
        if kind == "trainings":
            (course,) = session.scalars(select(Course)).all()
            assert (course.start_on, course.end_on) == (date(2026, 3, 1), date(2026, 3, 15))
            assert len(session.scalars(select(Enrolment)).all()) == 2
        else:
            spans = {(p.start_on, p.return_on) for p in session.scalars(select(Placement))}
            assert spans == {(date(2026, 3, 1), date(2026, 3, 15))}


def test_a_fixed_member_of_a_report_under_a_head_block_imports_again(store, station,
                                                                      tmp_path):
    """户主信息 over 姓名 | 身份证号码 beside 家庭成员信息: in a one-row report the head's
    columns came first and were read as the row's person (the member was lost)."""
    path = write_xlsx(tmp_path / "blocks.xlsx", {"李庄村": [
        ["户主信息", None, "家庭成员信息", None, None],
        ["姓名", "身份证号码", "姓名", "身份证号码", "与户主关系"],
        ["张三", pid(1), "张三", pid(1), "户主"],
        ["张三", pid(1), "李四", bad(2), "妻"]]}, {"李庄村": ["A1:B1", "C1:E1"]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (1, 1)
    sheet, again = fix_and_import_again(store, result, tmp_path, "persons", {3: pid(2)})
    assert sheet.cell(3, 4).number_format == "@"  # (the member's ID column, not the head's)
    assert (again.added, again.errors) == (1, 0)
    with store.reading() as session:
        people = {p.name: p.household_id for p in session.scalars(select(Person))}
    assert set(people) == {"张三", "李四"} and people["李四"] == people["张三"] is not None
