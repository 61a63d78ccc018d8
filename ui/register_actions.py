"""What the register's buttons and menus do: open forms, run the core write on the worker,
refresh the views. Small operation functions in the manner of Anki's ``CollectionOp``."""

from __future__ import annotations

import dataclasses

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu, QMessageBox

from ui.pages.register import PERSONS

# The forms and the register services (which load pypinyin) are imported when first
# used, and warmed up on a thread after the window is shown: start-up stays short.
_LAZY = ("laborstation.services.register", "ui.dialogs.person_form",
         "ui.dialogs.household_form", "ui.dialogs.person_view", "laborstation.services.areas")


def warm_up() -> None:
    import importlib
    import threading

    def load() -> None:
        for name in _LAZY:
            importlib.import_module(name)

    threading.Thread(target=load, name="warm-up", daemon=True).start()


def _freed_on_close(dialog) -> None:
    """A form or view opened from the register is deleted once closed (a clerk opens
    hundreds a day); what its ``finished`` handler reads is read before that."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


def _if_open(dialog, then) -> None:
    """``then()`` unless the dialog was closed (and deleted) while the work ran."""
    if shiboken6.isValid(dialog):  # (hidden by the idle lock is still open)
        then()


class RegisterActions(QObject):
    changed = Signal()

    def __init__(self, window, store, tasks, page):
        super().__init__(window)
        self.window, self.store, self.tasks, self.page = window, store, tasks, page
        page.new_person.connect(self.new_person)
        page.new_household.connect(self.new_household)
        page.open_person.connect(self.open_person)
        page.open_household.connect(self.open_household)
        page.delete_selected.connect(self.delete_selected)
        page.import_ledger.connect(self.import_ledger)
        page.tree.setContextMenuPolicy(page.tree.contextMenuPolicy().CustomContextMenu)
        page.tree.customContextMenuRequested.connect(self._tree_menu)

    def after_change(self, *_args) -> None:
        self.page.reload()
        self.changed.emit()

    def _where(self) -> tuple[int | None, int | None]:
        """(household_id, village_id) a new person goes to, from what is selected."""
        level, area_id = self.page.tree.current_area()
        if self.page.mode != PERSONS and self.page.current_id() is not None:
            return self.page.current_id(), None
        if level == "village":
            return None, area_id
        if level == "group":
            node = next((n for n in self.page.tree_nodes() if n.id == area_id), None)
            return None, node.parent_id if node else None
        return None, None

    # -- persons -------------------------------------------------------------------------------

    def new_person(self, household_id: int | None = None, on_saved=None):
        """The person form (``on_saved(record)`` once the new person is saved)."""
        from ui.dialogs.person_form import PersonForm

        where_household, village_id = self._where()
        form = PersonForm(self.store, household_id=household_id or where_household,
                          village_id=village_id, parent=self.window)
        self._run_form(form, lambda data: self.save_new_person(data, on_saved))
        return form

    def _run_form(self, form, save) -> None:
        """Open the form over the window (window-modal, not ``exec()``: the idle lock can
        hide it) and save what it accepted when it closes."""
        def closed(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and form.accepted_input is not None:
                save(form.accepted_input)
            elif form.open_existing and getattr(form, "existing_id", None):
                self.open_person(form.existing_id)

        form.finished.connect(closed)
        _freed_on_close(form)
        form.open()

    def save_new_person(self, data, on_done=None) -> None:
        from laborstation.services import register

        def done(record) -> None:
            self.after_change()
            self.page.select_id(record.id)
            self.window.statusBar().showMessage(self.tr("已登记 {0}").format(record.name), 5000)
            if on_done is not None:
                on_done(record)

        self.tasks.run(lambda: register.create_person(self.store, data),
                       title=self.tr("正在保存…"), on_done=done)

    def edit_person(self, person_id: int, on_done=None) -> None:
        from laborstation.services import register
        from ui.dialogs.person_form import PersonForm

        record = register.get_person(self.store, person_id)
        form = PersonForm(self.store, record, parent=self.window)
        self._run_form(form, lambda data: self.save_person(record, data, on_done))

    def save_person(self, record, data, on_done=None) -> None:
        from laborstation.services import register

        changes = {k: v for k, v in dataclasses.asdict(data).items()
                   if k not in ("village_id",) and getattr(record, k, None) != v}
        if "household_id" in changes and changes["household_id"] is None:
            changes["village_id"] = data.village_id

        def done(saved) -> None:
            self.after_change()
            if on_done is not None:
                on_done(saved)

        self.tasks.run(lambda: register.update_person(self.store, record.id, **changes),
                       title=self.tr("正在保存…"), on_done=done)

    def open_person(self, person_id: int):
        from ui.dialogs.person_view import PersonView

        view = PersonView(self.store, person_id, self.window)
        view.edit_requested.connect(
            lambda pid: self.edit_person(pid, lambda _r: _if_open(view, view.reload)))
        view.delete_requested.connect(lambda pid: self._delete_from_view(view, pid))
        _freed_on_close(view)
        view.open()
        return view

    def _delete_from_view(self, view, person_id: int) -> None:
        if self.confirm_delete(1):
            self.delete_ids([person_id], PERSONS,
                            on_done=lambda _r: _if_open(view, view.accept))

    # -- households ----------------------------------------------------------------------------

    def new_household(self):
        from ui.dialogs.household_form import HouseholdForm

        _household, village_id = self._where()
        form = HouseholdForm(self.store, village_id=village_id, parent=self.window)
        return self._show_household(form)

    def open_household(self, household_id: int):
        from ui.dialogs.household_form import HouseholdForm

        return self._show_household(HouseholdForm(self.store, household_id, parent=self.window))

    def _show_household(self, form):
        form.changed.connect(self.after_change)
        form.add_member_requested.connect(lambda hid: self.new_person(
            hid, on_saved=lambda _record: _if_open(form, lambda: form.load(hid))))
        _freed_on_close(form)
        form.open()
        return form

    # -- import ------------------------------------------------------------------------------

    def import_ledger(self, path=None):
        """导入台账: the dialog over the window; the register reloads after a written import.
        With a ``path`` (a file dropped on the window) that file is read at once."""
        from ui.dialogs.import_ledger import ImportDialog

        dialog = ImportDialog(self.store, self.tasks, parent=self.window)
        dialog.imported.connect(self.after_change)
        dialog.open()
        if path:
            dialog.path_edit.setText(str(path))
            dialog.read_plan()
        return dialog

    # -- delete --------------------------------------------------------------------------------

    def confirm_delete(self, count: int) -> bool:
        what = self.tr("人") if self.page.mode == PERSONS else self.tr("户（连同成员）")
        answer = QMessageBox.question(
            self.window, self.tr("删除"),
            self.tr("把所选的 {0} {1}放入回收站？可在回收站恢复。").format(count, what))
        return answer == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> None:
        ids = self.page.selected_ids()
        if ids and self.confirm_delete(len(ids)):
            self.delete_ids(ids, self.page.mode)

    def delete_ids(self, ids: list[int], mode: str, on_done=None) -> None:
        from laborstation.services import register

        delete = register.delete_person if mode == PERSONS else register.delete_household

        def work():
            for id_ in ids:
                delete(self.store, id_)
            return len(ids)

        def done(count) -> None:
            self.after_change()
            self.window.statusBar().showMessage(
                self.tr("已把 {0} 条放入回收站").format(count), 5000)
            if on_done is not None:
                on_done(count)

        self.tasks.run(work, title=self.tr("正在删除…"), on_done=done)

    # -- the area tree -------------------------------------------------------------------------

    def _tree_menu(self, point) -> None:
        level, area_id = self.page.tree.current_area()
        menu = QMenu(self.page.tree)
        if level == "township":
            menu.addAction(self.tr("添加行政村…"), lambda: self.add_area("village", area_id))
        if level == "village":
            menu.addAction(self.tr("添加村民小组…"), lambda: self.add_area("group", area_id))
        if level in ("village", "group"):
            menu.addAction(self.tr("改名…"), lambda: self.add_area("rename", area_id))
        if not menu.isEmpty():
            menu.exec(self.page.tree.viewport().mapToGlobal(point))

    def add_area(self, kind: str, area_id: int) -> None:
        from laborstation.services import areas

        prompt = {"village": self.tr("行政村名称："), "group": self.tr("村民小组名称（如 一组）："),
                  "rename": self.tr("新名称：")}[kind]
        name, ok = QInputDialog.getText(self.window, self.tr("区划"), prompt)
        if not ok or not name.strip():
            return
        call = {"village": areas.add_village, "group": areas.add_group,
                "rename": areas.rename_area}[kind]
        self.tasks.run(lambda: call(self.store, area_id, name.strip()), on_done=self.after_change)
