"""County consolidation: the townships' returns checked, summed and written (real .xlsx)."""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from laborstation.cli import main
from laborstation.demo import build_demo_file
from laborstation.indicators import INDICATORS, RATE, VILLAGE_CODES, percent
from laborstation.model import Area
from laborstation.periods import Period
from laborstation.returns.build import ReturnData, VillageRow, _rows, build_return
from laborstation.returns.consolidate import (
    ConsolidationError,
    County,
    consolidate,
    county_in,
    due_date,
)
from laborstation.returns.consolidate_workbook import (
    SHEET_STATUS,
    SHEET_TOWNSHIPS,
    write_consolidation,
)
from laborstation.returns.reader import read_return
from laborstation.returns.workbook import SHEET_RETURN, SHEET_VILLAGES, write_return
from laborstation.services.station import StationInfo

COUNTY6 = "410926"
ON_TIME = datetime(2026, 11, 3, 9, 30)
RATES = {"210": ("201", "101"), "310": ("309", "308"), "311": ("301", "101")}


def township_code(n: int) -> str:
    return f"{COUNTY6}{100 + n:03d}000"


def make_figures(rng: random.Random) -> tuple[dict, dict, dict]:
    """Random but consistent 本月 / 本年累计 / 上年同期 figures of one township."""
    month, year, last = {}, {}, {}
    for code, ind in INDICATORS.items():
        if ind.kind == RATE:
            continue
        if ind.decimals:
            m = Decimal(rng.randint(0, 90_000)) / 100
            y, ly = m + Decimal(rng.randint(0, 500_000)) / 100, Decimal(rng.randint(0, 500_000)) / 100
        else:
            m = rng.randint(0, 60)
            y, ly = m + rng.randint(0, 600), rng.randint(0, 600)
        if ind.kind == "stock":
            m = y = rng.randint(1_000, 15_000)
        month[code], year[code], last[code] = m, y, ly
    for figures in (month, year, last):
        for rate, (part, whole) in RATES.items():
            figures[rate] = percent(figures[part], figures[whole])
    return month, year, last


def write_township(tmp_path, n: int, figures, *, period="2026-10", at=ON_TIME, revision=0,
                   name=None, code=None, targets=None):
    month, year, last = figures
    code = code or township_code(n)
    station = StationInfo(name or f"第{n}镇", code, n, "township", code[:6], 1, None)
    p = Period.parse(period)
    data = ReturnData(
        station=station, period=p, month=p.month_window, year=p.year_window,
        last_year=p.last_year_window, rows=_rows(month, year, last, targets or {}),
        villages=[], village_total=VillageRow(n, code, "合计", {c: year[c] for c in VILLAGE_CODES}),
        placement_roster=[(1, "东村", f"张{n}", "男", "410926199001011234", date(2026, 10, 3),
                           "广东东莞", "省外", "某厂", "制造业", "自发", Decimal("4500.00"))],
        training_roster=[], revision=revision, generated_at=at,
    )
    path = tmp_path / f"{code}-{period}-r{revision}-{n}.xlsx"
    write_return(data, path)
    return path


@pytest.fixture
def twelve(tmp_path):
    rng = random.Random(7)
    figures = [make_figures(rng) for _ in range(12)]
    paths = [write_township(tmp_path, n, f) for n, f in enumerate(figures)]
    return paths, figures


def test_twelve_townships_add_up_and_the_county_file_checks(twelve, tmp_path):
    paths, figures = twelve
    result = consolidate(paths, now=datetime(2026, 11, 6, 8))
    assert [s.consolidated for s in result.statuses] == [True] * 12 and not result.refused
    for row in result.data.rows:
        if row.kind == RATE:
            continue
        for column, index in (("month", 0), ("year", 1), ("last_year", 2)):
            assert getattr(row, column) == sum(f[index][row.code] for f in figures), row.code
    out = tmp_path / "county.xlsx"
    write_consolidation(result, out)
    back = read_return(out)
    assert back.checksum_ok and back.unit_code == f"{COUNTY6}000000" and back.period == "2026-10"
    assert back.value("201") == sum(f[0]["201"] for f in figures)
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == [SHEET_RETURN, SHEET_STATUS, SHEET_TOWNSHIPS]
    villages = [r for r in wb[SHEET_VILLAGES].iter_rows(min_row=4, values_only=True) if r[1]]
    assert [r[1] for r in villages] == [f"第{n}镇" for n in range(12)] + ["合计"]
    assert villages[-1][3] == sum(f[1]["101"] for f in figures)
    status = [r for r in wb[SHEET_STATUS].iter_rows(min_row=4, max_row=15, values_only=True)]
    assert {r[3] for r in status} == {"是"} and {r[7] for r in status} == {"有效"}
    assert len(list(wb["转移就业花名册"].iter_rows(min_row=4, values_only=True))) == 12


