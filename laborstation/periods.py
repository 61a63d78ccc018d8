"""Report periods and the windows of the return (RETURN_SPEC.md, "Windows").

A period is a month ``YYYY-MM``. By default it runs from the 1st to the last
day of the month; a station may set a cut-off day N (the 人社 convention is
20), and then period ``2026-10`` runs from 21 September to 20 October.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from laborstation.errors import ValidationError

_PERIOD = re.compile(r"^\s*(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?\s*$")


@dataclass(frozen=True, slots=True, order=True)
class Window:
    """An inclusive range of dates."""

    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def shift_year(day: date, years: int) -> date:
    """The same day ``years`` later (29 Feb → 28 Feb when the year has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _month_end(year: int, month: int, cutoff_day: int | None) -> date:
    if cutoff_day:
        return date(year, month, min(cutoff_day, calendar.monthrange(year, month)[1]))
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True, order=True)
class Period:
    year: int
    month: int
    cutoff_day: int | None = None  # None or 0: calendar months

    @classmethod
    def parse(cls, text: str, cutoff_day: int | None = None) -> Period:
        match = _PERIOD.match(str(text))
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(f"报告期“{text}”格式不对，应为 年-月，例如 2026-10。", "period")
        return cls(int(match.group(1)), int(match.group(2)), cutoff_day or None)

    @classmethod
    def containing(cls, day: date, cutoff_day: int | None = None) -> Period:
        """The period whose window contains ``day``."""
        period = cls(day.year, day.month, cutoff_day or None)
        if day > period.end:
            period = period.next()
        return period

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def previous(self) -> Period:
        if self.month == 1:
            return Period(self.year - 1, 12, self.cutoff_day)
        return Period(self.year, self.month - 1, self.cutoff_day)

    def next(self) -> Period:
        if self.month == 12:
            return Period(self.year + 1, 1, self.cutoff_day)
        return Period(self.year, self.month + 1, self.cutoff_day)

    @property
    def end(self) -> date:
        """E: the last day of the period."""
        return _month_end(self.year, self.month, self.cutoff_day)

    @property
    def start(self) -> date:
        if self.cutoff_day:
            return self.previous().end + timedelta(days=1)
        return date(self.year, self.month, 1)

    @property
    def month_window(self) -> Window:
        """P: the period itself."""
        return Window(self.start, self.end)

    @property
    def year_window(self) -> Window:
        """Y: 1 January of the period's year (or the day after last December's cut-off) to E."""
        first = Period(self.year, 1, self.cutoff_day)
        return Window(first.start, self.end)

    @property
    def last_year_window(self) -> Window:
        """LY: Y shifted back one year."""
        y = self.year_window
        return Window(shift_year(y.start, -1), shift_year(y.end, -1))

    @property
    def last_year_month_window(self) -> Window:
        """The same month last year (for rule V5)."""
        return Period(self.year - 1, self.month, self.cutoff_day).month_window
