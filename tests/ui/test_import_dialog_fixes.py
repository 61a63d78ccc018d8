"""导入台账 after the seventh review: the overwrite box for rosters too; a file that looks
like another kind is not imported as the kind chosen without asking; the dialog does not
close on refused rows not saved without asking; long notes wrap again when the dialog is
made narrower; a file dropped that cannot be imported is told why; an import refused whole
says the households it would have made, and offers 关闭, not 完成."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from laborstation.idnumber import make_id
from laborstation.services import browse

GOOD = [make_id("410926", date(1980, 3, 1), 11, True), make_id("410926", date(1982, 5, 9), 12, False),
        make_id("410926", date(1995, 7, 2), 13, False)]


def _save(tmp_path, name, rows, title="东庄村"):
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


@pytest.fixture
def ledger(tmp_path):
    """Three good rows in two new households, one row whose ID number Excel spoilt."""
    return _save(tmp_path, "东庄村台账.xlsx", [
        ["序号", "姓名", "身份证号码", "性别", "村民小组", "户编号", "与户主关系"],
        [1, "张三丰", GOOD[0], "男", "1组", "DZ001", "户主"],
        [2, "李秀英", GOOD[1], "女", "1组", "DZ001", "配偶"],
        [3, "赵四", "4.10926E+17", "男", "2组", "DZ002", "户主"],
        [4, "孙丽", GOOD[2], "女", "3组", "DZ003", "户主"],
    ])


ROSTER_HEAD = ["姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位", "月收入"]


@pytest.fixture
def roster(tmp_path):
    return _save(tmp_path, "转移就业.xlsx", [
        ROSTER_HEAD, ["张三丰", GOOD[0], "东庄村", "2026-03-01", "广东东莞", "某电子厂", 4500]])


def _persons(store) -> int:
    return len(browse.person_ids(store, browse.PersonQuery()))


def _planned(window, wait_tasks, kind, path, *, interactive=False):
    dialog = window.actions.import_ledger()
    dialog.interactive = interactive
    dialog.set_choice(kind, path)
    dialog.read_plan()
    wait_tasks(window)
    assert dialog.steps.currentIndex() == 1, dialog.message.text()
    return dialog


class Answer:
    """Answers the next question box (a QMessageBox run with exec()) with the button of
    ``choice``; ``seen``: the box's text, informative text and buttons."""

    def __init__(self, choice: str):
        self.choice, self.seen, self.tries = choice, None, 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        box = QApplication.activeModalWidget()
        self.tries += 1
        if not isinstance(box, QMessageBox):
            if self.tries > 150:  # (none came: the test's asserts say so)
                self.timer.stop()
            return
        self.timer.stop()
        buttons = {b.text().replace("&", ""): b for b in box.buttons()}
        self.seen = (box.text(), box.informativeText(), list(buttons))
        buttons[self.choice].click()


def _unasked(act) -> bool:
    """``act`` asks nothing (a question box that comes is answered 返回, not to wait)."""
    stray = Answer("返回")
    act()
    stray.timer.stop()
    return stray.seen is None


# -- 1. the overwrite box for placement and training rosters ----------------------------------

def test_the_overwrite_box_is_shown_for_rosters_and_corrects_a_stored_wage(window, wait_tasks,
                                                                           roster, tmp_path):
    dialog = _planned(window, wait_tasks, "placements", roster)
    dialog.start(dry_run=False)
    wait_tasks(window)
    assert "新增 1" in dialog.counts.text()
    dialog.accept()
    corrected = _save(tmp_path, "转移就业（改正）.xlsx", [
        ROSTER_HEAD, ["张三丰", GOOD[0], "东庄村", "2026-03-01", "广东东莞", "某电子厂", 5200]])

    dialog = _planned(window, wait_tasks, "placements", corrected)
    box = dialog.overwrite_box
    assert box.isVisibleTo(dialog)
    assert box.text() == "用表中的值覆盖已有信息（不勾选时，已记的外出记录只补填空着的项）"
    assert "月收入" in box.toolTip()
    dialog.start(dry_run=True)  # not ticked: the wage stored is kept, and said so
    wait_tasks(window)
    assert "更新 0" in dialog.counts.text()
    notes = [dialog.notes.item(r, 3).text() for r in range(dialog.notes.rowCount())]
    assert any("用表中的值覆盖已有信息" in note for note in notes)
    dialog.back_button.click()
    box.setChecked(True)
    dialog.start(dry_run=False)
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成"
    assert "更新 1" in dialog.counts.text()
    changes = [dialog.notes.item(r, 3).text() for r in range(dialog.notes.rowCount())]
    assert any("5200" in change for change in changes)


