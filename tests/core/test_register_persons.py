"""Register services for persons: create, validate, update with audit, look up, duplicates."""

from __future__ import annotations

from datetime import date

import pytest
from person_sql import person_statements
from sqlalchemy import select, text

from laborstation.db.store import Actor
from laborstation.errors import DuplicateRecord, InvalidIdNumber, PermissionDenied, ValidationError
from laborstation.idnumber import make_id
from laborstation.model import AuditEntry, Person
from laborstation.services import areas, register
from laborstation.services.register import HouseholdInput, PersonInput


@pytest.fixture
def world(store, township_id):
    """范县 › 濮城镇 › 东村 (一组) and 西村, one household in 东村."""
    town_id = township_id
    east = areas.add_village(store, town_id, "东村", "410926101201")
    west = areas.add_village(store, town_id, "西村")
    group = areas.add_group(store, east.id, "一组")
    house = register.create_household(store, HouseholdInput("012", east.id, group.id))
    store.actor = Actor("张会计", "clerk")
    return {"east": east.id, "west": west.id, "group": group.id, "house": house.id}


def pid(birth=date(1990, 5, 1), seq=12, male=True) -> str:
    return make_id("410926", birth, seq, male)


def audit_rows(store, table, row_id, action=None):
    with store.reading() as s:
        query = (
            select(AuditEntry)
            .where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
            .order_by(AuditEntry.id)
        )
        if action:
            query = query.where(AuditEntry.action == action)
        return s.scalars(query).all()


def test_create_derives_sex_and_birth_from_the_id(store, world):
    number = pid(date(1985, 3, 9), 21, male=False)
    spaced = f" {number[:6]} {number[6:14]} {number[14:].lower()} "
    rec = register.create_person(
        store,
        PersonInput(
            spaced,
            "李秀英",
            household_id=world["house"],
            education="初中",
            relation="30",
            phone="138 0000 1111",
        ),
    )
    assert rec.id_number == number
    assert (rec.sex, rec.sex_name, rec.birth_date) == ("2", "女", date(1985, 3, 9))
    assert rec.birth_place == "河南省濮阳市范县"
    assert rec.age == date.today().year - 1985 - ((date.today().month, date.today().day) < (3, 9))
    assert (rec.village_id, rec.village_name, rec.group_name) == (world["east"], "东村", "一组")
    assert (rec.household_number, rec.education, rec.education_name) == ("012", "70", "初中")
    assert rec.relation_name == "女" and rec.nation_name == "汉族"
    with store.reading() as s:
        assert s.get(Person, rec.id).search_text == "李秀英 lixiuying lxy"
    inserted = audit_rows(store, "person", rec.id, "insert")
    assert len(inserted) == 1 and inserted[0].user_name == "张会计"
    assert f'"id_number": "{number}"' in inserted[0].new


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("4109261990050101", "length"),
        ("41092619900501A123", "characters"),
        ("410926199002300123", "birth_date"),
        ("999999199005010123", "region"),
    ],
)
def test_invalid_id_numbers_are_refused_with_the_reason(store, world, bad, reason):
    with pytest.raises(InvalidIdNumber) as caught:
        register.create_person(store, PersonInput(bad, "王五", village_id=world["east"]))
    assert caught.value.reason == reason
    assert "身份证号" in str(caught.value)


def test_wrong_check_digit_is_refused(store, world):
    good = pid()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(InvalidIdNumber) as caught:
        register.create_person(store, PersonInput(wrong, "王五", village_id=world["east"]))
    assert caught.value.reason == "check_digit"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("name", "  ", "姓名不能为空"),
        ("nation", "火星族", "民族「火星族」不在代码表中"),
        ("education", "99x", "文化程度"),
        ("labour_capacity", "7", "劳动能力"),
        ("local_status", "88", "就业状态"),
        ("phone", "call me", "联系电话"),
        ("died_on", date(1980, 1, 1), "死亡日期"),
    ],
)
def test_field_validation_names_the_field(store, world, field, value, words):
    data = PersonInput(pid(), "王五", village_id=world["east"])
    setattr(data, field, value)
    with pytest.raises(ValidationError) as caught:
        register.create_person(store, data)
    assert words in str(caught.value)
    assert caught.value.field == field


def test_names_of_codes_are_accepted(store, world):
    rec = register.create_person(
        store,
        PersonInput(
            pid(),
            "马强",
            village_id=world["west"],
            nation="回族",
            education="大专",
            labour_capacity="部分丧失劳动能力",
        ),
    )
    assert (rec.nation, rec.education, rec.labour_capacity) == ("03", "30", "2")
    assert rec.household_id is None and rec.village_name == "西村"


def test_a_person_needs_a_village_or_household(store, world):
    with pytest.raises(ValidationError) as caught:
        register.create_person(store, PersonInput(pid(), "王五"))
    assert caught.value.field == "village_id"


def test_second_person_with_the_same_id_is_refused_naming_the_first(store, world):
    first = register.create_person(store, PersonInput(pid(), "张三", household_id=world["house"]))
    with pytest.raises(DuplicateRecord) as caught:
        register.create_person(store, PersonInput(pid().lower(), "张叁", village_id=world["west"]))
    message = str(caught.value)
    assert "张三" in message and "东村" in message and "户编号 012" in message
    assert caught.value.existing_id == first.id
    with store.reading() as s:
        assert s.scalar(select(text("count(*)")).select_from(Person)) == 1


