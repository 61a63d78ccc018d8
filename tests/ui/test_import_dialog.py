"""导入台账 from the window: the plan shown first, a trial that writes nothing, the import,
the refused rows saved to fix, a cancel that rolls back, and no import for a viewer."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtWidgets import QPushButton

from laborstation.errors import PermissionDenied
from laborstation.idnumber import make_id
from laborstation.importing import run_import
from laborstation.progress import run_to_end
from laborstation.services import accounts, browse

GOOD = [make_id("410926", date(1980, 3, 1), 11, True), make_id("410926", date(1982, 5, 9), 12, False),
        make_id("410926", date(1995, 7, 2), 13, False)]


@pytest.fixture
def ledger(tmp_path):
    """A village's sheet as clerks keep it: a title line, a column we do not import, a
    number Excel turned into 4.10926E+17, a note under the table."""
    book = Workbook()
    sheet = book.active
    sheet.title = "东庄村"
    sheet.append(["城关镇农村劳动力资源实名制台账"])
    sheet.append(["序号", "姓名", "身份证号码", "性别", "村民小组", "户编号", "与户主关系", "爱好"])
    sheet.append([1, "张三丰", GOOD[0], "男", "1组", "DZ001", "户主", "钓鱼"])
    sheet.append([2, "李秀英", GOOD[1], "男", "1组", "DZ001", "配偶", ""])
    sheet.append([3, "赵四", "4.10926E+17", "男", "2组", "DZ002", "户主", ""])
    sheet.append([4, "孙丽", GOOD[2], "女", "3组", "DZ003", "户主", ""])
    sheet.append(["填表人：李会计"])
    path = tmp_path / "东庄村台账.xlsx"
    book.save(path)
    return path


def _persons(store) -> int:
    return len(browse.person_ids(store, browse.PersonQuery()))


def _open(window, ledger):
    dialog = window.actions.import_ledger()
    dialog.interactive = False
    dialog.set_choice("persons", ledger)
    return dialog


def _planned(window, wait_tasks, ledger):
    """The dialog on its second step: the ledger read, what each column becomes shown."""
    dialog = _open(window, ledger)
    dialog.read_plan()
    wait_tasks(window)
    return dialog


def test_plan_then_trial_then_import_then_the_refused_rows(qtbot, window, wait_tasks, ledger,
                                                          tmp_path):
    store = window.store
    before = _persons(store)
    dialog = _planned(window, wait_tasks, ledger)
    assert dialog.steps.currentIndex() == 1
    top = dialog.mapping.topLevelItem(0)
    assert top.text(0) == "工作表「东庄村」：表头在第 2 行，数据 5 行"
    shown = {top.child(i).text(0): top.child(i).text(1) for i in range(top.childCount())}
    assert shown["身份证号码"] == "身份证号" and shown["与户主关系"] == "与户主关系"
    assert shown["爱好"] == "未识别，不导入"
    assert shown["（工作表名）"] == "行政村「东庄村」（表中没有行政村列）"

    dialog.start(dry_run=True)
    wait_tasks(window)
    assert dialog.result_title.text() == "试导入完成：没有写入任何数据"
    assert "新增 3" in dialog.counts.text() and "错误 1" in dialog.counts.text()
    assert _persons(store) == before  # a trial writes nothing
    notes = [[dialog.notes.item(r, c).text() for c in range(4)]
             for r in range(dialog.notes.rowCount())]
    assert ["东庄村", "4", "提示"] in [n[:3] for n in notes]  # 性别 against the ID number
    assert any(n[:3] == ["东庄村", "5", "错误"] and "4.10926E+17" in n[3] for n in notes)
    dialog.show()  # a short note takes one line (rows sized while hidden stayed tall)
    qtbot.wait(50)
    short = next(r for r, n in enumerate(notes) if n[2] == "提示")
    assert dialog.notes.rowHeight(short) < 2.5 * dialog.notes.fontMetrics().height()
    assert dialog.again_button.isVisibleTo(dialog) and not dialog.done_button.isVisibleTo(dialog)

    written = []
    dialog.imported.connect(written.append)
    dialog.again_button.click()  # 正式导入: the plan of the trial, not read again
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成"
    assert _persons(store) == before + 3 and len(written) == 1
    assert window.register.model.rowCount() == before + 3  # the register reloaded
    assert dialog.plan is None  # (its rows are freed)

    report = tmp_path / "出错的行.xlsx"
    dialog.save_report(report)
    wait_tasks(window)
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows[0][-2:] == ("错误原因", "原行号") and rows[1][2] == "4.10926E+17"
    assert "已保存 1 行" in dialog.message.text()


def test_a_file_that_is_not_a_ledger_says_why_and_stays_on_the_first_step(window, wait_tasks,
                                                                         tmp_path):
    bad = tmp_path / "notes.xlsx"
    book = Workbook()
    book.active.append(["今天的会议记录"])
    book.save(bad)
    dialog = _open(window, bad)
    dialog.read_plan()
    wait_tasks(window)
    assert dialog.steps.currentIndex() == 0
    assert "没有找到可识别的实名制台账表头" in dialog.message.text()
    dialog.set_choice("persons", tmp_path / "missing.xlsx")
    dialog.read_plan()
    assert "找不到文件" in dialog.message.text()


def test_cancel_rolls_back_and_the_next_import_reads_the_file_again(window, wait_tasks, ledger):
    store = window.store
    before = _persons(store)
    dialog = _planned(window, wait_tasks, ledger)
    hold = threading.Event()
    window.tasks.run(hold.wait, cancellable=False)  # the worker is busy: the import waits
    dialog.start(dry_run=False)
    window.tasks._running[-1].cancel.set()  # 取消 pressed before it ran a step
    hold.set()
    wait_tasks(window)
    assert dialog.message.text() == "已取消，没有写入任何数据。"
    assert _persons(store) == before and dialog.plan is None and dialog.steps.isEnabled()
    dialog.start(dry_run=False)
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成" and _persons(store) == before + 3


def test_a_viewer_cannot_import(qtbot, demo_store, ledger):
    from ui.app import application, open_main_window

    accounts.create_first_head(demo_store, "zhang", "张所长", "secret1")
    accounts.create_user(demo_store, "guest", "小王", "viewer", "guest123")
    demo_store.actor = accounts.authenticate(demo_store, "guest", "guest123")
    application()
    window = open_main_window(demo_store)
    qtbot.addWidget(window)
    actions = {a.text(): a for m in window.menuBar().actions() if m.menu()
               for a in m.menu().actions()}
    assert not actions["导入台账…"].isEnabled()
    buttons = {b.text(): b for b in window.register.findChildren(QPushButton)}
    assert buttons["导入台账…"].isHidden()
    enter, _drop, _mime = _drag(ledger)
    window.dragEnterEvent(enter)
    assert not enter.isAccepted()  # nor dropped on the window
    before = _persons(demo_store)
    with pytest.raises(PermissionDenied):  # the core refuses anyway
        run_to_end(run_import(demo_store, ledger, kind="persons"))
    assert _persons(demo_store) == before
    window.tasks.shutdown()


def test_the_dialog_stays_open_while_its_import_runs(window, wait_tasks, ledger):
    dialog = _planned(window, wait_tasks, ledger)
    hold = threading.Event()
    window.tasks.run(hold.wait, cancellable=False)
    dialog.start(dry_run=False)
    dialog.reject()  # Esc while the import waits for the worker: not closed under it
    assert dialog.isVisible() and dialog.busy
    hold.set()
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成"
    dialog.reject()
    assert not dialog.isVisible()


def test_a_file_fixed_after_the_trial_is_read_again_for_the_import(window, wait_tasks, ledger):
    dialog = _planned(window, wait_tasks, ledger)
    dialog.start(dry_run=True)
    wait_tasks(window)
    assert "错误 1" in dialog.counts.text()
    assert "正式导入时出错的行不导入" in dialog.counts.text()
    book = load_workbook(ledger)  # the clerk corrects the number Excel spoilt, and saves
    book.active["C5"] = make_id("410926", date(1990, 1, 1), 14, True)
    book.save(ledger)
    dialog.again_button.click()
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成"
    assert "新增 4" in dialog.counts.text() and "错误 0" in dialog.counts.text()


def test_all_or_nothing_is_announced_by_the_trial_and_keeps_the_plan(window, wait_tasks, ledger):
    store = window.store
    before = _persons(store)
    dialog = _planned(window, wait_tasks, ledger)
    dialog.all_or_nothing_box.setChecked(True)
    dialog.start(dry_run=True)
    wait_tasks(window)
    assert "现在正式导入将整批不导入" in dialog.counts.text()
    dialog.again_button.click()
    wait_tasks(window)
    assert dialog.result_title.text() == "没有写入任何数据" and _persons(store) == before
    text = dialog.counts.text()
    assert "整批没有导入：请在原文件中改正出错的行" in text and "将新建户 2 户。" in text
    assert "\n新建户" not in text
    # what it would have done, said so: nothing was made (东庄村 is new)
    assert "将新增 3" in text and "将新建地区" in text and "\n新建地区" not in text
    assert text.count("没有写入任何数据") == 0  # (the title says it)
    assert "有任何一行出错就整批不导入" in text
    assert dialog.back_button.isVisibleTo(dialog) and dialog.plan is not None
    dialog.back_button.click()  # 返回, untick, import the same plan
    dialog.all_or_nothing_box.setChecked(False)
    dialog.start(dry_run=False)
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成" and _persons(store) == before + 3


def test_a_roster_chosen_as_the_wrong_kind_is_pointed_out_and_switched(window, wait_tasks,
                                                                       tmp_path):
    book = Workbook()
    book.active.append(["姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位", "月收入"])
    book.active.append(["张三丰", GOOD[0], "东庄村", "2026-03-01", "广东东莞", "某电子厂", 4500])
    roster = tmp_path / "转移就业.xlsx"
    book.save(roster)
    dialog = _open(window, roster)  # chosen as 实名制台账
    dialog.read_plan()
    wait_tasks(window)
    assert dialog.likelier_label.isVisibleTo(dialog)
    assert "这个文件更像转移就业花名册" in dialog.likelier_label.text()
    dialog.likelier_button.click()
    wait_tasks(window)
    assert dialog.kind() == "placements" and dialog.plan.kind == "placements"
    assert not dialog.likelier_label.isVisibleTo(dialog)
    dialog.start(dry_run=True)
    wait_tasks(window)
    assert "新增 1" in dialog.counts.text()


def _drag(path):
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    return QDragEnterEvent(QPoint(20, 20), *args), QDropEvent(QPointF(20, 20), *args), mime


def test_a_ledger_dropped_on_the_window_is_read_for_import(window, wait_tasks, ledger, tmp_path):
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui.dialogs.import_ledger import ImportDialog

    letter = tmp_path / "通知.docx"
    letter.write_bytes(b"not a ledger")
    enter, drop, _mime = _drag(letter)
    window.dragEnterEvent(enter)
    window.dropEvent(drop)  # (not a spreadsheet: told why, in a box)
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert box.text().startswith("不能导入“通知.docx”")
    box.accept()
    enter, drop, _mime = _drag(ledger)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(drop)
    wait_tasks(window)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ImportDialog) and dialog.steps.currentIndex() == 1
    assert dialog.mapping.topLevelItem(0).text(0).startswith("工作表「东庄村」")


def test_hidden_sheets_and_repeated_columns_are_shown_as_left_out(window, wait_tasks, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "东庄村"
    sheet.append(["姓名", "身份证号码", "联系电话", "联系电话"])
    sheet.append(["张三丰", GOOD[0], "", "13800000001"])
    old = book.create_sheet("旧台账")
    old.append(["姓名", "身份证号码"])
    old.append(["李秀英", GOOD[1]])
    old.sheet_state = "hidden"
    path = tmp_path / "带隐藏表.xlsx"
    book.save(path)
    dialog = _planned(window, wait_tasks, path)
    tops = [dialog.mapping.topLevelItem(i) for i in range(dialog.mapping.topLevelItemCount())]
    assert tops[1].text(0) == "工作表「旧台账」：隐藏的工作表，不导入"
    shown = [(tops[0].child(i).text(0), tops[0].child(i).text(1))
             for i in range(tops[0].childCount())]
    assert ("联系电话", "重复的列（第一列为空时用此列的值）") in shown
    dialog.start(dry_run=True)
    wait_tasks(window)
    assert "新增 1" in dialog.counts.text()
    assert "未导入的隐藏工作表：旧台账" in dialog.counts.text()


def test_a_path_copied_with_explorers_quotes_is_read(window, wait_tasks, ledger):
    dialog = _open(window, ledger)
    dialog.path_edit.setText(f' "{ledger}" ')  # 复制为路径 in Explorer quotes the path
    dialog.read_plan()
    wait_tasks(window)
    assert dialog.steps.currentIndex() == 1


def test_a_trial_of_errors_only_offers_no_import_but_a_way_out(window, wait_tasks, tmp_path):
    book = Workbook()
    book.active.append(["姓名", "身份证号码", "行政村"])
    book.active.append(["甲", "4.10926E+17", "东庄村"])
    path = tmp_path / "全错.xlsx"
    book.save(path)
    dialog = _planned(window, wait_tasks, path)
    dialog.start(dry_run=True)
    wait_tasks(window)
    assert not dialog.again_button.isVisibleTo(dialog)  # 正式导入 would write nothing
    assert dialog.close_button.isVisibleTo(dialog) and dialog.report_button.isVisibleTo(dialog)
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_a_folder_given_for_the_file_is_told_as_a_folder(window, tmp_path):
    dialog = _open(window, tmp_path)
    dialog.read_plan()
    assert "是一个文件夹" in dialog.message.text()


def test_a_cancel_too_late_to_stop_the_commit_says_the_import_was_done(window, wait_tasks,
                                                                       ledger, monkeypatch):
    from ui.dialogs import import_ledger

    before = _persons(window.store)
    dialog = _planned(window, wait_tasks, ledger)
    real = import_ledger.run_import

    def committed_then_cancelled(*args, **kwargs):
        result = yield from real(*args, **kwargs)
        dialog._task.cancel.set()  # 取消 pressed while the commit ran
        return result

    monkeypatch.setattr(import_ledger, "run_import", committed_then_cancelled)
    dialog.start(dry_run=False)
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成"
    assert "取消得太晚" in dialog.message.text() and _persons(window.store) == before + 3


def test_an_import_long_enough_for_the_progress_box_is_not_told_as_cancelled(
        window, wait_tasks, ledger, monkeypatch):
    """Closing the progress box at the end emits its ``canceled`` (Qt): every import that
    showed it ended saying 取消得太晚 though nobody pressed 取消 (the sixth review)."""
    import time

    from ui import tasks as task_module
    from ui.dialogs import import_ledger

    monkeypatch.setattr(task_module, "SHOW_AFTER_MS", 10)
    shown = []
    show = task_module.TaskRunner._show_dialog
    monkeypatch.setattr(task_module.TaskRunner, "_show_dialog",
                        lambda self, task: (shown.append(task), show(self, task)))
    dialog = _planned(window, wait_tasks, ledger)
    real = import_ledger.run_import

    def slow(*args, **kwargs):
        time.sleep(0.3)  # the progress box shows meanwhile
        return (yield from real(*args, **kwargs))

    monkeypatch.setattr(import_ledger, "run_import", slow)
    dialog.start(dry_run=True)
    wait_tasks(window)
    assert shown and "试导入完成" in dialog.result_title.text()
    assert "取消" not in dialog.message.text() and not shown[-1].cancel.is_set()


def test_the_cancel_button_is_disabled_once_the_commit_begins(qtbot, window, wait_tasks,
                                                              monkeypatch):
    """取消 pressed while 提交… showed came too late (the work was committed, then told as
    a cancel come too late): from that step on the button cannot be pressed."""
    import time

    from laborstation.progress import Progress
    from ui import tasks as task_module

    monkeypatch.setattr(task_module, "SHOW_AFTER_MS", 10)

    def work():
        yield Progress(1, 2, "检查…")
        time.sleep(0.3)
        yield Progress(2, 2, "提交…", final=True)
        time.sleep(0.5)
        return "done"

    task = window.tasks.run(work)
    qtbot.waitUntil(lambda: task.cancel_button is not None and task.cancel_button.isEnabled(),
                    timeout=3000)
    qtbot.waitUntil(lambda: task.cancel_button is not None
                    and not task.cancel_button.isEnabled(), timeout=3000)
    wait_tasks(window)
    assert not task.cancel.is_set()


def test_a_training_roster_without_a_course_column_shows_where_the_class_is_taken(
        qtbot, window, wait_tasks, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["2026年电工培训班花名册"])
    sheet.append(["姓名", "身份证号", "行政村", "开班时间", "结业时间"])
    sheet.append(["张伟", make_id("410926", date(1990, 1, 1), 12, True), "东庄村",
                  "2026-03-01", "2026-03-15"])
    book.save(tmp_path / "电工班.xlsx")
    dialog = window.actions.import_ledger()
    dialog.interactive = False
    dialog.set_choice("trainings", tmp_path / "电工班.xlsx")
    dialog.read_plan()
    wait_tasks(window)
    top = dialog.mapping.topLevelItem(0)
    shown = {top.child(i).text(0): top.child(i).text(1) for i in range(top.childCount())}
    assert shown["（标题）"] == "培训班「电工培训班」（表中没有培训班列）"
    assert shown["开班时间"] == "开班时间"
