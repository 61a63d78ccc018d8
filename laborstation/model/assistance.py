"""Employment assistance: hard-to-employ people (就业困难人员) and public-welfare posts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from laborstation.db.base import Base, Money, SoftDelete, Timestamps
from laborstation.model.employers import Employer


class HardToEmploy(Timestamps, SoftDelete, Base):
    """A recognition of a person as hard-to-employ, from ``recognised_on`` to ``ended_on``."""

    __tablename__ = "hard_to_employ"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    category: Mapped[str] = mapped_column(String(3))  # hardship code list
    recognised_on: Mapped[date] = mapped_column(Date, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class WelfarePost(Timestamps, SoftDelete, Base):
    """公益性岗位: a person placed on a public-welfare post."""

    __tablename__ = "welfare_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    post_type: Mapped[str] = mapped_column(String(1))  # welfare_post_type code list
    post_name: Mapped[str] = mapped_column(String(60), default="")  # e.g. 保洁员
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))
    employer_name: Mapped[str] = mapped_column(String(120), default="")
    start_on: Mapped[date] = mapped_column(Date, index=True)
    end_on: Mapped[date | None] = mapped_column(Date)
    monthly_subsidy: Mapped[Decimal | None] = mapped_column(Money)
    notes: Mapped[str] = mapped_column(Text, default="")

    employer: Mapped[Employer | None] = relationship()
