"""The pieces every form dialog has: a line for the core's Chinese error, and the button row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QWidget


def error_label(parent: QWidget) -> QLabel:
    """Red, wrapping text under a form: where a refused save says why."""
    label = QLabel(parent)
    label.setObjectName("FieldError")
    label.setWordWrap(True)
    return label


def add_buttons(
    layout: QBoxLayout,
    parent: QWidget,
    primary: tuple[str, Callable],
    secondary: tuple[str, Callable],
    *,
    enter_presses: bool = False,
) -> tuple[QPushButton, QPushButton]:
    """A right-aligned row: the primary action (blue), then cancel/close.

    In forms Enter moves to the next field (``EnterMovesFocus``), so by default
    neither button takes Enter; ``enter_presses=True`` lets Enter press the primary.
    """
    row = QHBoxLayout()
    row.addStretch(1)
    buttons = []
    for (text, slot), is_primary in ((primary, True), (secondary, False)):
        button = QPushButton(text, parent)
        if is_primary:
            button.setObjectName("Primary")
        button.setAutoDefault(enter_presses and is_primary)
        button.setDefault(enter_presses and is_primary)
        button.clicked.connect(slot)
        row.addWidget(button)
        buttons.append(button)
    layout.addLayout(row)
    return buttons[0], buttons[1]
