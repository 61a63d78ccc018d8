"""The register's households table: lazy rows of ``browse_households.HouseholdRow``."""

from __future__ import annotations

import dataclasses
from enum import IntEnum

from PySide6.QtCore import Qt, Signal

from laborstation.codes import code_list
from laborstation.services import browse_households
from ui.models.lazy import CENTER, LEFT, LazyTableModel


class HCol(IntEnum):
    NUMBER = 0
    HEAD = 1
    HEAD_ID = 2
    VILLAGE = 3
    GROUP = 4
    MEMBERS = 5
    CATEGORY = 6
    PHONE = 7
    ADDRESS = 8


SORT_BY = {HCol.NUMBER: "number", HCol.CATEGORY: "category", HCol.VILLAGE: "default"}


class HouseholdTableModel(LazyTableModel):
    query_changed = Signal()

    def __init__(self, store, parent=None):
        super().__init__(lambda ids: browse_households.household_rows(store, ids), parent)
        self.store = store
        self.query = browse_households.HouseholdQuery()
        self.headers = [
            self.tr("户编号"), self.tr("户主"), self.tr("户主身份证号"), self.tr("行政村"),
            self.tr("小组"), self.tr("人数"), self.tr("户类别"), self.tr("联系电话"),
            self.tr("住址"),
        ]
        self.alignments = [CENTER if c == HCol.MEMBERS else LEFT for c in HCol]
        self._category = code_list("household_category")

    def set_query(self, query: browse_households.HouseholdQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        self.set_ids(browse_households.household_ids(self.store, self.query))
        self.query_changed.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_BY.get(HCol(column)) if 0 <= column < len(HCol) else None
        self.query = dataclasses.replace(
            self.query, sort=key or "default", descending=order == Qt.SortOrder.DescendingOrder
        )
        ids = browse_households.household_ids(self.store, self.query)
        self.beginResetModel()  # rows stay cached by id; only the order changes
        self._ids = ids
        self.endResetModel()
        self.query_changed.emit()

    def texts(self, row: browse_households.HouseholdRow) -> tuple[str, ...]:
        return (
            row.number, row.head_name, row.head_id_number, row.village, row.group,
            str(row.members), self._category.name_of(row.category), row.phone, row.address,
        )
