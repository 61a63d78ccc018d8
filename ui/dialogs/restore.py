"""恢复备份: confirm, close the store, put the copy in place, reopen.

``restore_and_reopen`` is the whole swap without any dialog (the backups page
and the damaged-database dialog call it; tests too). The caller's window must
drop the old store: after this it is closed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from laborstation.db import open_store
from laborstation.db.backup import REASON_NAMES
from laborstation.db.restore import RestoreResult, restore_backup


def restore_and_reopen(store, backup_path: str | Path, *, actor=None):
    """Close ``store``, restore the copy over its file, reopen exclusively: (new store, result).

    ``actor`` defaults to ``store.actor`` (the head only; the core refuses others
    before anything is closed). If the restore fails the old file is reopened.
    """
    from laborstation.services import authz

    actor = store.actor if actor is None else actor
    authz.require(actor, authz.RESTORE)
    db_path = store.path
    store.close()
    try:
        result: RestoreResult = restore_backup(backup_path, db_path, actor=actor)
    except BaseException as error:
        reopened = open_store(db_path, exclusive=True)
        reopened.actor = actor
        error.reopened = reopened  # the caller moves to it (the old store is closed)
        raise
    return open_store(db_path, exclusive=True), result


def confirm_restore(parent, info) -> bool:
    """'确定用 … 的备份替换当前数据库吗？' — the head must say yes."""
    counts = ""
    if info.counts is not None:
        counts = f"（{info.counts.persons:,} 人，{info.counts.households:,} 户）"
    text = (f"确定用 {info.made_at:%Y-%m-%d %H:%M} 的{REASON_NAMES.get(info.reason, '备份')}"
            f"{counts}替换当前数据库吗？\n\n当前数据库会先另存一份“恢复前备份”，恢复后需要重新登录。"
            "备份之后所做的修改将不在恢复后的数据库中。")
    answer = QMessageBox.question(parent, "恢复备份", text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
