"""Several clerks on one PostgreSQL server: concurrent writers lose nothing, and the unique
ID number still holds under a race (the loser gets the Chinese DuplicateRecord).

Runs only with LABORSTATION_TEST_PG set (CI starts a server with .ci/start-postgres).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, insert, select, text

from laborstation.db import open_store
from laborstation.errors import DuplicateRecord, UserError
from laborstation.idnumber import make_id
from laborstation.model import AuditEntry, Person, Placement
from laborstation.services import areas, placements, register
from laborstation.services.placements import PlacementInput
from laborstation.services.register_types import PersonInput
from laborstation.services.station import set_station

PG_URL = os.environ.get("LABORSTATION_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason="needs LABORSTATION_TEST_PG (a PostgreSQL URL)")
PER_WORKER = 25
SHARED = make_id("410926", date(1985, 5, 5), 555, True)


def _clerk(url: str, worker: int, village_id: int, barrier, results) -> None:
    """One clerk's program: registers persons with placements, then races for SHARED."""
    store = open_store(url)
    try:
        made = []
        for n in range(PER_WORKER):
            birth = date(1970 + worker, 1 + n % 12, 1 + n)
            person = register.create_person(store, PersonInput(
                make_id("410926", birth, 100 + n * 2 + 1, True), f"工{worker}号{n}",
                village_id=village_id))
            placements.create_placement(store, PlacementInput(
                person.id, date(2026, 3, 1 + n), destination="广东东莞"), today=date(2026, 11, 1))
            made.append(person.id)
        barrier.wait(timeout=30)
        try:
            register.create_person(store, PersonInput(SHARED, f"抢{worker}", village_id=village_id))
            outcome = "created"
        except DuplicateRecord as error:
            outcome = f"duplicate:{error}"
        results.put((worker, made, outcome))
    except BaseException as error:  # report, never hang the test
        results.put((worker, [], f"error:{type(error).__name__}:{error}"))
    finally:
        store.close()


@pytest.fixture
def village(store):
    set_station(store, name="濮城镇", code="410926100000")
    with store.reading() as session:
        township = session.execute(text("SELECT id FROM area WHERE level='township'")).scalar()
    return areas.add_village(store, township, "东村").id


def test_two_programs_writing_at_once_lose_nothing(store, village):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_clerk, args=(PG_URL, w, village, barrier, results))
               for w in (1, 2)]
    for w in workers:
        w.start()
    got = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
    outcomes = sorted(outcome for _, _, outcome in got)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes[0] == "created" and outcomes[1].startswith("duplicate:"), outcomes
    assert f"身份证号 {SHARED} 已登记" in outcomes[1]
    made = {pid for _, ids, _ in got for pid in ids}
    assert len(made) == 2 * PER_WORKER
    with store.reading() as session:
        persons = session.execute(select(func.count()).select_from(Person)).scalar()
        placed = session.execute(select(func.count(func.distinct(Placement.person_id)))).scalar()
        audited = session.execute(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.table_name == "person",
                                         AuditEntry.action == "insert")).scalar()
    assert persons == 2 * PER_WORKER + 1 and placed == 2 * PER_WORKER
    assert audited == persons


def test_a_number_registered_meanwhile_is_a_duplicate_not_a_database_error(store, village):
    """The other clerk's insert is not yet committed when our check runs: the unique index
    makes our insert wait, then refuses it; the clerk sees DuplicateRecord."""
    number = make_id("410926", date(1990, 2, 2), 77, True)
    other = store.engine.connect()
    transaction = other.begin()
    other.execute(insert(Person).values(id_number=number, name="先登记", sex="1",
                                        birth_date=date(1990, 2, 2), village_id=village))

    def commit_later() -> None:
        time.sleep(0.5)
        transaction.commit()

    committer = threading.Thread(target=commit_later)
    committer.start()
    try:
        with pytest.raises(DuplicateRecord, match=f"身份证号 {number} 已登记：先登记") as caught:
            register.create_person(store, PersonInput(number, "后登记", village_id=village))
    finally:
        committer.join()
        other.close()
    assert caught.value.existing_id is not None
    assert register.find_by_id_number(store, number).name == "先登记"


def test_a_period_submitted_meanwhile_is_refused_in_chinese(store, village, tmp_path,
                                                            monkeypatch):
    from laborstation.model import MonthlyReturn
    from laborstation.returns.submission import return_status, submit_return

    with store.reading() as session:
        unit = session.execute(text("SELECT id FROM area WHERE level='township'")).scalar()
    from laborstation.returns import submission

    other = store.engine.connect()
    transaction = other.begin()
    other.execute(insert(MonthlyReturn).values(period="2026-10", area_id=unit, status="submitted",
                                               revision=0, submitted_by="另一位"))
    looked = submission._row

    def committed_after_the_look(*args):  # the other clerk's submission lands meanwhile
        found = looked(*args)
        if transaction.is_active:
            transaction.commit()
        return found

    monkeypatch.setattr(submission, "_row", committed_after_the_look)
    try:
        with pytest.raises(UserError, match="刚刚已由其他用户报送"):
            submit_return(store, "2026-10", tmp_path / "r.xlsx", today=date(2026, 11, 3))
    finally:
        other.close()
    assert return_status(store, "2026-10").submitted_by == "另一位"
