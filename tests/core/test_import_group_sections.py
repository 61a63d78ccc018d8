"""A row of the table naming a 村民小组 alone (一组（2户）), above the households of that
group: the rows below it that give no group are in it, and the result says how many."""

from __future__ import annotations

import pytest
from import_world import imp, pid
from openpyxl import load_workbook
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.importing import write_error_report
from laborstation.model import Person


def _groups(store) -> dict[str, str | None]:
    with store.reading() as session:
        return {p.name: p.household.group.name if p.household and p.household.group else None
                for p in session.scalars(select(Person))}


@pytest.mark.parametrize("with_group_column", [True, False])
def test_households_under_a_group_row_are_in_that_group(store, station, tmp_path,
                                                        with_group_column):
    header = ["序号", "姓名", "身份证号码", "行政村", "户编号", "与户主关系"]
    extra = [[""]] if with_group_column else [[]]
    rows = [
        ["一组（2户）"],
        [1, "张一", pid(1), "李庄村", "H1", "户主"],
        [2, "张妻", pid(2, False), "李庄村", "H1", "妻"],
        [3, "王二", pid(3), "李庄村", "H2", "户主"],
        ["二组(1户)"],
        [4, "赵三", pid(4), "李庄村", "H3", "户主"],
        [5, "赵四", bad := pid(5)[:-1] + ("1" if pid(5)[-1] == "0" else "0"), "李庄村", "H3", "子"],
    ]
    head = header + (["村民小组"] if with_group_column else [])
    sheet = [head, *[r if len(r) == 1 else r + extra[0] for r in rows]]
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": sheet},
                      {"台账": ["A2:G2", "A6:G6"]} if with_group_column else {})
    result = imp(store, path, "persons")
    assert (result.added, result.errors, result.blank) == (4, 1, 2)
    assert _groups(store) == {"张一": "一组", "张妻": "一组", "王二": "一组", "赵三": "二组"}
    assert result.section_grouped == 5
    assert "有 5 行没有写村民小组，已按表中上方单独成行的分组（如“一组（2户）”）填写。" in result.summary()
    if with_group_column:  # the refused row's report keeps the group it took
        report = write_error_report(result, tmp_path / "errors.xlsx")
        rows = list(load_workbook(report).active.iter_rows(values_only=True))
        assert rows[-1][2] == bad and rows[-1][6] == "二组"


def test_a_group_written_on_the_row_is_kept(store, station, tmp_path):
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [
        ["姓名", "身份证号码", "行政村", "户编号", "村民小组"],
        ["一组"],
        ["张一", pid(1), "李庄村", "H1", "三组"]]})
    result = imp(store, path, "persons")
    assert result.added == 1 and result.section_grouped == 0
    assert _groups(store) == {"张一": "三组"}