def test_the_overwrite_box_of_a_training_roster_says_what_it_keeps(window, wait_tasks, tmp_path):
    path = _save(tmp_path, "电工班.xlsx", [
        ["培训班名称", "姓名", "身份证号", "行政村", "开班时间", "结业时间"],
        ["电工培训班", "张伟", GOOD[0], "东庄村", "2026-03-01", "2026-03-15"]])
    dialog = _planned(window, wait_tasks, "trainings", path)
    assert dialog.overwrite_box.isVisibleTo(dialog)
    assert dialog.overwrite_box.text() == (
        "用表中的值覆盖已有信息（不勾选时，已记的培训班和学员只补填空着的项）")


# -- 2. a file that looks like another kind -------------------------------------------------

def test_a_roster_chosen_as_a_ledger_is_asked_about_before_the_trial_and_the_import(
        qtbot, window, wait_tasks, roster):
    store = window.store
    before = _persons(store)
    dialog = _planned(window, wait_tasks, "persons", roster, interactive=True)
    assert dialog.likelier_label.isVisibleTo(dialog)

    answer = Answer("返回")
    dialog.start(dry_run=True)  # 试导入 too
    assert answer.seen is not None, "no question before the trial"
    text, info, buttons = answer.seen
    assert text == "这个文件更像转移就业花名册，现在选的是按实名制台账导入。"
    assert "只导入实名制台账有的列" in info
    assert set(buttons) == {"改为按转移就业花名册导入", "仍按实名制台账试导入", "返回"}
    wait_tasks(window)
    assert dialog.steps.currentIndex() == 1 and dialog.result is None  # nothing run

    answer = Answer("改为按转移就业花名册导入")
    dialog.start(dry_run=False)  # 开始导入
    assert answer.seen is not None and "仍按实名制台账导入" in answer.seen[2]
    wait_tasks(window)
    assert dialog.kind() == "placements" and dialog.plan.kind == "placements"
    assert dialog.steps.currentIndex() == 1 and dialog.result is None  # read, not imported
    assert "已改为按转移就业花名册读取，还没有导入" in dialog.message.text()
    assert _persons(store) == before
    dialog.start(dry_run=False)  # it is a placements roster now: nothing to ask
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成" and "新增 1" in dialog.counts.text()


def test_imported_as_chosen_when_the_clerk_says_so_and_asked_once(qtbot, window, wait_tasks,
                                                                  roster):
    dialog = _planned(window, wait_tasks, "persons", roster, interactive=True)
    answer = Answer("仍按实名制台账试导入")
    dialog.start(dry_run=True)
    assert answer.seen is not None
    wait_tasks(window)
    assert dialog.result_title.text() == "试导入完成：没有写入任何数据"
    assert dialog.result.kind == "persons"
    dialog.again_button.click()  # 正式导入 of the same plan: asked already
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成"


# -- 3. refused rows not saved ------------------------------------------------------------------

def test_done_after_an_import_with_refused_rows_not_saved_asks_first(qtbot, window, wait_tasks,
                                                                     ledger, tmp_path,
                                                                     monkeypatch):
    dialog = _planned(window, wait_tasks, "persons", ledger, interactive=True)
    dialog.start(dry_run=False)
    wait_tasks(window)
    assert dialog.result_title.text() == "导入完成" and dialog.result.errors == 1

    answer = Answer("返回")
    dialog.done_button.click()  # 完成
    assert answer.seen is not None, "closed without asking"
    text, info, buttons = answer.seen
    assert text == "有 1 行出错，没有导入，这些行还没有保存。"
    assert "关闭后就不能再保存这些行了" in info
    assert set(buttons) == {"保存出错的行…", "不保存，关闭", "返回"}
    assert dialog.isVisible() and dialog.steps.currentIndex() == 2

    answer = Answer("返回")
    dialog.reject()  # Esc, or the window's ×: asked as well
    assert answer.seen is not None and dialog.isVisible()

    report = tmp_path / "出错的行.xlsx"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(report), "")))
    answer = Answer("保存出错的行…")
    dialog.done_button.click()
    assert answer.seen is not None
    wait_tasks(window)
    assert dialog.isVisible()  # (says where they went)
    assert "已保存 1 行" in dialog.message.text()
    assert list(load_workbook(report).active.iter_rows(values_only=True))[1][2] == "4.10926E+17"
    assert _unasked(dialog.done_button.click)  # saved: closes without asking
    assert not dialog.isVisible()


def test_closing_without_saving_when_the_clerk_says_so_and_not_asked_of_another_user(
        qtbot, window, wait_tasks, ledger):
    dialog = _planned(window, wait_tasks, "persons", ledger, interactive=True)
    dialog.start(dry_run=False)
    wait_tasks(window)
    # another user logged in while the program was locked: not this dialog's clerk
    assert _unasked(dialog.close_when_idle)
    assert not dialog.isVisible()

    dialog = _planned(window, wait_tasks, "persons", ledger, interactive=True)
    dialog.start(dry_run=False)
    wait_tasks(window)
    assert dialog.result.errors == 1
    answer = Answer("不保存，关闭")
    dialog.done_button.click()
    assert answer.seen is not None and not dialog.isVisible()


