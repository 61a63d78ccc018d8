"""Households and their members for one township, as rows ready for a bulk insert.

A household is drawn from a few shapes seen in the plain's registers: an old
couple (often with a left-behind grandchild), a core family, three generations
under one roof, a single parent. Sex and birth date go into the ID number and
are read back from it, so they always agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from laborstation.demo.geography import COUNTY_CODE, COUNTY_PLACE
from laborstation.demo.names import full_name, surname
from laborstation.idnumber import make_id
from laborstation.search_keys import search_text

# Counties a spouse may come from: 清丰, 南乐, 濮阳县, 台前 (濮阳); 阳谷, 莘县, 高唐 (聊城).
NEIGHBOURS = ("410922", "410923", "410928", "410927", "371521", "371522", "371526")
_PHONE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "155",
                   "156", "158", "159", "166", "176", "177", "180", "183", "185", "186", "187",
                   "188", "189", "193", "199")
SKILLS = ("电焊", "瓦工", "木工", "厨师", "电工", "驾驶", "缝纫", "废旧金属挑选", "家政", "钢筋工",
          "叉车", "养殖", "种植", "美容美发", "快递分拣")
WISHES = ("电工", "焊工", "养老护理", "育婴员", "电子商务", "挖掘机驾驶", "中式烹调", "家政服务")


@dataclass
class Village:
    id: int
    code: str
    name: str
    surname: str
    groups: list[tuple[int, str]] = field(default_factory=list)
    weight: float = 1.0


@dataclass
class Township:
    id: int
    code: str  # 12 digits
    name: str
    villages: list[Village] = field(default_factory=list)


@dataclass
class People:
    households: list[dict]
    persons: list[dict]
    heads: list[tuple[int, int]]  # (household id, head person id)
    category: dict[int, str]  # household id -> category code


def _shape(rng: random.Random) -> list[tuple[str, str, int, bool]]:
    """Members as (relation, sex, age, carries the household's surname)."""
    roll = rng.random()
    members: list[tuple[str, str, int, bool]] = []

    def other(sex: str) -> str:
        return "2" if sex == "1" else "1"

    def clamp(age: int) -> int:
        return max(0, min(95, age))

    if roll < 0.33:  # an old couple, maybe a widow(er), often with a grandchild
        age = rng.randint(58, 88)
        sex = "1" if rng.random() < 0.82 else "2"
        members.append(("02", sex, age, True))
        if rng.random() < 0.78:
            members.append(("10", other(sex), clamp(age + rng.randint(-6, 3)), False))
        if len(members) == 1 or rng.random() < 0.2:
            members.append(("40", rng.choice("12"), rng.randint(3, 15), True))
    elif roll < 0.78:  # a core family
        age = rng.randint(24, 58)
        sex = "1" if rng.random() < 0.93 else "2"
        members.append(("02", sex, age, True))
        mother = age
        if rng.random() < 0.95:
            spouse_age = clamp(age + rng.randint(-5, 2) if sex == "1" else age + rng.randint(-2, 5))
            members.append(("10", other(sex), spouse_age, False))
            mother = spouse_age if sex == "1" else age
        kids = rng.choices((0, 1, 2, 3), (0.08, 0.42, 0.4, 0.1))[0]
        for _ in range(kids):
            kid_age = mother - rng.randint(20, 34)
            if kid_age >= 0:
                kid_sex = rng.choice("12")
                members.append(("20" if kid_sex == "1" else "30", kid_sex, kid_age, True))
        if age < 45 and rng.random() < 0.18:
            father = clamp(age + rng.randint(22, 32))
            members.append(("50", "1", father, True))
            if rng.random() < 0.6:
                members.append(("50", "2", clamp(father + rng.randint(-5, 2)), False))
    elif roll < 0.95:  # three generations
        age = rng.randint(50, 72)
        members.append(("02", "1", age, True))
        if rng.random() < 0.85:
            members.append(("10", "2", clamp(age + rng.randint(-5, 2)), False))
        son = max(20, age - rng.randint(22, 32))
        members.append(("20", "1", son, True))
        if rng.random() < 0.8:
            members.append(("80", "2", clamp(son + rng.randint(-3, 2)), False))
        for _ in range(rng.choice((1, 1, 2))):
            grandchild = son - rng.randint(20, 30)
            if grandchild >= 0:
                members.append(("40", rng.choice("12"), grandchild, True))
    else:  # a single parent
        age = rng.randint(30, 60)
        sex = rng.choice("12")
        members.append(("02", sex, age, sex == "1"))
        for _ in range(rng.choice((1, 2))):
            kid_sex = rng.choice("12")
            members.append(("20" if kid_sex == "1" else "30", kid_sex,
                            max(0, age - rng.randint(20, 34)), True))
    if len(members) < 2:
        members.append(("40", rng.choice("12"), rng.randint(3, 15), True))
    return members[:6]


def _education(rng: random.Random, year: int, age: int) -> str | None:
    if age < 7:
        return None
    if year < 1955:
        return rng.choices(("90", "80", "70"), (0.45, 0.45, 0.1))[0]
    if year < 1970:
        return rng.choices(("90", "80", "70", "60"), (0.1, 0.4, 0.4, 0.1))[0]
    if year < 1985:
        return rng.choices(("80", "70", "60", "40", "30"), (0.15, 0.6, 0.15, 0.06, 0.04))[0]
    if year < 2006:
        return rng.choices(("70", "60", "40", "30", "20"), (0.4, 0.2, 0.2, 0.12, 0.08))[0]
    return "80" if age < 13 else "70"


def phone(rng: random.Random) -> str:
    return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _category(rng: random.Random, old: bool) -> str:
    roll = rng.random()
    if roll < 0.08:
        return "1"  # 脱贫户
    if roll < 0.10:
        return "2"  # 监测户
    if roll < 0.13:
        return "3"  # 低保户
    if roll < 0.14 and old:
        return "4"  # 特困供养户
    return "0"


def make_people(rng: random.Random, township: Township, *, target: int, today: date,
                first_household: int, first_person: int, used_ids: set[str]) -> People:
    """About ``target`` persons in households spread over the township's villages."""
    households: list[dict] = []
    persons: list[dict] = []
    heads: list[tuple[int, int]] = []
    categories: dict[int, str] = {}
    weights = [v.weight for v in township.villages]
    serial = {v.id: 0 for v in township.villages}
    registered = datetime.combine(today - timedelta(days=3 * 365 + 30), datetime.min.time())
    household_id, person_id = first_household, first_person
    while len(persons) < target:
        village = rng.choices(township.villages, weights)[0]
        group_id, group = rng.choice(village.groups)
        serial[village.id] += 1
        members = _shape(rng)
        old = members[0][2] >= 60
        category = _category(rng, old)
        family = village.surname if rng.random() < 0.45 else surname(rng)
        address = f"{COUNTY_PLACE}{township.name}{village.name}{group}"
        household = {
            "id": household_id, "number": f"{village.code}{serial[village.id]:04d}",
            "village_id": village.id, "group_id": group_id, "address": address, "phone": "",
            "category": category, "head_id": None, "notes": "",
            "created_at": registered, "updated_at": registered, "deleted_at": None,
        }
        for relation, sex, age, own in members:
            if own:
                name_family = family
                region = COUNTY_CODE if rng.random() < 0.97 else rng.choice(NEIGHBOURS)
            else:
                name_family = surname(rng)
                region = COUNTY_CODE if rng.random() < 0.65 else rng.choice(NEIGHBOURS)
            birth = date.fromordinal(today.toordinal() - age * 365 - age // 4 - rng.randint(0, 364))
            male = sex == "1"
            number = make_id(region, birth, rng.randint(0, 999), male)
            while number in used_ids:
                number = make_id(region, birth, rng.randint(0, 999), male)
            used_ids.add(number)
            name = full_name(rng, name_family, sex, birth.year)
            capacity = "1"
            if age >= 75:
                capacity = rng.choices("123", (0.3, 0.35, 0.35))[0]
            elif age >= 60:
                capacity = rng.choices("123", (0.82, 0.12, 0.06))[0]
            elif age >= 16:
                capacity = rng.choices("123", (0.955, 0.03, 0.015))[0]
            died_on = None
            if relation != "02" and age >= 50 and rng.random() < 0.006 * 1.09 ** (age - 50):
                died_on = today - timedelta(days=rng.randint(1, 3 * 365))
            person_phone = phone(rng) if 18 <= age <= 75 and rng.random() < 0.8 else ""
            if relation == "02" or (not household["phone"] and person_phone):
                household["phone"] = person_phone or household["phone"]
            working = 16 <= age <= (60 if male else 55)
            persons.append({
                "id": person_id, "id_number": number, "name": name, "sex": sex,
                "birth_date": birth, "nation": "03" if rng.random() < 0.004 else "01",
                "education": _education(rng, birth.year, age), "phone": person_phone,
                "household_id": household_id, "village_id": village.id, "relation": relation,
                "labour_capacity": capacity, "is_rural": True,
                "local_status": _status(rng, age, capacity, working),
                "skills": rng.choice(SKILLS) if working and rng.random() < 0.3 else "",
                "training_wish": rng.choice(WISHES) if working and rng.random() < 0.15 else "",
                "address": address, "died_on": died_on, "notes": "",
                "search_text": search_text(name),
                "created_at": registered, "updated_at": registered, "deleted_at": None,
            })
            if relation == "02":
                heads.append((household_id, person_id))
            person_id += 1
        households.append(household)
        categories[household_id] = category
        household_id += 1
    return People(households, persons, heads, categories)


def _status(rng: random.Random, age: int, capacity: str, working: bool) -> str | None:
    if capacity == "3":
        return "60" if working or rng.random() < 0.3 else None
    if not working:
        return "20" if 55 <= age <= 72 and rng.random() < 0.4 else None
    if age <= 22 and rng.random() < 0.55:
        return "40"
    return rng.choices(("20", "31", "32", "33", "10", None),
                       (0.32, 0.14, 0.1, 0.03, 0.07, 0.34))[0]
