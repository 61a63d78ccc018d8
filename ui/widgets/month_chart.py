"""A monthly bar chart of one figure: this year beside last year (pyqtgraph, loaded lazily)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

THIS_YEAR, LAST_YEAR = "#2f6f9f", "#b9c7d6"


class MonthChart(QWidget):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        import pyqtgraph as pg

        self._pg = pg
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(self, background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setTitle(title, color="#1f2d3a", size=f"{self.font().pointSize() + 1}pt")
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTextPen("#333")
            self.plot.getAxis(axis).setPen("#999")
            self.plot.getAxis(axis).setStyle(tickFont=self.font())
        self.plot.setMinimumHeight(self.fontMetrics().height() * 11)
        layout.addWidget(self.plot)
        self.values: tuple[list[int], list[int]] = ([], [])

    def set_values(self, this_year: list[int], last_year: list[int], year: int) -> None:
        pg = self._pg
        self.values = (list(this_year), list(last_year))
        self.plot.clear()
        legend = self.plot.plotItem.legend or self.plot.addLegend(offset=(-8, 4), colCount=2)
        legend.clear()
        legend.setLabelTextColor("#333")
        months = list(range(1, len(this_year) + 1))
        last = pg.BarGraphItem(x=[m + 0.2 for m in months], height=last_year, width=0.38,
                               brush=LAST_YEAR, pen=None)
        this = pg.BarGraphItem(x=[m - 0.2 for m in months], height=this_year, width=0.38,
                               brush=THIS_YEAR, pen=None)
        self.plot.addItem(this)
        self.plot.addItem(last)
        legend.addItem(this, f"{year}年")
        legend.addItem(last, f"{year - 1}年")
        self.plot.getAxis("bottom").setTicks([[(m, f"{m}月") for m in range(1, 13)]])
        self.plot.setXRange(0.4, 12.6, padding=0)
        top = max([*this_year, *last_year, 1])
        self.plot.setYRange(0, top * 1.3, padding=0)
