"""Rosters as a reviewer ran them twice: a trip or a class first known by its month
(stored on the 1st), then given its day, is that trip or class (its date refined, told),
not a second one counted again in 201 or 301; and what the import fills in by default
(a class's end on its start day, its type guessed, its mode 其他; a placement's 自发) is
told on the first import, and a later roster's other value against it says that the
stored value may be that default and how to correct it (overwrite), which alone changes
it."""

from __future__ import annotations

from datetime import date

from import_world import count, imp, pid, rows_of
from workbooks import write_xlsx

from laborstation.indicators import compute
from laborstation.model import Course, Enrolment, MonthlyReturn, Placement
from laborstation.periods import Window

MAY = Window(date(2026, 5, 1), date(2026, 5, 31))
JUNE = Window(date(2026, 6, 1), date(2026, 6, 30))


def warnings(result) -> list[str]:
    return [w for f in result.findings for w in f.warnings]


def warned_rows(result, text: str) -> list[tuple[str, int]]:
    return [(f.sheet, f.row) for f in result.findings for w in f.warnings if text in w]


def figure(store, code: str, window: Window):
    with store.reading() as session:
        return compute(session, code, window)


def submit(store, station, period: str) -> None:
    with store.session() as session:
        session.add(MonthlyReturn(period=period, area_id=station.area_id, status="submitted"))


PLACED = ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点", "用工单位", "输出方式"]


def trips(tmp_path, name, rows, header=PLACED, sheet="花名册"):
    return write_xlsx(tmp_path / name, {sheet: [header, *rows]})


def trip(n, start, employer="宇通客车", back="", organised="自发"):
    return [f"人{n}", pid(n), "李庄村", start, back, "郑州", employer, organised]


# --- A. a trip first known by its month ------------------------------------------

def test_a_stored_trip_known_by_its_month_is_given_its_day(store, station, tmp_path):
    imp(store, trips(tmp_path, "a.xlsx", [trip(1, "2026.5")]), "placements")
    result = imp(store, trips(tmp_path, "b.xlsx", [trip(1, "2026-05-12")]), "placements")
    [placed] = rows_of(store, Placement)
    assert placed.start_on == date(2026, 5, 12)
    assert (result.added, result.updated, result.errors) == (0, 1, 0) and result.accounted
    [told] = warnings(result)
    assert told == ("此人台账中已有 2026-05-01 外出的一条（用工单位“宇通客车”），是此人当月唯一的"
                    "一次外出，记在 1 日（先前可能只写了月份）：按同一次外出记，外出时间改为这一行的 "
                    "2026-05-12；如果是两次外出，请在程序中把这一条的外出时间改回 2026-05-01，"
                    "并新增 2026-05-12 这次外出")
    assert "外出时间：2026-05-01 → 2026-05-12" in result.findings[0].changes
    assert figure(store, "201", MAY) == 1
    # the same roster again, and the month alone again: that one trip, unchanged
    again = imp(store, trips(tmp_path, "b.xlsx", [trip(1, "2026-05-12")]), "placements")
    month = imp(store, trips(tmp_path, "c.xlsx", [trip(1, "2026年5月")]), "placements")
    assert (again.unchanged, month.unchanged, count(store, Placement)) == (1, 1, 1)


def test_a_trip_on_the_first_is_given_its_day_only_when_it_must_be_that_trip(
        store, station, tmp_path):
    imp(store, trips(tmp_path, "a.xlsx", [
        trip(1, "2026.5", employer="京东物流"),
        trip(2, "2026.5"), trip(2, "2026-05-20", employer="富士康"),  # two trips in May
        trip(3, "2026.5", back="2026-05-08"),  # back before the later day
        trip(4, "2026.5", employer=""),  # no employer to match by
        trip(5, "2026-05-03")]), "placements")  # not on the 1st
    result = imp(store, trips(tmp_path, "b.xlsx", [
        trip(1, "2026-05-12", employer="京东物流（北京）有限公司"),
        trip(2, "2026-05-12"), trip(3, "2026-05-12"), trip(4, "2026-05-12", employer=""),
        trip(5, "2026-05-12")]), "placements")
    assert (result.updated, result.added, result.errors) == (1, 4, 0)
    starts = {(p.person_id, p.start_on) for p in rows_of(store, Placement)}
    assert len(starts) == 10 and (1, date(2026, 5, 12)) in starts
    assert [p.employer_name for p in rows_of(store, Placement) if p.person_id == 1] == ["京东物流"]
    assert warned_rows(result, "按同一次外出记，外出时间改为") == [("花名册", 2)]
    for row in (3, 4, 6):  # each added, and told it may be a date corrected, as before
        assert ("花名册", row) in warned_rows(result, "可能是同一次外出改正了日期")


