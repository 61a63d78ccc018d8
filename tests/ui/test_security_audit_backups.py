"""The audit page (filters, export that is itself audited) and the backups page (backup, restore)."""

from __future__ import annotations

import shutil
import time

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from laborstation.db import open_store
from laborstation.db.backup import list_backups, make_backup
from laborstation.idnumber import make_id
from laborstation.services import accounts, browse, browse_households, persons
from laborstation.services.audit_query import AuditFilter, audit_page
from ui.app import application, open_main_window


@pytest.fixture
def head(demo_store):
    accounts.create_first_head(demo_store, "zhang", "张所长", "secret1")
    demo_store.actor = accounts.authenticate(demo_store, "zhang", "secret1")
    return demo_store


@pytest.fixture
def win(qtbot, head):
    application()
    window = open_main_window(head)
    qtbot.addWidget(window)
    window.tasks.show_errors = False
    yield window
    window.tasks.shutdown()


def _first_person(store):
    return browse.person_rows(store, browse.person_ids(store, browse.PersonQuery())[:1])[0]


def test_audit_page_filters_and_exports(qtbot, win, head, wait_tasks, tmp_path):
    person = _first_person(head)
    persons.update_person(head, person.id, phone="13700001234")
    win.show_page("audit")
    page = win.pages["audit"]
    assert page.page.total >= 2  # the login and the change
    page.person.setText(person.name)
    page.search()
    assert page.page.total >= 1
    assert all(r.table_name == "person" and r.row_id == person.id for r in page.page.rows)
    assert page.table.item(0, 4).text() == "联系电话"
    assert page.table.item(0, 6).text() == "13700001234"
    page.person.clear()
    page.reload_users()
    page.user.setCurrentIndex(page.user.findData("zhang"))
    page.action.setCurrentIndex(page.action.findData("login"))
    page.search()
    assert page.page.total == 1 and page.table.item(0, 2).text() == "登录"
    page.action.setCurrentIndex(0)
    page.by_date.setChecked(True)
    page.search()
    assert page.page.total >= 2
    assert "共" in page.count_label.text()

    page.by_date.setChecked(False)
    page.user.setCurrentIndex(0)
    page.table_combo.setCurrentIndex(page.table_combo.findData("person"))
    page.row_id.setText(str(person.id))
    path = tmp_path / "no-ids.xlsx"
    exported = []
    page.export_to(str(path), on_done=exported.append)  # only the phone change: no ID numbers
    wait_tasks(win)
    assert exported == [1]
    assert load_workbook(path).active["A1"].value == "时间"
    assert audit_page(head, AuditFilter(action="export")).total == 0

    new_id = make_id("410926", person.birth_date, 987, person.sex == "1")
    persons.update_person(head, person.id, id_number=new_id)
    page.export_to(str(tmp_path / "ids.xlsx"), on_done=exported.append)
    wait_tasks(win)
    assert exported == [1, 2]
    cells = [c.value for row in load_workbook(tmp_path / "ids.xlsx").active for c in row]
    assert new_id in cells
    page.row_id.clear()
    page.table_combo.setCurrentIndex(0)
    page.action.setCurrentIndex(page.action.findData("export"))
    page.search()
    assert page.page.total == 1  # the export held full ID numbers: audited
    assert page.table.item(0, 1).text() == "zhang"
    assert "ids.xlsx" in page.table.item(0, 6).text()


def test_viewer_sees_masked_values_in_the_audit_page(qtbot, head):
    person = _first_person(head)
    persons.update_person(head, person.id, phone="13700001234")
    accounts.create_user(head, "guest", "小王", "viewer", "guest123")
    head.actor = accounts.authenticate(head, "guest", "guest123")
    application()
    window = open_main_window(head)
    qtbot.addWidget(window)
    window.show_page("audit")
    page = window.pages["audit"]
    page.action.setCurrentIndex(page.action.findData("update"))
    page.search()
    assert page.table.item(0, 6).text() == "137****1234"
    window.tasks.shutdown()


