"""A viewer sees masked numbers and no write actions; the head manages accounts; the idle lock."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton

from laborstation.errors import PermissionDenied
from laborstation.services import accounts, persons
from laborstation.services.register import PersonInput
from ui.app import application, open_main_window
from ui.models.person_table import Col


def _login(store, username, password):
    store.actor = accounts.authenticate(store, username, password)


@pytest.fixture
def people(demo_store):
    accounts.create_first_head(demo_store, "zhang", "张所长", "secret1")
    _login(demo_store, "zhang", "secret1")
    accounts.create_user(demo_store, "guest", "小王", "viewer", "guest123")
    accounts.create_user(demo_store, "clerk", "李会计", "clerk", "clerk123")
    return demo_store


def _window(qtbot, store):
    application()
    window = open_main_window(store)
    qtbot.addWidget(window)
    window.tasks.show_errors = False
    return window


def test_viewer_sees_masked_ids_and_no_write_actions(qtbot, people):
    store = people
    _login(store, "guest", "guest123")
    window = _window(qtbot, store)
    model = window.register.model
    shown = [model.data(model.index(r, Col.ID_NUMBER)) for r in range(20)]
    assert all(len(n) == 18 and n[6:14] == "********" for n in shown)
    phones = [model.data(model.index(r, Col.PHONE)) for r in range(20)]
    assert all("****" in p for p in phones if p)
    buttons = {b.text(): b for b in window.register.findChildren(QPushButton)}
    assert not buttons["新增人员"].isEnabled() and not buttons["删除"].isEnabled()
    assert buttons["新增人员"].isHidden()
    menu_actions = {a.text(): a for m in window.menuBar().actions() if m.menu()
                    for a in m.menu().actions()}
    assert not menu_actions["新增人员…"].isEnabled()
    assert window.pages["settings"].users_box.isHidden()
    assert not window.pages["settings"].idle_box.isEnabled()
    backups = window.pages["backups"]
    assert not backups.restore_button.isEnabled() and not backups.now_button.isEnabled()
    assert "查询" in window.user_label.text()
    with pytest.raises(PermissionDenied):  # the core refuses anyway
        persons.create_person(store, PersonInput("410926199005010123", "某某"))
    window.tasks.shutdown()


def test_clerk_sees_full_numbers_but_no_account_management(qtbot, people):
    _login(people, "clerk", "clerk123")
    window = _window(qtbot, people)
    model = window.register.model
    assert "*" not in model.data(model.index(0, Col.ID_NUMBER))
    assert window.pages["settings"].users_box.isHidden()
    assert window.pages["backups"].now_button.isEnabled()
    assert not window.pages["backups"].restore_button.isEnabled()
    window.tasks.shutdown()


def test_head_manages_accounts(qtbot, people):
    window = _window(qtbot, people)
    section = window.pages["settings"].users_box
    assert not section.isHidden()
    assert [u.username for u in section.users] == ["zhang", "guest", "clerk"]
    assert section.add_user("zhao", "赵", "clerk", "zhao123")
    assert section.set_role("zhao", "viewer")
    assert section.set_active("zhao", False)
    assert not section.set_active("zhang", False)  # not the logged-in head
    assert "当前登录" in section.error.text()
    row = [u.username for u in section.users].index("zhao")
    assert section.table.item(row, 2).text() == "查询"
    assert section.table.item(row, 3).text() == "已停用"
    for _ in range(5):
        with pytest.raises(accounts.AuthError):
            accounts.authenticate(people, "clerk", "wrong!")
    section.reload()
    assert section.table.item(2, 3).text().startswith("已锁定")
    assert section.unlock("clerk")
    assert section.reset_password("clerk", "newpass1")
    assert accounts.authenticate(people, "clerk", "newpass1").role == "clerk"
    window.tasks.shutdown()


def test_idle_lock_asks_for_the_password(qtbot, people):
    window = _window(qtbot, people)
    window.show()
    lock = window.idle_lock
    lock.set_timeout_ms(150)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    assert not window.centralWidget().isVisible()
    dialog = lock.dialog
    assert dialog.username.text() == "zhang" and dialog.username.isReadOnly()
    dialog.password.setText("wrong!")
    assert not dialog.try_accept()
    assert "还可以再试" in dialog.error.text()
    dialog.password.setText("secret1")
    assert dialog.try_accept()
    assert not lock.is_locked and window.centralWidget().isVisible()
    lock.set_timeout_ms(150)  # switch user at the next lock
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    lock.dialog.switch_user()
    lock.dialog.username.setText("guest")
    lock.dialog.password.setText("guest123")
    assert lock.dialog.try_accept()
    assert people.actor.role == "viewer"
    assert "小王（查询）" in window.windowTitle()
    assert not window.pages["backups"].now_button.isEnabled()
    lock.set_minutes(15)
    window.tasks.shutdown()


def _lock_now(qtbot, window):
    lock = window.idle_lock
    lock.set_timeout_ms(150)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    lock.set_minutes(15)
    return lock


def test_the_lock_hides_the_forms_open_over_the_window_and_brings_them_back(qtbot, people):
    from PySide6.QtWidgets import QApplication

    window = _window(qtbot, people)
    window.show()
    household = window.actions.new_household()  # forms with personal data, and 导入台账
    person = window.actions.new_person()
    importing = window.actions.import_ledger()  # (on top)
    shown = (household, person, importing)
    qtbot.waitUntil(lambda: all(d.isVisible() for d in shown), timeout=3000)
    lock = _lock_now(qtbot, window)
    assert not any(d.isVisible() for d in shown)
    assert lock.dialog.isVisible()
    person.reject()  # closed meanwhile (as a view closes when its delete ends): stays closed
    lock.dialog.password.setText("secret1")
    assert lock.dialog.try_accept()
    assert household.isVisible() and importing.isVisible() and not person.isVisible()
    assert QApplication.activeModalWidget() is importing  # stacked as they were
    window.tasks.shutdown()


def test_a_question_asked_with_exec_is_answered_cancel_by_the_lock(qtbot, people):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window = _window(qtbot, people)
    window.show()
    box = QMessageBox(QMessageBox.Icon.Question, "删除", "把所选的 1 人放入回收站？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window)
    QTimer.singleShot(50, window.idle_lock.lock)
    assert box.exec() != QMessageBox.StandardButton.Yes  # (not left on screen, unanswered)
    assert window.idle_lock.is_locked and not box.isVisible()
    window.idle_lock.dialog.password.setText("secret1")
    assert window.idle_lock.dialog.try_accept()
    assert not box.isVisible()
    window.tasks.shutdown()


def test_another_user_at_unlock_does_not_get_the_last_users_forms(qtbot, people):
    window = _window(qtbot, people)
    window.show()
    person = window.actions.new_person()
    importing = window.actions.import_ledger()
    qtbot.waitUntil(lambda: person.isVisible() and importing.isVisible(), timeout=3000)
    lock = _lock_now(qtbot, window)
    lock.dialog.switch_user()
    lock.dialog.username.setText("guest")
    lock.dialog.password.setText("guest123")
    assert lock.dialog.try_accept()
    assert people.actor.role == "viewer"
    assert not person.isVisible() and not importing.isVisible()
    window.tasks.shutdown()


def _unlock(lock, username=None, password="secret1"):
    if username is not None:
        lock.dialog.switch_user()
        lock.dialog.username.setText(username)
    lock.dialog.password.setText(password)
    assert lock.dialog.try_accept()


def test_work_showing_progress_or_ending_while_locked_waits_for_the_unlock(qtbot, people):
    """An automatic backup runs on a timer, locked or not: its progress box must not
    come up over the lock, and what follows its end waits for the clerk."""
    import threading

    from PySide6.QtWidgets import QApplication

    from laborstation.errors import UserError
    from laborstation.progress import Progress
    from ui.tasks import SHOW_AFTER_MS

    window = _window(qtbot, people)
    window.show()
    lock = _lock_now(qtbot, window)
    go = threading.Event()

    def backup():
        yield Progress(0, None, "正在复制数据库…")
        go.wait(10)
        raise UserError("备份失败：磁盘已满")

    ended = []
    task = window.tasks.run(backup, title="正在自动备份…", on_error=ended.append,
                            cancellable=False)
    qtbot.wait(SHOW_AFTER_MS + 400)
    assert task.dialog is None  # due, but not over the lock
    assert QApplication.activeModalWidget() is lock.dialog
    _unlock(lock)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
    assert "正在复制数据库" in task.dialog.labelText()

    lock = _lock_now(qtbot, window)  # locked again; the work ends meanwhile
    assert task.dialog is None or not task.dialog.isVisible()
    go.set()
    qtbot.waitUntil(lambda: task.finished, timeout=5000)
    qtbot.wait(50)
    assert ended == [] and QApplication.activeModalWidget() is lock.dialog
    _unlock(lock)
    qtbot.waitUntil(lambda: len(ended) == 1, timeout=3000)
    assert [str(error) for error in ended] == ["备份失败：磁盘已满"]
    assert QApplication.activeModalWidget() is None  # its progress box did not come back
    window.tasks.shutdown()


def test_an_error_box_of_the_last_user_is_not_shown_to_the_next(qtbot, people):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from laborstation.errors import UserError

    window = _window(qtbot, people)
    window.tasks.show_errors = True  # (the box the clerk would see)
    window.show()
    lock = _lock_now(qtbot, window)

    def fail():
        raise UserError("身份证号 410926196201208200 与第 3 行重复")

    task = window.tasks.run(fail)
    qtbot.waitUntil(lambda: task.finished, timeout=5000)
    shown = []

    def close_any_box():  # (were one shown, its exec() would wait for an answer)
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.reject()

    QTimer.singleShot(500, close_any_box)
    _unlock(lock, "guest", "guest123")
    qtbot.wait(600)
    assert shown == []
    assert "410926196201208200" in str(window.tasks.last_error)
    window.tasks.shutdown()


def test_the_last_users_work_ending_after_the_switch_shows_no_error_box(qtbot, people):
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from laborstation.errors import UserError

    window = _window(qtbot, people)
    window.tasks.show_errors = True
    window.show()
    go = threading.Event()

    def slow_fail():
        go.wait(10)
        raise UserError("身份证号 410926196201208200 与第 3 行重复")

    task = window.tasks.run(slow_fail)
    lock = _lock_now(qtbot, window)
    _unlock(lock, "guest", "guest123")  # still running when the next user comes
    shown = []

    def close_any_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.reject()

    QTimer.singleShot(700, close_any_box)
    go.set()
    qtbot.waitUntil(lambda: task.finished, timeout=5000)
    qtbot.wait(800)
    assert shown == [] and "410926196201208200" in str(window.tasks.last_error)
    window.tasks.shutdown()


def _failing(text):
    from laborstation.errors import UserError

    def fail():
        raise UserError(text)
    return fail


def test_error_boxes_held_by_the_lock_wait_again_when_it_locks_meanwhile(qtbot, people):
    """Two errors held: the first box is up after the unlock, the clerk walks away, the
    window locks again: the second box must not come up over the lock."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    window = _window(qtbot, people)
    window.tasks.show_errors = True
    window.show()
    lock = _lock_now(qtbot, window)
    tasks = [window.tasks.run(_failing(f"第{n}个错误")) for n in ("一", "二")]
    qtbot.waitUntil(lambda: all(task.finished for task in tasks), timeout=5000)
    seen = []

    def on_screen():
        top = QApplication.activeModalWidget()
        return top.text() if isinstance(top, QMessageBox) else type(top).__name__

    def walks_away():  # (the box's exec() runs the event loop: these run inside it)
        seen.append(on_screen())
        assert lock.timer.isActive()  # the lock is armed while a box waits
        lock.lock()

    def close_a_stray_box():  # (a box over the lock would wait for ever: fail instead)
        top = QApplication.activeModalWidget()
        if isinstance(top, QMessageBox):
            top.reject()

    stray = QTimer()
    stray.setSingleShot(True)
    stray.timeout.connect(close_a_stray_box)
    QTimer.singleShot(300, walks_away)
    QTimer.singleShot(700, lambda: seen.append(on_screen()))
    stray.start(1000)
    _unlock(lock)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    stray.stop()  # (its work is done: it must not close the next box)
    assert seen == ["第一个错误", "LoginDialog"]

    def answer():
        seen.append(on_screen())
        QApplication.activeModalWidget().accept()

    QTimer.singleShot(300, answer)
    _unlock(lock)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=3000)
    assert seen[2] == "第二个错误"
    window.tasks.shutdown()


