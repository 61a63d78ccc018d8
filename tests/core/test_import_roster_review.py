"""Training and placement rosters as a second review ran them: a provider written with
other brackets or spaces, a row giving only its 结业时间, a class over the new year, a
span without its year, headers clerks write (开班日期, 承训单位, 鉴定结果, 返乡日期, 身份证),
cells written 同上, and 输出方式 left blank, then given, or ticked."""

from __future__ import annotations

from datetime import date

from import_world import count, imp, pid, rows_of
from workbooks import write_xlsx

from laborstation.model import Course, Enrolment, Placement


def warnings(result) -> list[str]:
    return [w for f in result.findings for w in f.warnings]


def errors(result) -> list[str]:
    return [f.reason for f in result.findings if f.reason]


def roster(tmp_path, name, header, rows, sheet="花名册"):
    return write_xlsx(tmp_path / name, {sheet: [header, *rows]})


COURSE = ["姓名", "身份证号", "行政村", "培训班名称", "培训机构", "开班时间", "结业时间"]


def test_a_provider_written_with_other_brackets_or_spaces_is_the_same_course(
        store, station, tmp_path):
    provider = "县职业技术培训学校（城关分校）"
    for k, written in enumerate((provider, "县职业技术培训学校(城关分校)",
                                 "县职业技术培训学校 （城关分校）")):
        imp(store, roster(tmp_path, f"t{k}.xlsx", COURSE, [
            [f"人{n}", pid(n), "李庄村", "电工培训班", written, "2026-03-01", "2026-03-15"]
            for n in (1, 2, 3)]), "trainings")
    assert [(c.name, c.provider) for c in rows_of(store, Course)] == [("电工培训班", provider)]
    assert count(store, Enrolment) == 3


def test_a_row_giving_only_its_end_date_is_the_course_ending_that_day(store, station, tmp_path):
    imp(store, roster(tmp_path, "a.xlsx", COURSE, [
        ["人1", pid(1), "李庄村", "家政服务培训班", "县职教中心", "2026-03-01", "2026-03-10"]]),
        "trainings")
    result = imp(store, roster(tmp_path, "b.xlsx", ["姓名", "身份证号", "行政村", "培训班名称",
                                                    "培训机构", "结业时间"], [
        ["人1", pid(1), "李庄村", "家政服务培训班", "县职教中心", "2026-03-10"],
        ["人2", pid(2), "李庄村", "家政服务培训班", "县职教中心", "2026-03-10"]]), "trainings")
    assert count(store, Course) == 1
    assert count(store, Enrolment) == 2
    assert (result.unchanged, result.added) == (1, 1)
    # A new course from such a row starts on its end date, and the clerk is told.
    result = imp(store, roster(tmp_path, "c.xlsx", ["姓名", "身份证号", "行政村", "培训班名称",
                                                    "结业时间"], [
        ["人3", pid(3), "李庄村", "育婴员培训班", "2026-04-20"]]), "trainings")
    made = [c for c in rows_of(store, Course) if c.name == "育婴员培训班"]
    assert [(c.start_on, c.end_on) for c in made] == [(date(2026, 4, 20), date(2026, 4, 20))]
    assert any("没有开班时间" in w and "2026-04-20" in w for w in warnings(result))


def test_a_class_over_the_new_year_and_a_span_without_its_year(store, station, tmp_path):
    result = imp(store, roster(tmp_path, "y.xlsx", ["姓名", "身份证号", "行政村", "培训班名称",
                                                    "培训时间"], [
        ["人1", pid(1), "李庄村", "电工班", "2025.12.28-1.5"],
        ["人2", pid(2), "李庄村", "焊工班", "2025年12月28日至1月5日"],
        ["人3", pid(3), "李庄村", "厨师班", "2025.5.1-3.1"],
        ["人4", pid(4), "李庄村", "育婴班", "3.1-3.15"]]), "trainings")
    spans = {c.name: (c.start_on, c.end_on) for c in rows_of(store, Course)}
    assert spans == {"电工班": (date(2025, 12, 28), date(2026, 1, 5)),
                     "焊工班": (date(2025, 12, 28), date(2026, 1, 5))}
    assert errors(result) == ["培训时间“2025.5.1-3.1”的结束日期早于开始日期",
                              f"培训时间“3.1-3.15”没有写年份：请把年份写上，如 "
                              f"{date.today().year}.3.1-3.15"]


