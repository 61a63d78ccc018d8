"""Dates, 返乡时间 and certificates as clerks write them in rosters (the fourth review)."""

from __future__ import annotations

from datetime import date

import pytest
from import_world import imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.importing import plan_import
from laborstation.importing import values as v
from laborstation.model import Course, Enrolment, Placement


@pytest.mark.parametrize(("written", "day", "doubt"), [
    ("2024年3月份", date(2024, 3, 1), None),
    ("24.03.15", date(2024, 3, 15), "年份只写了两位"),
    ("24年3月15日", date(2024, 3, 15), "年份只写了两位"),
    ("99.1.5", date(1999, 1, 5), "年份只写了两位"),
    ("2024年3-4月", date(2024, 3, 1), "是一段时间"),  # was 2024-03-04, with no word
    ("2024.3.1-3.10", date(2024, 3, 1), "是一段时间"),
    ("2024.3至今", date(2024, 3, 1), "是一段时间"),
    ("2024-03-01", date(2024, 3, 1), None),  # one day, not a span
])
def test_date_forms(written, day, doubt):
    warnings: list[str] = []
    assert v.day(written, "外出时间", warnings) == day
    assert (doubt is None) == (not warnings)
    assert doubt is None or doubt in warnings[0]


@pytest.mark.parametrize("written", ["24.3", 24.3, "5"])
def test_a_short_year_or_a_small_number_is_no_day_of_1900(written):
    with pytest.raises(v.BadValue, match="外出时间"):
        v.day(written, "外出时间", [])


@pytest.mark.parametrize(("written", "span"), [
    ("2024.3.1-2024.3.10", (date(2024, 3, 1), date(2024, 3, 10))),
    ("2024.3.1-3.10", (date(2024, 3, 1), date(2024, 3, 10))),
    ("2024年3月1日至3月10日", (date(2024, 3, 1), date(2024, 3, 10))),
    ("2024.03.01—2024.03.10", (date(2024, 3, 1), date(2024, 3, 10))),
    ("2024.3.1~3.10", (date(2024, 3, 1), date(2024, 3, 10))),
    ("2024.3.1-10日", (date(2024, 3, 1), date(2024, 3, 10))),
    ("2024年11-12月", (date(2024, 11, 1), date(2024, 12, 31))),
    ("2024-03-01", None), ("2024.3", None), ("", None),
])
def test_spans_of_days_in_one_cell(written, span):
    assert v.day_range(written) == span


def test_a_span_ending_before_it_starts_is_refused():
    with pytest.raises(v.BadValue, match="结束日期早于开始日期"):
        v.day_range("2024.3.10-3.1", "培训时间")


def test_a_span_whose_end_is_no_month_and_day_is_refused():
    """3A5 is no 3月5日 (a '-' in the separators once made a range of characters)."""
    with pytest.raises(v.BadValue, match="结束日期无法识别"):
        v.day_range("2024.3.1-3A5", "培训时间")


def test_course_dates_in_one_cell_give_its_start_and_end(store, station, tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "培训班名称", "培训机构", "培训时间"],
        ["甲", pid(1), "李庄村", "电工班", "县职校", "2024.3.1-3.10"],
        ["乙", pid(2), "李庄村", "电工班", "县职校", "2024年3月1日至3月10日"],
    ]})
    result = imp(store, path, "trainings")
    assert (result.added, result.errors) == (2, 0)
    with store.reading() as session:
        (course,) = session.scalars(select(Course)).all()
        assert (course.start_on, course.end_on) == (date(2024, 3, 1), date(2024, 3, 10))


def test_a_return_written_as_a_word_keeps_the_trip_with_a_warning(store, station, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点"],
        ["甲", pid(1), "李庄村", "2024.3.1", "已返乡", "北京"],
        ["乙", pid(2), "李庄村", "2024.3.1", "2024.12（春节）", "北京"],
    ]})
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (2, 0)
    (finding,) = [f for f in result.findings if f.row == 2]
    assert "请补填返乡的年月日" in finding.warnings[0]
    with store.reading() as session:
        back = set(session.scalars(select(Placement.return_on)))
    assert back == {None, date(2024, 12, 1)}


def test_certificate_numbers_and_a_result_saying_certificate(store, station, tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "培训班名称", "开班时间", "培训结果", "证书编号"],
        ["甲", pid(1), "李庄村", "电工班", "2024.3.1", "合格", "4109262024000123"],
        ["乙", pid(2), "李庄村", "电工班", "2024.3.1", "取得证书", ""],
        ["丙", pid(3), "李庄村", "电工班", "2024.3.1", "合格", "无"],
    ]})
    (sheet,) = plan_import(store, "trainings", path).outline()
    assert dict(sheet.mapping)["证书编号"] == "证书编号"
    result = imp(store, path, "trainings")
    assert (result.added, result.errors) == (3, 0)
    with store.reading() as session:
        stored = sorted((e.certificate_no, e.certificate_kind is not None)
                        for e in session.scalars(select(Enrolment)))
    # 丙's 无 is no certificate; 乙's 取得证书 is one, of a kind not written
    assert stored == [("", False), ("", True), ("4109262024000123", True)]


