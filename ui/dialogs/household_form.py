"""The household form: its fields, and its members (add, move to another household, set head).

A new household is saved first; then members can be added. Member changes are
service calls made at once (each one transaction) and the list is read again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from laborstation.errors import UserError
from laborstation.services import browse_households, register
from ui.dialogs.person_form import _required
from ui.widgets.code_combo import CodeCombo
from ui.widgets.dialog_parts import add_buttons, error_label
from ui.widgets.enter_moves import EnterMovesFocus


class HouseholdForm(QDialog):
    changed = Signal()  # something was written (the register refreshes)
    add_member_requested = Signal(int)  # household id

    def __init__(self, store, household_id: int | None = None, *, village_id: int | None = None,
                 parent=None):
        super().__init__(parent)
        self.store = store
        self.record: register.HouseholdRecord | None = None
        self.setWindowTitle(self.tr("户信息"))
        self.setMinimumWidth(780)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.setContentsMargins(18, 16, 18, 14)

        box = QGroupBox(self.tr("户"), self)
        form = QFormLayout(box)
        form.setSpacing(8)
        self.village = QComboBox(box)
        self.group = QComboBox(box)
        self.number = QLineEdit(box)
        self.category = CodeCombo("household_category", parent=box)
        self.address = QLineEdit(box)
        self.phone = QLineEdit(box)
        form.addRow(QLabel(_required(self.tr("行政村"))), self.village)
        form.addRow(self.tr("村民小组"), self.group)
        form.addRow(self.tr("户编号"), self.number)
        form.addRow(self.tr("户类别"), self.category)
        form.addRow(self.tr("住址"), self.address)
        form.addRow(self.tr("联系电话"), self.phone)
        layout.addWidget(box)
        self._villages = [n for n in browse_households.area_nodes(store) if n.level in ("village", "group")]
        for node in self._villages:
            if node.level == "village":
                self.village.addItem(node.name, node.id)
        self.village.currentIndexChanged.connect(self._village_changed)

        self.members_box = QGroupBox(self.tr("家庭成员"), self)
        members = QVBoxLayout(self.members_box)
        self.members = QTableWidget(0, 5, self.members_box)
        self.members.setHorizontalHeaderLabels(
            [self.tr("姓名"), self.tr("身份证号"), self.tr("性别"), self.tr("年龄"), self.tr("与户主关系")])
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.verticalHeader().setVisible(False)
        header = self.members.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.members.setMinimumHeight(self.fontMetrics().height() * 12)
        members.addWidget(self.members)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加成员…"), self.members_box)
        self.bring_button = QPushButton(self.tr("迁入已登记人员…"), self.members_box)
        self.move_button = QPushButton(self.tr("迁到其他户…"), self.members_box)
        self.head_button = QPushButton(self.tr("设为户主"), self.members_box)
        for button in (self.add_button, self.bring_button, self.move_button, self.head_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        members.addLayout(buttons)
        self.note = QLabel(self.members_box)
        self.note.setObjectName("FieldInfo")
        self.note.setWordWrap(True)
        members.addWidget(self.note)
        layout.addWidget(self.members_box, 1)
        self.add_button.clicked.connect(lambda: self.add_member_requested.emit(self.record.id))
        self.bring_button.clicked.connect(self.bring_in)
        self.move_button.clicked.connect(self.move_selected)
        self.head_button.clicked.connect(self.make_head)

        self.error = error_label(self)
        layout.addWidget(self.error)
        self.save_button, close = add_buttons(
            layout, self, (self.tr("保存"), self.save), (self.tr("关闭"), self.accept)
        )

        if household_id is not None:
            self.load(household_id)
        else:
            if village_id is not None:
                self.village.setCurrentIndex(max(0, self.village.findData(village_id)))
            self._village_changed()
            self.members_box.setEnabled(False)
            self.note.setText(self.tr("保存户以后即可添加成员。"))
        EnterMovesFocus(self)

    # -- fields --------------------------------------------------------------------------------

    def _village_changed(self) -> None:
        village_id = self.village.currentData()
        self.group.clear()
        self.group.addItem(self.tr("（不分组）"), None)
        for node in self._villages:
            if node.level == "group" and node.parent_id == village_id:
                self.group.addItem(node.name, node.id)
        if self.record is None and village_id is not None:
            self.number.setText(register.household_number_suggestion(self.store, village_id))

    def load(self, household_id: int) -> None:
        self.record = record = register.get_household(self.store, household_id)
        self.setWindowTitle(self.tr("户信息 — 户编号 {0}").format(record.number or record.id))
        self.village.blockSignals(True)
        self.village.setCurrentIndex(max(0, self.village.findData(record.village_id)))
        self.village.blockSignals(False)
        self._village_changed()
        self.group.setCurrentIndex(max(0, self.group.findData(record.group_id)))
        self.number.setText(record.number or "")
        self.category.set_code(record.category)
        self.address.setText(record.address)
        self.phone.setText(record.phone)
        self.members_box.setEnabled(True)
        self.members.setRowCount(len(record.members))
        for row, m in enumerate(record.members):
            head = self.tr("（户主）") if m.is_head else ""
            for column, text in enumerate(
                (m.name + head, m.id_number, m.sex_name, str(m.age), m.relation_name)
            ):
                self.members.setItem(row, column, QTableWidgetItem(text))
        self.note.setText(record.note)

    def values(self) -> register.HouseholdInput:
        return register.HouseholdInput(
            number=self.number.text().strip() or None,
            village_id=self.village.currentData(),
            group_id=self.group.currentData(),
            address=self.address.text().strip(),
            phone=self.phone.text().strip(),
            category=self.category.code() or "0",
        )

    def _call(self, fn) -> object | None:
        try:
            result = fn()
        except UserError as error:
            self.error.setText(str(error))
            return None
        self.error.clear()
        self.changed.emit()
        return result

    def save(self) -> None:
        data = self.values()
        if self.record is None:
            saved = self._call(lambda: register.create_household(self.store, data))
        else:
            changes = {f: getattr(data, f) for f in ("number", "village_id", "group_id",
                                                     "address", "phone", "category")}
            saved = self._call(lambda: register.update_household(self.store, self.record.id,
                                                                  **changes))
        if saved is not None:
            self.load(saved.id)
            self.note.setText(self.tr("已保存。"))

    # -- members -------------------------------------------------------------------------------

    def selected_member(self) -> register.PersonRecord | None:
        rows = self.members.selectionModel().selectedRows()
        if not rows or self.record is None:
            return None
        return self.record.members[rows[0].row()]

    def make_head(self) -> None:
        member = self.selected_member()
        if member is None:
            self.error.setText(self.tr("请先在成员列表中选择一人。"))
            return
        result = self._call(lambda: register.set_head(self.store, self.record.id, member.id))
        if result is not None:
            self.load(self.record.id)
            self.note.setText(result.note or self.tr("已把 {0} 设为户主。").format(member.name))

    def move_selected(self) -> None:
        member = self.selected_member()
        if member is None:
            self.error.setText(self.tr("请先在成员列表中选择一人。"))
            return
        ids = browse_households.household_ids(self.store, browse_households.HouseholdQuery(village_id=self.record.village_id))
        rows = [r for r in browse_households.household_rows(self.store, ids[:2000]) if r.id != self.record.id]
        labels = [f"{r.number or r.id}  {r.head_name}" for r in rows]
        label, ok = QInputDialog.getItem(self, self.tr("迁到其他户"),
                                         self.tr("把 {0} 迁到：").format(member.name), labels, 0, True)
        if not ok or label not in labels:
            return
        self.move_member(member.id, rows[labels.index(label)].id)

    def move_member(self, person_id: int, household_id: int | None) -> None:
        result = self._call(lambda: register.move_person(self.store, person_id, household_id))
        if result is not None:
            self.load(self.record.id)

    def bring_in(self) -> None:
        text, ok = QInputDialog.getText(self, self.tr("迁入已登记人员"),
                                        self.tr("输入要迁入人员的身份证号："))
        if ok and text.strip():
            self.bring_in_id_number(text)

    def bring_in_id_number(self, text: str) -> None:
        person = self._call(lambda: register.find_by_id_number(self.store, text))
        if person is None:
            if not self.error.text():
                self.error.setText(self.tr("没有找到身份证号为 {0} 的人员。").format(text.strip()))
            return
        self.move_member(person.id, self.record.id)