def test_headers_clerks_write_on_a_training_roster(store, station, tmp_path):
    imp(store, roster(tmp_path, "h.xlsx", ["姓名", "身份证号", "行政村", "培训班次", "承训单位",
                                           "开班日期", "结业日期", "鉴定结果", "是否取证"], [
        ["人1", pid(1), "李庄村", "电工培训班", "县职教中心", "2026-03-01", "2026-03-15",
         "合格", "是"],
        ["人2", pid(2), "李庄村", "电工培训班", "县职教中心", "2026-03-01", "2026-03-15",
         "不合格", "否"]]), "trainings")
    [course] = rows_of(store, Course)
    assert (course.name, course.provider, course.start_on) == (
        "电工培训班", "县职教中心", date(2026, 3, 1))
    assert [(e.result, e.certificate_kind) for e in rows_of(store, Enrolment)] == [
        ("1", "4"), ("2", None)]


def test_cells_written_ditto_take_the_value_above(store, station, tmp_path):
    result = imp(store, roster(tmp_path, "d.xlsx", COURSE, [
        ["人1", pid(1), "李庄村", "焊工培训班", "县职教中心", "2026-02-01", "2026-02-15"],
        ["人2", pid(2), "同上", "同上", "〃", "同上", "同上"],
        ["人3", pid(3), "〃", "同上", "同上", "2026-02-01", "〃"]]), "trainings")
    assert [(c.name, c.provider) for c in rows_of(store, Course)] == [("焊工培训班", "县职教中心")]
    assert (result.added, result.errors) == (3, 0)
    placed = imp(store, roster(tmp_path, "p.xlsx", ["姓名", "身份证号", "行政村", "外出时间",
                                                    "务工地点", "用工单位"], [
        ["人1", pid(1), "李庄村", "2026-03-01", "广东东莞", "华为"],
        ["人2", pid(2), "李庄村", "同上", "同上", "同上"]]), "placements")
    assert placed.added == 2
    assert {(p.start_on, p.employer_name) for p in rows_of(store, Placement)} == {
        (date(2026, 3, 1), "华为")}


PLACED = ["姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位", "是否有组织",
          "是否签订劳动合同"]


def test_organised_left_blank_is_filled_in_by_a_later_row_and_a_tick_is_yes(
        store, station, tmp_path):
    row = ["人1", pid(1), "李庄村", "2026-03-01", "广东东莞", "华为"]
    path = write_xlsx(tmp_path / "o.xlsx", {"3月": [PLACED, [*row, "", ""]],
                                             "4月": [PLACED, [*row, "有组织", "是"]]})
    imp(store, path, "placements")
    [placement] = rows_of(store, Placement)
    assert (placement.organised, placement.contract) == (True, True)
    result = imp(store, roster(tmp_path, "t.xlsx", PLACED, [
        ["人2", pid(2), "李庄村", "2026-03-01", "浙江宁波", "吉利", "√", "√"],
        ["人3", pid(3), "李庄村", "2026-03-01", "浙江宁波", "吉利", "×", 0]]), "placements")
    assert not warnings(result)
    stored = {p.person_id: (p.organised, p.contract) for p in rows_of(store, Placement)}
    assert sorted(stored.values()) == [(False, False), (True, True), (True, True)]


def test_return_date_and_a_plain_id_header_on_a_placement_roster(store, station, tmp_path):
    result = imp(store, roster(tmp_path, "r.xlsx", ["姓名", "身份证", "行政村", "外出日期",
                                                    "返乡日期", "务工地点"], [
        ["人1", pid(1), "李庄村", "2026-03-01", "2026-08-15", "广东东莞"]]), "placements")
    assert result.added == 1
    [placement] = rows_of(store, Placement)
    assert (placement.start_on, placement.return_on) == (date(2026, 3, 1), date(2026, 8, 15))


