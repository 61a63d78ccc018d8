"""户籍台账: the village/group tree, the search and filters, the lazy people/households table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from laborstation.services import browse, browse_households
from ui.models.household_table import HouseholdTableModel
from ui.models.person_table import Col, PersonTableModel
from ui.widgets.area_tree import AreaTree
from ui.widgets.filter_bar import FilterBar

PERSONS, HOUSEHOLDS = "persons", "households"


class RegisterPage(QWidget):
    """Emits requests; the main window's register actions (ui.register_actions) carry them out."""

    open_person = Signal(int)
    open_household = Signal(int)
    new_person = Signal()
    new_household = Signal()
    delete_selected = Signal()
    import_ledger = Signal()
    counts_changed = Signal(int)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.mode = PERSONS
        self.persons = PersonTableModel(store, self)
        self.households = HouseholdTableModel(store, self)
        self._area: tuple[str, int | None] = ("", None)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        layout.addLayout(self._top_row())
        self.filters = FilterBar(self)
        self.filters.changed.connect(self.apply_filters)
        layout.addWidget(self.filters)

        self.tree = AreaTree(store, self)
        self.tree.area_chosen.connect(self._area_chosen)
        self.table = QTableView(self)
        self.table.setObjectName("RegisterTable")
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.doubleClicked.connect(self._open_row)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1000])
        layout.addWidget(splitter, 1)

        self.persons.query_changed.connect(self._show_count)
        self.households.query_changed.connect(self._show_count)
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self._open_current)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, lambda: self.delete_selected.emit())
        self._set_mode(PERSONS)

    def _top_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        title = QLabel(self.tr("户籍台账"), self)
        title.setObjectName("PageTitle")
        row.addWidget(title)
        row.addSpacing(16)
        self.view_group = QButtonGroup(self)
        for mode, text in ((PERSONS, self.tr("按人员")), (HOUSEHOLDS, self.tr("按户"))):
            button = QPushButton(text, self)
            button.setCheckable(True)
            button.setProperty("mode", mode)
            self.view_group.addButton(button)
            row.addWidget(button)
        self.view_group.buttons()[0].setChecked(True)
        self.view_group.buttonClicked.connect(lambda b: self._set_mode(b.property("mode")))
        row.addSpacing(16)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("CountLabel")
        row.addWidget(self.count_label)
        row.addStretch(1)
        for text, signal, tip in (
            (self.tr("新增人员"), self.new_person, "Ctrl+N"),
            (self.tr("新增户"), self.new_household, "Ctrl+Shift+N"),
            (self.tr("删除"), self.delete_selected, "Delete"),
            (self.tr("导入台账…"), self.import_ledger, "Ctrl+I"),
        ):
            button = QPushButton(text, self)
            button.setToolTip(f"{text}（{tip}）")
            button.clicked.connect(lambda _checked=False, s=signal: s.emit())
            if text == self.tr("新增人员"):
                button.setObjectName("Primary")
            row.addWidget(button)
        return row

    # -- state ------------------------------------------------------------------------------

    @property
    def model(self):
        return self.persons if self.mode == PERSONS else self.households

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        for widget in (self.filters.labour, self.filters.status, self.filters.hard,
                       self.filters.placed):
            widget.setEnabled(mode == PERSONS)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = ([70, 45, 165, 45, 80, 55, 150, 85, 110, 85, 70] if mode == PERSONS
                  else [140, 80, 170, 90, 60, 45, 80, 110, 200])
        scale = max(1.0, self.fontMetrics().height() / 23)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, int(width * scale))
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        total = sum(self.splitter.sizes()) or 1200
        self.splitter.setSizes([int(200 * scale), max(400, total - int(200 * scale))])
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(False)
        self.apply_filters()

    def _area_chosen(self, level: str, area_id) -> None:
        self._area = (level, area_id)
        self.apply_filters()

    def _area_filter(self) -> dict:
        level, area_id = self._area
        return {
            "township_id": area_id if level == "township" else None,
            "village_id": area_id if level == "village" else None,
            "group_id": area_id if level == "group" else None,
        }

    def person_query(self) -> browse.PersonQuery:
        old = self.persons.query
        return browse.PersonQuery(**self.filters.values(), **self._area_filter(),
                                  sort=old.sort, descending=old.descending)

    def household_query(self) -> browse_households.HouseholdQuery:
        values = self.filters.values()
        old = self.households.query
        return browse_households.HouseholdQuery(text=values["text"], category=values["category"],
                                     sort=old.sort, descending=old.descending,
                                     **self._area_filter())

    def apply_filters(self) -> None:
        if self.mode == PERSONS:
            self.persons.set_query(self.person_query())
        else:
            self.households.set_query(self.household_query())

    def reload(self) -> None:
        """After a write: the tree's counts and the table's rows are read again."""
        self.tree.reload()
        self.apply_filters()

    def _show_count(self) -> None:
        count = self.model.rowCount()
        unit = self.tr("人") if self.mode == PERSONS else self.tr("户")
        self.count_label.setText(self.tr("共 {0} {1}").format(f"{count:,}", unit))
        self.counts_changed.emit(count)

    def tree_nodes(self) -> list[browse_households.AreaNode]:
        return self.tree.nodes

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # -- selection --------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.id_at(r) for r in rows) if i is not None]

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def select_id(self, id_: int) -> None:
        row = self.model.row_of(id_)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, Col.NAME))

    def _open_current(self) -> None:
        self._open_row(self.table.currentIndex())

    def _open_row(self, index) -> None:
        id_ = self.model.id_at(index.row()) if index.isValid() else None
        if id_ is None:
            return
        (self.open_person if self.mode == PERSONS else self.open_household).emit(id_)