def test_backup_now_then_restore_round_trip(qtbot, win, head, wait_tasks, tmp_path):
    from ui import session

    win.show_page("backups")
    page = win.pages["backups"]
    wait_tasks(win)
    made = []
    page.backup_now(on_done=made.append)
    wait_tasks(win)
    wait_tasks(win)  # the list reloads after the copy
    assert made and made[0].reason == "manual"
    assert page.table.rowCount() == len(list_backups(head.path)) >= 1
    assert page.table.item(0, 1).text() == "手动备份"
    assert page.table.item(0, 3).text() == f"{made[0].counts.persons:,}" == "300"

    usb = tmp_path / "usb"
    usb.mkdir()
    page.backup_now(str(usb), on_done=made.append)
    wait_tasks(win)
    assert made[-1].path.parent == usb and made[-1].path.exists()

    person = _first_person(head)
    persons.delete_person(head, person.id)
    assert browse_households.totals(head)["persons"] == 299
    db_path = head.path
    page.table.selectRow(0)
    # The restore asks for a login in the restored database: answer it when it appears.
    def answer_login():
        dialog = QApplication.activeModalWidget()
        dialog.username.setText("zhang")
        dialog.password.setText("secret1")
        dialog.try_accept()

    QTimer.singleShot(200, answer_login)
    new_store = page.restore_file(made[0].path)
    try:
        assert new_store is not None and new_store is not head
        assert browse_households.totals(new_store)["persons"] == 300
        assert new_store.actor.name == "zhang"
        new_window = session.current["window"]
        assert new_window is not win and new_window.store is new_store
        reasons = [b.reason for b in list_backups(db_path, with_counts=False)]
        assert "before-restore" in reasons
        with pytest.raises(Exception, match="正被"):  # the reopened store holds the lock
            open_store(db_path, exclusive=True)
        new_window.tasks.shutdown()
        new_window.close()
    finally:
        new_store.close()


def test_damaged_database_offers_the_newest_good_backup(qtbot, tmp_path):
    from ui import session

    application()
    path = tmp_path / "station.db"
    store = open_store(path)
    store.close()
    good = make_backup(path, reason="manual")
    shutil.copy(good.path, tmp_path / "keep.db")
    path.write_bytes(b"this is not a database" * 100)
    QTimer.singleShot(200, lambda: QApplication.activeModalWidget().accept())
    reopened = session.open_database(path)
    assert reopened is not None
    assert reopened.is_sqlite
    reopened.close()


def _close_any_box() -> None:
    box = QApplication.activeModalWidget()
    if box is not None:
        box.accept()


def test_the_default_damaged_database_in_a_chinese_folder_is_restored(qtbot, tmp_path,
                                                                       monkeypatch):
    """Started without --db (db is None), with the data folder of a user named 张三, from a
    working folder that must stay untouched."""
    from ui import session

    application()
    data = tmp_path / "张三" / "AppData" / "LaborStation"
    monkeypatch.setenv("LABORSTATION_DATA", str(data))
    started_in = tmp_path / "桌面"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    open_store(None).close()
    make_backup(data / "station.db", reason="manual")
    (data / "station.db").write_bytes(b"this is not a database" * 100)
    QTimer.singleShot(200, lambda: QApplication.activeModalWidget().accept())
    QTimer.singleShot(1500, _close_any_box)  # (a 恢复失败 box, were the restore to fail)
    reopened = session.open_database(None)
    assert reopened is not None and reopened.path == data / "station.db"
    reopened.close()
    assert list(started_in.iterdir()) == []  # (a file "None" was made here)


def test_timed_backup_runs_on_the_worker_and_on_close(qtbot, win, head, wait_tasks):
    from ui.pages.backups import AutoBackup

    person = _first_person(head)
    persons.update_person(head, person.id, notes="改过")
    timed = AutoBackup(head, win.tasks, win, every_ms=50)
    qtbot.waitUntil(lambda: bool(list_backups(head.path, with_counts=False)), timeout=5000)
    timed.timer.stop()
    wait_tasks(win)
    assert [b.reason for b in list_backups(head.path, with_counts=False)] == ["auto"]
    assert timed.on_close() is None  # nothing changed since: no copy on close
    time.sleep(1.1)  # copies and audit rows are stamped to the second
    persons.update_person(head, person.id, notes="又改了")
    win.close()  # the window's own close backup
    reasons = [b.reason for b in list_backups(head.path, with_counts=False)]
    assert sorted(reasons) == ["auto", "close"]
