"""Households of the register: create, update, members, head, soft delete and restore.

A household lives in a village (and optionally one of its groups). Its members'
village follows it. Deleting a household sends its live members to the recycle
bin with it (same time stamp), and restoring it brings exactly those back.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from laborstation.errors import DuplicateRecord, NotFound, ValidationError
from laborstation.model import Area, Household, Person
from laborstation.model.area import GROUP, VILLAGE
from laborstation.services._checks import check_code, clean_notes, clean_text, now, require_writer
from laborstation.services.persons import id_holder, place_in_household
from laborstation.services.register_types import (
    HEAD_RELATION,
    HOUSEHOLD_FIELDS,
    HouseholdInput,
    HouseholdRecord,
    PersonRecord,
    describe,
    household_members,
    household_record,
    live_household,
    live_person,
    person_record,
    with_note,
)

__all__ = [
    "create_household",
    "delete_household",
    "get_household",
    "household_number_suggestion",
    "households_in",
    "move_person",
    "restore_household",
    "set_head",
    "update_household",
]

_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


def _area(session: Session, area_id: int, level: str, field: str, label: str) -> Area:
    area = session.get(Area, area_id)
    if area is None or area.deleted_at is not None:
        raise NotFound(f"找不到{label}（编号 {area_id}），可能已被删除。")
    if area.level != level:
        raise ValidationError(f"「{area.name}」不是{label}。", field)
    return area


def _check_group(session: Session, group_id, village: Area) -> int | None:
    if group_id is None:
        return None
    group = _area(session, group_id, GROUP, "group_id", "村民小组")
    if group.parent_id != village.id:
        raise ValidationError(f"村民小组「{group.name}」不属于「{village.name}」。", "group_id")
    return group.id


def _number_holder(session: Session, village_id: int, number: str, skip_id=None,
                   group_id: int | None = None):
    """A live household of the village with this number: in the same 村民小组, or either
    in none (ledgers that number the households of each group from 1 have one number in
    several groups, as the import keeps them)."""
    query = select(Household).where(
        Household.village_id == village_id,
        Household.number == number,
        Household.deleted_at.is_(None),
    )
    if group_id is not None:
        query = query.where(or_(Household.group_id == group_id, Household.group_id.is_(None)))
    if skip_id is not None:
        query = query.where(Household.id != skip_id)
    return session.scalars(query.limit(1)).first()


def _refuse_number(session: Session, household: Household) -> None:
    if not household.number:
        return
    other = _number_holder(session, household.village_id, household.number, household.id,
                           household.group_id)
    if other is not None:
        head = session.get(Person, other.head_id) if other.head_id else None
        village = session.get(Area, other.village_id)
        whose = f"（户主 {head.name}）" if head else ""
        raise DuplicateRecord(
            f"「{village.name}」已有户编号 {other.number} 的户{whose}。", other.id
        )


def _apply(session: Session, household: Household, values: dict) -> None:
    """Validate and write household fields (names as in ``HouseholdInput``)."""
    where = (household.number, household.village_id, household.group_id)
    village = None
    if "village_id" in values:
        village = _area(session, values["village_id"], VILLAGE, "village_id", "行政村")
        if village.id != household.village_id and "group_id" not in values:
            household.group_id = None
        household.village_id = village.id
    if "group_id" in values:
        village = village or session.get(Area, household.village_id)
        household.group_id = _check_group(session, values["group_id"], village)
    if "number" in values:
        household.number = clean_text(values["number"], "number", "户编号", max_len=32) or None
    if "address" in values:
        household.address = clean_text(values["address"], "address", "住址", max_len=200)
    if "phone" in values:
        household.phone = clean_text(values["phone"], "phone", "联系电话", max_len=40)
    if "category" in values:
        household.category = check_code(
            "household_category", values["category"], "category", "户类别", required=True
        )
    if "notes" in values:
        household.notes = clean_notes(values["notes"])
    if (household.number, household.village_id, household.group_id) != where or (
            household.id is None):  # (not for a new phone: a form sends every field, and
        _refuse_number(session, household)  # a number two households share is kept)


def create_household(store, data: HouseholdInput) -> HouseholdRecord:
    """A new household without members (add them with ``create_person``/``move_person``)."""
    require_writer(store)
    with store.session() as s:
        household = Household(address="", phone="", category="0", notes="")
        if data.village_id is None:
            raise ValidationError("请选择户所在的村。", "village_id")
        _apply(s, household, {f: getattr(data, f) for f in HOUSEHOLD_FIELDS})
        s.add(household)
        s.flush()
        return household_record(s, household)


def update_household(store, household_id: int, **changes) -> HouseholdRecord:
    """Change fields (names as in ``HouseholdInput``); members follow a new village."""
    unknown = set(changes) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"not household fields: {', '.join(sorted(unknown))}")
    require_writer(store)
    with store.session() as s:
        household = live_household(s, household_id)
        _apply(s, household, changes)
        for member in household_members(s, household):
            member.village_id = household.village_id
        s.flush()
        return household_record(s, household)


def get_household(store, household_id: int) -> HouseholdRecord:
    """A household with its members (head first); a deleted one with those deleted with it."""
    with store.reading() as s:
        household = s.get(Household, household_id)
        if household is None:
            raise NotFound(f"找不到户（编号 {household_id}）。")
        return household_record(s, household)


def households_in(store, village_id: int, group_id: int | None = None) -> list[HouseholdRecord]:
    """The live households of a village (or one group), by number, with their members."""
    with store.reading() as s:
        query = select(Household).where(
            Household.village_id == village_id, Household.deleted_at.is_(None)
        )
        if group_id is not None:
            query = query.where(Household.group_id == group_id)
        found = sorted(s.scalars(query), key=lambda h: (_number_key(h.number), h.id))
        return [household_record(s, h) for h in found]


def _number_key(number: str | None):
    match = _TRAILING_DIGITS.match(number or "")
    return (match.group(1), int(match.group(2)), number) if match else (number or "", -1, "")


def move_person(
    store, person_id: int, household_id: int | None, relation: str | None = None
) -> PersonRecord:
    """Move a person to another household (None: out of any household).

    The village follows the new household; a head leaves the old one without a
    head. ``relation`` given: the new relation to the head ('02' 户主 is refused
    if the household has a head). None: the relation is kept, except that a
    户主 moving into a household that has a head loses it (to be filled in).
    """
    require_writer(store)
    with store.session() as s:
        person = live_person(s, person_id)
        household = live_household(s, household_id) if household_id is not None else None
        note = place_in_household(s, person, household, ... if relation is None else relation)
        s.flush()
        return with_note(person_record(s, person), note)


def set_head(store, household_id: int, person_id: int) -> HouseholdRecord:
    """Make a live member the head; their relation becomes 户主 (02).

    The former head's relation is left as it was for the clerk to change; the
    returned record's ``note`` says so.
    """
    require_writer(store)
    with store.session() as s:
        household = live_household(s, household_id)
        person = live_person(s, person_id)
        if person.household_id != household.id:
            raise ValidationError(
                f"{person.name}不是该户（户编号 {household.number or household.id}）的成员。",
                "head_id",
            )
        note = ""
        former = s.get(Person, household.head_id) if household.head_id else None
        if former is not None and former.id != person.id:
            note = f"原户主{former.name}的与户主关系仍为“户主”，请改为正确的关系。"
            if former.relation != HEAD_RELATION:
                note = f"原户主{former.name}的与户主关系未改动，请核对。"
        household.head_id = person.id
        person.relation = HEAD_RELATION
        s.flush()
        return household_record(s, household, note=note)


def household_number_suggestion(store, village_id: int) -> str:
    """The next free household number of a village: the highest number + 1, same width.

    '012' → '013', '东村-07' → '东村-08'; a village without numbered households: '001'.
    Numbers of households in the recycle bin are not reused.
    """
    with store.reading() as s:
        numbers = s.scalars(
            select(Household.number).where(
                Household.village_id == village_id, Household.number.is_not(None)
            )
        ).all()
    best = None
    for number in numbers:
        match = _TRAILING_DIGITS.match(number)
        if match and (best is None or int(match.group(2)) > int(best.group(2))):
            best = match
    if best is None:
        return "001"
    prefix, digits = best.group(1), best.group(2)
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


def delete_household(store, household_id: int) -> HouseholdRecord:
    """Send a household and its live members to the recycle bin in one transaction."""
    require_writer(store)
    with store.session() as s:
        household = live_household(s, household_id)
        stamp = now()
        for member in household_members(s, household):
            member.deleted_at = stamp
        household.deleted_at = stamp
        s.flush()
        return household_record(s, household)


def restore_household(store, household_id: int) -> HouseholdRecord:
    """Bring back a household and the members deleted with it.

    Refused (nothing restored) when its village is gone, its number is now used
    by another live household of the village, or another live person now holds
    the ID number of one of its members.
    """
    require_writer(store)
    with store.session() as s:
        household = s.get(Household, household_id)
        if household is None:
            raise NotFound(f"找不到户（编号 {household_id}）。")
        if household.deleted_at is None:
            return household_record(s, household)
        village = s.get(Area, household.village_id)
        if village is None or village.deleted_at is not None:
            raise ValidationError("该户所在的村已被删除，不能恢复。", "village_id")
        members = household_members(s, household)
        for member in members:
            holder = id_holder(s, member.id_number, member.id)
            if holder is not None:
                raise DuplicateRecord(
                    f"不能恢复该户：成员{member.name}的身份证号 {member.id_number} 现已登记为 "
                    f"{describe(person_record(s, holder))}。",
                    holder.id,
                )
        household.deleted_at = None
        _refuse_number(s, household)
        for member in members:
            member.deleted_at = None
        s.flush()
        return household_record(s, household)
