"""A table model that holds only ids and fetches the rows it is asked to paint.

Like Anki's browser table: the service returns the matching ids in order (one
SQL query, sorted and filtered in SQL); ``data()`` looks the row up in a small
cache and, on a miss, fetches the page of ids around it in one ``IN`` query.
Scrolling to the end of 250,000 rows loads a few pages, never the whole table.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

PAGE = 100
MAX_CACHED = 3000

Index = QModelIndex | QPersistentModelIndex
_DISPLAY, _TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
_ALIGN, _FOREGROUND = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole
_ID = Qt.ItemDataRole.UserRole
LEFT = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
CENTER = int(Qt.AlignmentFlag.AlignCenter)


class LazyTableModel(QAbstractTableModel):
    """Subclasses give ``headers``, ``alignments``, ``fetch(ids) -> records`` and ``texts()``."""

    headers: Sequence[str] = ()
    alignments: Sequence[int] = ()

    def __init__(self, fetch: Callable[[list[int]], list[Any]], parent=None):
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[int] = []
        self._total = 0
        self._rest: Callable[[], list[int]] | None = None
        self._cache: OrderedDict[int, tuple[Any, tuple[str, ...]]] = OrderedDict()
        self.rows_fetched = 0  # rows read from the store since the last reset (for the bench)

    # -- the id list --------------------------------------------------------------------------

    def set_ids(self, ids: list[int], total: int | None = None,
                rest: Callable[[], list[int]] | None = None) -> None:
        """Show ``ids``; or, with ``total`` and ``rest``, the first ids of ``total`` rows and a
        function that returns all of them, called only when a row past the first is needed."""
        self.beginResetModel()
        self._ids = list(ids)
        self._total = len(self._ids) if total is None else total
        self._rest = rest if self._total > len(self._ids) else None
        self._cache.clear()
        self.rows_fetched = 0
        self.endResetModel()

    def _complete(self) -> None:
        if self._rest is not None:
            rest, self._rest = self._rest, None
            # If the store changed in between, rows past the new end show empty until the
            # next refresh (no reset from inside data()).
            self._ids = list(rest())

    def ids(self) -> list[int]:
        self._complete()
        return self._ids

    def id_at(self, row: int) -> int | None:
        if row >= len(self._ids) and row < self._total:
            self._complete()
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, id_: int) -> int:
        try:
            return self.ids().index(id_)
        except ValueError:
            return -1

    def forget(self, ids: Sequence[int] | None = None) -> None:
        """Drop cached rows (all, or these) so they are read again; the ids stay."""
        if ids is None:
            self._cache.clear()
        else:
            for id_ in ids:
                self._cache.pop(id_, None)
        if self._total:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._total - 1, self.columnCount() - 1))

    def row_at(self, row: int) -> Any | None:
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def _entry(self, row: int) -> tuple[Any, tuple[str, ...]] | None:
        """(record, display texts) of a row: texts are made once, when the page is read."""
        id_ = self.id_at(row)
        if id_ is None:
            return None
        found = self._cache.get(id_)
        if found is None:
            self._load_page(row)
            found = self._cache.get(id_)
        return found

    def _load_page(self, row: int) -> None:
        if row + PAGE > len(self._ids):
            self._complete()
        start = max(0, row - PAGE // 4)
        wanted = [i for i in self._ids[start : start + PAGE] if i not in self._cache]
        for record in self._fetch(wanted):
            self._cache[record.id] = (record, self.texts(record))
        self.rows_fetched += len(wanted)
        while len(self._cache) > MAX_CACHED:
            self._cache.popitem(last=False)

    @property
    def cached(self) -> int:
        return len(self._cache)

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        # Called for every painted cell and role: kept to a few dictionary lookups.
        if role in (_DISPLAY, _TOOLTIP):
            entry = self._entry(index.row())
            if entry is None:
                return None
            text = entry[1][index.column()]
            return text if role == _DISPLAY or text else None
        if role == _ALIGN:
            return self.alignments[index.column()]
        if role == _FOREGROUND:
            entry = self._entry(index.row())
            return self.foreground(entry[0]) if entry is not None else None
        if role == _ID:
            return self.id_at(index.row())
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def texts(self, record: Any) -> tuple[str, ...]:  # pragma: no cover - abstract
        """The display text of each column of one record."""
        raise NotImplementedError

    def foreground(self, record: Any):
        return None
