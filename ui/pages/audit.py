"""审计日志: who changed what, when — filtered by person, record, user, date and action; .xlsx export.

Viewers see ID numbers and phone numbers masked in the old/new values
(``audit_query`` masks them). An export holding full ID numbers is audited.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from laborstation.errors import UserError
from laborstation.services import audit_query
from laborstation.services.audit_query import ACTION_NAMES, TABLE_NAMES, AuditFilter

PAGE_SIZE = 200
HEADERS = ("时间", "用户", "操作", "记录", "字段", "原值", "新值")


def _combo(parent, items) -> QComboBox:
    combo = QComboBox(parent)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AuditPage(QWidget):
    def __init__(self, store, tasks=None, parent=None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.offset = 0
        self.page: audit_query.AuditPage | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        top = QHBoxLayout()
        title = QLabel(self.tr("审计日志"), self)
        title.setObjectName("PageTitle")
        top.addWidget(title)
        hint = QLabel(self.tr("每一次新增、修改、删除、登录和导出：谁、什么时候、哪条记录、哪一项、由什么改为什么。"), self)
        hint.setObjectName("Hint")
        top.addWidget(hint, 1)
        self.export_button = QPushButton(self.tr("导出 Excel…"), self)
        self.export_button.clicked.connect(self.export_dialog)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        layout.addLayout(self._filters())

        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((150, 80, 70, 120, 110)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("CountLabel")
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        self.previous = QPushButton(self.tr("上一页"), self)
        self.previous.clicked.connect(lambda: self.go(self.offset - PAGE_SIZE))
        self.next = QPushButton(self.tr("下一页"), self)
        self.next.clicked.connect(lambda: self.go(self.offset + PAGE_SIZE))
        bottom.addWidget(self.previous)
        bottom.addWidget(self.next)
        layout.addLayout(bottom)

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.person = QLineEdit(self)
        self.person.setClearButtonEnabled(True)
        self.person.setPlaceholderText(self.tr("人员：姓名、拼音或身份证号"))
        self.person.setMinimumWidth(200)
        self.person.returnPressed.connect(self.search)
        row.addWidget(self.person, 2)
        self.table_combo = _combo(self, [(self.tr("记录：全部"), None)]
                                  + [(name, key) for key, name in TABLE_NAMES.items()])
        row.addWidget(self.table_combo)
        self.row_id = QLineEdit(self)
        self.row_id.setPlaceholderText(self.tr("记录号"))
        self.row_id.setMaximumWidth(80)
        self.row_id.returnPressed.connect(self.search)
        row.addWidget(self.row_id)
        self.user = _combo(self, [(self.tr("用户：全部"), None)])
        row.addWidget(self.user)
        self.action = _combo(self, [(self.tr("操作：全部"), None)]
                             + [(name, key) for key, name in ACTION_NAMES.items()])
        row.addWidget(self.action)
        self.by_date = QCheckBox(self.tr("日期"), self)
        row.addWidget(self.by_date)
        today = date.today()
        self.start = QDateEdit(_qdate(today.replace(day=1)), self)
        self.end = QDateEdit(_qdate(today), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            self.by_date.toggled.connect(edit.setEnabled)
            row.addWidget(edit)
        button = QPushButton(self.tr("查询"), self)
        button.setObjectName("Primary")
        button.clicked.connect(self.search)
        row.addWidget(button)
        return row

    def showEvent(self, event) -> None:
        self.reload_users()
        self.go(self.offset)
        super().showEvent(event)

    def reload_users(self) -> None:
        chosen = self.user.currentData()
        self.user.blockSignals(True)
        while self.user.count() > 1:
            self.user.removeItem(1)
        for name in audit_query.audit_users(self.store):
            self.user.addItem(name, name)
        index = self.user.findData(chosen)
        self.user.setCurrentIndex(max(0, index))
        self.user.blockSignals(False)

    def query(self) -> AuditFilter:
        text = self.row_id.text().strip()
        row_id = int(text) if text.isdigit() else None
        start = end = None
        if self.by_date.isChecked():
            start, end = self.start.date().toPython(), self.end.date().toPython()
        return AuditFilter(person=self.person.text(), table=self.table_combo.currentData(),
                           row_id=row_id, user=self.user.currentData(), start=start, end=end,
                           action=self.action.currentData())

    def search(self) -> None:
        self.go(0)

    def go(self, offset: int) -> None:
        self.offset = max(0, offset)
        self.page = audit_query.audit_page(self.store, self.query(), offset=self.offset,
                                           limit=PAGE_SIZE)
        self._show()

    def _show(self) -> None:
        page = self.page
        self.table.setRowCount(len(page.rows))
        for row, entry in enumerate(page.rows):
            record = entry.table_title + (f" #{entry.record_ids}" if entry.record_ids else "")
            texts = (f"{entry.at:%Y-%m-%d %H:%M:%S}", entry.user_name, entry.action_name, record,
                     entry.field_title, audit_query.readable(entry.old),
                     audit_query.readable(entry.new))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column >= 5 and len(text) > 40:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        pages = max(1, -(-page.total // PAGE_SIZE))
        self.count_label.setText(self.tr("共 {0} 条，第 {1}/{2} 页").format(
            f"{page.total:,}", self.offset // PAGE_SIZE + 1, pages))
        self.previous.setEnabled(self.offset > 0)
        self.next.setEnabled(self.offset + PAGE_SIZE < page.total)

    # -- export ---------------------------------------------------------------------------------

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出审计日志"),
                                              f"审计日志-{date.today():%Y%m%d}.xlsx",
                                              self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str, on_done=None) -> None:
        query = self.query()

        def done(count) -> None:
            self.go(self.offset)  # the export may have added its own audit row
            if on_done is not None:
                on_done(count)
            else:
                QMessageBox.information(self, self.tr("导出完成"),
                                        self.tr("已导出 {0} 条到 {1}").format(count, path))

        if self.tasks is None:
            try:
                done(audit_query.export_xlsx(self.store, query, path))
            except UserError as error:
                QMessageBox.warning(self, self.tr("导出失败"), str(error))
            return
        self.tasks.run(lambda: audit_query.export_xlsx(self.store, query, path),
                       title=self.tr("正在导出…"), on_done=done)
