"""Rights cases (劳动维权案件) and follow-up visits (跟踪回访 / 慰问).

A case counts on the day it was received (601–603) and, once closed, on the day
it was closed (604); a visit on its date (605). All of them for the case's or
visit's unit, and all period-locked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborstation.errors import ValidationError
from laborstation.model import Person, RightsCase, Visit
from laborstation.model.rights import CASE_CLOSED, CASE_OPEN
from laborstation.services import _records as r

__all__ = [
    "CaseInfo", "CaseInput", "VisitInfo", "VisitInput", "close_case", "create_case",
    "create_visit", "delete_case", "delete_visit", "get_case", "get_visit", "list_cases",
    "list_visits", "reopen_case", "restore_case", "restore_visit", "update_case",
    "update_visit",
]

VISIT_KINDS = ("回访", "慰问")


# --- cases --------------------------------------------------------------------------------

@dataclass
class CaseInput:
    received_on: date
    case_type: str  # rights_case_type code list
    complainant: str = ""
    person_id: int | None = None
    employer_id: int | None = None
    employer_name: str = ""
    people_involved: int = 1
    amount_claimed: Decimal = Decimal(0)
    amount_recovered: Decimal = Decimal(0)
    handler: str = ""
    summary: str = ""
    area_id: int | None = None  # the unit; the station's when None


@dataclass(frozen=True)
class CaseInfo:
    id: int
    area_id: int | None
    received_on: date
    case_type: str
    complainant: str
    person_id: int | None
    employer_id: int | None
    employer_name: str
    people_involved: int
    amount_claimed: Decimal
    amount_recovered: Decimal
    status: str
    closed_on: date | None
    handler: str
    summary: str
    deleted: bool
    warnings: tuple[str, ...] = ()  # things to check that do not block the save


def _case_warnings(row: RightsCase) -> tuple[str, ...]:
    if row.amount_recovered > row.amount_claimed:
        return (f"追回金额（{row.amount_recovered} 元）大于涉及金额（{row.amount_claimed} 元），"
                "请核对。",)
    return ()


def _case_info(session: Session, row: RightsCase) -> CaseInfo:
    return r.info_of(CaseInfo, row, warnings=_case_warnings(row))


def _case_values(session: Session, d: CaseInput, today: date, row_id) -> dict:
    received = r.day(d.received_on, "received_on", "受理日期", today=today)
    person_id = r.person(session, d.person_id).id if d.person_id is not None else None
    employer_id, employer_name = r.employer_ref(session, d.employer_id, d.employer_name)
    return dict(
        area_id=r.unit_area_id(session, d.area_id),
        received_on=received,
        case_type=r.code("rights_case_type", d.case_type, "case_type", "案件类型", required=True),
        complainant=r.text(d.complainant, "complainant", "投诉人", max_len=60),
        person_id=person_id,
        employer_id=employer_id,
        employer_name=employer_name,
        people_involved=r.count(d.people_involved, "people_involved", "涉及人数"),
        amount_claimed=r.money(d.amount_claimed, "amount_claimed", "涉及金额") or Decimal(0),
        amount_recovered=(r.money(d.amount_recovered, "amount_recovered", "追回金额")
                          or Decimal(0)),
        handler=r.text(d.handler, "handler", "承办人", max_len=40),
        summary=r.notes(d.summary, "summary", "案情摘要"),
    )


def _case_counted(session: Session, row: RightsCase):
    return [(row.received_on, row.area_id), (row.closed_on, row.area_id)]


CASE = r.RecordKind(RightsCase, "维权案件", _case_info, _case_values, _case_counted)


def create_case(store, data: CaseInput, *, today: date | None = None) -> CaseInfo:
    """The new case (status 办理中); ``warnings`` lists what the clerk should check."""
    return r.create_record(store, CASE, data, today)


def update_case(store, case_id: int, data: CaseInput, *, today: date | None = None) -> CaseInfo:
    """Changes the case's details; status and closing date change with ``close_case``."""

    def change(session: Session, row: RightsCase) -> None:
        for key, value in _case_values(session, data, today or date.today(), row.id).items():
            setattr(row, key, value)
        if row.closed_on is not None and row.closed_on < row.received_on:
            raise ValidationError("受理日期晚于结案日期。", "received_on")

    return r.change_record(store, CASE, case_id, change)


def close_case(store, case_id: int, *, closed_on: date, amount_recovered: Decimal | None = None,
               today: date | None = None) -> CaseInfo:
    """结案: status closed on ``closed_on``, with the amount recovered when given."""

    def change(session: Session, row: RightsCase) -> None:
        when = r.day(closed_on, "closed_on", "结案日期", today=today or date.today())
        r.date_order(row.received_on, when, "closed_on", "受理日期", "结案日期")
        row.status, row.closed_on = CASE_CLOSED, when
        if amount_recovered is not None:
            row.amount_recovered = r.money(amount_recovered, "amount_recovered", "追回金额")

    return r.change_record(store, CASE, case_id, change)


