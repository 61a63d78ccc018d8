"""Persons of the register: create, update, look up, soft delete and restore.

Sex and birth date are never typed: they follow the ID number. A live person's
ID number is unique (a partial unique index backs the check). The village of a
person with a household is the household's village.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from laborstation import idnumber
from laborstation.errors import DuplicateRecord, NotFound, ValidationError
from laborstation.model import Area, Household, Person
from laborstation.model.area import VILLAGE
from laborstation.search_keys import search_text
from laborstation.services._checks import (
    check_code,
    clean_notes,
    clean_text,
    now,
    require_writer,
)
from laborstation.services.register_types import (
    HEAD_RELATION,
    PERSON_FIELDS,
    PersonInput,
    PersonRecord,
    describe,
    live_household,
    live_person,
    person_record,
    with_note,
)

__all__ = [
    "create_person",
    "delete_person",
    "find_by_id_number",
    "get_person",
    "id_holder",
    "place_in_household",
    "restore_person",
    "update_person",
]

_PHONE_CHARS = set("0123456789-+()（） ,，、/;；")
# field -> (label, max length) for plain text
_TEXTS = {
    "name": ("姓名", 40),
    "phone": ("联系电话", 40),
    "skills": ("技能特长", 200),
    "training_wish": ("培训意愿", 200),
    "address": ("住址", 200),
}
# field -> (code list, label, required)
_CODES = {
    "nation": ("nation", "民族", True),
    "education": ("education", "文化程度", False),
    "labour_capacity": ("labour_capacity", "劳动能力", True),
    "local_status": ("local_status", "就业状态", False),
    "relation": ("relation", "与户主关系", False),
}


def id_holder(session: Session, number: str, exclude_id: int | None = None) -> Person | None:
    """The live person holding a (normalised) ID number; an indexed look-up."""
    query = select(Person).where(Person.id_number == number, Person.deleted_at.is_(None))
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    return session.scalars(query.limit(1)).first()


def _refuse_taken(session: Session, number: str, exclude_id: int | None = None) -> None:
    holder = id_holder(session, number, exclude_id)
    if holder is not None:
        raise DuplicateRecord(
            f"身份证号 {number} 已登记：{describe(person_record(session, holder))}，"
            "不能重复登记同一个人。",
            holder.id,
        )


def _date(value, field: str, label: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{label}「{value}」不是有效日期（应为 年-月-日）。", field) from None


def _clean(field: str, value):
    """One typed value as it is stored; raises ValidationError naming the field in Chinese."""
    if field in _TEXTS:
        label, max_len = _TEXTS[field]
        text = clean_text(value, field, label, max_len=max_len, required=field == "name")
        if field == "phone" and not set(text) <= _PHONE_CHARS:
            raise ValidationError(f"联系电话「{text}」只能有数字和分隔符。", field)
        return text
    if field in _CODES:
        list_name, label, required = _CODES[field]
        return check_code(list_name, value, field, label, required=required)
    if field == "is_rural":
        return bool(value)
    if field == "died_on":
        died = _date(value, field, "死亡日期")
        if died is not None and died > date.today():
            raise ValidationError(f"死亡日期 {died.isoformat()} 晚于今天。", field)
        return died
    if field == "notes":
        return clean_notes(value)
    raise TypeError(f"not a person field: {field!r}")


def _check_dates(person: Person) -> None:
    if person.died_on is not None and person.died_on < person.birth_date:
        raise ValidationError(
            f"死亡日期 {person.died_on.isoformat()} 早于出生日期 {person.birth_date.isoformat()}。",
            "died_on",
        )


def _set_id(session: Session, person: Person, raw: str) -> None:
    info = idnumber.parse(raw)
    if info.number == person.id_number:
        return
    _refuse_taken(session, info.number, person.id)
    person.id_number, person.sex, person.birth_date = info.number, info.sex, info.birth_date


def _live_village(session: Session, village_id: int) -> Area:
    village = session.get(Area, village_id)
    if village is None or village.deleted_at is not None:
        raise NotFound(f"找不到村（编号 {village_id}），可能已被删除。")
    if village.level != VILLAGE:
        raise ValidationError(f"「{village.name}」不是行政村。", "village_id")
    return village


def _set_relation(session: Session, person: Person, household: Household | None, relation) -> None:
    """Write the relation; 户主 makes the person the head (refused if the household has one)."""
    if relation == HEAD_RELATION:
        if household is None:
            raise ValidationError("没有所属户的人员不能是户主。", "relation")
        if household.head_id not in (None, person.id):
            head = session.get(Person, household.head_id)
            raise ValidationError(
                f"该户已有户主{head.name if head else ''}：请用“设为户主”更换户主。", "relation"
            )
        session.flush()  # a new person needs an id first
        household.head_id = person.id
    elif household is not None and household.head_id == person.id:
        household.head_id = None
    person.relation = relation


def place_in_household(
    session: Session, person: Person, household: Household | None, relation=...
) -> str:
    """Move a person into ``household`` (None: out of any). Returns a note for the clerk.

    The village follows the household. A head leaving a household leaves it
    without a head. ``relation`` left out: a former 户主 becomes head of a
    household that has none, else the relation is cleared for the clerk to fill.
    """
    note = ""
    old = session.get(Household, person.household_id) if person.household_id else None
    same = old is not None and household is not None and old.id == household.id
    if old is not None and not same and old.head_id == person.id:
        old.head_id = None
        note = f"原户（户编号 {old.number or old.id}）现在没有户主，请为其设置户主。"
    person.household_id = household.id if household is not None else None
    if household is not None:
        person.village_id = household.village_id
    if relation is ...:
        relation = person.relation
        taken = household is None or household.head_id is not None
        if relation == HEAD_RELATION and not same and taken:
            relation = None
            note += "与户主关系已清空，请重新填写。"
    else:
        relation = _clean("relation", relation)
    _set_relation(session, person, household, relation)
    return note


def create_person(store, data: PersonInput) -> PersonRecord:
    """Register a person. A live person with the same ID number: ``DuplicateRecord``."""
    require_writer(store)
    info = idnumber.parse(data.id_number)
    with _id_number_guard(store, lambda: info.number), store.session() as s:
        _refuse_taken(s, info.number)
        values = {
            f: _clean(f, getattr(data, f))
            for f in PERSON_FIELDS
            if f not in ("id_number", "household_id", "village_id", "relation")
        }
        person = Person(
            id_number=info.number,
            sex=info.sex,
            birth_date=info.birth_date,
            search_text=search_text(values["name"]),
            **values,
        )
        _check_dates(person)
        relation = _clean("relation", data.relation)
        if data.household_id is not None:
            household = live_household(s, data.household_id)
            person.village_id = household.village_id
        elif data.village_id is not None:
            household = None
            person.village_id = _live_village(s, data.village_id).id
        else:
            raise ValidationError("请选择人员所在的户或村。", "village_id")
        person.household_id = household.id if household else None
        s.add(person)
        _set_relation(s, person, household, relation)
        s.flush()
        return person_record(s, person)


@contextmanager
def _id_number_guard(store, number: Callable[[], str]) -> Iterator[None]:
    """Another writer may register the same number between our check and our commit
    (two clerks at once on a server): the unique index refuses ours, and the clerk gets
    the same ``DuplicateRecord`` as from the check, not a database error."""
    try:
        yield
    except IntegrityError as error:
        if not _is_id_number_clash(error):
            raise
        raise _taken_meanwhile(store, number()) from None


def _is_id_number_clash(error: IntegrityError) -> bool:
    """The live-ID-number unique index (PostgreSQL names it; SQLite names the column)."""
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    if constraint:
        return constraint == "uq_person_id_number_live"
    return "person.id_number" in str(error.orig)


def _taken_meanwhile(store, number: str) -> DuplicateRecord:
    with store.reading() as other:  # our transaction is aborted: look in a new one
        holder = id_holder(other, number)
        who = f"：{describe(person_record(other, holder))}，" if holder is not None else "，"
        return DuplicateRecord(
            f"身份证号 {number} 已登记{who}不能重复登记同一个人。",
            holder.id if holder is not None else None,
        )


def update_person(store, person_id: int, **changes) -> PersonRecord:
    """Change some fields (names as in ``PersonInput``). A new ID number re-derives sex and
    birth date; a new ``household_id`` moves the person (see ``place_in_household``)."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"not person fields: {', '.join(sorted(unknown))}")
    require_writer(store)
    number = lambda: idnumber.normalise(changes.get("id_number") or "")  # noqa: E731
    with _id_number_guard(store, number), store.session() as s:
        person = live_person(s, person_id)
        if "id_number" in changes:
            _set_id(s, person, changes["id_number"])
        for field, value in changes.items():
            if field in ("id_number", "household_id", "village_id", "relation"):
                continue
            setattr(person, field, _clean(field, value))
        if "name" in changes:
            person.search_text = search_text(person.name)
        _check_dates(person)
        if "household_id" in changes and changes["household_id"] != person.household_id:
            target = changes["household_id"]
            household = live_household(s, target) if target is not None else None
            place_in_household(s, person, household, changes.get("relation", ...))
        elif "relation" in changes:
            household = session_household(s, person)
            _set_relation(s, person, household, _clean("relation", changes["relation"]))
        if "village_id" in changes and changes["village_id"] != person.village_id:
            if person.household_id is not None:
                raise ValidationError(
                    "有所属户的人员随户所在的村，请把人员迁到该村的户。", "village_id"
                )
            if changes["village_id"] is None:
                raise ValidationError("请选择人员所在的村。", "village_id")
            person.village_id = _live_village(s, changes["village_id"]).id
        s.flush()
        return person_record(s, person)


