"""Skills training: courses (培训班) and enrolments (参训).

An enrolment counts on its course's end date (RETURN_SPEC 301), so both are
locked by a return submitted for a period ending on or after that date.
Deleting a course puts its enrolments in the recycle bin with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborstation.errors import DuplicateRecord, ValidationError
from laborstation.model import Area, Course, Enrolment, Person
from laborstation.model.training import RESULT_NAMES, RESULT_WITHDRAWN
from laborstation.services import _records as r
from laborstation.services.locking import assert_unlocked
from laborstation.services.station import station_in

__all__ = [
    "CourseInfo", "CourseInput", "EnrolmentInfo", "create_course", "delete_course",
    "delete_enrolment", "enrol", "get_course", "list_courses", "list_for_course",
    "list_for_person", "restore_course", "restore_enrolment", "set_result", "update_course",
    "withdraw",
]

COURSE, ENROLMENT = "培训班", "培训记录"


@dataclass
class CourseInput:
    name: str
    course_type: str
    start_on: date
    end_on: date
    mode: str = "9"
    trade: str = ""
    provider: str = ""
    place: str = ""
    village_id: int | None = None
    area_id: int | None = None  # the unit; the station's when None
    hours: int | None = None
    subsidy: Decimal | None = None
    notes: str = ""


@dataclass(frozen=True)
class CourseInfo:
    id: int
    name: str
    course_type: str
    mode: str
    trade: str
    provider: str
    place: str
    village_id: int | None
    area_id: int | None
    start_on: date
    end_on: date
    hours: int | None
    subsidy: Decimal | None
    notes: str
    enrolled: int  # live enrolments, withdrawn included
    deleted: bool


@dataclass(frozen=True)
class EnrolmentInfo:
    id: int
    person_id: int
    person_name: str
    course_id: int
    course_name: str
    end_on: date
    result: str
    certificate_kind: str | None
    certificate_no: str
    deleted: bool


def _course_info(session: Session, row: Course) -> CourseInfo:
    enrolled = session.execute(
        select(func.count(Enrolment.id)).where(
            Enrolment.course_id == row.id, Enrolment.deleted_at.is_(None)
        )
    ).scalar_one()
    return r.info_of(CourseInfo, row, enrolled=enrolled)


def _enrolment_info(session: Session, row: Enrolment) -> EnrolmentInfo:
    person = session.get(Person, row.person_id)
    return r.info_of(
        EnrolmentInfo, row, person_name=person.name if person else "",
        course_name=row.course.name, end_on=row.course.end_on,
    )


def _course_area(row: Course) -> int | None:
    return row.village_id or row.area_id


def _course_values(session: Session, data: CourseInput, today: date) -> dict:
    start = r.day(data.start_on, "start_on", "开班日期", today=today)
    end = r.day(data.end_on, "end_on", "结业日期")
    r.date_order(start, end, "end_on", "开班日期", "结业日期")
    for area_id, label in ((data.village_id, "培训村"), (data.area_id, "填报单位")):
        if area_id is not None:
            r.get_row(session, Area, area_id, label)
    area_id = data.area_id
    if area_id is None:
        station = station_in(session)
        area_id = station.area_id if station else None
    hours = None if data.hours in (None, "") else r.count(data.hours, "hours", "学时")
    return dict(
        name=r.text(data.name, "name", "培训班名称", max_len=120, required=True),
        course_type=r.code("course_type", data.course_type, "course_type", "培训类型",
                           required=True),
        mode=r.code("course_mode", data.mode or "9", "mode", "培训方式", required=True),
        trade=r.text(data.trade, "trade", "培训工种", max_len=60),
        provider=r.text(data.provider, "provider", "培训机构", max_len=120),
        place=r.text(data.place, "place", "培训地点", max_len=120),
        village_id=data.village_id,
        area_id=area_id,
        start_on=start,
        end_on=end,
        hours=hours,
        subsidy=r.money(data.subsidy, "subsidy", "培训补贴"),
        notes=r.notes(data.notes),
    )


def create_course(store, data: CourseInput, *, today: date | None = None) -> CourseInfo:
    r.require_writer(store)
    with store.session() as session:
        values = _course_values(session, data, today or date.today())
        row = Course(**values)
        assert_unlocked(session, row.end_on, area_id=_course_area(row), what=COURSE)
        session.add(row)
        session.flush()
        return _course_info(session, row)


def update_course(store, course_id: int, data: CourseInput, *,
                  today: date | None = None) -> CourseInfo:
    """A changed end date moves every enrolment: both the old and the new date must be free."""
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Course, course_id, COURSE)
        assert_unlocked(session, row.end_on, area_id=_course_area(row), what=COURSE)
        values = _course_values(session, data, today or date.today())
        for key, value in values.items():
            setattr(row, key, value)
        assert_unlocked(session, row.end_on, area_id=_course_area(row), what=COURSE)
        session.flush()
        return _course_info(session, row)


def delete_course(store, course_id: int) -> None:
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Course, course_id, COURSE)
        assert_unlocked(session, row.end_on, area_id=_course_area(row), what=COURSE)
        stamp = r.now()
        r.soft_delete(row, stamp)
        for enrolment in row.enrolments:
            r.soft_delete(enrolment, stamp)


def restore_course(store, course_id: int) -> CourseInfo:
    """Back from the recycle bin, with the enrolments deleted together with it."""
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Course, course_id, COURSE, live=False)
        assert_unlocked(session, row.end_on, area_id=_course_area(row), what=COURSE)
        stamp = row.deleted_at
        for enrolment in row.enrolments:
            if stamp is not None and enrolment.deleted_at == stamp:
                r.restore(enrolment)
        r.restore(row)
        session.flush()
        return _course_info(session, row)


def get_course(store, course_id: int) -> CourseInfo:
    with store.reading() as session:
        return _course_info(session, r.get_row(session, Course, course_id, COURSE, live=False))


def list_courses(store, *, year: int | None = None, include_deleted: bool = False
                 ) -> list[CourseInfo]:
    """Courses by end date, latest first; ``year`` filters on the end date."""
    with store.reading() as session:
        query = select(Course)
        if not include_deleted:
            query = query.where(Course.deleted_at.is_(None))
        if year is not None:
            query = query.where(Course.end_on.between(date(year, 1, 1), date(year, 12, 31)))
        rows = session.execute(query.order_by(Course.end_on.desc(), Course.id.desc())).scalars()
        return [_course_info(session, row) for row in rows]


def _check_certificate(kind: str | None, number: str) -> tuple[str | None, str]:
    kind = r.code("certificate", kind, "certificate_kind", "证书类型")
    number = r.text(number, "certificate_no", "证书编号", max_len=60)
    if number and kind is None:
        raise ValidationError("填写了证书编号，请同时选择证书类型。", "certificate_kind")
    return kind, number


def _lock_enrolment(session: Session, course: Course, person: Person | None) -> None:
    area = r.person_area_id(person) if person is not None else None
    assert_unlocked(session, course.end_on, area_id=area or _course_area(course), what=ENROLMENT)


def enrol(store, course_id: int, person_id: int, *, result: str = "1",
          certificate_kind: str | None = None, certificate_no: str = "") -> EnrolmentInfo:
    r.require_writer(store)
    with store.session() as session:
        course = r.get_row(session, Course, course_id, COURSE)
        person = r.person(session, person_id)
        if person.died_on is not None and person.died_on < course.start_on:
            raise ValidationError(
                f"{person.name}已于 {person.died_on.isoformat()} 去世，早于开班日期。", "person_id"
            )
        existing = session.execute(
            select(Enrolment.id).where(
                Enrolment.course_id == course.id, Enrolment.person_id == person.id,
                Enrolment.deleted_at.is_(None),
            )
        ).scalar_one_or_none()
        if existing is not None:
            raise DuplicateRecord(f"{person.name}已在培训班“{course.name}”中，不能重复登记。",
                                  existing)
        kind, number = _check_certificate(certificate_kind, certificate_no)
        result = r.code_in(RESULT_NAMES, result, "result", "培训结果")
        _lock_enrolment(session, course, person)
        row = Enrolment(person_id=person.id, course_id=course.id, result=result,
                        certificate_kind=kind, certificate_no=number)
        session.add(row)
        session.flush()
        return _enrolment_info(session, row)


def set_result(store, enrolment_id: int, *, result: str, certificate_kind: str | None = None,
               certificate_no: str = "") -> EnrolmentInfo:
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Enrolment, enrolment_id, ENROLMENT)
        _lock_enrolment(session, row.course, session.get(Person, row.person_id))
        row.result = r.code_in(RESULT_NAMES, result, "result", "培训结果")
        row.certificate_kind, row.certificate_no = _check_certificate(
            certificate_kind, certificate_no
        )
        session.flush()
        return _enrolment_info(session, row)


def withdraw(store, enrolment_id: int) -> EnrolmentInfo:
    """退学: the enrolment stays on record but no longer counts (RETURN_SPEC 301)."""
    return set_result(store, enrolment_id, result=RESULT_WITHDRAWN)


def delete_enrolment(store, enrolment_id: int) -> None:
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Enrolment, enrolment_id, ENROLMENT)
        _lock_enrolment(session, row.course, session.get(Person, row.person_id))
        r.soft_delete(row)


def restore_enrolment(store, enrolment_id: int) -> EnrolmentInfo:
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Enrolment, enrolment_id, ENROLMENT, live=False)
        if row.course.deleted_at is not None:
            raise ValidationError("该培训班已被删除，请先恢复培训班。", "course_id")
        person = r.person(session, row.person_id)
        clash = session.execute(
            select(Enrolment.id).where(
                Enrolment.course_id == row.course_id, Enrolment.person_id == row.person_id,
                Enrolment.deleted_at.is_(None), Enrolment.id != row.id,
            )
        ).scalar_one_or_none()
        if clash is not None:
            raise DuplicateRecord(f"{person.name}已在该培训班中，不能恢复重复的记录。", clash)
        _lock_enrolment(session, row.course, person)
        r.restore(row)
        session.flush()
        return _enrolment_info(session, row)


def _enrolments(session: Session, where) -> list[EnrolmentInfo]:
    rows = session.execute(
        select(Enrolment).join(Course).where(where, Enrolment.deleted_at.is_(None))
        .order_by(Course.end_on.desc(), Enrolment.id)
    ).scalars()
    return [_enrolment_info(session, row) for row in rows]


def list_for_person(store, person_id: int) -> list[EnrolmentInfo]:
    with store.reading() as session:
        return _enrolments(session, Enrolment.person_id == person_id)


def list_for_course(store, course_id: int) -> list[EnrolmentInfo]:
    with store.reading() as session:
        return _enrolments(session, Enrolment.course_id == course_id)
