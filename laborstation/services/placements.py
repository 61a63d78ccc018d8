"""Placements (转移就业): one departure of one person to a job.

The region class (乡镇内 … 境外) is resolved from the destination as written
(``laborstation.regions``) against the person's township, unless the form picked
it, or a province, itself. A placement counts on its start date; a submitted
period locks it (``services.locking``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborstation import idnumber
from laborstation.errors import ValidationError
from laborstation.model import Person, Placement
from laborstation.regions import region_class_for, resolve_destination
from laborstation.services import _records as r
from laborstation.services.locking import Locks, assert_unlocked

__all__ = [
    "PlacementInfo",
    "PlacementBatch",
    "PlacementInput",
    "add_placement_in",
    "create_placement",
    "delete_placement",
    "get_placement",
    "list_for_person",
    "restore_placement",
    "update_placement",
]

WHAT = "转移就业记录"
MIN_AGE = 16


@dataclass
class PlacementInput:
    """What a form or an import row gives. ``region_class`` given wins; else a ``province``
    (and ``area_code``) picked in a form; else the ``destination`` text is resolved. A form
    that edits the text must send ``province``/``region_class`` None to have it re-read."""

    person_id: int
    start_on: date
    return_on: date | None = None
    destination: str = ""  # as written, e.g. '广东东莞'
    province: str | None = None  # picked in a form; else resolved from ``destination``
    city: str = ""
    area_code: str | None = None
    region_class: str | None = None  # given explicitly (e.g. by an import column)
    employer_id: int | None = None
    employer_name: str = ""
    industry: str | None = None
    occupation: str | None = None
    employment_form: str | None = None
    organised: bool = False
    channel: str = ""
    monthly_wage: Decimal | None = None
    contract: bool = False
    insurances: str = ""
    brand: str = ""
    program: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PlacementInfo:
    id: int
    person_id: int
    person_name: str
    start_on: date
    return_on: date | None
    destination: str
    province: str | None
    city: str
    area_code: str | None
    region_class: str | None
    employer_id: int | None
    employer_name: str
    industry: str | None
    occupation: str | None
    employment_form: str | None
    organised: bool
    channel: str
    monthly_wage: Decimal | None
    contract: bool
    insurances: str
    brand: str
    program: str
    notes: str
    deleted: bool


def _info(session: Session, row: Placement) -> PlacementInfo:
    person = session.get(Person, row.person_id)
    return r.info_of(PlacementInfo, row, person_name=person.name if person else "")


def _where(data: PlacementInput, home_of: Callable[[], str]) -> dict:
    """province, city, area_code, region_class and destination text of the input."""
    destination = r.text(data.destination, "destination", "务工地点", max_len=200)
    city = r.text(data.city, "city", "务工城市", max_len=40)
    province = r.code("province", data.province, "province", "务工省份")
    area_code = (data.area_code or "").strip() or None
    if area_code is not None and not (area_code.isdigit() and len(area_code) in (6, 12)):
        raise ValidationError(f"地区代码“{area_code}”应为 6 位或 12 位数字。", "area_code")
    region = r.code("region_class", data.region_class, "region_class", "地域类别")
    if region is None or (province is None and destination):
        home = home_of()
        if province is not None or area_code is not None:
            region = region or region_class_for(
                province=province, area_code=area_code, home_code=home
            )
        elif destination:
            found = resolve_destination(destination, home_code=home)
            region = region or found.region_class
            province, area_code = found.province, found.area_code
            city = city or found.city
    if not destination:
        destination = city
    return dict(destination=destination, province=province, city=city,
                area_code=area_code, region_class=region)


def _values(session: Session, data: PlacementInput, today: date, person: Person,
            home_of: Callable[[], str]) -> dict:
    """The checked column values; ``home_of()`` gives the person's township code."""
    start = r.day(data.start_on, "start_on", "外出时间", today=today)
    back = r.day(data.return_on, "return_on", "返乡时间", required=False)
    r.date_order(start, back, "return_on", "外出时间", "返乡时间")
    if person.died_on is not None and start > person.died_on:
        raise ValidationError(
            f"{person.name}已于 {person.died_on.isoformat()} 去世，外出时间"
            f" {start.isoformat()} 在其后。", "start_on",
        )
    age = idnumber.age_at(person.birth_date, start)
    if age < MIN_AGE:
        raise ValidationError(
            f"{person.name}外出时（{start.isoformat()}）只有 {age} 岁，不满 {MIN_AGE} 周岁，"
            "不能登记为转移就业。", "start_on",
        )
    employer_id, employer_name = r.employer_ref(session, data.employer_id, data.employer_name)
    return dict(
        person_id=person.id,
        start_on=start,
        return_on=back,
        **_where(data, home_of),
        employer_id=employer_id,
        employer_name=employer_name,
        industry=r.code("industry", data.industry, "industry", "行业"),
        occupation=r.code("occupation", data.occupation, "occupation", "职业"),
        employment_form=r.code("employment_form", data.employment_form, "employment_form",
                               "就业形式"),
        organised=bool(data.organised),
        channel=r.text(data.channel, "channel", "输出渠道", max_len=120),
        monthly_wage=r.money(data.monthly_wage, "monthly_wage", "月收入"),
        contract=bool(data.contract),
        insurances=r.text(data.insurances, "insurances", "参保情况", max_len=60),
        brand=r.text(data.brand, "brand", "劳务品牌", max_len=60),
        program=r.text(data.program, "program", "协作项目", max_len=60),
        notes=r.notes(data.notes),
    )


