"""月收入 written with its thousands once (3-4000) or as too small a sum for a month (0.45,
4.5 under a plain 月收入), and sign-off lines under a roster (村委会（盖章）, 所长：王某某):
the seventh review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from import_world import imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.model import Person, Placement

HEADER = ["序号", "姓名", "身份证号", "务工地点", "外出时间", "月收入"]


def _wages(store) -> dict[str, Decimal | None]:
    with store.reading() as session:
        return dict(session.execute(select(Person.name, Placement.monthly_wage).join(
            Placement, Placement.person_id == Person.id)).all())


def _warnings(result) -> dict[int, list[str]]:
    """(Not the note of the 自发 taken by default: test_import_roster_defaults.)"""
    found = {f.row: [w for w in f.warnings if "按“自发”记。" not in w] for f in result.findings}
    return {row: warnings for row, warnings in found.items() if warnings}


def test_a_range_with_its_thousands_written_once_is_read_in_thousands(store, station, tmp_path):
    path = write_xlsx(tmp_path / "pl.xlsx", {"李庄村": [HEADER,
        [1, "甲", pid(1), "广东东莞", "2026.3", "3-4000"],
        [2, "乙", pid(2), "广东东莞", "2026.3", "3-4000元"],
        [3, "丙", pid(3), "广东东莞", "2026.3", "3—4000"],
        [4, "丁", pid(4), "广东东莞", "2026.3", "4-4500"],
        [5, "戊", pid(5), "广东东莞", "2026.3", "300-400"],  # hundreds: not 300000
        [6, "己", pid(6), "广东东莞", "2026.3", "4-5千"],
    ]})
    result = imp(store, path, "placements")
    assert (result.added, result.errors, result.blank) == (6, 0, 0)
    assert _wages(store) == {"甲": Decimal("3500.00"), "乙": Decimal("3500.00"),
                             "丙": Decimal("3500.00"), "丁": Decimal("4250.00"),
                             "戊": Decimal("350.00"), "己": Decimal("4500.00")}
    warned = _warnings(result)
    assert warned[2] == ["月收入“3-4000”是一个范围，按中间值 3500.00 元计"]
    assert warned[6] == ["月收入“300-400”是一个范围，按中间值 350.00 元计"]


def test_a_monthly_wage_too_small_for_a_month_is_kept_with_a_warning(store, station, tmp_path):
    path = write_xlsx(tmp_path / "pl.xlsx", {"李庄村": [HEADER,
        [1, "甲", pid(1), "广东东莞", "2026.3", 0.45],
        [2, "乙", pid(2), "广东东莞", "2026.3", "4.5"],
        [3, "丙", pid(3), "广东东莞", "2026.3", 4500],
        [4, "丁", pid(4), "广东东莞", "2026.3", 100],
    ]})
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (4, 0)
    assert _wages(store) == {"甲": Decimal("0.45"), "乙": Decimal("4.50"),
                             "丙": Decimal("4500.00"), "丁": Decimal("100.00")}
    warned = _warnings(result)
    assert sorted(warned) == [2, 3]
    assert warned[2][0].startswith("月收入“0.45”不到每月 100 元，请核对单位")
    assert "万元" in warned[3][0] and warned[3][0].startswith("月收入“4.5”不到每月 100 元")


def test_small_numbers_under_a_ten_thousands_header_are_not_doubted(store, station, tmp_path):
    """(月收入（万元） 0.45 is 4500 a month: the header names the unit, nothing to check.)"""
    path = write_xlsx(tmp_path / "pl.xlsx", {"李庄村": [
        [*HEADER[:-1], "月收入（万元）"], [1, "甲", pid(1), "广东东莞", "2026.3", 0.45],
        [2, "乙", pid(2), "广东东莞", "2026.3", 0.004]]})  # 40 元: doubted
    result = imp(store, path, "placements")
    assert _wages(store) == {"甲": Decimal("4500.00"), "乙": Decimal("40.00")}
    assert sorted(_warnings(result)) == [3] and "不到每月 100 元" in _warnings(result)[3][0]


def test_sign_off_lines_under_a_roster_are_notes_and_persons_without_an_id_are_not(
        store, station, tmp_path):
    path = write_xlsx(tmp_path / "pl.xlsx", {"李庄村": [HEADER,
        [1, "张三", pid(1), "广东东莞", "2026.3", 4000],
        [None, "村委会（盖章）", None, None, "2026年11月20日"],
        [None, "村支书签字：", None, None, "2026.11.20"],
        [None, "李庄村民委员会（章）", None, None, None, "2026年11月"],
        [None, "所长：王某某", None, "经办人：李某"],
        [None, "村协理员：张某某", None, None, "2026.11.20"],
        [None, "所长：", None, "王某某", "年  月  日"],  # the name after its label
        [None, None, "村委会（盖章）", "联系电话：13800000000", date(2026, 11, 20)],
        # Persons whose ID number is missing: refused, whatever is beside them.
        [2, "张伟", None, "经办人：李某", "2026.11.20"],
        [3, "王芳", None, None, "2026年11月20日"],
        [None, None, None, "广东东莞", "2026.3", 4000],
    ]})
    result = imp(store, path, "placements")
    assert (result.read, result.added, result.errors, result.blank) == (11, 1, 3, 7)
    assert [(f.row, f.reason) for f in result.error_findings] == [
        (10, "身份证号为空。"), (11, "身份证号为空。"), (12, "身份证号为空。")]
