"""Portable SQL pieces of the figures: date arithmetic, the area scope, who is rural labour.

Nothing here is SQLite-only: ``days_between``, ``least`` and ``greatest`` compile to
``julianday()`` / ``min()`` / ``max()`` on SQLite and to date subtraction /
``LEAST`` / ``GREATEST`` on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Integer, and_, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from laborstation.model import Area, Household, Person
from laborstation.periods import shift_year

RURAL_CAPACITY = ("1", "2")
POOR_CATEGORIES = ("1", "2")  # 脱贫户, 监测户
EMPLOYED_LOCAL = ("31", "32", "33")  # 本地就业, 灵活就业, 自主创业


class days_between(FunctionElement):  # noqa: N801 (SQL function style)
    """Whole days from the second date to the first (``a - b``), an integer."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    a, b = list(element.clauses)
    return f"({compiler.process(a, **kw)} - {compiler.process(b, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    a, b = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(a, **kw)}) - "
        f"julianday({compiler.process(b, **kw)}) AS INTEGER)"
    )


class least(FunctionElement):  # noqa: N801
    inherit_cache = True
    name = "least"


class greatest(FunctionElement):  # noqa: N801
    inherit_cache = True
    name = "greatest"


def _fn(sql_name):
    def render(element, compiler, **kw):
        return f"{sql_name}({compiler.process(element.clauses, **kw)})"

    return render


compiles(least)(_fn("LEAST"))
compiles(greatest)(_fn("GREATEST"))
compiles(least, "sqlite")(_fn("min"))
compiles(greatest, "sqlite")(_fn("max"))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def latest_birth(day: date, years: int) -> date:
    """The latest birth date of someone at least ``years`` old in full years on ``day``.

    Matches ``idnumber.age_at``: a 29 February birthday falls on 28 February in
    other years, so on 28 February of a common year someone born on 29 February
    ``years`` earlier already has that age.
    """
    found = shift_year(day, -years)
    if (day.month, day.day) == (2, 28) and not _is_leap(day.year) and _is_leap(found.year):
        return found + timedelta(days=1)
    return found


def age_between(birth_col, day: date, low: int, high: int) -> ColumnElement[bool]:
    """Age in full years at ``day`` from ``low`` to ``high``: one range condition."""
    oldest_excluded = latest_birth(day, high + 1)
    return and_(birth_col > oldest_excluded, birth_col <= latest_birth(day, low))


def rural_labour(day: date, person=Person, household=Household) -> ColumnElement[bool]:
    """RETURN_SPEC "Who is rural labour" at ``day`` (a household, when there is one, is live)."""
    return and_(
        person.deleted_at.is_(None),
        person.is_rural.is_(True),
        or_(person.died_on.is_(None), person.died_on > day),
        person.labour_capacity.in_(RURAL_CAPACITY),
        or_(
            and_(person.sex == "1", age_between(person.birth_date, day, 16, 60)),
            and_(person.sex == "2", age_between(person.birth_date, day, 16, 55)),
        ),
        or_(
            person.household_id.is_(None),
            person.household_id.not_in(
                select(household.id).where(household.deleted_at.is_not(None))
            ),
        ),
    )


def poor_household(person=Person, household=Household) -> ColumnElement[bool]:
    """The person's household is live and of category 脱贫户 or 监测户 (a list subquery,
    cheaper than joining the household of every person)."""
    return person.household_id.in_(
        select(household.id).where(
            household.deleted_at.is_(None), household.category.in_(POOR_CATEGORIES)
        )
    )


@dataclass(frozen=True)
class Scope:
    """Which records an area covers.

    ``village_ids`` (None = no filter) are the villages (and the area itself) whose
    persons count; ``area_ids`` the units records without a person count by.
    ``unassigned`` also counts persons without a village and records without an
    area: the station's own unit keeps those.
    """

    area_id: int | None
    area_ids: tuple[int, ...] | None
    unassigned: bool

    def persons(self, village_col) -> ColumnElement[bool]:
        if self.area_ids is None:
            return true()
        cond = village_col.in_(self.area_ids)
        return or_(cond, village_col.is_(None)) if self.unassigned else cond

    def records(self, area_col) -> ColumnElement[bool]:
        return self.persons(area_col)


def descendants(session: Session, area_id: int) -> tuple[tuple[int, ...], int]:
    """The area and every area under it, and how many live areas there are in all
    (one query of the small area table)."""
    rows = session.execute(select(Area.id, Area.parent_id).where(Area.deleted_at.is_(None))).all()
    children: dict[int | None, list[int]] = {}
    for child, parent in rows:
        children.setdefault(parent, []).append(child)
    found, todo = [area_id], [area_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return tuple(found), len(rows)


def make_scope(session: Session, area_id: int | None, *, unassigned: bool | None = None) -> Scope:
    """The scope of an area; ``unassigned`` defaults to True for a unit with no parent
    in the store's tree below the county, i.e. the station's own unit (see services.station)."""
    if area_id is None:
        return Scope(None, None, True)
    ids, every = descendants(session, area_id)
    if unassigned is None:
        level = session.execute(select(Area.level).where(Area.id == area_id)).scalar()
        unassigned = level in ("county", "township") and _is_station_unit(session, area_id)
    if unassigned and len(ids) == every:  # the unit is the whole store: no filter at all
        return Scope(area_id, None, True)
    return Scope(area_id, ids, bool(unassigned))


def _is_station_unit(session: Session, area_id: int) -> bool:
    from laborstation.services.station import station_area_id

    return station_area_id(session) == area_id
