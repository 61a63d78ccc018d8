"""文件 → 修改密码: the logged-in user changes their own password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout

from laborstation.errors import UserError
from laborstation.services.accounts import change_password
from ui.dialogs.login import password_edit
from ui.widgets.dialog_parts import add_buttons, error_label
from ui.widgets.enter_moves import EnterMovesFocus


class ChangePasswordDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(self.tr("修改密码"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        intro = QLabel(self.tr("账号：{0}").format(store.actor.name), self)
        intro.setObjectName("Hint")
        layout.addWidget(intro)
        form = QFormLayout()
        form.setSpacing(10)
        self.old = password_edit(self)
        self.new = password_edit(self, self.tr("至少 6 个字符"))
        self.new2 = password_edit(self, self.tr("再输入一次"))
        form.addRow(self.tr("原密码"), self.old)
        form.addRow(self.tr("新密码"), self.new)
        form.addRow(self.tr("确认新密码"), self.new2)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        ok, cancel = add_buttons(
            layout, self, (self.tr("修改"), self.try_accept), (self.tr("取消"), self.reject)
        )
        EnterMovesFocus(self)

    def try_accept(self) -> bool:
        if self.new.text() != self.new2.text():
            self.error.setText(self.tr("两次输入的新密码不一致。"))
            return False
        try:
            change_password(self.store, self.old.text(), self.new.text())
        except UserError as error:
            self.error.setText(str(error))
            return False
        self.accept()
        return True
