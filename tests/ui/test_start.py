"""Start-up on an empty and on a demo database; navigation, title and status bar."""

from __future__ import annotations

from laborstation.services import browse_households
from laborstation.services.station import get_station
from ui.app import application, needs_setup, open_main_window
from ui.dialogs.setup import STATION, SetupDialog


def test_empty_database_asks_for_the_station(qtbot, store):
    application()
    assert needs_setup(store)
    dialog = SetupDialog(store)
    qtbot.addWidget(dialog)
    dialog.name.setText("辛庄镇劳动保障所")
    dialog.code.setText("41092612")  # too short
    dialog.try_accept()
    assert "12 位数字" in dialog.error.text()
    assert dialog.code_hint.text() == "所属县：范县"
    dialog.code.setText("410926100000")
    dialog.try_accept()
    assert dialog.choice == STATION
    assert get_station(store).area_code == "410926100000"
    assert not needs_setup(store)


def test_empty_database_opens_an_empty_register(qtbot, store):
    application()
    win = open_main_window(store)
    qtbot.addWidget(win)
    assert win.register.model.rowCount() == 0
    assert "共 0 人" in win.register.count_label.text()
    assert str(store.path) in win.windowTitle()
    win.tasks.shutdown()


def test_demo_database_opens_on_the_register(window, demo_store):
    station = get_station(demo_store)
    assert station.name in window.windowTitle()
    assert str(demo_store.path) in window.windowTitle()
    total = browse_households.totals(demo_store)["persons"]
    assert window.register.model.rowCount() == total == 300
    assert f"{total:,}" in window.records_label.text()
    assert "当前报告期" in window.period_label.text()
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels[:10] == ["工作台", "户籍台账", "技能培训", "转移就业", "用工信息", "就业援助",
                           "劳动维权", "月报", "统计图表", "设置"]
    assert window.current_page_key() == "register"


def test_shortcuts_switch_pages(qtbot, window):
    from PySide6.QtCore import Qt

    window.show()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "training"
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "settings"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "register"


def test_larger_font_is_kept(qtbot, window):
    from ui import style

    page = window.pages["settings"]
    page.font_size.setCurrentIndex(page.font_size.findData(15))
    assert style.font_size() == 15
    assert application().font().pointSize() == 15
    style.set_font_size(style.DEFAULT_SIZE)


def test_a_failing_task_reports_a_chinese_message(qtbot, window):
    from laborstation.errors import ValidationError
    from ui.tasks import error_text

    def fail():
        raise ValidationError("请填写姓名。", "name")

    window.tasks.run(fail)
    qtbot.waitUntil(lambda: not window.tasks.busy)
    assert error_text(window.tasks.last_error) == "请填写姓名。"

    def crash():
        raise RuntimeError("boom")

    window.tasks.run(crash)
    qtbot.waitUntil(lambda: not window.tasks.busy)
    assert "程序内部错误" in error_text(window.tasks.last_error)


def test_a_long_task_shows_progress_and_can_be_cancelled(qtbot, window):
    import threading

    from laborstation.progress import Progress

    release = threading.Event()
    undone = threading.Event()  # (the rollback of a cancelled import, as it were)
    closed = []

    def work():
        try:
            for i in range(100):
                release.wait(0.05)
                yield Progress(i, 100, f"第 {i} 步")
        finally:
            undone.wait(5)
            closed.append(threading.current_thread().name)

    task = window.tasks.run(work, title="测试")
    qtbot.waitUntil(lambda: task.dialog is not None, timeout=3000)
    from PySide6.QtWidgets import QPushButton

    dialog = task.dialog
    button = dialog.findChild(QPushButton)
    assert button.text() == "取消"
    button.click()
    # while it is undone the box stays, saying so (Qt would hide it)
    qtbot.waitUntil(lambda: dialog.isVisible() and "正在取消" in dialog.labelText(),
                    timeout=3000)
    assert not button.isEnabled()
    undone.set()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=5000)
    assert closed and closed[0].startswith("db-worker")
    assert type(window.tasks.last_error).__name__ == "Cancelled"


def test_demo_choice_fills_the_database_on_the_worker(qtbot, store):
    from ui.app import generate_demo

    application()
    assert generate_demo(store, scale="tiny")
    assert browse_households.totals(store)["persons"] == 300
    assert get_station(store) is not None
    assert not needs_setup(store)


def test_python_emits_do_not_wear_down_true():
    """PySide6 6.12.0's emit() drops a reference to True until Python aborts; pyproject excludes it."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Source(QObject):
        fired = Signal(int)

    source = Source()
    source.fired.connect(lambda _n: None)
    before = sys.getrefcount(True)
    for n in range(500):
        source.fired.emit(n)
    assert sys.getrefcount(True) >= before