def test_rates_are_recomputed_from_the_sums_never_averaged(tmp_path):
    rng = random.Random(1)
    a, b = make_figures(rng), make_figures(rng)
    for figs, labour, placed in ((a, 100, 50), (b, 900, 90)):
        for column in figs:
            column["101"], column["201"] = labour, placed
            column["210"] = percent(placed, labour)
    result = consolidate([write_township(tmp_path, 1, a), write_township(tmp_path, 2, b)])
    assert (a[0]["210"], b[0]["210"]) == (Decimal("50.0"), Decimal("10.0"))
    assert result.data.value("210") == Decimal("14.0")  # 140 / 1000, not (50 + 10) / 2
    assert result.data.value("210", "year") == Decimal("14.0")


def _tamper(path, code="201", value=999_999):
    wb = load_workbook(path)
    ws = wb[SHEET_RETURN]
    for row in ws.iter_rows(min_row=4):
        if row[1].value == code:
            row[3].value = value
    wb.save(path)


def test_each_wrong_file_is_refused_with_its_reason(twelve, tmp_path):
    paths, figures = twelve
    good = paths[:3]
    tampered = paths[3]
    _tamper(tampered)
    wrong_period = write_township(tmp_path, 4, figures[4], period="2026-09")
    duplicate = tmp_path / "copy.xlsx"
    shutil.copy(good[0], duplicate)
    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active["A1"] = "不是月报"
    wb.save(plain)
    text = tmp_path / "notes.xlsx"
    text.write_text("hello", encoding="utf-8")
    other_county = write_township(tmp_path, 5, figures[5], code="410927101000")
    result = consolidate([*good, tampered, wrong_period, duplicate, plain, text, other_county],
                         period="2026-10")
    reasons = {r.path.name: r.reason for r in result.refused}
    assert "校验值不符" in reasons[tampered.name]
    assert "报告期为 2026-09" in reasons[wrong_period.name]
    assert "重复" in reasons[duplicate.name] and good[0].name in reasons[duplicate.name]
    assert "不是本程序导出的月报" in reasons[plain.name]
    assert "不是有效的 Excel" in reasons[text.name]
    assert "不是范县（410926）的乡镇" in reasons[other_county.name]
    assert [r.code for r in result.received] == [township_code(n) for n in range(3)]
    assert result.data.value("201") == sum(f[0]["201"] for f in figures[:3])
    by_code = {s.code: s for s in result.statuses}
    assert by_code[township_code(3)].received and not by_code[township_code(3)].consolidated
    assert by_code[township_code(3)].checksum_ok is False
    assert "410927101000" not in by_code


def test_a_revision_replaces_the_first_file_of_a_township(tmp_path):
    rng = random.Random(3)
    first, second = make_figures(rng), make_figures(rng)
    old = write_township(tmp_path, 1, first)
    new = write_township(tmp_path, 1, second, revision=1, at=datetime(2026, 11, 8, 9))
    result = consolidate([new, old])
    assert result.data.value("201") == second[0]["201"]
    assert "修订 1" in result.refused[0].reason and result.refused[0].path == old
    assert result.statuses[0].on_time is False and result.statuses[0].revision == 1


