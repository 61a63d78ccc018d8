"""回收站: deleted households and persons, newest first, with 恢复."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class RecycleBinPage(QWidget):
    restored = Signal()

    def __init__(self, store, tasks, parent=None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.items: list = []  # services.recycle.RecycleItem
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        top = QHBoxLayout()
        title = QLabel(self.tr("回收站"), self)
        title.setObjectName("PageTitle")
        top.addWidget(title)
        hint = QLabel(self.tr("删除的户和人员放在这里，可以恢复；恢复户时一并恢复随户删除的成员。"), self)
        hint.setObjectName("Hint")
        top.addWidget(hint, 1)
        self.restore_button = QPushButton(self.tr("恢复所选"), self)
        self.restore_button.setObjectName("Primary")
        self.restore_button.clicked.connect(self.restore_selected)
        top.addWidget(self.restore_button)
        layout.addLayout(top)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("类别"), self.tr("内容"), self.tr("删除时间")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 80)
        self.table.setColumnWidth(2, 170)
        layout.addWidget(self.table, 1)

    def showEvent(self, event) -> None:
        self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        from laborstation.services import recycle

        self.items = recycle.recycle_bin(self.store)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            for column, text in enumerate(
                (item.kind_name, item.label, f"{item.deleted_at:%Y-%m-%d %H:%M}")
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.restore_button.setEnabled(bool(self.items))

    def restore_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        chosen = [self.items[r] for r in rows if r < len(self.items)]
        if not chosen:
            return

        from laborstation.services import recycle

        def work():
            for item in chosen:
                recycle.restore(self.store, item.kind, item.id)

        def done(_result):
            self.reload()
            self.restored.emit()

        self.tasks.run(work, title=self.tr("正在恢复…"), on_done=done, on_error=self._failed)

    def _failed(self, error) -> None:
        from ui.tasks import show_error

        self.reload()
        self.restored.emit()
        show_error(self, error)