def test_a_roster_without_a_course_column_takes_the_class_from_its_title_or_sheet(
        store, station, tmp_path):
    from laborstation.importing import plan_import

    rows = [["人1", pid(1), "李庄村", "2026-03-01", "2026-03-15"],
            ["人2", pid(2), "李庄村", "2026-03-01", "2026-03-15"]]
    header = ["姓名", "身份证号", "行政村", "开班时间", "结业时间"]
    path = write_xlsx(tmp_path / "title.xlsx", {
        "Sheet1": [["2026年城关镇电工培训班花名册"], header, *rows[:1]],
        "焊工班": [header, *rows[1:]],
        "名单": [header, ["人3", pid(3), "李庄村", "2026-03-01", "2026-03-15"]]})
    plan = plan_import(store, "trainings", path)
    assert [s.course_from_title for s in plan.outline()] == [
        ("电工培训班", "标题"), ("焊工班", "工作表名"), None]
    shown = plan.describe()
    assert "（没有培训班列：按标题取培训班名称「电工培训班」）" in shown
    assert "培训班列，表头上方的标题和工作表名也不是培训班名称" in shown
    assert "开班时间 → 开班时间" in shown
    result = imp(store, path, "trainings")
    assert sorted(c.name for c in rows_of(store, Course)) == ["焊工班", "电工培训班"]
    assert (result.added, result.errors) == (2, 1)


def test_a_report_of_rows_wanting_a_village_has_a_column_to_fill_in(store, station, tmp_path):
    from openpyxl import load_workbook

    from laborstation.importing import write_error_report

    result = imp(store, roster(tmp_path, "new.xlsx", ["序号", "姓名", "身份证号", "务工地点",
                                                      "外出时间"], [
        [1, "新人甲", pid(40), "浙江宁波", "2026-03-01"]]), "placements")
    assert result.errors == 1
    report = write_error_report(result, tmp_path / "errors.xlsx")
    book = load_workbook(report)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-3:] == ["行政村", "错误原因", "原行号"]
    sheet.cell(2, header.index("行政村") + 1, "李庄村")
    book.save(tmp_path / "fixed.xlsx")
    assert imp(store, tmp_path / "fixed.xlsx", "placements").added == 1


def test_a_roster_whose_shared_values_are_above_its_header(store, station, tmp_path):
    from laborstation.importing import plan_import

    path = write_xlsx(tmp_path / "block.xlsx", {"Sheet1": [
        ["2026年城关镇焊工培训班学员花名册"],
        ["培训机构：县鑫源职业技能培训学校", None, None, "培训时间：2026年3月2日至3月20日"],
        ["序号", "姓名", "性别", "身份证号码", "行政村", "联系电话"],
        [1, "人1", "", pid(1), "李庄村", ""], [2, "人2", "", pid(2), "李庄村", ""]]})
    plan = plan_import(store, "trainings", path)
    assert plan.likelier is None  # (it had been called more like a 实名制台账)
    [sheet] = plan.outline()
    assert sheet.title_fields == (("培训机构", "县鑫源职业技能培训学校", "培训机构"),
                                  ("培训时间", "2026年3月2日至3月20日", "开班时间"))
    assert sheet.missing == ()
    result = imp(store, path, "trainings")
    [course] = rows_of(store, Course)
    assert (course.name, course.provider, course.start_on, course.end_on) == (
        "焊工培训班", "县鑫源职业技能培训学校", date(2026, 3, 2), date(2026, 3, 20))
    assert (result.added, result.errors) == (2, 0)


def test_a_roster_without_the_dates_every_row_needs_is_told_before(store, station, tmp_path):
    from laborstation.importing import plan_import

    header = ["姓名", "身份证号", "行政村", "培训班名称"]
    path = roster(tmp_path, "nodates.xlsx", header, [["人1", pid(1), "李庄村", "电工班"]])
    assert "（没有开班时间列：每行都会因开班时间为空而不导入，请加上“开班时间”列）" in plan_import(
        store, "trainings", path).describe()
    placed = roster(tmp_path, "nostart.xlsx", ["姓名", "身份证号", "行政村", "务工地点"],
                    [["人1", pid(1), "李庄村", "广东东莞"]])
    assert [s.missing for s in plan_import(store, "placements", placed).outline()] == [
        ("外出时间",)]


