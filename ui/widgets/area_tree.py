"""The village/group tree on the left of the register: pick where to look."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from laborstation.services import browse_households

AREA_ID, LEVEL = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1


class AreaTree(QTreeWidget):
    """全部 at the top, then county/township/village/group; emits (level, area_id)."""

    area_chosen = Signal(str, object)  # level ('' for all), area id or None

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setMinimumWidth(170)
        self.currentItemChanged.connect(self._changed)
        self.reload()

    def reload(self) -> None:
        current = self.current_area()
        self.blockSignals(True)
        self.clear()
        root = QTreeWidgetItem([self.tr("全部")])
        root.setData(0, AREA_ID, None)
        root.setData(0, LEVEL, "")
        self.addTopLevelItem(root)
        items: dict[int, QTreeWidgetItem] = {}
        nodes = self.nodes = browse_households.area_nodes(self.store)
        for node in nodes:
            label = node.name
            if node.level == "village" and node.persons:
                label = f"{node.name}  ({node.persons})"
            item = QTreeWidgetItem([label])
            item.setData(0, AREA_ID, node.id)
            item.setData(0, LEVEL, node.level)
            items[node.id] = item
        for node in nodes:
            parent = items.get(node.parent_id) if node.parent_id else None
            (parent or root).addChild(items[node.id])
        root.setExpanded(True)
        for node in nodes:
            if node.level in ("county", "township"):
                items[node.id].setExpanded(len(nodes) < 400 or node.level == "county")
        selected = items.get(current[1]) if current[1] else root
        self.setCurrentItem(selected or root)
        self.blockSignals(False)

    def current_area(self) -> tuple[str, int | None]:
        item = self.currentItem()
        if item is None:
            return "", None
        return item.data(0, LEVEL) or "", item.data(0, AREA_ID)

    def select_area(self, area_id: int | None) -> None:
        for item in self.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive):
            if item.data(0, AREA_ID) == area_id:
                self.setCurrentItem(item)
                return

    def _changed(self, current, _previous) -> None:
        if current is not None:
            self.area_chosen.emit(current.data(0, LEVEL) or "", current.data(0, AREA_ID))
