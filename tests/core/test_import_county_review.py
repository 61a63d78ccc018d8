"""A county's ledger as a review ran it: a village named in messages with its township when
another township has a village of that name, and a person in a household not moved to
another village alone."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.idnumber import make_id
from laborstation.importing import run_import
from laborstation.model import Area, Person
from laborstation.progress import run_to_end
from laborstation.services.station import set_station

HEADER = ["乡镇", "行政村", "村民小组", "户编号", "与户主关系", "姓名", "身份证号"]


def pid(n: int) -> str:
    return make_id("410926", date(1980, 1, 1) + timedelta(days=n), n % 1000, True)


def imp(store, path, **options):
    return run_to_end(run_import(store, path, kind="persons", **options))


def warnings(result) -> list[str]:
    return [w for f in result.findings for w in f.warnings]


def villages_of(store) -> dict[str, str]:
    """name → 乡镇村 of each person's village."""
    with store.reading() as session:
        names = dict(session.execute(select(Area.id, Area.name)).all())
        parents = dict(session.execute(select(Area.id, Area.parent_id)).all())
        return {p.name: names[parents[p.village_id]] + names[p.village_id]
                for p in session.scalars(select(Person))}


def two_li_zhuang(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    imp(store, write_xlsx(tmp_path / "a.xlsx", {"全县": [
        HEADER, ["城关镇", "李庄村", "1组", "1", "户主", "张一", pid(1)],
        ["城关镇", "李庄村", "1组", "1", "子", "张二", pid(2)],
        ["王楼乡", "李庄村", "1组", "1", "户主", "王一", pid(3)]]}))


def test_a_village_of_a_name_two_townships_have_is_named_with_its_township(store, tmp_path):
    two_li_zhuang(store, tmp_path)
    result = imp(store, write_xlsx(tmp_path / "b.xlsx", {"全县": [
        ["乡镇", "行政村", "姓名", "身份证号"], ["王楼乡", "李庄村", "张二", pid(2)]]}))
    assert any("行政村（台账中“城关镇李庄村”，表中“王楼乡李庄村”）" in w for w in warnings(result))


def test_overwrite_does_not_move_a_person_of_a_household_alone(store, tmp_path):
    two_li_zhuang(store, tmp_path)
    result = imp(store, write_xlsx(tmp_path / "c.xlsx", {"全县": [
        ["乡镇", "行政村", "姓名", "身份证号"], ["王楼乡", "李庄村", "张二", pid(2)]]}),
        overwrite=True)
    assert villages_of(store)["张二"] == "城关镇李庄村"
    assert result.unchanged == 1
    assert any(w.startswith("行政村“王楼乡李庄村”未改：此人所在户在“城关镇李庄村”")
               for w in warnings(result))


def test_members_listed_by_relation_alone_are_in_no_household_and_told_rightly(
        store, tmp_path):
    """No 户编号 nor 户主姓名 column: the row above is no proof of a household (a list
    sorted by name, a 劳动力资源台账 without the old heads), so members stay in none."""
    set_station(store, name="范县", code="410926000000")
    result = imp(store, write_xlsx(tmp_path / "h.xlsx", {"全县": [
        ["乡镇", "行政村", "村民小组", "与户主关系", "姓名", "身份证号"],
        ["城关镇", "李庄村", "1组", "户主", "张一", pid(1)],
        ["城关镇", "李庄村", "1组", "配偶", "李四", pid(2)]]}))
    with store.reading() as session:
        households = {p.name: p.household_id for p in session.scalars(select(Person))}
    assert households["李四"] is None and households["张一"] is not None
    assert "有 1 行填写了村民小组，但没有归入户（没有户编号或户主姓名）" in result.summary()


def test_a_new_township_a_character_from_one_of_the_register_is_told_on_its_row(
        store, tmp_path):
    two_li_zhuang(store, tmp_path)
    result = imp(store, write_xlsx(tmp_path / "t.xlsx", {"全县": [
        ["乡镇", "行政村", "姓名", "身份证号"], ["城光镇", "李庄村", "赵一", pid(7)],
        ["城光镇", "李庄村", "赵二", pid(8)]]}))
    told = [(f.row, w) for f in result.findings for w in f.warnings if "城光镇" in w]
    assert told == [(2, "台账中没有乡镇“城光镇”，导入时新建这个乡镇：台账中有城关镇，只差一个字："
                        "如是笔误，请改正乡镇名后再导入")]


def test_a_county_workbook_of_a_sheet_per_township_or_township_and_village(store, tmp_path):
    from laborstation.importing import plan_import

    set_station(store, name="范县", code="410926000000")
    header = ["行政村", "姓名", "身份证号"]
    path = write_xlsx(tmp_path / "county.xlsx", {
        "城关镇": [header, ["李庄村", "张一", pid(1)]],
        "王楼乡李庄村": [header[1:], ["王一", pid(2)]],
        "美丽乡村": [header, ["李庄村", "赵一", pid(3)]]})
    plan = plan_import(store, "persons", path)
    assert [(s.township_from_name, s.village_from_name) for s in plan.outline()] == [
        ("城关镇", None), ("王楼乡", "李庄村"), (None, None)]
    assert "（没有乡镇列：按工作表名取乡镇「王楼乡」）" in plan.describe()
    result = imp(store, path)
    assert villages_of(store) == {"张一": "城关镇李庄村", "王一": "王楼乡李庄村"}
    assert (result.added, result.errors) == (2, 1)  # 美丽乡村 is no township: 缺少乡镇


def test_what_a_regression_review_found_of_the_new_place_rules(store, tmp_path):
    from laborstation.importing import plan_import

    two_li_zhuang(store, tmp_path)
    result = imp(store, write_xlsx(tmp_path / "r.xlsx", {"全县": [
        ["乡镇", "行政村", "村民小组", "户编号", "与户主关系", "姓名", "身份证号"],
        # a real township two characters from 城关镇: no typo hint
        ["张庄乡", "张村", "1组", "7", "户主", "赵一", pid(11)],
        ["", "张村社区", "1组", "8", "户主", "赵二", pid(12)],  # not 张村
        # the county written before the township on the head's row only: one household
        ["范县城关镇", "东关村", "2组", "9", "户主", "钱一", pid(13)],
        ["城关镇", "", "", "", "子", "钱二", pid(14)]]}))
    assert not [w for f in result.findings for w in f.warnings if "只差一个字" in w]
    assert villages_of(store)["赵二"] == "张庄乡张村社区" != villages_of(store)["赵一"]
    with store.reading() as session:
        households = {p.name: p.household_id for p in session.scalars(select(Person))}
    assert households["钱一"] == households["钱二"] is not None
    summary = write_xlsx(tmp_path / "s.xlsx", {"各乡镇汇总": [header := ["行政村", "姓名", "身份证号"],
                                                          ["李庄村", "孙一", pid(15)]],
                                               "城关镇": [header, ["李庄村", "孙二", pid(16)]]})
    assert [s.township_from_name for s in plan_import(store, "persons", summary).outline()] == [
        None, "城关镇"]
