"""数据备份: the copies beside the database, 立即备份, 备份到U盘, 恢复; the automatic backups.

Copies are made and listed on the worker (reading the counts of each copy
takes a moment on a county database). Restoring needs the head, closes the
store and hands the reopened one to the application (``restored`` signal),
which asks for a login again and builds a new window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from laborstation.config import backups_dir_for
from laborstation.db import backup
from laborstation.services import authz

AUTO_EVERY_MS = 30 * 60_000
HEADERS = ("备份时间", "类型", "大小", "人员", "户", "转移就业", "文件")


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"


class BackupsPage(QWidget):
    restored = Signal(object)  # the reopened store
    backed_up = Signal(object)  # BackupInfo

    def __init__(self, store, tasks, parent=None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.backups: list[backup.BackupInfo] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        top = QHBoxLayout()
        title = QLabel(self.tr("数据备份"), self)
        title.setObjectName("PageTitle")
        top.addWidget(title)
        top.addStretch(1)
        self.now_button = QPushButton(self.tr("立即备份"), self)
        self.now_button.setObjectName("Primary")
        self.now_button.clicked.connect(lambda: self.backup_now())
        self.usb_button = QPushButton(self.tr("备份到U盘…"), self)
        self.usb_button.clicked.connect(self.backup_to_folder_dialog)
        self.restore_button = QPushButton(self.tr("恢复所选…"), self)
        self.restore_button.clicked.connect(self.restore_selected)
        for button in (self.now_button, self.usb_button, self.restore_button):
            top.addWidget(button)
        layout.addLayout(top)
        self.hint = QLabel(self)
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        for column, width in enumerate((150, 100, 80, 80, 70, 80)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        layout.addWidget(self.status)
        self.apply_role()

    @property
    def supported(self) -> bool:
        return self.store.is_sqlite and self.store.path is not None

    def apply_role(self) -> None:
        if not self.supported:
            self.hint.setText(backup.PG_DUMP_MESSAGE)
            for button in (self.now_button, self.usb_button, self.restore_button):
                button.setEnabled(False)
            return
        self.hint.setText(self.tr(
            "备份保存在数据库旁边的 backups 文件夹：程序每 30 分钟（有修改时）和关闭时自动备份，"
            "旧备份按天、周、月自动精简。请定期“备份到U盘”，以防电脑损坏。"))
        self.now_button.setEnabled(authz.can(self.store, authz.BACKUP))
        self.usb_button.setEnabled(authz.can(self.store, authz.BACKUP))
        self.restore_button.setEnabled(authz.can(self.store, authz.RESTORE))
        self.restore_button.setToolTip("" if authz.can(self.store, authz.RESTORE)
                                       else self.tr("只有所长可以恢复备份"))

    def showEvent(self, event) -> None:
        self.reload()
        super().showEvent(event)

    # -- list -----------------------------------------------------------------------------------

    def reload(self) -> None:
        if not self.supported:
            return
        path = self.store.path
        self.tasks.run(lambda: backup.list_backups(path), title=self.tr("正在读取备份…"),
                       on_done=self._show, cancellable=False)

    def _show(self, backups) -> None:
        self.backups = list(backups)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            counts = info.counts
            texts = (f"{info.made_at:%Y-%m-%d %H:%M}", info.reason_name, _size(info.size),
                     f"{counts.persons:,}" if counts else "?", f"{counts.households:,}" if counts else "?",
                     f"{counts.placements:,}" if counts else "?", info.path.name)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if 2 <= column <= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        folder = backups_dir_for(self.store.path) if self.backups else None
        self.status.setText(self.tr("共 {0} 份备份").format(len(self.backups))
                            + (f"，{self.tr('位于')} {folder}" if folder else ""))

    # -- backing up -----------------------------------------------------------------------------

    def backup_now(self, dest_dir: str | None = None, on_done=None) -> None:
        authz.require(self.store, authz.BACKUP)
        store = self.store

        def done(info) -> None:
            self.backed_up.emit(info)
            self.reload()
            if on_done is not None:
                on_done(info)
            else:
                self.status.setText(self.tr("已备份：{0}").format(info.path))

        self.tasks.run(lambda: backup.make_backup(store, reason="manual", dest_dir=dest_dir),
                       title=self.tr("正在备份…"), on_done=done, cancellable=False)

    def backup_to_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择U盘或文件夹"))
        if not folder:
            return

        def done(info) -> None:
            QMessageBox.information(self, self.tr("备份完成"),
                                    self.tr("已备份到 {0}（{1}）").format(info.path, _size(info.size)))

        self.backup_now(folder, on_done=done)

    # -- restoring ------------------------------------------------------------------------------

    def selected(self) -> backup.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def restore_selected(self) -> None:
        from ui.dialogs.restore import confirm_restore

        info = self.selected()
        if info is None:
            QMessageBox.information(self, self.tr("恢复备份"), self.tr("请先在列表中选择一份备份。"))
            return
        if confirm_restore(self, info):
            self.restore_file(info.path)

    def restore_file(self, path):
        """Swap the database for this copy; emits ``restored(new_store)``. Returns the new store."""
        from laborstation.errors import UserError
        from ui.dialogs.restore import restore_and_reopen
        from ui.tasks import show_error

        authz.require(self.store, authz.RESTORE)
        if self.tasks.busy:
            QMessageBox.information(self, self.tr("恢复备份"), self.tr("后台工作尚未完成，请稍后再试。"))
            return None
        self.tasks.shutdown()  # nothing may touch the old store from the worker any more
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            new_store, _result = restore_and_reopen(self.store, path)
        except UserError as error:
            QApplication.restoreOverrideCursor()
            show_error(self, error)
            reopened = getattr(error, "reopened", None)
            if reopened is not None:  # the old file, open again: the window must move to it
                self.restored.emit(reopened)
            return reopened
        QApplication.restoreOverrideCursor()
        self.restored.emit(new_store)
        return new_store


class AutoBackup(QObject):
    """Every 30 minutes ``auto_backup`` on the worker (it copies only when due); on close, a last copy."""

    def __init__(self, store, tasks, parent=None, every_ms: int = AUTO_EVERY_MS):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(every_ms)

    def tick(self) -> None:
        if not self.store.is_sqlite or self.tasks.busy:
            return
        store = self.store
        self.tasks.run(lambda: backup.auto_backup(store), title="正在自动备份…",
                       on_error=lambda _error: None, cancellable=False)

    def on_close(self):
        """Called after the worker has stopped: the close backup, synchronously (then thinned)."""
        self.timer.stop()
        if not self.store.is_sqlite or self.store.path is None:
            return None
        try:
            return backup.auto_backup(self.store, reason="close", every_hours=0)
        except Exception:  # a failed close backup must not keep the program from closing
            import logging

            logging.getLogger(__name__).exception("backup on close failed")
            return None