def test_a_report_keeps_what_the_rows_took_from_above_the_table(store, station, tmp_path):
    from openpyxl import load_workbook

    from laborstation.importing import write_error_report

    path = write_xlsx(tmp_path / "block.xlsx", {"Sheet1": [
        ["2026年焊工培训班学员花名册"],
        ["培训机构：县职校", None, "培训时间：2026年3月2日至3月20日"],
        ["序号", "姓名", "身份证号码", "行政村"],
        [1, "人1", pid(1), "李庄村"], [2, "人2", pid(2)[:-1] + "0", "李庄村"]]})
    result = imp(store, path, "trainings")
    assert (result.added, result.errors) == (1, 1)
    book = load_workbook(write_error_report(result, tmp_path / "errors.xlsx"))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["序号", "姓名", "身份证号码", "行政村", "培训机构",
                                           "培训时间", "培训班名称", "错误原因", "原行号"]
    assert [c.value for c in sheet[2]][4:7] == ["县职校", "2026年3月2日至3月20日", "焊工培训班"]
    sheet.cell(2, 3, pid(2))
    book.save(tmp_path / "fixed.xlsx")
    again = imp(store, tmp_path / "fixed.xlsx", "trainings")
    assert (again.added, again.errors) == (1, 0)
    assert count(store, Course) == 1 and count(store, Enrolment) == 2


def test_an_id_excel_turned_into_a_number_in_a_csv_is_told_as_in_an_xlsx(store, station,
                                                                         tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("姓名,身份证号,行政村,外出时间,务工地点\n人1,4.10926E+17,李庄村,2026-03-01,广东\n",
                    encoding="gbk")
    result = imp(store, path, "placements")
    assert errors(result) == ["身份证号 4.10926E+17 被 Excel 当成数字保存了，后几位已经丢失，无法还原："
                              "请把这一列的单元格格式设为“文本”，再重新输入这些身份证号。"]


def test_a_roster_imported_as_a_ledger_is_told_so_with_the_result(store, station, tmp_path):
    path = roster(tmp_path, "placed.xlsx", ["姓名", "身份证号", "行政村", "外出时间", "务工地点",
                                            "用工单位"], [["人1", pid(1), "李庄村", "2026-03-01",
                                                           "广东东莞", "某电子厂"]])
    result = imp(store, path, "persons")
    assert result.added == 1
    assert ("这个文件更像转移就业花名册：按实名制台账只导入了其中实名制台账有的列；"
            "转移就业花名册的内容要按“转移就业花名册”再导入一次") in result.summary()


def test_columns_of_another_kind_are_not_called_unrecognised(store, station, tmp_path):
    from laborstation.importing import plan_import

    path = roster(tmp_path, "t.xlsx", ["姓名", "性别", "身份证号", "行政村", "培训班名称", "开班时间",
                                       "联系电话", "爱好"], [])
    [sheet] = plan_import(store, "trainings", path).outline()
    assert sheet.not_kept == ("性别", "联系电话")
    shown = plan_import(store, "trainings", path).describe()
    assert "培训花名册不记的列（不导入）：性别、联系电话" in shown
    assert "未识别的列（不导入）：爱好" in shown


def test_a_title_naming_no_class_gives_none(store, station, tmp_path):
    from laborstation.importing import plan_import

    header = ["姓名", "身份证号", "行政村", "开班时间"]
    for title in ("城关镇2026年第一季度培训情况统计表", "培训学员花名册", "2026年3月培训学员签到表",
                  "培训补贴申请人员花名册"):
        path = write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [[title], header]})
        [sheet] = plan_import(store, "trainings", path).outline()
        assert sheet.course_from_title is None and sheet.no_course, title
    path = write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [["城关镇2026年电工培训班学员名单（第一期）"],
                                                        header]})
    assert plan_import(store, "trainings", path).outline()[0].course_from_title == (
        "电工培训班（第一期）", "标题")


