"""Rosters' gaps, second round: a unit in the 学时 and 补贴总额 headers, amounts and hours
as clerks spell them, per-trainee amounts in a class-total column, trips overlapping
either way (and by a 返乡时间 filled in), an employer with its place in brackets a few
days apart, and what the clerk is told of a course's notes and total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from import_world import imp, pid, rows_of
from workbooks import write_xlsx

from laborstation.importing import plan_import
from laborstation.model import Course, MonthlyReturn, Placement


def warnings(result) -> list[str]:
    return [w for f in result.findings for w in f.warnings]


def warned_rows(result, text: str) -> list[int]:
    return [f.row for f in result.findings for w in f.warnings if text in w]


def changes(result) -> list[str]:
    return [c for f in result.findings for c in f.changes]


def roster(tmp_path, name, header, rows):
    return write_xlsx(tmp_path / name, {"花名册": [header, *rows]})


COURSE = ["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "开班时间", "结业时间"]


def _classes(tmp_path, name, extra_header, classes, start=1):
    """Classes by name, each a list of its trainees' extra cells."""
    rows, n = [], start
    for course, extras in classes.items():
        for cells in extras:
            rows.append([f"人{n}", pid(n), "李庄村", course, "职业技能培训", "2026-03-01",
                         "2026-03-15", *cells])
            n += 1
    return roster(tmp_path, name, [*COURSE, *extra_header], rows)


def _course(store, name):
    [course] = [c for c in rows_of(store, Course) if c.name == name]
    return course


# --- 1. a unit in the header ---------------------------------------------------------

def test_a_unit_in_the_header_is_what_plain_numbers_are_in(store, station, tmp_path):
    path = _classes(tmp_path, "u.xlsx", ["学时（天）", "补贴总额（万元）"],
                    {"电工培训班": [[5, 3.6], [5, 3.6]], "焊工培训班": [["40学时", "36000元"]]})
    [sheet] = plan_import(store, "trainings", path).sheets
    assert {"hours", "subsidy"} <= set(sheet.header.columns)
    result = imp(store, path, "trainings")
    electrician = _course(store, "电工培训班")
    assert (electrician.hours, electrician.subsidy) == (None, Decimal("36000.00"))
    assert electrician.notes == "培训时长：5天"
    assert len(warned_rows(result, "学时“5”按表头是天数")) == 1
    welder = _course(store, "焊工培训班")  # a unit written in the cell is the cell's
    assert (welder.hours, welder.subsidy) == (40, Decimal("36000.00"))
    per_head = _classes(tmp_path, "p.xlsx", ["补贴总额（元/人）"], {"厨师培训班": [[1200], [1200]]},
                        start=10)
    result = imp(store, per_head, "trainings")
    assert _course(store, "厨师培训班").subsidy is None
    assert len(warned_rows(result, "按表头是每人的金额")) == 1


# --- 2. spellings -------------------------------------------------------------------

def test_totals_and_hours_as_clerks_spell_them(store, station, tmp_path):
    amounts = ["共计36000元", "合计36000元", "共36000元", "总计36000元", "合计：3.6万元"]
    hours = ["40学时/人", "每人40学时", "40（学时）", "共计40学时", "40学时"]
    result = imp(store, _classes(tmp_path, "s.xlsx", ["学时", "补贴总额", "培训方式"], {
        f"班{n}": [[h, a, "其他"]] for n, (h, a) in enumerate(zip(hours, amounts, strict=True))}),
        "trainings")
    assert warnings(result) == []
    assert [(c.hours, c.subsidy) for c in rows_of(store, Course)] == \
        [(40, Decimal("36000.00"))] * 5


# --- 3. per-trainee amounts in a 补贴总额 column ---------------------------------------