# -- 4. long notes wrap again when the dialog is made narrower -------------------------------

def test_notes_wrap_again_when_the_dialog_is_made_narrower(qtbot, window, wait_tasks, tmp_path):
    path = _save(tmp_path, "身份证号被改.xlsx", [
        ["姓名", "身份证号码", "行政村"],
        ["赵四", "4.10926E+17", "东庄村"],  # a long note: 被 Excel 当成数字保存了 …
        ["周八", GOOD[0], "东庄村"]])
    dialog = _planned(window, wait_tasks, "persons", path)
    dialog.start(dry_run=True)
    wait_tasks(window)
    notes = dialog.notes
    dialog.show()
    dialog.resize(2400, 800)
    qtbot.wait(200)
    line = notes.fontMetrics().height()
    assert notes.rowCount() >= 1 and notes.rowHeight(0) < 2 * line  # one line, wide
    dialog.resize(dialog.minimumSize())
    qtbot.wait(200)
    assert notes.sizeHintForRow(0) >= 2 * line  # the note needs two lines now …
    for row in range(notes.rowCount()):  # … and has them: no note cut with “…”
        assert notes.rowHeight(row) >= notes.sizeHintForRow(row)
    dialog.resize(2400, 800)  # wide again: one line again
    qtbot.wait(200)
    assert notes.rowHeight(0) < 2 * line


# -- 5. a file dropped that cannot be imported -----------------------------------------------

def _drag(*paths):
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    return QDragEnterEvent(QPoint(20, 20), *args), QDropEvent(QPointF(20, 20), *args), mime


def _dropped_on(window, *paths) -> str:
    """What the window says of the files dropped on it (its message box's text)."""
    enter, drop, _mime = _drag(*paths)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()  # (taken: to be told why not, rather than nothing at all)
    window.dropEvent(drop)
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1, "nothing said"
    text = boxes[0].text()
    boxes[0].accept()
    return text


def test_a_file_dropped_that_cannot_be_imported_is_told_why(qtbot, window, ledger, tmp_path):
    from ui.dialogs.import_ledger import ImportDialog

    window.show()
    letter = tmp_path / "会议记录.docx"
    letter.write_bytes(b"not a ledger")
    text = _dropped_on(window, letter)
    assert text.startswith("不能导入“会议记录.docx”：只能导入 Excel（.xlsx、.xlsm、.xls）")
    assert ".ods" in text and ".csv" in text
    wps = tmp_path / "台账.et"
    wps.write_bytes(b"wps")
    assert "“另存为”.xlsx" in _dropped_on(window, wps)
    assert _dropped_on(window, ledger, letter).startswith("一次只能导入一个文件，拖进来的是 2 个")
    assert "是一个文件夹" in _dropped_on(window, tmp_path)
    assert not [d for d in window.findChildren(ImportDialog) if d.isVisible()]


def test_two_files_dropped_on_the_dialog_are_told_there(window, wait_tasks, ledger, tmp_path):
    dialog = _planned(window, wait_tasks, "persons", ledger)
    enter, drop, _mime = _drag(ledger, tmp_path / "另一个.xlsx")
    dialog.dragEnterEvent(enter)
    assert enter.isAccepted()
    dialog.dropEvent(drop)
    assert "一次只能导入一个文件" in dialog.message.text()
    assert dialog.steps.currentIndex() == 1 and dialog.plan is not None  # the plan stays


# -- 6 and 7. an import refused whole -------------------------------------------------------

def test_an_import_refused_whole_says_what_it_would_have_made_and_offers_close(
        qtbot, window, wait_tasks, ledger):
    store = window.store
    before = _persons(store)
    dialog = _planned(window, wait_tasks, "persons", ledger, interactive=True)
    dialog.all_or_nothing_box.setChecked(True)
    dialog.start(dry_run=True)
    wait_tasks(window)
    trial = dialog.counts.text()
    assert "将新建户 2 户。" in trial
    dialog.again_button.click()
    wait_tasks(window)
    assert dialog.result_title.text() == "没有写入任何数据" and _persons(store) == before
    lines = dialog.counts.text().split("\n")
    assert lines[1].startswith("原因：") and lines[2] == "将新建户 2 户。"  # as the trial said
    assert lines[-1].endswith("也可以点“上一步”，不勾选“有任何一行出错就整批不导入”，"
                              "先导入没有出错的行。")
    shown = {b.text() for b in (dialog.report_button, dialog.back_button, dialog.close_button,
                                dialog.again_button, dialog.done_button) if b.isVisibleTo(dialog)}
    assert shown == {"保存出错的行…", "上一步", "关闭"}  # not 完成: nothing was done
    assert _unasked(dialog.close_button.click)  # nothing was imported: nothing to ask
    assert not dialog.isVisible()
