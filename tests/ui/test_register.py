"""The register page: search by each kind of key, filters, the lazy model."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from laborstation.model import Person
from laborstation.search_keys import search_text
from laborstation.services import browse, browse_households
from ui.models.person_table import Col, PersonTableModel


def _someone(store) -> Person:
    with store.reading() as s:
        return s.scalars(
            select(Person).where(Person.phone != "", Person.deleted_at.is_(None)).order_by(Person.id)
        ).first()


def _names(window) -> list[str]:
    model = window.register.model
    return [model.data(model.index(r, Col.NAME)) for r in range(model.rowCount())]


def _search(qtbot, window, text: str) -> None:
    """Type as a clerk does: one keystroke at a time (Chinese characters as input-method commits)."""
    box = window.register.filters.search
    box.clear()
    for char in text:
        if char.isascii():
            qtbot.keyClick(box, char)
        else:
            box.insert(char)


def test_search_by_each_kind_of_key(qtbot, window, demo_store):
    p = _someone(demo_store)
    _, full, initials = search_text(p.name).split(" ")[:3]
    for key in (p.name, p.name[1:], full, initials, p.id_number[:14], p.id_number, p.phone):
        _search(qtbot, window, key)
        assert p.name in _names(window), key
        model = window.register.model
        count = model.rowCount()
        assert window.register.count_label.text() == f"共 {count:,} 人"
    _search(qtbot, window, p.id_number)
    assert window.register.model.rowCount() == 1
    _search(qtbot, window, "qqqqzz")
    assert window.register.model.rowCount() == 0
    assert window.register.count_label.text() == "共 0 人"


def test_filters_narrow_the_list(qtbot, window, demo_store):
    page = window.register
    everyone = page.model.rowCount()
    page.filters.labour.setCurrentIndex(page.filters.labour.findData(True))
    labour = page.model.rowCount()
    assert 0 < labour < everyone
    assert labour == len(browse.person_ids(demo_store, browse.PersonQuery(rural_labour=True)))
    page.filters.clear()
    assert page.model.rowCount() == everyone
    village = next(n for n in browse_households.area_nodes(demo_store) if n.level == "village")
    page.tree.select_area(village.id)
    assert page.model.rowCount() == village.persons
    assert all(row_village == village.name for row_village in (
        page.model.data(page.model.index(r, Col.VILLAGE)) for r in range(page.model.rowCount())))


def test_households_view(qtbot, window, demo_store):
    page = window.register
    page.view_group.buttons()[1].click()
    assert page.mode == "households"
    assert page.model.rowCount() == browse_households.totals(demo_store)["households"]
    assert page.count_label.text().endswith("户")


def test_model_passes_qtmodeltester(qtmodeltester, demo_store):
    model = PersonTableModel(demo_store)
    model.refresh()
    qtmodeltester.check(model, force_py=True)
    model.sort(Col.NAME)
    qtmodeltester.check(model, force_py=True)


def test_model_without_a_view_fetches_only_what_is_read(demo_store):
    model = PersonTableModel(demo_store)
    model.set_query(browse.PersonQuery())
    assert model.rowCount() == 300
    assert model.rows_fetched == 0
    last = model.index(model.rowCount() - 1, Col.NAME)
    assert model.data(last)
    assert 0 < model.rows_fetched < 300
    model.sort(Col.AGE)  # age ascending = youngest first
    ages = [int(model.data(model.index(r, Col.AGE))) for r in range(20)]
    assert ages == sorted(ages)
    model.sort(Col.NAME, Qt.SortOrder.DescendingOrder)
    names = [model.data(model.index(r, Col.NAME)) for r in range(model.rowCount())]
    with demo_store.reading() as s:
        expected = s.scalars(select(Person.name).where(Person.deleted_at.is_(None))
                             .order_by(Person.name.desc(), Person.id.desc())).all()
    assert names == expected


def test_scrolling_to_the_end_does_not_load_all_rows(qtbot, window):
    table = window.register.table
    window.show()
    table.scrollToBottom()
    qtbot.wait(10)
    model = window.register.model
    assert model.rows_fetched < model.rowCount()


def test_a_large_result_shows_its_head_and_reads_the_rest_on_demand(qtmodeltester, demo_store,
                                                                     monkeypatch):
    monkeypatch.setattr(browse, "LARGE", 10)
    model = PersonTableModel(demo_store)
    model.set_query(browse.PersonQuery(text="4109"))
    every = browse.person_ids(demo_store, browse.PersonQuery(text="4109"))
    assert model.rowCount() == len(every) > 100
    model.head = 50
    model.refresh()
    assert model.rowCount() == len(every)
    assert len(model._ids) == 50  # only the head was read for the keystroke
    last = model.index(model.rowCount() - 1, Col.ID_NUMBER)
    assert model.data(last) == browse.person_rows(demo_store, every[-1:])[0].id_number
    assert model.ids() == every
    qtmodeltester.check(model, force_py=True)
