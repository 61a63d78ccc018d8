"""月报 page and 工作台 on a real tiny demo database: figures, export, submit, reopen."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from laborstation.db import open_store
from laborstation.db.store import Actor
from laborstation.model import Placement
from laborstation.returns.build import build_return
from laborstation.returns.reader import read_return
from laborstation.returns.submission import return_status
from laborstation.returns.workbook import file_sha256
from laborstation.services.placements import get_placement
from laborstation.services.targets import get_targets
from ui.app import application
from ui.tasks import TaskRunner

TODAY = date(2026, 11, 28)
PERIOD = "2026-10"


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory):
    from laborstation.demo import build_demo_file

    path = tmp_path_factory.mktemp("returns") / "tiny.db"
    build_demo_file(path, scale="tiny", seed=1, today=TODAY)
    return path


@pytest.fixture
def tiny(tiny_file, tmp_path):
    path = tmp_path / "tiny.db"
    shutil.copy(tiny_file, path)
    store = open_store(path)
    yield store
    store.close()


@pytest.fixture
def tasks(qtbot):
    application()
    runner = TaskRunner(None)
    runner.show_errors = False
    yield runner
    runner.shutdown()


@pytest.fixture
def page(qtbot, tiny, tasks):
    from ui.pages.returns import ReturnsPage

    widget = ReturnsPage(tiny, tasks)
    widget.interactive = False
    qtbot.addWidget(widget)
    return widget


def settle(qtbot, tasks) -> None:
    qtbot.wait(10)
    qtbot.waitUntil(lambda: not tasks.busy, timeout=15_000)
    qtbot.wait(10)


def load(qtbot, page, period: str) -> None:
    page.load(period)
    settle(qtbot, page.tasks)
    assert page.view is not None and str(page.view.period) == period


def test_figures_table_shows_the_values_of_build_return(qtbot, page, tiny):
    load(qtbot, page, PERIOD)
    with tiny.reading() as session:
        data = build_return(session, PERIOD, rosters=False)
    model = page.table.figures
    assert model.rowCount() == len(data.rows) + 6  # six section rows
    assert model.text(0, 0) == "一、劳动力资源"
    for row in data.rows:
        at = model.row_of(row.code)
        assert model.text(at, 1) == row.code
        assert model.text(at, 2) == row.unit
        assert [model.text(at, c) for c in range(3, 9)] == [t or "" for t in row.texts()]
    money = model.row_of("209")
    assert "." in model.text(money, 3) and len(model.text(money, 3).split(".")[1]) == 2
    align = model.data(model.index(money, 3), Qt.ItemDataRole.TextAlignmentRole)
    assert align & int(Qt.AlignmentFlag.AlignRight)
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert header == ["指标名称", "代码", "计量单位", "本月", "本年累计", "年度目标",
                      "完成目标(%)", "上年同期累计", "同比增减(%)"]
    assert "草稿" in page.status_label.text()


def test_export_writes_a_file_read_return_accepts(qtbot, page, tmp_path):
    load(qtbot, page, PERIOD)
    out = tmp_path / "export.xlsx"
    page.export(str(out))
    settle(qtbot, page.tasks)
    assert out.exists()
    read = read_return(out)
    assert read.period == PERIOD and read.checksum_ok
    assert read.figures == page.view.data.figures()
    assert file_sha256(out) in page.message.text()
    assert return_status(page.store, PERIOD) is None  # exported, not submitted


def _break_a_placement(store) -> int:
    with store.session() as session:
        placement = session.scalars(
            select(Placement).where(Placement.deleted_at.is_(None),
                                    Placement.start_on.between(date(2026, 1, 1), date(2026, 10, 31)))
            .order_by(Placement.id)).first()
        old, placement.region_class = placement.region_class, None
        return placement.id, old


def test_submit_refused_on_an_error_then_accepted(qtbot, page, tiny, tmp_path):
    placement_id, region = _break_a_placement(tiny)
    load(qtbot, page, PERIOD)
    assert [f.rule for f in page.view.errors] == ["V1"]
    first = page.findings.topLevelItem(0)
    assert first.text(0).startswith("V1") and first.foreground(1).color().name() == "#b3261e"
    records = page.findings.record_items()
    assert any(item.data(0, Qt.ItemDataRole.UserRole)[:2] == ("placement", placement_id)
               for item in records)
    out = tmp_path / "submit.xlsx"
    page.submit(str(out), confirmed=True)
    settle(qtbot, page.tasks)
    assert "不能报送" in page.message.text() and "V1" in page.message.text()
    assert not out.exists() and return_status(tiny, PERIOD) is None

    with tiny.session() as session:
        session.get(Placement, placement_id).region_class = region
    load(qtbot, page, PERIOD)
    assert not page.view.errors
    page.submit(str(out), confirmed=True)
    settle(qtbot, page.tasks)
    status = return_status(tiny, PERIOD)
    assert status.status == "submitted" and out.exists()
    assert status.file_sha256 == file_sha256(out)
    assert status.file_sha256 in page.message.text()
    assert "已报送" in page.status_label.text() and "system" in page.status_label.text()
    assert page.history.rowCount() == 1 and page.history.item(0, 4).data(Qt.ItemDataRole.UserRole) == status.file_sha256
    assert not page.submit_button.isEnabled() and page.reopen_button.isEnabled()


def test_reopen_needs_the_head(qtbot, page, tiny, tmp_path):
    load(qtbot, page, PERIOD)
    page.submit(str(tmp_path / "r.xlsx"), confirmed=True)
    settle(qtbot, page.tasks)
    assert return_status(tiny, PERIOD).status == "submitted"

    tiny.actor = Actor("李会计", "clerk")
    load(qtbot, page, PERIOD)
    assert not page.reopen_button.isEnabled()
    page.reopen("数字有误")
    settle(qtbot, page.tasks)
    assert "所长" in page.message.text()
    assert return_status(tiny, PERIOD).status == "submitted"

    tiny.actor = Actor("王所长", "head")
    load(qtbot, page, PERIOD)
    assert page.reopen_button.isEnabled()
    page.reopen("数字有误")
    settle(qtbot, page.tasks)
    status = return_status(tiny, PERIOD)
    assert status.status == "reopened" and status.reopened_by == "王所长"
    assert "已退回修改" in page.status_label.text() and "王所长" in page.status_label.text()
    assert page.submit_button.isEnabled()


def test_double_click_on_a_record_opens_the_person(qtbot, window, wait_tasks):
    from ui.dialogs.person_view import PersonView

    window.show_page("returns")
    page = window.pages["returns"]
    page.interactive = False
    wait_tasks(window)
    load(qtbot, page, "2026-11")
    items = [i for i in page.findings.record_items()
             if i.data(0, Qt.ItemDataRole.UserRole)[0] == "placement"]
    assert items, "the tiny demo has a placement without a wage (V3)"
    table, record_id, _label = items[0].data(0, Qt.ItemDataRole.UserRole)
    page.findings.itemDoubleClicked.emit(items[0], 1)
    wait_tasks(window)
    views = [v for v in window.findChildren(PersonView) if v.isVisible()]
    assert [v.person_id for v in views] == [get_placement(window.store, record_id).person_id]
    for view in views:
        view.close()


def test_dashboard_shows_progress_against_a_target(qtbot, tiny, tasks):
    from PySide6.QtWidgets import QProgressBar

    from ui.pages.dashboard import DashboardPage

    with tiny.reading() as session:
        data = build_return(session, "2026-11", rosters=False)
    expected = next(r for r in data.rows if r.code == "201")
    assert get_targets(tiny, 2026)["201"] == expected.target
    page = DashboardPage(tiny, tasks)
    qtbot.addWidget(page)
    page.load()
    settle(qtbot, tasks)
    table = page.progress
    codes = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert codes == sorted(get_targets(tiny, 2026))
    row = codes.index("201")
    assert table.item(row, 3).text() == str(expected.year)
    assert table.item(row, 4).text() == str(int(expected.target))
    assert table.item(row, 5).text() == str(expected.done_pct)
    bar = table.cellWidget(row, 6)
    assert isinstance(bar, QProgressBar)
    assert bar.value() == min(100, int(expected.done_pct))
    assert bar.text() == f"{expected.done_pct}%"
    assert page.findChild(type(page.subtitle), "key_201").text().count(str(expected.month)) >= 1
    chart = page.charts["201"]
    assert len(chart.values[0]) == 11 and sum(chart.values[0]) == expected.year


def test_an_error_made_after_loading_is_still_refused_by_the_core(qtbot, page, tiny, tmp_path):
    load(qtbot, page, PERIOD)
    assert not page.view.errors
    _break_a_placement(tiny)  # the page's figures are now stale
    out = tmp_path / "late.xlsx"
    page.submit(str(out), confirmed=True)
    settle(qtbot, page.tasks)
    assert "不能报送" in page.message.text()
    assert [f.rule for f in page.findings.findings if f.is_error] == ["V1"]
    assert not out.exists() and return_status(tiny, PERIOD) is None
