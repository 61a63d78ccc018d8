"""A household's 村民小组 in a persons ledger (the reviewer's households and groups): a
group corrected moves the whole household once; one member's 组 mistyped leaves them in
it; a village numbering each group from 1 keeps a household per group; a sheet a village
carries its 组 down to the next households; a household stored with no group takes one."""

from __future__ import annotations

from import_world import imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.importing.apply import OVERWRITE_BOX, OVERWRITE_HOW
from laborstation.model import Area, Household, Person

HEADER = ["户编号", "行政村", "村民小组", "户主姓名", "姓名", "与户主关系", "身份证号码"]
ZHAO = [["0003", "西关村", "一组", "赵四", "赵四", "户主", pid(31)],
        ["0003", "西关村", "一组", "赵四", "赵四妻", "妻", pid(32, False)],
        ["0003", "西关村", "一组", "赵四", "赵孙女", "孙女", pid(33, False)]]


def _ledger(tmp_path, name: str, rows: list, header: list = HEADER, sheet: str = "Sheet1"):
    return write_xlsx(tmp_path / name, {sheet: [header, *rows]})


def homes(store) -> dict[str, tuple]:
    """name → (household id, 户编号, head's name, village, group) of every person."""
    with store.reading() as session:
        areas = dict(session.execute(select(Area.id, Area.name)).all())
        found = {}
        for person in session.scalars(select(Person)):
            household = person.household
            found[person.name] = None if household is None else (
                household.id, household.number, household.head and household.head.name,
                areas[household.village_id], areas.get(household.group_id))
        return found


def live_households(store) -> int:
    with store.reading() as session:
        return len(session.scalars(select(Household).where(Household.deleted_at.is_(None))).all())


def warnings(result) -> list[tuple[int, str]]:
    return [(f.row, w) for f in result.findings for w in f.warnings]


def changes(result) -> list[tuple[int, str]]:
    return [(f.row, c) for f in result.findings for c in f.changes or []]


def test_a_corrected_group_moves_the_whole_household_once_with_overwrite(
        store, station, tmp_path):
    """赵四's household listed again with 组 corrected to 二组 (赵孙女 not listed): one
    household 0003, now in 二组, all three in it; the change listed once. 东关村 numbers
    each group from 1: its 二组's household 1 (王五's) is another household."""
    first = _ledger(tmp_path, "a.xlsx", [
        *ZHAO, ["1", "东关村", "一组", "张一", "张一", "户主", pid(1)],
        ["1", "东关村", "一组", "张一", "张二", "子", pid(2)]])
    assert imp(store, first, "persons").added == 5
    before = homes(store)
    again = _ledger(tmp_path, "b.xlsx", [
        ["0003", "西关村", "二组", "赵四", "赵四", "户主", pid(31)],
        ["0003", "西关村", "二组", "赵四", "赵四妻", "妻", pid(32, False)],
        ["1", "东关村", "二组", "王五", "王五", "户主", pid(5)],
        ["1", "东关村", "二组", "王五", "张二", "子", pid(2)]])  # (moved to 王五's: 户主姓名)
    result = imp(store, again, "persons", overwrite=True)
    assert (result.added, result.updated, result.errors) == (1, 2, 0)
    zhao = before["赵四"][0]
    found = homes(store)
    assert found["赵四"] == found["赵四妻"] == found["赵孙女"] == (zhao, "0003", "赵四", "西关村", "二组")
    assert changes(result)[0] == (2, "户的村民小组：一组 → 二组")
    assert [c for _row, c in changes(result) if "村民小组" in c or "0003" in c] == [
        "户的村民小组：一组 → 二组"]
    assert not [w for _row, w in warnings(result) if "0003" in w or "户主" in w]
    assert found["张一"] == before["张一"]  # (东关村 一组's household 1 stays in 一组)
    assert found["王五"] == found["张二"] and found["王五"][1:] == ("1", "王五", "东关村", "二组")
    assert live_households(store) == 3


def test_a_corrected_group_is_told_once_without_overwrite(store, station, tmp_path):
    """Without overwrite the household stays in 一组, told once like the other fields; a
    new member listed with it joins it."""
    imp(store, _ledger(tmp_path, "a.xlsx", ZHAO), "persons")
    before = homes(store)
    again = _ledger(tmp_path, "b.xlsx", [
        ["0003", "西关村", "二组", "赵四", "赵四", "户主", pid(31)],
        ["0003", "西关村", "二组", "赵四", "赵四妻", "妻", pid(32, False)],
        ["0003", "西关村", "二组", "赵四", "赵孙子", "孙子", pid(34)]])
    result = imp(store, again, "persons")
    assert (result.added, result.updated, result.unchanged, result.households_added) == (
        1, 0, 2, 0)
    assert warnings(result) == [
        (2, "村民小组“二组”与台账中这一户（户编号 0003）的“一组”不同，未覆盖：这一户仍在一组"
            + OVERWRITE_HOW)]
    found = homes(store)
    assert found["赵孙子"] == found["赵四"] == before["赵四"]
    assert found["赵四"][4] == "一组" and live_households(store) == 1


