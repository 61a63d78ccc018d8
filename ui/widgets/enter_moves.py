"""Enter moves to the next field, as clerks used to paper forms expect."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QPlainTextEdit, QWidget


class EnterMovesFocus(QObject):
    """Install on a form: Enter/Return in a field focuses the next field (like Tab).

    Buttons keep Enter (press), a multi-line note keeps it (new line), and an
    open completer popup keeps it (pick the entry).
    """

    def __init__(self, form: QWidget):
        super().__init__(form)
        self._form = form
        for child in form.findChildren(QWidget):
            if not isinstance(child, QAbstractButton | QPlainTextEdit):
                child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False  # Ctrl+Enter saves (the dialog's shortcut)
        completer = getattr(watched, "completer", lambda: None)()
        if completer is not None and completer.popup().isVisible():
            return False
        self._form.focusNextChild()
        return True