def test_amounts_differing_within_a_class_are_no_class_total(store, station, tmp_path):
    amounts = [1200, 1200, 800, 1200, 800, 1200]
    path = roster(tmp_path, "d.xlsx", [*COURSE, "补贴总额"], [
        *[[f"人{n}", pid(n), "李庄村", "养殖技术培训班", "引导性培训", "2026-03-01", "2026-03-05",
           amount] for n, amount in enumerate(amounts, start=1)],
        ["合计", None, None, None, None, None, None, sum(amounts)]])
    result = imp(store, path, "trainings")
    assert (result.added, result.errors) == (6, 0)
    assert _course(store, "养殖技术培训班").subsidy is None
    told = [w for w in warnings(result) if "各行的金额不同" in w]
    assert len(told) == 1 and "请在程序中填写该班的补贴总额" in told[0]
    assert warned_rows(result, "各行的金额不同") == [4]  # the first row differing
    assert not any("仍按“1200”记" in w for w in warnings(result))
    # A row of the class saying its amount is the total: that one is the class's.
    result = imp(store, _classes(tmp_path, "t.xlsx", ["补贴总额"],
                                 {"缝纫工培训班": [[1200], [800], ["合计2000元"]]}, start=20),
                 "trainings")
    assert _course(store, "缝纫工培训班").subsidy == Decimal("2000.00")
    assert any("写明的合计“2000”记" in w for w in warnings(result))
    # Every row repeating one total (or only the first row giving it) is as before.
    imp(store, _classes(tmp_path, "r.xlsx", ["补贴总额"], {
        "电工培训班": [[36000], ["36000元"], [36000]], "焊工培训班": [["1.2万"], [None]]},
        start=30), "trainings")
    assert _course(store, "电工培训班").subsidy == Decimal("36000.00")
    assert _course(store, "焊工培训班").subsidy == Decimal("12000.00")


def test_a_stored_total_is_not_replaced_by_differing_amounts(store, station, tmp_path):
    imp(store, _classes(tmp_path, "a.xlsx", ["补贴总额"], {"电工培训班": [[6000], [6000]]}),
        "trainings")
    result = imp(store, _classes(tmp_path, "b.xlsx", ["补贴总额"],
                                 {"电工培训班": [[1200], [800]]}), "trainings", overwrite=True)
    assert _course(store, "电工培训班").subsidy == Decimal("6000.00")
    assert [w for w in warnings(result) if "各行的金额不同" in w] == [
        "培训补贴总额一列中，培训班“电工培训班”各行的金额不同（1200、800），不是全班的总额"
        "（像是每名学员的补贴），没有按其中任何一个记（该班的培训补贴总额为 6000 元）"]
    assert changes(result) == []


# --- 4. trips overlapping either way ----------------------------------------------------

PLACED = ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点", "用工单位"]


def test_a_trip_covering_a_later_one_is_told(store, station, tmp_path):
    imp(store, roster(tmp_path, "a.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-04-01", "", "浙江宁波", "吉利汽车"],
        ["人2", pid(2), "李庄村", "2026-05-01", "", "浙江杭州", "阿里巴巴"]]), "placements")
    result = imp(store, roster(tmp_path, "b.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-02-01", "2026-06-30", "浙江宁波", "宁波舜宇"],
        ["人2", pid(2), "李庄村", "2026-01-05", "", "江苏苏州", "昆山仁宝电子"],
        ["人2", pid(2), "李庄村", "2025-01-05", "2025-12-20", "江苏苏州", "昆山仁宝电子"]]),
        "placements")
    assert (result.added, result.errors) == (3, 0)
    [first] = [w for w in warnings(result) if "两段外出时间重叠" in w]
    assert "台账中已有一次外出：2026-04-01 起（浙江宁波，用工单位“吉利汽车”），没有返乡时间" in first
    assert "2026-02-01 至 2026-06-30" in first
    assert warned_rows(result, "两段外出时间重叠") == [2]
    assert warned_rows(result, "请核对是否应补填这一行的返乡时间") == [3]


def _two_trips_then_a_return(store, tmp_path, n: int, back: str):
    """Person n's two open trips (January, May) imported, then the first one's 返乡时间."""
    person = [f"人{n}", pid(n), "李庄村"]
    imp(store, roster(tmp_path, f"trips{n}.xlsx", PLACED, [
        [*person, "2026-01-05", "", "江苏苏州", "昆山仁宝电子"],
        [*person, "2026-05-01", "", "浙江杭州", "阿里巴巴"]]), "placements")
    return imp(store, roster(tmp_path, f"back{n}.xlsx", PLACED, [
        [*person, "2026-01-05", back, "江苏苏州", "昆山仁宝电子"]]), "placements")


def test_a_return_date_filled_in_that_makes_trips_overlap_is_told(store, station, tmp_path):
    result = _two_trips_then_a_return(store, tmp_path, 1, "2026-06-30")
    assert (result.updated, result.errors) == (1, 0)
    [told] = warnings(result)
    assert "两段外出时间重叠" in told and "2026-05-01 起" in told
    assert "2026-01-05 至 2026-06-30" in told
    # A return date that ends the trip before the other begins is not told.
    result = _two_trips_then_a_return(store, tmp_path, 2, "2026-04-30")
    assert (result.updated, warnings(result)) == (1, [])


