"""The plain values the register services take and return (no ORM object leaves a service)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborstation import idnumber
from laborstation.errors import InvalidIdNumber, NotFound
from laborstation.model import Area, Household, Person
from laborstation.services._checks import code_name

HEAD_RELATION = "02"  # 户主 in the relation code list


@dataclass(slots=True)
class PersonInput:
    """What a clerk types for a person. Sex and birth date come from the ID number."""

    id_number: str
    name: str
    nation: str = "01"
    education: str | None = None
    phone: str = ""
    household_id: int | None = None
    village_id: int | None = None  # only for a person without a household
    relation: str | None = None
    labour_capacity: str = "1"
    is_rural: bool = True
    local_status: str | None = None
    skills: str = ""
    training_wish: str = ""
    address: str = ""
    died_on: date | None = None
    notes: str = ""


PERSON_FIELDS = tuple(PersonInput.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: int
    id_number: str
    name: str
    sex: str  # '1' / '2'
    sex_name: str  # 男 / 女
    birth_date: date
    age: int  # today
    birth_place: str  # from the ID's region code, '' if unknown
    nation: str
    education: str | None
    phone: str
    household_id: int | None
    household_number: str | None
    village_id: int | None
    village_name: str
    group_name: str
    relation: str | None
    labour_capacity: str
    is_rural: bool
    local_status: str | None
    skills: str
    training_wish: str
    address: str
    died_on: date | None
    notes: str
    deleted_at: datetime | None
    nation_name: str = ""
    education_name: str = ""
    relation_name: str = ""
    labour_capacity_name: str = ""
    local_status_name: str = ""
    is_head: bool = False
    note: str = ""  # what the clerk should still do (e.g. after move_person)


@dataclass(slots=True)
class HouseholdInput:
    number: str | None
    village_id: int
    group_id: int | None = None
    address: str = ""
    phone: str = ""
    category: str = "0"
    notes: str = ""


HOUSEHOLD_FIELDS = tuple(HouseholdInput.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class HouseholdRecord:
    id: int
    number: str | None
    village_id: int
    village_name: str
    group_id: int | None
    group_name: str
    address: str
    phone: str
    category: str
    category_name: str
    notes: str
    head_id: int | None
    head_name: str
    members: list[PersonRecord] = field(default_factory=list)
    deleted_at: datetime | None = None
    note: str = ""  # what the clerk should still do (e.g. after set_head)


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    """A person already registered who may be the one being typed.

    ``kind``: 'id' (same ID number: saving is refused), 'name_birth' (same name
    and birth date), 'homophone' (same pinyin and birth year in the same village),
    'recycled' (the same ID number is in the recycle bin: restore it instead).
    """

    kind: str
    person: PersonRecord
    message: str

    @property
    def blocking(self) -> bool:
        return self.kind == "id"


def with_note(record, note: str):
    """The record with a note for the clerk (empty note: unchanged)."""
    return replace(record, note=note) if note else record


def _birth_place(number: str, birth: date) -> str:
    try:
        return idnumber.parse(number, today=max(birth, date.today())).birth_place
    except InvalidIdNumber:
        return ""


def person_record(session: Session, person: Person, today: date | None = None) -> PersonRecord:
    today = today or date.today()
    household = session.get(Household, person.household_id) if person.household_id else None
    village = session.get(Area, person.village_id) if person.village_id else None
    group = session.get(Area, household.group_id) if household and household.group_id else None
    return PersonRecord(
        id=person.id,
        id_number=person.id_number,
        name=person.name,
        sex=person.sex,
        sex_name=idnumber.sex_name(person.sex),
        birth_date=person.birth_date,
        age=idnumber.age_at(person.birth_date, today),
        birth_place=_birth_place(person.id_number, person.birth_date),
        nation=person.nation,
        education=person.education,
        phone=person.phone or "",
        household_id=person.household_id,
        household_number=household.number if household else None,
        village_id=person.village_id,
        village_name=village.name if village else "",
        group_name=group.name if group else "",
        relation=person.relation,
        labour_capacity=person.labour_capacity,
        is_rural=bool(person.is_rural),
        local_status=person.local_status,
        skills=person.skills or "",
        training_wish=person.training_wish or "",
        address=person.address or "",
        died_on=person.died_on,
        notes=person.notes or "",
        deleted_at=person.deleted_at,
        nation_name=code_name("nation", person.nation),
        education_name=code_name("education", person.education),
        relation_name=code_name("relation", person.relation),
        labour_capacity_name=code_name("labour_capacity", person.labour_capacity),
        local_status_name=code_name("local_status", person.local_status),
        is_head=household is not None and household.head_id == person.id,
    )


def _member_order(head_id: int | None):
    def key(p: Person):
        return (p.id != head_id, p.relation or "99", p.birth_date, p.id)

    return key


def household_members(session: Session, household: Household) -> list[Person]:
    """Live members of a live household; of a deleted one, those deleted with it."""
    query = select(Person).where(Person.household_id == household.id)
    if household.deleted_at is None:
        query = query.where(Person.deleted_at.is_(None))
    else:
        query = query.where(Person.deleted_at == household.deleted_at)
    return sorted(session.scalars(query), key=_member_order(household.head_id))


def household_record(session: Session, household: Household, note: str = "") -> HouseholdRecord:
    village = session.get(Area, household.village_id)
    group = session.get(Area, household.group_id) if household.group_id else None
    head = session.get(Person, household.head_id) if household.head_id else None
    members = [person_record(session, p) for p in household_members(session, household)]
    return HouseholdRecord(
        id=household.id,
        number=household.number,
        village_id=household.village_id,
        village_name=village.name if village else "",
        group_id=household.group_id,
        group_name=group.name if group else "",
        address=household.address or "",
        phone=household.phone or "",
        category=household.category,
        category_name=code_name("household_category", household.category),
        notes=household.notes or "",
        head_id=household.head_id,
        head_name=head.name if head else "",
        members=members,
        deleted_at=household.deleted_at,
        note=note,
    )


def describe(person: PersonRecord) -> str:
    """「张三（东村，户编号 012）」: how a message names a registered person."""
    where = [w for w in (person.village_name, person.group_name) if w]
    if person.household_number:
        where.append(f"户编号 {person.household_number}")
    return f"{person.name}（{'，'.join(where)}）" if where else person.name


def live_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        raise NotFound(f"找不到人员（编号 {person_id}），可能已被删除。")
    return person


def live_household(session: Session, household_id: int) -> Household:
    household = session.get(Household, household_id)
    if household is None or household.deleted_at is not None:
        raise NotFound(f"找不到户（编号 {household_id}），可能已被删除。")
    return household
