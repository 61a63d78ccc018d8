"""The period lock (RETURN_SPEC "Submission and locking").

A return submitted for a unit (status ``submitted`` or ``revised``) locks every
record of that unit whose counting date is on or before the period's end E:
changing it would change figures already sent. A period the station head has
reopened locks nothing of its own, but an earlier submitted period still locks
its records, and so does any later one still submitted (its 本年累计 counts
them too).

A record belongs to the returns of the areas above it: a placement of a person
in village V is locked by the returns of V's township and of the county (in a
county database the townships' and the county's returns live side by side).
A record with no known area is locked by any unit's return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborstation.errors import PeriodLocked
from laborstation.model import Area, MonthlyReturn, Setting
from laborstation.model.reporting import REVISED, SUBMITTED
from laborstation.periods import Period

__all__ = [
    "LOCKING_STATUSES", "Locks", "assert_unlocked", "is_locked", "locked_until", "read_locked_until",
]

LOCKING_STATUSES = (SUBMITTED, REVISED)
CUTOFF_KEY = "cutoff_day"


def _cutoff_day(session: Session) -> int | None:
    row = session.get(Setting, CUTOFF_KEY)
    value = (row.value or "").strip() if row else ""
    return int(value) if value.isdigit() and int(value) else None


@dataclass
class Locks:
    """The submitted periods of every unit, read once; ``check`` then costs no query
    except one walk up the area tree per new area (cached), so an import can call
    it for every row."""

    session: Session
    ends: dict[int, list[Period]]  # unit area id -> its locking periods, by end
    _units: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _sorted: dict[int | None, list[Period]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, session: Session) -> Locks:
        cutoff = _cutoff_day(session)
        rows = session.execute(
            select(MonthlyReturn.area_id, MonthlyReturn.period).where(
                MonthlyReturn.status.in_(LOCKING_STATUSES)
            )
        ).all()
        ends: dict[int, list[Period]] = {}
        for area_id, period in rows:
            ends.setdefault(area_id, []).append(Period.parse(period, cutoff))
        for periods in ends.values():
            periods.sort(key=lambda p: p.end)
        return cls(session, ends)

    def _units_of(self, area_id: int | None) -> tuple[int, ...]:
        """The unit ids whose returns bind a record of ``area_id`` (itself and its ancestors)."""
        if area_id is None:
            return tuple(self.ends)
        if area_id not in self._units:
            chain: list[int] = []
            current: int | None = area_id
            while current is not None and current not in chain:
                chain.append(current)
                current = self.session.execute(
                    select(Area.parent_id).where(Area.id == current)
                ).scalar_one_or_none()
            self._units[area_id] = tuple(chain)
        return self._units[area_id]

    def _periods(self, area_id: int | None) -> list[Period]:
        """The periods locking records of ``area_id``, by end (sorted once per area: an
        import asks for every row)."""
        found = self._sorted.get(area_id)
        if found is None:
            found = self._sorted[area_id] = sorted(
                (p for unit in self._units_of(area_id) for p in self.ends.get(unit, ())),
                key=lambda p: p.end,
            )
        return found

    def locked_until(self, area_id: int | None = None) -> date | None:
        periods = self._periods(area_id)
        return periods[-1].end if periods else None

    def locking_period(self, day: date, area_id: int | None = None) -> Period | None:
        """The earliest submitted period whose end is on or after ``day``; None if free."""
        for period in self._periods(area_id):
            if day <= period.end:
                return period
        return None

    def check(self, day: date | None, *, area_id: int | None = None, what: str = "") -> None:
        if day is None:
            return
        period = self.locking_period(day, area_id)
        if period is None:
            return
        record = f"该{what}" if what else "该记录"
        if day >= period.start:
            where = f"属于已报送的 {period.label} 报告期"
        else:
            where = f"已计入已报送的 {period.label} 报告期（截至 {period.end.isoformat()}）"
        raise PeriodLocked(
            f"{record}（{day.isoformat()}）{where}，已锁定；如需修改，请所长先退回该期月报。"
        )


def locked_until(session: Session, area_id: int | None = None) -> date | None:
    """The last day locked for records of ``area_id`` (any unit when None), or None."""
    return Locks.load(session).locked_until(area_id)


def is_locked(session: Session, day: date, area_id: int | None = None) -> bool:
    return Locks.load(session).locking_period(day, area_id) is not None


def assert_unlocked(
    session: Session, day: date | None, *, area_id: int | None = None, what: str = ""
) -> None:
    """Raise ``PeriodLocked`` when a record dated ``day`` is counted in a submitted return.

    ``what`` names the record in the message, e.g. '转移就业记录'.
    """
    Locks.load(session).check(day, area_id=area_id, what=what)


def read_locked_until(store, area_id: int | None = None) -> date | None:
    """``locked_until`` for callers without a session (the GUI greys out locked rows)."""
    with store.reading() as session:
        return locked_until(session, area_id)
