"""Small helpers shared by the demo's generators."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from laborstation.idnumber import age_at


class Ids:
    """The next free id of each table: the demo assigns ids itself for bulk inserts."""

    def __init__(self, start: dict[str, int]):
        self._next = dict(start)

    def take(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def peek(self, table: str) -> int:
        return self._next[table]

    def advance(self, table: str, count: int) -> None:
        self._next[table] += count


def stamp(day: date) -> datetime:
    """When a record dated ``day`` was entered: that morning."""
    return datetime.combine(day, time(9))


def row_times(day: date) -> dict:
    moment = stamp(day)
    return {"created_at": moment, "updated_at": moment}


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def working_age(person: dict, at: date) -> bool:
    """Alive at ``at``, aged 16 to 60 (men) or 55 (women), able to work."""
    if person["died_on"] is not None and person["died_on"] <= at:
        return False
    if person["labour_capacity"] == "3":
        return False
    age = age_at(person["birth_date"], at)
    return 16 <= age <= (60 if person["sex"] == "1" else 55)


def dates_by_year(rng: random.Random, first: date, last: date, per_year: int) -> list[date]:
    """About ``per_year`` random days in each calendar year of ``first``..``last`` (pro rata)."""
    days: list[date] = []
    for year in range(first.year, last.year + 1):
        start, end = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        count = round(per_year * ((end - start).days + 1) / 365)
        days.extend(sorted(random_day(rng, start, end) for _ in range(count)))
    return days