def test_one_members_group_mistyped_in_a_file_leaves_them_in_the_household(
        store, station, tmp_path):
    """二组 typed on one member's row of 杨七's 一组 household: told on that row, and the
    member is in 杨七's household; a household of 二组 numbered alike by another head
    (its village numbering each group) is another one."""
    path = _ledger(tmp_path, "a.xlsx", [
        ["0007", "北街村", "一组", "杨七", "杨七", "户主", pid(71)],
        ["0007", "北街村", "1组", "杨七", "杨妻", "妻", pid(72, False)],
        ["0007", "北街村", "二组", "杨七", "杨女", "女", pid(74, False)],
        ["0008", "北街村", "一组", "马八", "马八", "户主", pid(81)],
        ["0008", "北街村", "二组", "牛九", "牛九", "户主", pid(91)],
        ["0008", "北街村", "二组", "牛九", "牛妻", "妻", pid(92, False)]])
    result = imp(store, path, "persons")
    assert (result.added, result.households_added) == (6, 3)
    assert warnings(result) == [
        (4, "村民小组“二组”与同一户（户编号 0007，户主杨七）的“一组”不同：已归入这一户（一组）。"
            "如果确是二组的另一户，请改正户编号后再导入")]
    found = homes(store)
    assert found["杨女"] == found["杨七"] and found["杨七"][1:] == ("0007", "杨七", "北街村", "一组")
    assert found["牛妻"] == found["牛九"] != found["马八"]
    assert found["牛九"][1:] == ("0008", "牛九", "北街村", "二组")


def test_a_members_group_mistyped_on_a_stored_household_is_told_with_overwrite(
        store, station, tmp_path):
    imp(store, _ledger(tmp_path, "a.xlsx", ZHAO), "persons")
    before = homes(store)
    again = _ledger(tmp_path, "b.xlsx", [
        ZHAO[0], ["0003", "西关村", "二组", "赵四", "赵四妻", "妻", pid(32, False)], ZHAO[2]])
    result = imp(store, again, "persons", overwrite=True)
    assert (result.updated, result.households_added) == (0, 0)
    assert warnings(result) == [
        (3, "村民小组“二组”与同一户（户编号 0003）「Sheet1」第 2 行的“一组”不同：已归入这一户"
            "（一组）。如果确是另一户，请改正户编号后再导入")]
    assert homes(store) == before


def test_without_a_head_column_a_member_under_another_group_is_told_by_its_head_row(
        store, station, tmp_path):
    """No 户主姓名 column: a member's row (与户主关系) under another 组 than its 户编号's
    one household, no 户主 row giving that 组 and number, is a slip (told, it joins the
    household); with a 户主 row there (a village numbering each group) another household.
    A household no row heads, its number in another group too, says why it has no 户主."""
    header = ["户编号", "行政村", "村民小组", "姓名", "与户主关系", "身份证号码"]
    path = _ledger(tmp_path, "a.xlsx", [
        ["0007", "北街村", "一组", "杨七", "户主", pid(71)],
        ["0007", "北街村", "二组", "杨女", "女", pid(74, False)],
        ["1", "北街村", "一组", "张一", "户主", pid(1)],
        ["1", "北街村", "二组", "王六", "子", pid(6)],  # (a member above its 户主)
        ["1", "北街村", "二组", "王五", "户主", pid(5)],
        ["9", "北街村", "一组", "李妻", "妻", pid(9, False)],  # (no 户主 row)
        ["9", "北街村", "二组", "李女", "女", pid(10, False)]], header)
    result = imp(store, path, "persons")
    assert (result.added, result.households_added) == (7, 5)
    assert warnings(result) == [
        (3, "村民小组“二组”与同一户（户编号 0007，户主杨七）的“一组”不同：已归入这一户（一组）。"
            "如果确是二组的另一户，请改正户编号后再导入"),
        (7, "新建的户（户编号 9）没有户主：户编号 9 在二组另有一户，这一行写的村民小组是一组。"
            f"如果是同一户，请改正村民小组后勾选“{OVERWRITE_BOX}”再导入；如果确是另一户，"
            "请在程序中为这一户设置户主"),
        (8, "新建的户（户编号 9）没有户主：户编号 9 在一组另有一户，这一行写的村民小组是二组。"
            f"如果是同一户，请改正村民小组后勾选“{OVERWRITE_BOX}”再导入；如果确是另一户，"
            "请在程序中为这一户设置户主")]
    found = homes(store)
    assert found["杨女"] == found["杨七"] and found["杨七"][4] == "一组"
    assert found["王六"] == found["王五"] != found["张一"] and found["王五"][4] == "二组"


SHEET = ["序号", "村民小组", "户编号", "户主姓名", "姓名", "与户主关系", "身份证号码"]


