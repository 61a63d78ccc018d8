"""Roles are enforced in the core: every service that writes refuses a viewer (查询), and the
head-only actions refuse a clerk — with a Chinese message and without writing anything."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import work_world
from sqlalchemy import func, select

from laborstation.db.store import Actor
from laborstation.errors import PermissionDenied
from laborstation.model import AuditEntry
from laborstation.returns import submission
from laborstation.services import (
    accounts,
    areas,
    assistance,
    households,
    jobs,
    persons,
    placements,
    recycle,
    rights,
    station,
    targets,
    training,
)
from laborstation.services.register_types import HouseholdInput, PersonInput

TODAY = work_world.TODAY


@pytest.fixture
def world(store):
    w = work_world.build(store)
    day = date(2026, 6, 1)
    ids = {}
    ids["household"] = households.create_household(
        store, HouseholdInput(number="001", village_id=w.village_id)).id
    ids["employer"] = jobs.create_employer(store, jobs.EmployerInput(name="郑州某电子厂")).id
    ids["site"] = jobs.create_partner_site(store, jobs.PartnerSiteInput(name="北京基地"),
                                           today=TODAY).id
    ids["posting"] = jobs.create_posting(
        store, jobs.JobPostingInput(title="普工", posted_on=day), today=TODAY).id
    ids["intention"] = jobs.create_intention(
        store, jobs.IntentionInput(person_id=w.adult_id, intended_on=day), today=TODAY).id
    ids["placement"] = placements.create_placement(
        store, placements.PlacementInput(person_id=w.adult_id, start_on=day, destination="北京"),
        today=TODAY).id
    ids["course"] = training.create_course(
        store, training.CourseInput(name="电焊班", course_type="2", start_on=day,
                                    end_on=date(2026, 6, 10)), today=TODAY).id
    ids["enrolment"] = training.enrol(store, ids["course"], w.woman_id).id
    ids["hte"] = assistance.create_hard_to_employ(
        store, assistance.HardToEmployInput(person_id=w.woman_id, category="040",
                                            recognised_on=day), today=TODAY).id
    ids["post"] = assistance.create_welfare_post(
        store, assistance.WelfarePostInput(person_id=w.woman_id, post_type="1", start_on=day),
        today=TODAY).id
    ids["case"] = rights.create_case(
        store, rights.CaseInput(received_on=day, case_type="1", amount_claimed=Decimal(3000)),
        today=TODAY).id
    ids["visit"] = rights.create_visit(store, rights.VisitInput(visited_on=day), today=TODAY).id
    accounts.create_first_head(store, "head", "王所长", "secret1")
    return w, ids


def _writes(w, ids):
    """Every writing service, called with arguments that a head could use."""
    day = date(2026, 6, 2)
    person = PersonInput(id_number=work_world.make_id("410926", date(1991, 1, 1), 55, True),
                         name="新人", village_id=w.village_id)
    return {
        "add_village": lambda s: areas.add_village(s, w.township_id, "新村"),
        "add_group": lambda s: areas.add_group(s, w.village_id, "九组"),
        "rename_area": lambda s: areas.rename_area(s, w.village_id, "前刘庄"),
        "delete_area": lambda s: areas.delete_area(s, w.other_village_id),
        "create_person": lambda s: persons.create_person(s, person),
        "update_person": lambda s: persons.update_person(s, w.adult_id, phone="13900000000"),
        "delete_person": lambda s: persons.delete_person(s, w.child_id),
        "create_household": lambda s: households.create_household(
            s, HouseholdInput(number="002", village_id=w.village_id)),
        "update_household": lambda s: households.update_household(s, ids["household"],
                                                                   address="前刘村1号"),
        "move_person": lambda s: households.move_person(s, w.adult_id, ids["household"]),
        "delete_household": lambda s: households.delete_household(s, ids["household"]),
        "recycle_restore": lambda s: recycle.restore(s, "person", w.adult_id),
        "create_placement": lambda s: placements.create_placement(
            s, placements.PlacementInput(person_id=w.adult_id, start_on=day, destination="郑州"),
            today=TODAY),
        "delete_placement": lambda s: placements.delete_placement(s, ids["placement"]),
        "create_course": lambda s: training.create_course(
            s, training.CourseInput(name="厨师班", course_type="2", start_on=day, end_on=day),
            today=TODAY),
        "delete_course": lambda s: training.delete_course(s, ids["course"]),
        "enrol": lambda s: training.enrol(s, ids["course"], w.adult_id),
        "set_result": lambda s: training.set_result(s, ids["enrolment"], result="2"),
        "withdraw": lambda s: training.withdraw(s, ids["enrolment"]),
        "create_employer": lambda s: jobs.create_employer(s, jobs.EmployerInput(name="某厂")),
        "delete_employer": lambda s: jobs.delete_employer(s, ids["employer"]),
        "delete_partner_site": lambda s: jobs.delete_partner_site(s, ids["site"]),
        "delete_posting": lambda s: jobs.delete_posting(s, ids["posting"]),
        "delete_intention": lambda s: jobs.delete_intention(s, ids["intention"]),
        "delete_hard_to_employ": lambda s: assistance.delete_hard_to_employ(s, ids["hte"]),
        "delete_welfare_post": lambda s: assistance.delete_welfare_post(s, ids["post"]),
        "close_case": lambda s: rights.close_case(s, ids["case"], closed_on=day, today=TODAY),
        "delete_case": lambda s: rights.delete_case(s, ids["case"]),
        "delete_visit": lambda s: rights.delete_visit(s, ids["visit"]),
        "set_targets": lambda s: targets.set_targets(s, 2026, {"201": 100}),
        "submit_return": lambda s: submission.submit_return(s, "2026-06", "/nonexistent/x.xlsx",
                                                            today=TODAY),
        "create_user": lambda s: accounts.create_user(s, "clerk2", "小李", "clerk", "secret2"),
        "set_station": lambda s: station.set_station(s, name="陈庄镇", code="410926209000"),
    }


HEAD_ONLY = {"create_user", "set_station"}


def _audit_count(store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def test_a_viewer_cannot_write_through_any_service(store, world):
    w, ids = world
    store.actor = Actor("查询员", "viewer")
    before = _audit_count(store)
    for name, write in _writes(w, ids).items():
        with pytest.raises(PermissionDenied) as refused:
            write(store)
        assert "权限" in str(refused.value) or "查询" in str(refused.value), name
    assert _audit_count(store) == before


def test_a_clerk_is_refused_only_the_head_only_actions(store, world):
    w, ids = world
    store.actor = Actor("李会计", "clerk")
    for name in sorted(HEAD_ONLY):
        with pytest.raises(PermissionDenied):
            _writes(w, ids)[name](store)
    with pytest.raises(PermissionDenied):
        submission.reopen_return(store, "2026-06", reason="改错")
    # An everyday write of a clerk goes through.
    _writes(w, ids)["update_person"](store)
