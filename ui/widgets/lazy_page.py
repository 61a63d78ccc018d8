"""A page that is built the first time it is shown or used.

The main window has fourteen pages; building the return, consolidation, audit and
backup pages at start-up imported openpyxl (and numpy) and cost about half a
second of the 2-second start. A ``LazyPage`` stands in the stack until the clerk
opens it; attribute access is passed on to the real page (building it then).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    def __init__(self, make: Callable[[QWidget], QWidget], parent=None):
        super().__init__(parent)
        self._make = make
        self._page: QWidget | None = None
        self._on_build: list[Callable[[QWidget], None]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        """The real page (built now if it was not yet)."""
        if self._page is None:
            self._page = self._make(self)
            self.layout().addWidget(self._page)
            for call in self._on_build:
                call(self._page)
        return self._page

    def when_built(self, call: Callable[[QWidget], None]) -> None:
        """Run ``call(page)`` once the page exists (now, if it does)."""
        if self._page is not None:
            call(self._page)
        else:
            self._on_build.append(call)

    def showEvent(self, event) -> None:
        self.build().show()  # at once: a child added to a shown layout is shown only later
        super().showEvent(event)

    def __getattr__(self, name: str):
        # Only reached when normal lookup fails: the real page's attributes and signals.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.build(), name)
