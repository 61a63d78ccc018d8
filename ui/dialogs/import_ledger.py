"""导入台账: choose a ledger, see what each column becomes, try it, import it, read the result.

Three steps in one dialog:
1. the kind of ledger and the file;
2. the plan (``ImportPlan.outline``): each sheet's header row and row count, what each
   column becomes, the columns not imported; the options; 试导入 or 开始导入;
3. the result: the row accounting, what was created, and every error, warning and
   change by sheet and row; the refused rows can be saved as an .xlsx to fix and import
   again. After a trial the same plan is imported for real without reading the file again.

Two questions keep a clerk from what cannot be undone: a file that looks like another kind
of ledger (``plan.likelier``) is not imported, nor tried, as the kind chosen without asking;
the dialog does not close on an import's refused rows not saved without asking.

The file is read, and the import run, on the window's one database worker; its progress
dialog shows over this dialog and its 取消 rolls the import back. The dialog does not close
while that work runs. A plan not imported is closed (a big sheet's reading stops) when
another file is read, the file changed since it was read (the clerk fixed it after the
trial: it is read again), or the dialog closes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from laborstation.importing import KIND_NAMES, plan_import, run_import, write_error_report
from laborstation.importing.plan import likelier_text
from laborstation.importing.reading import LEDGER_SUFFIXES
from laborstation.importing.report import BadReportPath, check_report_path
from ui.dialogs import import_texts as texts
from ui.dialogs.ledger_drops import dropped, files_dragged
from ui.widgets.dialog_parts import button_row, error_label, say
from ui.widgets.import_views import MappingTree, NotesTable
from ui.widgets.screen_fit import fit_to_screen

FILE_FILTER = f"电子表格 ({' '.join('*' + s for s in sorted(LEDGER_SUFFIXES))});;所有文件 (*)"
KIND_HINTS = {
    "persons": "人员和户：按身份证号新增或补填，户按户编号或户主姓名归并",
    "placements": "转移就业（劳务输出）记录：外出时间、务工地点、用工单位、月收入",
    "trainings": "培训班与学员：按培训班名称、机构和日期归并，记录结业和证书",
}


def _stamp(path: Path) -> tuple[int, int] | None:
    """When the file was last saved, and its size: a file changed since it was read."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def _ask(parent, title: str, text: str, info: str,
         choices: list[tuple[str, QMessageBox.ButtonRole]]) -> int:
    """A question with ``choices`` (text, role), the first the default; Esc (and the
    window's ×) is the one of RejectRole. Returns the index of the choice."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setInformativeText(info)
    buttons = [box.addButton(label, role) for label, role in choices]
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(next(b for b, (_l, role) in zip(buttons, choices, strict=True)
                             if role == QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return buttons.index(box.clickedButton()) if box.clickedButton() in buttons else -1


def _start_folder() -> str:
    documents = Path.home() / "Documents"
    return str(documents if documents.is_dir() else Path.home())


class ImportDialog(QDialog):
    imported = Signal(object)  # the ImportResult of an import that wrote to the store

    def __init__(self, store, tasks, parent=None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.plan = None
        self.stamp: tuple[int, int] | None = None  # the file's, when the plan was read
        self.choice: tuple[str, Path] | None = None  # (kind, path) of the plan shown
        self.result = None
        self._task = None  # the work running on the worker, if any
        self._close_when_idle = False
        self._likelier = None  # (kind, …) the plan shown looks like, when not the kind chosen
        self._kind_confirmed = False  # the clerk chose to import it as chosen all the same
        self._report_saved = False  # the refused rows of the result shown were saved
        self._leaving = False  # closing without asking (another user logged in)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAcceptDrops(True)  # a file dragged onto the dialog is read at once
        self.interactive = True  # tests turn it off: no file or message dialogs
        self.setWindowTitle(self.tr("导入台账"))
        fit_to_screen(self, (900, 640), (760, 540))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        self.steps = QStackedWidget(self)
        self.steps.addWidget(self._choose_step())
        self.steps.addWidget(self._plan_step())
        self.steps.addWidget(self._result_step())
        layout.addWidget(self.steps, 1)
        self.message = error_label(self)
        layout.addWidget(self.message)

    # -- step 1: kind and file ------------------------------------------------------------------

    def _step(self, title: str, hint: str = "") -> tuple[QWidget, QVBoxLayout, QLabel]:
        """A step's page: its title (set later when empty) and a grey hint under it."""
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(title, page)
        heading.setObjectName("PageTitle")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if hint:
            label = QLabel(hint, page)
            label.setObjectName("Hint")
            label.setWordWrap(True)
            layout.addWidget(label)
        return page, layout, heading

    def _choose_step(self) -> QWidget:
        page, layout, _title = self._step(self.tr("导入已有的台账"), self.tr(
            "选择台账的种类和文件。可以导入 Excel（.xlsx、.xlsm、.xls）、WPS 或 LibreOffice"
            "（.ods）和 CSV 文件；表头可以在标题行下面，一个村一张工作表也可以。"
            "也可以把文件直接拖到这个窗口或主窗口上。\n"
            "下一步会先显示识别出的每一列，确认后才写入。"))
        layout.addSpacing(6)
        self.kind_group = QButtonGroup(page)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for kind, name in KIND_NAMES.items():
            button = QRadioButton(f"{name}（{KIND_HINTS[kind]}）", page)
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            layout.addWidget(button)
        self.kind_buttons["persons"].setChecked(True)
        layout.addSpacing(6)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("文件："), page))
        self.path_edit = QLineEdit(page)
        self.path_edit.setPlaceholderText(self.tr("选择要导入的文件…"))
        self.path_edit.returnPressed.connect(self.read_plan)
        row.addWidget(self.path_edit, 1)
        browse = QPushButton(self.tr("选择文件…"), page)
        browse.setAutoDefault(False)  # (Enter in the file box reads the file: 下一步)
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addStretch(1)
        self.next_button = button_row(layout, page, [
            (self.tr("取消"), self.reject, False), (self.tr("下一步"), self.read_plan, True)])[-1]
        return page

    def dragEnterEvent(self, event) -> None:
        if not self.busy and files_dragged(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        if self.busy or not files_dragged(event.mimeData()):
            return
        event.acceptProposedAction()
        path, problem = dropped(event.mimeData())
        if path is None:  # (several files, a Word file …: said why, the plan stays)
            self._say(problem)
            return
        self.path_edit.setText(str(path))
        self.read_plan()

    def kind(self) -> str:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def set_choice(self, kind: str, path: str | Path) -> None:
        self.kind_buttons[kind].setChecked(True)
        self.path_edit.setText(str(path))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择要导入的台账"), self.path_edit.text() or _start_folder(),
            self.tr(FILE_FILTER))
        if path:
            self.path_edit.setText(path)

    def read_plan(self, *, note: str = "") -> None:
        """Read the file on the worker and show what each column becomes (and ``note``,
        green, under it)."""
        # (Explorer's 复制为路径 puts the path in double quotes)
        text = self.path_edit.text().strip().strip('"“”').strip()
        if not text:
            self._say(self.tr("请先选择要导入的文件。"))
            return
        path = Path(text)
        if path.is_dir():
            self._say(self.tr("{0} 是一个文件夹：请选择文件夹中的台账文件。").format(path))
            return
        if not path.is_file():
            self._say(self.tr("找不到文件 {0}：请重新选择。").format(path))
            return
        kind, store = self.kind(), self.store
        self._say("")
        self._drop_plan()
        self.choice = (kind, path)

        def read():
            stamp = _stamp(path)
            plan = plan_import(store, kind, path)
            return plan, plan.outline(), stamp

        def show(found) -> None:
            self._show_plan(found)
            self._say(note, good=True)

        self._run(read, self.tr("正在读取 {0}…").format(path.name), show, cancellable=False)

    def _drop_plan(self) -> None:
        if self.plan is not None:
            self.plan.close()
        self.plan = self.stamp = None

    # -- step 2: what each column becomes ---------------------------------------------------

    def _plan_step(self) -> QWidget:
        page, layout, self.plan_title = self._step("", self.tr(
            "请核对每一列导入为什么。未识别的列不会导入；"
            "如有应导入的列没有识别，请把表头改成常用的写法后重新选择文件。"))
        row = QHBoxLayout()  # shown when the file looks like another kind of ledger
        self.likelier_label = QLabel(page)
        self.likelier_label.setObjectName("FieldError")
        self.likelier_label.setWordWrap(True)
        row.addWidget(self.likelier_label, 1)
        self.likelier_button = QPushButton(page)
        self.likelier_button.setAutoDefault(False)
        self.likelier_button.clicked.connect(self._switch_kind)
        row.addWidget(self.likelier_button)
        layout.addLayout(row)
        self.mapping = MappingTree(page)
        layout.addWidget(self.mapping, 1)
        self.overwrite_box = QCheckBox(page)  # (its text is the kind's: _show_plan)
        self.all_or_nothing_box = QCheckBox(self.tr("有任何一行出错就整批不导入"), page)
        layout.addWidget(self.overwrite_box)
        layout.addWidget(self.all_or_nothing_box)
        button_row(layout, page, [
            (self.tr("上一步"), lambda: self.steps.setCurrentIndex(0), False),
            (self.tr("试导入（不写入）"), lambda: self.start(dry_run=True), False),
            (self.tr("开始导入"), lambda: self.start(dry_run=False), True),
        ])
        return page

    def _show_plan(self, found) -> None:
        plan, outline, self.stamp = found
        self.plan = plan
        self.plan_title.setText(self.tr("{0}（{1}）").format(plan.path.name,
                                                            KIND_NAMES[plan.kind]))
        self.mapping.show_outline(outline)
        # (every kind: a stored placement's 月收入, a course's 学时 are corrected with it too)
        text, tip = texts.overwrite_texts(plan.kind)
        self.overwrite_box.setText(text)
        self.overwrite_box.setToolTip(tip)
        self._likelier = likelier = plan.likelier
        self._kind_confirmed = False
        if likelier is not None:
            self.likelier_label.setText(likelier_text(plan.kind, *likelier))
            self.likelier_button.setText(self.tr("改为按{0}导入").format(KIND_NAMES[likelier[0]]))
        self.likelier_label.setVisible(likelier is not None)
        self.likelier_button.setVisible(likelier is not None)
        self.steps.setCurrentIndex(1)

    def _switch_kind(self, *, asked: bool = False) -> None:
        """The kind the file looks like: chosen, and the file read again for it."""
        if self._likelier is not None:
            kind = self._likelier[0]
            self.kind_buttons[kind].setChecked(True)
            self.read_plan(note=texts.switched_note(KIND_NAMES[kind]) if asked else "")

    def _kind_agreed(self, dry_run: bool) -> bool:
        """Whether to go on with the kind chosen: asked, for a file that looks like another
        kind (a roster dropped on the window is read as 实名制台账 first), once a plan."""
        if self._likelier is None or self._kind_confirmed or not self.interactive:
            return True
        chosen, other = KIND_NAMES[self.choice[0]], KIND_NAMES[self._likelier[0]]
        text, info, switch, keep = texts.kind_question(chosen, other, dry_run=dry_run)
        role = QMessageBox.ButtonRole
        answer = _ask(self, self.tr("导入台账"), text, info, [
            (switch, role.AcceptRole), (keep, role.DestructiveRole),
            (self.tr("返回"), role.RejectRole)])
        if answer == 0:
            self._switch_kind(asked=True)
        self._kind_confirmed = answer == 1
        return answer == 1

    def start(self, *, dry_run: bool) -> None:
        """Run the import (or the trial) of the plan shown; the file is read again only
        when the last run was cancelled or failed (its reading stopped part-way)."""
        if not self._kind_agreed(dry_run):
            return
        (kind, path), store = self.choice, self.store
        if self.plan is not None and _stamp(path) != self.stamp:  # saved again since
            self._drop_plan()
        plan, stamp = self.plan, self.stamp
        options = {"dry_run": dry_run, "all_or_nothing": self.all_or_nothing_box.isChecked(),
                   "overwrite": self.overwrite_box.isChecked()}
        self._say("")

        def work():
            used, read_at = plan, stamp
            if used is None:
                read_at = _stamp(path)
                used = plan_import(store, kind, path)
            result = yield from run_import(store, used, **options)
            return used, result, read_at

        title = self.tr("正在试导入…") if dry_run else self.tr("正在导入…")
        self.plan = None  # (until it is back: a cancelled run leaves it half read)
        self._run(work, title, self._show_result)

    # -- step 3: the result -----------------------------------------------------------------

    def _result_step(self) -> QWidget:
        page, layout, self.result_title = self._step("")
        self.counts = QLabel(page)
        self.counts.setWordWrap(True)
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.counts)
        self.notes = NotesTable(page)
        layout.addWidget(self.notes, 1)
        # A long note wraps over more lines once the dialog is made narrower: the rows are
        # sized again when the 说明 column has its new width (not in its sectionResized,
        # where the rows were measured against the width before: cut with “…”).
        self._rewrap = QTimer(self)
        self._rewrap.setSingleShot(True)
        self._rewrap.setInterval(30)
        self._rewrap.timeout.connect(self.notes.resizeRowsToContents)
        self.notes.horizontalHeader().sectionResized.connect(self._rewrap.start)
        self.notes_more = QLabel(page)
        self.notes_more.setObjectName("Hint")
        layout.addWidget(self.notes_more)
        layout.addStretch(0)  # (takes the room when there is no table of notes)
        (self.report_button, self.back_button, self.close_button, self.again_button,
         self.done_button) = button_row(layout, page, [
            (self.tr("保存出错的行…"), lambda: self.save_report(), False),
            (self.tr("上一步"), lambda: self.steps.setCurrentIndex(1), False),
            # (nothing written, a trial or an import refused whole: leave without importing)
            (self.tr("关闭"), self.reject, False),
            (self.tr("正式导入"), lambda: self.start(dry_run=False), True),
            (self.tr("完成"), self.accept, True),
        ])
        return page

    def _show_result(self, done) -> None:
        plan, result, stamp = done
        self.result, self._report_saved = result, False
        if not result.written:  # (a trial's plan is imported next, not read again)
            self.plan, self.stamp = plan, stamp
        title, text = texts.result_texts(result, plan,
                                         all_or_nothing=self.all_or_nothing_box.isChecked())
        self.result_title.setText(title)
        self.counts.setText(text)
        self.notes_more.setText(self.notes.show_notes(result))
        self.report_button.setVisible(bool(result.errors))
        self.back_button.setVisible(not result.written)
        # (完成 only for what was done: an import refused whole wrote nothing, as a trial)
        self.close_button.setVisible(not result.written)
        # (a trial that found only errors has nothing to import)
        self.again_button.setVisible(result.dry_run and (
            not result.errors or result.added + result.updated + result.unchanged > 0))
        self.done_button.setVisible(result.written)
        self.steps.setCurrentIndex(2)
        if result.written:
            self.imported.emit(result)

    def report_path(self) -> Path:
        source = self.result.file
        return source.with_name(f"{source.stem}-出错的行.xlsx")

    def save_report(self, path: str | Path | None = None) -> None:
        """Write the refused rows (with a 错误原因 column) where the clerk chooses; a path
        over the ledger being imported, a folder or not .xlsx is refused with a message,
        and one that cannot be written (open in Excel, disk full) says why."""
        if path is None:
            if not self.interactive:
                return
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("保存出错的行"), str(self.report_path()),
                self.tr("Excel 工作簿 (*.xlsx)"))
            if not chosen:
                return
            path = chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx"
        result = self.result
        try:  # not over the ledger itself, not a folder, an .xlsx (as the CLI's --report)
            target = check_report_path(path, result.file)
        except BadReportPath as refused:
            self._say(str(refused))
            return
        if result.written or (result.dry_run and not self.all_or_nothing_box.isChecked()):
            saved = self.tr("已保存 {0} 行到 {1}：改正后可直接导入这个文件。")
        else:  # nothing was imported: the whole original is to be imported again
            saved = self.tr("已保存 {0} 行到 {1}（供查看）：请在原文件中改正这些行，再导入原文件。")

        def written(_written) -> None:
            self._report_saved = result is self.result
            self._say(saved.format(result.errors, target), good=True)

        self._run(lambda: write_error_report(result, target), self.tr("正在保存…"), written,
                  cancellable=False)

    # -- running on the worker --------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None

    def done(self, code: int) -> None:
        """Closing waits for the work running (取消 in its progress box stops it), and asks
        first when an import's refused rows were not saved (完成, Esc, the window's ×)."""
        if self.busy or not (self._leaving or self._may_leave()):
            return
        self._drop_plan()
        super().done(code)

    def _may_leave(self) -> bool:
        """After an import that refused rows, not saved: 保存出错的行… (the dialog stays,
        to say where they went), 不保存，关闭, or 返回."""
        result = self.result
        if (not self.interactive or self.steps.currentIndex() != 2 or result is None
                or not result.written or not result.errors or self._report_saved):
            return True
        text, info = texts.unsaved_question(result.errors)
        role = QMessageBox.ButtonRole
        answer = _ask(self, self.tr("出错的行还没有保存"), text, info, [
            (self.tr("保存出错的行…"), role.AcceptRole),
            (self.tr("不保存，关闭"), role.DestructiveRole), (self.tr("返回"), role.RejectRole)])
        if answer == 0:
            self.save_report()
        return answer == 1

    def close_when_idle(self) -> None:
        """Close now, or as soon as the work running ends (another user logged in while
        the program was locked: not this dialog's clerk, nothing is asked)."""
        self._leaving = True
        if self.busy:
            self._close_when_idle = True
        else:
            self.reject()

    def _run(self, fn, title: str, on_done, *, cancellable: bool = True) -> None:
        self.steps.setEnabled(False)  # (not the dialog: its progress dialog is a child)

        def ended() -> None:
            self._task = None
            self.steps.setEnabled(True)
            if self._close_when_idle:
                QTimer.singleShot(0, self.reject)  # (after the result is taken in)

        def finished(value) -> None:
            late = self._task is not None and self._task.cancel.is_set()
            ended()
            on_done(value)
            if late:  # 取消 pressed while committing: the work had already been done
                self._say(self.tr("取消得太晚：按下“取消”时已在提交，这次导入已经完成。"))

        def failed(error) -> None:
            from ui.tasks import error_text

            ended()
            self._say(error_text(error))

        def cancelled() -> None:
            ended()
            self._say(self.tr("已取消，没有写入任何数据。"))

        self._task = self.tasks.run(fn, title=title, on_done=finished, on_error=failed,
                                    on_cancelled=cancelled, cancellable=cancellable, parent=self)

    def _say(self, text: str, *, good: bool = False) -> None:
        say(self.message, text, "FieldInfo" if good else "FieldError")
