"""Skills training: courses (培训班) and enrolments (参训, 结业, 证书)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from laborstation.db.base import Base, Money, SoftDelete, Timestamps

RESULT_COMPLETED, RESULT_NOT_COMPLETED, RESULT_WITHDRAWN = "1", "2", "3"
RESULT_NAMES = {RESULT_COMPLETED: "结业", RESULT_NOT_COMPLETED: "未结业", RESULT_WITHDRAWN: "退学"}


class Course(Timestamps, SoftDelete, Base):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)  # unit
    name: Mapped[str] = mapped_column(String(120), index=True)
    course_type: Mapped[str] = mapped_column(String(1))  # course_type code list
    mode: Mapped[str] = mapped_column(String(1), default="9")  # course_mode code list
    trade: Mapped[str] = mapped_column(String(60), default="")  # 工种
    provider: Mapped[str] = mapped_column(String(120), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    village_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))  # held in a village
    start_on: Mapped[date] = mapped_column(Date, index=True)
    end_on: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[int | None] = mapped_column(Integer)
    subsidy: Mapped[Decimal | None] = mapped_column(Money)
    notes: Mapped[str] = mapped_column(Text, default="")

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="course")


class Enrolment(Timestamps, SoftDelete, Base):
    __tablename__ = "enrolment"
    __table_args__ = (
        Index(
            "uq_enrolment_person_course_live",
            "person_id",
            "course_id",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    result: Mapped[str] = mapped_column(String(1), default=RESULT_COMPLETED)
    certificate_kind: Mapped[str | None] = mapped_column(String(1))  # certificate code list
    certificate_no: Mapped[str] = mapped_column(String(60), default="")

    course: Mapped[Course] = relationship(back_populates="enrolments")