def test_a_course_time_over_start_and_end_columns_gives_both(store, station, tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "培训班名称", "培训时间", None],
        [None, None, None, None, "起", "止"],
        ["甲", pid(1), "李庄村", "电工班", "2024.3.25", "2024.4.8"],
    ]}, {"Sheet1": ["E1:F1", "A1:A2", "B1:B2", "C1:C2", "D1:D2"]})
    (sheet,) = plan_import(store, "trainings", path).outline()
    assert dict(sheet.mapping) == {**dict(sheet.mapping), "起": "开班时间", "止": "结业时间"}
    result = imp(store, path, "trainings")
    assert (result.read, result.added, result.errors) == (1, 1, 0)
    with store.reading() as session:
        (course,) = session.scalars(select(Course)).all()
        assert (course.start_on, course.end_on) == (date(2024, 3, 25), date(2024, 4, 8))


def test_an_away_time_over_start_and_end_columns_gives_the_return(store, station, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "外出时间", None, "务工地点"],
        [None, None, None, "起", "止", None],
        ["甲", pid(1), "李庄村", "2024.3.1", "2024.12.20", "北京"],
    ]}, {"Sheet1": ["D1:E1", "A1:A2", "B1:B2", "C1:C2", "F1:F2"]})
    assert imp(store, path, "placements").added == 1
    with store.reading() as session:
        (placement,) = session.scalars(select(Placement)).all()
        assert (placement.start_on, placement.return_on) == (date(2024, 3, 1), date(2024, 12, 20))


def test_a_destination_naming_the_own_township_or_a_village_of_it_is_inside(
        store, station, tmp_path):
    """GB/T 2260 stops at counties: 城关镇 and 李庄村 are found among the store's places."""
    places = ["城关镇", "李庄村", "范县城关镇", "城关镇李庄村", "濮城镇"]
    ledger = write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [["姓名", "身份证号", "行政村"]] + [
        [f"人{n}", pid(n), "李庄村"] for n in range(1, len(places) + 1)]})
    assert imp(store, ledger, "persons").added == len(places)
    rows = [["姓名", "身份证号", "行政村", "外出时间", "务工地点"]]
    rows += [[f"人{n}", pid(n), "李庄村", "2024.3.1", place] for n, place in enumerate(places, 1)]
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": rows})
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (5, 0)
    with store.reading() as session:
        found = dict(session.execute(select(Placement.destination, Placement.region_class)).all())
    assert found == {"城关镇": "11", "李庄村": "11", "范县城关镇": "11", "城关镇李庄村": "11",
                     "濮城镇": None}  # (another township the store has not: still told)


def test_an_away_time_over_year_and_month_columns_is_that_month(store, station, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "外出时间", None, "务工地点"],
        [None, None, None, "年", "月", None],
        ["甲", pid(1), "李庄村", 2024, 3, "北京"],
        ["乙", pid(2), "李庄村", "2024年", "11月", "北京"],
    ]}, {"Sheet1": ["D1:E1", "A1:A2", "B1:B2", "C1:C2", "F1:F2"]})
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (2, 0)
    with store.reading() as session:
        starts = set(session.scalars(select(Placement.start_on)))
    assert starts == {date(2024, 3, 1), date(2024, 11, 1)}


def test_a_whole_date_beside_a_month_column_keeps_its_own_month(store, station, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "外出时间", "外出月份", "务工地点"],
        ["甲", pid(1), "李庄村", "2024-03-05", "3月", "北京"],
        ["乙", pid(2), "李庄村", "2024", "11", "北京"],
    ]})
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (2, 0)
    with store.reading() as session:
        starts = set(session.scalars(select(Placement.start_on)))
    assert starts == {date(2024, 3, 5), date(2024, 11, 1)}


def test_a_destination_naming_a_village_this_import_made_is_found(store, station, tmp_path):
    """A village made by an earlier row of the same import is a place of the township."""
    ledger = write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村"], ["甲", pid(1), "李庄村"]]})
    assert imp(store, ledger, "persons").added == 1
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "外出时间", "务工地点"],
        ["乙", pid(2), "张庄村", "2024.3.1", "北京"],  # a new village
        ["甲", pid(1), "李庄村", "2024.3.1", "城关镇"],  # (the first look-up by village name)
        ["丙", pid(3), "王庄村", "2024.3.1", "北京"],  # another new village
        ["甲", pid(1), "李庄村", "2024.5.1", "王庄村"],
    ]})
    assert imp(store, path, "placements").added == 4
    with store.reading() as session:
        found = dict(session.execute(select(Placement.destination, Placement.region_class)).all())
    assert found["王庄村"] == "11"


def test_a_village_name_two_other_townships_share_is_within_the_county(tmp_path):
    """李庄村 of 城关镇 or of 濮城镇: for a person of 王楼镇, 县内乡镇外 either way."""
    from laborstation.db.store import open_store
    from laborstation.services.station import set_station

    store = open_store(tmp_path / "county.db")
    for name, code in (("城关镇", "410926100000"), ("濮城镇", "410926101000"),
                       ("王楼镇", "410926102000"), ("范县", "410926000000")):
        set_station(store, name=name, code=code)
    header = ["乡镇", "行政村", "姓名", "身份证号", "外出时间", "务工地点"]
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        header,
        ["城关镇", "李庄村", "甲", pid(1), "2024.3.1", "北京"],
        ["濮城镇", "李庄村", "乙", pid(2), "2024.3.1", "北京"],
        ["王楼镇", "张庄村", "丙", pid(3), "2024.3.1", "李庄村"],
        ["城关镇", "李庄村", "甲", pid(1), "2024.5.1", "李庄村"],
    ]})
    try:
        assert imp(store, path, "placements").added == 4
        with store.reading() as session:
            found = set(session.execute(select(Placement.person_id, Placement.destination,
                                               Placement.region_class)
                                        .where(Placement.destination == "李庄村")))
        assert {region for _person, _dest, region in found} == {"11", "12"}
    finally:
        store.close()
