"""Who is working: the exclusive open at start, the first head, the login, roles in the window.

``open_database`` turns ``DatabaseInUse`` and ``DamagedDatabase`` into Chinese
dialogs; ``sign_in`` makes the first head's account when there is none and asks
for a login; ``install`` adds to the main window what depends on the user (title,
status bar, 修改密码, idle lock, automatic backups, greyed-out writes);
``replace_window`` moves to a new window after a restore.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton

from laborstation.db import open_store
from laborstation.db.integrity import DamagedDatabase
from laborstation.db.lockfile import DatabaseInUse
from laborstation.errors import UserError
from laborstation.model.system import ROLE_NAMES
from laborstation.services import accounts, authz, preferences

WRITE_TEXTS = ("新增人员", "新增户", "删除", "新增人员…", "新增户…", "导入台账…")


def open_database(db, parent=None):
    """The store opened for this program alone, or None (the message was shown)."""
    try:
        return open_store(db, exclusive=True)
    except DatabaseInUse as error:
        QMessageBox.critical(parent, "数据库正在使用", str(error))
        return None
    except DamagedDatabase as error:
        return _offer_restore(db, error, parent)
    except UserError as error:
        QMessageBox.critical(parent, "无法打开数据库", str(error))
        return None


def _offer_restore(db, error: DamagedDatabase, parent):
    from laborstation.config import database_url
    from laborstation.db.backup import sqlite_file_of
    from laborstation.db.restore import restore_backup
    from ui.dialogs.damaged import DamagedDialog

    accepted = DamagedDialog(error, parent).exec() == QDialog.DialogCode.Accepted
    if error.backup is None or not accepted:
        return None
    try:
        # (db is None for the default database: its file is the one database_url names)
        restore_backup(error.backup.path, sqlite_file_of(database_url(db)))  # (as system)
        return open_store(db, exclusive=True)
    except UserError as failure:
        QMessageBox.critical(parent, "恢复失败", str(failure))
        return None


def sign_in(store, parent=None, station_name: str = "") -> bool:
    """First head's account when the database has none, then the login. False: the user quit."""
    from ui.dialogs.first_head import FirstHeadDialog
    from ui.dialogs.login import LoginDialog

    if (not accounts.has_users(store)
            and FirstHeadDialog(store, parent).exec() != QDialog.DialogCode.Accepted):
        return False
    dialog = LoginDialog(store, parent, station_name=station_name)
    return dialog.exec() == QDialog.DialogCode.Accepted


def who(store) -> str:
    """'张三（所长）'; '' for the built-in system actor (scripts, tests)."""
    user = accounts.current_user(store)
    if user is None:
        return ""
    return f"{user.display_name or user.username}（{ROLE_NAMES.get(user.role, user.role)}）"


# -- the main window ---------------------------------------------------------------------------


def install(window) -> None:
    """Everything the main window needs that depends on the logged-in user."""
    from ui.idle_lock import IdleLock
    from ui.pages.backups import AutoBackup

    store = window.store
    window.user_label = QLabel(window)
    window.statusBar().addPermanentWidget(window.user_label)
    _file_menu_actions(window)
    window.idle_lock = IdleLock(window, store, preferences.idle_lock_minutes(store),
                                 tasks=window.tasks)
    window.idle_lock.unlocked.connect(lambda switched: switched and after_user_change(window))
    window.auto_backup = AutoBackup(store, window.tasks, window)
    settings = window.pages["settings"]
    if getattr(settings, "idle_box", None) is not None:
        settings.idle_box.minutes_changed.connect(window.idle_lock.set_minutes)
    backups = window.pages.get("backups")
    if backups is not None:  # built when first opened: connect then
        backups.when_built(lambda page: page.restored.connect(
            lambda new_store: replace_window(window, new_store)))
    current.update(window=window, store=store)
    after_user_change(window)


def _file_menu_actions(window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    quit_action = file_menu.actions()[-1]
    change = QAction(window.tr("修改密码…"), window)
    change.triggered.connect(lambda: change_password(window))
    lock = QAction(window.tr("锁定"), window)
    lock.setShortcut(QKeySequence("Ctrl+L"))
    lock.triggered.connect(lambda: window.idle_lock.lock())
    file_menu.insertAction(quit_action, change)
    file_menu.insertAction(quit_action, lock)
    file_menu.insertSeparator(quit_action)
    window.change_password_action, window.lock_action = change, lock


def change_password(window) -> None:
    from ui.dialogs.change_password import ChangePasswordDialog

    if accounts.current_user(window.store) is None:
        QMessageBox.information(window, window.tr("修改密码"), window.tr("当前没有登录的账号。"))
        return
    if ChangePasswordDialog(window.store, window).exec() == QDialog.DialogCode.Accepted:
        QMessageBox.information(window, window.tr("修改密码"), window.tr("密码已修改。"))


def after_user_change(window) -> None:
    """Title, status bar and what the role may do, after a login or a switch of user."""
    text = who(window.store)
    window.user_label.setText(window.tr("当前用户：") + text if text else "")
    window.update_title()
    apply_role(window)
    window.register.reload()


def apply_role(window) -> None:
    """Grey out (or hide) what the current role may not do; the core refuses it anyway."""
    store = window.store
    writer = authz.can(store, authz.WRITE)
    for button in window.register.findChildren(QPushButton):
        if button.text() in WRITE_TEXTS:
            button.setEnabled(writer)
            button.setVisible(writer)  # a disabled #Primary button still looks active
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu else []:
            if action.text() in WRITE_TEXTS:
                action.setEnabled(writer)
    recycle = window.pages.get("recycle")
    if recycle is not None:
        recycle.restore_button.setVisible(writer)
    settings = window.pages["settings"]
    if getattr(settings, "users_box", None) is not None:
        settings.users_box.setVisible(authz.can(store, authz.MANAGE_USERS))
        settings.users_box.reload()
    if getattr(settings, "idle_box", None) is not None:
        settings.idle_box.setEnabled(authz.can(store, authz.SETTINGS))
    backups = window.pages.get("backups")
    if backups is not None:
        backups.when_built(lambda page: page.apply_role())


def title_suffix(store) -> str:
    text = who(store)
    return f" — {text}" if text else ""


#: The window on screen and its store (they change when a backup is restored).
current: dict[str, object] = {}


def replace_window(old_window, new_store, *, ask_login: bool = True):
    """After a restore: log in to the restored database and show it in a new window.

    Returns the new window, or None when the user quit at the login (the store is then closed).
    """
    from PySide6.QtWidgets import QApplication

    from ui.app import open_main_window

    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)
    try:
        old_window.replaced = True  # no close backup of a store that is already closed
        old_window.hide()
        window = None
        if not ask_login or sign_in(new_store):
            window = open_main_window(new_store)
        else:
            new_store.close()
        current.update(window=window, store=new_store if window else None)
        old_window.close()
        old_window.deleteLater()
    finally:
        app.setQuitOnLastWindowClosed(True)
    if window is None:
        app.quit()
    return window
