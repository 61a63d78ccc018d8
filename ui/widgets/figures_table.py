"""The return's figures as a read-only table: section rows, indented "其中" rows,
right-aligned numbers with their decimals (texts from the core, never re-formatted)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from laborstation.services.return_view import SECTION, DisplayRow

HEADERS = ("指标名称", "代码", "计量单位", "本月", "本年累计", "年度目标", "完成目标(%)",
           "上年同期累计", "同比增减(%)")
FIRST_NUMBER = 3
_SECTION_BG = QBrush(QColor("#e8eef5"))
_NEGATIVE = QBrush(QColor("#b3261e"))


class FiguresModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[DisplayRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[DisplayRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def text(self, row: int, column: int) -> str:
        """What the cell shows ("" for an empty figure)."""
        r = self.rows[row]
        if r.kind == SECTION:
            return r.name if column == 0 else ""
        if column == 0:
            return ("    " + r.name) if r.is_part else r.name
        if column == 1:
            return r.code
        if column == 2:
            return r.unit
        return r.texts[column - FIRST_NUMBER] or ""

    def row_of(self, code: str) -> int:
        return next((n for n, r in enumerate(self.rows) if r.code == code), -1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column >= FIRST_NUMBER:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column in (1, 2):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.kind == SECTION:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and row.kind == SECTION:
            return _SECTION_BG
        if (role == Qt.ItemDataRole.ForegroundRole and column == len(HEADERS) - 1
                and (self.text(index.row(), column) or "").startswith("-")):
            return _NEGATIVE
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class FiguresTable(QTableView):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.figures = FiguresModel(self)
        self.setModel(self.figures)
        self.setObjectName("FiguresTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.fit_columns()

    def fit_columns(self) -> None:
        metrics = self.fontMetrics()
        name_width = metrics.horizontalAdvance("    其中：订单、定向、委托培训") + 24
        self.setColumnWidth(0, name_width)
        for column in range(1, len(HEADERS)):
            text = HEADERS[column] if column > 2 else "计量单位"
            self.setColumnWidth(column, max(metrics.horizontalAdvance(text) + 24,
                                            metrics.horizontalAdvance("16899.44") + 24))
        self.setColumnWidth(1, metrics.horizontalAdvance("代码") + 30)
        self.horizontalHeader().setMinimumSectionSize(metrics.horizontalAdvance("代码") + 20)
        self._name_width = name_width
        self._spread()

    def _spread(self) -> None:
        """The name column takes the spare width; never narrower than the longest name
        (at a large font the table scrolls sideways rather than cut a name)."""
        others = sum(self.columnWidth(c) for c in range(1, len(HEADERS)))
        spare = self.viewport().width() - others
        self.setColumnWidth(0, max(self._name_width, spare))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._spread()

    def set_rows(self, rows: list[DisplayRow]) -> None:
        self.figures.set_rows(rows)
        self.clearSpans()
        for n, row in enumerate(rows):
            if row.kind == SECTION:
                self.setSpan(n, 0, 1, 3)
