"""The reporting unit (填报单位): its name, 12-digit area code and period convention.

A township station has a township code such as ``410926209000``; a county that
runs the program itself has the county code ``410926000000`` and is then the
unit. The settings live in the ``setting`` table; the unit's Area rows are made
here (the county, named from GB/T 2260, and the township).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import numdb

from laborstation.errors import ValidationError
from laborstation.model import COUNTY, TOWNSHIP, Area, Setting
from laborstation.services import authz

KEY_NAME, KEY_CODE, KEY_CUTOFF = "station.name", "station.code", "cutoff_day"
KEY_HEAD, KEY_PHONE = "station.head", "station.phone"


@dataclass(frozen=True)
class StationInfo:
    name: str
    area_code: str  # 12 digits
    area_id: int
    level: str  # 'township' | 'county'
    county_code: str  # 6 digits
    county_area_id: int
    cutoff_day: int | None
    head: str = ""  # 单位负责人
    phone: str = ""  # 联系电话


def county_name(county6: str) -> str | None:
    """The current GB/T 2260 name of a county code (e.g. '410926' → '范县'), None if unknown."""
    if len(county6) != 6 or not county6.isdigit() or county6.endswith("00"):
        return None
    parts = numdb.get("cn/loc").info(county6)
    if len(parts) < 2 or "county" not in parts[1][1]:
        return None
    names = parts[1][1]["county"].split(",")
    return names[-1].rpartition("]")[2] or None


def _settings(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Setting.key, Setting.value)).all())


def _put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def _area_by_code(session: Session, code: str) -> Area | None:
    return session.execute(select(Area).where(Area.code == code)).scalar_one_or_none()


def station_in(session: Session) -> StationInfo | None:
    """The station as seen from an open session (None before it is set)."""
    settings = _settings(session)
    code = settings.get(KEY_CODE)
    if not code:
        return None
    area = _area_by_code(session, code)
    county = _area_by_code(session, code[:6] + "000000")
    if area is None or county is None:
        return None
    cutoff = settings.get(KEY_CUTOFF, "")
    return StationInfo(
        name=settings.get(KEY_NAME, area.name),
        area_code=code,
        area_id=area.id,
        level=area.level,
        county_code=code[:6],
        county_area_id=county.id,
        cutoff_day=int(cutoff) if cutoff.strip().isdigit() and int(cutoff) else None,
        head=settings.get(KEY_HEAD, ""),
        phone=settings.get(KEY_PHONE, ""),
    )


def station_area_id(session: Session) -> int | None:
    station = station_in(session)
    return station.area_id if station else None


def get_station(store) -> StationInfo | None:
    with store.reading() as session:
        return station_in(session)


def _check(name: str, code: str, cutoff_day: int | None) -> tuple[str, str, str]:
    name = (name or "").strip()
    code = (code or "").strip()
    if not name:
        raise ValidationError("请填写填报单位名称。", "name")
    if len(code) != 12 or not code.isdigit():
        raise ValidationError(f"区划代码“{code}”应为 12 位数字，例如 410926209000。", "code")
    county6 = code[:6]
    known = county_name(county6)
    if known is None:
        raise ValidationError(
            f"区划代码“{code}”的前 6 位 {county6} 不是 GB/T 2260 中的县级行政区划代码。", "code"
        )
    if code[6:9] == "000" and code[9:] != "000":
        raise ValidationError(
            f"区划代码“{code}”不是乡镇或县的代码（后 6 位应为乡镇码加 000）。", "code"
        )
    if code[6:] != "000000" and code[9:] != "000":
        raise ValidationError(
            f"区划代码“{code}”是村级代码；填报单位应为乡镇（后 3 位为 000）或县。", "code"
        )
    if cutoff_day is not None and not 0 <= int(cutoff_day) <= 28:
        raise ValidationError(
            f"截止日 {cutoff_day} 无效：应为 1 到 28，或 0 表示自然月。", "cutoff_day"
        )
    return name, code, known


def set_station(
    store,
    *,
    name: str,
    code: str,
    cutoff_day: int | None = None,
    head: str | None = None,
    phone: str | None = None,
) -> StationInfo:
    """Set the unit: creates the county Area and, for a township code, the township Area."""
    authz.require_head(store, authz.SETTINGS)
    name, code, known_county = _check(name, code, cutoff_day)
    county_code = code[:6] + "000000"
    with store.session() as session:
        county = _area_by_code(session, county_code)
        if county is None:
            county = Area(code=county_code, name=known_county, level=COUNTY)
            session.add(county)
            session.flush()
        if code != county_code:
            township = _area_by_code(session, code)
            if township is None:
                session.add(Area(code=code, name=name, level=TOWNSHIP, parent_id=county.id))
            else:
                township.name, township.parent_id, township.deleted_at = name, county.id, None
        _put(session, KEY_NAME, name)
        _put(session, KEY_CODE, code)
        if cutoff_day is not None:
            _put(session, KEY_CUTOFF, str(int(cutoff_day)))
        if head is not None:
            _put(session, KEY_HEAD, head.strip())
        if phone is not None:
            _put(session, KEY_PHONE, phone.strip())
        session.flush()
        return station_in(session)
