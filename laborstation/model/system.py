"""Users, the audit log and station settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from laborstation.db.base import Base, Timestamps

HEAD, CLERK, VIEWER = "head", "clerk", "viewer"
ROLE_NAMES = {HEAD: "所长", CLERK: "经办员", VIEWER: "查询"}


class User(Timestamps, Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[str] = mapped_column(String(10), default=CLERK)
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """One changed field of one row: who, when, what, old → new (written by db.audit).

    An import writes one entry for each run of records it added: ids ``row_id`` to
    ``last_row_id``, with the file, the sheet and each record's spreadsheet row in
    ``new`` (``importing.audit_runs``), instead of a quarter of a million entries.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_table_row", "table_name", "row_id"),
        Index("ix_audit_log_runs", "table_name", "last_row_id",
              sqlite_where=text("last_row_id IS NOT NULL"),
              postgresql_where=text("last_row_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=func.now(), index=True)
    user_name: Mapped[str] = mapped_column(String(40), default="", index=True)
    action: Mapped[str] = mapped_column(String(10))  # insert / update / delete / restore / ...
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int | None] = mapped_column(Integer)
    last_row_id: Mapped[int | None] = mapped_column(Integer)  # set for an import's run of rows
    field: Mapped[str] = mapped_column(String(40), default="")
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    """Station settings as key/value text (station name, area code, cut-off day, ...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
