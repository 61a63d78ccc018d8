"""The audit trail for reading: filters, paging, masking for viewers, the audited export."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from laborstation.db.store import Actor
from laborstation.errors import UserError
from laborstation.idnumber import make_id
from laborstation.services import areas, masking, register
from laborstation.services.audit_query import AuditFilter, audit_page, audit_users, export_xlsx
from laborstation.services.register import PersonInput

ZHANG_ID = make_id("410926", date(1990, 5, 1), 12, True)
LI_ID = make_id("410926", date(1985, 3, 9), 21, False)


@pytest.fixture
def world(store, township_id):
    town_id = township_id
    village = areas.add_village(store, town_id, "东村")
    store.actor = Actor("wang", "clerk")
    zhang = register.create_person(store, PersonInput(ZHANG_ID, "张三", village_id=village.id,
                                                      phone="13812345678"))
    store.actor = Actor("li", "head")
    li = register.create_person(store, PersonInput(LI_ID, "李四", village_id=village.id))
    register.update_person(store, zhang.id, phone="13900001111")
    return {"zhang": zhang.id, "li": li.id}


def test_filters_by_person_record_user_action_and_date(store, world):
    everything = audit_page(store)
    assert everything.total == len(everything.rows) >= 4
    assert everything.rows[0].at >= everything.rows[-1].at  # newest first

    zhang = audit_page(store, AuditFilter(person="张三"))
    assert {(r.table_name, r.row_id) for r in zhang.rows} == {("person", world["zhang"])}
    assert [r.action for r in zhang.rows] == ["update", "insert"]
    assert zhang.rows[0].field == "phone"
    assert (zhang.rows[0].old, zhang.rows[0].new) == ("13812345678", "13900001111")
    assert audit_page(store, AuditFilter(person="zs")).total == zhang.total  # initials
    assert audit_page(store, AuditFilter(person=LI_ID[:14])).rows[0].row_id == world["li"]
    assert audit_page(store, AuditFilter(person="没有这个人")).total == 0

    record = audit_page(store, AuditFilter(table="person", row_id=world["li"]))
    assert [r.action_name for r in record.rows] == ["新增"]
    by_wang = audit_page(store, AuditFilter(user="wang"))
    assert {r.user_name for r in by_wang.rows} == {"wang"}
    assert "wang" in audit_users(store) and "li" in audit_users(store)
    updates = audit_page(store, AuditFilter(action="update"))
    assert updates.total == 1
    today = date.today()
    assert audit_page(store, AuditFilter(start=today, end=today)).total == everything.total
    assert audit_page(store, AuditFilter(end=today - timedelta(days=1))).total == 0


def test_paging(store, world):
    total = audit_page(store).total
    first = audit_page(store, limit=2)
    second = audit_page(store, offset=2, limit=2)
    assert len(first.rows) == 2 and first.total == total
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}


def test_viewer_sees_ids_and_phones_masked(store, world):
    store.actor = Actor("guest", "viewer")
    rows = audit_page(store, AuditFilter(person="张三")).rows
    inserted = next(r for r in rows if r.action == "insert")
    assert ZHANG_ID not in inserted.new
    assert masking.mask_id(ZHANG_ID) in inserted.new
    update = next(r for r in rows if r.action == "update")
    assert (update.old, update.new) == ("138****5678", "139****1111")


def test_export_with_full_ids_is_audited(store, world, tmp_path):
    path = tmp_path / "audit.xlsx"
    count = export_xlsx(store, AuditFilter(person="张三"), path)
    sheet = load_workbook(path).active
    assert count == 2 and sheet.max_row == 3
    assert sheet["A1"].value == "时间"
    assert any(ZHANG_ID in (c.value or "") for c in sheet["H"])
    exports = audit_page(store, AuditFilter(action="export")).rows
    assert len(exports) == 1
    assert exports[0].user_name == "li"
    assert exports[0].old == "人员=张三" and "audit.xlsx" in exports[0].new


def test_an_export_that_fails_midway_leaves_the_earlier_file_whole(store, world, tmp_path,
                                                                   monkeypatch):
    from openpyxl import Workbook

    path = tmp_path / "audit.xlsx"
    export_xlsx(store, AuditFilter(person="张三"), path)
    earlier = path.read_bytes()

    def disk_full(self, filename):
        with open(filename, "wb") as half:
            half.write(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", disk_full)
    with pytest.raises(UserError, match="无法写入文件"):
        export_xlsx(store, AuditFilter(), path)
    assert path.read_bytes() == earlier
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["audit.xlsx"]  # no temporary file
    assert audit_page(store, AuditFilter(action="export")).total == 1  # the first one only


def test_viewer_export_is_masked_and_not_audited(store, world, tmp_path):
    store.actor = Actor("guest", "viewer")
    export_xlsx(store, AuditFilter(), tmp_path / "masked.xlsx")
    values = [c.value or "" for row in load_workbook(tmp_path / "masked.xlsx").active for c in row]
    assert not any(ZHANG_ID in str(v) or LI_ID in str(v) for v in values)
    assert audit_page(store, AuditFilter(action="export")).total == 0


def test_masking_helpers():
    assert masking.mask_phone("13812345678") == "138****5678"
    assert masking.mask_text(f"身份证 {ZHANG_ID}，电话 13812345678") == (
        f"身份证 {ZHANG_ID[:6]}********{ZHANG_ID[-4:]}，电话 138****5678")
    assert masking.mask_text("户编号 0123") == "户编号 0123"
    assert masking.should_mask(Actor("x", "viewer")) and not masking.should_mask(Actor("x", "clerk"))


def test_readable_values(store, world):
    from laborstation.services.audit_query import readable

    inserted = next(r for r in audit_page(store, AuditFilter(person="李四")).rows)
    text = readable(inserted.new)
    assert text.startswith(f"身份证号：{LI_ID}") or f"身份证号：{LI_ID}" in text
    assert "姓名：李四" in text and "{" not in text
    assert readable("13812345678") == "13812345678" and readable(None) == ""
