"""Helpers shared by the work-record services (placements, training, jobs, assistance,
rights): loading live rows, the recycle bin, field checks with Chinese messages."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from laborstation.errors import NotFound, ValidationError
from laborstation.model import Area, Employer, Person
from laborstation.services._checks import check_code, clean_notes, clean_text, now, require_writer
from laborstation.services.locking import assert_unlocked
from laborstation.services.station import station_in

T = TypeVar("T")

# The field checks are the register's (services/_checks.py), under the short names used here.
code, notes, text = check_code, clean_notes, clean_text
MAX_MONEY = Decimal("100000000")  # 1 亿元: anything above is a typing slip



def get_row(session: Session, model: type[T], row_id: int | None, label: str,
            *, live: bool = True) -> T:
    """The row ``row_id`` of ``model``; a row in the recycle bin only when ``live`` is False."""
    row = session.get(model, row_id) if row_id is not None else None
    if row is None or (live and getattr(row, "deleted_at", None) is not None):
        raise NotFound(f"找不到{label}（编号 {row_id}），可能已被删除。")
    return row


def soft_delete(row, stamp: datetime | None = None) -> None:
    if row.deleted_at is None:
        row.deleted_at = stamp or now()


def restore(row) -> None:
    row.deleted_at = None


def info_of(cls: type[T], row: Any, **extra) -> T:
    """A dataclass ``cls`` filled from the same-named attributes of ``row`` (and ``extra``)."""
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in extra:
            values[f.name] = extra[f.name]
        elif f.name == "deleted":
            values[f.name] = row.deleted_at is not None
        else:
            values[f.name] = getattr(row, f.name)
    return cls(**values)


def code_in(names: dict[str, str], value, field: str, label: str) -> str:
    """One of a model's fixed codes (e.g. RESULT_NAMES), given by code or by name."""
    key = str(value).strip() if value is not None else ""
    if key in names:
        return key
    for code_, name in names.items():
        if key == name:
            return code_
    raise ValidationError(f"{label}“{value}”无效，应为：{'、'.join(names.values())}。", field)


def day(value, field: str, label: str, *, required: bool = True,
        today: date | None = None) -> date | None:
    """A date (not a datetime), and not after ``today`` when given."""
    if value is None:
        if required:
            raise ValidationError(f"请填写{label}。", field)
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise ValidationError(f"{label}“{value}”不是日期。", field)
    if today is not None and value > today:
        raise ValidationError(
            f"{label} {value.isoformat()} 晚于今天（{today.isoformat()}），不能登记未来的日期。",
            field,
        )
    return value


