"""The duplicate warning shown before a person is saved.

Same ID number: refused, with a button to open the registered person. Same
name and birth date, or a homophone of the same birth year in the same village:
the two are shown side by side and the clerk may save anyway.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from laborstation import idnumber
from laborstation.codes import code_list
from laborstation.services import register

SAVE, OPEN, CANCEL = "save", "open", "cancel"


class DuplicateDialog(QDialog):
    def __init__(self, data: register.PersonInput, candidates: list[register.DuplicateCandidate],
                 parent=None):
        super().__init__(parent)
        self.choice = CANCEL
        self.candidates = candidates
        self.blocking = next((c for c in candidates if c.blocking), None)
        self.setWindowTitle(self.tr("可能重复登记"))
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.setContentsMargins(18, 16, 18, 14)
        heading = QLabel(self.tr("身份证号已登记，不能重复保存。") if self.blocking
                         else self.tr("发现可能是同一人的已登记人员，请核对："), self)
        heading.setObjectName("PageTitle")
        layout.addWidget(heading)
        for candidate in candidates:
            message = QLabel("• " + candidate.message, self)
            message.setWordWrap(True)
            message.setObjectName("FieldError" if candidate.blocking else "")
            layout.addWidget(message)
        self.table = self._side_by_side(data, candidates)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        if self.blocking:
            self.open_button = QPushButton(self.tr("打开已登记的人员"), self)
            self.open_button.setObjectName("Primary")
            self.open_button.clicked.connect(lambda: self._done(OPEN))
            row.addWidget(self.open_button)
        else:
            self.save_button = QPushButton(self.tr("不是同一人，仍然保存"), self)
            self.save_button.clicked.connect(lambda: self._done(SAVE))
            row.addWidget(self.save_button)
        back = QPushButton(self.tr("返回修改"), self)
        back.setDefault(True)
        back.clicked.connect(lambda: self._done(CANCEL))
        row.addWidget(back)
        layout.addLayout(row)

    @property
    def existing_id(self) -> int | None:
        return self.blocking.person.id if self.blocking else None

    def _done(self, choice: str) -> None:
        self.choice = choice
        self.accept() if choice != CANCEL else self.reject()

    def _side_by_side(self, data, candidates) -> QTableWidget:
        fields = [self.tr("姓名"), self.tr("身份证号"), self.tr("性别"), self.tr("出生日期"),
                  self.tr("行政村 / 组"), self.tr("户编号"), self.tr("与户主关系"), self.tr("联系电话")]
        table = QTableWidget(len(fields), 1 + len(candidates), self)
        table.setVerticalHeaderLabels(fields)
        table.setHorizontalHeaderLabels(
            [self.tr("正在录入")] + [self.tr("已登记 {0}").format(i + 1) for i in range(len(candidates))])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        relation = code_list("relation")
        try:
            info = idnumber.parse(data.id_number)
            sex, birth = idnumber.sex_name(info.sex), info.birth_date.isoformat()
        except Exception:
            sex, birth = "", ""
        new = [data.name, data.id_number, sex, birth, "", "", relation.name_of(data.relation),
               data.phone]
        columns = [new]
        for c in candidates:
            p = c.person
            columns.append([p.name, p.id_number, p.sex_name, p.birth_date.isoformat(),
                            " ".join(x for x in (p.village_name, p.group_name) if x),
                            p.household_number or "", p.relation_name, p.phone])
        for column, values in enumerate(columns):
            for row, value in enumerate(values):
                item = QTableWidgetItem(value or "")
                if column > 0 and value and value == columns[0][row]:
                    item.setBackground(QColor("#fdebc8"))  # the same as what is being typed
                table.setItem(row, column, item)
        table.setFixedHeight(table.verticalHeader().length() + table.horizontalHeader().height() + 6)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return table


def confirm_no_duplicate(store, data: register.PersonInput,
                         person: register.PersonRecord | None, parent) -> str:
    """SAVE when there is no candidate or the clerk says save anyway; OPEN or CANCEL else.

    After OPEN, ``parent.existing_id`` holds the registered person's id.
    """
    candidates = register.duplicate_candidates(store, data,
                                               exclude_id=person.id if person else None)
    if not candidates:
        return SAVE
    dialog = DuplicateDialog(data, candidates, parent)
    parent.last_duplicate_dialog = dialog
    dialog.exec()
    if dialog.choice == OPEN:
        parent.existing_id = dialog.existing_id
    return dialog.choice
