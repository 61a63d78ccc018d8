"""The pieces every form dialog has: a line for the core's Chinese error (or news), and
the button row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QWidget


def error_label(parent: QWidget) -> QLabel:
    """Red, wrapping text under a form: where a refused save says why."""
    label = QLabel(parent)
    label.setObjectName("FieldError")
    label.setWordWrap(True)
    return label


def restyle(widget: QWidget) -> None:
    """Apply the style sheet again after the object name or a property it keys on changed
    (Qt does not do it by itself)."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def say(label: QLabel, text: str, style: str = "FieldError") -> None:
    """``text`` in the message line, red (``FieldError``) or green (``FieldInfo``)."""
    label.setObjectName(style)
    restyle(label)
    label.setText(text)


def button_row(
    layout: QBoxLayout,
    parent: QWidget,
    buttons: list[tuple[str, Callable, bool]],
    *,
    enter_presses: bool = False,
) -> list[QPushButton]:
    """A right-aligned row of (text, slot, primary) buttons; primary ones are blue.

    In forms Enter moves to the next field (``EnterMovesFocus``), so by default no
    button takes Enter; ``enter_presses=True`` lets Enter press the primary.
    """
    row = QHBoxLayout()
    row.addStretch(1)
    made = []
    for text, slot, primary in buttons:
        button = QPushButton(text, parent)
        if primary:
            button.setObjectName("Primary")
        button.setAutoDefault(enter_presses and primary)
        button.setDefault(enter_presses and primary)
        button.clicked.connect(slot)
        row.addWidget(button)
        made.append(button)
    layout.addLayout(row)
    return made


def add_buttons(
    layout: QBoxLayout,
    parent: QWidget,
    primary: tuple[str, Callable],
    secondary: tuple[str, Callable],
    *,
    enter_presses: bool = False,
) -> tuple[QPushButton, QPushButton]:
    """The form's row: the primary action (blue), then cancel/close (``button_row``)."""
    ok, cancel = button_row(layout, parent, [(*primary, True), (*secondary, False)],
                            enter_presses=enter_presses)
    return ok, cancel
