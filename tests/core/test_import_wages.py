"""月收入 as placement rosters write it: yearly amounts, 万元, and headers that name the unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_world import TOWNSHIP, imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.importing import plan_import, wages
from laborstation.model import Person, Placement
from laborstation.services.station import set_station


@pytest.mark.parametrize(("written", "monthly", "warned"), [
    ("年5万", Decimal("4167.00"), "年收入"),  # a year's, written first
    ("年均6万", Decimal("5000.00"), "年收入"),
    ("半年3万", Decimal("5000.00"), "半年"),
    ("年收入5万", Decimal("4167.00"), "年收入"),
    ("5万元", Decimal("50000.00"), "超过每月 3 万元"),  # kept, but doubted
    ("4500", Decimal("4500.00"), None),
    ("3千", Decimal("3000.00"), None),
    ("4000元-5000元", Decimal("4500.00"), "范围"),  # 元 after each end of a range
    ("3000元～5000元", Decimal("4000.00"), "范围"),
    ("2025年月均4500", Decimal("4500.00"), None),  # a year is no amount
    ("2026年收入5万", Decimal("4167.00"), "年收入"),
    ("2026年5万", Decimal("4167.00"), "年收入"),
    ("四千五", Decimal("4500.00"), None),  # Chinese numerals with a place
    ("五千", Decimal("5000.00"), None),
    ("两千五百元", Decimal("2500.00"), None),
    ("一万二", Decimal("12000.00"), None),
    ("三千零五十", Decimal("3050.00"), None),
    ("十二万/年", Decimal("10000.00"), "年收入"),
    ("4500，五险一金", Decimal("4500.00"), None),  # a numeral with no place stays text
    ("4500-5000-6000", None, "写了两个以上的金额"),  # (was 4750, the first two's middle)
    ("4500 5000", None, "写了两个金额"),  # (was 45005000, refused as too much)
])
def test_yearly_words_and_doubtful_monthly_amounts(written, monthly, warned):
    warnings: list[str] = []
    assert wages.wage(written, warnings) == monthly
    assert (warned is None) == (not warnings)
    assert warned is None or warned in warnings[0]


@pytest.mark.parametrize(("title", "written", "monthly"), [
    ("工资（元/年）", 48000, Decimal("4000.00")),
    ("年收入", "60000", Decimal("5000.00")),
    ("年收入（元）", "6万", Decimal("5000.00")),
    ("月收入（万元）", 0.45, Decimal("4500.00")),
    ("月收入（万元）", "0.45", Decimal("4500.00")),
    ("月收入（万元）", "4500元", Decimal("4500.00")),  # 元 written: yuan, whatever the header
    ("年收入（万元）", 6, Decimal("5000.00")),
    ("月收入", 4500, Decimal("4500.00")),
])
def test_a_wage_header_names_the_unit_of_its_numbers(title, written, monthly):
    assert wages.wage(written, [], wages.wage_column(title)) == monthly


def test_a_yearly_wage_column_is_imported_per_month_and_the_plan_says_so(store, tmp_path):
    set_station(store, name="城关镇", code=TOWNSHIP)
    path = write_xlsx(tmp_path / "pl.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "外出时间", "务工地点", "工资（元/年）"],
        ["甲", pid(1), "李庄村", "2026-03-01", "北京", 48000],
        ["乙", pid(2), "李庄村", "2026-03-01", "北京", "年6万"],
    ]})
    (sheet,) = plan_import(store, "placements", path).outline()
    assert dict(sheet.mapping)["工资（元/年）"] == "月收入（表头为每年元，折算为每月元）"
    result = imp(store, path, "placements")
    assert result.added == 2 and result.errors == 0
    with store.reading() as session:
        wages = sorted(session.scalars(select(Placement.monthly_wage)))
    assert wages == [Decimal("4000.00"), Decimal("5000.00")]


def test_a_second_wage_column_is_read_in_the_unit_of_its_own_header(store, tmp_path):
    """月收入（元） empty, 年收入（万元） 5.4: 4500 a month, not 5.40 (the sixth review)."""
    set_station(store, name="城关镇", code=TOWNSHIP)
    path = write_xlsx(tmp_path / "pl.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "外出时间", "务工地点", "月收入（元）", "年收入（万元）"],
        ["甲", pid(1), "李庄村", "2026-03-01", "北京", None, 5.4],
        ["乙", pid(2), "李庄村", "2026-03-01", "北京", None, "6"],
        ["丙", pid(3), "李庄村", "2026-03-01", "北京", 4200, None],
    ]})
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (3, 0)
    with store.reading() as session:
        stored = dict(session.execute(select(Person.name, Placement.monthly_wage).join(
            Placement, Placement.person_id == Person.id)).all())
    assert stored == {"甲": Decimal("4500.00"), "乙": Decimal("5000.00"), "丙": Decimal("4200.00")}
    assert "按每月 4500 元计" in result.findings[0].warnings[0]
