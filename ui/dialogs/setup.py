"""First run: which station this is (name, 12-digit area code), or demo data to explore."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from laborstation.errors import UserError
from laborstation.services.station import county_name, set_station
from ui.dialogs.person_form import _required
from ui.widgets.dialog_parts import add_buttons, error_label
from ui.widgets.enter_moves import EnterMovesFocus

STATION, DEMO = "station", "demo"


class SetupDialog(QDialog):
    """``choice`` is STATION (the station was saved) or DEMO (the caller generates the demo)."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.choice: str | None = None
        self.setWindowTitle(self.tr("首次使用 — 设置填报单位"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.setContentsMargins(20, 18, 20, 16)
        welcome = QLabel(self.tr("欢迎使用劳动保障所台账程序"), self)
        welcome.setObjectName("PageTitle")
        layout.addWidget(welcome)
        intro = QLabel(self.tr("这个数据库还是空的。请填写本所（填报单位）的名称和 12 位统计用区划代码；"
                               "行政村和村民小组以后可以在户籍台账中随时添加。"), self)
        intro.setWordWrap(True)
        intro.setObjectName("Hint")
        layout.addWidget(intro)

        self.own = QRadioButton(self.tr("登记本所信息，开始正式使用"), self)
        self.own.setChecked(True)
        layout.addWidget(self.own)
        self.form_box = QGroupBox(self)
        form = QFormLayout(self.form_box)
        form.setSpacing(8)
        self.name = QLineEdit(self.form_box)
        self.name.setPlaceholderText(self.tr("例如：范县辛庄镇劳动保障所"))
        self.code = QLineEdit(self.form_box)
        self.code.setMaxLength(12)
        self.code.setPlaceholderText(self.tr("12 位数字，例如 410926100000"))
        self.code_hint = QLabel(self.form_box)
        self.code_hint.setObjectName("Hint")
        form.addRow(QLabel(_required(self.tr("单位名称"))), self.name)
        form.addRow(QLabel(_required(self.tr("区划代码"))), self.code)
        form.addRow("", self.code_hint)
        layout.addWidget(self.form_box)
        self.demo = QRadioButton(self.tr("先用演示数据熟悉程序（一个乡镇约两万人，全部是虚构的）"), self)
        layout.addWidget(self.demo)
        demo_hint = QLabel(self.tr("演示数据写入当前数据库。正式使用时请另建一个数据库文件。"), self)
        demo_hint.setObjectName("Hint")
        demo_hint.setWordWrap(True)
        layout.addWidget(demo_hint)
        self.own.toggled.connect(self.form_box.setEnabled)
        self.code.textChanged.connect(self._code_changed)

        self.error = error_label(self)
        layout.addWidget(self.error)
        self.ok, cancel = add_buttons(
            layout, self, (self.tr("开始"), self.try_accept), (self.tr("退出"), self.reject)
        )
        EnterMovesFocus(self)

    def _code_changed(self, text: str) -> None:
        text = text.strip()
        county = county_name(text[:6]) if len(text) >= 6 and text[:6].isdigit() else None
        if len(text) < 6:
            self.code_hint.setText("")
        elif county is None:
            self.code_hint.setText(self.tr("前 6 位不是县级行政区划代码"))
        else:
            self.code_hint.setText(self.tr("所属县：{0}").format(county))

    def try_accept(self) -> None:
        if self.demo.isChecked():
            self.choice = DEMO
            self.accept()
            return
        try:
            set_station(self.store, name=self.name.text(), code=self.code.text())
        except UserError as error:
            self.error.setText(str(error))
            return
        self.choice = STATION
        self.accept()
