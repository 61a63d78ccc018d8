"""Person and household forms, the duplicate warning, delete and restore."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from laborstation.idnumber import age_at, make_id
from laborstation.services import browse, browse_households, register
from ui.dialogs.duplicates import OPEN, SAVE, DuplicateDialog
from ui.dialogs.household_form import HouseholdForm
from ui.dialogs.person_form import PersonForm


def _village(store):
    return next(n for n in browse_households.area_nodes(store) if n.level == "village")


def _form(qtbot, store, **kw) -> PersonForm:
    form = PersonForm(store, **kw)
    qtbot.addWidget(form)
    return form


def _when_modal(callback) -> None:
    """Act on the next modal dialog once it is shown (for exec())."""
    def poll():
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, poll)
        else:
            callback(modal)

    QTimer.singleShot(20, poll)


def test_valid_id_fills_the_derived_fields_and_saves(qtbot, window, demo_store, wait_tasks):
    village = _village(demo_store)
    form = _form(qtbot, demo_store, village_id=village.id)
    number = make_id("410926", date(1990, 7, 1), 123, True)
    form.id_number.setText(number[:10])
    assert form.id_status.text() == "还差 8 位" and form.id_state == "typing"
    form.id_number.setText(number)
    assert form.id_state == "valid"
    age = age_at(date(1990, 7, 1), date.today())
    assert f"性别 男　出生日期 1990年07月01日　年龄 {age} 岁　出生地 河南省濮阳市范县" == form.derived.text()
    form.name.setText("欧阳新")
    form.status.setEditText("本地")  # searchable combo: a part of the name
    form.status.lineEdit().editingFinished.emit()
    assert form.status.code() == "31"
    form.try_accept()
    assert form.accepted_input is not None
    before = window.register.model.rowCount()
    window.actions.save_new_person(form.accepted_input)
    wait_tasks(window)
    assert window.register.model.rowCount() == before + 1
    saved = register.find_by_id_number(demo_store, number)
    assert (saved.name, saved.sex, saved.local_status) == ("欧阳新", "1", "31")
    window.register.filters.search.setText("oyx")
    assert saved.id in window.register.model.ids()


def test_invalid_id_shows_the_exact_fault_and_is_refused(qtbot, demo_store):
    form = _form(qtbot, demo_store, village_id=_village(demo_store).id)
    good = make_id("410926", date(1990, 7, 1), 123, True)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    form.id_number.setText(bad)
    assert form.id_state == "invalid"
    assert "校验位错误" in form.id_status.text() and f"应为 {good[17]}" in form.id_status.text()
    assert form.derived.text() == ""
    form.id_number.setText("410926199002301234")
    assert "出生日期无效" in form.id_status.text()
    form.name.setText("张三")
    form.try_accept()
    assert form.accepted_input is None
    assert "出生日期无效" in form.error.text()


def test_enter_moves_to_the_next_field(qtbot, demo_store):
    from PySide6.QtCore import Qt

    form = _form(qtbot, demo_store, village_id=_village(demo_store).id)
    form.show()
    form.id_number.setFocus()
    qtbot.waitUntil(form.id_number.hasFocus)
    qtbot.keyClick(form.id_number, Qt.Key.Key_Return)
    assert form.name.hasFocus()
    assert form.accepted_input is None


def test_same_id_is_refused_with_a_button_to_open_the_person(qtbot, window, demo_store):
    existing = browse.person_rows(demo_store, window.register.model.ids()[:1])[0]
    form = _form(qtbot, demo_store, village_id=_village(demo_store).id)
    form.id_number.setText(existing.id_number)
    form.name.setText("别人")
    _when_modal(lambda dialog: dialog.open_button.click())
    form.try_accept()
    assert form.accepted_input is None
    assert form.open_existing and form.existing_id == existing.id
    dialog = form.last_duplicate_dialog
    assert dialog.blocking is not None and not hasattr(dialog, "save_button")


def test_homophone_is_shown_side_by_side_and_may_be_saved(qtbot, window, demo_store):
    village = _village(demo_store)
    first = register.create_person(demo_store, register.PersonInput(
        id_number=make_id("410926", date(1988, 3, 3), 201, True), name="王伟",
        village_id=village.id))
    data = register.PersonInput(id_number=make_id("410926", date(1988, 9, 9), 303, True),
                                name="汪威", village_id=village.id)
    candidates = register.duplicate_candidates(demo_store, data)
    dialog = DuplicateDialog(data, candidates)
    qtbot.addWidget(dialog)
    assert dialog.blocking is None
    assert dialog.table.item(0, 0).text() == "汪威"
    names = [dialog.table.item(0, c).text() for c in range(1, dialog.table.columnCount())]
    assert first.name in names
    form = _form(qtbot, demo_store, village_id=village.id)
    form.id_number.setText(data.id_number)
    form.name.setText(data.name)
    form.household.setCurrentIndex(form.household.findData(None))
    _when_modal(lambda d: d.save_button.click())
    form.try_accept()
    assert form.accepted_input is not None and form.accepted_input.name == "汪威"
    assert SAVE != OPEN


def test_household_members_add_head_move(qtbot, window, demo_store):
    village = _village(demo_store)
    form = HouseholdForm(demo_store, village_id=village.id)
    qtbot.addWidget(form)
    assert not form.members_box.isEnabled()
    suggested = form.number.text()
    assert suggested
    form.save()
    assert form.record is not None and form.record.number == suggested
    hid = form.record.id
    a = register.create_person(demo_store, register.PersonInput(
        id_number=make_id("410926", date(1970, 1, 1), 11, True), name="孙甲", household_id=hid))
    form.load(hid)
    assert form.members.rowCount() == 1
    b_id = make_id("410926", date(1972, 2, 2), 22, False)
    other = register.create_person(demo_store, register.PersonInput(
        id_number=b_id, name="钱乙", village_id=village.id))
    form.bring_in_id_number(b_id)
    assert form.members.rowCount() == 2
    form.members.selectRow([m.id for m in form.record.members].index(a.id))
    form.make_head()
    assert form.record.head_id == a.id
    assert "（户主）" in form.members.item(0, 0).text()
    target = next(i for i in browse_households.household_ids(
        demo_store, browse_households.HouseholdQuery(village_id=village.id)) if i != hid)
    form.move_member(other.id, target)
    assert form.members.rowCount() == 1
    assert register.get_person(demo_store, other.id).household_id == target
    form.category.set_code("1")
    form.save()
    assert register.get_household(demo_store, hid).category == "1"


def test_delete_and_restore(qtbot, window, demo_store, wait_tasks):
    page = window.register
    first = page.model.ids()[0]
    before = page.model.rowCount()
    window.actions.delete_ids([first], "persons")
    wait_tasks(window)
    assert page.model.rowCount() == before - 1 and first not in page.model.ids()
    window.show_page("recycle")
    bin_page = window.pages["recycle"]
    row = next(i for i, item in enumerate(bin_page.items) if item.id == first)
    bin_page.table.selectRow(row)
    bin_page.restore_selected()
    wait_tasks(window)
    assert page.model.rowCount() == before and first in page.model.ids()
    assert all(item.id != first for item in bin_page.items)


def test_edit_person_through_the_form(qtbot, window, demo_store, wait_tasks):
    pid = window.register.model.ids()[10]
    record = register.get_person(demo_store, pid)
    form = _form(qtbot, demo_store, person=record)
    assert form.id_number.text() == record.id_number and form.id_state == "valid"
    form.phone.setText("13700001111")
    form.household.setCurrentIndex(form.household.findData(None))  # out of the household
    form.try_accept()
    assert form.accepted_input is not None
    window.actions.save_person(record, form.accepted_input)
    wait_tasks(window)
    saved = register.get_person(demo_store, pid)
    assert saved.phone == "13700001111"
    assert saved.household_id is None and saved.village_id == record.village_id


def test_person_page_lists_the_work_records(qtbot, window, demo_store):
    from sqlalchemy import func, select

    from laborstation.model import Placement
    from laborstation.services import placements, training

    with demo_store.reading() as s:
        pid = s.execute(select(Placement.person_id).group_by(Placement.person_id)
                        .order_by(func.count().desc()).limit(1)).scalar_one()
    view = window.actions.open_person(pid)
    qtbot.addWidget(view)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles[0] == "基本信息"
    assert titles[1] == f"转移就业（{len(placements.list_for_person(demo_store, pid))}）"
    assert titles[2] == f"技能培训（{len(training.list_for_person(demo_store, pid))}）"
    assert titles[3].startswith("就业援助") and titles[4].startswith("维权案件")
    assert view.tabs.widget(1).rowCount() >= 1
    view.close()


def test_a_member_added_from_the_household_form_is_saved_and_listed(qtbot, window, demo_store,
                                                                    wait_tasks):
    """The person form opens over the window (not exec(): the idle lock can hide it); when
    it is accepted the person is saved and the household form lists the new member."""
    hid = browse_households.household_ids(demo_store, browse_households.HouseholdQuery())[0]
    household = window.actions.open_household(hid)
    qtbot.waitUntil(household.isVisible, timeout=3000)
    members = household.members.rowCount()
    household.add_button.click()
    form = QApplication.activeModalWidget()
    assert isinstance(form, PersonForm) and form.isVisible()
    form.id_number.setText(make_id("410926", date(2001, 2, 3), 321, False))
    form.name.setText("成员甲")
    form.try_accept()
    wait_tasks(window)
    qtbot.waitUntil(lambda: household.members.rowCount() == members + 1, timeout=3000)
    assert register.find_by_id_number(demo_store, form.accepted_input.id_number).household_id == hid


def test_forms_and_views_opened_from_the_register_are_freed_when_closed(qtbot, window,
                                                                         demo_store):
    import shiboken6

    pid = browse.person_ids(demo_store, browse.PersonQuery())[0]
    hid = browse_households.household_ids(demo_store, browse_households.HouseholdQuery())[0]
    opened = []
    for open_one in (window.actions.new_person, lambda: window.actions.open_person(pid),
                     lambda: window.actions.open_household(hid)):
        opened.append(open_one())
        opened[-1].reject()  # (closed at once: each is on top when it closes)
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(d) for d in opened), timeout=3000)
