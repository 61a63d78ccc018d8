"""browse: the register's query service (ids filtered and sorted in SQL, rows by id)."""

from __future__ import annotations

from datetime import date

import pytest

from laborstation.services import areas, browse, browse_households, register
from laborstation.services.station import set_station

MAN_1970 = "410926197003250488"  # check digit valid; sex from digit 17


@pytest.fixture
def village(store):
    station = set_station(store, name="辛庄镇", code="410926100000")
    return areas.add_village(store, station.area_id, "东村")


def _person(store, village, id_number, name, **kw):
    return register.create_person(
        store, register.PersonInput(id_number=id_number, name=name, village_id=village.id, **kw))


def _ids(store, **kw):
    return browse.person_ids(store, browse.PersonQuery(**kw))


def test_text_search_kinds(store, village):
    from laborstation.idnumber import make_id

    a = _person(store, village, make_id("410926", date(1970, 3, 25), 48, False), "张三丰",
                phone="13812345678")
    b = _person(store, village, make_id("410926", date(1985, 1, 2), 11, True), "李四")
    assert _ids(store, text="张三") == [a.id]
    assert _ids(store, text="三丰") == [a.id]
    assert _ids(store, text="zsf") == [a.id]
    assert _ids(store, text="ZhangSan") == [a.id]
    assert _ids(store, text="4109261970") == [a.id]
    assert _ids(store, text="1381234") == [a.id]
    assert _ids(store, text="410926") == [a.id, b.id]
    assert _ids(store, text="%") == []
    assert _ids(store, text="li si") == [b.id]


def test_filters_and_sort(store, village):
    from laborstation.idnumber import make_id

    old = _person(store, village, make_id("410926", date(1950, 1, 1), 1, True), "王老")
    young = _person(store, village, make_id("410926", date(1990, 1, 1), 3, True), "王青",
                    local_status="31")
    child = _person(store, village, make_id("410926", date(2015, 1, 1), 5, True), "王小")
    today = date(2026, 6, 1)
    assert _ids(store, rural_labour=True, today=today) == [young.id]
    assert set(_ids(store, rural_labour=False, today=today)) == {old.id, child.id}
    assert _ids(store, local_status="31") == [young.id]
    assert _ids(store, sort="birth_date") == [old.id, young.id, child.id]
    assert _ids(store, sort="birth_date", descending=True) == [child.id, young.id, old.id]
    assert _ids(store, village_id=village.id, text="wq") == [young.id]
    register.delete_person(store, child.id)
    assert child.id not in _ids(store)
    assert _ids(store, include_deleted=True) == [child.id]
    rows = browse.person_rows(store, [young.id, old.id], today=today)
    assert [r.name for r in rows] == ["王青", "王老"]
    assert rows[0].age == 36 and rows[0].village == "东村"


def test_households_and_totals(store, village):
    from laborstation.idnumber import make_id

    household = register.create_household(
        store, register.HouseholdInput(number="001", village_id=village.id, category="1"))
    head = register.create_person(store, register.PersonInput(
        id_number=make_id("410926", date(1960, 5, 5), 7, True), name="赵大",
        household_id=household.id, relation="02"))
    ids = browse_households.household_ids(store, browse_households.HouseholdQuery(text="zd"))
    assert ids == [household.id]
    row = browse_households.household_rows(store, ids)[0]
    assert (row.head_name, row.members, row.category) == ("赵大", 1, "1")
    assert _ids(store, category="1") == [head.id]
    totals = browse_households.totals(store)
    assert totals["persons"] == 1 and totals["households"] == 1
    nodes = {n.name: n for n in browse_households.area_nodes(store)}
    assert nodes["东村"].persons == 1


def test_hard_to_employ_and_placed_filters(store, village):
    from laborstation.idnumber import make_id
    from laborstation.model import HardToEmploy, Placement

    a = _person(store, village, make_id("410926", date(1980, 1, 1), 9, True), "甲")
    b = _person(store, village, make_id("410926", date(1981, 1, 1), 9, True), "乙")
    with store.session() as s:
        s.add(HardToEmploy(person_id=a.id, category="01", recognised_on=date(2025, 1, 1)))
        s.add(Placement(person_id=b.id, start_on=date(2025, 3, 1)))
    assert _ids(store, hard_to_employ=True) == [a.id]
    assert _ids(store, hard_to_employ=False) == [b.id]
    assert _ids(store, placed_in_year=2025) == [b.id]
    assert _ids(store, placed_in_year=2024) == []


@pytest.mark.parametrize("text", ["", "4109", "w", "王", "1391", "zzz"])
def test_person_page_agrees_with_person_ids(store, village, monkeypatch, text):
    from laborstation.idnumber import make_id

    people = [
        _person(store, village, make_id("410926", date(1960 + i, 1, 1 + i), 10 + i, i % 2 == 0),
                name, phone=f"1391234{i:04d}")
        for i, name in enumerate(["王一", "汪二", "吴三", "王四", "魏五", "张六"])
    ]
    register.delete_person(store, people[3].id)
    monkeypatch.setattr(browse, "LARGE", 1)  # take the head-and-count road for any size
    for sort in ("default", "name", "birth_date"):
        query = browse.PersonQuery(text=text, sort=sort)
        every = browse.person_ids(store, query)
        page = browse.person_page(store, query, head=2)
        assert page.total == len(every), (text, sort)
        assert page.ids == every[:2], (text, sort)
        assert page.complete == (len(every) <= 2)


def test_typing_on_looks_only_among_the_shorter_keys_candidates(store, village):
    from laborstation.idnumber import make_id

    for i, name in enumerate(["张三丰", "张三", "章山", "赵四", "张山峰"]):
        _person(store, village, make_id("410926", date(1970 + i, 2, 3), 20 + i, True), name,
                phone=f"1380000{i:04d}")
    for short, longer in (("z", "zs"), ("zs", "zsf"), ("zhang", "zhangsan"), ("4109", "4109261971"),
                          ("138", "13800000003"), ("张", "张三")):
        first = browse.person_page(store, browse.PersonQuery(text=short))
        assert first.candidates is not None
        narrowed = browse.person_page(store, browse.PersonQuery(text=longer),
                                      within=first.candidates)
        assert narrowed.ids == browse.person_ids(store, browse.PersonQuery(text=longer)), longer
