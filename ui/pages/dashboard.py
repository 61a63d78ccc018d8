"""工作台: this year's progress against the targets, this month's key figures and the
monthly 201/301 chart; all figures from the core (``services.return_view.load_dashboard``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from laborstation.indicators import INDICATORS
from laborstation.services.return_view import Dashboard, load_dashboard

PROGRESS_HEADERS = ("指标名称", "代码", "本月", "本年累计", "年度目标", "完成(%)", "进度")
_AHEAD, _BEHIND = "#2e7d32", "#c77700"


def _bar(percent, expected: float, parent) -> QProgressBar:
    bar = QProgressBar(parent)
    bar.setRange(0, 100)
    value = float(percent) if percent is not None else 0.0
    bar.setValue(int(min(100.0, value)))
    bar.setFormat(f"{value:.1f}%")
    bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
    colour = _AHEAD if value >= expected else _BEHIND
    bar.setStyleSheet(
        "QProgressBar { border: 1px solid #c9d1da; border-radius: 3px; background: #f1f3f6;"
        " margin: 3px 6px; }"
        f"QProgressBar::chunk {{ background: {colour}; border-radius: 2px; }}")
    bar.setToolTip(("达到时间进度" if value >= expected else "落后于时间进度")
                   + f"（时间进度 {expected:.1f}%）")
    return bar


class DashboardPage(QWidget):
    def __init__(self, store, tasks, parent=None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.dashboard: Dashboard | None = None
        self.charts: dict = {}
        self._loaded_once = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)

        top = QHBoxLayout()
        title = QLabel(self.tr("工作台"), self)
        title.setObjectName("PageTitle")
        top.addWidget(title)
        top.addSpacing(16)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("Hint")
        top.addWidget(self.subtitle, 1)
        refresh = QPushButton(self.tr("刷新"), self)
        refresh.clicked.connect(self.load)
        top.addWidget(refresh)
        layout.addLayout(top)

        self.keys_box = QGroupBox(self.tr("本月主要指标"), body)
        self.keys_grid = QGridLayout(self.keys_box)
        self.keys_grid.setHorizontalSpacing(12)
        layout.addWidget(self.keys_box)

        progress_box = QGroupBox(self.tr("年度目标完成进度"), body)
        box = QVBoxLayout(progress_box)
        self.progress_hint = QLabel(progress_box)
        self.progress_hint.setObjectName("Hint")
        box.addWidget(self.progress_hint)
        self.progress = QTableWidget(0, len(PROGRESS_HEADERS), progress_box)
        self.progress.setHorizontalHeaderLabels([self.tr(h) for h in PROGRESS_HEADERS])
        self.progress.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.progress.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.progress.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.progress.verticalHeader().setVisible(False)
        self.progress.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.progress.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(PROGRESS_HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.progress)
        layout.addWidget(progress_box)

        self.chart_box = QGroupBox(self.tr("逐月对比（本年与上年）"), body)
        self.chart_row = QHBoxLayout(self.chart_box)
        layout.addWidget(self.chart_box)
        layout.addStretch(1)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self.load()

    def load(self) -> None:
        self._loaded_once = True
        self.subtitle.setText(self.tr("正在计算……"))
        self.tasks.run(lambda: load_dashboard(self.store), title=self.tr("正在计算工作台…"),
                       on_done=self._show, on_error=self._failed)

    def _failed(self, error) -> None:
        from ui.tasks import error_text

        self.subtitle.setText(error_text(error))

    def _show(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        period = dashboard.period
        expected = period.month * 100 / 12
        self.subtitle.setText(self.tr("{0}  当前报告期 {1}（{2} 至 {3}）").format(
            dashboard.station_name, period.label, f"{period.start:%Y-%m-%d}",
            f"{period.end:%Y-%m-%d}"))
        self._show_keys(dashboard)
        self.progress_hint.setText(self.tr(
            "按本年累计与年度目标计算；时间进度 {0}/12 = {1:.1f}%，绿色为达到时间进度，"
            "橙色为落后。").format(period.month, expected))
        if not dashboard.progress:
            self.progress_hint.setText(self.tr("尚未设置 {0} 年的年度目标（设置 → 年度目标，"
                                               "或命令 laborstation target）。").format(period.year))
        self._show_progress(dashboard, expected)
        self._show_charts(dashboard)

    def _show_keys(self, dashboard: Dashboard) -> None:
        while self.keys_grid.count():
            self.keys_grid.takeAt(0).widget().deleteLater()
        for n, key in enumerate(dashboard.key_figures):
            card = QLabel(self.keys_box)
            card.setTextFormat(Qt.TextFormat.RichText)
            card.setText(
                f"<div style='color:#5d6b78'>{key.name}</div>"
                f"<div><span style='font-size:large; font-weight:600; color:#1f2d3a'>"
                f"{key.month or '0'}</span> {key.unit}</div>"
                f"<div style='color:#5d6b78'>{self.tr('本年累计')} {key.year or '0'}</div>")
            card.setObjectName(f"key_{key.code}")
            card.setStyleSheet("QLabel { background: #f6f8fb; border: 1px solid #dde3ea;"
                               " border-radius: 4px; padding: 6px 10px; }")
            self.keys_grid.addWidget(card, n // 4, n % 4)

    def _show_progress(self, dashboard: Dashboard, expected: float) -> None:
        table = self.progress
        table.setRowCount(len(dashboard.progress))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, p in enumerate(dashboard.progress):
            name = ("    " if INDICATORS[p.code].is_part else "") + p.name
            texts = (name, p.code, p.month or "", p.year or "", p.target,
                     "" if p.percent is None else str(p.percent))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(right)
                elif column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, column, item)
            table.setCellWidget(row, len(PROGRESS_HEADERS) - 1, _bar(p.percent, expected, table))
        height = table.horizontalHeader().height() + table.verticalHeader().length() + 4
        table.setFixedHeight(height)

    def _show_charts(self, dashboard: Dashboard) -> None:
        if not dashboard.monthly:
            self.chart_box.hide()
            return
        from ui.widgets.month_chart import MonthChart

        for code, (this_year, last_year) in dashboard.monthly.items():
            chart = self.charts.get(code)
            if chart is None:
                title = f"{code} {INDICATORS[code].name}（{INDICATORS[code].unit}）"
                chart = self.charts[code] = MonthChart(title, self.chart_box)
                self.chart_row.addWidget(chart)
            chart.set_values(this_year, last_year, dashboard.period.year)
