"""The person page: who they are, and tabs with their placements, trainings, assistance, cases.

The lists are read-only until the work-area pages add editing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from laborstation.codes import code_list
from laborstation.model.training import RESULT_NAMES
from laborstation.services import assistance, browse, masking, placements, register, training
from ui.widgets.screen_fit import fit_to_screen


def _table(headers: list[str], rows: list[list[str]], parent) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    return table


def _day(value) -> str:
    return value.isoformat() if value else ""


class PersonView(QDialog):
    edit_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, store, person_id: int, parent=None):
        super().__init__(parent)
        self.store = store
        self.person_id = person_id
        fit_to_screen(self, (1000, 620), (820, 560))
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(18, 16, 18, 14)
        self.layout_.setSpacing(10)
        self.reload()

    def reload(self) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
            elif item.layout() is not None:
                self._clear(item.layout())
        p = register.get_person(self.store, self.person_id)
        self.person = p
        self.setWindowTitle(self.tr("人员 — {0}").format(p.name))
        top = QHBoxLayout()
        title = QLabel(f"{p.name}　{p.sex_name}　{p.age} {self.tr('岁')}", self)
        title.setObjectName("PageTitle")
        top.addWidget(title)
        top.addStretch(1)
        edit = QPushButton(self.tr("修改…"), self)
        edit.setObjectName("Primary")
        edit.clicked.connect(lambda: self.edit_requested.emit(self.person_id))
        delete = QPushButton(self.tr("删除"), self)
        delete.clicked.connect(lambda: self.delete_requested.emit(self.person_id))
        if p.deleted_at is not None:
            edit.setEnabled(False)
            delete.setEnabled(False)
        top.addWidget(edit)
        top.addWidget(delete)
        self.layout_.addLayout(top)

        tabs = QTabWidget(self)
        self.tabs = tabs
        tabs.addTab(self._basic(p), self.tr("基本信息"))
        for title_, builder in (
            (self.tr("转移就业"), self._placements),
            (self.tr("技能培训"), self._trainings),
            (self.tr("就业援助"), self._assistance),
            (self.tr("维权案件"), self._cases),
        ):
            widget, count = builder()
            tabs.addTab(widget, f"{title_}（{count}）")
        self.layout_.addWidget(tabs, 1)
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        self.layout_.addLayout(row)

    def _clear(self, layout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _basic(self, p: register.PersonRecord) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setSpacing(8)
        form.setContentsMargins(16, 12, 16, 12)
        where = " ".join(x for x in (p.village_name, p.group_name) if x)
        masked = masking.should_mask(self.store)  # a viewer sees neither in full
        id_number = masking.mask_id(p.id_number) if masked else p.id_number
        phone = masking.mask_phone(p.phone) if masked else p.phone
        rows = [
            (self.tr("身份证号"), id_number), (self.tr("出生日期"), _day(p.birth_date)),
            (self.tr("出生地"), p.birth_place), (self.tr("民族"), p.nation_name),
            (self.tr("文化程度"), p.education_name), (self.tr("所在村组"), where),
            (self.tr("户编号"), p.household_number or ""),
            (self.tr("与户主关系"), p.relation_name), (self.tr("联系电话"), phone),
            (self.tr("劳动能力"), p.labour_capacity_name),
            (self.tr("本地状态"), p.local_status_name),
            (self.tr("户籍性质"), self.tr("农村") if p.is_rural else self.tr("非农村")),
            (self.tr("技能特长"), p.skills), (self.tr("培训意愿"), p.training_wish),
            (self.tr("住址"), p.address), (self.tr("备注"), p.notes),
        ]
        for label, value in rows:
            text = QLabel(value or "—", page)
            text.setWordWrap(True)
            form.addRow(label, text)
        return page

    def _placements(self) -> tuple[QWidget, int]:
        region = code_list("region_class")
        items = placements.list_for_person(self.store, self.person_id)
        rows = [[_day(i.start_on), _day(i.return_on), i.destination or i.city,
                 region.name_of(i.region_class), i.employer_name,
                 str(i.monthly_wage or ""), self.tr("是") if i.organised else self.tr("否")]
                for i in items]
        headers = [self.tr("外出日期"), self.tr("返乡日期"), self.tr("去向"), self.tr("地域"),
                   self.tr("用工单位"), self.tr("月工资（元）"), self.tr("有组织")]
        return _table(headers, rows, self), len(rows)

    def _trainings(self) -> tuple[QWidget, int]:
        cert = code_list("certificate")
        items = training.list_for_person(self.store, self.person_id)
        rows = [[i.course_name, _day(i.end_on), RESULT_NAMES.get(i.result, i.result),
                 cert.name_of(i.certificate_kind), i.certificate_no] for i in items]
        headers = [self.tr("培训班"), self.tr("结业日期"), self.tr("结果"), self.tr("证书"),
                   self.tr("证书编号")]
        return _table(headers, rows, self), len(rows)

    def _assistance(self) -> tuple[QWidget, int]:
        hardship, posts = code_list("hardship"), code_list("welfare_post_type")
        rows = [[self.tr("就业困难认定"), hardship.name_of(i.category), _day(i.recognised_on),
                 _day(i.ended_on), i.notes]
                for i in assistance.list_hard_to_employ(self.store, person_id=self.person_id)]
        rows += [[self.tr("公益性岗位"), f"{posts.name_of(i.post_type)} {i.post_name}".strip(),
                  _day(i.start_on), _day(i.end_on), i.employer_name]
                 for i in assistance.list_welfare_posts(self.store, person_id=self.person_id)]
        headers = [self.tr("类别"), self.tr("内容"), self.tr("开始"), self.tr("结束"),
                   self.tr("说明")]
        return _table(headers, rows, self), len(rows)

    def _cases(self) -> tuple[QWidget, int]:
        kinds = code_list("rights_case_type")
        rows = [[_day(c.received_on), kinds.name_of(c.case_type), c.employer_name,
                 str(c.amount_claimed), str(c.amount_recovered), c.status_name]
                for c in browse.cases_of_person(self.store, self.person_id)]
        headers = [self.tr("受理日期"), self.tr("类型"), self.tr("用人单位"), self.tr("涉及金额"),
                   self.tr("追回金额"), self.tr("状态")]
        return _table(headers, rows, self), len(rows)
