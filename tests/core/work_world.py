"""A small station for the work-record tests, written with the ORM (no register services).

范县 (410926) → 陈庄镇 (410926209000) → two villages; persons with valid ID numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from laborstation.idnumber import make_id
from laborstation.model import Area, AuditEntry, MonthlyReturn, Person, Setting
from laborstation.search_keys import search_text

TOWNSHIP_CODE = "410926209000"
TODAY = date(2026, 11, 20)


@dataclass
class World:
    county_id: int
    township_id: int
    village_id: int
    other_village_id: int
    adult_id: int  # born 1990, male
    woman_id: int  # born 1985
    child_id: int  # born 2012: under 16 until 2028
    dead_id: int  # died 2026-03-01


def build(store) -> World:
    with store.session() as s:
        county = Area(code="410926000000", name="范县", level="county")
        s.add(county)
        s.flush()
        town = Area(code=TOWNSHIP_CODE, name="陈庄镇", level="township", parent_id=county.id)
        s.add(town)
        s.flush()
        village = Area(code="410926209201", name="前刘村", level="village", parent_id=town.id)
        other = Area(code="410926209202", name="后刘村", level="village", parent_id=town.id)
        s.add_all([village, other])
        s.flush()
        s.add_all([Setting(key="station.code", value=TOWNSHIP_CODE),
                   Setting(key="station.name", value="陈庄镇劳动保障所")])

        def person(name, birth, male, seq, village_id, died_on=None):
            p = Person(id_number=make_id("410926", birth, seq, male), name=name,
                       sex="1" if male else "2", birth_date=birth, village_id=village_id,
                       died_on=died_on, search_text=search_text(name))
            s.add(p)
            s.flush()
            return p.id

        return World(
            county_id=county.id, township_id=town.id, village_id=village.id,
            other_village_id=other.id,
            adult_id=person("张三", date(1990, 5, 1), True, 11, village.id),
            woman_id=person("李四妹", date(1985, 2, 3), False, 22, other.id),
            child_id=person("王小五", date(2012, 7, 9), True, 33, village.id),
            dead_id=person("赵老六", date(1960, 1, 1), True, 45, village.id, date(2026, 3, 1)),
        )


def submit(store, period: str, area_id: int, status: str = "submitted") -> None:
    with store.session() as s:
        row = s.execute(
            select(MonthlyReturn).where(MonthlyReturn.period == period,
                                        MonthlyReturn.area_id == area_id)
        ).scalar_one_or_none()
        if row is None:
            s.add(MonthlyReturn(period=period, area_id=area_id, status=status))
        else:
            row.status = status


def audit_rows(store, table: str, row_id: int) -> list[tuple[str, str, str | None, str | None]]:
    with store.reading() as s:
        return [
            (a.action, a.field, a.old, a.new)
            for a in s.execute(
                select(AuditEntry).where(AuditEntry.table_name == table,
                                         AuditEntry.row_id == row_id).order_by(AuditEntry.id)
            ).scalars()
        ]
