"""Households (户) and persons (人): the real-name register (实名制台账)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from laborstation.db.base import Base, SoftDelete, Timestamps
from laborstation.model.area import Area
from laborstation.search_keys import SEARCH_TEXT_MAX


class Household(Timestamps, SoftDelete, Base):
    __tablename__ = "household"
    # Covers the list of live 脱贫/监测 households the return's 103 and 207 look persons up in.
    __table_args__ = (Index("ix_household_category_live", "category", "deleted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), index=True)  # 户编号
    village_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # (no index of its own: ix_household_category_live starts with it, migration 0008)
    category: Mapped[str] = mapped_column(String(2), default="0")  # household_category
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", use_alter=True, name="fk_household_head_id_person"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    village: Mapped[Area] = relationship(foreign_keys=[village_id])
    group: Mapped[Area | None] = relationship(foreign_keys=[group_id])
    head: Mapped[Person | None] = relationship(foreign_keys=[head_id], post_update=True)
    members: Mapped[list[Person]] = relationship(
        foreign_keys="Person.household_id", back_populates="household"
    )


class Person(Timestamps, SoftDelete, Base):
    """One villager, identified by the 18-character citizen ID number.

    ``sex`` and ``birth_date`` are derived from the ID number by the services;
    ``village_id`` follows the household (and places a person who has none).
    ``search_text`` holds the lower-case keys the register search matches
    (name, full pinyin, pinyin initials), so search is an indexed query.
    """

    __tablename__ = "person"
    __table_args__ = (
        Index(
            "uq_person_id_number_live",
            "id_number",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # The recycle bin's rows alone (a whole deleted_at index would draw queries on
        # live rows away from their name or search ranges: see migration 0005).
        Index(
            "ix_person_binned",
            "deleted_at",
            sqlite_where=text("deleted_at IS NOT NULL"),
            postgresql_where=text("deleted_at IS NOT NULL"),
        ),
        # (no index on name alone, migration 0008: a name search reads search_text)
        Index("ix_person_village_birth", "village_id", "birth_date"),
        # Covers the rural-labour condition of the return's stock figures (101–104, 503):
        # sex and birth date lead, so a look-up by ``deleted_at IS NULL`` alone is not
        # drawn to it (the planner, with no statistics, took it over the name and
        # search ranges, making the register search ~400× slower).
        Index(
            "ix_person_labour",
            "sex", "birth_date", "deleted_at", "is_rural", "labour_capacity", "died_on",
            "household_id", "village_id", "local_status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by uq_person_id_number_live alone: a search reads the recycle bin's
    # numbers through ix_person_binned (migration 0007).
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(1))  # '1' male, '2' female (GB/T 2261)
    # No index of its own (migration 0006): ix_person_labour and ix_person_village_birth.
    birth_date: Mapped[date] = mapped_column(Date)
    nation: Mapped[str] = mapped_column(String(2), default="01")
    education: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    # (no index of its own: ix_person_village_birth starts with it)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    relation: Mapped[str | None] = mapped_column(String(2))  # relation to head
    labour_capacity: Mapped[str] = mapped_column(String(1), default="1")
    is_rural: Mapped[bool] = mapped_column(Boolean, default=True)
    local_status: Mapped[str | None] = mapped_column(String(2), index=True)
    skills: Mapped[str] = mapped_column(String(200), default="")
    training_wish: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    died_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(String(SEARCH_TEXT_MAX), default="", index=True)
    # As SoftDelete's, without an index of its own: ix_person_labour starts with it.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)

    household: Mapped[Household | None] = relationship(
        foreign_keys=[household_id], back_populates="members"
    )
    village: Mapped[Area | None] = relationship(foreign_keys=[village_id])

    def __repr__(self) -> str:
        return f"Person({self.id}, {self.name}, {self.id_number})"
