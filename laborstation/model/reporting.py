"""Annual targets (目标任务) and monthly returns (月报)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from laborstation.db.base import Base, Timestamps

DRAFT, SUBMITTED, REOPENED, REVISED = "draft", "submitted", "reopened", "revised"
RETURN_STATUS_NAMES = {DRAFT: "草稿", SUBMITTED: "已报送", REOPENED: "已退回修改", REVISED: "已修订报送"}


class Target(Timestamps, Base):
    """The county's target for one indicator (return code) in one year, for one unit."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("year", "indicator", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    indicator: Mapped[str] = mapped_column(String(3))  # return row code, e.g. '201'
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))


class MonthlyReturn(Timestamps, Base):
    """The state of one period's return for one unit: draft → submitted → reopened → revised."""

    __tablename__ = "monthly_return"
    __table_args__ = (UniqueConstraint("period", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    figures: Mapped[dict | None] = mapped_column(JSON)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    submitted_by: Mapped[str | None] = mapped_column(String(40))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened_by: Mapped[str | None] = mapped_column(String(40))
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)
