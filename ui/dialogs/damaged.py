"""The database file is damaged: restore the newest good backup, or leave."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout


class DamagedDialog(QDialog):
    """Shows ``DamagedDatabase``'s message; accepted = restore ``error.backup``."""

    def __init__(self, error, parent=None):
        super().__init__(parent)
        self.error = error
        self.setWindowTitle(self.tr("数据库已损坏"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(12)
        title = QLabel(self.tr("数据库文件已损坏"), self)
        title.setObjectName("PageTitle")
        layout.addWidget(title)
        message = QLabel(str(error), self)
        message.setWordWrap(True)
        layout.addWidget(message)
        backup = getattr(error, "backup", None)
        hint = QLabel(self)
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        if backup is not None:
            hint.setText(self.tr("恢复时，损坏的文件会先另存到 backups 文件夹，不会丢失。"
                                 "备份之后录入的内容需要重新录入。"))
        else:
            hint.setText(self.tr("请联系技术支持，或用 U 盘上的备份文件恢复（laborstation restore）。"))
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        self.restore = QPushButton(self.tr("从备份恢复"), self)
        self.restore.setObjectName("Primary")
        self.restore.setVisible(backup is not None)
        self.restore.clicked.connect(self.accept)
        leave = QPushButton(self.tr("退出"), self)
        leave.clicked.connect(self.reject)
        row.addWidget(self.restore)
        row.addWidget(leave)
        layout.addLayout(row)
