"""Rosters that would store one trip or one enrolment twice (and so count it twice in
the return: 201/204/209, 301/307), and dates no record can have: an employer written
another way or left blank, a start date corrected by a few days, a training roster
without 培训机构, two rows of one file disagreeing on a value, a start after today, a
person under 16."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from import_world import TOWNSHIP, count, imp, pid, rows_of
from workbooks import write_xlsx

from laborstation.idnumber import make_id
from laborstation.model import Course, Enrolment, Person, Placement
from laborstation.services.station import set_station


def told(result) -> dict[tuple[str, int], str]:
    """(sheet, row) → the row's warnings, as one text."""
    return {(f.sheet, f.row): " ".join(f.warnings) for f in result.findings if f.warnings}


PLACEMENT_HEADER = ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点", "用工单位",
                    "月收入", "输出方式"]


def placement(n, start="2026-03-01", employer="富士康", wage="", back="", where="深圳"):
    return [f"人{n}", pid(n), "李庄村", start, back, where, employer, wage, "自发"]


def placements(tmp_path, rows, name="p.xlsx", sheet="转移就业花名册"):
    return write_xlsx(tmp_path / name, {sheet: [PLACEMENT_HEADER, *rows]})


TRAINING_HEADER = ["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "培训机构", "开班时间",
                   "结业时间", "培训结果", "证书", "培训方式"]


def training(n, course="电工班", provider="县职校", start="2026-10-08", end="2026-10-20",
             result="结业", certificate=""):
    return [f"人{n}", pid(n), "李庄村", course, "职业技能培训", provider, start, end, result,
            certificate, "其他"]


def trainings(tmp_path, rows, name="t.xlsx", header=TRAINING_HEADER):
    return write_xlsx(tmp_path / name, {"培训花名册": [header, *rows]})


# 1. Same person and 外出时间, the employer blank or written another way.

def test_a_blank_employer_is_the_one_placement_of_that_start(store, station, tmp_path):
    imp(store, placements(tmp_path, [placement(1, employer="深圳富士康（宝安）有限公司"),
                                     placement(2, employer="比亚迪")], "a.xlsx"), "placements")
    path = placements(tmp_path, [placement(1, employer="", wage=5000),
                                 placement(2, employer=""),
                                 placement(3, employer="华为"), placement(3, employer="")],
                      "b.xlsx")
    result = imp(store, path, "placements")
    assert (result.added, result.updated, result.unchanged, result.errors) == (1, 1, 2, 0)
    assert result.accounted and not told(result)
    assert count(store, Placement) == 3
    fuji = rows_of(store, Placement)[0]
    assert (fuji.employer_name, fuji.monthly_wage) == ("深圳富士康（宝安）有限公司",
                                                       Decimal("5000.00"))
    again = imp(store, path, "placements")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4) and again.accounted
    assert count(store, Placement) == 3


def test_a_blank_employer_among_several_of_that_start_is_added_and_told(store, station,
                                                                         tmp_path):
    imp(store, placements(tmp_path, [placement(1, employer="富士康"),
                                     placement(1, employer="比亚迪")], "a.xlsx"), "placements")
    result = imp(store, placements(tmp_path, [placement(1, employer="")], "b.xlsx"),
                 "placements")
    assert (result.added, result.errors) == (1, 0) and result.accounted
    text = told(result)[("转移就业花名册", 2)]
    assert "富士康" in text and "比亚迪" in text and "2026-03-01" in text and "201" in text
    again = imp(store, placements(tmp_path, [placement(1, employer="")], "b.xlsx"),
                "placements")
    assert (again.added, again.unchanged) == (0, 1) and count(store, Placement) == 3


def test_another_employer_on_the_same_start_is_added_and_told(store, station, tmp_path):
    imp(store, placements(tmp_path, [placement(1, employer="深圳富士康（宝安）有限公司")],
                          "a.xlsx"), "placements")
    path = placements(tmp_path, [placement(1, employer="富士康"),
                                 placement(2, employer="甲厂"), placement(2, employer="乙厂")],
                      "b.xlsx", sheet="三月")
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (3, 0) and result.accounted
    warned = told(result)
    stored = warned[("三月", 2)]
    assert "深圳富士康（宝安）有限公司" in stored and "2026-03-01" in stored and "201" in stored
    assert ("三月", 3) not in warned
    in_file = warned[("三月", 4)]
    assert "甲厂" in in_file and "“三月”表第 3 行" in in_file and "201" in in_file
    again = imp(store, path, "placements")
    assert (again.added, again.unchanged) == (0, 3) and count(store, Placement) == 4


# 2. A start date corrected by a few days.