def session_household(session: Session, person: Person) -> Household | None:
    return session.get(Household, person.household_id) if person.household_id else None


def get_person(store, person_id: int) -> PersonRecord:
    """A person, live or in the recycle bin (see ``deleted_at``)."""
    with store.reading() as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotFound(f"找不到人员（编号 {person_id}）。")
        return person_record(s, person)


def find_by_id_number(store, id_number: str) -> PersonRecord | None:
    """The live person with this ID number (typed any way: spaces, full width, 15 digits)."""
    number = idnumber.normalise(id_number)
    if not number:
        return None
    with store.reading() as s:
        person = id_holder(s, number)
        return person_record(s, person) if person else None


def delete_person(store, person_id: int) -> PersonRecord:
    """Send a person to the recycle bin. A head leaves the household without a head."""
    require_writer(store)
    with store.session() as s:
        person = live_person(s, person_id)
        household = session_household(s, person)
        note = ""
        if household is not None and household.head_id == person.id:
            household.head_id = None
            note = f"该户（户编号 {household.number or household.id}）现在没有户主。"
        person.deleted_at = now()
        s.flush()
        return with_note(person_record(s, person), note)


def restore_person(store, person_id: int) -> PersonRecord:
    """Bring a person back from the recycle bin.

    Refused when another live person now holds the ID number, or when the
    person's household is itself in the recycle bin (restore the household).
    A 户主 coming back to a household without a head is its head again.
    """
    require_writer(store)
    with _id_number_guard(store, lambda: get_person(store, person_id).id_number), \
            store.session() as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotFound(f"找不到人员（编号 {person_id}）。")
        if person.deleted_at is None:
            return person_record(s, person)
        household = session_household(s, person)
        if household is not None and household.deleted_at is not None:
            raise ValidationError(
                f"{person.name}所在的户（户编号 {household.number or household.id}）也在回收站中，"
                "请先恢复该户。",
                "household_id",
            )
        holder = id_holder(s, person.id_number, person.id)
        if holder is not None:
            raise DuplicateRecord(
                f"不能恢复{person.name}：身份证号 {person.id_number} 现已登记为 "
                f"{describe(person_record(s, holder))}。",
                holder.id,
            )
        person.deleted_at = None
        if person.relation == HEAD_RELATION and household is not None and household.head_id is None:
            household.head_id = person.id
        s.flush()
        return person_record(s, person)