def test_a_certificate_no_training_gives_is_not_recorded(store, station, tmp_path):
    imp(store, roster(tmp_path, "c.xlsx", [*COURSE, "证书类型"], [
        ["人1", pid(1), "李庄村", "家政班", "县职校", "2026-03-01", "2026-03-10", "健康证"]]),
        "trainings")
    assert [e.certificate_kind for e in rows_of(store, Enrolment)] == [None]


def test_a_daily_wage_column_records_no_monthly_wage_and_a_wide_range_is_in_thousands(
        store, station, tmp_path):
    from laborstation.importing import plan_import

    path = roster(tmp_path, "w.xlsx", ["姓名", "身份证号", "行政村", "外出时间", "务工地点",
                                       "工资（元/天）"], [["人1", pid(1), "李庄村", "2026-03-01",
                                                          "广东东莞", 150]])
    assert "工资（元/天） → 月收入（表头为日薪，无法折算为月收入，不导入）" in plan_import(
        store, "placements", path).describe()
    imp(store, path, "placements")
    assert [p.monthly_wage for p in rows_of(store, Placement)] == [None]
    ranged = roster(tmp_path, "r.xlsx", ["姓名", "身份证号", "行政村", "外出时间", "务工地点", "月收入"],
                    [["人2", pid(2), "李庄村", "2026-03-01", "广东东莞", "9-10000"]])
    imp(store, ranged, "placements")
    assert sorted(str(p.monthly_wage) for p in rows_of(store, Placement)) == ["9500.00", "None"]


def test_one_class_whatever_its_year_place_or_period_is_written(store, station, tmp_path):
    for k, name in enumerate(("电工培训班（第1期）", "电工培训班（第一期）", "电工培训班第1期",
                              "电工培训班(一期)", "2025年城关镇电工培训班（第一期）",
                              "第一期电工培训班", "城关镇第1期电工培训班")):
        imp(store, roster(tmp_path, f"c{k}.xlsx", COURSE, [
            [f"人{k}", pid(k), "李庄村", name, "县职校", "2025-03-01", "2025-03-10"]]), "trainings")
    assert [c.name for c in rows_of(store, Course)] == ["电工培训班（第1期）"]
    assert count(store, Enrolment) == 7
    imp(store, roster(tmp_path, "c9.xlsx", COURSE, [
        ["人9", pid(9), "李庄村", "电工培训班（第二期）", "县职校", "2025-03-01", "2025-03-10"]]),
        "trainings")
    assert count(store, Course) == 2


def test_more_forms_of_rosters_clerks_write(store, station, tmp_path):
    imp(store, roster(tmp_path, "t.xlsx", ["姓名", "身份证号", "行政村", "培训班名称", "培训类型",
                                           "培训时间"], [
        ["人1", pid(1), "李庄村", "2025年第一期SYB培训班", "SYB创业培训", "20250301-20250310"],
        ["人2", pid(2), "李庄村", "焊工班", "企业新型学徒制培训", "2025.4.1-4.10（10天）"]]),
        "trainings")
    assert {c.name: (c.course_type, c.start_on, c.end_on) for c in rows_of(store, Course)} == {
        "2025年第一期SYB培训班": ("3", date(2025, 3, 1), date(2025, 3, 10)),
        "焊工班": ("4", date(2025, 4, 1), date(2025, 4, 10))}
    result = imp(store, roster(tmp_path, "p.xlsx", ["姓名", "身份证号", "行政村", "外出时间", "务工地点",
                                                    "月收入", "参保情况"], [
        ["人1", pid(1), "李庄村", "2026-03-01", "广东东莞", "4千5", "养老" * 40],
        ["人2", pid(2), "李庄村", "2026-03-01", "广东东莞", "1万2", ""]]), "placements")
    assert sorted(str(p.monthly_wage) for p in rows_of(store, Placement)) == ["12000.00", "4500.00"]
    assert any(w.startswith("参保情况超过 60 个字，已截断") for w in warnings(result))


