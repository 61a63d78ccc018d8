"""Build the content of a monthly return: the figures of three windows, the village
sheet, the two rosters and the checksum. Writing the .xlsx is ``workbook.py``'s."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, select, type_coerce
from sqlalchemy.orm import Session, aliased

from laborstation import __version__
from laborstation.codes import code_list
from laborstation.errors import ValidationError
from laborstation.indicators import (
    INDICATORS,
    RATE,
    STOCK,
    VILLAGE_CODES,
    compute_all,
    compute_by_village,
    format_value,
    make_scope,
    percent,
)
from laborstation.indicators.queries import counted_enrolments
from laborstation.indicators.sqlfn import Scope
from laborstation.model import (
    VILLAGE,
    Area,
    Course,
    Employer,
    Enrolment,
    MonthlyReturn,
    Person,
    Placement,
)
from laborstation.model.reporting import REOPENED, REVISED
from laborstation.periods import Period, Window
from laborstation.services.station import StationInfo, station_in
from laborstation.services.targets import targets_in

FORMAT_NAME = "LaborStation-Return"
FORMAT_VERSION = 1
TITLE = "农村劳动力转移就业和技能培训情况月报表"
COLUMNS = ("本月", "本年累计", "年度目标", "完成目标(%)", "上年同期累计", "同比增减(%)")


@dataclass
class ReturnRow:
    code: str
    name: str
    unit: str
    kind: str
    section: str
    decimals: int
    month: int | Decimal | None
    year: int | Decimal | None
    target: Decimal | None
    done_pct: Decimal | None
    last_year: int | Decimal | None
    yoy_pct: Decimal | None

    def values(self) -> list:
        return [self.month, self.year, self.target, self.done_pct, self.last_year, self.yoy_pct]

    def texts(self) -> list[str | None]:
        """Canonical texts of the six figures (the checksum is over these)."""
        own = [self.month, self.year, None, None, self.last_year, None]
        out = [format_value(self.code, v) if v is not None else None for v in own]
        out[2] = _fmt(self.target, self.decimals)
        out[3] = _fmt(self.done_pct, 1)
        out[5] = _fmt(self.yoy_pct, 1)
        return out


@dataclass
class VillageRow:
    area_id: int | None
    code: str
    name: str
    values: dict[str, int | Decimal | None]


@dataclass
class ReturnData:
    station: StationInfo
    period: Period
    month: Window
    year: Window
    last_year: Window
    rows: list[ReturnRow]
    villages: list[VillageRow]
    village_total: VillageRow
    placement_roster: list[tuple]
    training_roster: list[tuple]
    revision: int
    generated_at: datetime
    program_version: str = __version__
    extra: dict = field(default_factory=dict)

    @property
    def is_revision(self) -> bool:
        return self.revision > 0

    def figures(self) -> dict[str, list[str | None]]:
        return {row.code: row.texts() for row in self.rows}

    @property
    def checksum(self) -> str:
        return figures_checksum(self.station.area_code, str(self.period), self.figures())

    def value(self, code: str, column: str = "month"):
        return next(getattr(r, column) for r in self.rows if r.code == code)


def _fmt(value, decimals: int) -> str | None:
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def figures_checksum(unit_code: str, period: str, figures: dict[str, list[str | None]]) -> str:
    """SHA-256 over the unit, the period and every figure as canonical text."""
    payload = {"unit": unit_code, "period": period, "figures": figures}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def revision_of(session: Session, period: Period, area_id: int) -> int:
    """0 for a first export; n for the n-th revision (after the period was reopened)."""
    row = session.execute(
        select(MonthlyReturn).where(
            MonthlyReturn.period == str(period), MonthlyReturn.area_id == area_id
        )
    ).scalar_one_or_none()
    if row is None:
        return 0
    if row.status == REOPENED:
        return row.revision + 1
    return row.revision if row.status == REVISED else 0


def period_of(session: Session, text: str | Period) -> Period:
    station = require_station(session)
    if isinstance(text, Period):
        return text
    return Period.parse(text, station.cutoff_day)


def require_station(session: Session) -> StationInfo:
    station = station_in(session)
    if station is None:
        raise ValidationError(
            "尚未设置填报单位：请先运行 laborstation station --name … --code …。", "station"
        )
    return station


def _rows(month: dict, year: dict, last: dict, targets: dict) -> list[ReturnRow]:
    rows = []
    for code, ind in INDICATORS.items():
        target = targets.get(code) if ind.kind != RATE else None
        y, ly = year.get(code), last.get(code)
        done = percent(y, target) if target else None
        yoy = percent(Decimal(y) - Decimal(ly), ly) if ind.kind != RATE and ly else None
        rows.append(
            ReturnRow(
                code,
                ind.name,
                ind.unit,
                ind.kind,
                ind.section,
                ind.decimals,
                month.get(code),
                y,
                target,
                done,
                ly,
                yoy,
            )
        )
    return rows


def _villages(session: Session, year: Window, scope: Scope, memo: dict) -> list[VillageRow]:
    by_village = compute_by_village(session, year, scope, VILLAGE_CODES, memo=memo)
    stmt = select(Area.id, Area.code, Area.name).where(
        Area.level == VILLAGE, Area.deleted_at.is_(None)
    )
    if scope.area_ids is not None:
        stmt = stmt.where(Area.id.in_(scope.area_ids))
    stmt = stmt.order_by(Area.code, Area.sort_order, Area.name)
    rows = [
        VillageRow(vid, code or "", name, by_village.get(vid) or _zeros())
        for vid, code, name in session.execute(stmt)
    ]
    known = {v.area_id for v in rows}
    for key, values in by_village.items():
        if key not in known and any(values.values()):
            rows.append(
                VillageRow(key, "", "（未分村）" if key is None else f"其他（{key}）", values)
            )
    return rows


def _zeros() -> dict:
    return {c: (Decimal("0.00") if INDICATORS[c].decimals else 0) for c in VILLAGE_CODES}


def _placement_roster(session: Session, window: Window, scope: Scope) -> list[tuple]:
    L, P = Placement, Person
    village = aliased(Area)
    stmt = (
        select(
            L.id,
            village.name,
            P.name,
            P.sex,
            P.id_number,
            L.start_on,
            L.destination,
            L.province,
            L.city,
            L.region_class,
            L.employer_name,
            Employer.name,
            L.industry,
            L.organised,
            type_coerce(L.monthly_wage, BigInteger),
        )
        .join(P, P.id == L.person_id)
        .outerjoin(village, village.id == P.village_id)
        .outerjoin(Employer, Employer.id == L.employer_id)
        .where(
            L.deleted_at.is_(None),
            P.deleted_at.is_(None),
            L.start_on.between(window.start, window.end),
            scope.persons(P.village_id),
        )
        .order_by(village.code, L.start_on, L.id)
    )
    provinces, classes, industries = (
        code_list(n) for n in ("province", "region_class", "industry")
    )
    out = []
    for n, r in enumerate(session.execute(stmt), start=1):
        place = r[6] or "".join(x for x in (provinces.name_of(r[7]), r[8]) if x)
        wage = Decimal(r[14]) / 100 if r[14] is not None else None
        out.append(
            (
                n,
                r[1] or "",
                r[2],
                {"1": "男", "2": "女"}.get(r[3], ""),
                r[4],
                r[5],
                place,
                classes.name_of(r[9]),
                r[10] or r[11] or "",
                industries.name_of(r[12]),
                "有组织" if r[13] else "自发",
                wage,
            )
        )
    return out


def _training_roster(session: Session, window: Window, scope: Scope) -> list[tuple]:
    P = Person
    village = aliased(Area)
    stmt = (
        select(
            Enrolment.id,
            village.name,
            P.name,
            P.sex,
            P.id_number,
            Course.name,
            Course.course_type,
            Course.mode,
            Course.trade,
            Course.start_on,
            Course.end_on,
            Enrolment.certificate_kind,
            Enrolment.certificate_no,
        )
        .join(Course, Course.id == Enrolment.course_id)
        .join(P, P.id == Enrolment.person_id)
        .outerjoin(village, village.id == P.village_id)
        .where(counted_enrolments(window), scope.persons(P.village_id))
        .order_by(village.code, Course.end_on, Course.id, Enrolment.id)
    )
    types, modes, certs = (code_list(n) for n in ("course_type", "course_mode", "certificate"))
    out = []
    for n, r in enumerate(session.execute(stmt), start=1):
        cert = " ".join(x for x in (certs.name_of(r[11]), r[12] or "") if x)
        out.append(
            (
                n,
                r[1] or "",
                r[2],
                {"1": "男", "2": "女"}.get(r[3], ""),
                r[4],
                r[5],
                types.name_of(r[6]),
                modes.name_of(r[7]),
                r[8] or "",
                r[9],
                r[10],
                cert,
            )
        )
    return out


def unit_info(session: Session, area_id: int) -> StationInfo:
    """The station's settings with another area of its store (e.g. one township of a
    county database) as the reporting unit."""
    station = require_station(session)
    if area_id == station.area_id:
        return station
    area = session.get(Area, area_id)
    if area is None or area.deleted_at is not None or not area.code:
        raise ValidationError(f"找不到区划（编号 {area_id}），或它没有区划代码。", "unit")
    return replace(station, name=area.name, area_code=area.code, area_id=area.id,
                   level=area.level, head="", phone="")


def build_return(
    session: Session,
    period: str | Period,
    *,
    rosters: bool = True,
    now: datetime | None = None,
    unit_area_id: int | None = None,
) -> ReturnData:
    """Everything the workbook shows, computed in SQL for the station's unit (or, with
    ``unit_area_id``, for that area of the store, such as one township of a county)."""
    station = require_station(session)
    own_unit = unit_area_id is None or unit_area_id == station.area_id
    if not own_unit:
        station = unit_info(session, unit_area_id)
    period = period_of(session, period)
    month, year, last = period.month_window, period.year_window, period.last_year_window
    scope = make_scope(session, station.area_id, unassigned=own_unit)
    memo: dict = {}
    villages = _villages(session, year, scope, memo)  # first: the totals reuse its groups
    year_figures = compute_all(session, year, scope, memo=memo)
    rows = _rows(
        compute_all(session, month, scope, memo=memo),
        year_figures,
        compute_all(session, last, scope, memo=memo),
        targets_in(session, period.year, station.area_id),
    )
    total = {code: year_figures[code] for code in VILLAGE_CODES}
    return ReturnData(
        station=station,
        period=period,
        month=month,
        year=year,
        last_year=last,
        rows=rows,
        villages=villages,
        village_total=VillageRow(station.area_id, station.area_code, "合计", total),
        placement_roster=_placement_roster(session, month, scope) if rosters else [],
        training_roster=_training_roster(session, month, scope) if rosters else [],
        revision=revision_of(session, period, station.area_id),
        generated_at=(now or datetime.now()).replace(microsecond=0),
    )


def stock_codes() -> list[str]:
    return [c for c, i in INDICATORS.items() if i.kind == STOCK]


__all__ = [
    "COLUMNS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "TITLE",
    "ReturnData",
    "ReturnRow",
    "VillageRow",
    "build_return",
    "figures_checksum",
    "period_of",
    "require_station",
    "revision_of",
    "unit_info",
]
