"""Townships named in a county's ledger: the ways one is written, and a name that is
none of the county's townships."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.db.store import open_store
from laborstation.idnumber import make_id
from laborstation.importing import run_import
from laborstation.model import Area
from laborstation.progress import run_to_end
from laborstation.services.station import set_station


def pid(n: int) -> str:
    return make_id("410926", date(1980, 1, 1) + timedelta(days=n), n % 1000, True)


def imp(store, path):
    return run_to_end(run_import(store, path, kind="persons"))


def township_names(store) -> set[str]:
    with store.reading() as session:
        return set(session.scalars(select(Area.name).where(Area.level == "township")))


HEADER = ["乡镇", "行政村", "姓名", "身份证号"]


@pytest.fixture
def county_with_its_townships(tmp_path):
    """A county whose townships carry their codes (as the county's own list has them)."""
    store = open_store(tmp_path / "county.db")
    set_station(store, name="城关镇", code="410926100000")
    set_station(store, name="濮城镇", code="410926101000")
    set_station(store, name="范县", code="410926000000")
    yield store
    store.close()


def test_one_township_written_in_several_ways_is_one(county_with_its_townships, tmp_path):
    store = county_with_its_townships
    path = write_xlsx(tmp_path / "ways.xlsx", {"全县": [
        HEADER, ["城关镇", "李庄村", "甲", pid(1)], ["城关", "李庄村", "乙", pid(2)],
        ["城关镇人民政府", "李庄村", "丙", pid(3)], ["范县城关镇", "李庄村", "丁", pid(4)],
        ["濮城镇", "李庄村", "戊", pid(5)]]})
    result = imp(store, path)
    assert (result.added, result.errors) == (5, 0)
    assert township_names(store) == {"城关镇", "濮城镇"}
    with store.reading() as session:
        villages = session.scalars(select(Area.parent_id).where(Area.level == "village")).all()
    assert len(villages) == 2  # 李庄村 of 城关镇 and 李庄村 of 濮城镇


def test_a_name_that_is_none_of_the_county_townships_is_refused(county_with_its_townships,
                                                                 tmp_path):
    store = county_with_its_townships
    path = write_xlsx(tmp_path / "typo.xlsx", {"全县": [
        HEADER, ["城关镇", "李庄村", "甲", pid(1)], ["濮成镇", "李庄村", "乙", pid(2)]]})
    result = imp(store, path)
    assert (result.added, result.errors) == (1, 1)
    reason = result.error_findings[0].reason
    assert "乡镇“濮成镇”不是本县的乡镇" in reason and "濮城镇" in reason
    assert township_names(store) == {"城关镇", "濮城镇"}  # nothing made for the typo


def test_a_county_without_a_list_makes_the_townships_its_ledger_names(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    path = write_xlsx(tmp_path / "new.xlsx", {"全县": [
        HEADER, ["城关镇", "李庄村", "甲", pid(1)], ["杨集乡", "王楼村", "乙", pid(2)]]})
    assert imp(store, path).added == 2
    assert township_names(store) == {"城关镇", "杨集乡"}


def test_a_township_unit_takes_its_name_with_the_county_in_front(store, tmp_path):
    set_station(store, name="城关镇", code="410926100000")
    path = write_xlsx(tmp_path / "own.xlsx", {"Sheet1": [
        HEADER, ["范县城关镇", "李庄村", "甲", pid(1)], ["城关镇", "李庄村", "乙", pid(2)]]})
    assert imp(store, path).added == 2
