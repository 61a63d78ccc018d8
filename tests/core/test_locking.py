"""The period lock: a submitted return freezes the records it counted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from work_world import TODAY, build, submit

from laborstation.errors import PeriodLocked
from laborstation.model import Area, Setting
from laborstation.services.locking import (
    assert_unlocked,
    is_locked,
    locked_until,
    read_locked_until,
)
from laborstation.services.placements import (
    PlacementInput,
    create_placement,
    delete_placement,
    restore_placement,
    update_placement,
)


@pytest.fixture
def world(store):
    return build(store)


def _placement(store, world, day: date) -> int:
    return create_placement(
        store, PlacementInput(world.adult_id, day, destination="郑州",
                              monthly_wage=Decimal(4000)), today=TODAY,
    ).id


def test_nothing_is_locked_before_a_submission(store, world):
    with store.reading() as s:
        assert locked_until(s) is None
        assert not is_locked(s, date(2026, 10, 5), world.village_id)


def test_a_submitted_period_refuses_edit_and_delete_inside_it_and_before_it(store, world):
    inside = _placement(store, world, date(2026, 10, 5))
    before = _placement(store, world, date(2026, 8, 30))
    after = _placement(store, world, date(2026, 11, 2))
    submit(store, "2026-10", world.township_id)

    with pytest.raises(PeriodLocked) as error:
        update_placement(store, inside, PlacementInput(world.adult_id, date(2026, 10, 6),
                                                       destination="郑州"), today=TODAY)
    assert str(error.value) == (
        "该转移就业记录（2026-10-05）属于已报送的 2026年10月 报告期，已锁定；"
        "如需修改，请所长先退回该期月报。"
    )
    with pytest.raises(PeriodLocked):
        delete_placement(store, inside)
    with pytest.raises(PeriodLocked) as error:
        delete_placement(store, before)
    assert "2026-08-30" in str(error.value) and "2026年10月" in str(error.value)
    # A later date is free, but it cannot be moved into the locked period.
    update_placement(store, after, PlacementInput(world.adult_id, date(2026, 11, 3),
                                                  destination="北京"), today=TODAY)
    with pytest.raises(PeriodLocked):
        update_placement(store, after, PlacementInput(world.adult_id, date(2026, 10, 31),
                                                      destination="北京"), today=TODAY)
    # Nor can a new record be added inside it.
    with pytest.raises(PeriodLocked):
        _placement(store, world, date(2026, 10, 20))
    delete_placement(store, after)
    assert read_locked_until(store, world.village_id) == date(2026, 10, 31)
    with store.reading() as s:
        assert locked_until(s, world.village_id) == date(2026, 10, 31)
        assert is_locked(s, date(2026, 10, 31), world.village_id)
        assert not is_locked(s, date(2026, 11, 1), world.village_id)


def test_a_reopened_period_frees_its_records_but_earlier_periods_stay_locked(store, world):
    september = _placement(store, world, date(2026, 9, 10))
    october = _placement(store, world, date(2026, 10, 5))
    submit(store, "2026-09", world.township_id)
    submit(store, "2026-10", world.township_id)
    submit(store, "2026-10", world.township_id, status="reopened")

    delete_placement(store, october)
    restore_placement(store, october)
    with pytest.raises(PeriodLocked) as error:
        delete_placement(store, september)
    assert "2026年9月" in str(error.value)
    # Submitted again as a revision: locked again.
    submit(store, "2026-10", world.township_id, status="revised")
    with pytest.raises(PeriodLocked):
        delete_placement(store, october)


def test_a_restore_into_a_locked_period_is_refused(store, world):
    placement = _placement(store, world, date(2026, 10, 5))
    delete_placement(store, placement)
    submit(store, "2026-10", world.township_id)
    with pytest.raises(PeriodLocked):
        restore_placement(store, placement)


def test_the_cutoff_day_moves_the_period_end(store, world):
    with store.session() as s:
        s.add(Setting(key="cutoff_day", value="20"))
    submit(store, "2026-10", world.township_id)
    with store.reading() as s:
        assert locked_until(s) == date(2026, 10, 20)
        assert is_locked(s, date(2026, 10, 20), world.village_id)
        assert not is_locked(s, date(2026, 10, 21), world.village_id)
        assert_unlocked(s, date(2026, 10, 21), area_id=world.village_id)
        with pytest.raises(PeriodLocked) as error:
            assert_unlocked(s, date(2026, 9, 25), area_id=world.village_id, what="培训记录")
    # 25 September falls in period 2026-10 (21 Sep – 20 Oct).
    assert str(error.value).startswith("该培训记录（2026-09-25）属于已报送的 2026年10月 报告期")


def test_a_county_database_locks_by_township_and_by_county(store, world):
    with store.session() as s:
        other_town = Area(code="410926100000", name="城关镇", level="township",
                          parent_id=world.county_id)
        s.add(other_town)
        s.flush()
        other_village = Area(code="410926100201", name="东街村", level="village",
                             parent_id=other_town.id)
        s.add(other_village)
        s.flush()
        other_town_id, other_village_id = other_town.id, other_village.id
    submit(store, "2026-10", other_town_id)
    day = date(2026, 10, 5)
    with store.reading() as s:
        assert is_locked(s, day, other_village_id)
        assert not is_locked(s, day, world.village_id)  # another township's return
        assert is_locked(s, day)  # a record of no known area: any unit's return
    submit(store, "2026-09", world.county_id)
    with store.reading() as s:
        assert is_locked(s, date(2026, 9, 30), world.village_id)
        assert not is_locked(s, day, world.village_id)
        assert locked_until(s, world.village_id) == date(2026, 9, 30)
        assert locked_until(s, other_village_id) == date(2026, 10, 31)


def test_a_draft_return_locks_nothing(store, world):
    submit(store, "2026-10", world.township_id, status="draft")
    with store.reading() as s:
        assert locked_until(s) is None


def test_an_import_checks_every_row_against_locks_read_once(store, world):
    from laborstation.services.placements import PlacementBatch, list_for_person

    submit(store, "2026-09", world.township_id)
    with store.session() as s:
        batch = PlacementBatch(s, today=TODAY)
        for day in range(1, 31):
            batch.add(PlacementInput(world.adult_id, date(2026, 10, day), destination="上海"))
        with pytest.raises(PeriodLocked):
            batch.add(PlacementInput(world.woman_id, date(2026, 9, 30), destination="上海"))
    assert len(list_for_person(store, world.adult_id)) == 30
