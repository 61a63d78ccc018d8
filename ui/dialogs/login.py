"""登录: the login at every start, and the same dialog when the idle lock hides the window.

``LoginDialog(store)`` asks for a username and password; on success it puts the
``Actor`` in ``store.actor``. With ``locked_user`` it is the idle lock: the name
is fixed to the current user until 切换用户 is pressed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from laborstation.errors import UserError
from laborstation.model.system import ROLE_NAMES
from laborstation.services.accounts import AuthError, authenticate
from ui.widgets.dialog_parts import error_label


def password_edit(parent, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(128)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class LoginDialog(QDialog):
    def __init__(self, store, parent=None, *, station_name: str = "", locked_user: str | None = None):
        super().__init__(parent)
        self.store = store
        self.locked_user = locked_user
        self.last_error: AuthError | None = None
        self.setWindowTitle(self.tr("已锁定") if locked_user else self.tr("登录"))
        self.setMinimumWidth(420)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.setContentsMargins(24, 20, 24, 18)
        title = QLabel(self.tr("劳动保障所台账"), self)
        title.setObjectName("PageTitle")
        layout.addWidget(title)
        if locked_user:
            text = self.tr("程序闲置时间较长，已锁定。请输入密码继续，或切换用户。")
        else:
            text = station_name or self.tr("请用您的账号登录。")
        intro = QLabel(text, self)
        intro.setObjectName("Hint")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setSpacing(10)
        self.username = QLineEdit(self)
        self.username.setMaxLength(40)
        self.password = password_edit(self)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)

        row = QHBoxLayout()
        self.switch = QPushButton(self.tr("切换用户"), self)
        self.switch.setAutoDefault(False)
        self.switch.clicked.connect(self.switch_user)
        self.switch.setVisible(bool(locked_user))
        row.addWidget(self.switch)
        row.addStretch(1)
        self.ok = QPushButton(self.tr("解锁") if locked_user else self.tr("登录"), self)
        self.ok.setObjectName("Primary")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.try_accept)
        self.quit = QPushButton(self.tr("退出程序"), self)
        self.quit.setAutoDefault(False)
        self.quit.clicked.connect(self.reject)
        row.addWidget(self.ok)
        row.addWidget(self.quit)
        layout.addLayout(row)
        if locked_user:
            self.username.setText(locked_user)
            self.username.setReadOnly(True)
            self.password.setFocus()
        else:
            self.username.setFocus()
        self.username.returnPressed.connect(self.password.setFocus)

    def switch_user(self) -> None:
        self.username.setReadOnly(False)
        self.username.clear()
        self.password.clear()
        self.error.clear()
        self.username.setFocus()

    def try_accept(self) -> bool:
        name = self.username.text().strip()
        if not name:
            self.error.setText(self.tr("请填写用户名。"))
            self.username.setFocus()
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            actor = authenticate(self.store, name, self.password.text())
        except UserError as error:
            self.last_error = error if isinstance(error, AuthError) else None
            self.error.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.store.actor = actor
        self.accept()
        return True

    def keyPressEvent(self, event) -> None:
        # The idle lock must not be closed with Esc: only 退出程序 leaves it.
        if event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)


def who(actor, display_name: str = "") -> str:
    """'张所长（所长）' for the title and status bar."""
    name = display_name or actor.name
    return f"{name}（{ROLE_NAMES.get(actor.role, actor.role)}）"
