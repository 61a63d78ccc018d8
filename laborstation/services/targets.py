"""The county's annual targets (目标任务) for the station's unit, one value per return code."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborstation.errors import ValidationError
from laborstation.indicators import INDICATORS, RATE
from laborstation.model import Target
from laborstation.services import authz
from laborstation.services.station import station_in


def parse_assignment(text: str) -> tuple[str, Decimal]:
    """'201=1200' → ('201', Decimal('1200'))."""
    code, sep, raw = (text or "").partition("=")
    code, raw = code.strip(), raw.strip().replace(",", "")
    if not sep or not code:
        raise ValidationError(f"目标“{text}”格式不对，应为 代码=数值，例如 201=1200。", "target")
    return code, _value(code, raw)


def _value(code: str, raw) -> Decimal:
    indicator = INDICATORS.get(code)
    if indicator is None:
        raise ValidationError(f"指标代码“{code}”不在月报表中。", "indicator")
    if indicator.kind == RATE:
        raise ValidationError(f"指标 {code}（{indicator.name}）是比例，不设目标。", "indicator")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValidationError(f"指标 {code} 的目标值“{raw}”不是数字。", "value") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(f"指标 {code} 的目标值“{raw}”应为不小于 0 的数。", "value")
    return value.quantize(Decimal("0.01"))


def _unit(session: Session, area_id: int | None) -> int:
    if area_id is not None:
        return area_id
    station = station_in(session)
    if station is None:
        raise ValidationError("尚未设置填报单位：请先运行 laborstation station。", "station")
    return station.area_id


def set_targets(store, year: int, values: dict[str, object], area_id: int | None = None) -> dict:
    """Store (replace) the targets of ``year``; returns {code: Decimal} of that year."""
    authz.require_writer(store)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(f"年度“{year}”无效。", "year")
    checked = {code: _value(code, raw) for code, raw in values.items()}
    with store.session() as session:
        unit = _unit(session, area_id)
        existing = {
            t.indicator: t
            for t in session.scalars(
                select(Target).where(Target.year == int(year), Target.area_id == unit)
            )
        }
        for code, value in checked.items():
            row = existing.get(code)
            if row is None:
                session.add(Target(year=int(year), indicator=code, value=value, area_id=unit))
            else:
                row.value = value
        session.flush()
        return targets_in(session, int(year), unit)


def targets_in(session: Session, year: int, area_id: int | None = None) -> dict[str, Decimal]:
    unit = _unit(session, area_id)
    rows = session.execute(
        select(Target.indicator, Target.value).where(Target.year == year, Target.area_id == unit)
    ).all()
    return {code: Decimal(value) for code, value in rows}


def get_targets(store, year: int, area_id: int | None = None) -> dict[str, Decimal]:
    with store.reading() as session:
        return targets_in(session, year, area_id)
