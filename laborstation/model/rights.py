"""Rights cases (维权案件) and follow-up visits (跟踪回访 / 慰问)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from laborstation.db.base import Base, Money, SoftDelete, Timestamps
from laborstation.model.employers import Employer
from laborstation.model.people import Person

CASE_OPEN, CASE_CLOSED = "open", "closed"
CASE_STATUS_NAMES = {CASE_OPEN: "办理中", CASE_CLOSED: "已结案"}


class RightsCase(Timestamps, SoftDelete, Base):
    __tablename__ = "rights_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)  # unit
    received_on: Mapped[date] = mapped_column(Date, index=True)
    case_type: Mapped[str] = mapped_column(String(1))  # rights_case_type code list
    complainant: Mapped[str] = mapped_column(String(60), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    employer_name: Mapped[str] = mapped_column(String(120), default="")
    people_involved: Mapped[int] = mapped_column(Integer, default=1)
    amount_claimed: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    amount_recovered: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    status: Mapped[str] = mapped_column(String(10), default=CASE_OPEN)
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    handler: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text, default="")

    employer: Mapped[Employer | None] = relationship()


visit_person = Table(
    "visit_person",
    Base.metadata,
    Column("visit_id", ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id"), primary_key=True, index=True),
)


class Visit(Timestamps, SoftDelete, Base):
    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)  # unit
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(120), default="")
    people_visited: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(20), default="回访")  # 回访 / 慰问
    notes: Mapped[str] = mapped_column(Text, default="")

    persons: Mapped[list[Person]] = relationship(secondary=visit_person)
