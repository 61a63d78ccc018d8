"""The 月报 page's buttons: 导出Excel, 报送 and 退回修改, each run on the worker.

Tests call ``export(path)``, ``submit(path, confirmed=True)`` and ``reopen(reason)``
with the page's ``interactive`` off, so no dialog waits for a click.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox

from laborstation.config import data_dir
from laborstation.returns.submission import (
    SubmissionRefused,
    export_return,
    reopen_return,
    submit_return,
)
from ui.widgets.dialog_parts import say


class ReturnActions:
    """Mixed into ``ReturnsPage`` (needs store, tasks, view, period, message, load...)."""

    def _default_path(self, kind: str) -> str:
        view = self.view
        name = view.data.station.name if view else ""
        folder = Path.home() / "Documents"
        if not folder.is_dir():
            folder = data_dir()
        return str(folder / f"{name}{self.period}月报{kind}.xlsx")

    def _ask_path(self, title: str, kind: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(
            self, title, self._default_path(kind), self.tr("Excel 工作簿 (*.xlsx)"))
        if not path:
            return None
        return path if path.lower().endswith(".xlsx") else path + ".xlsx"

    def _tell(self, text: str, title: str = "", warning: bool = False) -> None:
        say(self.message, text, "FieldError" if warning else "FieldInfo")
        if self.interactive and title:
            box = QMessageBox.warning if warning else QMessageBox.information
            box(self, title, text)

    def _failed(self, error) -> None:
        from ui.tasks import error_text

        self._tell(error_text(error), self.tr("操作未完成"), warning=True)

    # -- 导出Excel ----------------------------------------------------------------------------

    def export(self, path: str | None = None) -> None:
        """Write the workbook without submitting (any status, any findings)."""
        period = self.period
        if period is None:
            return
        path = path or self._ask_path(self.tr("导出月报"), "")
        if not path:
            return

        def done(result) -> None:
            _data, sha = result
            self._tell(self.tr("已导出 {0}\n文件 SHA-256：{1}").format(path, sha),
                       self.tr("导出完成"))

        self.tasks.run(lambda: export_return(self.store, period, path),
                       title=self.tr("正在导出月报…"), on_done=done, on_error=self._failed)

    # -- 报送 ---------------------------------------------------------------------------------

    def _refuse(self, findings) -> None:
        errors = [f for f in findings if f.is_error]
        self.findings.set_findings(findings)
        self.findings.show_errors()
        lines = "\n".join(f"• {f}" for f in errors)
        self._tell(self.tr("有 {0} 项错误，不能报送。请改正下列问题后重新计算：\n{1}").format(
            len(errors), lines), self.tr("不能报送"), warning=True)

    def submit(self, path: str | None = None, *, confirmed: bool = False) -> None:
        """Check, confirm, write the file and record the submission."""
        view, period = self.view, self.period
        if view is None or period is None:
            return
        if view.errors:
            self._refuse(view.findings)
            return
        if not confirmed and self.interactive:
            warnings = len(view.findings)
            text = self.tr("报送{0}月报？\n报送后本期的记录将被锁定，只有所长退回后才能修改。").format(
                view.period.label)
            if warnings:
                text += self.tr("\n\n尚有 {0} 项提示未处理（不影响报送）。").format(warnings)
            answer = QMessageBox.question(self, self.tr("确认报送"), text)
            if answer != QMessageBox.StandardButton.Yes:
                return
        path = path or self._ask_path(self.tr("报送：保存月报文件"), "")
        if not path:
            return

        def done(result) -> None:
            self._tell(self.tr("{0}月报已报送。文件：{1}\n文件 SHA-256：{2}").format(
                result.status.period, result.path, result.file_sha256), self.tr("报送完成"))
            self.load(period)

        def failed(error) -> None:
            if isinstance(error, SubmissionRefused):
                self._refuse(error.findings)
            else:
                self._failed(error)

        self.tasks.run(lambda: submit_return(self.store, period, path),
                       title=self.tr("正在校验并报送…"), on_done=done, on_error=failed)

    # -- 退回修改 -----------------------------------------------------------------------------

    def reopen(self, reason: str | None = None) -> None:
        """The head reopens a submitted period (the reason goes into the audit trail)."""
        period = self.period
        if period is None:
            return
        if reason is None:
            if not self.interactive:
                return
            reason, ok = QInputDialog.getText(
                self, self.tr("退回修改"),
                self.tr("退回{0}月报，本期记录将解锁，改正后须重新报送（修订）。\n退回原因：").format(
                    self.view.period.label if self.view else period),
                QLineEdit.EchoMode.Normal, "")
            if not ok:
                return
            if not reason.strip():
                self._tell(self.tr("请填写退回原因。"), self.tr("退回修改"), warning=True)
                return

        def done(status) -> None:
            self._tell(self.tr("{0} 月报已退回修改，可以改正记录后重新报送。").format(status.period))
            self.load(period)

        self.tasks.run(lambda: reopen_return(self.store, period, reason=reason.strip()),
                       title=self.tr("正在退回…"), on_done=done, on_error=self._failed)
