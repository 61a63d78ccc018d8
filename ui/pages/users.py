"""设置 → 账号管理 (the head only): add accounts, change roles, reset passwords, enable, unlock.

Every button calls ``services.accounts``, which checks the role itself; the
main window shows this section only to the head.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from laborstation.errors import UserError
from laborstation.model.system import ROLE_NAMES
from laborstation.services import accounts
from ui.dialogs.login import password_edit
from ui.widgets.dialog_parts import add_buttons, error_label


class AccountDialog(QDialog):
    """A new account (username, name, role, password twice) or, with ``username``, a new password."""

    def __init__(self, parent=None, *, username: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("重置密码") if username else self.tr("新增账号"))
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setSpacing(10)
        self.username = QLineEdit(self)
        self.username.setMaxLength(40)
        self.display_name = QLineEdit(self)
        self.display_name.setMaxLength(40)
        self.role = QComboBox(self)
        for code, name in ROLE_NAMES.items():
            self.role.addItem(name, code)
        self.role.setCurrentIndex(self.role.findData("clerk"))
        self.password = password_edit(self, self.tr("至少 6 个字符"))
        self.password2 = password_edit(self, self.tr("再输入一次"))
        if username:
            form.addRow(self.tr("账号"), QLabel(username, self))
        else:
            form.addRow(self.tr("用户名"), self.username)
            form.addRow(self.tr("姓名"), self.display_name)
            form.addRow(self.tr("角色"), self.role)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("确认密码"), self.password2)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        ok, cancel = add_buttons(
            layout, self, (self.tr("确定"), self._check), (self.tr("取消"), self.reject), enter_presses=True
        )

    def _check(self) -> None:
        if self.password.text() != self.password2.text():
            self.error.setText(self.tr("两次输入的密码不一致。"))
            return
        self.accept()


def _state(user: accounts.UserInfo, now: datetime) -> str:
    if not user.active:
        return "已停用"
    if user.locked_until is not None and user.locked_until > now:
        return f"已锁定至 {user.locked_until:%H:%M}"
    return "正常"


class UsersSection(QGroupBox):
    changed = Signal()

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("账号管理"))
        self.store = store
        self.users: list[accounts.UserInfo] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("用户名"), self.tr("姓名"), self.tr("角色"),
                                              self.tr("状态"), self.tr("最近登录")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (
            ("add", self.tr("新增账号…"), self.add_dialog),
            ("role", self.tr("修改角色…"), self.role_dialog),
            ("reset", self.tr("重置密码…"), self.reset_dialog),
            ("active", self.tr("停用 / 启用"), self.toggle_active),
            ("unlock", self.tr("解锁"), self.unlock_selected),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        layout.addLayout(row)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.reload()

    def reload(self) -> None:
        self.users = accounts.list_users(self.store)
        now = datetime.now()
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            last = f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else ""
            for column, text in enumerate((user.username, user.display_name, user.role_name,
                                           _state(user, now), last)):
                item = QTableWidgetItem(text)
                if not user.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)

    def selected(self) -> accounts.UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def select(self, username: str) -> None:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)

    def _do(self, fn, *args) -> bool:
        self.error.clear()
        try:
            fn(self.store, *args)
        except UserError as error:
            self.error.setText(str(error))
            return False
        self.reload()
        self.changed.emit()
        return True

    # -- actions (callable without dialogs) -----------------------------------------------------

    def add_user(self, username: str, display_name: str, role: str, password: str) -> bool:
        return self._do(accounts.create_user, username, display_name, role, password)

    def set_role(self, username: str, role: str) -> bool:
        return self._do(accounts.set_role, username, role)

    def reset_password(self, username: str, password: str) -> bool:
        return self._do(accounts.reset_password, username, password)

    def set_active(self, username: str, active: bool) -> bool:
        return self._do(accounts.set_active, username, active)

    def unlock(self, username: str) -> bool:
        return self._do(accounts.unlock, username)

    # -- dialogs --------------------------------------------------------------------------------

    def add_dialog(self) -> None:
        dialog = AccountDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_user(dialog.username.text(), dialog.display_name.text(),
                          dialog.role.currentData(), dialog.password.text())

    def role_dialog(self) -> None:
        user = self.selected()
        if user is None:
            return
        names = list(ROLE_NAMES.values())
        name, ok = QInputDialog.getItem(self, self.tr("修改角色"),
                                        self.tr("“{0}”的角色：").format(user.username), names,
                                        names.index(user.role_name), False)
        if ok:
            code = next(c for c, n in ROLE_NAMES.items() if n == name)
            self.set_role(user.username, code)

    def reset_dialog(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = AccountDialog(self, username=user.username)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reset_password(user.username, dialog.password.text())

    def toggle_active(self) -> None:
        user = self.selected()
        if user is not None:
            self.set_active(user.username, not user.active)

    def unlock_selected(self) -> None:
        user = self.selected()
        if user is not None:
            self.unlock(user.username)


def security_boxes(page) -> None:
    """Add 安全 (idle lock) and 账号管理 to the settings page (the window shows them by role)."""
    from ui.idle_lock import IdleSettingBox

    page.idle_box = IdleSettingBox(page.store, page)
    page.users_box = UsersSection(page.store, page)
    layout = page.layout()
    at = layout.count() - 2  # before the hint and the stretch
    layout.insertWidget(at, page.idle_box)
    layout.insertWidget(at + 1, page.users_box)
