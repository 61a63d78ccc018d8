"""Employers (用工单位), partner sites (劳务合作基地), job postings and intentions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from laborstation.db.base import Base, Money, SoftDelete, Timestamps


class Employer(Timestamps, SoftDelete, Base):
    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)  # 统一社会信用代码
    address: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    province: Mapped[str | None] = mapped_column(String(2))  # province code list
    city: Mapped[str] = mapped_column(String(40), default="")
    industry: Mapped[str | None] = mapped_column(String(1))
    is_partner_site: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class PartnerSite(Timestamps, SoftDelete, Base):
    """A standing destination the station sends workers to (e.g. 北京, 郑州, 新疆兵团)."""

    __tablename__ = "partner_site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    province: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(40), default="")
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    established_on: Mapped[date | None] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    employer: Mapped[Employer | None] = relationship()


class JobPosting(Timestamps, SoftDelete, Base):
    """用工信息: an employer's offer of positions, as published by the station."""

    __tablename__ = "job_posting"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)  # unit
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    positions: Mapped[int] = mapped_column(Integer, default=1)
    wage_min: Mapped[Decimal | None] = mapped_column(Money)
    wage_max: Mapped[Decimal | None] = mapped_column(Money)
    requirements: Mapped[str] = mapped_column(Text, default="")
    province: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(40), default="")
    posted_on: Mapped[date] = mapped_column(Date, index=True)
    closes_on: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[str] = mapped_column(String(120), default="")  # where it was published

    employer: Mapped[Employer | None] = relationship()


class Intention(Timestamps, SoftDelete, Base):
    """用工意向: a person matched to a job posting."""

    __tablename__ = "intention"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    job_posting_id: Mapped[int | None] = mapped_column(ForeignKey("job_posting.id"), index=True)
    intended_on: Mapped[date] = mapped_column(Date, index=True)
    outcome: Mapped[str] = mapped_column(String(120), default="")

    job_posting: Mapped[JobPosting | None] = relationship()
