"""Every figure of the return on a small database whose answers were worked out by hand.

``build_sample(store)`` is also used by the other ``test_return_*`` files.
Period 2026-10: P = 2026-10-01..31, Y = 2026-01-01..10-31, LY = 2025-01-01..10-31.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from laborstation.idnumber import make_id
from laborstation.indicators import INDICATORS, compute, compute_all, compute_by_village
from laborstation.indicators.sqlfn import latest_birth
from laborstation.model import (
    VILLAGE,
    Area,
    Course,
    Enrolment,
    HardToEmploy,
    Household,
    Intention,
    JobPosting,
    Person,
    Placement,
    RightsCase,
    Visit,
    WelfarePost,
)
from laborstation.periods import Period
from laborstation.services.station import set_station
from laborstation.services.targets import set_targets

GONE = datetime(2026, 10, 1, 12, 0)
_seq = iter(range(100, 999, 2))


def _person(s, name, sex, birth, village, household=None, **kw):
    p = Person(
        id_number=make_id("410926", birth, next(_seq), sex == "1"),
        name=name,
        sex=sex,
        birth_date=birth,
        village_id=village.id,
        household_id=household.id if household else None,
        **kw,
    )
    s.add(p)
    s.flush()
    return p


def build_sample(store) -> dict:
    """The hand-computed database (see the expected values below)."""
    station = set_station(store, name="张庄乡", code="410926209000")
    ids: dict = {"station": station}
    with store.session() as s:
        v1 = Area(code="410926209001", name="东村", level=VILLAGE, parent_id=station.area_id)
        v2 = Area(code="410926209002", name="西村", level=VILLAGE, parent_id=station.area_id)
        s.add_all([v1, v2])
        s.flush()
        h1 = Household(village_id=v1.id, category="1")  # 脱贫户
        h2 = Household(village_id=v2.id, category="0")
        h3 = Household(village_id=v2.id, category="2")  # 监测户
        h4 = Household(village_id=v2.id, category="0")
        s.add_all([h1, h2, h3, h4])
        s.flush()
        a = _person(s, "甲男", "1", date(1990, 5, 1), v1, h1)
        b = _person(s, "乙女", "2", date(1995, 3, 3), v1, h1)
        c = _person(s, "丙男", "1", date(1965, 6, 10), v2, h2)  # turns 61 in June 2026
        d = _person(s, "丁女", "2", date(1970, 9, 1), v2, h2)  # turns 56 in Sept 2026
        _person(s, "戊男", "1", date(2010, 11, 30), v2)  # 15 at E
        _person(s, "己男", "1", date(1985, 1, 1), v2, labour_capacity="3")
        _person(s, "庚男", "1", date(1980, 1, 1), v1, died_on=date(2026, 5, 1))
        _person(s, "辛女", "2", date(1992, 7, 7), v1, is_rural=False)
        i = _person(s, "壬男", "1", date(1988, 8, 8), v2, deleted_at=GONE)
        j = _person(s, "癸男", "1", date(2000, 1, 1), v2, h3, local_status="31")
        k = _person(s, "子女", "2", date(1998, 2, 2), v2, h4, local_status="10")

        def place(person, start, ret, region, organised, wage, **kw):
            row = Placement(
                person_id=person.id,
                start_on=start,
                return_on=ret,
                region_class=region,
                organised=organised,
                monthly_wage=Decimal(wage) if wage is not None else None,
                destination=kw.pop("destination", "郑州市"),
                **kw,
            )
            s.add(row)
            s.flush()
            return row

        ids["pl1"] = place(a, date(2025, 12, 1), date(2026, 2, 1), "20", True, 6000).id
        ids["pl2"] = place(
            a,
            date(2026, 10, 10),
            None,
            "30",
            False,
            8000,
            destination="北京市",
            employer_name="北京建工",
            industry="E",
        ).id
        ids["pl3"] = place(b, date(2026, 3, 15), date(2026, 10, 16), "11", True, 3000).id
        ids["pl4"] = place(j, date(2026, 10, 5), None, "12", True, None).id
        ids["pl6"] = place(c, date(2025, 4, 1), date(2025, 9, 1), "40", False, 10000).id
        place(k, date(2026, 10, 20), None, "30", False, 5000, deleted_at=GONE)
        place(i, date(2026, 10, 3), None, "30", False, 5000)

        def course(name, ctype, mode, start, end, **kw):
            row = Course(
                name=name,
                course_type=ctype,
                mode=mode,
                start_on=start,
                end_on=end,
                area_id=station.area_id,
                trade=kw.pop("trade", "电工"),
                **kw,
            )
            s.add(row)
            s.flush()
            return row

        cr1 = course("电工班", "2", "1", date(2026, 9, 1), date(2026, 9, 20))
        cr2 = course("引导班", "1", "9", date(2026, 10, 1), date(2026, 10, 8))
        cr3 = course("创业班", "3", "3", date(2025, 3, 1), date(2025, 3, 10))
        cr4 = course("已删班", "4", "1", date(2026, 10, 1), date(2026, 10, 2), deleted_at=GONE)
        cr5 = course("提升班", "4", "2", date(2026, 10, 20), date(2026, 10, 30))
        s.add_all(
            [
                Enrolment(person_id=a.id, course_id=cr1.id, result="1", certificate_kind="2"),
                Enrolment(person_id=b.id, course_id=cr1.id, result="3"),
                Enrolment(person_id=j.id, course_id=cr2.id, result="1"),
                Enrolment(person_id=k.id, course_id=cr2.id, result="2"),
                Enrolment(
                    person_id=a.id,
                    course_id=cr2.id,
                    result="1",
                    certificate_kind="4",
                    certificate_no="Z001",
                ),
                Enrolment(person_id=c.id, course_id=cr3.id, result="1", certificate_kind="1"),
                Enrolment(person_id=b.id, course_id=cr4.id, result="1"),
                Enrolment(person_id=b.id, course_id=cr5.id, result="1"),
            ]
        )
        jp1 = JobPosting(
            title="普工", positions=30, posted_on=date(2026, 10, 12), area_id=station.area_id
        )
        s.add_all(
            [
                jp1,
                JobPosting(title="保洁", positions=5, posted_on=date(2026, 2, 1), area_id=v1.id),
                JobPosting(title="司机", positions=10, posted_on=date(2025, 6, 1)),
                JobPosting(
                    title="已删", positions=100, posted_on=date(2026, 10, 13), deleted_at=GONE
                ),
            ]
        )
        s.flush()
        s.add_all(
            [
                Intention(person_id=j.id, job_posting_id=jp1.id, intended_on=date(2026, 10, 15)),
                Intention(person_id=a.id, intended_on=date(2026, 5, 5)),
                Intention(person_id=c.id, intended_on=date(2025, 7, 7)),
                HardToEmploy(person_id=k.id, category="1", recognised_on=date(2026, 1, 1)),
                HardToEmploy(person_id=j.id, category="1", recognised_on=date(2026, 10, 10)),
                HardToEmploy(person_id=d.id, category="1", recognised_on=date(2025, 1, 1)),
                WelfarePost(
                    person_id=d.id,
                    post_type="2",
                    start_on=date(2025, 6, 1),
                    end_on=date(2025, 12, 31),
                ),
                WelfarePost(person_id=j.id, post_type="1", start_on=date(2026, 10, 20)),
                RightsCase(
                    received_on=date(2026, 10, 3),
                    case_type="1",
                    people_involved=5,
                    amount_claimed=Decimal("12345.67"),
                    amount_recovered=Decimal("10000"),
                    closed_on=date(2026, 10, 25),
                    status="closed",
                    area_id=station.area_id,
                ),
                RightsCase(
                    received_on=date(2026, 8, 1),
                    case_type="1",
                    people_involved=2,
                    amount_claimed=Decimal("5000"),
                    amount_recovered=Decimal("4000"),
                    closed_on=date(2026, 10, 2),
                    status="closed",
                    area_id=v2.id,
                ),
                RightsCase(
                    received_on=date(2025, 3, 1),
                    case_type="1",
                    people_involved=1,
                    amount_claimed=Decimal("800"),
                    amount_recovered=Decimal("800"),
                    closed_on=date(2025, 4, 1),
                    status="closed",
                ),
                Visit(visited_on=date(2026, 10, 9), people_visited=3, area_id=station.area_id),
                Visit(visited_on=date(2026, 4, 1), people_visited=4),
                Visit(visited_on=date(2025, 9, 9), people_visited=2),
            ]
        )
        ids.update(v1=v1.id, v2=v2.id, a=a.id, b=b.id, c=c.id, j=j.id, k=k.id, h4=h4.id)
    set_targets(store, 2026, {"201": 10, "301": 20, "209": 5})
    return ids


D = Decimal
# code: (本月 P, 本年累计 Y, 上年同期 LY)
EXPECTED = {
    "101": (4, 4, 7),
    "102": (2, 2, 3),
    "103": (3, 3, 3),
    "104": (2, 2, 0),
    "201": (2, 3, 1),
    "202": (1, 2, 0),
    "203": (0, 0, 0),
    "204": (1, 1, 0),
    "205": (0, 0, 1),
    "206": (1, 2, 0),
    "207": (2, 3, 0),
    "208": (1, 2, 1),
    "209": (D("0.73"), D("3.31"), D("5.03")),
    "210": (D("50.0"), D("75.0"), D("14.3")),
    "301": (4, 5, 1),
    "302": (3, 3, 0),
    "303": (0, 1, 0),
    "304": (0, 0, 1),
    "305": (1, 1, 0),
    "306": (1, 2, 1),
    "307": (1, 2, 1),
    "308": (4, 4, 1),
    "309": (2, 2, 1),
    "310": (D("50.0"), D("50.0"), D("100.0")),
    "311": (D("100.0"), D("125.0"), D("14.3")),
    "401": (1, 2, 1),
    "402": (30, 35, 10),
    "403": (1, 2, 1),
    "501": (1, 1, 1),
    "502": (1, 1, 1),
    "503": (1, 1, 2),
    "601": (1, 2, 1),
    "602": (5, 7, 1),
    "603": (D("1.23"), D("1.73"), D("0.08")),
    "604": (D("1.40"), D("1.40"), D("0.08")),
    "605": (3, 7, 2),
}
PERIOD = Period.parse("2026-10")


@pytest.fixture
def sample(store):
    return build_sample(store)


def test_expected_covers_every_code():
    assert set(EXPECTED) == set(INDICATORS)


@pytest.mark.parametrize("column", [0, 1, 2])
def test_every_figure_of_every_window(store, sample, column):
    window = (PERIOD.month_window, PERIOD.year_window, PERIOD.last_year_window)[column]
    with store.reading() as s:
        got = compute_all(s, window, sample["station"].area_id)
    assert got == {code: values[column] for code, values in EXPECTED.items()}


def test_single_figure_and_whole_store_agree(store, sample):
    with store.reading() as s:
        assert compute(s, "209", PERIOD.year_window) == D("3.31")
        assert compute(s, "310", PERIOD.month_window, sample["station"].area_id) == D("50.0")
        assert compute(s, "101", PERIOD.end) == 4


def test_stocks_at_a_date_and_the_age_edges(store, sample):
    with store.reading() as s:
        assert compute_all(s, date(2026, 6, 9))["101"] == 6  # 丙男 still 60, 丁女 55
        assert compute_all(s, date(2026, 6, 10))["101"] == 5  # his 61st birthday
        assert compute_all(s, date(2026, 8, 31))["101"] == 5
        assert compute_all(s, date(2026, 9, 1))["101"] == 4  # her 56th birthday
        assert compute_all(s, date(2026, 11, 29), codes=["101"]) == {"101": 4}
        assert compute_all(s, date(2026, 11, 30), codes=["101"]) == {"101": 5}  # 戊男 16


def test_by_village_adds_up_to_the_unit(store, sample):
    with store.reading() as s:
        villages = compute_by_village(s, PERIOD.year_window, sample["station"].area_id)
        total = compute_all(s, PERIOD.year_window, sample["station"].area_id)
        v1 = compute_all(s, PERIOD.year_window, sample["v1"])
    assert villages[sample["v1"]] == {
        "101": 2,
        "104": 1,
        "201": 2,
        "206": 1,
        "209": D("3.31"),
        "301": 3,
        "309": 1,
    }
    assert villages[sample["v2"]] == {
        "101": 2,
        "104": 1,
        "201": 1,
        "206": 1,
        "209": D("0.00"),
        "301": 2,
        "309": 1,
    }
    for code, value in villages[sample["v1"]].items():
        assert v1[code] == value
        assert value + villages[sample["v2"]][code] == total[code]


def test_latest_birth_follows_age_at():
    from laborstation.idnumber import age_at

    for day in (date(2025, 2, 28), date(2024, 2, 29), date(2026, 10, 31), date(2025, 3, 1)):
        for years in (16, 56, 61):
            edge = latest_birth(day, years)
            assert age_at(edge, day) >= years
            assert age_at(edge + timedelta(days=1), day) < years


def test_sql_is_portable_to_postgresql():
    from sqlalchemy import select
    from sqlalchemy.dialects import postgresql, sqlite

    from laborstation.indicators.sqlfn import days_between, greatest, least

    expr = select(
        days_between(
            least(Placement.return_on, Placement.start_on),
            greatest(Placement.start_on, Placement.start_on),
        )
    )
    pg = str(expr.compile(dialect=postgresql.dialect()))
    lite = str(expr.compile(dialect=sqlite.dialect()))
    assert "LEAST(" in pg and "GREATEST(" in pg and "julianday" not in pg
    assert "julianday(min(" in lite


class _PostgresCompiler:
    """Stands in for a Session: compiles each statement for PostgreSQL, returns no rows."""

    def __init__(self):
        from sqlalchemy.dialects import postgresql

        self.dialect = postgresql.dialect()
        self.sql: list[str] = []

    def execute(self, stmt):
        self.sql.append(str(stmt.compile(dialect=self.dialect)))
        return []


def test_every_query_compiles_for_postgresql():
    from laborstation.indicators import _QUERY_CODES
    from laborstation.indicators.sqlfn import Scope

    fake = _PostgresCompiler()
    for scope in (Scope(None, None, True), Scope(2, (2, 3, 4), False)):
        for fn in _QUERY_CODES:
            arg = PERIOD.end if fn.__name__ == "labour_stock" else PERIOD.year_window
            for group in (None, "village"):
                fn(fake, arg, scope, group)
    text = "\n".join(fake.sql)
    assert len(fake.sql) >= 2 * 2 * len(_QUERY_CODES)
    assert "julianday" not in text and "LEAST(" in text and "GREATEST(" in text
