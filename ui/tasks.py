"""Background work: core calls on one serial worker, a progress dialog, Chinese errors.

``TaskRunner.run(fn, on_done=...)`` calls ``fn()`` on the worker thread. If it
returns a progress generator (``laborstation.progress``) the worker drives it
and sends each ``Progress`` back; after ~500 ms a cancellable progress dialog
appears. Cancel sets a flag the worker checks between steps; it then calls
``gen.close()`` so the core's session rolls back. Results, progress and errors
cross to the GUI thread through a queued Qt signal: no widget or Qt model is
touched off the GUI thread. All database work goes through the one worker, so
writes never race (SQLite has one writer).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from laborstation.crash_log import internal_error_message, write_crash_log
from laborstation.errors import UserError
from laborstation.progress import Progress

log = logging.getLogger(__name__)
SHOW_AFTER_MS = 500


class Cancelled(Exception):
    """The clerk pressed 取消; the work was rolled back."""


@dataclass
class Task:
    fn: Callable[[], object]
    title: str
    on_done: Callable[[object], None] | None
    on_error: Callable[[BaseException], None] | None
    cancellable: bool
    on_cancelled: Callable[[], None] | None = None
    parent: QWidget | None = None  # of the progress dialog and the error box
    cancel: threading.Event = field(default_factory=threading.Event)
    dialog: QProgressDialog | None = None
    timer: QTimer | None = None
    finished: bool = False
    dialog_due: bool = False  # its progress box was due while the runner held (``hold``)
    last_step: Progress | None = None  # shown by a progress box that comes up later
    error_box: bool = True  # False once another user logged in (``release``)
    cancel_button: QPushButton | None = None  # of its progress box, once shown


class _Bridge(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the call to this thread."""

    progress = Signal(object, object)  # task, Progress
    done = Signal(object, object, object)  # task, result, error


def _drive(task: Task, emit_progress) -> object:
    result = task.fn()
    if not isinstance(result, Generator):
        return result
    work = result
    try:
        while True:
            if task.cancel.is_set():
                work.close()
                raise Cancelled()
            step = next(work)
            if isinstance(step, Progress):
                emit_progress(step)
    except StopIteration as stop:
        return stop.value


