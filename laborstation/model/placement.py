"""Placements (转移就业 / 劳务输出): one departure of one person to a job."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from laborstation.db.base import Base, Money, SoftDelete, Timestamps
from laborstation.model.employers import Employer


class Placement(Timestamps, SoftDelete, Base):
    """A placement is active from ``start_on`` to the day before ``return_on``.

    ``region_class`` (乡镇内/县内乡镇外/县外省内/省外/境外) follows from the
    destination and the unit's own county and township; it is stored so the
    return counts it with one indexed query.
    """

    __tablename__ = "placement"
    __table_args__ = (
        Index("ix_placement_person_start", "person_id", "start_on"),
        # Covers "active on a day" (104, 503) without visiting the rows.
        Index("ix_placement_active", "start_on", "return_on", "deleted_at", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date, index=True)
    return_on: Mapped[date | None] = mapped_column(Date, index=True)
    province: Mapped[str | None] = mapped_column(String(2))  # province code list; None abroad
    city: Mapped[str] = mapped_column(String(40), default="")
    area_code: Mapped[str | None] = mapped_column(String(12))  # GB/T 2260 code when known
    destination: Mapped[str] = mapped_column(String(200), default="")  # as written
    region_class: Mapped[str | None] = mapped_column(String(2), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    employer_name: Mapped[str] = mapped_column(String(120), default="")
    industry: Mapped[str | None] = mapped_column(String(1))  # GB/T 4754 门类
    occupation: Mapped[str | None] = mapped_column(String(1))
    employment_form: Mapped[str | None] = mapped_column(String(1))
    organised: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(120), default="")  # through whom
    monthly_wage: Mapped[Decimal | None] = mapped_column(Money)
    contract: Mapped[bool] = mapped_column(Boolean, default=False)
    insurances: Mapped[str] = mapped_column(String(60), default="")
    brand: Mapped[str] = mapped_column(String(60), default="")  # 劳务品牌
    program: Mapped[str] = mapped_column(String(60), default="")  # e.g. 对疆劳务协作
    notes: Mapped[str] = mapped_column(Text, default="")

    employer: Mapped[Employer | None] = relationship()
