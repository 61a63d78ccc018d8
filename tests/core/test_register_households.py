"""Register services for households: members, head, moves, soft delete, restore, recycle bin."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from laborstation.db.store import Actor
from laborstation.errors import DuplicateRecord, NotFound, ValidationError
from laborstation.idnumber import make_id
from laborstation.model import AuditEntry, Household, Person
from laborstation.services import areas, recycle, register
from laborstation.services.register import HouseholdInput, PersonInput


@pytest.fixture
def world(store, township_id):
    """范县 › 濮城镇 › 东村 (一组, 二组) and 西村 (一组)."""
    town_id = township_id
    east = areas.add_village(store, town_id, "东村", "410926101201")
    west = areas.add_village(store, town_id, "西村")
    store.actor = Actor("张会计", "clerk")
    return {
        "east": east.id,
        "west": west.id,
        "east1": areas.add_group(store, east.id, "一组").id,
        "east2": areas.add_group(store, east.id, "二组").id,
        "west1": areas.add_group(store, west.id, "一组").id,
    }


def pid(seq: int, year: int = 1980, male: bool = True) -> str:
    return make_id("410926", date(year, 1, 15), seq, male)


def family(store, world, number="001", village="east", group="east1", size=3):
    """A household with a head (relation 02) and ``size - 1`` children."""
    house = register.create_household(
        store, HouseholdInput(number, world[village], world[group], address="东村 1 号")
    )
    base = int(number) * 10
    people = [
        register.create_person(
            store, PersonInput(pid(base), f"户主{number}", household_id=house.id, relation="02")
        )
    ]
    for i in range(1, size):
        people.append(
            register.create_person(
                store,
                PersonInput(
                    pid(base + i, 2005), f"子{number}{i}", household_id=house.id, relation="20"
                ),
            )
        )
    return house.id, [p.id for p in people]


def audit(store, table, row_id, field):
    with store.reading() as s:
        return [
            (r.action, r.user_name, r.old, r.new)
            for r in s.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.table_name == table,
                    AuditEntry.row_id == row_id,
                    AuditEntry.field == field,
                )
                .order_by(AuditEntry.id)
            )
        ]


def test_create_household_and_members_with_head(store, world):
    house, (head, child, _) = family(store, world)
    rec = register.get_household(store, house)
    assert (rec.number, rec.village_name, rec.group_name, rec.category_name) == (
        "001",
        "东村",
        "一组",
        "一般户",
    )
    assert (rec.head_id, rec.head_name) == (head, "户主001")
    assert [m.id for m in rec.members][0] == head and rec.members[0].is_head
    assert {m.village_id for m in rec.members} == {world["east"]}
    assert audit(store, "household", house, "head_id") == [("update", "张会计", None, str(head))]
    with pytest.raises(ValidationError, match="已有户主户主001"):
        register.create_person(
            store, PersonInput(pid(99), "另一户主", household_id=house, relation="户主")
        )


def test_households_numbered_in_each_group_share_numbers(store, world):
    """Ledgers number the households of each 村民小组 from 1, and the import keeps them so:
    editing either household numbered 3 was refused (「东村」已有户编号 3 的户)."""
    one = register.create_household(store, HouseholdInput("3", world["east"], world["east1"]))
    two = register.create_household(store, HouseholdInput("3", world["east"], world["east2"]))
    assert register.update_household(store, two.id, phone="13800000000").phone == "13800000000"
    with store.session() as session:  # (an older household 3 of no group, made beside them)
        from laborstation.model import Household
        session.add(Household(number="3", village_id=world["east"], address="", phone="",
                              category="0", notes=""))
    form = {"number": "3", "village_id": world["east"], "group_id": world["east1"]}
    assert register.update_household(store, one.id, phone="1", **form).phone == "1"  # (a form)
    with pytest.raises(DuplicateRecord, match="已有户编号 3"):
        register.create_household(store, HouseholdInput("3", world["east"], world["east1"]))
    with pytest.raises(DuplicateRecord, match="已有户编号 3"):  # (no group: either could be it)
        register.create_household(store, HouseholdInput("3", world["east"]))
    with pytest.raises(DuplicateRecord, match="已有户编号 3"):
        register.update_household(store, one.id, group_id=world["east2"])


def test_household_validation(store, world):
    register.create_household(store, HouseholdInput("001", world["east"]))
    with pytest.raises(DuplicateRecord, match="已有户编号 001"):
        register.create_household(store, HouseholdInput("001", world["east"]))
    assert register.create_household(store, HouseholdInput("001", world["west"])).number == "001"
    with pytest.raises(ValidationError, match="不属于「东村」"):
        register.create_household(store, HouseholdInput("002", world["east"], world["west1"]))
    with pytest.raises(ValidationError, match="户类别"):
        register.create_household(store, HouseholdInput("002", world["east"], category="9"))
    assert (
        register.create_household(
            store, HouseholdInput(" ", world["east"], category="脱贫户")
        ).category
        == "1"
    )


def test_update_household_village_moves_members(store, world):
    house, members = family(store, world)
    rec = register.update_household(store, house, village_id=world["west"], category="3")
    assert (rec.village_name, rec.group_id, rec.category_name) == ("西村", None, "低保户")
    assert {m.village_name for m in rec.members} == {"西村"}
    assert audit(store, "person", members[1], "village_id") == [
        ("update", "张会计", str(world["east"]), str(world["west"]))
    ]
    assert audit(store, "household", house, "category") == [("update", "张会计", "0", "3")]


def test_move_person_between_households(store, world):
    first, (head1, child1, _) = family(store, world, "001")
    second, (head2, _c) = family(store, world, "002", "west", "west1", size=2)
    moved = register.move_person(store, child1, second, relation="女")
    assert (moved.household_id, moved.village_name, moved.relation) == (second, "西村", "30")
    assert moved.group_name == "一组" and moved.household_number == "002"
    assert audit(store, "person", child1, "household_id") == [
        ("update", "张会计", str(first), str(second))
    ]
    # the head of 001 moves to 002, which has a head: 001 loses its head, relation cleared
    moved = register.move_person(store, head1, second)
    assert moved.relation is None and "没有户主" in moved.note
    assert register.get_household(store, first).head_id is None
    assert register.get_household(store, second).head_id == head2
    # back to 001, which now has no head: a former 户主 relation given makes them head again
    register.move_person(store, head1, first, relation="02")
    assert register.get_household(store, first).head_name == "户主001"
    with pytest.raises(ValidationError, match="已有户主"):
        register.move_person(store, child1, first, relation="02")
    out = register.move_person(store, child1, None)
    assert (out.household_id, out.village_name) == (None, "西村")


def test_set_head(store, world):
    house, (head, child, _) = family(store, world)
    rec = register.set_head(store, house, child)
    assert (rec.head_id, rec.head_name) == (child, "子0011")
    assert rec.members[0].id == child and rec.members[0].relation == "02"
    assert "原户主户主001" in rec.note
    assert next(m for m in rec.members if m.id == head).relation == "02"  # left for the clerk
    assert audit(store, "household", house, "head_id")[-1] == (
        "update",
        "张会计",
        str(head),
        str(child),
    )
    other, (stranger, _s) = family(store, world, "002", size=2)
    with pytest.raises(ValidationError, match="不是该户"):
        register.set_head(store, house, stranger)


def test_household_number_suggestion(store, world):
    assert register.household_number_suggestion(store, world["east"]) == "001"
    register.create_household(store, HouseholdInput("009", world["east"]))
    register.create_household(store, HouseholdInput("012", world["east"]))
    register.create_household(store, HouseholdInput("东村-7", world["west"]))
    assert register.household_number_suggestion(store, world["east"]) == "013"
    assert register.household_number_suggestion(store, world["west"]) == "东村-8"


def test_delete_and_restore_a_person(store, world):
    house, (head, child, _) = family(store, world)
    gone = register.delete_person(store, head)
    assert gone.deleted_at is not None
    assert register.get_household(store, house).head_id is None
    assert [m.id for m in register.get_household(store, house).members] == [child, _]
    assert audit(store, "person", head, "deleted_at")[0][:3] == ("delete", "张会计", None)
    assert register.find_by_id_number(store, gone.id_number) is None
    back = register.restore_person(store, head)
    assert back.deleted_at is None and back.is_head
    assert audit(store, "person", head, "deleted_at")[-1][0] == "restore"
    with store.reading() as s:
        assert s.get(Person, head) is not None  # never hard-deleted


def test_restore_refused_when_the_id_is_taken_again(store, world):
    house, (head, child, _) = family(store, world)
    number = register.get_person(store, child).id_number
    register.delete_person(store, child)
    found = register.duplicate_candidates(store, PersonInput(number, "新人", household_id=house))
    assert [c.kind for c in found] == ["recycled"]
    again = register.create_person(store, PersonInput(number, "新人", village_id=world["west"]))
    with pytest.raises(DuplicateRecord) as caught:
        register.restore_person(store, child)
    assert "新人" in str(caught.value) and caught.value.existing_id == again.id
    assert register.get_person(store, child).deleted_at is not None


def test_delete_and_restore_a_household_with_its_members(store, world):
    house, members = family(store, world)
    other, _ = family(store, world, "002")
    earlier = register.delete_person(store, members[2])  # deleted before: stays deleted
    rec = register.delete_household(store, house)
    assert rec.deleted_at is not None
    assert [m.id for m in rec.members] == members[:2]
    assert all(m.deleted_at == rec.deleted_at for m in rec.members)
    with store.reading() as s:
        live = s.scalars(select(Person.id).where(Person.deleted_at.is_(None))).all()
    assert set(live).isdisjoint(members)
    with pytest.raises(ValidationError, match="请先恢复该户"):
        register.restore_person(store, members[0])
    with pytest.raises(NotFound):
        register.move_person(store, members[1], house)

    items = recycle.recycle_bin(store)
    assert [(i.kind, i.id) for i in items] == [("household", house), ("person", earlier.id)]
    assert "户 001" in items[0].label and "户主 户主001" in items[0].label
    assert "含 2 名成员" in items[0].label and items[0].kind_name == "户"
    assert "子0012" in items[1].label and "*" in items[1].label

    back = recycle.restore(store, "household", house)
    assert back.deleted_at is None and [m.id for m in back.members] == members[:2]
    assert back.head_id == members[0]
    assert register.get_person(store, members[2]).deleted_at is not None
    assert [i.id for i in recycle.recycle_bin(store)] == [earlier.id]
    assert register.get_household(store, other).deleted_at is None


def test_restore_household_refused_when_a_member_id_is_taken(store, world):
    house, members = family(store, world)
    number = register.get_person(store, members[1]).id_number
    register.delete_household(store, house)
    register.create_person(store, PersonInput(number, "同号人", village_id=world["west"]))
    with pytest.raises(DuplicateRecord, match="同号人"):
        register.restore_household(store, house)
    with store.reading() as s:
        assert s.get(Household, house).deleted_at is not None
        assert s.get(Person, members[0]).deleted_at is not None  # nothing half-restored


def test_households_in_a_village(store, world):
    family(store, world, "010")
    family(store, world, "002", size=1)
    family(store, world, "003", "west", "west1", size=1)
    listed = register.households_in(store, world["east"])
    assert [h.number for h in listed] == ["002", "010"]
    assert [len(h.members) for h in listed] == [1, 3]
    assert register.households_in(store, world["east"], world["east2"]) == []


def test_relation_change_follows_the_head(store, world):
    house, (head, child, _) = family(store, world)
    register.update_person(store, head, relation="50")
    assert register.get_household(store, house).head_id is None
    with pytest.raises(ValidationError, match="没有所属户"):
        register.update_person(
            store,
            register.create_person(
                store, PersonInput(pid(700), "独居", village_id=world["west"])
            ).id,
            relation="02",
        )
    register.update_person(store, child, relation="户主")
    assert register.get_household(store, house).head_name == "子0011"
    gone = register.delete_person(store, child)
    assert "没有户主" in gone.note
    assert register.get_household(store, house).head_id is None


def test_household_numbers_stay_unique_in_a_village(store, world):
    first, _ = family(store, world, "001", size=1)
    second, _ = family(store, world, "002", size=1)
    with pytest.raises(DuplicateRecord, match="户主 户主001"):
        register.update_household(store, second, number="001")
    register.delete_household(store, first)
    register.update_household(store, second, number="001")  # free while 001 is in the bin
    with pytest.raises(DuplicateRecord, match="已有户编号 001"):
        register.restore_household(store, first)
    assert register.get_household(store, first).deleted_at is not None
    assert register.get_household(store, first).members[0].deleted_at is not None
