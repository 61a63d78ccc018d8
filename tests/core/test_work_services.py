"""Placements, training, jobs, assistance and rights: create/update/delete/restore with audit
rows, and each validation with its Chinese message."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from work_world import TODAY, audit_rows, build, submit

from laborstation.db.store import Actor
from laborstation.errors import (
    DuplicateRecord,
    NotFound,
    PeriodLocked,
    PermissionDenied,
    ValidationError,
)
from laborstation.services import assistance, jobs, placements, rights, training
from laborstation.services.placements import PlacementInput

CREDIT_CODE = "91110000600037341L"


@pytest.fixture
def world(store):
    return build(store)


# --- placements ---------------------------------------------------------------------------

def test_a_placement_resolves_its_destination_and_is_audited(store, world):
    made = placements.create_placement(
        store,
        PlacementInput(world.adult_id, date(2026, 3, 2), destination="广东东莞",
                       industry="制造业", monthly_wage=Decimal("5200.50"), organised=True),
        today=TODAY,
    )
    assert (made.province, made.area_code, made.region_class) == ("44", "441900", "30")
    assert made.city == "东莞市" and made.industry == "C" and made.person_name == "张三"
    assert made.monthly_wage == Decimal("5200.50")
    [(action, _, _, values)] = audit_rows(store, "placement", made.id)
    assert action == "insert"
    assert json.loads(values)["destination"] == "广东东莞"

    changed = placements.update_placement(
        store, made.id,
        PlacementInput(world.adult_id, date(2026, 3, 2), return_on=date(2026, 9, 1),
                       destination="本镇", monthly_wage=Decimal(3000)),
        today=TODAY,
    )
    assert changed.region_class == "11" and changed.return_on == date(2026, 9, 1)
    updates = {field: (old, new) for action, field, old, new in
               audit_rows(store, "placement", made.id) if action == "update"}
    assert updates["region_class"] == ("30", "11")
    assert updates["monthly_wage"] == ("5200.50", "3000.00")

    placements.delete_placement(store, made.id)
    assert placements.list_for_person(store, world.adult_id) == []
    assert placements.list_for_person(store, world.adult_id, include_deleted=True)[0].deleted
    restored = placements.restore_placement(store, made.id)
    assert not restored.deleted
    actions = [a for a, *_ in audit_rows(store, "placement", made.id)]
    assert actions[-2:] == ["delete", "restore"]
    assert [p.id for p in placements.list_for_person(store, world.adult_id)] == [made.id]


def test_a_placement_picked_in_a_form_and_an_unknown_destination(store, world):
    picked = placements.create_placement(
        store, PlacementInput(world.woman_id, date(2026, 4, 1), province="41", city="郑州市"),
        today=TODAY,
    )
    assert picked.region_class == "20" and picked.destination == "郑州市"
    unknown = placements.create_placement(
        store, PlacementInput(world.woman_id, date(2026, 5, 1), destination="外地某厂"),
        today=TODAY,
    )
    assert unknown.region_class is None  # rule V1 of the return lists it
    given = placements.create_placement(
        store, PlacementInput(world.woman_id, date(2026, 6, 1), destination="某工地",
                              region_class="县内乡镇外"), today=TODAY,
    )
    assert given.region_class == "12"


def test_a_placement_names_its_employer(store, world):
    employer = jobs.create_employer(store, jobs.EmployerInput("东莞某电子厂"))
    made = placements.create_placement(
        store, PlacementInput(world.adult_id, date(2026, 3, 2), destination="东莞",
                              employer_id=employer.id), today=TODAY,
    )
    assert made.employer_name == "东莞某电子厂"
    with pytest.raises(NotFound):
        placements.create_placement(
            store, PlacementInput(world.adult_id, date(2026, 3, 2), employer_id=9999),
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("who", "changes", "field", "words"),
    [
        ("adult_id", dict(start_on=date(2026, 12, 1)), "start_on", "晚于今天"),
        ("adult_id", dict(return_on=date(2026, 1, 1)), "return_on", "早于外出时间"),
        ("adult_id", dict(monthly_wage=Decimal(-1)), "monthly_wage", "不能为负数"),
        ("adult_id", dict(monthly_wage="abc"), "monthly_wage", "不是金额"),
        ("adult_id", dict(industry="Z"), "industry", "不在代码表中"),
        ("adult_id", dict(employment_form="打零工"), "employment_form", "不在代码表中"),
        ("adult_id", dict(province="99"), "province", "不在代码表中"),
        ("child_id", {}, "start_on", "不满 16 周岁"),
        ("dead_id", {}, "start_on", "去世"),
        ("adult_id", dict(employer_name="厂" * 121), "employer_name", "太长"),
    ],
)
def test_placement_validation(store, world, who, changes, field, words):
    data = dict(person_id=getattr(world, who), start_on=date(2026, 4, 1), destination="郑州")
    data.update(changes)
    with pytest.raises(ValidationError) as error:
        placements.create_placement(store, PlacementInput(**data), today=TODAY)
    assert error.value.field == field
    assert words in str(error.value)


def test_a_deleted_person_and_a_viewer(store, world):
    with pytest.raises(NotFound):
        placements.create_placement(store, PlacementInput(424242, date(2026, 4, 1)), today=TODAY)
    store.actor = Actor("查询员", "viewer")
    with pytest.raises(PermissionDenied):
        placements.create_placement(store, PlacementInput(world.adult_id, date(2026, 4, 1)),
                                    today=TODAY)


# --- training -----------------------------------------------------------------------------

def _course(store, **changes):
    data = dict(name="电工培训班", course_type="2", start_on=date(2026, 9, 1),
                end_on=date(2026, 9, 20), mode="订单培训", trade="电工")
    data.update(changes)
    return training.create_course(store, training.CourseInput(**data), today=TODAY)


def test_courses_and_enrolments(store, world):
    course = _course(store)
    assert course.mode == "1" and course.area_id == world.township_id and course.enrolled == 0
    first = training.enrol(store, course.id, world.adult_id)
    training.enrol(store, course.id, world.woman_id)
    with pytest.raises(DuplicateRecord) as error:
        training.enrol(store, course.id, world.adult_id)
    assert error.value.existing_id == first.id and "不能重复" in str(error.value)

    graded = training.set_result(store, first.id, result="1", certificate_kind="2",
                                 certificate_no="S-001")
    assert graded.certificate_kind == "2" and graded.end_on == date(2026, 9, 20)
    assert training.withdraw(store, first.id).result == "3"
    assert [e.person_name for e in training.list_for_course(store, course.id)] == ["张三", "李四妹"]
    assert [e.course_name for e in training.list_for_person(store, world.adult_id)] == ["电工培训班"]

    changed = training.update_course(store, course.id, training.CourseInput(
        name="电工培训班（二期）", course_type="2", start_on=date(2026, 9, 1),
        end_on=date(2026, 9, 25)), today=TODAY)
    assert changed.enrolled == 2 and changed.mode == "9"
    fields = [f for a, f, *_ in audit_rows(store, "course", course.id) if a == "update"]
    assert "name" in fields and "end_on" in fields

    training.delete_course(store, course.id)
    assert training.list_courses(store) == []
    assert training.list_for_person(store, world.adult_id) == []
    restored = training.restore_course(store, course.id)
    assert restored.enrolled == 2
    assert [a for a, *_ in audit_rows(store, "enrolment", first.id)][-2:] == ["delete", "restore"]


def test_training_validation_and_lock(store, world):
    with pytest.raises(ValidationError) as error:
        _course(store, end_on=date(2026, 8, 31))
    assert error.value.field == "end_on"
    with pytest.raises(ValidationError) as error:
        _course(store, course_type="烹饪")
    assert error.value.field == "course_type"
    with pytest.raises(ValidationError) as error:
        _course(store, name=" ")
    assert error.value.field == "name"
    course = _course(store)
    enrolment = training.enrol(store, course.id, world.adult_id)
    with pytest.raises(ValidationError) as error:
        training.set_result(store, enrolment.id, result="1", certificate_no="X1")
    assert error.value.field == "certificate_kind"
    with pytest.raises(ValidationError) as error:
        training.set_result(store, enrolment.id, result="9")
    assert error.value.field == "result"

    submit(store, "2026-09", world.township_id)
    with pytest.raises(PeriodLocked) as error:
        training.withdraw(store, enrolment.id)
    assert "培训记录（2026-09-20）" in str(error.value)
    with pytest.raises(PeriodLocked):
        training.enrol(store, course.id, world.woman_id)
    with pytest.raises(PeriodLocked):
        training.delete_course(store, course.id)
    late = _course(store, name="月嫂班", start_on=date(2026, 10, 1), end_on=date(2026, 10, 9))
    with pytest.raises(PeriodLocked):  # moving its end into the locked period
        training.update_course(store, late.id, training.CourseInput(
            "月嫂班", "2", date(2026, 9, 1), date(2026, 9, 30)), today=TODAY)


# --- jobs ---------------------------------------------------------------------------------

def test_employers_and_partner_sites(store, world):
    employer = jobs.create_employer(store, jobs.EmployerInput(
        "北京某物业公司", credit_code=" 91110000600037341l ".upper(), province="北京",
        industry="O"))
    assert employer.credit_code == CREDIT_CODE and employer.province == "11"
    with pytest.raises(DuplicateRecord) as error:
        jobs.create_employer(store, jobs.EmployerInput("另一家", credit_code=CREDIT_CODE))
    assert error.value.existing_id == employer.id
    with pytest.raises(ValidationError) as error:
        jobs.create_employer(store, jobs.EmployerInput("坏代码", credit_code="91110000600037341A"))
    assert error.value.field == "credit_code"
    updated = jobs.update_employer(store, employer.id, jobs.EmployerInput(
        "北京某物业服务公司", credit_code=CREDIT_CODE))
    assert updated.name == "北京某物业服务公司"
    assert [e.id for e in jobs.list_employers(store, query="物业")] == [employer.id]

    site = jobs.create_partner_site(store, jobs.PartnerSiteInput(
        "北京物业基地", province="11", employer_id=employer.id,
        established_on=date(2025, 3, 1)), today=TODAY)
    jobs.delete_partner_site(store, site.id)
    jobs.delete_employer(store, employer.id)
    with pytest.raises(ValidationError) as error:  # its employer is in the recycle bin
        jobs.restore_partner_site(store, site.id)
    assert error.value.field == "employer_id"
    jobs.restore_employer(store, employer.id)
    assert jobs.restore_partner_site(store, site.id).employer_id == employer.id
    assert [a for a, *_ in audit_rows(store, "employer", employer.id)][-2:] == [
        "delete", "restore"]


def test_postings_and_intentions(store, world):
    posting = jobs.create_posting(store, jobs.JobPostingInput(
        "保安", date(2026, 10, 8), positions=20, wage_min=Decimal(3500),
        wage_max=Decimal(4500), province="11"), today=TODAY)
    assert posting.area_id == world.township_id
    for changes, field in ((dict(positions=0), "positions"),
                           (dict(wage_min=Decimal(5000)), "wage_min"),
                           (dict(posted_on=date(2027, 1, 1)), "posted_on"),
                           (dict(closes_on=date(2026, 10, 1)), "closes_on")):
        data = dict(title="保安", posted_on=date(2026, 10, 8), wage_max=Decimal(4500))
        data.update(changes)
        with pytest.raises(ValidationError) as error:
            jobs.create_posting(store, jobs.JobPostingInput(**data), today=TODAY)
        assert error.value.field == field

    intention = jobs.create_intention(store, jobs.IntentionInput(
        world.adult_id, date(2026, 10, 9), posting.id, "已达成意向"), today=TODAY)
    assert intention.posting_title == "保安" and intention.person_name == "张三"
    with pytest.raises(ValidationError) as error:
        jobs.create_intention(store, jobs.IntentionInput(
            world.adult_id, date(2026, 10, 1), posting.id), today=TODAY)
    assert error.value.field == "intended_on"
    assert len(jobs.list_intentions(store, job_posting_id=posting.id)) == 1

    submit(store, "2026-10", world.township_id)
    with pytest.raises(PeriodLocked) as error:
        jobs.update_posting(store, posting.id, jobs.JobPostingInput(
            "保安", date(2026, 10, 8), positions=25), today=TODAY)
    assert "用工信息（2026-10-08）" in str(error.value)
    assert [a for a, *_ in audit_rows(store, "job_posting", posting.id)] == ["insert"]
    with pytest.raises(PeriodLocked):
        jobs.delete_intention(store, intention.id)
    later = jobs.create_intention(store, jobs.IntentionInput(
        world.woman_id, date(2026, 11, 2), posting.id), today=TODAY)
    jobs.delete_intention(store, later.id)
    assert [a for a, *_ in audit_rows(store, "intention", later.id)] == ["insert", "delete"]


# --- assistance ---------------------------------------------------------------------------

def test_hard_to_employ_and_welfare_posts(store, world):
    made = assistance.create_hard_to_employ(store, assistance.HardToEmployInput(
        world.woman_id, "040", date(2026, 2, 1)), today=TODAY)
    assert made.category == "040"
    with pytest.raises(ValidationError) as error:
        assistance.create_hard_to_employ(store, assistance.HardToEmployInput(
            world.woman_id, "040", date(2026, 6, 1)), today=TODAY)
    assert error.value.field == "recognised_on" and "已是认定在册" in str(error.value)
    with pytest.raises(ValidationError) as error:
        assistance.create_hard_to_employ(store, assistance.HardToEmployInput(
            world.adult_id, "999", date(2026, 6, 1)), today=TODAY)
    assert error.value.field == "category"
    ended = assistance.update_hard_to_employ(store, made.id, assistance.HardToEmployInput(
        world.woman_id, "040", date(2026, 2, 1), ended_on=date(2026, 5, 31)), today=TODAY)
    assert ended.ended_on == date(2026, 5, 31)
    assert assistance.list_hard_to_employ(store, on=date(2026, 6, 1)) == []

    post = assistance.create_welfare_post(store, assistance.WelfarePostInput(
        world.woman_id, "公共服务类", date(2026, 3, 1), post_name="保洁员",
        monthly_subsidy=Decimal(1200)), today=TODAY)
    assert post.post_type == "2" and post.monthly_subsidy == Decimal("1200.00")
    assert [p.id for p in assistance.list_welfare_posts(store, on=date(2026, 4, 1))] == [post.id]
    with pytest.raises(ValidationError) as error:
        assistance.create_welfare_post(store, assistance.WelfarePostInput(
            world.dead_id, "1", date(2026, 4, 1)), today=TODAY)
    assert error.value.field == "start_on"
    with pytest.raises(ValidationError) as error:
        assistance.create_welfare_post(store, assistance.WelfarePostInput(
            world.adult_id, "1", date(2026, 4, 1), end_on=date(2026, 3, 1)), today=TODAY)
    assert error.value.field == "end_on"

    submit(store, "2026-03", world.township_id)
    with pytest.raises(PeriodLocked):
        assistance.delete_welfare_post(store, post.id)
    with pytest.raises(PeriodLocked):
        assistance.delete_hard_to_employ(store, made.id)
    submit(store, "2026-03", world.township_id, status="reopened")
    assistance.delete_welfare_post(store, post.id)
    assert [a for a, *_ in audit_rows(store, "welfare_post", post.id)] == ["insert", "delete"]
    assert [(a, f) for a, f, *_ in audit_rows(store, "hard_to_employ", made.id)] == [
        ("insert", ""), ("update", "ended_on")]


# --- rights -------------------------------------------------------------------------------

def test_rights_cases(store, world):
    case = rights.create_case(store, rights.CaseInput(
        date(2026, 7, 3), "拖欠工资", complainant="张三", person_id=world.adult_id,
        employer_name="某建筑公司", people_involved=12, amount_claimed=Decimal(86000)),
        today=TODAY)
    assert case.status == "open" and case.warnings == () and case.area_id == world.township_id
    closed = rights.close_case(store, case.id, closed_on=date(2026, 8, 15),
                               amount_recovered=Decimal(90000), today=TODAY)
    assert closed.status == "closed" and closed.closed_on == date(2026, 8, 15)
    assert closed.warnings and "大于涉及金额" in closed.warnings[0]
    fields = {f: (o, n) for a, f, o, n in audit_rows(store, "rights_case", case.id)
              if a == "update"}
    assert fields["status"] == ("open", "closed")
    assert fields["amount_recovered"] == ("0.00", "90000.00")
    with pytest.raises(ValidationError) as error:
        rights.close_case(store, case.id, closed_on=date(2026, 7, 1), today=TODAY)
    assert error.value.field == "closed_on"
    with pytest.raises(ValidationError) as error:
        rights.create_case(store, rights.CaseInput(date(2026, 7, 3), "1", people_involved=0),
                           today=TODAY)
    assert error.value.field == "people_involved"

    # The closing date is a counting date too (604): a submitted August locks the case.
    submit(store, "2026-08", world.township_id)
    with pytest.raises(PeriodLocked):
        rights.reopen_case(store, case.id)
    later = rights.create_case(store, rights.CaseInput(date(2026, 9, 2), "1"), today=TODAY)
    rights.close_case(store, later.id, closed_on=date(2026, 9, 10), today=TODAY)
    assert rights.reopen_case(store, later.id).status == "open"
    assert [c.id for c in rights.list_cases(store, status="open")] == [later.id]
    assert [c.id for c in rights.list_cases(store, person_id=world.adult_id)] == [case.id]


def test_visits(store, world):
    visit = rights.create_visit(store, rights.VisitInput(
        date(2026, 10, 2), place="北京", person_ids=[world.adult_id, world.woman_id]),
        today=TODAY)
    assert visit.people_visited == 2 and visit.person_names == ("张三", "李四妹")
    assert [v.id for v in rights.list_visits(store, person_id=world.woman_id)] == [visit.id]
    changed = rights.update_visit(store, visit.id, rights.VisitInput(
        date(2026, 10, 2), people_visited=5, kind="慰问", person_ids=[world.adult_id]),
        today=TODAY)
    assert changed.person_ids == (world.adult_id,) and changed.people_visited == 5
    with pytest.raises(ValidationError) as error:
        rights.create_visit(store, rights.VisitInput(
            date(2026, 10, 2), people_visited=1,
            person_ids=[world.adult_id, world.woman_id]), today=TODAY)
    assert error.value.field == "people_visited"
    with pytest.raises(ValidationError) as error:
        rights.create_visit(store, rights.VisitInput(date(2026, 10, 2), kind="吃饭"), today=TODAY)
    assert error.value.field == "kind"
    rights.delete_visit(store, visit.id)
    assert rights.list_visits(store) == []
    assert rights.restore_visit(store, visit.id).person_ids == (world.adult_id,)
    assert [a for a, *_ in audit_rows(store, "visit", visit.id)][-2:] == ["delete", "restore"]


def test_a_person_without_a_village_is_placed_from_the_station(store, world):
    from laborstation.idnumber import make_id
    from laborstation.model import Person, Setting

    with store.session() as s:
        p = Person(id_number=make_id("410926", date(1992, 1, 1), 71, True), name="孙七",
                   sex="1", birth_date=date(1992, 1, 1))
        s.add(p)
        s.flush()
        person_id = p.id
    made = placements.create_placement(
        store, PlacementInput(person_id, date(2026, 4, 1), destination="本县"), today=TODAY)
    assert (made.region_class, made.area_code) == ("12", "410926")
    with store.session() as s:
        s.delete(s.get(Setting, "station.code"))
    with pytest.raises(ValidationError) as error:
        placements.create_placement(
            store, PlacementInput(person_id, date(2026, 5, 1), destination="郑州"), today=TODAY)
    assert "填报单位" in str(error.value)
