"""县级汇总 page: township files generated from a real county demo, checked and summed."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from laborstation.db import open_store
from laborstation.model import Area
from laborstation.returns.build import build_return
from laborstation.returns.reader import read_return
from laborstation.returns.workbook import SHEET_RETURN, file_sha256, write_return
from laborstation.services.station import get_station
from ui.app import application
from ui.tasks import TaskRunner

PERIOD = "2026-10"
THIRD = ("410926999000", "第三镇")


@pytest.fixture(scope="module")
def county_file(tmp_path_factory):
    from laborstation.demo import build_demo_file

    path = tmp_path_factory.mktemp("county") / "county.db"
    build_demo_file(path, scale="tiny-county", seed=1, today=date(2026, 11, 28))
    return path


@pytest.fixture
def county(county_file, tmp_path):
    path = tmp_path / "county.db"
    shutil.copy(county_file, path)
    store = open_store(path)
    station = get_station(store)
    with store.session() as session:  # a third township that sends nothing
        session.add(Area(code=THIRD[0], name=THIRD[1], level="township",
                         parent_id=station.county_area_id))
    yield store
    store.close()


def township_files(store, folder) -> dict[str, object]:
    """Each township's return as its own station would export it; one copy altered."""
    station = get_station(store)
    with store.reading() as session:
        townships = session.execute(
            select(Area.id, Area.code).where(Area.parent_id == station.county_area_id,
                                             Area.code != THIRD[0]).order_by(Area.code)).all()
        made = {}
        for (area_id, code), at in zip(townships, (datetime(2026, 11, 3, 9),
                                                     datetime(2026, 11, 9, 16)), strict=True):
            data = build_return(session, PERIOD, unit_area_id=area_id, now=at)
            made[code] = folder / f"{code}.xlsx"
            write_return(data, made[code])
    first = next(iter(made))
    altered = folder / "altered.xlsx"
    shutil.copy(made[first], altered)
    wb = load_workbook(altered)
    for row in wb[SHEET_RETURN].iter_rows(min_row=4):
        if row[1].value == "201":
            row[3].value = 999_999
    wb.save(altered)
    made["altered"] = altered
    return made


@pytest.fixture
def page(qtbot, county):
    from ui.pages.consolidation import ConsolidationPage

    application()
    tasks = TaskRunner(None)
    tasks.show_errors = False
    widget = ConsolidationPage(county, tasks)
    widget.interactive = False
    qtbot.addWidget(widget)
    yield widget
    tasks.shutdown()


def settle(qtbot, page) -> None:
    qtbot.wait(10)
    qtbot.waitUntil(lambda: not page.tasks.busy, timeout=15_000)
    qtbot.wait(10)


def row_texts(page) -> dict[str, list[str]]:
    table = page.table
    return {table.item(r, 7).text(): [table.item(r, c).text() for c in range(7)]
            for r in range(table.rowCount())}


def test_three_township_files_received_refused_and_missing(qtbot, page, county, tmp_path):
    files = township_files(county, tmp_path)
    first, second = (code for code in files if code != "altered")
    page.add_files([str(p) for p in files.values()])
    settle(qtbot, page)
    rows = row_texts(page)
    assert len(rows) == 3
    assert rows[f"{first}.xlsx"][1:] == [first, PERIOD, "2026-11-03 09:00", "按时", "相符", "已汇总"]
    assert rows[f"{second}.xlsx"][4:] == ["逾期", "相符", "已汇总"]
    altered = rows["altered.xlsx"]
    assert altered[1] == first and altered[5] == "不符" and altered[6].startswith("拒收：")
    assert "校验值不符" in altered[6]
    assert THIRD[1] in page.missing_label.text() and "1 个" in page.missing_label.text()
    assert page.write_button.isEnabled()

    page.due_box.setCurrentIndex(9)  # due on the 10th: the second file is on time
    page.check()
    settle(qtbot, page)
    assert row_texts(page)[f"{second}.xlsx"][4] == "按时"

    out = tmp_path / "county.xlsx"
    page.write(str(out))
    settle(qtbot, page)
    assert out.exists() and file_sha256(out) in page.message.text()
    read = read_return(out)
    assert read.checksum_ok and read.period == PERIOD
    assert read.unit_code == get_station(county).county_code + "000000"
    month = [read_return(files[c]).value("201", "本月") for c in (first, second)]
    assert read.value("201", "本月") == sum(month)


def test_no_usable_file_says_why(qtbot, page, county, tmp_path):
    files = township_files(county, tmp_path)
    page.add_files([str(files["altered"])])
    settle(qtbot, page)
    assert "没有一份可以汇总" in page.message.text()
    assert page.table.rowCount() == 0 and not page.write_button.isEnabled()
    page.set_files([])
    assert "请添加" in page.message.text()
