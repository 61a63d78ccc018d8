"""Townships, villages and groups as county ledgers write them: a station named after its
office, villages and groups written with committee words or their village's name, a
township written with its government or with a typo, sheets named township and village."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.idnumber import make_id
from laborstation.importing import plan_import, run_import
from laborstation.model import Area, Household, Person
from laborstation.progress import run_to_end
from laborstation.services.station import set_station

HEADER = ["乡镇", "行政村", "村民小组", "户编号", "姓名", "身份证号", "与户主关系"]


def pid(n: int) -> str:
    return make_id("410926", date(1985, 1, 1) + timedelta(days=n), n % 1000, n % 2 == 1)


def imp(store, path_or_plan):
    plan = path_or_plan
    if not hasattr(plan, "sheets"):
        plan = plan_import(store, "persons", path_or_plan)
    return run_to_end(run_import(store, plan))


def area_paths(store) -> set[str]:
    """Every live area as 范县/城关镇/李庄村/1组."""
    with store.reading() as session:
        rows = {a.id: a for a in session.scalars(select(Area).where(Area.deleted_at.is_(None)))}
    def path(area):
        return area.name if area.parent_id is None else f"{path(rows[area.parent_id])}/{area.name}"
    return {path(area) for area in rows.values()}


def persons_places(store) -> dict[str, tuple[str, int | None]]:
    """name → (village name, household id)."""
    with store.reading() as session:
        rows = session.execute(select(Person.name, Area.name, Person.household_id)
                               .join(Area, Area.id == Person.village_id)).all()
    return {name: (village, household) for name, village, household in rows}


def test_a_station_named_after_its_office_imports_its_own_township(store, tmp_path):
    """The setup dialog suggests 范县辛庄镇劳动保障所: its ledger's 乡镇 column says 辛庄镇,
    and a sheet named 辛庄镇李庄村 is the village 李庄村."""
    set_station(store, name="范县辛庄镇劳动保障所", code="410926105000")
    ledger = write_xlsx(tmp_path / "a.xlsx", {"辛庄镇": [
        HEADER, ["辛庄镇", "李庄村", "1组", "1", "张一", pid(1), "户主"],
        ["辛庄镇", "李庄村", "1组", "1", "张二", pid(2), "配偶"]]})
    result = imp(store, ledger)
    assert (result.added, result.errors) == (2, 0)
    per_village = write_xlsx(tmp_path / "b.xlsx", {"辛庄镇王庄村": [
        HEADER[2:], ["1组", "1", "王一", pid(3), "户主"]]})
    plan = plan_import(store, "persons", per_village)
    assert plan.sheets[0].village_from_name == "王庄村"
    assert imp(store, plan).added == 1
    assert persons_places(store)["王一"][0] == "王庄村"


def test_the_bench_station_named_after_its_office_too(store, tmp_path):
    set_station(store, name="城关镇劳动保障所", code="410926100000")
    ledger = write_xlsx(tmp_path / "a.xlsx", {"S": [
        HEADER, ["城关镇", "李庄村", "1组", "1", "张一", pid(1), "户主"]]})
    assert imp(store, ledger).added == 1


def test_spellings_of_one_village_and_group_make_one_of_each(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    ledger = write_xlsx(tmp_path / "a.xlsx", {"全县": [
        HEADER, ["城关镇", "李庄村", "1组", "1", "张一", pid(1), "户主"],
        ["城关镇", "李庄村村委会", "1组", "1", "张二", pid(2), "配偶"],
        ["城关镇", "李庄村委", "1组", "1", "张三", pid(3), "子"],
        ["城关镇", "李庄村", "李庄村1组", "1", "张四", pid(4), "女"],
        ["城关镇", "陈村村委会", "1组", "1", "陈一", pid(5), "户主"],
        ["城关镇", "陈村", "1组", "1", "陈二", pid(6), "配偶"],
        ["城关镇", "赵庄村委会", "1组", "1", "赵一", pid(7), "户主"]]})
    result = imp(store, ledger)
    assert (result.added, result.errors) == (7, 0)
    assert area_paths(store) == {
        "范县", "范县/城关镇", "范县/城关镇/李庄村", "范县/城关镇/李庄村/1组",
        "范县/城关镇/陈村", "范县/城关镇/陈村/1组",  # (陈村 is its name: not 陈村村, nor 陈)
        "范县/城关镇/赵庄村", "范县/城关镇/赵庄村/1组"}
    places = persons_places(store)
    assert len({places[name][1] for name in ("张一", "张二", "张三", "张四")}) == 1
    assert places["陈一"][1] == places["陈二"][1]
    with store.reading() as session:
        assert len(session.scalars(select(Household.id)).all()) == 3


def test_a_township_written_with_its_government_is_that_township(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    first = write_xlsx(tmp_path / "a.xlsx", {"全县": [
        HEADER, ["城关镇", "李庄村", "1组", "1", "张一", pid(1), "户主"]]})
    imp(store, first)
    later = write_xlsx(tmp_path / "b.xlsx", {"全县": [
        HEADER, ["城关镇政府", "李庄村", "1组", "2", "李一", pid(2), "户主"]]})
    result = imp(store, later)
    assert (result.added, result.created_areas) == (1, [])
    assert persons_places(store)["李一"][0] == "李庄村"


def test_a_new_township_is_named_without_county_or_government(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    ledger = write_xlsx(tmp_path / "a.xlsx", {"全县": [
        HEADER, ["城关镇人民政府", "李庄村委会", "1组", "1", "张一", pid(1), "户主"],
        ["城关镇", "李庄村", "1组", "1", "张二", pid(2), "配偶"],
        ["范县王楼镇", "王庄村", "1组", "1", "王一", pid(3), "户主"],
        ["王楼镇", "王庄村", "1组", "1", "王二", pid(4), "配偶"]]})
    assert imp(store, ledger).added == 4
    assert {p for p in area_paths(store) if p.count("/") == 1} == {"范县/城关镇", "范县/王楼镇"}


def test_a_new_township_one_character_off_a_registered_one_is_told(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    imp(store, write_xlsx(tmp_path / "a.xlsx", {"全县": [
        HEADER, ["城关镇", "李庄村", "1组", "1", "张一", pid(1), "户主"],
        ["王楼乡", "王庄村", "1组", "1", "王一", pid(2), "户主"]]}))
    result = imp(store, write_xlsx(tmp_path / "b.xlsx", {"全县": [
        HEADER, ["城光镇", "李庄村", "1组", "3", "李二", pid(3), "户主"],
        ["杨集乡", "杨庄村", "1组", "1", "杨一", pid(4), "户主"]]}))
    assert result.added == 2
    told = [line for line in result.created_areas if line.startswith("乡镇")]
    assert told == ["乡镇 城光镇（台账中有城关镇，只差一个字：如是笔误，请改正乡镇名后再导入）",
                    "乡镇 杨集乡"]


def test_sheets_named_township_and_village_make_the_village(store, tmp_path):
    """Two townships' 李庄村 in one workbook: the sheets are 城关镇李庄村 and 王楼乡李庄村."""
    set_station(store, name="范县", code="410926000000")
    header = ["乡镇", "村民小组", "户编号", "姓名", "身份证号", "与户主关系"]
    ledger = write_xlsx(tmp_path / "a.xlsx", {
        "城关镇李庄村": [header, ["城关镇", "1组", "1", "张一", pid(1), "户主"]],
        "王楼乡李庄村": [header, ["王楼镇", "1组", "1", "王一", pid(2), "户主"]]})
    assert imp(store, ledger).added == 2
    assert area_paths(store) == {
        "范县", "范县/城关镇", "范县/城关镇/李庄村", "范县/城关镇/李庄村/1组",
        "范县/王楼镇", "范县/王楼镇/李庄村", "范县/王楼镇/李庄村/1组"}
    later = write_xlsx(tmp_path / "b.xlsx", {"城关镇": [
        HEADER, ["城关镇", "李庄村", "1组", "2", "李一", pid(3), "户主"]]})
    result = imp(store, later)
    assert (result.added, result.created_areas) == (1, [])
    assert not any(w for f in result.findings for w in f.warnings)
