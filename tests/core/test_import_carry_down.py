"""Persons ledgers that leave cells to the row above: a household's members under its head
with 户编号, 户主姓名, 行政村 or 村民小组 blank, and cells written 同上 (the fifth review)."""

from __future__ import annotations

from import_world import imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.model import Area, Household, Person

HEADER = ["行政村", "村民小组", "户编号", "户主姓名", "姓名", "身份证号", "与户主关系", "家庭住址",
          "民族"]


def households(store) -> dict[str, tuple]:
    """name → (household number, head's name, village, group) of every person."""
    with store.reading() as session:
        people = session.scalars(select(Person)).all()
        areas = dict(session.execute(select(Area.id, Area.name)).all())
        found = {}
        for person in people:
            household = person.household
            found[person.name] = None if household is None else (
                household.number, household.head.name if household.head else None,
                areas[household.village_id], areas.get(household.group_id))
        return found


def test_members_under_their_head_take_its_household(store, station, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"花名册": [
        HEADER,
        ["李庄村", "一组", "1", "张建国", "张建国", pid(1), "户主", "李庄村一组8号", "汉族"],
        [None, None, None, None, "李秀英", pid(2, False), "妻", None, None],
        [None, None, None, None, "张伟", pid(3), "之子", None, None],  # (a word not in the list)
        [None, "二组", "1", "王五", "王五", pid(4), "户主", "李庄村二组3号", "回族"],  # the village above
        [None, None, None, None, "王六", pid(5), "子", "同上", "同上"],
        ["王庄村", None, "1", "赵大", "赵大", pid(6), "户主", None, None],  # a village, no group
        [None, None, None, None, "赵二", pid(7), "子", None, None],
        [None, None, None, None, "孙某", pid(8), None, None, None],  # no relation: a blank
    ]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (7, 1) and result.accounted
    assert "行政村" in result.error_findings[0].reason  # (new, and no village of its own)
    assert "有 5 行" in result.summary()
    assert households(store) == {
        "张建国": ("1", "张建国", "李庄村", "一组"), "李秀英": ("1", "张建国", "李庄村", "一组"),
        "张伟": ("1", "张建国", "李庄村", "一组"), "王五": ("1", "王五", "李庄村", "二组"),
        "王六": ("1", "王五", "李庄村", "二组"), "赵大": ("1", "赵大", "王庄村", None),
        "赵二": ("1", "赵大", "王庄村", None)}
    with store.reading() as session:
        wang = session.scalars(select(Person).where(Person.name == "王六")).one()
        assert (wang.nation, wang.address) == ("03", "李庄村二组3号")  # 同上: the row above's
        assert len(session.scalars(select(Household)).all()) == 3


def test_a_refused_head_still_places_the_members_below_it(store, station, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"花名册": [
        HEADER,
        ["李庄村", "一组", "1", "张建国", "张建国", pid(1), "户主", None, None],
        ["李庄村", "一组", "2", "王五", "王五", "41092619600101105", "户主", None, None],  # 17位
        [None, None, None, None, "王六", pid(5), "子", None, None],
    ]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (2, 1)
    assert households(store)["王六"] == ("2", None, "李庄村", "一组")  # not 张建国's


def test_a_head_row_with_no_number_is_no_member_of_the_household_above(store, station, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"花名册": [
        HEADER,
        ["李庄村", "一组", "1", "张建国", "张建国", pid(1), "户主", None, None],
        ["李庄村", "一组", None, None, "王五", pid(4), "户主", None, None],
        ["同上", "同上", None, None, "王六", pid(5), "子", None, None],
    ]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (3, 0)
    found = households(store)
    assert found["王五"] == found["王六"] == (None, "王五", "李庄村", "一组")
    assert "有 1 行" in result.summary()  # (王六: a head's row with its cells blank takes none)
