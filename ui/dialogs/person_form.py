"""The person form: the ID number fills sex, birth date, age and birth place as it is typed.

An invalid number shows its exact fault under the field (the core's message).
Code fields are searchable combo boxes; Enter moves to the next field;
required fields carry a red star. Saving first asks the core for duplicate
candidates (ui.dialogs.duplicates) and only then writes.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from laborstation import idnumber
from laborstation.errors import InvalidIdNumber, UserError
from laborstation.services import browse_households, register
from ui.widgets.code_combo import CodeCombo
from ui.widgets.dialog_parts import error_label, restyle, say
from ui.widgets.enter_moves import EnterMovesFocus

REQUIRED = '<span style="color:#b3261e">*</span> '


def _required(text: str) -> str:
    return REQUIRED + text


class PersonForm(QDialog):
    """New person (``person=None``) or edit one. ``result_input()`` gives the PersonInput."""

    def __init__(self, store, person: register.PersonRecord | None = None, *,
                 household_id: int | None = None, village_id: int | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.person = person
        self.setWindowTitle(self.tr("修改人员信息") if person else self.tr("新增人员"))
        self.setMinimumWidth(720)
        outer = QVBoxLayout(self)
        outer.setSpacing(12)
        outer.setContentsMargins(18, 16, 18, 14)

        identity = QGroupBox(self.tr("身份信息"), self)
        grid = QGridLayout(identity)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.id_number = QLineEdit(identity)
        self.id_number.setObjectName("IdNumber")
        self.id_number.setMaxLength(22)
        self.id_number.setPlaceholderText(self.tr("18 位公民身份号码"))
        self.name = QLineEdit(identity)
        self.name.setMaxLength(40)
        self.id_status = QLabel(identity)
        self.id_status.setWordWrap(True)
        self.derived = QLabel(identity)
        self.derived.setObjectName("FieldInfo")
        self.derived.setWordWrap(True)
        grid.addWidget(QLabel(_required(self.tr("身份证号")), identity), 0, 0)
        grid.addWidget(self.id_number, 0, 1)
        grid.addWidget(QLabel(_required(self.tr("姓名")), identity), 0, 2)
        grid.addWidget(self.name, 0, 3)
        grid.addWidget(self.id_status, 1, 1, 1, 3)
        grid.addWidget(self.derived, 2, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        outer.addWidget(identity)

        details = QGroupBox(self.tr("基本情况"), self)
        columns = QGridLayout(details)
        columns.setHorizontalSpacing(18)
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setSpacing(8)
        columns.addLayout(left, 0, 0)
        columns.addLayout(right, 0, 1)
        self.household = QComboBox(details)
        self.household.setEditable(False)
        self.relation = CodeCombo("relation", blank=self.tr("（未填）"), parent=details)
        self.nation = CodeCombo("nation", parent=details)
        self.education = CodeCombo("education", blank=self.tr("（未填）"), parent=details)
        self.phone = QLineEdit(details)
        self.labour = CodeCombo("labour_capacity", parent=details)
        self.status = CodeCombo("local_status", blank=self.tr("（未填）"), parent=details)
        self.is_rural = QCheckBox(self.tr("农村户籍"), details)
        self.is_rural.setChecked(True)
        self.skills = QLineEdit(details)
        self.wish = QLineEdit(details)
        self.address = QLineEdit(details)
        self.village = QComboBox(details)
        for node in browse_households.area_nodes(store):
            if node.level == "village":
                self.village.addItem(node.name, node.id)
        left.addRow(QLabel(_required(self.tr("行政村"))), self.village)
        left.addRow(QLabel(_required(self.tr("所属户"))), self.household)
        left.addRow(self.tr("与户主关系"), self.relation)
        left.addRow(self.tr("民族"), self.nation)
        left.addRow(self.tr("文化程度"), self.education)
        right.addRow(self.tr("联系电话"), self.phone)
        right.addRow(self.tr("劳动能力"), self.labour)
        right.addRow(self.tr("本地状态"), self.status)
        right.addRow(self.tr("户籍性质"), self.is_rural)
        right.addRow(self.tr("技能特长"), self.skills)
        right.addRow(self.tr("培训意愿"), self.wish)
        columns.addWidget(QLabel(self.tr("住址")), 1, 0, Qt.AlignmentFlag.AlignLeft)
        columns.addWidget(self.address, 2, 0, 1, 2)
        self.notes = QPlainTextEdit(details)
        self.notes.setFixedHeight(54)
        columns.addWidget(QLabel(self.tr("备注")), 3, 0)
        columns.addWidget(self.notes, 4, 0, 1, 2)
        outer.addWidget(details)

        self.error = error_label(self)
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存（Ctrl+Enter）"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        for button in buttons.buttons():
            button.setIcon(QIcon())  # some platform styles add icons; the text is enough
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAutoDefault(False)
        self.save_button.setDefault(False)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.try_accept)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.try_accept)

        self.id_number.textChanged.connect(self._id_changed)
        self._fill_households(household_id, village_id)
        if person is not None:
            self._load(person)
        self._id_changed(self.id_number.text())
        EnterMovesFocus(self)
        self.id_number.setFocus()
        self.accepted_input: register.PersonInput | None = None

    # -- households -----------------------------------------------------------------------------

    def _fill_households(self, household_id: int | None, village_id: int | None) -> None:
        """The village's households, plus 不属于任何户 (the person is only placed in the village)."""
        if self.person is not None:
            household_id = self.person.household_id
            village_id = self.person.village_id
        if household_id is not None and village_id is None:
            village_id = register.get_household(self.store, household_id).village_id
        if village_id is None and self.village.count():
            village_id = self.village.itemData(0)
        self.village.blockSignals(True)
        self.village.setCurrentIndex(max(0, self.village.findData(village_id)))
        self.village.blockSignals(False)
        self.village.currentIndexChanged.connect(lambda _i: self._village_changed(None))
        self._village_changed(household_id)

    def _village_changed(self, household_id: int | None) -> None:
        self.village_id = self.village.currentData()
        self.household.clear()
        if self.village_id is not None:
            query = browse_households.HouseholdQuery(village_id=self.village_id)
            ids = browse_households.household_ids(self.store, query)
            for row in browse_households.household_rows(self.store, ids[:2000]):
                label = f"{row.number or row.id}  {row.head_name or self.tr('（无户主）')}"
                self.household.addItem(label, row.id)
            self.household.addItem(self.tr("不属于任何户（只记在本村）"), None)
        index = self.household.findData(household_id) if household_id is not None else -1
        self.household.setCurrentIndex(max(index, 0))

    # -- the ID number --------------------------------------------------------------------------

    def _id_changed(self, text: str) -> None:
        text = text.strip()
        if not text:
            self._id_state("", "")
            self.derived.clear()
            return
        try:
            info = idnumber.parse(text)
        except InvalidIdNumber as error:
            partial = len(idnumber.normalise(text)) < 18 and error.reason == "length"
            self._id_state("typing" if partial else "invalid",
                           self.tr("还差 {0} 位").format(18 - len(idnumber.normalise(text)))
                           if partial else str(error))
            self.derived.clear()
            return
        self.id_info = info
        age = idnumber.age_at(info.birth_date, date.today())
        self._id_state("valid", self.tr("✓ 号码有效"))
        self.derived.setText(self.tr("性别 {0}　出生日期 {1}　年龄 {2} 岁　出生地 {3}").format(
            idnumber.sex_name(info.sex), f"{info.birth_date:%Y年%m月%d日}", age,
            info.birth_place or self.tr("未知")))

    def _id_state(self, state: str, message: str) -> None:
        self.id_state = state
        self.id_number.setProperty("invalid", state == "invalid")
        restyle(self.id_number)
        say(self.id_status, message,
            {"invalid": "FieldError", "valid": "FieldInfo"}.get(state, "Hint"))

    # -- load and read --------------------------------------------------------------------------

    def _load(self, p: register.PersonRecord) -> None:
        self.id_number.setText(p.id_number)
        self.name.setText(p.name)
        self.relation.set_code(p.relation)
        self.nation.set_code(p.nation)
        self.education.set_code(p.education)
        self.phone.setText(p.phone)
        self.labour.set_code(p.labour_capacity)
        self.status.set_code(p.local_status)
        self.is_rural.setChecked(p.is_rural)
        self.skills.setText(p.skills)
        self.wish.setText(p.training_wish)
        self.address.setText(p.address)
        self.notes.setPlainText(p.notes)

    def current_input(self) -> register.PersonInput:
        household_id = self.household.currentData()
        return register.PersonInput(
            id_number=self.id_number.text().strip(),
            name="".join(self.name.text().split()),
            nation=self.nation.code() or "01",
            education=self.education.code(),
            phone=self.phone.text().strip(),
            household_id=household_id,
            village_id=self.village_id if household_id is None else None,
            relation=self.relation.code(),
            labour_capacity=self.labour.code() or "1",
            is_rural=self.is_rural.isChecked(),
            local_status=self.status.code(),
            skills=self.skills.text().strip(),
            training_wish=self.wish.text().strip(),
            address=self.address.text().strip(),
            notes=self.notes.toPlainText().strip(),
        )

    def check(self) -> str:
        """The first fault a clerk must fix before saving ('' when none)."""
        if self.id_state != "valid":
            return self.id_status.text() or self.tr("请填写身份证号。")
        if not "".join(self.name.text().split()):
            return self.tr("请填写姓名。")
        if self.household.currentData() is None and self.village_id is None:
            return self.tr("请选择人员所在的行政村（可先在户籍台账左侧的区划树中添加）。")
        return ""

    def try_accept(self) -> None:
        fault = self.check()
        if fault:
            self.error.setText(fault)
            (self.id_number if self.id_state != "valid" else self.name).setFocus()
            return
        data = self.current_input()
        from ui.dialogs.duplicates import confirm_no_duplicate

        try:
            verdict = confirm_no_duplicate(self.store, data, self.person, self)
        except UserError as error:
            self.error.setText(str(error))
            return
        if verdict == "open":
            self.open_existing = True
            self.reject()
            return
        if verdict != "save":
            return
        self.accepted_input = data
        self.accept()

    open_existing = False

    def focus_widget_for(self, field: str) -> QWidget:
        return {"id_number": self.id_number, "name": self.name}.get(field, self.name)
