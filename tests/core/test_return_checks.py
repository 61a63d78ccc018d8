"""Rules V1–V7: each one triggered, and not triggered on the clean sample."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from test_indicators import build_sample

from laborstation.cli import main
from laborstation.idnumber import make_id
from laborstation.model import Course, Enrolment, Person, Placement, Visit
from laborstation.returns.build import build_return
from laborstation.returns.validation import check_return

TODAY = date(2026, 11, 28)


@pytest.fixture
def sample(store):
    return build_sample(store)


def _findings(store):
    with store.reading() as s:
        return check_return(s, build_return(s, "2026-10", rosters=False), today=TODAY)


def _rules(findings):
    return {f.rule for f in findings}


def _add(store, *rows):
    with store.session() as s:
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def test_the_clean_sample_has_only_the_missing_wage_warning(store, sample):
    findings = _findings(store)
    assert _rules(findings) == {"V3"}
    (v3,) = findings
    assert v3.severity == "warning" and not v3.is_error
    assert [(r.table, r.id) for r in v3.records] == [("placement", sample["pl4"])]
    assert "癸男" in v3.records[0].label


def test_v3_goes_when_the_wage_is_filled_in(store, sample):
    with store.session() as s:
        s.get(Placement, sample["pl4"]).monthly_wage = Decimal("4000")
    assert _findings(store) == []


def test_v1_a_placement_without_region_class(store, sample):
    (pid,) = _add(
        store,
        Placement(
            person_id=sample["k"],
            start_on=date(2026, 10, 3),
            region_class=None,
            monthly_wage=Decimal(1),
        ),
    )
    (v1,) = [f for f in _findings(store) if f.rule == "V1"]
    assert v1.is_error and "201 = 3" in v1.message
    assert [(r.table, r.id) for r in v1.records] == [("placement", pid)]
    assert "子女" in v1.records[0].label


def test_v2_a_course_of_unknown_type(store, sample):
    with store.session() as s:
        course = Course(
            name="怪班", course_type="7", start_on=date(2026, 10, 2), end_on=date(2026, 10, 3)
        )
        s.add(course)
        s.flush()
        s.add(Enrolment(person_id=sample["k"], course_id=course.id))
        s.flush()
        course_id = course.id
    v2 = [f for f in _findings(store) if f.rule == "V2"]
    assert v2 and all(f.is_error for f in v2)
    assert "302+303+304+305 = 4，不等于 301 = 5" in v2[0].message
    assert ("course", course_id) in {(r.table, r.id) for r in v2[0].records}


def test_v4_an_invalid_id_number(store, sample):
    good = make_id("410926", date(1990, 1, 1), 500, True)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    (pid,) = _add(
        store,
        Person(
            id_number=bad,
            name="错号人",
            sex="1",
            birth_date=date(1990, 1, 1),
            village_id=sample["v1"],
        ),
    )
    (v4,) = [f for f in _findings(store) if f.rule == "V4"]
    assert v4.is_error and [(r.table, r.id) for r in v4.records] == [("person", pid)]
    assert "错号人" in v4.records[0].label and "校验位" in v4.records[0].label


def test_v5_a_month_far_below_last_year(store, sample):
    _add(
        store,
        *[
            Placement(
                person_id=sample["c"],
                start_on=date(2025, 10, d),
                return_on=None,
                region_class="30",
                monthly_wage=Decimal(1),
            )
            for d in range(1, 8)
        ],
    )
    v5 = [f for f in _findings(store) if f.rule == "V5"]
    assert v5 and not any(f.is_error for f in v5)
    assert any(f.message.startswith("201 ") and "上年同月 7" in f.message for f in v5)


def test_v6_too_young_and_after_death(store, sample):
    with store.reading() as s:
        young = s.query(Person).filter_by(name="戊男").one().id
        dead = s.query(Person).filter_by(name="庚男").one().id
    ids = _add(
        store,
        Placement(
            person_id=young, start_on=date(2026, 10, 2), region_class="30", monthly_wage=Decimal(1)
        ),
        Placement(
            person_id=dead,
            start_on=date(2026, 6, 1),
            return_on=date(2026, 6, 2),
            region_class="30",
            monthly_wage=Decimal(1),
        ),
    )
    (v6,) = [f for f in _findings(store) if f.rule == "V6"]
    assert v6.is_error
    assert sorted(r.id for r in v6.records) == sorted(ids)
    labels = " ".join(r.label for r in v6.records)
    assert "戊男" in labels and "未满 16 周岁" in labels and "晚于死亡日期" in labels


def test_v6_not_triggered_on_the_16th_birthday(store, sample):
    with store.reading() as s:
        young = s.query(Person).filter_by(name="戊男").one().id
    with store.session() as s:
        s.get(Person, young).birth_date = date(2010, 10, 2)
    _add(
        store,
        Placement(
            person_id=young, start_on=date(2026, 10, 2), region_class="30", monthly_wage=Decimal(1)
        ),
    )
    assert "V6" not in _rules(_findings(store))


def test_v7_a_record_dated_after_today(store, sample):
    (vid,) = _add(store, Visit(visited_on=date(2026, 12, 1), people_visited=1))
    (v7,) = [f for f in _findings(store) if f.rule == "V7"]
    assert v7.is_error and [(r.table, r.id) for r in v7.records] == [("visit", vid)]
    assert v7.records[0].label == f"回访记录 {vid}：回访日期 2026-12-01"  # (no column names)


def test_check_command_prints_the_findings(store, sample, capsys):
    assert main(["return", "2026-10", "--db", _db(store), "--check"]) == 0
    out = capsys.readouterr().out
    assert "[V3 提示]" in out and "placement" not in out  # (records named in words)
    with store.reading() as s:
        person = s.get(Person, s.get(Placement, sample["pl4"]).person_id)
        assert f"    - {person.name}（{person.id_number}）" in out
    _add(store, Placement(person_id=sample["k"], start_on=date(2026, 10, 3), region_class=None))
    assert main(["return", "2026-10", "--db", _db(store), "--check"]) == 1
    assert "[V1 错误]" in capsys.readouterr().out


def _db(store) -> str:
    """--db for the store under test: its SQLite file or the PostgreSQL URL."""
    return store.engine.url.render_as_string(hide_password=False)
