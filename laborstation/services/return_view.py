"""What the 月报 page and the 工作台 show, computed by the core (no Qt here).

``load_return_view`` builds a period's return (without the rosters), runs the
checks V1–V7 and reads the stored status: one call on the GUI's worker.
``load_dashboard`` gives the year's progress against the targets, this month's
key figures and the monthly 201/301 series of this year and last year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from laborstation.indicators import INDICATORS, compute_all, format_value, make_scope, percent
from laborstation.periods import Period
from laborstation.returns.build import ReturnData, build_return, require_station
from laborstation.returns.submission import ReturnStatus, list_returns, return_status
from laborstation.returns.validation import Finding, check_return
from laborstation.services.station import get_station
from laborstation.services.targets import targets_in

#: The figures the 工作台 shows for the current month.
KEY_CODES = ("201", "208", "209", "301", "307", "401", "501", "605")
#: The figures of the monthly bar chart.
CHART_CODES = ("201", "301")
SECTION, FIGURE = "section", "figure"


@dataclass(frozen=True)
class DisplayRow:
    """One line of the figures table: a section heading or an indicator with six texts."""

    kind: str  # SECTION | FIGURE
    code: str
    name: str
    unit: str = ""
    texts: tuple[str | None, ...] = ()
    is_part: bool = False


@dataclass
class ReturnView:
    period: Period
    data: ReturnData
    rows: list[DisplayRow]
    findings: list[Finding]
    status: ReturnStatus | None
    history: list[ReturnStatus] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def status_name(self) -> str:
        return self.status.status_name if self.status else "草稿"


def current_period(store, today: date | None = None) -> Period:
    """The period that contains today, by the station's cut-off day."""
    station = get_station(store)
    return Period.containing(today or date.today(), station.cutoff_day if station else None)


def recent_periods(store, count: int = 24, today: date | None = None) -> list[Period]:
    """The current period and the ``count - 1`` before it, newest first."""
    period = current_period(store, today)
    out = []
    for _ in range(count):
        out.append(period)
        period = period.previous()
    return out


def display_rows(data: ReturnData) -> list[DisplayRow]:
    rows: list[DisplayRow] = []
    section = None
    for row in data.rows:
        if row.section != section:
            section = row.section
            rows.append(DisplayRow(SECTION, "", section))
        rows.append(DisplayRow(FIGURE, row.code, row.name, row.unit, tuple(row.texts()),
                               INDICATORS[row.code].is_part))
    return rows


def load_return_view(store, period: str | Period, today: date | None = None) -> ReturnView:
    """The period's figures, findings and status (one unit of reading)."""
    with store.reading() as session:
        data = build_return(session, period, rosters=False)
        findings = check_return(session, data, today=today)
    return ReturnView(data.period, data, display_rows(data), findings,
                      return_status(store, str(data.period)), list_returns(store))


def person_of_record(store, table: str, record_id: int) -> int | None:
    """The person a finding's record belongs to (None for a course or a unit's record)."""
    if table == "person":
        return record_id
    if table == "placement":
        from laborstation.services.placements import get_placement

        return get_placement(store, record_id).person_id
    return None


# -- 工作台 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    code: str
    name: str
    unit: str
    month: str | None
    year: str | None
    target: str
    percent: Decimal | None


@dataclass(frozen=True)
class KeyFigure:
    code: str
    name: str
    unit: str
    month: str | None
    year: str | None


@dataclass
class Dashboard:
    period: Period
    station_name: str
    progress: list[TargetProgress]
    key_figures: list[KeyFigure]
    #: {code: (this year's 12 monthly values, last year's)} up to the current period.
    monthly: dict[str, tuple[list[int], list[int]]]


def _monthly(session, period: Period, scope) -> dict[str, tuple[list[int], list[int]]]:
    out = {code: ([], []) for code in CHART_CODES}
    for month in range(1, period.month + 1):
        for n, year in enumerate((period.year, period.year - 1)):
            window = Period(year, month, period.cutoff_day).month_window
            values = compute_all(session, window, scope, CHART_CODES)
            for code in CHART_CODES:
                out[code][n].append(int(values.get(code) or 0))
    return out


def load_dashboard(store, today: date | None = None, *, chart: bool = True) -> Dashboard:
    """The current period's progress against this year's targets (rates have none)."""
    period = current_period(store, today)
    with store.reading() as session:
        station = require_station(session)
        scope = make_scope(session, station.area_id, unassigned=True)
        memo: dict = {}
        month = compute_all(session, period.month_window, scope, memo=memo)
        year = compute_all(session, period.year_window, scope, memo=memo)
        targets = targets_in(session, period.year, station.area_id)
        monthly = _monthly(session, period, scope) if chart else {}
    progress = []
    for code, target in targets.items():
        indicator = INDICATORS.get(code)
        if indicator is None or not target:
            continue
        progress.append(TargetProgress(
            code, indicator.name, indicator.unit, format_value(code, month.get(code)),
            format_value(code, year.get(code)), format_value(code, target) or "",
            percent(year.get(code) or 0, target)))
    progress.sort(key=lambda p: p.code)
    keys = [KeyFigure(c, INDICATORS[c].name, INDICATORS[c].unit, format_value(c, month.get(c)),
                      format_value(c, year.get(c))) for c in KEY_CODES]
    return Dashboard(period, station.name, progress, keys, monthly)


__all__ = [
    "CHART_CODES",
    "KEY_CODES",
    "Dashboard",
    "DisplayRow",
    "KeyFigure",
    "ReturnView",
    "TargetProgress",
    "current_period",
    "display_rows",
    "load_dashboard",
    "load_return_view",
    "person_of_record",
    "recent_periods",
]
