"""设置: the font size at this PC and the station (name, area code) of this database."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from laborstation.services.station import get_station
from ui import style


class SettingsPage(QWidget):
    font_changed = Signal(int)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(14)
        title = QLabel(self.tr("设置"), self)
        title.setObjectName("PageTitle")
        layout.addWidget(title)

        look = QGroupBox(self.tr("显示"), self)
        form = QFormLayout(look)
        form.setSpacing(10)
        self.font_size = QComboBox(look)
        names = [self.tr("标准"), self.tr("较大"), self.tr("大"), self.tr("特大")]
        for size, name in zip(style.FONT_SIZES, names, strict=True):
            self.font_size.addItem(f"{name}（{size} 磅）", size)
        self.font_size.setCurrentIndex(self.font_size.findData(style.font_size()))
        self.font_size.setMaximumWidth(260)
        self.font_size.currentIndexChanged.connect(self._font_chosen)
        form.addRow(self.tr("字体大小"), self.font_size)
        layout.addWidget(look)

        unit = QGroupBox(self.tr("填报单位"), self)
        self.unit_form = QFormLayout(unit)
        self.unit_form.setSpacing(10)
        self.station_name = QLabel(unit)
        self.station_code = QLabel(unit)
        self.database = QLabel(unit)
        self.database.setWordWrap(True)
        self.unit_form.addRow(self.tr("单位名称"), self.station_name)
        self.unit_form.addRow(self.tr("区划代码"), self.station_code)
        self.unit_form.addRow(self.tr("数据库"), self.database)
        layout.addWidget(unit)
        note = QLabel(self.tr("行政村和村民小组可在户籍台账左侧的区划树中随时添加（右键菜单）。"), self)
        note.setObjectName("Hint")
        layout.addWidget(note)
        layout.addStretch(1)
        from ui.pages.users import security_boxes

        security_boxes(self)  # 安全 (idle lock) and 账号管理 (head only)
        self.reload()

    def reload(self) -> None:
        station = get_station(self.store)
        self.station_name.setText(station.name if station else self.tr("（未设置）"))
        self.station_code.setText(station.area_code if station else "")
        self.database.setText(self.store.display_name)

    def _font_chosen(self) -> None:
        size = int(self.font_size.currentData())
        style.set_font_size(size)
        self.font_changed.emit(size)
