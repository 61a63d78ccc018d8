"""Lock the program after N minutes without keyboard or mouse (设置: 闲置 N 分钟后锁定).

An application-wide event filter restarts a single-shot timer on every input
event. When it fires the window's contents are hidden, and so are the forms and
dialogs open over it (a person's form, 导入台账: they show personal data); a
question or warning run with ``exec()`` is answered 取消 (hiding would end it the
same way, unseen). The login dialog asks for the current user's password (or
another user's, 切换用户). Unlocked by the same user, the dialogs come back as they
were stacked, except those that closed meanwhile; after a switch of user they are
closed (an import still running closes when it ends). Work running on the window's
``TaskRunner`` is held meanwhile: a progress box due during the lock (an automatic
backup) waits for the unlock, and so does what work ending meanwhile does next
(``TaskRunner.hold``). 退出程序 closes the window. The dialog is opened window-modal
and non-blocking, so the event loop (and background work) keeps running underneath.
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

    def __init__(self, window, store, minutes: int, tasks=None):
        super().__init__(window)
        self.window, self.store, self.tasks = window, store, tasks
        self.dialog = None
        self.hidden: list[tuple[QDialog, object]] = []  # hidden while locked, top first
        self.closed: set[int] = set()  # ids of those that closed meanwhile
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
        self._put_away_dialogs()
        if self.tasks is not None:
            self.tasks.hold()
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

    def _put_away_dialogs(self) -> None:
        """Take the dialogs off the window's stack of modal dialogs, top first."""
        self.hidden, self.closed = [], set()
        for _ in range(100):  # (each step takes one dialog off the stack)
            top = QApplication.activeModalWidget()
            if not isinstance(top, QDialog):
                return
            if top.windowModality() == Qt.WindowModality.ApplicationModal:
                top.reject()  # run with exec(): 取消
                continue
            top.hide()
            watch = top.finished.connect(lambda _result, d=top: self.closed.add(id(d)))
            self.hidden.append((top, watch))

    def _bring_back_dialogs(self, *, switched: bool) -> None:
        for dialog, watch in reversed(self.hidden):  # (bottom first: the top ends on top)
            if not shiboken6.isValid(dialog):  # (deleted meanwhile)
                continue
            QObject.disconnect(watch)
            if id(dialog) in self.closed:
                continue
            if not switched:
                dialog.show()
            elif not isinstance(dialog, QProgressDialog):  # (it goes with its work)
                getattr(dialog, "close_when_idle", dialog.reject)()
        self.hidden, self.closed = [], set()

    def _unlock(self) -> None:
        switched = self.store.actor != self._before
        self._restore_window()
        self._bring_back_dialogs(switched=switched)
        self.timer.start()  # (before the work held is taken care of: an error box waits)
        if self.tasks is not None:
            self.tasks.release(report_errors=not switched)
        self.unlocked.emit(switched)

    def _leave(self) -> None:
        self._restore_window()
        self.hidden, self.closed = [], set()  # (they close with the window)
        self.stop()
        self.window.close()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


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