def test_a_trip_of_a_submitted_month_is_not_given_its_day(store, station, tmp_path):
    imp(store, trips(tmp_path, "a.xlsx", [trip(1, "2026.5"), trip(2, "2026.5")]), "placements")
    submit(store, station, "2026-05")
    result = imp(store, trips(tmp_path, "b.xlsx", [trip(1, "2026-05-12")]), "placements")
    assert (result.updated, result.added, result.errors) == (0, 0, 1)
    assert "锁定" in result.error_findings[0].reason
    assert [p.start_on for p in rows_of(store, Placement)] == [date(2026, 5, 1)] * 2
    # the same day, in an open month: refined (the lock is the only thing that kept it)
    imp(store, trips(tmp_path, "c.xlsx", [trip(3, "2026.6")]), "placements")
    after = imp(store, trips(tmp_path, "d.xlsx", [trip(3, "2026-06-09")]), "placements")
    assert after.updated == 1 and count(store, Placement) == 3


# --- A. a class first known by its month -----------------------------------------

TAUGHT = ["姓名", "身份证号", "行政村", "培训班名称", "培训机构", "开班时间", "结业时间", "培训类型"]


def classes(tmp_path, name, rows, header=TAUGHT):
    return write_xlsx(tmp_path / name, {"培训花名册": [header, *rows]})


def taught(n, start, end, course="月嫂班", provider="县职教中心", kind="职业技能培训"):
    return [f"人{n}", pid(n), "李庄村", course, provider, start, end, kind]


def test_a_stored_class_known_by_its_month_is_given_its_day(store, station, tmp_path):
    imp(store, classes(tmp_path, "a.xlsx", [taught(1, "2026.6", "2026.6"),
                                            taught(2, "2026.6", "2026.6")]), "trainings")
    result = imp(store, classes(tmp_path, "b.xlsx", [taught(1, "2026-06-08", "2026-06-15"),
                                                     taught(2, "2026-06-08", "2026-06-15")]),
                 "trainings")
    [course] = rows_of(store, Course)
    assert (course.start_on, course.end_on) == (date(2026, 6, 8), date(2026, 6, 15))
    assert count(store, Enrolment) == 2 and not result.created_courses
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    told = [w for w in warnings(result) if "按同一期记" in w]
    assert told == ["培训班“月嫂班”（培训机构“县职教中心”）台账中记的是 2026-06-01 开班，是当月唯一"
                    "的一期，记在 1 日（先前可能只写了月份）：按同一期记，开班时间改为这一行的 "
                    "2026-06-08，结业时间由 2026-06-01 改为 2026-06-15；如果是两期不同的培训，请在"
                    "程序中把这一期的日期改回，并新建 2026-06-08 开班的一期，再导入这一行"]
    assert figure(store, "301", JUNE) == 2
    again = imp(store, classes(tmp_path, "b2.xlsx", [taught(1, "2026-06-08", "2026-06-15")]),
                "trainings")
    assert (again.unchanged, count(store, Course)) == (1, 1)