class TaskRunner(QObject):
    """One per main window; pass it to pages and dialogs that start work."""

    def __init__(self, parent_widget: QWidget | None = None):
        super().__init__(parent_widget)
        self._parent = parent_widget
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-worker")
        self._bridge = _Bridge()
        self._bridge.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._bridge.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._running: list[Task] = []
        self.show_errors = True  # tests may turn the message box off and read last_error
        self.last_error: BaseException | None = None
        self._held = False
        # Work that ended while held, to be taken care of in order: (task, result, error).
        self._ended_while_held: list[tuple[Task, object, BaseException | None]] = []

    # -- public -------------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[[], object],
        *,
        title: str = "",
        on_done: Callable[[object], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        cancellable: bool = True,
        on_cancelled: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> Task:
        """``parent``: the window the progress dialog belongs to (default: the runner's);
        a dialog that starts work passes itself, so the progress shows over it.
        ``on_cancelled``: called when 取消 stopped the work (it was rolled back)."""
        task = Task(fn, title or self.tr("正在处理…"), on_done, on_error, cancellable,
                    on_cancelled, parent or self._parent)
        self._running.append(task)
        task.timer = QTimer(self)
        task.timer.setSingleShot(True)
        task.timer.timeout.connect(lambda: self._show_dialog(task))
        task.timer.start(SHOW_AFTER_MS)
        self._pool.submit(self._work, task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def hold(self) -> None:
        """Show nothing over the window while it is locked (``idle_lock``): no progress
        box appears (an automatic backup runs on a timer, locked or not), and the ending
        of work that ends meanwhile (what it does next, or its error box) waits for
        ``release``."""
        self._held = True

    def release(self, *, report_errors: bool = True) -> None:
        """Back from ``hold``: the work that ended meanwhile is taken care of, in order,
        one in each turn of the event loop (``_report_held``), and the progress boxes due
        meanwhile are shown for work still running whose window is on screen (not the
        hidden dialogs of a user who has gone: their work closes them when it ends).
        ``report_errors=False`` (another user logged in): an error that would be shown
        in a box of its own is only logged, not shown to them."""
        self._held = False
        if not report_errors:  # (the last user's work, ended or running: not for the next)
            for task in [*self._running, *(ended[0] for ended in self._ended_while_held)]:
                task.error_box = False
        if self._ended_while_held:
            QTimer.singleShot(0, self._report_held)
        for task in list(self._running):
            if task.dialog_due and task.dialog is None and not task.finished and (
                    task.parent is None or task.parent.isVisible()):
                self._show_dialog(task)

    def _report_held(self) -> None:
        """The first ending held, and the next once it is taken care of: one error box at
        a time (the window may lock again while it waits: the rest wait again), and an
        error raised by one does not keep the others from running."""
        if self._held or not self._ended_while_held:
            return
        task, result, error = self._ended_while_held.pop(0)
        try:
            self._report(task, result, error)
        finally:
            if self._ended_while_held:
                QTimer.singleShot(0, self._report_held)

    def shutdown(self) -> None:
        for task in self._running:
            task.cancel.set()
        self._pool.shutdown(wait=True)

    # -- worker thread ------------------------------------------------------------------------

    def _work(self, task: Task) -> None:
        try:
            result = _drive(task, lambda step: self._bridge.progress.emit(task, step))
        except BaseException as error:  # reported on the GUI thread
            if not isinstance(error, UserError | Cancelled):
                error.log_path = write_crash_log()  # type: ignore[attr-defined]
            self._bridge.done.emit(task, None, error)
            return
        self._bridge.done.emit(task, result, None)

    # -- GUI thread ---------------------------------------------------------------------------

    def _show_dialog(self, task: Task) -> None:
        if task.finished:
            return
        if self._held:
            task.dialog_due = True
            return
        dialog = QProgressDialog(task.title, "", 0, 0, task.parent)
        dialog.setWindowTitle(self.tr("请稍候"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if task.cancellable:
            button = QPushButton(self.tr("取消"), dialog)
            dialog.setCancelButton(button)
            dialog.canceled.connect(task.cancel.set)
            dialog.canceled.connect(lambda: self._cancelling(dialog, button))
            task.cancel_button = button
        else:
            dialog.setCancelButton(None)
        task.dialog = dialog
        if task.last_step is not None:
            self._on_progress(task, task.last_step)
        dialog.show()

    def _cancelling(self, dialog: QProgressDialog, button: QPushButton) -> None:
        """Qt hides a progress box when it is cancelled: it stays, saying the work is being
        undone (a big import's rollback takes a while on a slow PC), until the work ends."""
        dialog.setLabelText(self.tr("正在取消，请稍候…"))
        dialog.setRange(0, 0)  # (busy: how long the undoing takes is not known)
        button.setEnabled(False)
        dialog.show()

    def _on_progress(self, task: Task, step: Progress) -> None:
        task.last_step = step
        dialog = task.dialog
        if dialog is None or task.cancel.is_set():
            return
        if step.total:
            dialog.setMaximum(step.total)
            dialog.setValue(min(step.done, step.total))
        if step.message:
            dialog.setLabelText(step.message)
        if step.final and task.cancel_button is not None:  # (committing: too late to stop)
            task.cancel_button.setEnabled(False)

    def _on_done(self, task: Task, result: object, error: BaseException | None) -> None:
        task.finished = True
        if task.timer is not None:
            task.timer.stop()
        if task.dialog is not None:
            # Closing a progress box emits ``canceled`` (QProgressDialog.closeEvent): not
            # a 取消 pressed, so it must not set the task's cancel, which the import dialog
            # would tell as a cancel come too late.
            if task.cancellable:
                task.dialog.canceled.disconnect()
            task.dialog.close()
            task.dialog.deleteLater()
            task.dialog, task.cancel_button = None, None
        if task in self._running:
            self._running.remove(task)
        if self._held or self._ended_while_held:  # (after those held, in order)
            self._ended_while_held.append((task, result, error))
            return
        self._report(task, result, error)

    def _report(self, task: Task, result: object, error: BaseException | None) -> None:
        if error is None:
            if task.on_done is not None:
                task.on_done(result)
            return
        self.last_error = error
        if isinstance(error, Cancelled):
            if task.on_cancelled is not None:
                task.on_cancelled()
            return
        if task.on_error is not None:
            task.on_error(error)
        elif self.show_errors and task.error_box:
            show_error(task.parent, error)
        else:
            log.warning("work ended with an error no one was shown: %s", error)


def error_text(error: BaseException) -> str:
    if isinstance(error, UserError):
        return str(error)
    return internal_error_message(getattr(error, "log_path", ""))


def show_error(parent: QWidget | None, error: BaseException) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "操作未完成", error_text(error),
                      QMessageBox.StandardButton.Ok, parent)
    box.exec()


