"""County consolidation (RETURN_SPEC "County consolidation"): the townships' returns in,
the county's return out.

Each file's ``_meta`` is checked (format and version, unit of this county, period,
SHA-256 over the figures); a wrong, altered or duplicate file is refused with the
reason. Flows and stocks are added; the % rows are recomputed from the sums, never
averaged. A township that sent nothing usable is listed as missing, never guessed.
Writing the workbook is ``consolidate_workbook.py``'s.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from laborstation.errors import UserError, ValidationError
from laborstation.indicators import INDICATORS, RATE, VILLAGE_CODES, percent
from laborstation.periods import Period
from laborstation.returns.build import (
    FORMAT_VERSION,
    ReturnData,
    VillageRow,
    _rows,
)
from laborstation.returns.reader import ReturnFile, ReturnFileError, read_return
from laborstation.returns.workbook import SHEET_PLACEMENTS, SHEET_TRAINING
from laborstation.services.station import StationInfo, county_name

DEFAULT_DUE_DAY = 5
_RATES = {"210": ("201", "101"), "310": ("309", "308"), "311": ("301", "101")}
_WINDOWS = ("本月", "本年累计", "上年同期累计")


class ConsolidationError(UserError):
    """Nothing to consolidate, or no county to consolidate for."""


@dataclass(frozen=True)
class County:
    """The unit the county return is made for, and the townships it expects."""

    code6: str
    name: str
    area_id: int = 0
    cutoff_day: int | None = None
    head: str = ""
    phone: str = ""
    townships: tuple[tuple[str, str], ...] = ()  # (12-digit code, name) known in the store
    targets: dict = field(default_factory=dict)  # {year: {code: Decimal}} set for the county

    @property
    def code(self) -> str:
        return f"{self.code6}000000"


@dataclass
class Received:
    """A township return accepted into the sums."""

    file: ReturnFile
    generated_at: datetime | None
    on_time: bool
    placements: list[tuple] = field(default_factory=list)
    training: list[tuple] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.file.unit_code

    @property
    def name(self) -> str:
        return self.file.meta.get("unit_name", "")


@dataclass(frozen=True)
class Refused:
    path: Path
    reason: str
    unit_code: str = ""
    unit_name: str = ""
    generated_at: datetime | None = None
    checksum_ok: bool | None = None


@dataclass(frozen=True)
class TownshipStatus:
    """One line of 报送情况."""

    code: str
    name: str
    received: bool  # a file of this township arrived (accepted or not)
    consolidated: bool  # its figures are in the county's sums
    on_time: bool | None
    submitted_at: datetime | None
    checksum_ok: bool | None
    revision: int | None
    file_name: str
    note: str


@dataclass
class Consolidation:
    data: ReturnData
    due: date
    received: list[Received]
    refused: list[Refused]
    statuses: list[TownshipStatus]

    @property
    def missing(self) -> list[TownshipStatus]:
        return [s for s in self.statuses if not s.consolidated]


def due_date(period: Period, due_day: int = DEFAULT_DUE_DAY) -> date:
    """The due day of the month after the period (the month's last day if shorter)."""
    if not 1 <= int(due_day) <= 31:
        raise ValidationError(f"报送截止日 {due_day} 无效：应为 1 到 31。", "due_day")
    nxt = Period(period.year, period.month).next()
    last = calendar.monthrange(nxt.year, nxt.month)[1]
    return date(nxt.year, nxt.month, min(int(due_day), last))


def _generated_at(meta: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(meta.get("generated_at", "").strip())
    except ValueError:
        return None


def _is_township_of(code: str, county6: str) -> bool:
    return (len(code) == 12 and code.isdigit() and code[:6] == county6
            and code[6:9] != "000" and code[9:] == "000")


def _read_all(paths) -> tuple[list[ReturnFile], list[Refused]]:
    files, refused = [], []
    for path in paths:
        try:
            files.append(read_return(path))
        except ReturnFileError as error:
            refused.append(Refused(Path(path), str(error)))
    return files, refused


def _most_common(values) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def _county_of(files: list[ReturnFile], county: County | None) -> County:
    if county is not None:
        return county
    code6 = _most_common(f.unit_code[:6] for f in files if len(f.unit_code) == 12)
    if code6 is None:
        raise ConsolidationError("没有可汇总的乡镇月报：无法确定是哪个县。")
    return County(code6, county_name(code6) or f"{code6}（县）")


def _period_of(files: list[ReturnFile], period: str | Period | None, county: County) -> Period:
    cutoff = county.cutoff_day
    if cutoff is None:
        found = _most_common(f.meta.get("cutoff_day", "0") for f in files)
        cutoff = int(found) if found and found.isdigit() else None
    if isinstance(period, Period):
        return period
    text = period or _most_common(f.period for f in files)
    if not text:
        raise ConsolidationError("没有可汇总的乡镇月报：请用 --period 指定报告期。")
    return Period.parse(text, cutoff)


def _refusal(f: ReturnFile, period: Period, county: County) -> str | None:
    """Why a readable return cannot be summed (None: it can)."""
    version = f.meta.get("format_version", "")
    if version != str(FORMAT_VERSION):
        return f"格式版本为“{version}”，本程序只能汇总第 {FORMAT_VERSION} 版的月报。"
    if not _is_township_of(f.unit_code, county.code6):
        return (f"填报单位区划代码“{f.unit_code}”不是{county.name}（{county.code6}）的乡镇，"
                "不能汇总进本县。")
    if f.period != str(period):
        return f"报告期为 {f.period}，不是本次汇总的 {period}。"
    window = (period.month_window.start.isoformat(), period.month_window.end.isoformat())
    if (f.meta.get("period_start"), f.meta.get("period_end")) != window:
        return (f"报告期起止为 {f.meta.get('period_start')} 至 {f.meta.get('period_end')}，"
                f"与本县 {window[0]} 至 {window[1]} 不一致（截止日设置不同）。")
    if set(f.figures) != set(INDICATORS):
        return "月报表缺少指标行，文件已被改动。"
    if not f.checksum_ok:
        return "月报表中的数字与 _meta 中的 SHA-256 校验值不符：文件在导出后被改动过。"
    return None


def _refused(f: ReturnFile, reason: str) -> Refused:
    return Refused(f.path, reason, f.unit_code, f.meta.get("unit_name", ""),
                   _generated_at(f.meta), f.checksum_ok)


def _accept(files, period: Period, county: County, due: date, refused: list[Refused]
            ) -> list[Received]:
    """The files that pass, one per township (a higher revision replaces a lower one)."""
    deadline = datetime.combine(due, time.max)
    kept: dict[str, Received] = {}
    for f in files:
        reason = _refusal(f, period, county)
        if reason:
            refused.append(_refused(f, reason))
            continue
        at = _generated_at(f.meta)
        got = Received(f, at, at is not None and at <= deadline)
        other = kept.get(f.unit_code)
        if other is not None:
            newer, older = (got, other) if f.revision > other.file.revision else (other, got)
            refused.append(_refused(older.file, (
                f"重复：{got.name}（{f.unit_code}）的月报已有文件 {newer.file.path.name}"
                f"（修订 {newer.file.revision}），本文件未汇总。")))
            got = newer
        kept[f.unit_code] = got
    return [kept[code] for code in sorted(kept)]


def _number(code: str, text: str | None):
    if text is None:
        return None
    return Decimal(text) if INDICATORS[code].decimals else int(Decimal(text))


def _sums(received: list[Received]) -> tuple[dict, dict, dict, dict]:
    """The county's 本月, 本年累计 and 上年同期累计 figures, and the townships' targets."""
    columns: list[dict] = [{}, {}, {}]
    targets: dict = {}
    for code, indicator in INDICATORS.items():
        if indicator.kind == RATE:
            continue
        for column, window in zip(columns, _WINDOWS, strict=True):
            values = [r.file.value(code, window) for r in received]
            given = [v for v in values if v is not None]
            column[code] = _number(code, str(sum(given))) if given else None
        given = [r.file.value(code, "年度目标") for r in received]
        given = [v for v in given if v is not None]
        if given:
            targets[code] = sum(given)
    for column in columns:
        for rate, (part, whole) in _RATES.items():
            if column.get(part) is not None and column.get(whole) is not None:
                column[rate] = percent(column[part], column[whole])
            else:
                column[rate] = None
    return columns[0], columns[1], columns[2], targets


def _rosters(received: Received) -> None:
    """Read the township's two rosters (when the sheets are there) into ``received``."""
    wb = load_workbook(received.file.path, read_only=True, data_only=True)
    try:
        for sheet, date_cols, target in ((SHEET_PLACEMENTS, (5,), received.placements),
                                         (SHEET_TRAINING, (9, 10), received.training)):
            if sheet not in wb.sheetnames:
                continue
            for row in wb[sheet].iter_rows(min_row=4, values_only=True):
                if not row or row[2] in (None, ""):
                    continue
                row = list(row[:12])
                for col in date_cols:
                    if isinstance(row[col], datetime):
                        row[col] = row[col].date()
                row[1] = f"{received.name}·{row[1]}" if row[1] else received.name
                target.append(tuple(row))
    finally:
        wb.close()


def _numbered(rows: list[tuple]) -> list[tuple]:
    return [(n, *row[1:]) for n, row in enumerate(rows, start=1)]


def _statuses(county: County, received: list[Received], refused: list[Refused]
              ) -> list[TownshipStatus]:
    names = dict(county.townships)
    by_code = {r.code: r for r in received}
    first_refusal: dict[str, Refused] = {}
    for r in refused:
        if _is_township_of(r.unit_code, county.code6):
            names.setdefault(r.unit_code, r.unit_name)
            first_refusal.setdefault(r.unit_code, r)
    for r in received:
        names.setdefault(r.code, r.name)
    out = []
    for code in sorted(names):
        got = by_code.get(code)
        if got is not None:
            note = f"修订 {got.file.revision} 次" if got.file.revision else ""
            out.append(TownshipStatus(code, got.name or names[code], True, True, got.on_time,
                                      got.generated_at, True, got.file.revision,
                                      got.file.path.name, note))
        elif code in first_refusal:
            r = first_refusal[code]
            out.append(TownshipStatus(code, names[code] or r.unit_name, True, False, None,
                                      r.generated_at, r.checksum_ok, None, r.path.name,
                                      f"已拒收：{r.reason}"))
        else:
            out.append(TownshipStatus(code, names[code], False, False, None, None, None, None,
                                      "", "未报送"))
    return out


def consolidate(paths, *, period: str | Period | None = None, due_day: int = DEFAULT_DUE_DAY,
                county: County | None = None, rosters: bool = True,
                now: datetime | None = None) -> Consolidation:
    """Check and add the townships' returns; the county's ReturnData and the 报送情况."""
    files, refused = _read_all(paths)
    county = _county_of(files, county)
    period = _period_of(files, period, county)
    due = due_date(period, due_day)
    received = _accept(files, period, county, due, refused)
    if not received:
        reasons = "\n".join(f"  {r.path.name}：{r.reason}" for r in refused)
        raise ConsolidationError(f"没有一份可以汇总的{period.label}乡镇月报。\n{reasons}".rstrip())
    month, year, last, township_targets = _sums(received)
    targets = county.targets.get(period.year) or township_targets
    if rosters:
        for r in received:
            _rosters(r)
    station = StationInfo(county.name, county.code, county.area_id, "county", county.code6,
                          county.area_id, period.cutoff_day, county.head, county.phone)
    statuses = _statuses(county, received, refused)
    by_code = {r.code: r for r in received}
    villages = []
    for status in statuses:
        got = by_code.get(status.code)
        values = ({c: _number(c, got.file.figures[c][1]) for c in VILLAGE_CODES} if got
                  else {})
        name = status.name if got else f"{status.name}（未汇总）"
        villages.append(VillageRow(None, status.code, name, values))
    missing = [s.code for s in statuses if not s.consolidated]
    data = ReturnData(
        station=station,
        period=period,
        month=period.month_window,
        year=period.year_window,
        last_year=period.last_year_window,
        rows=_rows(month, year, last, targets),
        villages=villages,
        village_total=VillageRow(county.area_id or None, county.code, "合计",
                                 {c: year.get(c) for c in VILLAGE_CODES}),
        placement_roster=_numbered([row for r in received for row in r.placements]),
        training_roster=_numbered([row for r in received for row in r.training]),
        revision=0,
        generated_at=(now or datetime.now()).replace(microsecond=0),
        extra={"area_label": "乡镇", "meta": {
            "consolidated_from": ",".join(by_code),
            "townships_missing": ",".join(missing),
        }},
    )
    return Consolidation(data, due, received, refused, statuses)


def county_in(session) -> County:
    """The county of a store's station: its name, settings, targets and known townships."""
    from sqlalchemy import select

    from laborstation.model import TOWNSHIP, Area, Target
    from laborstation.returns.build import require_station

    station = require_station(session)
    county = session.get(Area, station.county_area_id)
    is_county = station.level == "county"
    townships = session.execute(
        select(Area.code, Area.name)
        .where(Area.parent_id == county.id, Area.level == TOWNSHIP, Area.deleted_at.is_(None),
               Area.code.is_not(None))
        .order_by(Area.code)
    ).all()
    targets: dict = {}
    for year, code, value in session.execute(
        select(Target.year, Target.indicator, Target.value).where(Target.area_id == county.id)
    ):
        targets.setdefault(year, {})[code] = Decimal(value)
    return County(
        station.county_code,
        station.name if is_county else county.name,
        county.id,
        station.cutoff_day,
        station.head if is_county else "",
        station.phone if is_county else "",
        tuple((code, name) for code, name in townships),
        targets,
    )
