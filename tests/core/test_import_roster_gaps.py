"""Rosters' gaps closed: a course's 学时 and 培训补贴 (the class's total; a per-trainee
amount is not it), 培训方式 written as a way of teaching (线上, 集中培训) noted once on
the course, a placement row giving only its 返乡时间, trips of one person overlapping, and
an employer written with and without its place in brackets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from import_world import count, imp, pid, rows_of
from workbooks import write_xlsx

from laborstation.importing import plan_import
from laborstation.model import Course, Enrolment, MonthlyReturn, Placement


def warnings(result) -> list[str]:
    return [w for f in result.findings for w in f.warnings]


def warned_rows(result, text: str) -> list[int]:
    return [f.row for f in result.findings for w in f.warnings if text in w]


def errors(result) -> list[str]:
    return [f.reason for f in result.findings if f.reason]


def roster(tmp_path, name, header, rows, sheet="花名册"):
    return write_xlsx(tmp_path / name, {sheet: [header, *rows]})


COURSE = ["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "开班时间", "结业时间"]


def _class(tmp_path, name, extra_header, extras, course="电工培训班"):
    """A class of len(extras) trainees, each row with its ``extras`` cells."""
    return roster(tmp_path, name, [*COURSE, *extra_header], [
        [f"人{n}", pid(n), "李庄村", course, "职业技能培训", "2026-03-01", "2026-03-15", *cells]
        for n, cells in enumerate(extras, start=1)])


# --- 学时 and 培训补贴 -------------------------------------------------------------

def test_hours_and_the_class_subsidy_are_read_into_the_course(store, station, tmp_path):
    path = _class(tmp_path, "a.xlsx", ["培训学时", "补贴总额（元）", "培训方式"],
                  [["40学时", "36,000.00", "其他"], [40, "36000元", "其他"], ["40", 36000, "其他"]])
    [sheet] = plan_import(store, "trainings", path).sheets
    assert {"hours", "subsidy"} <= set(sheet.header.columns)
    result = imp(store, path, "trainings")
    assert (result.added, warnings(result)) == (3, [])
    [course] = rows_of(store, Course)
    assert (course.hours, course.subsidy) == (40, Decimal("36000.00"))
    imp(store, _class(tmp_path, "b.xlsx", ["课时", "培训补贴总额"], [["共56课时", "1.2万"]],
                      course="焊工培训班"), "trainings")
    welder = [c for c in rows_of(store, Course) if c.name == "焊工培训班"]
    assert [(c.hours, c.subsidy) for c in welder] == [(56, Decimal("12000.00"))]


def test_a_subsidy_too_big_for_a_class_is_told_not_stored(store, station, tmp_path):
    # An ID number in the column (columns shifted) is more fen than the store can hold.
    result = imp(store, _class(tmp_path, "big.xlsx", ["补贴总额（元）"],
                               [["410926198005010123"], [""]]), "trainings")
    [course] = rows_of(store, Course)
    assert (result.added, course.subsidy) == (2, None)
    assert warned_rows(result, "培训补贴“410926198005010123”超过 1 亿元") == [2]
    imp(store, _class(tmp_path, "max.xlsx", ["补贴总额（万元）"], [[10000]],
                      course="焊工培训班"), "trainings")
    assert [c.subsidy for c in rows_of(store, Course) if c.name == "焊工培训班"] == [None]


def test_days_written_as_hours_are_not_hours_and_are_noted_once(store, station, tmp_path):
    result = imp(store, _class(tmp_path, "d.xlsx", ["学时"], [["5天"], ["5天"], ["5天"]]),
                 "trainings")
    [course] = rows_of(store, Course)
    assert course.hours is None
    assert "培训时长：5天" in course.notes
    assert len(warned_rows(result, "学时“5天”是天数")) == 1
    assert result.added == 3


def test_a_per_trainee_subsidy_is_not_taken_for_the_class_total(store, station, tmp_path):
    result = imp(store, _class(tmp_path, "e.xlsx", ["补贴标准（元/人）"],
                               [[1200], [1200], [800]]), "trainings")
    [course] = rows_of(store, Course)
    assert course.subsidy is None
    assert len(warned_rows(result, "每名学员的补贴金额")) == 1
    # A class total column holding an amount a head is not stored either.
    result = imp(store, _class(tmp_path, "f.xlsx", ["补贴总额"], [["1200元/人"], ["1200元/人"]],
                               course="厨师培训班"), "trainings")
    cook = [c for c in rows_of(store, Course) if c.name == "厨师培训班"]
    assert [c.subsidy for c in cook] == [None]
    assert len(warned_rows(result, "是每人的金额")) == 1


def test_rows_of_one_course_disagreeing_keep_the_first_and_tell_the_others(
        store, station, tmp_path):
    result = imp(store, _class(tmp_path, "g.xlsx", ["学时", "补贴总额"],
                               [[40, 36000], [48, 36000], [40, 30000]]), "trainings")
    [course] = rows_of(store, Course)
    # 学时: the first row's; 补贴总额 differing within the class is no class total
    # (test_import_roster_gaps2): none of them is taken.
    assert (course.hours, course.subsidy) == (40, None)
    assert warned_rows(result, "学时“48”与本文件“花名册”表第 2 行的“40”不同") == [3]
    assert warned_rows(result, "各行的金额不同（36000、30000）") == [4]
    assert count(store, Enrolment) == 3


def test_a_stored_course_keeps_its_hours_unless_empty_or_overwritten(store, station, tmp_path):
    imp(store, _class(tmp_path, "h0.xlsx", [], [[], []]), "trainings")
    imp(store, _class(tmp_path, "h1.xlsx", ["学时"], [[40], [40]]), "trainings")
    [course] = rows_of(store, Course)
    assert course.hours == 40  # filled in: the course had none
    result = imp(store, _class(tmp_path, "h2.xlsx", ["学时"], [[48], [48]]), "trainings")
    assert rows_of(store, Course)[0].hours == 40
    assert len(warned_rows(result, "学时“48”与培训班“电工培训班”已记的“40”不同")) == 1
    imp(store, _class(tmp_path, "h3.xlsx", ["学时"], [[48], [48]]), "trainings", overwrite=True)
    assert rows_of(store, Course)[0].hours == 48


def test_a_course_in_a_submitted_period_keeps_them_without_refusing_rows(
        store, station, tmp_path):
    imp(store, _class(tmp_path, "l0.xlsx", [], [[], []]), "trainings")
    with store.session() as session:
        session.add(MonthlyReturn(period="2026-03", area_id=station.area_id, status="submitted"))
    result = imp(store, _class(tmp_path, "l1.xlsx", ["学时", "培训方式"],
                               [[40, "线上"], [40, "线上"]]), "trainings")
    assert (result.errors, result.unchanged) == (0, 2)
    [course] = rows_of(store, Course)
    assert (course.hours, course.notes) == (None, "")
    assert len([w for w in warnings(result) if "已锁定" in w]) == 1


# --- 培训方式 written as a way of teaching -------------------------------------------

def test_a_way_of_teaching_is_noted_once_on_the_course(store, station, tmp_path):
    path = _class(tmp_path, "w.xlsx", ["培训方式"], [["线上线下"], ["线上线下"], ["线上线下"]])
    result = imp(store, path, "trainings")
    [course] = rows_of(store, Course)
    assert course.mode == "9" and course.notes == "培训形式：线上线下"
    assert len([w for w in warnings(result) if "线上线下" in w]) == 1
    again = imp(store, path, "trainings")
    assert rows_of(store, Course)[0].notes == "培训形式：线上线下"
    assert again.unchanged == 3
    # On a stored course it is added to the notes, once; 集中培训 is one too.
    result = imp(store, _class(tmp_path, "x.xlsx", ["培训形式"], [["集中培训"], ["集中培训"]]),
                 "trainings")
    assert rows_of(store, Course)[0].notes == "培训形式：线上线下；培训形式：集中培训"
    assert len([w for w in warnings(result) if "集中培训" in w]) == 1


def test_a_mode_code_and_an_unknown_word_are_as_before(store, station, tmp_path):
    result = imp(store, _class(tmp_path, "m.xlsx", ["培训方式"], [["订单"], ["订单式培训"]]),
                 "trainings")
    assert [(c.mode, c.notes) for c in rows_of(store, Course)] == [("1", "")]
    assert warnings(result) == []
    result = imp(store, _class(tmp_path, "u.xlsx", ["培训方式"], [["随便"], ["随便"]],
                               course="焊工培训班"), "trainings")
    assert len([w for w in warnings(result) if "培训方式“随便”不在代码表中" in w]) == 2


# --- placements ---------------------------------------------------------------------

PLACED = ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点", "用工单位"]


def test_a_row_giving_only_its_return_date_says_what_is_missing(store, station, tmp_path):
    result = imp(store, roster(tmp_path, "r.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "", "2026-01-20", "广东东莞", "华为"],
        ["人2", pid(2), "李庄村", "", "未返乡", "广东东莞", "华为"]]), "placements")
    first, second = errors(result)
    assert "只写了返乡时间“2026-01-20”" in first and "外出时间为空" in first
    assert "请补填" in first and "外出时间一列" in first
    assert second == "外出时间为空"


def test_a_trip_starting_during_an_earlier_one_is_told_not_refused(store, station, tmp_path):
    imp(store, roster(tmp_path, "s.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-01-10", "2026-06-30", "广东东莞", "华为"]]), "placements")
    result = imp(store, roster(tmp_path, "t.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-03-01", "", "江苏苏州", "富士康"],
        ["人1", pid(1), "李庄村", "2026-07-01", "", "江苏苏州", "富士康"],
        ["人2", pid(2), "李庄村", "2025-03-01", "2025-10-01", "北京", "京东"],
        ["人2", pid(2), "李庄村", "2025-05-01", "2025-09-01", "天津", "顺丰"]]), "placements")
    assert (result.added, result.errors) == (4, 0)
    told = [w for w in warnings(result) if "两段外出时间重叠" in w]
    assert len(told) == 2
    assert "台账中已有" in told[0] and "2026-01-10 至 2026-06-30" in told[0]
    assert "2026-03-01" in told[0] and "华为" in told[0]
    assert "本文件“花名册”表第 4 行" in told[1] and "2025-03-01 至 2025-10-01" in told[1]
    assert warned_rows(result, "两段外出时间重叠") == [2, 5]


def test_an_employer_written_with_its_place_in_brackets_is_the_same(store, station, tmp_path):
    imp(store, roster(tmp_path, "j1.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-03-01", "", "北京", "京东物流"],
        ["人2", pid(2), "李庄村", "2026-03-01", "", "北京", "京东物流（北京）有限公司"]]),
        "placements")
    result = imp(store, roster(tmp_path, "j2.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-03-01", "2026-08-01", "北京", "京东物流（北京）有限公司"],
        ["人2", pid(2), "李庄村", "2026-03-01", "2026-08-01", "北京", "京东物流"]]),
        "placements")
    placed = rows_of(store, Placement)
    assert [(p.employer_name, p.return_on) for p in placed] == [
        ("京东物流", date(2026, 8, 1)), ("京东物流（北京）有限公司", date(2026, 8, 1))]
    assert (result.updated, result.added) == (2, 0)
    assert any("保留“京东物流”" in w for w in warnings(result))
    assert any("保留“京东物流（北京）有限公司”" in w for w in warnings(result))


def test_employers_that_differ_by_more_than_a_place_stay_apart(store, station, tmp_path):
    imp(store, roster(tmp_path, "k1.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-03-01", "", "北京", "京东物流"],
        ["人2", pid(2), "李庄村", "2026-03-01", "", "北京", "京东物流（北京）有限公司"]]),
        "placements")
    result = imp(store, roster(tmp_path, "k2.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-03-01", "", "北京", "京东"],
        ["人2", pid(2), "李庄村", "2026-03-01", "", "上海", "京东物流（上海）有限公司"]]),
        "placements")
    assert result.added == 2
    assert count(store, Placement) == 4
    assert not any("保留" in w for w in warnings(result))