def test_a_sheet_per_village_carries_its_group_down_to_the_next_households(
        store, station, tmp_path):
    """No 行政村 column (the sheet's name): 组 written where it changes is the group of
    the households below, as with a 行政村 column; a member above its 户主 stays with them."""
    path = write_xlsx(tmp_path / "a.xlsx", {"南街村": [
        SHEET, [1, "一组", "H01", "马一", "马一", "户主", pid(1)],
        [2, None, None, None, "马妻", "妻", pid(2, False)],
        [3, None, "H02", "牛二", "牛二", "户主", pid(3)],
        [4, None, None, None, "牛妻", "妻", pid(4, False)],
        [5, "二组", "H03", "羊三", "羊三", "户主", pid(5)],
        [6, None, "H04", "鸡四", "鸡四", "户主", pid(6)]],
        "东关村": [["序号", "组", "户主", "姓名", "与户主关系", "身份证号码"],
                 [1, "一组", "孙大", "孙大", "户主", pid(7)],
                 [2, None, None, "周一", "户主", pid(8)],  # (户主 blank: his own household)
                 [3, "二组", "吴父", "吴子", "子", pid(9)],  # (a member above its 户主)
                 [4, None, None, "吴父", "户主", pid(10)]]})
    result = imp(store, path, "persons")
    assert (result.added, result.households_added) == (10, 7) and not result.findings
    assert "有 6 行" in result.summary()
    found = homes(store)
    assert {name: home[1:] for name, home in found.items()} == {
        "马一": ("H01", "马一", "南街村", "一组"), "马妻": ("H01", "马一", "南街村", "一组"),
        "牛二": ("H02", "牛二", "南街村", "一组"), "牛妻": ("H02", "牛二", "南街村", "一组"),
        "羊三": ("H03", "羊三", "南街村", "二组"), "鸡四": ("H04", "鸡四", "南街村", "二组"),
        "孙大": (None, "孙大", "东关村", "一组"), "周一": (None, "周一", "东关村", "一组"),
        "吴子": (None, "吴父", "东关村", "二组"), "吴父": (None, "吴父", "东关村", "二组")}
    assert found["吴子"] == found["吴父"]


def test_households_stored_without_a_group_take_the_files(store, station, tmp_path):
    """Stored with no 村民小组 (a ledger without the column): a ledger giving each row's
    组 fills it in, listed once a household, with and without overwrite."""
    header = ["户编号", "户主姓名", "姓名", "与户主关系", "身份证号码"]
    rows = [["H01", "马一", "马一", "户主", pid(1)], ["H01", "马一", "马妻", "妻", pid(2, False)],
            ["H02", "牛二", "牛二", "户主", pid(3)], ["H02", "牛二", "牛妻", "妻", pid(4, False)]]
    assert imp(store, _ledger(tmp_path, "a.xlsx", rows, header, "南街村"), "persons").added == 4
    before = homes(store)
    assert {home[4] for home in before.values()} == {None}
    grouped = [[row[0], g, *row[1:]] for row, g in zip(rows, ["一组", "一组", "二组", "二组"],
                                                       strict=True)]
    header = ["户编号", "村民小组", *header[1:]]
    result = imp(store, _ledger(tmp_path, "b.xlsx", grouped[:2], header, "南街村"), "persons")
    assert (result.updated, result.unchanged) == (1, 1)
    assert changes(result) == [(2, "户的村民小组：（空） → 一组")]
    result = imp(store, _ledger(tmp_path, "c.xlsx", grouped, header, "南街村"), "persons",
                 overwrite=True)
    assert changes(result) == [(4, "户的村民小组：（空） → 二组")]
    found = homes(store)
    assert {name: home[0] for name, home in found.items()} == {
        name: home[0] for name, home in before.items()}
    assert [found[name][4] for name in ("马一", "马妻", "牛二", "牛妻")] == [
        "一组", "一组", "二组", "二组"]


def test_a_household_named_by_its_head_stored_without_a_group_takes_the_files(
        store, station, tmp_path):
    """No 户编号: 吴父's household stored with no group is found by a row of a group naming
    him, even a member's above his own (with overwrite), and takes the group."""
    header = ["户主姓名", "姓名", "与户主关系", "身份证号码"]
    first = [["吴父", "吴父", "户主", pid(8)], ["吴父", "吴子", "子", pid(7)]]
    imp(store, _ledger(tmp_path, "a.xlsx", first, header, "南街村"), "persons")
    before = homes(store)
    again = [["三组", "吴父", "吴子", "子", pid(7)], ["三组", "吴父", "吴父", "户主", pid(8)]]
    result = imp(store, _ledger(tmp_path, "b.xlsx", again, ["村民小组", *header], "南街村"),
                 "persons", overwrite=True)
    assert (result.households_added, changes(result)) == (0, [(2, "户的村民小组：（空） → 三组")])
    found = homes(store)
    assert found["吴子"] == found["吴父"] == (before["吴父"][0], None, "吴父", "南街村", "三组")
