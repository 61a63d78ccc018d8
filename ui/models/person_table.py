"""The register's people table: lazy rows of ``browse.PersonRow``, query and sort in SQL."""

from __future__ import annotations

import dataclasses
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor

from laborstation.codes import code_list
from laborstation.idnumber import sex_name
from laborstation.services import browse
from ui.models.lazy import CENTER, LEFT, LazyTableModel


class Col(IntEnum):
    NAME = 0
    SEX = 1
    ID_NUMBER = 2
    AGE = 3
    VILLAGE = 4
    GROUP = 5
    HOUSEHOLD = 6
    RELATION = 7
    PHONE = 8
    LOCAL_STATUS = 9
    CATEGORY = 10


# Which browse sort key a column header sorts by (None: that column does not sort).
SORT_BY = {
    Col.NAME: "name", Col.ID_NUMBER: "id_number", Col.AGE: "birth_date",
    Col.VILLAGE: "village", Col.HOUSEHOLD: "household", Col.PHONE: "phone",
}
_GREY = QColor("#8a949e")


class PersonTableModel(LazyTableModel):
    """Give it a query with ``set_query``; it asks the store for ids, then rows as painted."""

    query_changed = Signal()
    head = 300  # rows read with a keystroke when a search matches many

    def __init__(self, store, parent=None):
        super().__init__(lambda ids: browse.person_rows(store, ids), parent)
        self.store = store
        self.query = browse.PersonQuery()
        self._typed: tuple[str, browse.PersonQuery, list[int] | None] = ("", self.query, None)
        self.headers = [
            self.tr("姓名"), self.tr("性别"), self.tr("身份证号"), self.tr("年龄"),
            self.tr("行政村"), self.tr("小组"), self.tr("户编号"), self.tr("与户主关系"),
            self.tr("联系电话"), self.tr("本地状态"), self.tr("户类别"),
        ]
        self.alignments = [CENTER if c in (Col.SEX, Col.AGE) else LEFT for c in Col]
        self._relation = code_list("relation")
        self._status = code_list("local_status")
        self._category = code_list("household_category")

    def set_query(self, query: browse.PersonQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        """One keystroke's work: the first rows and the count; every id only when scrolled to."""
        query = self.query
        key = browse.normalise_query(query.text)
        within = None
        last_key, last_query, candidates = self._typed
        if (candidates is not None and key != last_key and key.startswith(last_key)
                and dataclasses.replace(last_query, text=query.text) == query):
            within = candidates  # typing on: the longer key matches a subset
        page = browse.person_page(self.store, query, head=self.head, within=within)
        self._typed = (key, query, page.candidates)
        rest = None if page.complete else (lambda: browse.person_ids(self.store, query))
        self.set_ids(page.ids, page.total, rest)
        self.query_changed.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_BY.get(Col(column)) if 0 <= column < len(Col) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if key == "birth_date":  # age up = birth date down
            descending = not descending
        self.query = dataclasses.replace(self.query, sort=key or "default", descending=descending)
        cached = dict(self._cache)
        self.refresh()
        self._cache.update(cached)  # rows stay cached by id; only the order changed
        self.query_changed.emit()

    def foreground(self, record: browse.PersonRow):
        return _GREY if record.deleted_at is not None else None

    def texts(self, row: browse.PersonRow) -> tuple[str, ...]:
        return (
            row.name, sex_name(row.sex), row.id_number, str(row.age), row.village, row.group,
            row.household_number, self._relation.name_of(row.relation), row.phone,
            self._status.name_of(row.local_status),
            self._category.name_of(row.category) if row.category else "",
        )