def test_update_writes_audit_rows_old_to_new(store, world):
    rec = register.create_person(store, PersonInput(pid(), "张三", village_id=world["east"]))
    store.actor = Actor("李所长", "head")
    new_id = pid(date(1991, 7, 2), 34, male=False)
    after = register.update_person(
        store, rec.id, name="张珊", id_number=new_id, phone="13912345678"
    )
    assert (after.name, after.sex, after.birth_date) == ("张珊", "2", date(1991, 7, 2))
    changes = {
        r.field: (r.user_name, r.old, r.new) for r in audit_rows(store, "person", rec.id, "update")
    }
    assert changes == {
        "name": ("李所长", "张三", "张珊"),
        "id_number": ("李所长", pid(), new_id),
        "sex": ("李所长", "1", "2"),
        "birth_date": ("李所长", "1990-05-01", "1991-07-02"),
        "phone": ("李所长", "", "13912345678"),
    }
    with store.reading() as s:
        assert "zhangshan" in s.get(Person, rec.id).search_text
    assert register.find_by_id_number(store, new_id).id == rec.id
    assert register.find_by_id_number(store, pid()) is None


def test_update_refuses_an_id_number_held_by_another(store, world):
    one = register.create_person(store, PersonInput(pid(), "张三", village_id=world["east"]))
    other = register.create_person(
        store, PersonInput(pid(seq=40), "李四", village_id=world["east"])
    )
    with pytest.raises(DuplicateRecord) as caught:
        register.update_person(store, other.id, id_number=one.id_number)
    assert caught.value.existing_id == one.id and "张三" in str(caught.value)
    with pytest.raises(TypeError):
        register.update_person(store, other.id, sex="2")
    with pytest.raises(ValidationError, match="随户"):
        register.update_person(
            store,
            register.create_person(
                store, PersonInput(pid(seq=50), "王五", household_id=world["house"])
            ).id,
            village_id=world["west"],
        )


def test_find_by_id_number_accepts_any_typing_and_uses_the_index(store, world):
    number = pid(date(1970, 1, 1), 99)
    register.create_person(store, PersonInput(number, "赵六", village_id=world["east"]))
    full_width = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})

    def find() -> None:
        assert register.find_by_id_number(store, full_width).name == "赵六"

    statements = person_statements(store, find)
    assert register.find_by_id_number(store, "") is None
    statement, parameters = statements[0]
    with store.engine.connect() as c:
        if store.is_sqlite:
            explain, used = "EXPLAIN QUERY PLAN ", "USING INDEX"
        else:  # PostgreSQL scans a table this small unless told not to
            c.exec_driver_sql("SET enable_seqscan = off")
            explain, used = "EXPLAIN ", "Index"
        plan = " ".join(str(row[-1]) for row in c.exec_driver_sql(explain + statement, parameters))
    assert used in plan and "id_number" in plan, plan


def test_duplicate_candidates_of_each_kind(store, world):
    birth = date(1988, 8, 8)
    same_id = register.create_person(
        store, PersonInput(pid(birth, 10), "张伟", village_id=world["west"])
    )
    same_name = register.create_person(
        store, PersonInput(pid(birth, 20), "刘洋", village_id=world["west"])
    )
    sound = register.create_person(
        store, PersonInput(pid(date(1988, 2, 3), 30), "章伟", household_id=world["house"])
    )
    register.create_person(  # same pinyin, another year: no warning
        store, PersonInput(pid(date(1989, 2, 3), 30), "张伟", household_id=world["house"])
    )
    found = register.duplicate_candidates(
        store, PersonInput(pid(birth, 10), "张伟", household_id=world["house"])
    )
    assert [(c.kind, c.person.id, c.blocking) for c in found] == [
        ("id", same_id.id, True),
        ("homophone", sound.id, False),
    ]
    assert "不能重复登记" in found[0].message and "同音" in found[1].message
    found = register.duplicate_candidates(
        store, PersonInput(pid(birth, 22), "刘洋", village_id=world["east"])
    )
    assert [(c.kind, c.person.id) for c in found] == [("name_birth", same_name.id)]
    assert "同名" in found[0].message and "西村" in found[0].message
    # the person being edited is not their own duplicate
    assert (
        register.duplicate_candidates(
            store,
            PersonInput(pid(birth, 20), "刘洋", village_id=world["west"]),
            exclude_id=same_name.id,
        )
        == []
    )
    assert register.duplicate_candidates(store, PersonInput("123", "刘洋")) == []


def test_surname_reading_counts_as_homophone(store, world):
    register.create_person(
        store, PersonInput(pid(date(1975, 1, 1), 10), "单丽", village_id=world["east"])
    )
    found = register.duplicate_candidates(
        store, PersonInput(pid(date(1975, 6, 1), 10), "善丽", village_id=world["east"])
    )
    assert [c.kind for c in found] == ["homophone"]


def test_viewer_cannot_write(store, world):
    store.actor = Actor("查询员", "viewer")
    with pytest.raises(PermissionDenied):
        register.create_person(store, PersonInput(pid(), "张三", village_id=world["east"]))