def test_a_class_on_the_first_is_given_its_day_only_when_it_must_be_that_class(
        store, station, tmp_path):
    imp(store, classes(tmp_path, "a.xlsx", [
        taught(1, "2026.6", "2026-06-20", course="电工班"),  # ends after the later day
        taught(2, "2026.6", "2026-06-05", course="焊工班"),  # ended before it
        taught(3, "2026.6", "", course="叉车班"), taught(4, "2026-06-10", "", course="叉车班"),
        taught(5, "2026-06-02", "", course="面点班")]), "trainings")  # not on the 1st
    result = imp(store, classes(tmp_path, "b.xlsx", [
        taught(1, "2026-06-08", "", course="电工班"),
        taught(2, "2026-06-08", "2026-06-12", course="焊工班"),
        taught(3, "2026-06-08", "2026-06-12", course="叉车班"),
        taught(5, "2026-06-08", "2026-06-12", course="面点班")]), "trainings")
    starts = sorted((c.name, c.start_on.day, c.end_on.day) for c in rows_of(store, Course))
    assert starts == [("叉车班", 1, 1), ("叉车班", 8, 12), ("叉车班", 10, 10), ("焊工班", 1, 5),
                      ("焊工班", 8, 12), ("电工班", 8, 20), ("面点班", 2, 2), ("面点班", 8, 12)]
    assert warned_rows(result, "按同一期记") == [("培训花名册", 2)]
    assert "结业时间由" not in warnings(result)[0]  # (its end, after the day, kept)


# --- B. a class's defaults -------------------------------------------------------

def test_a_class_without_end_date_and_mode_is_told_once_and_later_told_how_to_correct(
        store, station, tmp_path):
    first = imp(store, classes(tmp_path, "a.xlsx", [taught(1, "2026-06-25", "", course="挖掘机班"),
                                                    taught(2, "2026-06-25", "", course="挖掘机班")]),
                "trainings")
    assert warnings(first) == [
        "新建的培训班“挖掘机班”（2026-06-25 开班）没有结业时间，按开班当天 2026-06-25 记（培训班按"
        "结业时间计入月报 301）；没有培训方式，按“其他”记（月报 306 只算订单、定向、委托培训）。"
        "以后导入写明了这些的花名册时，要勾选“用表中的值覆盖已有信息”才会改正，也可以在程序中"
        "修改这个培训班"]
    later = classes(tmp_path, "b.xlsx", [taught(1, "2026-06-25", "2026-07-05", course="挖掘机班"),
                                         taught(2, "2026-06-25", "2026-07-05", course="挖掘机班")])
    second = imp(store, later, "trainings")
    assert warnings(second) == [
        "培训班结业时间“2026-07-05”与培训班“挖掘机班”已记的“2026-06-25”不同，仍按“2026-06-25”记："
        "已记的结业时间与开班时间是同一天：可能是一天的班，也可能是先前导入时没有结业时间、按开班"
        "当天记的。如应按本表，请勾选“用表中的值覆盖已有信息”后再导入这个文件（本表中与已记不同的"
        "其他各项也会按本表改），或在程序中修改这个培训班"]
    assert [c.end_on for c in rows_of(store, Course)] == [date(2026, 6, 25)]
    assert imp(store, later, "trainings", overwrite=True).updated == 1
    assert [c.end_on for c in rows_of(store, Course)] == [date(2026, 7, 5)]