def test_a_start_within_31_days_of_the_same_employer_is_told(store, station, tmp_path):
    # (a stored trip on the 1st, the person's only one that month, would be given the day:
    # test_import_roster_defaults)
    imp(store, placements(tmp_path, [placement(1, start="2026-03-02")], "a.xlsx"),
        "placements")
    path = placements(tmp_path, [placement(1, start="2026-03-05"),
                                 placement(1, start="2026-04-20"),
                                 placement(2, start="2026-06-01", employer="昆山仁宝电子有限公司"),
                                 placement(2, start="2026-06-10", employer="昆山仁宝电子")],
                      "b.xlsx")
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (4, 0) and result.accounted
    warned = told(result)
    corrected = warned[("转移就业花名册", 2)]
    assert "2026-03-02" in corrected and "删" in corrected
    assert "没有返乡时间" not in corrected  # (the same trip, not a second one still open)
    assert "删" not in warned.get(("转移就业花名册", 3), "")  # 46 days after the later
    in_file = warned[("转移就业花名册", 5)]
    assert "2026-06-01" in in_file and "第 4 行" in in_file
    again = imp(store, path, "placements")
    assert (again.added, again.unchanged) == (0, 4) and count(store, Placement) == 5


def test_a_course_start_within_31_days_for_the_same_person_is_told(store, station, tmp_path):
    imp(store, trainings(tmp_path, [training(1, start="2026-10-08")], "a.xlsx"), "trainings")
    path = trainings(tmp_path, [training(1, start="2026-10-12"), training(2, start="2026-10-12"),
                                training(1, course="焊工班", start="2026-10-12")], "b.xlsx")
    result = imp(store, path, "trainings")
    assert (result.added, result.errors) == (3, 0) and result.accounted
    warned = told(result)
    assert set(warned) == {("培训花名册", 2)}
    assert "2026-10-08" in warned[("培训花名册", 2)] and "删" in warned[("培训花名册", 2)]
    again = imp(store, path, "trainings")
    assert (again.added, again.unchanged) == (0, 3) and count(store, Enrolment) == 4


# 3. A training roster without 培训机构.

def test_a_blank_provider_is_the_one_course_of_that_name_and_start(store, station, tmp_path):
    imp(store, trainings(tmp_path, [training(1)], "a.xlsx"), "trainings")
    header = [h for h in TRAINING_HEADER if h != "培训机构"]
    rows = [[c for i, c in enumerate(training(n)) if i != 5] for n in (1, 2)]
    path = trainings(tmp_path, rows, "b.xlsx", header=header)
    result = imp(store, path, "trainings")
    assert (result.added, result.unchanged, result.errors) == (1, 1, 0) and result.accounted
    assert not result.created_courses and count(store, Course) == 1
    assert count(store, Enrolment) == 2
    again = imp(store, path, "trainings")
    assert (again.added, again.unchanged) == (0, 2) and count(store, Course) == 1
    # a blank cell, and a course an earlier row of the file makes
    cells = imp(store, trainings(tmp_path, [
        training(3, course="焊工班"), training(4, course="【焊工 班】", provider="")], "c.xlsx"),
        "trainings")
    assert cells.added == 2 and cells.created_courses == ["焊工班（2026-10-08）"]
    assert count(store, Course) == 2


def test_a_provider_named_later_is_filled_in_on_the_course_stored_without_one(
        store, station, tmp_path):
    header = [h for h in TRAINING_HEADER if h != "培训机构"]
    rows = [[c for i, c in enumerate(training(n)) if i != 5] for n in (1, 2)]
    imp(store, trainings(tmp_path, rows, "a.xlsx", header=header), "trainings")
    path = trainings(tmp_path, [training(1), training(3)], "b.xlsx")
    result = imp(store, path, "trainings")
    assert (result.added, result.updated, result.errors) == (1, 1, 0) and result.accounted
    assert not result.created_courses and count(store, Course) == 1
    assert rows_of(store, Course)[0].provider == "县职校"
    changed = next(f for f in result.findings if f.row == 2)
    assert changed.changes == ["培训机构：（空） → 县职校"] and not changed.warnings
    assert count(store, Enrolment) == 3
    for again in (imp(store, path, "trainings"),
                  imp(store, trainings(tmp_path, rows, "a2.xlsx", header=header), "trainings")):
        assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    other = imp(store, trainings(tmp_path, [training(4, provider="技工学校")], "c.xlsx"),
                "trainings")
    assert other.created_courses and "县职校" in told(other)[("培训花名册", 2)]
    assert count(store, Course) == 2


def test_a_blank_provider_among_several_courses_is_told(store, station, tmp_path):
    imp(store, trainings(tmp_path, [training(1, provider="县职校"),
                                    training(2, provider="技工学校")], "a.xlsx"), "trainings")
    result = imp(store, trainings(tmp_path, [training(3, provider="")], "b.xlsx"), "trainings")
    assert (result.added, result.errors) == (1, 0) and len(result.created_courses) == 1
    text = told(result)[("培训花名册", 2)]
    assert "县职校" in text and "技工学校" in text and "301" in text
    assert count(store, Course) == 3


# 4. Two rows of one file disagree on a value of one record.

