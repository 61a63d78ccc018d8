"""The area tree services: villages and groups added, renamed, listed; importers' look-ups."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from laborstation.db.store import Actor
from laborstation.errors import DuplicateRecord, NotFound, PermissionDenied, ValidationError
from laborstation.model import AuditEntry
from laborstation.model.area import COUNTY, TOWNSHIP, Area
from laborstation.services import areas

TOWNSHIP_CODE = "410926101000"


@pytest.fixture
def township(store):
    """A county and one township, as services.station would make them."""
    with store.session() as s:
        county = Area(code="410926000000", name="范县", level=COUNTY)
        s.add(county)
        s.flush()
        town = Area(code=TOWNSHIP_CODE, name="濮城镇", level=TOWNSHIP, parent_id=county.id)
        s.add(town)
        s.flush()
        return county.id, town.id


def test_add_village_with_and_without_code(store, township):
    _county, town = township
    store.actor = Actor("张会计", "clerk")
    east = areas.add_village(store, town, " 东村 ", code="410926101201")
    west = areas.add_village(store, town, "西村")
    assert (east.name, east.code, east.level, east.parent_id) == (
        "东村",
        "410926101201",
        "village",
        town,
    )
    assert west.code is None
    assert [a.name for a in areas.children(store, town)] == ["东村", "西村"]
    with store.reading() as s:
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "area", AuditEntry.row_id == east.id)
        ).all()
    assert [(a.action, a.user_name) for a in audit] == [("insert", "张会计")]
    assert '"name": "东村"' in audit[0].new


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("41092610120", "12 位数字"),
        ("41092610120X", "12 位数字"),
        ("410926102201", "前 9 位应为 410926101"),
        ("410926101000", "后 3 位不能是 000"),
    ],
)
def test_invalid_village_code_refused(store, township, code, words):
    with pytest.raises(ValidationError) as caught:
        areas.add_village(store, township[1], "东村", code=code)
    assert words in str(caught.value)
    assert caught.value.field == "code"
    assert areas.children(store, township[1]) == []


def test_village_code_and_name_must_be_unique(store, township):
    town = township[1]
    first = areas.add_village(store, town, "东村", code="410926101201")
    with pytest.raises(DuplicateRecord, match="已用于「东村」") as caught:
        areas.add_village(store, town, "南村", code="410926101201")
    assert caught.value.existing_id == first.id
    with pytest.raises(DuplicateRecord, match="已有名为「东村」"):
        areas.add_village(store, town, "东 村")
    with pytest.raises(ValidationError, match="村名不能为空"):
        areas.add_village(store, town, "  ")


def test_village_needs_a_township_and_group_a_village(store, township):
    county, town = township
    with pytest.raises(ValidationError, match="不是乡镇"):
        areas.add_village(store, county, "东村")
    with pytest.raises(NotFound):
        areas.add_village(store, 9999, "东村")
    village = areas.add_village(store, town, "东村")
    group = areas.add_group(store, village.id, "一组")
    assert (group.level, group.parent_id, group.code) == ("group", village.id, None)
    with pytest.raises(ValidationError, match="不是行政村"):
        areas.add_group(store, town, "一组")
    with pytest.raises(DuplicateRecord):
        areas.add_group(store, village.id, "一组")
    # the same group name under another village is fine
    other = areas.add_village(store, town, "西村")
    assert areas.add_group(store, other.id, "一组").parent_id == other.id


def test_rename_audits_old_and_new(store, township):
    village = areas.add_village(store, township[1], "东村")
    areas.add_village(store, township[1], "西村")
    store.actor = Actor("张会计", "clerk")
    renamed = areas.rename_area(store, village.id, "东风村")
    assert renamed.name == "东风村"
    with pytest.raises(DuplicateRecord):
        areas.rename_area(store, village.id, "西村")
    areas.rename_area(store, village.id, "东风村")  # unchanged: no audit row
    with store.reading() as s:
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "area", AuditEntry.action == "update",
                                     AuditEntry.row_id == village.id)
        ).all()
    assert [(r.user_name, r.field, r.old, r.new) for r in rows] == [
        ("张会计", "name", "东村", "东风村")
    ]


def test_area_tree_is_depth_first_in_order(store, township):
    county, town = township
    east = areas.add_village(store, town, "东村")
    west = areas.add_village(store, town, "西村")
    areas.add_group(store, west.id, "一组")
    areas.add_group(store, east.id, "二组")
    areas.add_group(store, east.id, "一组")
    tree = areas.area_tree(store)
    assert [(a.depth, a.name) for a in tree] == [
        (0, "范县"),
        (1, "濮城镇"),
        (2, "东村"),
        (3, "二组"),
        (3, "一组"),
        (2, "西村"),
        (3, "一组"),
    ]
    assert tree[0].level_name == "县"
    assert [a.name for a in areas.children(store, None)] == ["范县"]


def test_village_in_finds_or_creates_inside_a_session(store, township):
    town = township[1]
    areas.add_village(store, town, "李庄村")
    with store.session() as s:
        assert areas.village_in(s, town, "李庄").name == "李庄村"
        assert areas.village_in(s, town, "王庄", create=False) is None
        made = areas.village_in(s, town, "王庄")
        assert made.id is not None and made.parent_id == town
        group = areas.group_in(s, made.id, "三组")
        assert areas.group_in(s, made.id, "三组").id == group.id
        assert areas.township_of(s, group.id).id == town
        assert areas.township_of(s, township[0]) is None
    assert [a.name for a in areas.children(store, town)] == ["李庄村", "王庄"]


def test_viewer_cannot_add(store, township):
    store.actor = Actor("查询员", "viewer")
    with pytest.raises(PermissionDenied):
        areas.add_village(store, township[1], "东村")


def test_delete_and_restore_a_village_through_the_recycle_bin(store, township):
    from laborstation.services import recycle, register
    from laborstation.services.register import HouseholdInput

    town = township[1]
    typo = areas.add_village(store, town, "东春")
    real = areas.add_village(store, town, "东村")
    register.create_household(store, HouseholdInput("001", real.id))
    with pytest.raises(ValidationError, match="还有 1 户"):
        areas.delete_area(store, real.id)
    with pytest.raises(ValidationError, match="只能删除村或村民小组"):
        areas.delete_area(store, town)
    gone = areas.delete_area(store, typo.id)
    assert [a.name for a in areas.children(store, town)] == ["东村"]
    assert "东春" not in [a.name for a in areas.area_tree(store)]
    items = recycle.recycle_bin(store)
    assert [(i.kind, i.id, i.label) for i in items] == [("area", gone.id, "行政村 濮城镇 东春")]
    areas.add_village(store, town, "东春")  # the name is free while it is in the bin
    with pytest.raises(DuplicateRecord):
        recycle.restore(store, "area", gone.id)
    assert recycle.recycle_bin(store)[0].id == gone.id
