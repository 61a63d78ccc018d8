"""The demo data: deterministic, valid ID numbers, plausible households and placements."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import func, select
from stdnum.cn import uscc

from laborstation import idnumber
from laborstation.cli import main
from laborstation.db import open_store
from laborstation.demo import DemoRefused, build_demo_file, generate
from laborstation.errors import UserError
from laborstation.model import (
    Area,
    Course,
    Employer,
    Enrolment,
    HardToEmploy,
    Household,
    JobPosting,
    Person,
    Placement,
    RightsCase,
    Target,
    Visit,
    WelfarePost,
)
from laborstation.regions import region_class_for
from laborstation.search_keys import search_text
from laborstation.services.station import get_station, set_station

TODAY = date(2026, 11, 28)
NEIGHBOURS = {"410926", "410922", "410923", "410928", "410927", "371521", "371522", "371526"}


def _dump(path, model) -> list[tuple]:
    store = open_store(path)
    try:
        with store.reading() as session:
            table = model.__table__
            return [tuple(row) for row in session.execute(select(table).order_by(table.c.id))]
    finally:
        store.close()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "tiny.db"
    counts = build_demo_file(path, scale="tiny", seed=7, today=TODAY)
    store = open_store(path)
    yield store, counts
    store.close()


def test_same_seed_and_day_give_the_same_rows_another_seed_other_rows(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        build_demo_file(tmp_path / f"{name}.db", scale="tiny", seed=seed, today=TODAY)
    for model in (Person, Placement, Household, Enrolment, Area, Target):
        assert _dump(tmp_path / "a.db", model) == _dump(tmp_path / "b.db", model)
    assert _dump(tmp_path / "a.db", Person) != _dump(tmp_path / "c.db", Person)
    assert _dump(tmp_path / "a.db", Placement) != _dump(tmp_path / "c.db", Placement)


def test_id_numbers_are_valid_unique_and_agree_with_sex_and_birth_date(tiny):
    store, _ = tiny
    with store.reading() as session:
        persons = session.execute(select(Person)).scalars().all()
    assert len({p.id_number for p in persons}) == len(persons)
    regions = Counter()
    for person in persons:
        info = idnumber.parse(person.id_number, today=TODAY)
        assert (info.sex, info.birth_date) == (person.sex, person.birth_date), person
        assert info.region_code in NEIGHBOURS
        regions[info.region_code] += 1
        assert 0 <= idnumber.age_at(person.birth_date, TODAY) <= 96
        assert person.search_text == search_text(person.name)
        assert 2 <= len(person.name) <= 4
        if person.died_on is not None:
            assert person.birth_date < person.died_on <= TODAY
    assert regions["410926"] > 0.8 * len(persons)  # mostly born in 范县, some married in


def test_households_have_two_to_six_members_and_one_head(tiny):
    store, _ = tiny
    with store.reading() as session:
        households = session.execute(select(Household)).scalars().all()
        members = defaultdict(list)
        for person in session.execute(select(Person)).scalars():
            members[person.household_id].append(person)
    assert households
    categories = Counter(h.category for h in households)
    assert set(categories) <= {"0", "1", "2", "3", "4"}
    for household in households:
        people = members[household.id]
        assert 2 <= len(people) <= 6
        heads = [p for p in people if p.relation == "02"]
        assert [p.id for p in heads] == [household.head_id]
        assert all(p.village_id == household.village_id for p in people)
        assert household.number.startswith("410926100")


def test_placements_are_dated_sensibly_and_classed(tiny):
    store, _ = tiny
    with store.reading() as session:
        placements = session.execute(select(Placement)).scalars().all()
        persons = {p.id: p for p in session.execute(select(Person)).scalars()}
    assert placements
    classes = Counter(p.region_class for p in placements)
    assert {"11", "12", "20", "30"} <= set(classes) <= {"11", "12", "20", "30", "40"}
    by_person = defaultdict(list)
    for placement in placements:
        person = persons[placement.person_id]
        assert date(2023, 11, 28) <= placement.start_on <= TODAY
        assert placement.return_on is None or placement.start_on < placement.return_on <= TODAY
        assert idnumber.age_at(person.birth_date, placement.start_on) >= 16
        assert person.died_on is None
        assert (placement.province is None) == (placement.region_class == "40")
        if placement.program == "对疆劳务协作":
            assert placement.province == "65" and placement.organised
            assert placement.start_on.month in (9, 10)
        by_person[placement.person_id].append(placement)
    for placement in placements:  # the class agrees with the one a clerk's form would give
        assert placement.region_class == region_class_for(
            province=placement.province, area_code=placement.area_code,
            home_code="410926100000", abroad=placement.province is None)
    for own in by_person.values():  # one person is in one place at a time
        own.sort(key=lambda p: p.start_on)
        for before, after in zip(own, own[1:], strict=False):
            assert before.return_on is not None and before.return_on <= after.start_on
    assert 0.25 < sum(p.organised for p in placements) / len(placements) < 0.7
    assert sum(p.monthly_wage is None for p in placements) < 0.2 * len(placements)
    # most placements start in the weeks after the Spring Festival
    assert sum(p.start_on.month in (2, 3) for p in placements) > 0.4 * len(placements)


def test_counts_and_the_other_tables(tiny):
    store, counts = tiny
    with store.reading() as session:
        def count(model):
            return session.execute(select(func.count()).select_from(model)).scalar_one()

        assert count(Person) == counts.persons and 300 <= counts.persons <= 306
        assert 60 <= counts.households <= 110 and count(Household) == counts.households
        assert count(Placement) == counts.placements and 60 <= counts.placements <= 300
        levels = Counter(session.execute(select(Area.level)).scalars())
        assert levels["village"] == 2 and 6 <= levels["group"] <= 16
        courses = session.execute(select(Course)).scalars().all()
        assert {c.course_type for c in courses} == {"1", "2", "3", "4"}
        assert {c.mode for c in courses} == {"1", "2", "3", "9"}
        assert all(c.start_on <= c.end_on <= TODAY for c in courses)
        assert count(Enrolment) == counts.enrolments > 0
        assert counts.job_postings > 0 and counts.intentions > 0 and counts.visits > 0
        assert counts.rights_cases > 0 and counts.hard_to_employ > 0
        assert max(session.execute(select(JobPosting.posted_on)).scalars()) <= TODAY
        assert max(session.execute(select(RightsCase.received_on)).scalars()) <= TODAY
        assert max(session.execute(select(Visit.visited_on)).scalars()) <= TODAY
        assert max(session.execute(select(WelfarePost.start_on)).scalars(), default=TODAY) <= TODAY
        born = dict(session.execute(select(Person.id, Person.birth_date)).all())
        for row in session.execute(select(HardToEmploy)).scalars():
            assert idnumber.age_at(born[row.person_id], row.recognised_on) >= 16
            assert row.recognised_on <= TODAY and row.category.isdigit()
        codes = session.execute(select(Employer.credit_code)).scalars().all()
        assert codes and all(uscc.is_valid(code) for code in codes)
        targets = session.execute(select(Target)).scalars().all()
        assert {t.year for t in targets} == {2026}
        assert {"201", "206", "208", "301", "307", "401", "605"} <= {t.indicator for t in targets}
        assert all(t.value >= 1 for t in targets)
    station = get_station(store)
    assert station.area_code == "410926100000" and station.name == "濮城镇"


def test_cancelling_rolls_the_rows_back(store):
    work = generate(store, scale="tiny", seed=1, today=TODAY)
    for _ in range(4):
        next(work)
    work.close()
    with store.reading() as session:
        assert session.execute(select(func.count()).select_from(Person)).scalar_one() == 0
    with pytest.raises(UserError):
        next(generate(store, scale="huge"))


def test_refuses_a_database_that_holds_people(tmp_path, capsys):
    path = tmp_path / "demo.db"
    args = ["demo", "--db", str(path), "--scale", "tiny", "--seed", "2", "--today", "2026-11-28"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "人员" in out and "用时" in out
    assert main(args) == 2
    assert "已有" in capsys.readouterr().err
    with pytest.raises(DemoRefused):
        build_demo_file(path, scale="tiny")
    for wrong in (["--today", "2026-13-01"], ["--today", "2999-01-01"], ["--scale", "huge"]):
        assert main(["demo", "--db", str(tmp_path / "x.db"), *wrong]) == 2
    assert not (tmp_path / "x.db").exists()
    other = open_store(tmp_path / "other.db")  # a real station's file, set up but no people yet
    try:
        set_station(other, name="杨集乡", code="410926200000")
        with pytest.raises(DemoRefused, match="杨集乡"):
            next(generate(other, scale="tiny", today=TODAY))
    finally:
        other.close()


def test_county_scale_makes_the_county_the_unit_with_its_townships(tmp_path):
    path = tmp_path / "county.db"
    counts = build_demo_file(path, scale="tiny-county", seed=1, today=TODAY)
    store = open_store(path)
    try:
        station = get_station(store)
        assert (station.level, station.area_code, station.name) == ("county", "410926000000", "范县")
        with store.reading() as session:
            areas = session.execute(select(Area)).scalars().all()
            by_id = {a.id: a for a in areas}
            townships = [a for a in areas if a.level == "township"]
            assert [t.parent_id for t in townships] == [station.area_id] * 2
            assert {t.code for t in townships} == {"410926100000", "410926101000"}
            persons = {p.id: p for p in session.execute(select(Person)).scalars()}
            assert counts.persons == len(persons) >= 300
            for placement in session.execute(select(Placement)).scalars():
                home = by_id[by_id[persons[placement.person_id].village_id].parent_id].code
                assert placement.region_class == region_class_for(
                    province=placement.province, area_code=placement.area_code,
                    home_code=home, abroad=placement.province is None)
            targets = defaultdict(dict)
            for target in session.execute(select(Target)).scalars():
                targets[target.area_id][target.indicator] = target.value
        assert set(targets) == {station.area_id, *(t.id for t in townships)}
        for code, value in targets[station.area_id].items():
            assert value == sum(targets[t.id][code] for t in townships)
    finally:
        store.close()
