"""Submit, reopen and look up a period's return (RETURN_SPEC "Submission and locking").

Submitting writes the file, stores the figures, who and when, and the file's
SHA-256 in ``monthly_return`` with status ``submitted`` (``revised`` after a
reopening); ``services.locking`` then refuses changes to records counted in it.
Only the station head may reopen; the reopening is audited and makes the next
export a revision (修订).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from laborstation.db import audit
from laborstation.errors import UserError
from laborstation.model import MonthlyReturn
from laborstation.model.reporting import (
    REOPENED,
    RETURN_STATUS_NAMES,
    REVISED,
    SUBMITTED,
)
from laborstation.returns.build import ReturnData, build_return, period_of, require_station
from laborstation.returns.validation import Finding, check_return, errors
from laborstation.services import authz


class SubmissionRefused(UserError):
    """Submission refused while an error finding stands (the findings are attached)."""

    def __init__(self, message: str, findings: list[Finding]):
        super().__init__(message)
        self.findings = findings


@dataclass(frozen=True)
class ReturnStatus:
    period: str
    area_id: int
    status: str
    status_name: str
    revision: int
    submitted_by: str | None
    submitted_at: datetime | None
    file_sha256: str | None
    reopened_by: str | None
    reopened_at: datetime | None
    figures: dict | None

    @property
    def locks(self) -> bool:
        return self.status in (SUBMITTED, REVISED)


@dataclass(frozen=True)
class Submitted:
    status: ReturnStatus
    path: Path
    file_sha256: str
    findings: list[Finding]  # the warnings that stood


def _row(session: Session, period: str, area_id: int) -> MonthlyReturn | None:
    return session.execute(
        select(MonthlyReturn).where(
            MonthlyReturn.period == period, MonthlyReturn.area_id == area_id
        )
    ).scalar_one_or_none()


def _status(row: MonthlyReturn) -> ReturnStatus:
    return ReturnStatus(
        row.period,
        row.area_id,
        row.status,
        RETURN_STATUS_NAMES.get(row.status, row.status),
        row.revision or 0,
        row.submitted_by,
        row.submitted_at,
        row.file_sha256,
        row.reopened_by,
        row.reopened_at,
        row.figures,
    )


def return_status(store, period: str) -> ReturnStatus | None:
    """The stored state of a period's return for the station's unit (None: never submitted)."""
    with store.reading() as session:
        station = require_station(session)
        row = _row(session, str(period_of(session, period)), station.area_id)
        return _status(row) if row else None


def list_returns(store) -> list[ReturnStatus]:
    with store.reading() as session:
        station = require_station(session)
        rows = session.scalars(
            select(MonthlyReturn)
            .where(MonthlyReturn.area_id == station.area_id)
            .order_by(MonthlyReturn.period)
        )
        return [_status(r) for r in rows]


def export_return(
    store, period: str, out: str | Path, *, today: date | None = None
) -> tuple[ReturnData, str]:
    """Write the workbook without submitting; returns (data, file SHA-256)."""
    from laborstation.returns.workbook import write_return  # openpyxl: only when writing
    with store.reading() as session:
        data = build_return(session, period)
    sha = write_return(data, out, preparer=store.actor.name, today=today)
    return data, sha


def submit_return(store, period: str, out: str | Path, *, today: date | None = None) -> Submitted:
    """Check, write the file and store the submission; refuses on an error finding."""
    authz.require_writer(store)
    with store.session() as session:
        station = require_station(session)
        data = build_return(session, period)
        key = str(data.period)
        row = _row(session, key, station.area_id)
        if row is not None and row.status in (SUBMITTED, REVISED):
            when = f"已于 {row.submitted_at:%Y-%m-%d %H:%M} " if row.submitted_at else "已"
            who = f"由 {row.submitted_by} " if row.submitted_by else ""
            raise UserError(f"{data.period.label}月报{when}{who}报送；如需修改，请所长先退回"
                            "（--reopen）。")
        findings = check_return(session, data, today=today)
        blocking = errors(findings)
        if blocking:
            lines = "\n".join(f"  {f}" for f in blocking)
            raise SubmissionRefused(
                f"{data.period.label}月报有 {len(blocking)} 项错误，不能报送：\n{lines}", findings
            )
        from laborstation.returns.workbook import write_return

        sha = write_return(data, out, preparer=store.actor.name, today=today)
        if row is None:
            row = MonthlyReturn(period=key, area_id=station.area_id, revision=0)
            session.add(row)
        row.status = REVISED if row.status == REOPENED else SUBMITTED
        row.revision = data.revision
        row.figures = {"checksum": data.checksum, "figures": data.figures()}
        row.file_sha256 = sha
        row.submitted_by = store.actor.name
        row.submitted_at = datetime.now().replace(microsecond=0)
        try:
            session.flush()
        except IntegrityError:  # another clerk on the same server submitted it meanwhile
            raise UserError(
                f"{data.period.label}月报刚刚已由其他用户报送，本次未记录；请查看报送状态（--status）。"
            ) from None
        return Submitted(_status(row), Path(out), sha, findings)


def reopen_return(store, period: str, *, reason: str = "") -> ReturnStatus:
    """The station head reopens a submitted period (audited); its records unlock."""
    authz.require_head(store, authz.REOPEN)
    with store.session() as session:
        station = require_station(session)
        key = str(period_of(session, period))
        row = _row(session, key, station.area_id)
        if row is None or row.status not in (SUBMITTED, REVISED):
            raise UserError(f"{key} 的月报尚未报送，无需退回。")
        old = row.status
        row.status = REOPENED
        row.reopened_by = store.actor.name
        row.reopened_at = datetime.now().replace(microsecond=0)
        session.flush()
        audit.record(
            session,
            "reopen",
            "monthly_return",
            row.id,
            "status",
            old,
            REOPENED + (f"：{reason}" if reason else ""),
        )
        return _status(row)
