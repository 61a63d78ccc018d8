"""The two tables of 导入台账: what each column of a ledger becomes, and what the import
found row by row. Views only: they show a plan's outline or an import's notes."""

from __future__ import annotations

from itertools import islice

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
)

from laborstation.importing.plan import (
    DUPLICATE_COLUMNS,
    HIDDEN_SHEET,
    NO_COURSE,
    NO_VILLAGE,
    READ_WHILE_IMPORTING,
    missing_text,
)
from laborstation.importing.result import NOTE_CHANGE, NOTE_ERROR

_MUTED = QBrush(QColor("#8a6d3b"))
_NOTE_COLOURS = {NOTE_ERROR: QBrush(QColor("#b3261e")), NOTE_CHANGE: QBrush(QColor("#2e6b30"))}


def _note(top: QTreeWidgetItem, where: str, text: str, tip: str | None = None) -> None:
    """A line of the plan saying where a value comes from, or what is missing, muted;
    ``tip``: the whole text, when ``text`` is its short form."""
    note = QTreeWidgetItem(top, [where, text])
    note.setForeground(1, _MUTED)
    if tip:
        note.setToolTip(1, tip)


class MappingTree(QTreeWidget):
    """Each sheet (its header row, its rows) with each column and the field it becomes;
    the columns not imported in brown."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("文件中的列"), self.tr("导入为")])
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.header().setStretchLastSection(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)

    def show_outline(self, outline) -> None:
        """``outline``: ``ImportPlan.outline()``."""
        self.clear()
        for sheet in outline:
            top = QTreeWidgetItem(self, [self.tr("工作表「{0}」").format(sheet.name)])
            top.setFirstColumnSpanned(True)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            if not sheet.usable:
                why = HIDDEN_SHEET if sheet.hidden else self.tr("没有可识别的表头，不导入")
                top.setText(0, top.text(0) + "：" + why)
                top.setForeground(0, _MUTED)
                continue
            rows = (self.tr("数据 {0:,} 行").format(sheet.data_rows)
                    if sheet.data_rows is not None else READ_WHILE_IMPORTING)
            top.setText(0, top.text(0) + self.tr("：表头在{0}，{1}").format(sheet.header_rows, rows))
            for title, label in sheet.mapping:
                QTreeWidgetItem(top, [title, label])
            for taken, shown in ((sheet.township_from_name, self.tr(
                    "乡镇「{0}」（表中没有乡镇列）")), (sheet.village_from_name, self.tr(
                    "行政村「{0}」（表中没有行政村列）")), (sheet.group_from_name, self.tr(
                    "村民小组「{0}」（表中没有村民小组列）"))):
                if taken:
                    _note(top, self.tr("（工作表名）"), shown.format(taken))
            # (a missing column in short: the whole of what the CLI says in the tooltip)
            if sheet.no_village:
                _note(top, self.tr("（没有行政村列）"),
                      self.tr("台账中没有的人不能新增：请加上“行政村”列"), NO_VILLAGE)
            if sheet.course_from_title:
                name, where = sheet.course_from_title
                _note(top, self.tr("（{0}）").format(where),
                      self.tr("培训班「{0}」（表中没有培训班列）").format(name))
            if sheet.no_course:
                _note(top, self.tr("（没有培训班列）"),
                      self.tr("请加上“培训班名称”列，否则每行都不导入"), NO_COURSE)
            for written, value, label in sheet.title_fields:
                _note(top, self.tr("（表头上方）{0}").format(written),
                      self.tr("{0}「{1}」").format(label, value))
            for label in sheet.missing:
                _note(top, self.tr("（没有{0}列）").format(label),
                      self.tr("请加上“{0}”列，否则每行都不导入").format(label), missing_text(label))
            for title, why in ([(t, self.tr("这类表不记这一列，不导入") if t in sheet.not_kept
                                 else self.tr("上次导入的出错说明，不导入") if t in sheet.from_report
                                 else self.tr("未识别，不导入")) for t in sheet.unmatched]
                               + [(t, DUPLICATE_COLUMNS) for t in sheet.duplicates]):
                item = QTreeWidgetItem(top, [title, why])
                for column in (0, 1):
                    item.setForeground(column, _MUTED)
            for index in range(top.childCount()):  # (the whole text, however narrow)
                child = top.child(index)
                for column in (0, 1):
                    if not child.toolTip(column):
                        child.setToolTip(column, child.text(column))
            top.setExpanded(True)
        self.resizeColumnToContents(0)
        self.setColumnWidth(0, max(200, self.columnWidth(0) + 24))


class NotesTable(QTableWidget):
    """Every error (red), warning and change of an import by sheet and row; the first
    ``SHOWN`` (the error report has every refused row). Long reasons wrap."""

    SHOWN = 1000

    def __init__(self, parent=None):
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(
            [self.tr("工作表"), self.tr("行号"), self.tr("类别"), self.tr("说明")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)  # (a long reason is read whole, over two lines)
        header = self.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())

    def show_notes(self, result) -> str:
        """Fill from ``result.notes()``; returns what to say under the table."""
        notes = list(islice(result.notes(), self.SHOWN + 1))
        shown = notes[:self.SHOWN]
        self.setRowCount(len(shown))
        for row, (sheet, line, kind, text) in enumerate(shown):
            for column, value in enumerate((sheet, str(line), kind, text)):
                item = QTableWidgetItem(value)
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 2 and kind in _NOTE_COLOURS:
                    item.setForeground(_NOTE_COLOURS[kind])
                if column == 3:
                    item.setToolTip(text)
                self.setItem(row, column, item)
        self.setVisible(bool(shown))
        self.resizeRowsToContents()
        # (again once the layout has given the table its width: rows sized while it was
        # hidden or narrow stayed several lines tall)
        QTimer.singleShot(0, self.resizeRowsToContents)
        if len(notes) > self.SHOWN:
            return self.tr("只显示前 {0} 条。").format(self.SHOWN)
        return "" if shown else self.tr("所有行都没有错误或提示。")