def test_a_guessed_type_and_the_mode_other_are_told_once_a_course(store, station, tmp_path):
    header = ["姓名", "身份证号", "行政村", "培训班名称", "培训机构", "开班时间", "结业时间"]
    first = imp(store, classes(tmp_path, "a.xlsx", [
        taught(1, "2026-03-02", "2026-03-06", course="电商直播班")[:-1],
        taught(2, "2026-03-02", "2026-03-06", course="电商直播班")[:-1],
        taught(3, "2026-03-02", "2026-03-06", course="SYB创业培训班")[:-1]], header),
        "trainings")
    later_how = ("以后导入写明了这些的花名册时，要勾选“用表中的值覆盖已有信息”才会改正，也可以在"
                 "程序中修改这个培训班")
    assert warnings(first) == [
        "新建的培训班“电商直播班”（2026-03-02 开班）没有培训类型，按“职业技能培训”记；没有培训方式，"
        "按“其他”记（月报 306 只算订单、定向、委托培训）。" + later_how,
        "新建的培训班“SYB创业培训班”（2026-03-02 开班）没有培训类型，按班名中的“创业”推定为“创业"
        "培训”；没有培训方式，按“其他”记（月报 306 只算订单、定向、委托培训）。" + later_how]
    typed = [*header, "培训类型", "培训方式"]
    later = classes(tmp_path, "b.xlsx", [
        [*taught(n, "2026-03-02", "2026-03-06", course="电商直播班")[:-1], "创业培训", "订单培训"]
        for n in (1, 2)], typed)
    second = imp(store, later, "trainings")
    assert warnings(second) == [  # once a course, not once a row
        "培训类型“创业培训”与培训班“电商直播班”已记的“职业技能培训”不同，仍按“职业技能培训”记："
        "已记的“职业技能培训”可能是先前导入时没有培训类型、按班名推定的。如应按本表，请勾选“用表"
        "中的值覆盖已有信息”后再导入这个文件（本表中与已记不同的其他各项也会按本表改），或在程序中"
        "修改这个培训班",
        "培训方式“订单培训”与培训班“电商直播班”已记的“其他”不同，仍按“其他”记：已记的“其他”可能是"
        "先前导入时没有培训方式、按默认记的。如应按本表，请勾选“用表中的值覆盖已有信息”后再导入这个"
        "文件（本表中与已记不同的其他各项也会按本表改），或在程序中修改这个培训班"]
    march = Window(date(2026, 3, 1), date(2026, 3, 31))
    assert (figure(store, "304", march), figure(store, "306", march)) == (1, 0)
    imp(store, later, "trainings", overwrite=True)
    kept = {c.name: (c.course_type, c.mode) for c in rows_of(store, Course)}
    assert kept == {"电商直播班": ("3", "1"), "SYB创业培训班": ("3", "9")}
    assert (figure(store, "304", march), figure(store, "306", march)) == (3, 2)


# --- B. a placement's 自发 -------------------------------------------------------

def test_a_missing_or_blank_organised_is_told_once_a_file_and_later_how_to_correct(
        store, station, tmp_path):
    no_column = imp(store, trips(tmp_path, "a.xlsx", [trip(n, "2026-05-01")[:-1] for n in (1, 2, 3)],
                                 header=PLACED[:-1]), "placements")
    assert warnings(no_column) == [
        "本文件没有“输出方式”列：新增的 3 条转移就业记录都按“自发”记。其中如有有组织输出的（月报 "
        "206 只算有组织输出），请在花名册中加上“输出方式”列并写明“有组织”，勾选“用表中的值覆盖已有"
        "信息”后再导入这个文件（本表中与已记不同的其他各项也会按本表改），或在程序中修改；不勾选覆盖，"
        "以后导入的“有组织”改不掉已记的“自发”"]
    blank = imp(store, trips(tmp_path, "b.xlsx", [
        trip(4, "2026-05-01", organised=""), trip(5, "2026-05-01", organised="有组织"),
        trip(6, "2026-05-01", organised="")]), "placements")
    assert warned_rows(blank, "输出方式为空的 2 行（“花名册”表第 2、4 行）新增的转移就业记录按"
                              "“自发”记") == [("花名册", 2)]
    assert len(warnings(blank)) == 1
    organised = trips(tmp_path, "c.xlsx", [trip(n, "2026-05-01", organised="有组织")
                                           for n in (1, 4)])
    later = imp(store, organised, "placements")
    assert warnings(later) == [
        "输出方式“有组织”与台账中已记的“自发”不同，仍按“自发”记：已记的“自发”可能是先前导入时"
        "输出方式为空（或没有这一列）按默认记的。如应为有组织输出（计入月报 206），请勾选“用表中的"
        "值覆盖已有信息”后再导入这个文件（本表中与已记不同的其他各项也会按本表改），或在程序中修改"
        "这条转移就业记录"] * 2
    assert later.unchanged == 2 and figure(store, "206", MAY) == 1
    assert imp(store, organised, "placements", overwrite=True).updated == 2
    assert figure(store, "206", MAY) == 3
