"""Blank place cells carried down from the row above stop at another township or village:
a village belongs to its township, a group and 户编号 to its village (a county's ledger
writing 乡镇 only where it changes)."""

from __future__ import annotations

import pytest
from import_world import imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.model import Area, Person
from laborstation.services.station import set_station

HEADER = ["乡镇", "行政村", "村民小组", "户编号", "姓名", "身份证号", "与户主关系"]


@pytest.fixture
def county(store):
    set_station(store, name="范县", code="410926000000")
    return store


def places(store) -> set[str]:
    """The areas under the county, as 乡镇/行政村/村民小组 paths."""
    with store.reading() as session:
        areas = {a.id: a for a in session.scalars(select(Area))}
    def path(area):
        parent = areas.get(area.parent_id)
        return area.name if parent is None or parent.level == "county" else (
            f"{path(parent)}/{area.name}")
    return {path(a) for a in areas.values() if a.level != "county"}


def homes(store) -> dict[str, tuple]:
    """name → (village, group, household number) of every person stored."""
    with store.reading() as session:
        areas = dict(session.execute(select(Area.id, Area.name)).all())
        return {p.name: (areas[p.village_id], p.household and areas.get(p.household.group_id),
                         p.household and p.household.number)
                for p in session.scalars(select(Person))}


def test_a_head_row_of_another_township_takes_no_village_from_the_row_above(county, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"全县": [
        HEADER,
        ["城关镇", "李庄村", "3组", "1", "张一", pid(1), "户主"],
        [None, None, None, None, "张二", pid(2, False), "配偶"],
        ["城关", None, None, "2", "张三", pid(3), "户主"],  # (城关镇 written otherwise: the same)
        ["王楼乡", None, None, "1", "王一", pid(4), "户主"],  # village forgotten: not 李庄村's
        [None, None, None, None, "王二", pid(5, False), "配偶"],
    ]})
    result = imp(county, path, "persons")
    assert (result.added, result.errors) == (3, 2) and result.accounted
    assert [(f.row, f.reason) for f in result.error_findings] == [
        (5, "新增人员缺少行政村：请在“行政村”列填写村名（表中没有这一列的，加上这一列）"),
        (6, "新增人员缺少行政村：请在“行政村”列填写村名（表中没有这一列的，加上这一列）")]
    assert places(county) == {"城关镇", "城关镇/李庄村", "城关镇/李庄村/3组"}
    assert homes(county) == {"张一": ("李庄村", "3组", "1"), "张二": ("李庄村", "3组", "1"),
                             "张三": ("李庄村", "3组", "2")}


def test_a_head_row_naming_another_village_takes_no_group_from_the_row_above(county,
                                                                               tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"全县": [
        HEADER,
        ["城关镇", "李庄村", "3组", "1", "张一", pid(1), "户主"],
        [None, "李庄村", None, "2", "张三", pid(3), "户主"],  # the same village: its group
        [None, "王庄村", None, "7", "王一", pid(4), "户主"],  # another village, no group
        [None, None, None, None, "王二", pid(5, False), "配偶"],
        ["城关镇", "赵庄村", None, "8", "赵一", pid(6), "户主"],  # (乡镇 written: the same)
    ]})
    result = imp(county, path, "persons")
    assert (result.added, result.errors) == (5, 0) and result.accounted
    assert places(county) == {"城关镇", "城关镇/李庄村", "城关镇/李庄村/3组", "城关镇/王庄村",
                              "城关镇/赵庄村"}
    assert homes(county) == {
        "张一": ("李庄村", "3组", "1"), "张三": ("李庄村", "3组", "2"),
        "王一": ("王庄村", None, "7"), "王二": ("王庄村", None, "7"), "赵一": ("赵庄村", None, "8")}


def test_a_member_row_naming_another_place_takes_nothing_below_it(county, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"全县": [
        HEADER,
        ["城关镇", "李庄村", "3组", "1", "张一", pid(1), "户主"],
        [None, "王庄村", None, None, "张三", pid(3), "子"],  # no 王庄村 3组, no household 1
        ["王楼乡", None, None, None, "张二", pid(2, False), "配偶"],  # no 王楼乡/王庄村 made
    ]})
    result = imp(county, path, "persons")
    assert (result.added, result.errors) == (2, 1) and result.accounted
    assert "缺少行政村" in result.error_findings[0].reason
    assert places(county) == {"城关镇", "城关镇/李庄村", "城关镇/李庄村/3组", "城关镇/王庄村"}
    assert homes(county) == {"张一": ("李庄村", "3组", "1"), "张三": ("王庄村", None, None)}
