"""The duplicate warning shown before a person is saved.

Kinds, in the order returned: 'id' (same ID number: saving is refused),
'name_birth' (same name and birth date), 'homophone' (same pinyin and birth
year in the same village: 张伟 / 章伟 typed from a spoken name), 'recycled'
(the ID number belongs to someone in the recycle bin). Each query is indexed:
ID number, (sex, birth date) and (village, birth date).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from sqlalchemy import select

from laborstation import idnumber
from laborstation.errors import InvalidIdNumber
from laborstation.model import Household, Person
from laborstation.search_keys import SURNAME_READINGS
from laborstation.services.persons import id_holder
from laborstation.services.register_types import (
    DuplicateCandidate,
    PersonInput,
    describe,
    person_record,
)

__all__ = ["MAX_PER_KIND", "duplicate_candidates", "pinyin_keys"]

MAX_PER_KIND = 20  # a warning lists at most this many people of one kind


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> frozenset[str]:
    """The full pinyin of a name ('zhangwei'), and with a surname's special reading too."""
    name = "".join((name or "").split())
    if not name:
        return frozenset()
    syllables = [s.lower() for s in lazy_pinyin(name, style=Style.NORMAL, errors="default")]
    keys = {"".join(syllables)}
    surname = SURNAME_READINGS.get(name[0])
    if surname:
        keys.add(surname + "".join(syllables[1:]))
    return frozenset(keys)


def duplicate_candidates(
    store, data: PersonInput, exclude_id: int | None = None
) -> list[DuplicateCandidate]:
    """Registered persons who may be the one in ``data`` (``exclude_id``: the one being edited).

    An invalid ID number gives no candidates (``create_person`` reports the fault).
    """
    try:
        info = idnumber.parse(data.id_number)
    except InvalidIdNumber:
        return []
    name = "".join((data.name or "").split())
    found: list[DuplicateCandidate] = []
    seen = {exclude_id}
    with store.reading() as s:

        def add(kind: str, person: Person, message) -> None:
            seen.add(person.id)
            record = person_record(s, person)
            found.append(DuplicateCandidate(kind, record, message(record)))

        holder = id_holder(s, info.number, exclude_id)
        if holder is not None:
            add(
                "id",
                holder,
                lambda r: (
                    f"身份证号 {info.number} 已登记：{describe(r)}。不能重复登记，请打开已登记的人员。"
                ),
            )
        if name:
            same = s.scalars(
                select(Person)
                .where(
                    # Both sexes named, so ix_person_labour (sex, birth_date, …) is read
                    # by sex and birth date: there is no index on name alone.
                    Person.sex.in_(("1", "2")),
                    Person.birth_date == info.birth_date,
                    Person.name == name,
                    Person.deleted_at.is_(None),
                )
                .order_by(Person.id)
                .limit(MAX_PER_KIND)
            )
            for person in same:
                if person.id not in seen:
                    add(
                        "name_birth",
                        person,
                        lambda r: (
                            f"已有同名且出生日期相同的人员：{describe(r)}，身份证号 {r.id_number}。"
                            "请核对是否为同一人。"
                        ),
                    )
        village_id = data.village_id
        if data.household_id is not None:
            household = s.get(Household, data.household_id)
            village_id = household.village_id if household else village_id
        keys = pinyin_keys(name)
        if village_id is not None and keys:
            year = info.birth_date.year
            near = s.execute(
                select(Person.id, Person.name)
                .where(
                    Person.village_id == village_id,
                    Person.birth_date.between(date(year, 1, 1), date(year, 12, 31)),
                    Person.deleted_at.is_(None),
                )
                .order_by(Person.id)
            )
            matches = [i for i, n in near if i not in seen and keys & pinyin_keys(n)]
            for person_id in matches[:MAX_PER_KIND]:
                add(
                    "homophone",
                    s.get(Person, person_id),
                    lambda r: (
                        f"同村有读音相同、同年出生的人员：{describe(r)}，{r.birth_date.isoformat()} "
                        f"出生，身份证号 {r.id_number}。请核对是否为同一人（同音字）。"
                    ),
                )
        if holder is None:
            gone = s.scalars(
                select(Person)
                .where(Person.id_number == info.number, Person.deleted_at.is_not(None))
                .order_by(Person.deleted_at.desc())
                .limit(1)
            ).first()
            if gone is not None and gone.id not in seen:
                add(
                    "recycled",
                    gone,
                    lambda r: (
                        f"回收站中有身份证号相同的人员：{describe(r)}。如是同一人，请从回收站恢复。"
                    ),
                )
    return found
