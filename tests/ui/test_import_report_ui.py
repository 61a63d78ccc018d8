"""保存出错的行… in the import dialog: a path over the ledger itself, a folder or not .xlsx
is refused in the dialog's message line; a report that cannot be written says why in
Chinese; a database another program is writing to says so instead of an internal error."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from laborstation.idnumber import make_id

GOOD = [make_id("410926", date(1980, 3, 1), 11, True), make_id("410926", date(1982, 5, 9), 12, False)]


@pytest.fixture
def ledger(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "东庄村"
    sheet.append(["序号", "姓名", "身份证号码", "性别", "村民小组"])
    sheet.append([1, "张三丰", GOOD[0], "男", "1组"])
    sheet.append([2, "李秀英", GOOD[1], "女", "1组"])
    sheet.append([3, "赵四", "4.10926E+17", "男", "2组"])
    path = tmp_path / "东庄村台账.xlsx"
    book.save(path)
    return path


def _imported(window, wait_tasks, ledger, *, all_or_nothing=False):
    dialog = window.actions.import_ledger()
    dialog.interactive = False
    dialog.set_choice("persons", ledger)
    dialog.read_plan()
    wait_tasks(window)
    dialog.all_or_nothing_box.setChecked(all_or_nothing)
    dialog.start(dry_run=False)
    wait_tasks(window)
    return dialog


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_report_over_the_ledger_a_folder_or_not_xlsx_is_refused_in_the_dialog(
        window, wait_tasks, ledger, tmp_path):
    dialog = _imported(window, wait_tasks, ledger)
    assert dialog.result_title.text() == "导入完成"
    before = _digest(ledger)
    dialog.save_report(ledger)
    wait_tasks(window)
    assert "不能保存到正在导入的文件" in dialog.message.text()
    assert _digest(ledger) == before and dialog.steps.isEnabled()
    folder = tmp_path / "报告.xlsx"
    folder.mkdir()
    dialog.save_report(folder)
    wait_tasks(window)
    assert "是一个文件夹" in dialog.message.text()
    dialog.save_report(tmp_path / "出错的行.csv")
    wait_tasks(window)
    assert ".xlsx" in dialog.message.text() and not (tmp_path / "出错的行.csv").exists()
    report = tmp_path / "出错的行.xlsx"
    dialog.save_report(report)
    wait_tasks(window)
    assert "已保存 1 行" in dialog.message.text()
    assert list(load_workbook(report).active.iter_rows(values_only=True))[1][2] == "4.10926E+17"


def test_a_report_that_cannot_be_written_says_why(window, wait_tasks, ledger, tmp_path,
                                                  monkeypatch):
    dialog = _imported(window, wait_tasks, ledger)

    def open_in_excel(self, filename):
        raise PermissionError(13, "Permission denied", str(filename))

    monkeypatch.setattr(Workbook, "save", open_in_excel)
    dialog.save_report(tmp_path / "出错的行.xlsx")
    wait_tasks(window)
    text = dialog.message.text()
    assert "出错的行未能保存到" in text and "Excel" in text and "程序内部错误" not in text


def test_a_report_of_an_import_refused_whole_says_to_fix_the_original(window, wait_tasks,
                                                                     ledger, tmp_path):
    dialog = _imported(window, wait_tasks, ledger, all_or_nothing=True)
    assert dialog.result_title.text() == "没有写入任何数据"
    dialog.save_report(tmp_path / "出错的行.xlsx")
    wait_tasks(window)
    assert "再导入原文件" in dialog.message.text()


def test_a_database_another_program_writes_to_says_so(window, wait_tasks, ledger, monkeypatch):
    from laborstation.db import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    window.store.engine.dispose()  # (new connections: the short wait)
    other = sqlite3.connect(window.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        dialog = _imported(window, wait_tasks, ledger)
    finally:
        other.execute("ROLLBACK")
        other.close()
    text = dialog.message.text()
    assert "正被另一个程序使用（正在写入）" in text and "程序内部错误" not in text


def test_the_reports_own_columns_are_named_when_it_is_imported_again(window, wait_tasks,
                                                                     ledger, tmp_path):
    dialog = _imported(window, wait_tasks, ledger)
    report = tmp_path / "出错的行.xlsx"
    dialog.save_report(report)
    wait_tasks(window)
    again = window.actions.import_ledger()
    again.interactive = False
    again.set_choice("persons", report)
    again.read_plan()
    wait_tasks(window)
    top = again.mapping.topLevelItem(0)
    shown = {top.child(i).text(0): top.child(i).text(1) for i in range(top.childCount())}
    assert shown["错误原因"] == shown["原行号"] == "上次导入的出错说明，不导入"