def test_late_and_on_time_by_the_due_day(tmp_path):
    rng = random.Random(5)
    paths = [
        write_township(tmp_path, 1, make_figures(rng), at=datetime(2026, 11, 5, 23, 59)),
        write_township(tmp_path, 2, make_figures(rng), at=datetime(2026, 11, 6, 0, 1)),
    ]
    result = consolidate(paths)
    assert result.due == date(2026, 11, 5)
    assert [s.on_time for s in result.statuses] == [True, False]
    assert [s.on_time for s in consolidate(paths, due_day=10).statuses] == [True, True]
    assert due_date(Period(2026, 12), 31) == date(2027, 1, 31)
    assert due_date(Period(2026, 1), 31) == date(2026, 2, 28)


def test_a_missing_township_is_listed_not_guessed(tmp_path):
    rng = random.Random(9)
    figures = [make_figures(rng) for _ in range(3)]
    paths = [write_township(tmp_path, n, figures[n]) for n in (0, 2)]
    county = County(COUNTY6, "范县", townships=tuple((township_code(n), f"第{n}镇")
                                                    for n in range(3)))
    result = consolidate(paths, county=county)
    assert [s.code for s in result.missing] == [township_code(1)]
    assert result.missing[0].note == "未报送" and not result.missing[0].received
    assert result.data.value("101") == figures[0][0]["101"] + figures[2][0]["101"]
    out = tmp_path / "county.xlsx"
    write_consolidation(result, out)
    wb = load_workbook(out)
    row = next(r for r in wb[SHEET_VILLAGES].iter_rows(min_row=4, values_only=True)
               if r[2] == township_code(1))
    assert row[1] == "第1镇（未汇总）" and set(row[3:]) == {None}
    assert read_return(out).meta["townships_missing"] == township_code(1)


def test_nothing_to_consolidate_is_a_clerk_error(tmp_path):
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    with pytest.raises(ConsolidationError, match="没有可汇总"):
        consolidate([plain])


@pytest.fixture(scope="module")
def county_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("county") / "county.db"
    build_demo_file(path, scale="tiny-county", seed=2, today=date(2026, 11, 28))
    return path


def test_township_returns_of_a_county_database_add_up_to_its_own_return(county_db, tmp_path):
    from laborstation.db import open_store

    store = open_store(county_db, must_exist=True)
    try:
        with store.reading() as session:
            townships = session.execute(
                select(Area.id, Area.code).where(Area.level == "township")).all()
            paths = []
            for area_id, code in townships:
                data = build_return(session, "2026-09", unit_area_id=area_id, now=ON_TIME)
                assert data.station.area_code == code and data.station.level == "township"
                paths.append(tmp_path / f"{code}.xlsx")
                write_return(data, paths[-1])
            whole = build_return(session, "2026-09")
            county = county_in(session)
    finally:
        store.close()
    result = consolidate(paths, county=county)
    assert len(paths) == 2 and not result.missing
    for row in result.data.rows:
        for column in ("month", "year", "last_year"):
            mine, direct = getattr(row, column), whole.value(row.code, column)
            if INDICATORS[row.code].decimals == 2:  # each township rounds its 万元
                assert abs(mine - direct) <= Decimal("0.01") * len(paths), row.code
            else:
                assert mine == direct, (row.code, column)
    assert len(result.data.placement_roster) == len(whole.placement_roster)
    assert len(result.data.training_roster) == len(whole.training_roster)


def test_consolidate_command(county_db, tmp_path, capsys):
    from laborstation.db import open_store

    store = open_store(county_db, must_exist=True)
    try:
        with store.reading() as session:
            first = session.execute(select(Area.id).where(Area.level == "township")
                                    .order_by(Area.code)).scalars().first()
            data = build_return(session, "2026-10", unit_area_id=first, now=ON_TIME)
    finally:
        store.close()
    one = tmp_path / "one.xlsx"
    write_return(data, one)
    out = tmp_path / "county.xlsx"
    assert main(["consolidate", str(one), "--out", str(out), "--db", str(county_db)]) == 1
    printed = capsys.readouterr().out
    assert "已汇总 1 个乡镇，未汇总 1 个" in printed and out.exists()
    assert main(["consolidate", str(one), "--out", str(out), "--period", "2026-09"]) == 2
    assert "没有一份可以汇总" in capsys.readouterr().err
