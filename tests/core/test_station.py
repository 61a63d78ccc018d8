"""The reporting unit and the annual targets (services and commands)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from laborstation.cli import main
from laborstation.errors import ValidationError
from laborstation.model import Area
from laborstation.services.station import county_name, get_station, set_station
from laborstation.services.targets import get_targets, parse_assignment, set_targets


def test_a_township_station_makes_the_county_and_the_township(store):
    assert get_station(store) is None
    info = set_station(store, name="张庄乡", code="410926209000", cutoff_day=20)
    assert (info.name, info.area_code, info.level, info.county_code) == (
        "张庄乡",
        "410926209000",
        "township",
        "410926",
    )
    assert info.cutoff_day == 20
    with store.reading() as s:
        areas = {a.code: a for a in s.scalars(select(Area))}
    assert areas["410926000000"].name == "范县" and areas["410926000000"].level == "county"
    township = areas["410926209000"]
    assert township.parent_id == info.county_area_id == areas["410926000000"].id
    assert township.id == info.area_id
    assert get_station(store) == info
    again = set_station(store, name="张庄镇", code="410926209000")  # renaming keeps the rows
    assert again.area_id == info.area_id and again.cutoff_day == 20
    with store.reading() as s:
        assert s.get(Area, info.area_id).name == "张庄镇"


def test_a_county_can_be_the_unit(store):
    info = set_station(store, name="范县人社局", code="410926000000")
    assert info.level == "county" and info.area_id == info.county_area_id
    assert info.cutoff_day is None


@pytest.mark.parametrize(
    "code, words",
    [
        ("41092620900", "12 位"),
        ("999999209000", "GB/T 2260"),
        ("410926209001", "村级"),
        ("410900000000", "GB/T 2260"),
        ("41092620900X", "12 位"),
    ],
)
def test_bad_codes_are_refused_in_chinese(store, code, words):
    with pytest.raises(ValidationError) as caught:
        set_station(store, name="某乡", code=code)
    assert words in str(caught.value)
    assert get_station(store) is None


def test_county_names_come_from_gb_t_2260():
    assert county_name("410926") == "范县"
    assert county_name("999999") is None


def test_targets_are_stored_per_year_and_replaced(store):
    set_station(store, name="张庄乡", code="410926209000")
    assert set_targets(store, 2026, {"201": 1200, "209": "350.5"}) == {
        "201": Decimal("1200.00"),
        "209": Decimal("350.50"),
    }
    set_targets(store, 2026, {"201": 1300})
    set_targets(store, 2025, {"201": 1000})
    assert get_targets(store, 2026) == {"201": Decimal("1300.00"), "209": Decimal("350.50")}
    assert get_targets(store, 2025) == {"201": Decimal("1000.00")}


@pytest.mark.parametrize(
    "text, words",
    [
        ("201", "格式"),
        ("999=5", "不在月报表"),
        ("210=50", "比例"),
        ("201=abc", "不是数字"),
        ("201=-1", "不小于 0"),
    ],
)
def test_bad_targets(text, words):
    with pytest.raises(ValidationError) as caught:
        parse_assignment(text)
    assert words in str(caught.value)


def test_targets_need_a_station(store):
    with pytest.raises(ValidationError, match="填报单位"):
        set_targets(store, 2026, {"201": 5})


def test_commands(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    assert main(["--db", db, "station", "--name", "张庄乡", "--code", "410926209000"]) == 0
    assert "410926209000" in capsys.readouterr().out
    assert main(["station", "--db", db, "--code", "999999000000", "--name", "x"]) == 2
    assert "GB/T 2260" in capsys.readouterr().err
    assert main(["target", "2026", "201=1200", "301=800", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "201 转移就业（劳务输出）：1200 人次" in out
    assert main(["target", "2026", "210=3", "--db", db]) == 2
    assert main(["target", "2026", "--db", db]) == 0
    assert "301 培训人次：800 人次" in capsys.readouterr().out
