"""月报: a period's figures, the checks V1–V7, the status, and export / submit / reopen.

Everything is computed on the worker (``services.return_view.load_return_view``);
the buttons' work is in ``returns_actions``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from laborstation.periods import Period
from laborstation.returns.submission import ReturnStatus
from laborstation.services import authz
from laborstation.services.return_view import ReturnView, load_return_view, recent_periods
from ui.pages.returns_actions import ReturnActions
from ui.widgets.figures_table import FiguresTable
from ui.widgets.findings_tree import FindingsTree

HISTORY_HEADERS = ("报告期", "状态", "报送人", "报送时间", "SHA-256")


def status_text(status: ReturnStatus | None, tr) -> str:
    """草稿 / 已报送（谁 何时）/ 已退回修改（谁 何时）/ 已修订报送."""
    if status is None:
        return tr("草稿（尚未报送）")
    parts = [status.status_name]
    if status.submitted_at and status.status != "reopened":
        parts.append(tr("{0} 于 {1} 报送").format(status.submitted_by or "",
                                                 f"{status.submitted_at:%Y-%m-%d %H:%M}"))
    if status.revision:
        parts.append(tr("第 {0} 次修订").format(status.revision))
    if status.status == "reopened" and status.reopened_at:
        parts.append(tr("{0} 于 {1} 退回修改").format(status.reopened_by or "",
                                                   f"{status.reopened_at:%Y-%m-%d %H:%M}"))
    return "，".join(parts[:1]) + ("（" + "，".join(parts[1:]) + "）" if parts[1:] else "")


class ReturnsPage(ReturnActions, QWidget):
    def __init__(self, store, tasks, parent=None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.view: ReturnView | None = None
        self.interactive = True  # False in tests: no modal message boxes
        self._loaded_once = False
        self._token = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        layout.addLayout(self._top_row())
        layout.addLayout(self._status_row())

        self.table = FiguresTable(self)
        self.findings = FindingsTree(self)
        self.findings.record_activated.connect(self.open_record)
        checks = QGroupBox(self.tr("校验（V1–V7）"), self)
        box = QVBoxLayout(checks)
        hint = QLabel(self.tr("红色为错误，改正后才能报送；橙色为提示，请核实。"
                              "展开看相关记录，双击打开人员。"), checks)
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        box.addWidget(hint)
        box.addWidget(self.findings, 1)
        self.finding_detail = QLabel(checks)
        self.finding_detail.setWordWrap(True)
        self.finding_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.finding_detail)
        self.findings.currentItemChanged.connect(self._finding_chosen)
        past = QGroupBox(self.tr("历次报送"), self)
        past_box = QVBoxLayout(past)
        self.history = self._history_table(past)
        past_box.addWidget(self.history)

        below = QSplitter(Qt.Orientation.Horizontal, self)
        below.addWidget(checks)
        below.addWidget(past)
        below.setStretchFactor(0, 3)
        below.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(below)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        self.message = QLabel(self)
        self.message.setObjectName("FieldInfo")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self._fill_periods()
        self._update_buttons()

    # -- layout -------------------------------------------------------------------------------

    def _top_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        title = QLabel(self.tr("月报"), self)
        title.setObjectName("PageTitle")
        row.addWidget(title)
        row.addSpacing(16)
        row.addWidget(QLabel(self.tr("报告期："), self))
        self.period_box = QComboBox(self)
        self.period_box.setMinimumContentsLength(12)
        self.period_box.activated.connect(lambda _n: self.load(self.period_box.currentData()))
        row.addWidget(self.period_box)
        self.refresh_button = QPushButton(self.tr("重新计算"), self)
        self.refresh_button.clicked.connect(lambda: self.load(self.period))
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        self.export_button = QPushButton(self.tr("导出Excel…"), self)
        self.export_button.clicked.connect(lambda: self.export())
        self.submit_button = QPushButton(self.tr("报送…"), self)
        self.submit_button.setObjectName("Primary")
        self.submit_button.clicked.connect(lambda: self.submit())
        self.reopen_button = QPushButton(self.tr("退回修改…"), self)
        self.reopen_button.clicked.connect(lambda: self.reopen())
        for button in (self.export_button, self.submit_button, self.reopen_button):
            row.addWidget(button)
        return row

    def _status_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("CountLabel")
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("Hint")
        row.addWidget(self.status_label)
        row.addSpacing(24)
        row.addWidget(self.summary_label, 1)
        return row

    def _history_table(self, parent) -> QTableWidget:
        table = QTableWidget(0, len(HISTORY_HEADERS), parent)
        table.setHorizontalHeaderLabels([self.tr(h) for h in HISTORY_HEADERS])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.cellDoubleClicked.connect(self._history_chosen)
        return table

    def _fill_periods(self) -> None:
        self.period_box.clear()
        try:
            periods = recent_periods(self.store, 36)
        except Exception:  # no station yet: the load will say so
            periods = []
        for period in periods:
            self.period_box.addItem(period.label, str(period))

    # -- loading ------------------------------------------------------------------------------

    @property
    def period(self) -> str | None:
        return self.period_box.currentData()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            if self.period_box.count() == 0:
                self._fill_periods()
            self.load(self.period)

    def load(self, period: str | Period | None = None) -> None:
        """Build the period's return and checks on the worker, then show them."""
        if period is None:
            return
        key = str(period)
        at = self.period_box.findData(key)
        if at < 0:
            label = period.label if isinstance(period, Period) else key
            self.period_box.addItem(label, key)
            at = self.period_box.count() - 1
        self.period_box.setCurrentIndex(at)
        self._loaded_once = True
        self._token += 1
        token = self._token
        self.summary_label.setText(self.tr("正在计算……"))
        self.tasks.run(lambda: load_return_view(self.store, key),
                       title=self.tr("正在生成{0}月报…").format(self.period_box.currentText()),
                       on_done=lambda view: self._show(view, token), on_error=self._load_failed)

    def _load_failed(self, error) -> None:
        from ui.tasks import error_text

        self.view = None
        self.table.set_rows([])
        self.findings.set_findings([])
        self.summary_label.setText(error_text(error))
        self._update_buttons()

    def _show(self, view: ReturnView, token: int) -> None:
        if token != self._token:
            return  # a newer request is on its way
        self.view = view
        self.table.set_rows(view.rows)
        self.findings.set_findings(view.findings)
        if view.findings:
            self.findings.setCurrentItem(self.findings.topLevelItem(0))
        else:
            self.finding_detail.setText("")
        self.status_label.setText(self.tr("状态：") + status_text(view.status, self.tr))
        errors = len(view.errors)
        warnings = len(view.findings) - errors
        data = view.data
        self.summary_label.setText(self.tr(
            "{0}  {1} 至 {2}   错误 {3} 项，提示 {4} 项").format(
            data.station.name, f"{data.month.start:%Y-%m-%d}", f"{data.month.end:%Y-%m-%d}",
            errors, warnings))
        self._show_history(view.history)
        self._update_buttons()

    def _show_history(self, history: list[ReturnStatus]) -> None:
        self.history.setRowCount(len(history))
        for row, status in enumerate(reversed(history)):
            values = (status.period, status.status_name, status.submitted_by or "",
                      f"{status.submitted_at:%Y-%m-%d %H:%M}" if status.submitted_at else "",
                      status.file_sha256 or "")
            for column, text in enumerate(values):
                item = QTableWidgetItem(text[:8] + "…" if column == 4 and text else text)
                item.setData(Qt.ItemDataRole.UserRole, text)
                tip = self.tr("文件 SHA-256：") + (status.file_sha256 or "")
                if status.revision:
                    tip = self.tr("第 {0} 次修订\n").format(status.revision) + tip
                item.setToolTip(tip)
                self.history.setItem(row, column, item)

    def _history_chosen(self, row: int, _column: int) -> None:
        item = self.history.item(row, 0)
        if item is not None:
            self.load(item.text())

    def _update_buttons(self) -> None:
        view = self.view
        locked = bool(view and view.status and view.status.locks)
        self.export_button.setEnabled(view is not None)
        self.submit_button.setEnabled(view is not None and not locked)
        self.reopen_button.setEnabled(locked and authz.can(self.store, authz.REOPEN))
        if locked and not authz.can(self.store, authz.REOPEN):
            self.reopen_button.setToolTip(self.tr("只有所长可以退回已报送的月报。"))
        else:
            self.reopen_button.setToolTip("")
        self.submit_button.setToolTip(
            self.tr("本月报已报送；如需修改，请所长先退回。") if locked else "")

    def _finding_chosen(self, item, _previous=None) -> None:
        """The whole message of the chosen finding (the tree's line may be cut short)."""
        while item is not None and item.parent() is not None:
            item = item.parent()
        n = self.findings.indexOfTopLevelItem(item) if item is not None else -1
        found = self.findings.findings
        self.finding_detail.setText(str(found[n]) if 0 <= n < len(found) else "")

    # -- records ------------------------------------------------------------------------------

    def open_record(self, table: str, record_id: int, label: str) -> None:
        """Open the person behind a finding's record (the main window's person view)."""
        actions = getattr(self.window(), "actions", None)
        opener = getattr(actions, "open_person", None)

        def opened(person_id) -> None:
            if person_id is not None and opener is not None:
                opener(person_id)
            elif self.interactive:
                QMessageBox.information(self, self.tr("记录"), label)

        from laborstation.services.return_view import person_of_record

        self.tasks.run(lambda: person_of_record(self.store, table, record_id),
                       title=self.tr("正在打开…"), on_done=opened)