# --- 5. an employer with its place in brackets, a few days apart --------------------

def test_a_bracketed_employer_a_few_days_apart_is_told_as_a_date_corrected(
        store, station, tmp_path):
    # (stored on the 2nd: one on the 1st, the person's only trip that month, would be given
    # the day: test_import_roster_defaults)
    imp(store, roster(tmp_path, "a.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-03-02", "", "北京", "京东物流"]]), "placements")
    result = imp(store, roster(tmp_path, "b.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026-03-04", "", "北京", "京东物流（北京）有限公司"]]),
        "placements")
    [told] = [w for w in warnings(result) if "没有“输出方式”列" not in w]
    assert "可能是同一次外出改正了日期" in told and "用工单位“京东物流”" in told
    assert "补填前一段的返乡时间" not in told


def test_a_bracketed_employer_gives_the_day_of_a_trip_known_by_its_month(
        store, station, tmp_path):
    result = imp(store, roster(tmp_path, "m.xlsx", PLACED, [
        ["人1", pid(1), "李庄村", "2026年3月", "", "北京", "京东物流"],
        ["人1", pid(1), "李庄村", "2026-03-05", "", "北京", "京东物流（北京）有限公司"]]),
        "placements")
    [placed] = rows_of(store, Placement)
    assert (placed.start_on, placed.employer_name) == (date(2026, 3, 5), "京东物流")
    assert (result.added, result.updated) == (1, 1)
    assert warned_rows(result, "用工单位保留“京东物流”") == [3]


# --- 6. what the clerk is told of a course's notes and total ------------------------

def test_a_locked_course_is_not_said_to_take_the_notes(store, station, tmp_path):
    imp(store, _classes(tmp_path, "a.xlsx", [], {"电工培训班": [[], []]}), "trainings")
    with store.session() as session:
        session.add(MonthlyReturn(period="2026-03", area_id=station.area_id, status="submitted"))
    result = imp(store, _classes(tmp_path, "b.xlsx", ["学时", "补贴总额", "培训方式"],
                                 {"电工培训班": [[40, 24000, "线上"], [40, 24000, "线上"]]}),
                 "trainings")
    assert not any("已记入培训班备注" in w for w in warnings(result))
    assert any("已锁定" in w and "培训班备注没有记入" in w for w in warnings(result))
    assert any("培训方式“线上”是授课形式" in w and "未记入培训班备注" in w
               for w in warnings(result))
    assert _course(store, "电工培训班").notes == ""


def test_the_total_is_asked_for_only_when_the_course_has_none(store, station, tmp_path):
    result = imp(store, _classes(tmp_path, "a.xlsx", ["补贴总额", "补贴标准"], {
        "电工培训班": [[36000, "1200元/人"], [None, "1200元/人"]],
        "焊工培训班": [[None, 1200], [None, 1200]]}), "trainings")
    assert _course(store, "电工培训班").subsidy == Decimal("36000.00")
    told = {f.row: w for f in result.findings for w in f.warnings if "每名学员的补贴金额" in w}
    assert sorted(told) == [2, 4]
    assert "请在程序中填写" not in told[2] and "36000 元" in told[2]
    assert "请在程序中填写该班的补贴总额" in told[4]


def test_a_course_made_by_the_file_takes_later_notes_as_its_own(store, station, tmp_path):
    result = imp(store, _classes(tmp_path, "w.xlsx", ["培训方式", "学时"], {
        "电工培训班": [["线上", "5天"], ["线下", "5天"], ["线上", "5天"]]}), "trainings")
    assert _course(store, "电工培训班").notes == "培训形式：线上；培训时长：5天；培训形式：线下"
    assert len([w for w in warnings(result) if "已记入培训班备注" in w]) == 2
    assert (result.added, result.updated, changes(result)) == (3, 0, [])


def test_notes_are_said_to_be_recorded_only_when_they_are(store, station, tmp_path):
    path = _classes(tmp_path, "w.xlsx", ["培训方式", "学时"], {"电工培训班": [["线上", "5天"]] * 3})
    result = imp(store, path, "trainings")
    assert _course(store, "电工培训班").notes == "培训形式：线上；培训时长：5天"
    assert len([w for w in warnings(result) if "已记入培训班备注" in w]) == 2
    again = imp(store, path, "trainings")
    assert again.unchanged == 3
    assert not any("已记入培训班备注" in w for w in warnings(again))
    assert len([w for w in warnings(again) if "培训班备注中已有" in w]) == 2
