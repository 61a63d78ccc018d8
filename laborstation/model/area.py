"""The area tree: county (县) → township (乡镇) → village (行政村) → group (村民小组)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from laborstation.db.base import Base, SoftDelete, Timestamps

COUNTY, TOWNSHIP, VILLAGE, GROUP = "county", "township", "village", "group"
LEVELS = (COUNTY, TOWNSHIP, VILLAGE, GROUP)
LEVEL_NAMES = {COUNTY: "县", TOWNSHIP: "乡镇", VILLAGE: "行政村", GROUP: "村民小组"}


class Area(Timestamps, SoftDelete, Base):
    """One node of the area tree.

    ``code`` is the 12-digit statistical area code (6 digits GB/T 2260 county,
    3 township, 3 village); a village group has none of its own, only a name
    and an order under its village.
    """

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(10), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"Area({self.id}, {self.level}, {self.code}, {self.name})"
