"""The register's search box and filters; builds a ``browse.PersonQuery``."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from laborstation.codes import code_list


def _combo(parent, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox(parent)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class FilterBar(QWidget):
    """Search text plus 户类别, 农村劳动力, 本地状态, 就业困难, 本年转移就业."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.search = QLineEdit(self)
        self.search.setObjectName("SearchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索：姓名、拼音、首字母、身份证号、电话（Ctrl+F）"))
        self.search.setMinimumWidth(300)
        self.search.textChanged.connect(self.changed)
        layout.addWidget(self.search, 3)
        everyone = self.tr("全部")
        self.category = _combo(self, [(self.tr("户类别：全部"), None)] + [
            (c.name.split("（")[0], c.code) for c in code_list("household_category")])
        self.labour = _combo(self, [(self.tr("劳动力：全部"), None), (self.tr("农村劳动力"), True),
                                    (self.tr("非劳动力"), False)])
        self.status = _combo(self, [(self.tr("本地状态：全部"), None)] + [
            (c.name, c.code) for c in code_list("local_status")])
        self.hard = _combo(self, [(self.tr("就业困难：") + everyone, None),
                                  (self.tr("就业困难人员"), True), (self.tr("非就业困难"), False)])
        self.placed = QCheckBox(self.tr("本年转移就业"), self)
        for widget in (self.category, self.labour, self.status, self.hard):
            widget.currentIndexChanged.connect(self.changed)
            layout.addWidget(widget, 1)
        self.placed.toggled.connect(self.changed)
        layout.addWidget(self.placed)

    def values(self) -> dict:
        return {
            "text": self.search.text(),
            "category": self.category.currentData(),
            "rural_labour": self.labour.currentData(),
            "local_status": self.status.currentData(),
            "hard_to_employ": self.hard.currentData(),
            "placed_in_year": date.today().year if self.placed.isChecked() else None,
        }

    def clear(self) -> None:
        self.blockSignals(True)
        self.search.clear()
        for widget in (self.category, self.labour, self.status, self.hard):
            widget.setCurrentIndex(0)
        self.placed.setChecked(False)
        self.blockSignals(False)
        self.changed.emit()