def test_rows_of_one_file_disagreeing_on_a_wage_are_told(store, station, tmp_path):
    path = write_xlsx(tmp_path / "months.xlsx", {
        "9月": [PLACEMENT_HEADER, placement(1, wage=5000), placement(2, wage=4000)],
        "10月": [PLACEMENT_HEADER, placement(1, wage=5500), placement(2, wage=4000)]})
    result = imp(store, path, "placements")
    assert (result.added, result.unchanged, result.errors) == (2, 2, 0) and result.accounted
    warned = told(result)
    assert set(warned) == {("10月", 2)}
    assert all(word in warned[("10月", 2)] for word in ("月收入", "5500", "5000", "“9月”表第 2 行"))
    assert rows_of(store, Placement)[0].monthly_wage == Decimal("5000.00")
    again = imp(store, path, "placements")
    assert (again.added, again.unchanged) == (0, 4) and set(told(again)) == {("10月", 2)}
    (once,) = next(f.warnings for f in again.findings if f.sheet == "10月" and f.row == 2)
    assert "“9月”表第 2 行" in once  # (not told again as differing from the store)
    alone = imp(store, placements(tmp_path, [placement(1, wage=5500)], "alone.xlsx"),
                "placements")
    assert alone.unchanged == 1  # against the store only: told as for persons
    assert "与已记的不同，未覆盖：月收入（已记“5000”，表中“5500”）" in told(alone)[("转移就业花名册", 2)]
    overwritten = imp(store, path, "placements", overwrite=True)
    assert "“9月”表第 2 行" in told(overwritten)[("10月", 2)]
    assert rows_of(store, Placement)[0].monthly_wage == Decimal("5500.00")


def test_rows_of_one_file_disagreeing_on_a_training_result_are_told(store, station, tmp_path):
    path = trainings(tmp_path, [training(1, result="结业"), training(1, result="未结业"),
                                training(2, certificate="职业技能等级证书 S1"),
                                training(2, certificate="职业技能等级证书 S2")])
    result = imp(store, path, "trainings")
    assert (result.added, result.unchanged, result.errors) == (2, 2, 0) and result.accounted
    warned = told(result)
    assert all(w in warned[("培训花名册", 3)] for w in ("培训结果", "未结业", "第 2 行"))
    assert all(w in warned[("培训花名册", 5)] for w in ("证书编号", "S1", "S2", "第 4 行"))
    assert [(e.result, e.certificate_no) for e in rows_of(store, Enrolment)] == [("1", ""),
                                                                                ("1", "S1")]


# 5. Dates no placement can have.

def test_a_start_after_today_is_refused(store, station, tmp_path):
    result = imp(store, placements(tmp_path, [placement(1, start="2052-05-01"), placement(2)]),
                 "placements")
    assert (result.added, result.errors) == (1, 1) and result.accounted
    assert "外出时间 2052-05-01 晚于今天" in result.error_findings[0].reason
    assert count(store, Person) == 1 and count(store, Placement) == 1


def test_a_person_under_16_at_the_start_is_told(store, station, tmp_path):
    young = make_id("410926", date(2011, 5, 1), 11, True)
    row = ["小张", young, "李庄村", "2026-03-01", "", "深圳", "富士康", ""]
    result = imp(store, placements(tmp_path, [row, placement(2)]), "placements")
    assert (result.added, result.errors) == (2, 0) and result.accounted
    text = told(result)[("转移就业花名册", 2)]
    assert "16 周岁" in text and "2011-05-01" in text
    assert ("转移就业花名册", 3) not in told(result)


def test_a_value_differing_from_the_stored_record_is_kept_and_told(store, tmp_path):
    """As for persons: without overwrite the stored 月收入 stays, and the clerk is told."""
    from import_world import imp, pid
    from workbooks import write_xlsx


    set_station(store, name="城关镇", code=TOWNSHIP)
    header = ["姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位", "月收入"]
    first = write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [
        header, ["甲", pid(1), "李庄村", "2024.3.1", "北京", "甲公司", 5000]]})
    again = write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [
        header, ["甲", pid(1), "李庄村", "2024.3.1", "北京", "甲公司", 5500]]})
    assert imp(store, first, "placements").added == 1
    result = imp(store, again, "placements")
    assert (result.added, result.updated, result.unchanged) == (0, 0, 1)
    (finding,) = result.findings
    assert "与已记的不同，未覆盖：月收入（已记“5000”，表中“5500”）" in finding.warnings[0]
    assert imp(store, again, "placements", overwrite=True).updated == 1


def test_a_roster_naming_the_employer_fills_in_the_placement_stored_without_one(
        store, station, tmp_path):
    """The reverse order of the blank-employer case: the roster without 用工单位 came first."""
    imp(store, placements(tmp_path, [placement(1, employer="")], "a.xlsx"), "placements")
    path = placements(tmp_path, [placement(1, employer="深圳富士康", wage=5000)], "b.xlsx")
    result = imp(store, path, "placements")
    assert (result.added, result.updated, result.errors) == (0, 1, 0) and result.accounted
    (stored,) = rows_of(store, Placement)
    assert (stored.employer_name, stored.monthly_wage) == ("深圳富士康", Decimal("5000.00"))
    assert "用工单位：（空） → 深圳富士康" in result.findings[0].changes
    again = imp(store, path, "placements")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    assert count(store, Placement) == 1
