"""A 行政村 cell naming the village and its group (李庄村1组) is the village, in that group:
not a new village called 李庄村1组 beside 李庄村."""

from __future__ import annotations

from import_world import imp, pid, rows_of
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.model import Area, Person, Placement


def test_a_village_cell_naming_its_group_is_the_village_in_that_group(store, station, tmp_path):
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [
        ["姓名", "身份证号码", "行政村", "户编号", "与户主关系"],
        ["张伟", pid(1), "李庄村", "H1", "户主"],
        ["王五", pid(2), "李庄村1组", "H2", "户主"],
        ["赵六", pid(3), "李庄村 二组", "H3", "户主"]]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (3, 0)
    with store.reading() as session:
        villages = session.scalars(select(Area.name).where(Area.level == "village")).all()
        people = {p.name: p for p in session.scalars(select(Person))}
        assert villages == ["李庄村"]
        assert people["王五"].village_id == people["张伟"].village_id
        assert people["王五"].household.group.name == "1组"
        assert people["赵六"].household.group.name == "二组"
    roster = write_xlsx(tmp_path / "外出.xlsx", {"花名册": [
        ["姓名", "身份证号", "行政村", "外出时间", "务工地点"],
        ["孙七", pid(4), "李庄村3组", "2026-03-01", "广东东莞"]]})
    result = imp(store, roster, "placements")
    assert (result.added, result.errors) == (1, 0)
    with store.reading() as session:
        assert session.scalars(select(Area.name).where(Area.level == "village")).all() == [
            "李庄村"]
    assert len(rows_of(store, Placement)) == 1