def money(value, field: str, label: str, *, required: bool = False) -> Decimal | None:
    """Yuan as Decimal with 2 places; never negative."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"请填写{label}。", field)
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(f"{label}“{value}”不是金额。", field) from None
    if not amount.is_finite():
        raise ValidationError(f"{label}“{value}”不是金额。", field)
    if amount < 0:
        raise ValidationError(f"{label}不能为负数（{amount} 元）。", field)
    if amount >= MAX_MONEY:
        raise ValidationError(f"{label} {amount} 元过大，请检查是否多输了位数。", field)
    return amount.quantize(Decimal("0.01"))


def count(value, field: str, label: str, *, minimum: int = 1) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}“{value}”不是整数。", field) from None
    if isinstance(value, float) and value != number:
        raise ValidationError(f"{label}“{value}”不是整数。", field)
    if number < minimum:
        raise ValidationError(f"{label}不能少于 {minimum}（现在是 {number}）。", field)
    return number


def date_order(start: date | None, end: date | None, field: str, start_label: str,
               end_label: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(
            f"{end_label}（{end.isoformat()}）早于{start_label}（{start.isoformat()}）。", field
        )


def person(session: Session, person_id: int | None, field: str = "person_id") -> Person:
    if person_id is None:
        raise ValidationError("请选择人员。", field)
    return get_row(session, Person, person_id, "人员")


def person_area_id(p: Person) -> int | None:
    """The area whose returns count this person's records: the village (or household's)."""
    if p.village_id is not None:
        return p.village_id
    return p.household.village_id if p.household is not None else None


def home_code(session: Session, p: Person) -> str:
    """The person's township code: the village's parent's code, else the station's."""
    area_id = person_area_id(p)
    area = session.get(Area, area_id) if area_id is not None else None
    while area is not None:
        if area.code and area.level in ("township", "county"):
            return area.code
        if area.code and area.level == "village":
            return area.code[:9] + "000"
        area = area.parent
    station = station_in(session)
    if station is not None:
        return station.area_code
    raise ValidationError("尚未设置填报单位（区划代码），无法判断务工地点的地域类别。", "region_class")


def employer_ref(session: Session, employer_id: int | None, employer_name: str,
                 field: str = "employer_id") -> tuple[int | None, str]:
    """(employer id, name): a chosen employer gives its name when none was typed."""
    name = text(employer_name, "employer_name", "用工单位名称", max_len=120)
    if employer_id is None:
        return None, name
    employer = get_row(session, Employer, employer_id, "用工单位")
    return employer.id, name or employer.name


# --- create / update / delete / restore of one kind of record -------------------------

Counted = Callable[[Session, Any], list[tuple[date | None, int | None]]]


@dataclass(frozen=True)
class RecordKind:
    """How to check, lock and show one kind of record; the generic functions below do the rest.

    ``values(session, data, today, row_id)`` returns the checked column values
    (``row_id`` is None on create); ``counted(session, row)`` the counting dates
    and areas the period lock applies to (none for records that are not counted).
    """

    model: type
    label: str  # e.g. '用工信息'
    info: Callable[[Session, Any], Any]
    values: Callable[[Session, Any, date, int | None], dict]
    counted: Counted | None = None


def _check_locks(session: Session, kind: RecordKind, row) -> None:
    if kind.counted is None:
        return
    for when, area_id in kind.counted(session, row):
        assert_unlocked(session, when, area_id=area_id, what=kind.label)


def create_record(store, kind: RecordKind, data, today: date | None = None):
    require_writer(store)
    with store.session() as session:
        row = kind.model(**kind.values(session, data, today or date.today(), None))
        _check_locks(session, kind, row)
        session.add(row)
        session.flush()
        return kind.info(session, row)


def update_record(store, kind: RecordKind, row_id: int, data, today: date | None = None):
    """Both the old and the new counting dates must be free."""
    require_writer(store)
    with store.session() as session:
        row = get_row(session, kind.model, row_id, kind.label)
        _check_locks(session, kind, row)
        for key, value in kind.values(session, data, today or date.today(), row.id).items():
            setattr(row, key, value)
        _check_locks(session, kind, row)
        session.flush()
        return kind.info(session, row)


def change_record(store, kind: RecordKind, row_id: int, change: Callable[[Session, Any], None]):
    """Apply ``change(session, row)`` to a live record inside the lock checks."""
    require_writer(store)
    with store.session() as session:
        row = get_row(session, kind.model, row_id, kind.label)
        _check_locks(session, kind, row)
        change(session, row)
        _check_locks(session, kind, row)
        session.flush()
        return kind.info(session, row)


def delete_record(store, kind: RecordKind, row_id: int) -> None:
    require_writer(store)
    with store.session() as session:
        row = get_row(session, kind.model, row_id, kind.label)
        _check_locks(session, kind, row)
        soft_delete(row)


def restore_record(store, kind: RecordKind, row_id: int):
    require_writer(store)
    with store.session() as session:
        row = get_row(session, kind.model, row_id, kind.label, live=False)
        for attr, label in (("person_id", "人员"), ("employer_id", "用工单位")):
            ref = getattr(row, attr, None)
            model = Person if attr == "person_id" else Employer
            if ref is not None and session.get(model, ref).deleted_at is not None:
                raise ValidationError(f"该记录的{label}已被删除，请先恢复{label}。", attr)
        _check_locks(session, kind, row)
        restore(row)
        session.flush()
        return kind.info(session, row)


def get_record(store, kind: RecordKind, row_id: int):
    with store.reading() as session:
        return kind.info(session, get_row(session, kind.model, row_id, kind.label, live=False))


def person_counted(when_attr: str) -> Counted:
    """A record of a person, counted on ``when_attr``, in the person's village."""

    def counted(session: Session, row) -> list[tuple[date | None, int | None]]:
        p = session.get(Person, row.person_id) if row.person_id is not None else None
        return [(getattr(row, when_attr), person_area_id(p) if p is not None else None)]

    return counted


def unit_counted(*when_attrs: str) -> Counted:
    """A record of the unit (``area_id``), counted on each of ``when_attrs``."""

    def counted(session: Session, row) -> list[tuple[date | None, int | None]]:
        return [(getattr(row, attr), row.area_id) for attr in when_attrs]

    return counted


def unit_area_id(session: Session, area_id: int | None) -> int | None:
    """A given unit area (checked), else the station's own area."""
    if area_id is not None:
        return get_row(session, Area, area_id, "填报单位").id
    station = station_in(session)
    return station.area_id if station else None
