"""Window sizes that fit the screen: an old office PC may have 1024×600 or 1366×768,
less the taskbar; a window taller than that hides its buttons below the screen's edge."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

_FRAME = (16, 48)  # room left for the window's frame and title bar (width, height)


def fit_to_screen(window: QWidget, size: tuple[int, int], minimum: tuple[int, int]) -> None:
    """Give ``window`` its preferred ``size`` and ``minimum`` size, each cut to the room
    the screen it will show on has (the parent's, else the primary screen)."""
    parent = window.parentWidget()
    screen = (parent.screen() if parent is not None else None) or \
        QGuiApplication.primaryScreen()
    if screen is None:  # (no screen at all: keep what was asked)
        window.setMinimumSize(*minimum)
        window.resize(*size)
        return
    room = screen.availableGeometry()
    width, height = room.width() - _FRAME[0], room.height() - _FRAME[1]
    window.setMinimumSize(min(minimum[0], width), min(minimum[1], height))
    window.resize(min(size[0], width), min(size[1], height))
