"""Lock the program after N minutes without keyboard or mouse (设置: 闲置 N 分钟后锁定).

An application-wide event filter restarts a single-shot timer on every input
event. When it fires the window's contents are hidden, and so are the forms and
dialogs open over it (a person's form, 导入台账: they show personal data), and the
login dialog asks for the current user's password (or another user's, 切换用户);
they come back when it is unlocked. 退出程序 closes
the window. The dialog is opened window-modal and non-blocking, so the event
loop (and background work) keeps running underneath.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressDialog,
    QSpinBox,
)

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
})


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal(bool)  # True when another user logged in

    def __init__(self, window, store, minutes: int):
        super().__init__(window)
        self.window, self.store = window, store
        self.dialog = None
        self.hidden: list[QDialog] = []  # the dialogs hidden while locked
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.set_timeout_ms(int(minutes * 60_000))

    def set_timeout_ms(self, ms: int) -> None:
        self.timer.setInterval(max(50, ms))
        if self.dialog is None:
            self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched, event) -> bool:
        if self.dialog is None and event.type() in _INPUT_EVENTS:
            self.timer.start()
        return False

    def lock(self) -> None:
        from ui.dialogs.login import LoginDialog

        if self.dialog is not None or not self.window.isVisible():
            if self.dialog is None:
                self.timer.start()
            return
        self.timer.stop()
        self._before = self.store.actor
        central = self.window.centralWidget()
        if central is not None:
            central.setVisible(False)
        self.window.menuBar().setEnabled(False)
        self.hidden = _open_dialogs(self.window)
        for dialog in self.hidden:
            dialog.hide()
        self.dialog = LoginDialog(self.store, self.window, locked_user=self.store.actor.name)
        self.dialog.accepted.connect(self._unlock)
        self.dialog.rejected.connect(self._leave)
        self.dialog.open()
        self.locked.emit()

    def _restore_window(self) -> None:
        central = self.window.centralWidget()
        if central is not None:
            central.setVisible(True)
        self.window.menuBar().setEnabled(True)
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        for dialog in self.hidden:
            if shiboken6.isValid(dialog):  # (one closed meanwhile is gone)
                dialog.show()
        self.hidden = []

    def _unlock(self) -> None:
        self._restore_window()
        self.timer.start()
        self.unlocked.emit(self.store.actor != self._before)

    def _leave(self) -> None:
        self._restore_window()
        self.stop()
        self.window.close()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def _open_dialogs(window) -> list[QDialog]:
    """The forms and dialogs opened over the window (``open()``: window-modal), not a
    progress box (no personal data; its work ends on its own) nor a message box run
    with ``exec()`` (hiding that would end it as if answered)."""
    return [widget for widget in QApplication.topLevelWidgets()
            if isinstance(widget, QDialog) and not isinstance(widget, QProgressDialog)
            and widget.isVisible() and widget.parentWidget() is window
            and widget.windowModality() == Qt.WindowModality.WindowModal]


class IdleSettingBox(QGroupBox):
    """设置 → 安全: 闲置 N 分钟后锁定 (stored in the database for every user of this station)."""

    minutes_changed = Signal(int)

    def __init__(self, store, parent=None):
        from laborstation.services import preferences

        super().__init__(parent)
        self.store = store
        self.setTitle(self.tr("安全"))
        form = QFormLayout(self)
        low, high = preferences.IDLE_LOCK_RANGE
        self.minutes = QSpinBox(self)
        self.minutes.setRange(low, high)
        self.minutes.setSuffix(self.tr(" 分钟"))
        self.minutes.setValue(preferences.idle_lock_minutes(store))
        self.minutes.setMaximumWidth(140)
        self.minutes.editingFinished.connect(self.save)
        form.addRow(self.tr("闲置多久后锁定"), self.minutes)
        self.error = QLabel(self)
        self.error.setObjectName("FieldError")
        form.addRow("", self.error)

    def save(self) -> bool:
        from laborstation.errors import UserError
        from laborstation.services import preferences

        value = self.minutes.value()
        if value == preferences.idle_lock_minutes(self.store):
            return True
        try:
            preferences.set_idle_lock_minutes(self.store, value)
        except UserError as error:
            self.error.setText(str(error))
            return False
        self.error.clear()
        self.minutes_changed.emit(value)
        return True
