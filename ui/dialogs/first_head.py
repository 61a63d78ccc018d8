"""First run: the head's (所长) account, made before anyone can log in."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from laborstation.errors import UserError
from laborstation.services.accounts import create_first_head
from ui.dialogs.login import password_edit
from ui.widgets.dialog_parts import add_buttons, error_label
from ui.widgets.enter_moves import EnterMovesFocus


class FirstHeadDialog(QDialog):
    """On success ``account`` is the new ``UserInfo``; the caller then shows the login."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.account = None
        self.setWindowTitle(self.tr("建立所长账号"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.setContentsMargins(22, 18, 22, 16)
        title = QLabel(self.tr("建立所长账号"), self)
        title.setObjectName("PageTitle")
        layout.addWidget(title)
        intro = QLabel(self.tr("每个人用自己的账号登录，所有修改都记下是谁做的。先建立所长的账号；"
                               "所长登录后可在“设置 → 账号管理”中为经办员和查询人员建立账号。"), self)
        intro.setWordWrap(True)
        intro.setObjectName("Hint")
        layout.addWidget(intro)
        form = QFormLayout()
        form.setSpacing(10)
        self.username = QLineEdit(self)
        self.username.setMaxLength(40)
        self.username.setPlaceholderText(self.tr("登录用，例如 zhangsan"))
        self.display_name = QLineEdit(self)
        self.display_name.setMaxLength(40)
        self.display_name.setPlaceholderText(self.tr("例如：张三"))
        self.password = password_edit(self, self.tr("至少 6 个字符"))
        self.password2 = password_edit(self, self.tr("再输入一次"))
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("确认密码"), self.password2)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        ok, cancel = add_buttons(
            layout, self, (self.tr("建立账号"), self.try_accept), (self.tr("退出"), self.reject)
        )
        EnterMovesFocus(self)

    def try_accept(self) -> bool:
        if self.password.text() != self.password2.text():
            self.error.setText(self.tr("两次输入的密码不一致。"))
            self.password2.clear()
            self.password2.setFocus()
            return False
        try:
            self.account = create_first_head(self.store, self.username.text(),
                                             self.display_name.text(), self.password.text())
        except UserError as error:
            self.error.setText(str(error))
            return False
        self.accept()
        return True
