"""Placements of one township: who goes where, when, and for how much.

Most migrants leave in the weeks after the Spring Festival and come home just
before the next one; some stay away for years; groups go cotton picking in the
Xinjiang Corps in September and October; some work at home or in the county.
The scrap-metal sorters (劳务品牌 范县废旧金属挑选加工) go to Tianjin, Foshan,
Taizhou and Bazhou.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from laborstation.demo.common import working_age
from laborstation.demo.geography import (
    COUNTY_CODE,
    DESTINATION_BY_KEY,
    DESTINATIONS,
    TOWNSHIPS,
    Destination,
)
from laborstation.demo.names import full_name, surname
from laborstation.demo.population import Township
from laborstation.idnumber import age_at
from laborstation.periods import shift_year

SPRING_FESTIVALS = {
    2019: date(2019, 2, 5), 2020: date(2020, 1, 25), 2021: date(2021, 2, 12),
    2022: date(2022, 2, 1), 2023: date(2023, 1, 22), 2024: date(2024, 2, 10),
    2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
    2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
}
BRAND = "范县废旧金属挑选加工"
COTTON_PROGRAM = "对疆劳务协作"
_ORDINARY = tuple(d for d in DESTINATIONS if d.weight > 0 and d.key != "township")
_INSURANCES = ("工伤保险", "养老保险、医疗保险、工伤保险", "五险", "工伤保险、意外伤害保险")


def spring_festival(year: int) -> date:
    return SPRING_FESTIVALS.get(year, date(year, 2, 5))


@dataclass
class Employers:
    """Employer rows by destination key, and each township's local employers."""

    by_destination: dict[str, list[tuple[int, str, str, str]]]  # (id, name, industry, occupation)
    by_township: dict[str, list[tuple[int, str, str, str]]]  # 9-digit code -> employers
    partner_site: dict[str, str]  # destination key -> partner site name


@dataclass
class _Trip:
    dest: Destination
    area_code: str | None
    text: str
    region_class: str
    employer: tuple[int | None, str, str, str]


class PlacementMaker:
    def __init__(self, rng: random.Random, township: Township, employers: Employers,
                 today: date, first_id: int):
        self.rng = rng
        self.township = township
        self.employers = employers
        self.today = today
        self.start = shift_year(today, -3)
        self.next_id = first_id
        self.rows: list[dict] = []
        self.years = list(range(self.start.year, today.year + 1))
        self._weights = [d.weight for d in _ORDINARY]
        self._brokers = [full_name(rng, surname(rng), "1", 1975) for _ in range(4)]

    # -- destinations ------------------------------------------------------------------
    def _trip(self, dest: Destination) -> _Trip:
        rng, own = self.rng, self.township.code[:9]
        if dest.key == "township":
            if rng.random() < 0.7:
                code9, name = own, self.township.name
            else:
                code9, name = rng.choice([t for t in _county_townships() if t[0] != own])
            local = self.employers.by_township.get(code9) or [(None, f"{name}个体工商户", "F", "4")]
            employer = rng.choice(local)
            return _Trip(dest, code9 + "000", f"范县{name}", "11" if code9 == own else "12",
                         employer)
        employer = rng.choice(self.employers.by_destination[dest.key])
        region = dest.region_class or ("11" if dest.area_code[:9] == own else "12")
        return _Trip(dest, dest.area_code, dest.text, region, employer)

    def _pick(self, kind: str) -> _Trip:
        rng = self.rng
        if kind == "cotton":
            return self._trip(DESTINATION_BY_KEY[rng.choice(("xj_alar", "xj_alar", "xj_shihezi",
                                                             "xj_tumxuk"))])
        if kind == "scrap":
            return self._trip(DESTINATION_BY_KEY[rng.choice(("scrap_jinghai", "scrap_nanhai",
                                                             "scrap_taizhou", "scrap_bazhou"))])
        if kind == "local":
            return self._trip(DESTINATION_BY_KEY[rng.choice(("township", "township", "zone",
                                                             "puyang"))])
        return self._trip(rng.choices(_ORDINARY, self._weights)[0])

    # -- one placement -----------------------------------------------------------------
    def _add(self, person: dict, trip: _Trip, start: date, back: date | None) -> None:
        rng, dest = self.rng, trip.dest
        if back is not None and back > self.today:
            back = None
        if dest.cotton:
            organised, channel, program = True, "范县人社局统一组织", COTTON_PROGRAM
        elif dest.scrap:
            organised = rng.random() < 0.5
            channel = (rng.choice((f"劳务经纪人{rng.choice(self._brokers)}",
                                   self.employers.partner_site.get(dest.key, "")))
                       if organised else "")
            program = ""
        else:
            site = self.employers.partner_site.get(dest.key)
            organised = rng.random() < (0.45 if site else 0.28)
            channel = ""
            if organised:
                channel = rng.choice((site or f"{self.township.name}劳动保障所",
                                      f"{self.township.name}劳动保障所", "范县人社局",
                                      f"劳务经纪人{rng.choice(self._brokers)}", "校企合作"))
            program = ""
        low, high = dest.wage
        growth = 1 + 0.03 * (start.year - self.today.year)
        wage = None
        if rng.random() > 0.06:
            wage = Decimal(round(rng.randint(low, high) * growth, -2))
        employer_id, employer_name, industry, occupation = trip.employer
        local = trip.region_class in ("11", "12")
        form = "3" if dest.cotton or (local and rng.random() < 0.4) else (
            "1" if rng.random() < 0.9 else rng.choice("23"))
        contract = dest.cotton or rng.random() < (0.8 if organised else 0.45)
        entered = datetime.combine(min(self.today, start + timedelta(days=rng.randint(0, 10))),
                                   time(9))
        self.rows.append({
            "id": self.next_id, "person_id": person["id"], "start_on": start, "return_on": back,
            "province": dest.province, "city": dest.city, "area_code": trip.area_code,
            "destination": trip.text, "region_class": trip.region_class,
            "employer_id": employer_id, "employer_name": employer_name,
            "industry": industry, "occupation": occupation, "employment_form": form,
            "organised": organised, "channel": channel, "monthly_wage": wage,
            "contract": contract, "insurances": rng.choice(_INSURANCES) if contract else "",
            "brand": BRAND if dest.scrap else "", "program": program, "notes": "",
            "created_at": entered, "updated_at": entered, "deleted_at": None,
        })
        self.next_id += 1

    def _after_festival(self, year: int) -> date:
        return spring_festival(year) + timedelta(days=round(self.rng.triangular(3, 50, 8)))

    def _home_before(self, year: int) -> date:
        return spring_festival(year + 1) - timedelta(days=self.rng.randint(5, 25))

    def _ok(self, person: dict, start: date) -> bool:
        return (self.start <= start <= self.today
                and age_at(person["birth_date"], start) >= 16)

    # -- a person's three years --------------------------------------------------------
    def person(self, person: dict) -> None:
        rng = self.rng
        pattern = rng.choices(("annual", "long", "cotton", "local"), (0.58, 0.15, 0.11, 0.16))[0]
        kind = "scrap" if person["sex"] == "1" and rng.random() < 0.2 else "ordinary"
        if pattern == "annual":
            trip = self._pick(kind)
            free = self.start
            for year in self.years:
                start = self._after_festival(year)
                if start < free or not self._ok(person, start) or rng.random() > 0.85:
                    continue
                if rng.random() < 0.3:
                    trip = self._pick(kind)
                roll = rng.random()
                if roll < 0.68:
                    back = self._home_before(year)
                elif roll < 0.88:
                    back = start + timedelta(days=rng.randint(60, 240))
                else:
                    back = None
                self._add(person, trip, start, back)
                if back is None or back > self.today:
                    return
                free = back
        elif pattern == "long":
            if rng.random() < 0.7:
                start = self._after_festival(rng.choice(self.years))
            else:
                start = self.start + timedelta(days=rng.randint(0, (self.today - self.start).days))
            if self._ok(person, start):
                back = start + timedelta(days=rng.randint(365, 1100)) if rng.random() < 0.4 else None
                self._add(person, self._pick(kind), start, back)
        elif pattern == "cotton":
            for year in self.years:
                start = date(year, 9, 1) + timedelta(days=rng.randint(0, 35))
                if self._ok(person, start) and rng.random() < 0.8:
                    self._add(person, self._pick("cotton"), start,
                              start + timedelta(days=rng.randint(50, 85)))
        else:
            span = (self.today - self.start).days
            starts = sorted(self.start + timedelta(days=rng.randint(0, span))
                            for _ in range(rng.choice((1, 1, 2, 3))))
            free = self.start
            for start in starts:
                if start < free or not self._ok(person, start):
                    continue
                back = start + timedelta(days=rng.randint(30, 300))
                self._add(person, self._pick("local"), start, back)
                if back > self.today:
                    return
                free = back


