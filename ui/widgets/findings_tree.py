"""The checks V1–V7 of a return: one line per finding (errors red, warnings amber),
expandable to the records behind it; double-click a record to open it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from laborstation.returns.validation import SEVERITY_NAMES

ERROR_COLOUR = QColor("#b3261e")
WARNING_COLOUR = QColor("#a05a00")
RECORD_ROLE = Qt.ItemDataRole.UserRole


class FindingsTree(QTreeWidget):
    """``record_activated(table, id, label)`` when a record line is double-clicked."""

    record_activated = Signal(str, int, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.findings: list = []
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("规则"), self.tr("内容")])
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.itemDoubleClicked.connect(self._activated)

    def set_findings(self, findings: list) -> None:
        self.clear()
        self.findings = list(findings)
        bold = QFont(self.font())
        bold.setBold(True)
        if not self.findings:
            item = QTreeWidgetItem(self, ["✓", self.tr("V1–V7 全部通过，没有发现问题。")])
            item.setForeground(1, QBrush(QColor("#2e6b30")))
            return
        for finding in self.findings:
            colour = ERROR_COLOUR if finding.is_error else WARNING_COLOUR
            severity = self.tr(SEVERITY_NAMES[finding.severity])
            item = QTreeWidgetItem(self, [f"{finding.rule} {severity}", finding.message])
            item.setToolTip(1, finding.message)
            for column in (0, 1):
                item.setForeground(column, QBrush(colour))
            item.setFont(0, bold)
            for record in finding.records:
                child = QTreeWidgetItem(item, ["", record.label])
                child.setData(0, RECORD_ROLE, (record.table, record.id, record.label))
                child.setToolTip(1, self.tr("双击打开"))
            total = getattr(finding.records, "total", len(finding.records))
            if total > len(finding.records):
                QTreeWidgetItem(item, ["", self.tr("……共 {0} 条，只列出前 {1} 条").format(
                    total, len(finding.records))])
            if finding.records:
                item.setText(1, finding.message + self.tr("（{0} 条记录）").format(total))
            item.setExpanded(finding.is_error and len(finding.records) <= 20)

    def record_items(self) -> list[QTreeWidgetItem]:
        out = []
        for n in range(self.topLevelItemCount()):
            top = self.topLevelItem(n)
            out += [top.child(c) for c in range(top.childCount())
                    if top.child(c).data(0, RECORD_ROLE)]
        return out

    def show_errors(self) -> None:
        """Expand and select the first error (after a refused submission)."""
        for n, finding in enumerate(self.findings):
            item = self.topLevelItem(n)
            if finding.is_error:
                item.setExpanded(True)
        for n, finding in enumerate(self.findings):
            if finding.is_error:
                self.setCurrentItem(self.topLevelItem(n))
                self.scrollToItem(self.topLevelItem(n))
                break

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        ref = item.data(0, RECORD_ROLE)
        if ref:
            self.record_activated.emit(*ref)