def test_a_trip_known_first_by_its_month_is_one_trip_once_its_day_is_known(
        store, station, tmp_path):
    header = ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点", "用工单位"]
    row = ["人1", pid(1), "李庄村"]
    path = write_xlsx(tmp_path / "months.xlsx", {
        "3月": [header, [*row, "2026.3", "", "广东东莞", "华为"]],
        "4月": [header, [*row, "2026.3.18", "", "广东东莞", "华为"]],
        "5月": [header, [*row, "2026.3.18", "2026.5.10", "广东东莞", "华为"]]})
    result = imp(store, path, "placements")
    assert (result.added, result.updated) == (1, 2)
    [placement] = rows_of(store, Placement)
    assert (placement.start_on, placement.return_on) == (date(2026, 3, 18), date(2026, 5, 10))
    # in another file, the month only again: the same trip, unchanged
    again = imp(store, roster(tmp_path, "m.xlsx", header, [[*row, "202603", "", "广东东莞", "华为"]]),
                "placements")
    assert (again.added, again.unchanged) == (0, 1) and count(store, Placement) == 1
    # a stored trip's date says not whether it was a month: another day is told, not merged
    other = imp(store, roster(tmp_path, "o.xlsx", header, [[*row, "2026.3.25", "", "广东东莞",
                                                            "华为"]]), "placements")
    assert other.added == 1 and any("改正了日期" in w for w in warnings(other))


def test_a_sheet_of_two_classes_one_below_the_other(store, station, tmp_path):
    from openpyxl import load_workbook

    from laborstation.importing import write_error_report

    header = ["序号", "姓名", "身份证号", "行政村", "开班时间", "结业时间"]
    path = write_xlsx(tmp_path / "blocks.xlsx", {"Sheet1": [
        ["2025年城关镇电工培训班花名册"], header,
        [1, "人1", pid(1), "李庄村", "2025-03-01", "2025-03-10"],
        [],
        ["2025年城关镇焊工培训班花名册"], header,
        [1, "人2", pid(2), "李庄村", "2025-04-01", "2025-04-10"],
        [2, "人3", pid(3)[:-1] + "0", "李庄村", "2025-04-01", "2025-04-10"]]})
    result = imp(store, path, "trainings")
    assert (result.added, result.errors, result.blank) == (2, 1, 3)
    assert {c.name: c.start_on for c in rows_of(store, Course)} == {
        "电工培训班": date(2025, 3, 1), "焊工培训班": date(2025, 4, 1)}
    sheet = load_workbook(write_error_report(result, tmp_path / "e.xlsx")).active
    header_row = [c.value for c in sheet[1]]
    assert [c.value for c in sheet[2]][header_row.index("培训班名称")] == "焊工培训班"


def test_an_attachments_label_above_or_before_a_title_hides_no_class(store, station, tmp_path):
    """A roster sent with a notice starts 附件2 (a line of its own, or before the title):
    the class is still the title's."""
    from laborstation.importing import plan_import

    header = ["序号", "姓名", "身份证号", "行政村"]
    path = write_xlsx(tmp_path / "attached.xlsx", {
        "Sheet1": [["附件2"], ["2026年城关镇电工培训班花名册"],
                   ["培训时间：2026年3月2日至3月20日"], header,
                   [1, "人1", pid(1), "李庄村"]],
        "Sheet2": [["附件3：2026年城关镇焊工培训班花名册"], ["培训时间：2026年4月1日至4月10日"],
                   header, [1, "人2", pid(2), "李庄村"]]})
    plan = plan_import(store, "trainings", path)
    assert [s.course_from_title for s in plan.outline()] == [
        ("电工培训班", "标题"), ("焊工培训班", "标题")]
    result = imp(store, path, "trainings")
    assert (result.added, result.errors) == (2, 0)
    assert {c.name: c.start_on for c in rows_of(store, Course)} == {
        "电工培训班": date(2026, 3, 2), "焊工培训班": date(2026, 4, 1)}