def _county_townships() -> list[tuple[str, str]]:
    return [(COUNTY_CODE + code, name) for code, name in TOWNSHIPS]


def chance(person: dict, today: date, category: str) -> float:
    """How likely a person is to have worked away in the three years (0 = not eligible)."""
    if person["died_on"] is not None or person["labour_capacity"] == "3":
        return 0.0
    age = age_at(person["birth_date"], today)
    male = person["sex"] == "1"
    if age < 17 or age > (62 if male else 57):
        return 0.0
    if person["local_status"] == "40":
        return 0.12
    if male:
        base = 0.35 if age < 20 else 0.62 if age <= 45 else 0.48
    else:
        base = 0.25 if age < 20 else 0.38 if age <= 45 else 0.28
    if person["labour_capacity"] == "2":
        base *= 0.4
    if category in ("1", "2"):
        base = min(0.95, base * 1.15)  # the poverty-alleviation push
    return base


def make_placements(rng: random.Random, township: Township, persons: list[dict],
                    categories: dict[int, str], employers: Employers, today: date,
                    first_id: int) -> list[dict]:
    """Placement rows; a person away at ``today`` loses the local status recorded at home."""
    maker = PlacementMaker(rng, township, employers, today, first_id)
    for person in persons:
        if rng.random() < chance(person, today, categories.get(person["household_id"], "0")):
            first = len(maker.rows)
            maker.person(person)
            for row in maker.rows[first:]:
                if row["return_on"] is None or row["return_on"] > today:
                    person["local_status"] = None
    return maker.rows


def employ_households(rng: random.Random, persons: list[dict], placements: list[dict],
                      today: date, share: float = 0.92) -> None:
    """Most households with labour but nobody at work get a local job for one member.

    Stations chase zero-employment households (零就业家庭, row 503) down to a handful;
    the few left give the clerk a list to work on.
    """
    away = {row["person_id"] for row in placements
            if row["start_on"] <= today and (row["return_on"] is None or row["return_on"] > today)}
    households: dict[int, list[dict]] = {}
    for person in persons:
        if person["household_id"] is not None and working_age(person, today):
            households.setdefault(person["household_id"], []).append(person)
    for labour in households.values():
        if any(p["id"] in away or p["local_status"] in ("31", "32", "33") for p in labour):
            continue
        if rng.random() < share:
            pick = rng.choice([p for p in labour if p["local_status"] != "40"] or labour)
            pick["local_status"] = rng.choice(("31", "32", "32", "33"))
