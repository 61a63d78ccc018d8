"""First run makes the head's account; the login at every start; wrong passwords lock."""

from __future__ import annotations

import pytest

from laborstation.db import open_store
from laborstation.db.lockfile import DatabaseInUse
from laborstation.services import accounts
from ui.app import application
from ui.dialogs.first_head import FirstHeadDialog
from ui.dialogs.login import LoginDialog


def test_first_head_account_then_login(qtbot, store):
    application()
    assert not accounts.has_users(store)
    dialog = FirstHeadDialog(store)
    qtbot.addWidget(dialog)
    dialog.username.setText("zhang")
    dialog.display_name.setText("张所长")
    dialog.password.setText("secret1")
    dialog.password2.setText("secret2")
    assert not dialog.try_accept()
    assert "不一致" in dialog.error.text()
    dialog.password.setText("abc")
    dialog.password2.setText("abc")
    assert not dialog.try_accept()
    assert "6" in dialog.error.text()  # the policy's Chinese message names the minimum
    dialog.password.setText("secret1")
    dialog.password2.setText("secret1")
    assert dialog.try_accept()
    assert dialog.account.role == "head"

    login = LoginDialog(store, station_name="辛庄镇劳动保障所")
    qtbot.addWidget(login)
    login.username.setText("zhang")
    login.password.setText("secret1")
    assert login.try_accept()
    assert store.actor.name == "zhang" and store.actor.role == "head"


def test_five_wrong_passwords_lock_the_account(qtbot, store):
    application()
    accounts.create_first_head(store, "zhang", "张所长", "secret1")
    login = LoginDialog(store)
    qtbot.addWidget(login)
    login.username.setText("zhang")
    for left in (4, 3, 2, 1):
        login.password.setText("wrong!")
        assert not login.try_accept()
        assert login.last_error.attempts_left == left
        assert f"还可以再试 {left} 次" in login.error.text()
    login.password.setText("wrong!")
    assert not login.try_accept()
    assert "锁定 5 分钟" in login.error.text()
    login.password.setText("secret1")  # the right password no longer helps
    assert not login.try_accept()
    assert login.last_error.locked_minutes == 5
    assert "分钟后再试" in login.error.text()
    assert store.actor.name == "system"


def test_title_and_status_bar_name_the_user(qtbot, demo_store):
    from ui.app import open_main_window

    application()
    accounts.create_first_head(demo_store, "zhang", "张所长", "secret1")
    demo_store.actor = accounts.authenticate(demo_store, "zhang", "secret1")
    window = open_main_window(demo_store)
    qtbot.addWidget(window)
    assert "张所长（所长）" in window.windowTitle()
    assert window.user_label.text() == "当前用户：张所长（所长）"
    assert window.change_password_action.text() == "修改密码…"
    window.tasks.shutdown()


def test_change_password(qtbot, store):
    from ui.dialogs.change_password import ChangePasswordDialog

    application()
    accounts.create_first_head(store, "zhang", "张所长", "secret1")
    store.actor = accounts.authenticate(store, "zhang", "secret1")
    dialog = ChangePasswordDialog(store)
    qtbot.addWidget(dialog)
    dialog.old.setText("nope!!")
    dialog.new.setText("better2")
    dialog.new2.setText("better2")
    assert not dialog.try_accept()
    assert "原密码不正确" in dialog.error.text()
    dialog.old.setText("secret1")
    assert dialog.try_accept()
    assert accounts.authenticate(store, "zhang", "better2").name == "zhang"


def test_second_exclusive_open_names_the_holder(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui import session

    application()
    path = tmp_path / "station.db"
    first = open_store(path, exclusive=True)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _parent, title, text: shown.append((title, text)))
    try:
        with pytest.raises(DatabaseInUse):
            open_store(path, exclusive=True)
        assert session.open_database(path) is None
    finally:
        first.close()
    title, text = shown[0]
    assert title == "数据库正在使用"
    assert "进程" in text and str(__import__("os").getpid()) in text
    again = session.open_database(path)  # released: opens
    assert again is not None
    again.close()
