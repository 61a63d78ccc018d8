"""县级汇总: the county adds up its townships' return files (checked, on time or late,
refused with the reason) and writes the county workbook; all work on the worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from laborstation.returns.consolidate import DEFAULT_DUE_DAY
from laborstation.services.consolidation_view import (
    ConsolidationView,
    check_files,
    write_county_return,
)
from laborstation.services.return_view import recent_periods

HEADERS = ("乡镇", "区划代码", "报告期", "导出时间", "是否按时", "校验值", "结果", "文件")
_BAD, _GOOD, _LATE = QColor("#b3261e"), QColor("#2e6b30"), QColor("#a05a00")


def _yes_no(value, yes: str, no: str) -> str:
    return {True: yes, False: no}.get(value, "—")


class ConsolidationPage(QWidget):
    def __init__(self, store, tasks, parent=None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.paths: list[Path] = []
        self.view: ConsolidationView | None = None
        self.interactive = True  # False in tests: no dialogs
        self._token = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        title = QLabel(self.tr("县级汇总"), self)
        title.setObjectName("PageTitle")
        layout.addWidget(title)
        hint = QLabel(self.tr(
            "本页供县（区）人社部门汇总各乡镇报来的月报：选择各乡镇用本程序导出的月报 Excel 文件，"
            "程序检查文件是否属于本县、报告期是否一致、校验值是否相符（文件导出后是否被改动）、"
            "是否按时报送，再把通过检查的乡镇相加，生成全县月报（含报送情况）。"
            "乡镇劳动保障所报送本所月报请用“月报”页。"), self)
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(self._controls())

        self.file_list = QListWidget(self)
        self.file_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.file_list.setMaximumHeight(self.fontMetrics().height() * 5)
        layout.addWidget(self.file_list)

        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)

        self.missing_label = QLabel(self)
        self.missing_label.setObjectName("FieldError")
        self.missing_label.setWordWrap(True)
        layout.addWidget(self.missing_label)
        self.message = QLabel(self)
        self.message.setObjectName("FieldInfo")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.message.setText(self.tr("请添加各乡镇报来的月报文件（可一次选择多个）。"))
        self._update_buttons()

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        add = QPushButton(self.tr("添加乡镇月报文件…"), self)
        add.clicked.connect(lambda: self.add_files())
        remove = QPushButton(self.tr("移除所选"), self)
        remove.clicked.connect(self._remove_selected)
        clear = QPushButton(self.tr("清空"), self)
        clear.clicked.connect(lambda: self.set_files([]))
        for button in (add, remove, clear):
            row.addWidget(button)
        row.addSpacing(16)
        row.addWidget(QLabel(self.tr("报告期："), self))
        self.period_box = QComboBox(self)
        self.period_box.addItem(self.tr("按文件"), "")
        try:
            for period in recent_periods(self.store, 24):
                self.period_box.addItem(period.label, str(period))
        except Exception:  # no station: periods come from the files
            pass
        self.period_box.activated.connect(lambda _n: self.check())
        row.addWidget(self.period_box)
        row.addWidget(QLabel(self.tr("报送截止：次月"), self))
        self.due_box = QComboBox(self)
        for day in range(1, 32):
            self.due_box.addItem(self.tr("{0} 日").format(day), day)
        self.due_box.setCurrentIndex(DEFAULT_DUE_DAY - 1)
        self.due_box.activated.connect(lambda _n: self.check())
        row.addWidget(self.due_box)
        row.addStretch(1)
        self.write_button = QPushButton(self.tr("生成汇总表…"), self)
        self.write_button.setObjectName("Primary")
        self.write_button.clicked.connect(lambda: self.write())
        row.addWidget(self.write_button)
        return row

    # -- files --------------------------------------------------------------------------------

    def add_files(self, paths=None) -> None:
        if paths is None:
            chosen, _filter = QFileDialog.getOpenFileNames(
                self, self.tr("选择各乡镇报来的月报文件"), str(Path.home()),
                self.tr("Excel 工作簿 (*.xlsx)"))
            paths = chosen
        known = set(self.paths)
        self.set_files(self.paths + [Path(p) for p in paths if Path(p) not in known])

    def set_files(self, paths) -> None:
        self.paths = [Path(p) for p in paths]
        self.file_list.clear()
        for path in self.paths:
            self.file_list.addItem(str(path))
        self.check()

    def _remove_selected(self) -> None:
        rows = {i.row() for i in self.file_list.selectedIndexes()}
        self.set_files([p for n, p in enumerate(self.paths) if n not in rows])

    @property
    def period(self) -> str | None:
        return self.period_box.currentData() or None

    # -- checking -----------------------------------------------------------------------------

    def check(self) -> None:
        """Read and check the files on the worker; fill the table and the missing list."""
        self._token += 1
        token = self._token
        self.view = None
        if not self.paths:
            self.table.setRowCount(0)
            self.missing_label.setText("")
            self.message.setText(self.tr("请添加各乡镇报来的月报文件（可一次选择多个）。"))
            self._update_buttons()
            return
        paths, period, due = list(self.paths), self.period, self.due_box.currentData()
        self.message.setText(self.tr("正在检查 {0} 个文件……").format(len(paths)))
        self.tasks.run(lambda: check_files(self.store, paths, period=period, due_day=due),
                       title=self.tr("正在检查乡镇月报…"),
                       on_done=lambda view: self._show(view, token),
                       on_error=lambda error: self._failed(error, token))

    def _failed(self, error, token: int) -> None:
        from ui.tasks import error_text

        if token != self._token:
            return
        self.view = None
        self.table.setRowCount(0)
        self.missing_label.setText("")
        self.message.setText(error_text(error))
        self._update_buttons()

    def _show(self, view: ConsolidationView, token: int) -> None:
        if token != self._token:
            return
        self.view = view
        result = view.result
        self.table.setRowCount(len(view.files))
        for row, line in enumerate(view.files):
            when = f"{line.generated_at:%Y-%m-%d %H:%M}" if line.generated_at else ""
            outcome = self.tr("已汇总") if line.consolidated else self.tr("拒收：") + line.reason
            texts = (line.township, line.code, line.period, when,
                     _yes_no(line.on_time, self.tr("按时"), self.tr("逾期")),
                     _yes_no(line.checksum_ok, self.tr("相符"), self.tr("不符")),
                     outcome, line.path.name)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(str(line.path) if column == 7 else text)
                if column == 4 and line.on_time is False:
                    item.setForeground(QBrush(_LATE))
                if column == 5 and line.checksum_ok is False:
                    item.setForeground(QBrush(_BAD))
                if column == 6:
                    item.setForeground(QBrush(_GOOD if line.consolidated else _BAD))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        missing = view.missing
        self.missing_label.setText(
            self.tr("未汇总的乡镇（{0} 个）：{1}").format(len(missing), "、".join(missing))
            if missing else "")
        self.message.setText(self.tr(
            "{0} {1}：已汇总 {2} 个乡镇，拒收 {3} 个文件；报送截止 {4}。").format(
            result.data.station.name, result.data.period.label, len(result.received),
            len(result.refused), f"{result.due:%Y-%m-%d}"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.write_button.setEnabled(self.view is not None and bool(self.view.result.received))

    # -- writing ------------------------------------------------------------------------------

    def write(self, out: str | None = None) -> None:
        """生成汇总表: the county workbook with 报送情况, written on the worker."""
        view = self.view
        if view is None:
            return
        if out is None:
            data = view.result.data
            default = Path.home() / f"{data.station.name}{data.period}月报汇总.xlsx"
            out, _filter = QFileDialog.getSaveFileName(
                self, self.tr("保存全县汇总月报"), str(default), self.tr("Excel 工作簿 (*.xlsx)"))
            if not out:
                return
            if not out.lower().endswith(".xlsx"):
                out += ".xlsx"
        paths, period, due = list(self.paths), self.period, self.due_box.currentData()
        preparer = self.store.actor.name if self.store is not None else ""

        def done(result) -> None:
            written, sha = result
            missing = written.missing
            text = self.tr("已生成 {0}\n已汇总 {1} 个乡镇{2}。文件 SHA-256：{3}").format(
                out, len(written.result.received),
                self.tr("，未汇总 {0} 个").format(len(missing)) if missing else "", sha)
            self.message.setText(text)
            if self.interactive:
                QMessageBox.information(self, self.tr("汇总完成"), text)

        def failed(error) -> None:
            from ui.tasks import error_text, show_error

            self.message.setText(error_text(error))
            if self.interactive:
                show_error(self, error)

        self.tasks.run(lambda: write_county_return(self.store, paths, out, period=period,
                                                   due_day=due, preparer=preparer),
                       title=self.tr("正在生成全县汇总月报…"), on_done=done, on_error=failed)