def reopen_case(store, case_id: int) -> CaseInfo:
    """Back to 办理中 (the closing date is cleared; a locked closing date refuses this)."""

    def change(session: Session, row: RightsCase) -> None:
        row.status, row.closed_on = CASE_OPEN, None

    return r.change_record(store, CASE, case_id, change)


def delete_case(store, case_id: int) -> None:
    r.delete_record(store, CASE, case_id)


def restore_case(store, case_id: int) -> CaseInfo:
    return r.restore_record(store, CASE, case_id)


def get_case(store, case_id: int) -> CaseInfo:
    return r.get_record(store, CASE, case_id)


def list_cases(store, *, status: str | None = None, year: int | None = None,
               person_id: int | None = None, include_deleted: bool = False) -> list[CaseInfo]:
    """Latest received first; ``year`` filters on the receiving date."""
    with store.reading() as session:
        q = select(RightsCase)
        if not include_deleted:
            q = q.where(RightsCase.deleted_at.is_(None))
        if person_id is not None:
            q = q.where(RightsCase.person_id == person_id)
        if status is not None:
            q = q.where(RightsCase.status == status)
        if year is not None:
            q = q.where(RightsCase.received_on.between(date(year, 1, 1), date(year, 12, 31)))
        rows = session.execute(q.order_by(RightsCase.received_on.desc(), RightsCase.id.desc()))
        return [_case_info(session, row) for row in rows.scalars()]


# --- visits -------------------------------------------------------------------------------

@dataclass
class VisitInput:
    visited_on: date
    people_visited: int | None = None  # the number of persons linked (at least 1) when None
    place: str = ""
    kind: str = "回访"  # 回访 / 慰问
    notes: str = ""
    person_ids: list[int] = field(default_factory=list)
    area_id: int | None = None  # the unit; the station's when None


@dataclass(frozen=True)
class VisitInfo:
    id: int
    area_id: int | None
    visited_on: date
    place: str
    people_visited: int
    kind: str
    notes: str
    person_ids: tuple[int, ...]
    person_names: tuple[str, ...]
    deleted: bool


def _visit_info(session: Session, row: Visit) -> VisitInfo:
    persons = sorted(row.persons, key=lambda p: p.id)
    return r.info_of(VisitInfo, row, person_ids=tuple(p.id for p in persons),
                     person_names=tuple(p.name for p in persons))


def _visit_values(session: Session, d: VisitInput, today: date, row_id) -> dict:
    persons: list[Person] = []
    for person_id in dict.fromkeys(d.person_ids or ()):
        persons.append(r.person(session, person_id, "person_ids"))
    if d.people_visited is None:
        visited = max(1, len(persons))
    else:
        visited = r.count(d.people_visited, "people_visited", "回访人数")
        if visited < len(persons):
            raise ValidationError(
                f"回访人数（{visited}）少于所选人员数（{len(persons)}）。", "people_visited"
            )
    kind = r.text(d.kind, "kind", "回访方式", max_len=20) or VISIT_KINDS[0]
    if kind not in VISIT_KINDS:
        raise ValidationError(f"回访方式“{kind}”无效，应为：{'、'.join(VISIT_KINDS)}。", "kind")
    return dict(
        area_id=r.unit_area_id(session, d.area_id),
        visited_on=r.day(d.visited_on, "visited_on", "回访日期", today=today),
        place=r.text(d.place, "place", "回访地点", max_len=120),
        people_visited=visited,
        kind=kind,
        notes=r.notes(d.notes),
        persons=persons,
    )


VISIT = r.RecordKind(Visit, "跟踪回访记录", _visit_info, _visit_values,
                     r.unit_counted("visited_on"))


def create_visit(store, data: VisitInput, *, today: date | None = None) -> VisitInfo:
    return r.create_record(store, VISIT, data, today)


def update_visit(store, visit_id: int, data: VisitInput, *, today: date | None = None
                 ) -> VisitInfo:
    return r.update_record(store, VISIT, visit_id, data, today)


def delete_visit(store, visit_id: int) -> None:
    r.delete_record(store, VISIT, visit_id)


def restore_visit(store, visit_id: int) -> VisitInfo:
    return r.restore_record(store, VISIT, visit_id)


def get_visit(store, visit_id: int) -> VisitInfo:
    return r.get_record(store, VISIT, visit_id)


def list_visits(store, *, year: int | None = None, person_id: int | None = None
                ) -> list[VisitInfo]:
    """Live visits, latest first."""
    with store.reading() as session:
        q = select(Visit).where(Visit.deleted_at.is_(None))
        if year is not None:
            q = q.where(Visit.visited_on.between(date(year, 1, 1), date(year, 12, 31)))
        if person_id is not None:
            q = q.where(Visit.persons.any(Person.id == person_id))
        rows = session.execute(q.order_by(Visit.visited_on.desc(), Visit.id.desc()))
        return [_visit_info(session, row) for row in rows.scalars()]