class PlacementBatch:
    """Adds many placements in the caller's session (an import): the period locks, the
    persons and their home townships are read once, and no row is flushed on its own."""

    def __init__(self, session: Session, *, today: date | None = None):
        self.session = session
        self.today = today or date.today()
        self.locks = Locks.load(session)
        self._persons: dict[int, Person] = {}  # held here: the identity map is weak
        self._homes: dict[int | None, str] = {}

    def person(self, person_id: int) -> Person:
        found = self._persons.get(person_id)
        if found is None:
            found = self._persons[person_id] = r.person(self.session, person_id)
        return found

    def home_code(self, person: Person) -> str:
        area_id = r.person_area_id(person)
        if area_id not in self._homes:
            self._homes[area_id] = r.home_code(self.session, person)
        return self._homes[area_id]

    def check(self, data: PlacementInput, *, person: Person | None = None) -> dict:
        """The checked column values of one placement (for a bulk insert of many rows)."""
        person = person if person is not None else self.person(data.person_id)
        values = _values(self.session, data, self.today, person,
                         lambda: self.home_code(person))
        self.locks.check(values["start_on"], area_id=r.person_area_id(person), what=WHAT)
        return values

    def add(self, data: PlacementInput, *, person: Person | None = None) -> Placement:
        """Check one placement and add it (unflushed); ``person`` spares its lookup."""
        row = Placement(**self.check(data, person=person))
        self.session.add(row)
        return row


def add_placement_in(session: Session, data: PlacementInput, *,
                     today: date | None = None) -> Placement:
    """Check and add one placement inside the caller's session (unflushed)."""
    return PlacementBatch(session, today=today).add(data)


def create_placement(store, data: PlacementInput, *, today: date | None = None) -> PlacementInfo:
    r.require_writer(store)
    with store.session() as session:
        row = add_placement_in(session, data, today=today)
        session.flush()
        return _info(session, row)


def update_placement(store, placement_id: int, data: PlacementInput, *,
                     today: date | None = None) -> PlacementInfo:
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Placement, placement_id, WHAT)
        old_area = r.person_area_id(session.get(Person, row.person_id))
        assert_unlocked(session, row.start_on, area_id=old_area, what=WHAT)
        person = r.person(session, data.person_id)
        values = _values(session, data, today or date.today(), person,
                         lambda: r.home_code(session, person))
        assert_unlocked(session, values["start_on"], area_id=r.person_area_id(person), what=WHAT)
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return _info(session, row)


def delete_placement(store, placement_id: int) -> None:
    """Into the recycle bin."""
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Placement, placement_id, WHAT)
        area = r.person_area_id(session.get(Person, row.person_id))
        assert_unlocked(session, row.start_on, area_id=area, what=WHAT)
        r.soft_delete(row)


def restore_placement(store, placement_id: int) -> PlacementInfo:
    r.require_writer(store)
    with store.session() as session:
        row = r.get_row(session, Placement, placement_id, WHAT, live=False)
        person = session.get(Person, row.person_id)
        if person is None or person.deleted_at is not None:
            raise ValidationError("该记录的人员已被删除，请先恢复人员。", "person_id")
        assert_unlocked(session, row.start_on, area_id=r.person_area_id(person), what=WHAT)
        r.restore(row)
        session.flush()
        return _info(session, row)


def get_placement(store, placement_id: int) -> PlacementInfo:
    with store.reading() as session:
        return _info(session, r.get_row(session, Placement, placement_id, WHAT, live=False))


def list_for_person(store, person_id: int, *, include_deleted: bool = False
                    ) -> list[PlacementInfo]:
    """The person's placements, latest first."""
    with store.reading() as session:
        query = select(Placement).where(Placement.person_id == person_id)
        if not include_deleted:
            query = query.where(Placement.deleted_at.is_(None))
        rows = session.execute(
            query.order_by(Placement.start_on.desc(), Placement.id.desc())
        ).scalars()
        return [_info(session, row) for row in rows]
