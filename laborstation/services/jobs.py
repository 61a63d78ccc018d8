"""Employers (用工单位), partner sites (劳务合作基地), job postings (用工信息) and
employment intentions (用工意向).

A job posting counts on its posting date (RETURN_SPEC 401/402) for its unit, an
intention on its date (403) for the person's village; both are period-locked.
Employers and partner sites are reference data and are never locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from laborstation.errors import DuplicateRecord, ValidationError
from laborstation.model import Employer, Intention, JobPosting, PartnerSite, Person
from laborstation.services import _records as r

__all__ = [
    "EmployerInfo", "EmployerInput", "IntentionInfo", "IntentionInput", "JobPostingInfo",
    "JobPostingInput", "PartnerSiteInfo", "PartnerSiteInput",
    "create_employer", "create_intention", "create_partner_site", "create_posting",
    "delete_employer", "delete_intention", "delete_partner_site", "delete_posting",
    "get_employer", "get_intention", "get_partner_site", "get_posting",
    "list_employers", "list_intentions", "list_partner_sites", "list_postings",
    "restore_employer", "restore_intention", "restore_partner_site", "restore_posting",
    "update_employer", "update_intention", "update_partner_site", "update_posting",
]


# --- employers ----------------------------------------------------------------------------

@dataclass
class EmployerInput:
    name: str
    credit_code: str | None = None
    address: str = ""
    contact: str = ""
    phone: str = ""
    province: str | None = None
    city: str = ""
    industry: str | None = None
    is_partner_site: bool = False
    notes: str = ""


@dataclass(frozen=True)
class EmployerInfo:
    id: int
    name: str
    credit_code: str | None
    address: str
    contact: str
    phone: str
    province: str | None
    city: str
    industry: str | None
    is_partner_site: bool
    notes: str
    deleted: bool


def _credit_code(session: Session, value: str | None, row_id: int | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        number = uscc.validate(str(value))
    except StdnumError:
        raise ValidationError(
            f"统一社会信用代码“{value}”无效（应为 18 位，且校验位正确）。", "credit_code"
        ) from None
    clash = session.execute(
        select(Employer).where(Employer.credit_code == number, Employer.deleted_at.is_(None),
                               Employer.id != (row_id or 0))
    ).scalars().first()
    if clash is not None:
        raise DuplicateRecord(
            f"统一社会信用代码 {number} 已登记为用工单位“{clash.name}”。", clash.id
        )
    return number


def _employer_values(session: Session, d: EmployerInput, today: date, row_id) -> dict:
    return dict(
        name=r.text(d.name, "name", "用工单位名称", max_len=120, required=True),
        credit_code=_credit_code(session, d.credit_code, row_id),
        address=r.text(d.address, "address", "地址", max_len=200),
        contact=r.text(d.contact, "contact", "联系人", max_len=40),
        phone=r.text(d.phone, "phone", "联系电话", max_len=40),
        province=r.code("province", d.province, "province", "所在省份"),
        city=r.text(d.city, "city", "所在城市", max_len=40),
        industry=r.code("industry", d.industry, "industry", "行业"),
        is_partner_site=bool(d.is_partner_site),
        notes=r.notes(d.notes),
    )


EMPLOYER = r.RecordKind(Employer, "用工单位", lambda s, row: r.info_of(EmployerInfo, row),
                        _employer_values)


def create_employer(store, data: EmployerInput) -> EmployerInfo:
    return r.create_record(store, EMPLOYER, data)


def update_employer(store, employer_id: int, data: EmployerInput) -> EmployerInfo:
    return r.update_record(store, EMPLOYER, employer_id, data)


def delete_employer(store, employer_id: int) -> None:
    """Records that name the employer keep its name."""
    r.delete_record(store, EMPLOYER, employer_id)


def restore_employer(store, employer_id: int) -> EmployerInfo:
    with store.reading() as session:
        row = r.get_row(session, Employer, employer_id, "用工单位", live=False)
        _credit_code(session, row.credit_code, row.id)  # a live twin blocks the restore
    return r.restore_record(store, EMPLOYER, employer_id)


def get_employer(store, employer_id: int) -> EmployerInfo:
    return r.get_record(store, EMPLOYER, employer_id)


def list_employers(store, *, query: str = "", include_deleted: bool = False
                   ) -> list[EmployerInfo]:
    """By name; ``query`` matches a part of the name or the credit code."""
    with store.reading() as session:
        q = select(Employer)
        if not include_deleted:
            q = q.where(Employer.deleted_at.is_(None))
        if query.strip():
            like = f"%{query.strip()}%"
            q = q.where(or_(Employer.name.like(like), Employer.credit_code.like(like.upper())))
        rows = session.execute(q.order_by(Employer.name, Employer.id)).scalars()
        return [r.info_of(EmployerInfo, row) for row in rows]


# --- partner sites ------------------------------------------------------------------------

@dataclass
class PartnerSiteInput:
    name: str
    province: str | None = None
    city: str = ""
    employer_id: int | None = None
    established_on: date | None = None
    contact: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PartnerSiteInfo:
    id: int
    name: str
    province: str | None
    city: str
    employer_id: int | None
    established_on: date | None
    contact: str
    phone: str
    notes: str
    deleted: bool


def _site_values(session: Session, d: PartnerSiteInput, today: date, row_id) -> dict:
    employer_id, _ = r.employer_ref(session, d.employer_id, "")
    return dict(
        name=r.text(d.name, "name", "基地名称", max_len=120, required=True),
        province=r.code("province", d.province, "province", "所在省份"),
        city=r.text(d.city, "city", "所在城市", max_len=40),
        employer_id=employer_id,
        established_on=r.day(d.established_on, "established_on", "建立日期", required=False,
                             today=today),
        contact=r.text(d.contact, "contact", "联系人", max_len=40),
        phone=r.text(d.phone, "phone", "联系电话", max_len=40),
        notes=r.notes(d.notes),
    )


SITE = r.RecordKind(PartnerSite, "劳务合作基地", lambda s, row: r.info_of(PartnerSiteInfo, row),
                    _site_values)


def create_partner_site(store, data: PartnerSiteInput, *, today: date | None = None
                        ) -> PartnerSiteInfo:
    return r.create_record(store, SITE, data, today)


def update_partner_site(store, site_id: int, data: PartnerSiteInput, *,
                        today: date | None = None) -> PartnerSiteInfo:
    return r.update_record(store, SITE, site_id, data, today)


def delete_partner_site(store, site_id: int) -> None:
    r.delete_record(store, SITE, site_id)


def restore_partner_site(store, site_id: int) -> PartnerSiteInfo:
    return r.restore_record(store, SITE, site_id)


def get_partner_site(store, site_id: int) -> PartnerSiteInfo:
    return r.get_record(store, SITE, site_id)


def list_partner_sites(store, *, include_deleted: bool = False) -> list[PartnerSiteInfo]:
    with store.reading() as session:
        q = select(PartnerSite)
        if not include_deleted:
            q = q.where(PartnerSite.deleted_at.is_(None))
        rows = session.execute(q.order_by(PartnerSite.name, PartnerSite.id)).scalars()
        return [r.info_of(PartnerSiteInfo, row) for row in rows]


# --- job postings -------------------------------------------------------------------------

@dataclass
class JobPostingInput:
    title: str
    posted_on: date
    positions: int = 1
    employer_id: int | None = None
    wage_min: Decimal | None = None
    wage_max: Decimal | None = None
    requirements: str = ""
    province: str | None = None
    city: str = ""
    closes_on: date | None = None
    published_at: str = ""  # where it was published
    area_id: int | None = None  # the unit; the station's when None


@dataclass(frozen=True)
class JobPostingInfo:
    id: int
    area_id: int | None
    employer_id: int | None
    employer_name: str
    title: str
    positions: int
    wage_min: Decimal | None
    wage_max: Decimal | None
    requirements: str
    province: str | None
    city: str
    posted_on: date
    closes_on: date | None
    published_at: str
    deleted: bool


def _posting_info(session: Session, row: JobPosting) -> JobPostingInfo:
    employer = session.get(Employer, row.employer_id) if row.employer_id else None
    return r.info_of(JobPostingInfo, row, employer_name=employer.name if employer else "")


def _posting_values(session: Session, d: JobPostingInput, today: date, row_id) -> dict:
    posted = r.day(d.posted_on, "posted_on", "发布日期", today=today)
    closes = r.day(d.closes_on, "closes_on", "截止日期", required=False)
    r.date_order(posted, closes, "closes_on", "发布日期", "截止日期")
    low = r.money(d.wage_min, "wage_min", "最低月工资")
    high = r.money(d.wage_max, "wage_max", "最高月工资")
    if low is not None and high is not None and low > high:
        raise ValidationError(f"最低月工资（{low} 元）高于最高月工资（{high} 元）。", "wage_min")
    employer_id, _ = r.employer_ref(session, d.employer_id, "")
    return dict(
        area_id=r.unit_area_id(session, d.area_id),
        employer_id=employer_id,
        title=r.text(d.title, "title", "岗位名称", max_len=120, required=True),
        positions=r.count(d.positions, "positions", "岗位数"),
        wage_min=low,
        wage_max=high,
        requirements=r.notes(d.requirements, "requirements", "招聘要求"),
        province=r.code("province", d.province, "province", "工作省份"),
        city=r.text(d.city, "city", "工作城市", max_len=40),
        posted_on=posted,
        closes_on=closes,
        published_at=r.text(d.published_at, "published_at", "发布渠道", max_len=120),
    )


POSTING = r.RecordKind(JobPosting, "用工信息", _posting_info, _posting_values,
                       r.unit_counted("posted_on"))


def create_posting(store, data: JobPostingInput, *, today: date | None = None) -> JobPostingInfo:
    return r.create_record(store, POSTING, data, today)


def update_posting(store, posting_id: int, data: JobPostingInput, *,
                   today: date | None = None) -> JobPostingInfo:
    return r.update_record(store, POSTING, posting_id, data, today)


def delete_posting(store, posting_id: int) -> None:
    r.delete_record(store, POSTING, posting_id)


def restore_posting(store, posting_id: int) -> JobPostingInfo:
    return r.restore_record(store, POSTING, posting_id)


def get_posting(store, posting_id: int) -> JobPostingInfo:
    return r.get_record(store, POSTING, posting_id)


def list_postings(store, *, year: int | None = None, include_deleted: bool = False
                  ) -> list[JobPostingInfo]:
    """Latest first; ``year`` filters on the posting date."""
    with store.reading() as session:
        q = select(JobPosting)
        if not include_deleted:
            q = q.where(JobPosting.deleted_at.is_(None))
        if year is not None:
            q = q.where(JobPosting.posted_on.between(date(year, 1, 1), date(year, 12, 31)))
        rows = session.execute(q.order_by(JobPosting.posted_on.desc(), JobPosting.id.desc()))
        return [_posting_info(session, row) for row in rows.scalars()]


# --- intentions ---------------------------------------------------------------------------

@dataclass
class IntentionInput:
    person_id: int
    intended_on: date
    job_posting_id: int | None = None
    outcome: str = ""


@dataclass(frozen=True)
class IntentionInfo:
    id: int
    person_id: int
    person_name: str
    job_posting_id: int | None
    posting_title: str
    intended_on: date
    outcome: str
    deleted: bool


def _intention_info(session: Session, row: Intention) -> IntentionInfo:
    person = session.get(Person, row.person_id)
    posting = session.get(JobPosting, row.job_posting_id) if row.job_posting_id else None
    return r.info_of(IntentionInfo, row, person_name=person.name if person else "",
                     posting_title=posting.title if posting else "")


def _intention_values(session: Session, d: IntentionInput, today: date, row_id) -> dict:
    person = r.person(session, d.person_id)
    when = r.day(d.intended_on, "intended_on", "意向日期", today=today)
    if person.died_on is not None and when > person.died_on:
        raise ValidationError(f"{person.name}已于 {person.died_on.isoformat()} 去世。", "person_id")
    posting_id = None
    if d.job_posting_id is not None:
        posting = r.get_row(session, JobPosting, d.job_posting_id, "用工信息")
        if when < posting.posted_on:
            raise ValidationError(
                f"意向日期（{when.isoformat()}）早于用工信息“{posting.title}”的发布日期"
                f"（{posting.posted_on.isoformat()}）。", "intended_on",
            )
        posting_id = posting.id
    return dict(person_id=person.id, job_posting_id=posting_id, intended_on=when,
                outcome=r.text(d.outcome, "outcome", "意向结果", max_len=120))


INTENTION = r.RecordKind(Intention, "用工意向记录", _intention_info, _intention_values,
                         r.person_counted("intended_on"))


def create_intention(store, data: IntentionInput, *, today: date | None = None) -> IntentionInfo:
    return r.create_record(store, INTENTION, data, today)


def update_intention(store, intention_id: int, data: IntentionInput, *,
                     today: date | None = None) -> IntentionInfo:
    return r.update_record(store, INTENTION, intention_id, data, today)


def delete_intention(store, intention_id: int) -> None:
    r.delete_record(store, INTENTION, intention_id)


def restore_intention(store, intention_id: int) -> IntentionInfo:
    return r.restore_record(store, INTENTION, intention_id)


def get_intention(store, intention_id: int) -> IntentionInfo:
    return r.get_record(store, INTENTION, intention_id)


def list_intentions(store, *, person_id: int | None = None, job_posting_id: int | None = None
                    ) -> list[IntentionInfo]:
    """Live intentions, latest first, of a person and/or a posting."""
    with store.reading() as session:
        q = select(Intention).where(Intention.deleted_at.is_(None))
        if person_id is not None:
            q = q.where(Intention.person_id == person_id)
        if job_posting_id is not None:
            q = q.where(Intention.job_posting_id == job_posting_id)
        rows = session.execute(q.order_by(Intention.intended_on.desc(), Intention.id.desc()))
        return [_intention_info(session, row) for row in rows.scalars()]