def test_work_ending_badly_while_locked_does_not_stop_the_rest_or_the_switch(qtbot, people):
    window = _window(qtbot, people)
    window.show()
    lock = _lock_now(qtbot, window)

    def broken(_value):
        raise RuntimeError("a bug in what follows the work")

    done = []
    tasks = [window.tasks.run(lambda: 1, on_done=broken),
             window.tasks.run(lambda: 2, on_done=done.append)]
    qtbot.waitUntil(lambda: all(task.finished for task in tasks), timeout=5000)
    with qtbot.capture_exceptions() as raised:
        _unlock(lock, "guest", "guest123")
        qtbot.waitUntil(lambda: done == [2], timeout=3000)
    assert [str(error) for _kind, error, _trace in raised] == ["a bug in what follows the work"]
    assert "小王" in window.user_label.text() and lock.timer.isActive()
    window.tasks.shutdown()


def test_the_last_users_work_shows_no_progress_box_to_the_next(qtbot, people):
    import threading

    from PySide6.QtWidgets import QApplication, QProgressDialog

    window = _window(qtbot, people)
    window.show()
    importing = window.actions.import_ledger()
    qtbot.waitUntil(importing.isVisible, timeout=3000)
    closed = []
    importing.finished.connect(closed.append)
    go = threading.Event()
    task = window.tasks.run(lambda: go.wait(10), title="正在导入…", parent=importing)
    lock = _lock_now(qtbot, window)  # (before its progress box was due)
    qtbot.wait(600)
    _unlock(lock, "guest", "guest123")
    qtbot.wait(100)
    assert not isinstance(QApplication.activeModalWidget(), QProgressDialog)
    assert task.dialog is None and closed  # (the dialog is not theirs either)
    go.set()
    qtbot.waitUntil(lambda: task.finished, timeout=5000)
    window.tasks.shutdown()


def test_idle_minutes_setting(qtbot, people):
    from laborstation.services import preferences

    window = _window(qtbot, people)
    box = window.pages["settings"].idle_box
    assert box.minutes.value() == 15
    box.minutes.setValue(5)
    assert box.save()
    assert preferences.idle_lock_minutes(people) == 5
    assert window.idle_lock.timer.interval() == 5 * 60_000
    window.tasks.shutdown()


def test_viewer_sees_masked_numbers_on_the_person_page(qtbot, people):
    from PySide6.QtWidgets import QLabel

    from laborstation.services import browse
    from ui.dialogs.person_view import PersonView

    store = people
    person_id = browse.person_ids(store, browse.PersonQuery())[0]
    full = persons.get_person(store, person_id)
    _login(store, "guest", "guest123")
    view = PersonView(store, person_id)
    qtbot.addWidget(view)
    texts = [label.text() for label in view.findChildren(QLabel)]
    assert not any(full.id_number in t for t in texts)
    assert any(t.startswith(full.id_number[:6]) and "********" in t for t in texts)
    if full.phone:
        assert not any(full.phone in t for t in texts)
