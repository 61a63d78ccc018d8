"""Import of 实名制台账 (persons, households) from real files written here, end to end."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from workbooks import write_xlsx

from laborstation.errors import UserError
from laborstation.idnumber import make_id
from laborstation.importing import (
    NoStation,
    UnreadableFile,
    plan_import,
    run_import,
    write_error_report,
)
from laborstation.model import Area, AuditEntry, Household, Person
from laborstation.progress import run_to_end
from laborstation.services.station import set_station

DATA = Path(__file__).parent.parent / "data"
TOWNSHIP = "410926100000"
HEADER = ["序号", "姓名", "身份证号码", "性别", "民族", "文化程度", "行政村", "村民小组", "户编号",
          "与户主关系"]


def pid(n: int, male: bool = True, year: int = 1980) -> str:
    return make_id("410926", date(year, 1, 1) + timedelta(days=n // 400), (n % 400) * 2, male)


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code=TOWNSHIP)


def imp(store, path, kind="persons", **options):
    return run_to_end(run_import(store, path, kind=kind, **options))


def count(store, model) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(model).where(
            model.deleted_at.is_(None)))


def ledger(tmp_path, rows=None, name="persons.xlsx"):
    rows = rows if rows is not None else [
        [1, "张伟", pid(1), "男", "汉族", "初中", "李庄村", "1组", "H001", "户主"],
        [2, "王芳", pid(2, False), "女", "汉", "高中", "李庄村", "1组", "H001", "配偶"],
        [3, "张小明", pid(3), "男", "汉族", "大专", "李庄", "一组", "H001", "子"],
        [4, "赵强", pid(4), "男", "回族", "小学", "王庄村", "2", "H002", "户主"],
    ]
    return write_xlsx(tmp_path / name, {"台账": [["城关镇劳动力资源台账"], HEADER, *rows]},
                      {"台账": ["A1:J1"]})


def test_persons_and_households_are_added_with_sex_birth_and_search_keys(store, station,
                                                                         tmp_path):
    result = imp(store, ledger(tmp_path))
    assert (result.read, result.added, result.errors, result.blank) == (4, 4, 0, 0)
    assert result.accounted and result.written and result.households_added == 2
    with store.reading() as session:
        zhang = session.scalar(select(Person).where(Person.id_number == pid(1)))
        assert (zhang.sex, zhang.birth_date, zhang.education) == ("1", date(1980, 1, 1), "70")
        assert "zhangwei" in zhang.search_text and zhang.nation == "01"
        household = session.get(Household, zhang.household_id)
        assert household.number == "H001" and household.head_id == zhang.id
        members = session.scalars(select(Person.name).where(
            Person.household_id == household.id)).all()
        assert sorted(members) == ["张伟", "张小明", "王芳"]
        villages = session.scalars(select(Area.name).where(Area.level == "village")).all()
        assert sorted(villages) == ["李庄村", "王庄村"]  # 李庄 is 李庄村
        groups = session.scalars(select(func.count()).select_from(Area).where(
            Area.level == "group")).one()
        assert groups == 2  # 1组 and 一组 are one group
        audited = session.scalars(select(func.sum(AuditEntry.last_row_id - AuditEntry.row_id + 1))
                                  .where(AuditEntry.action == "import",
                                         AuditEntry.table_name == "person")).one()
        assert audited == 4  # every added person is in an import run


def test_importing_the_same_file_twice_adds_nothing(store, station, tmp_path):
    path = ledger(tmp_path)
    imp(store, path)
    again = imp(store, path)
    assert (again.added, again.updated, again.unchanged, again.errors) == (0, 0, 4, 0)
    assert count(store, Person) == 4 and count(store, Household) == 2


def test_existing_persons_are_filled_in_not_overwritten_unless_asked(store, station, tmp_path):
    imp(store, ledger(tmp_path, [[1, "张伟", pid(1), "男", "", "", "李庄村", "", "", ""]]))
    second = ledger(tmp_path, [[1, "张伟伟", pid(1), "男", "回族", "初中", "李庄村", "", "", ""]],
                    name="second.xlsx")
    result = imp(store, second)
    assert result.updated == 1
    changes = result.findings[0].changes
    assert any(c.startswith("文化程度") for c in changes)
    assert any("姓名" in w for w in result.findings[0].warnings)  # differs, kept
    with store.reading() as session:
        person = session.scalar(select(Person).where(Person.id_number == pid(1)))
        assert (person.name, person.education, person.nation) == ("张伟", "70", "01")
    result = imp(store, second, overwrite=True)
    with store.reading() as session:
        person = session.scalar(select(Person).where(Person.id_number == pid(1)))
        assert (person.name, person.nation) == ("张伟伟", "03")
        assert "zhangweiwei" in person.search_text


def test_every_row_is_accounted_for(store, station, tmp_path):
    rows = [
        [1, "张伟", pid(1), "男", "", "", "李庄村", "", "", ""],
        [2, "", "", "", "", "", "", "", "", ""],  # only a 序号
        [None] * 10,  # blank
        [3, "李四", "4.10926E+17", "男", "", "", "李庄村", "", "", ""],
        [4, "王五", pid(1), "男", "", "", "李庄村", "", "", ""],  # same ID again
        [5, "赵六", pid(6), "女", "", "", "李庄村", "", "", ""],  # sex contradicts the ID
        [6, "钱七", pid(7), "男", "火星族", "", "", "", "", ""],  # new, no village
        ["注：本表由村委会填写"],
        ["填表人：张三", None, None, "审核人：李四"],
        [None, "说明：外出人员按实际填写"],
    ]
    result = imp(store, ledger(tmp_path, rows))
    assert result.read == 10 and result.accounted
    assert (result.added, result.errors, result.blank) == (2, 3, 5)
    reasons = {f.row: f.reason for f in result.error_findings}
    assert "文本" in reasons[6] and "重复" in reasons[7] and "行政村" in reasons[9]
    warnings = {f.row: f.warnings for f in result.findings}
    assert any("性别" in w for w in warnings[8])
    assert "zh" not in str(result.summary()) and "错误 3" in result.summary()


def test_all_or_nothing_writes_nothing_when_a_row_is_wrong(store, station, tmp_path):
    rows = [[1, "张伟", pid(1), "男", "", "", "李庄村", "", "", ""],
            [2, "李四", pid(2)[:-1] + "0" if pid(2)[-1] != "0" else pid(2)[:-1] + "1",
             "男", "", "", "李庄村", "", "", ""]]
    result = imp(store, ledger(tmp_path, rows), all_or_nothing=True)
    assert result.errors == 1 and result.added == 1 and not result.written
    assert count(store, Person) == 0
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Area).where(
            Area.level == "village")) == 0


def test_dry_run_writes_nothing(store, station, tmp_path):
    result = imp(store, ledger(tmp_path), dry_run=True)
    assert result.added == 4 and not result.written and count(store, Person) == 0


@pytest.mark.sqlite_only
def test_cancel_rolls_back(store, station, tmp_path):
    rows = [[i, f"张{i}", pid(i), "", "", "", "李庄村", "", f"H{i // 3}", ""]
            for i in range(1, 6001)]  # large enough to drop and rebuild the indexes
    work = run_import(store, ledger(tmp_path, rows), kind="persons")
    for step in work:
        if "已处理" in step.message:
            break
    work.close()
    assert count(store, Person) == 0 and count(store, Household) == 0
    result = imp(store, ledger(tmp_path, rows[:10], name="small.xlsx"))
    assert result.added == 10
    with store.reading() as session:
        indexes = session.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='person'").all()
    assert "uq_person_id_number_live" in {name for (name,) in indexes}


@pytest.mark.sqlite_only
def test_a_big_import_rebuilds_the_indexes(store, station, tmp_path):
    rows = [[i, f"张{i}", pid(i), "", "", "", "李庄村", "", "", ""] for i in range(1, 5101)]
    assert imp(store, ledger(tmp_path, rows)).added == 5100
    with store.reading() as session:
        plan = session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM person WHERE id_number = 'x' AND deleted_at IS NULL"
        ).all()
    assert "INDEX" in str(plan)


def test_several_sheets_take_the_village_from_the_sheet_name(store, station, tmp_path):
    header = ["姓名", "身份证号", "与户主关系", "户主姓名"]
    path = write_xlsx(tmp_path / "villages.xlsx", {
        "东村": [header, ["张伟", pid(1), "户主", ""], ["王芳", pid(2, False), "配偶", "张伟"]],
        "西村": [["西村台账"], header, ["李强", pid(3), "户主", ""]],
        "说明": [["本表说明：按村分页"]],
    })
    plan = plan_import(store, "persons", path)
    assert [s.village_from_name for s in plan.usable_sheets] == ["东村", "西村"]
    assert "工作表名" in plan.describe()
    result = imp(store, path)
    assert result.added == 3 and result.skipped_sheets == ["说明"]
    with store.reading() as session:
        rows = session.execute(select(Person.name, Area.name).join(
            Area, Area.id == Person.village_id)).all()
        assert set(rows) == {("李强", "西村"), ("张伟", "东村"), ("王芳", "东村")}
        wang = session.scalar(select(Person).where(Person.name == "王芳"))
        zhang = session.scalar(select(Person).where(Person.name == "张伟"))
        assert wang.household_id == zhang.household_id is not None  # by head's name


def test_merged_two_row_header_and_unmatched_columns_are_shown(store, station, tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", {"Sheet1": [
        ["城关镇实名制台账", None, None, None, None],
        ["基本情况", None, None, "所在地", None],
        ["姓 名", "身份证\n号码", "爱好", "行政村", "村民\n小组"],
        ["张伟", pid(1), "下棋", "李庄村", "3组"],
    ]}, {"Sheet1": ["A1:E1", "A2:C2", "D2:E2"]})
    plan = plan_import(store, "persons", path)
    header = plan.sheets[0].header
    assert header.first_row in (1, 2) and header.data_start == 3
    assert {"name", "id_number", "village", "group"} <= set(header.columns)
    assert "爱好" in header.unmatched and "爱好" in plan.describe()
    assert imp(store, plan).added == 1


def test_csv_in_gbk_and_utf8_with_bom(store, station, tmp_path):
    text = f"姓名,身份证号,行政村,民族\n张伟,{pid(1)},李庄村,汉族\n王芳,{pid(2, False)},李庄村,回\n"
    (tmp_path / "gbk.csv").write_bytes(text.encode("gbk"))
    assert imp(store, tmp_path / "gbk.csv").added == 2
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert imp(store, tmp_path / "bom.csv").unchanged == 2


def test_xls_saved_by_wps_is_read(store, station):
    path = DATA / "persons_wps.xls"
    result = imp(store, path)
    assert result.read == 5 and result.added == 2 and result.errors == 1 and result.blank == 2
    assert "文本" in result.error_findings[0].reason  # the ID stored as a number
    with store.reading() as session:
        names = session.execute(select(Person.name, Area.name).join(
            Area, Area.id == Person.village_id)).all()
    assert sorted(names) == [("张伟", "东村"), ("李芳", "东村")]


def test_error_report_can_be_fixed_and_imported_again(store, station, tmp_path):
    bad = "410926198001011000"
    rows = [[1, "张伟", pid(1), "男", "", "", "李庄村", "", "", ""],
            [2, "李四", bad, "男", "", "", "李庄村", "", "", ""]]
    result = imp(store, ledger(tmp_path, rows))
    report = write_error_report(result, tmp_path / "errors.xlsx")
    sheet = load_workbook(report).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-2:] == ["错误原因", "原行号"] and values[1][2] == bad
    assert "校验位" in values[1][-2]
    sheet.cell(2, 3).value = pid(2)
    sheet.parent.save(report)
    again = imp(store, report)
    assert (again.added, again.errors) == (1, 0) and count(store, Person) == 2


@pytest.mark.sqlite_only
@pytest.mark.parametrize("content, message", [
    (b"this is not a spreadsheet at all \x00\x01", "不是电子表格"),
    (b"PK\x03\x04broken zip", "损坏"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "密码"),
    (b"<html><table><tr><td>1</td></tr></table></html>", "HTML"),
])
def test_unreadable_files_leave_the_store_byte_for_byte_unchanged(store, station, tmp_path,
                                                                   content, message):
    imp(store, ledger(tmp_path))
    store.close()
    before = hashlib.sha256(store.path.read_bytes()).hexdigest()
    path = tmp_path / "bad.xls"
    path.write_bytes(content)
    from laborstation.db import open_store

    again = open_store(store.path)
    with pytest.raises(UnreadableFile, match=message):
        imp(again, path)
    again.close()
    assert hashlib.sha256(store.path.read_bytes()).hexdigest() == before


def test_no_header_and_no_station_are_clear_errors(store, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", {"Sheet1": [["姓名", "电话"], ["张伟", "138"]]})
    with pytest.raises(NoStation):
        plan_import(store, "persons", path)
    set_station(store, name="城关镇", code=TOWNSHIP)
    with pytest.raises(UnreadableFile, match="表头"):
        plan_import(store, "persons", path)


def test_a_county_imports_all_its_townships_keeping_same_named_villages_apart(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    path = write_xlsx(tmp_path / "county.xlsx", {"全县": [
        ["乡镇", "行政村", "姓名", "身份证号"],
        ["城关镇", "李庄村", "张伟", pid(1)],
        ["辛庄镇", "李庄村", "王芳", pid(2, False)],
        ["城关", "李庄", "李强", pid(3)],
    ]})
    assert imp(store, path).added == 3
    with store.reading() as session:
        villages = session.execute(select(Area.id, Area.parent_id).where(
            Area.level == "village")).all()
        assert len(villages) == 2 and len({p for _, p in villages}) == 2


def test_areas_the_import_makes_are_ordered_audited_and_checked(store, station, tmp_path):
    from laborstation.services.areas import add_village

    add_village(store, station.area_id, "东庄村")
    long_name = "长" * 61 + "村"
    path = write_xlsx(tmp_path / "areas.xlsx", {"台账": [
        ["行政村", "村民小组", "姓名", "身份证号"],
        ["东庄", "1组", "张伟", pid(1)],  # the village that exists, a new group
        ["西庄村委会", "第二村民小组", "王芳", pid(2, False)],
        ["西庄村", "2", "李强", pid(3)],  # the same village and group again
        [long_name, "1组", "赵六", pid(4)],
    ]})
    result = imp(store, path)
    assert (result.added, result.errors) == (3, 1)
    [refused] = result.error_findings
    assert refused.row == 5 and "村名" in refused.reason and "60" in refused.reason
    assert result.created_areas == ["村民小组 1组", "行政村 西庄村", "村民小组 第二村民小组"]
    with store.reading() as session:
        villages = session.execute(select(Area.name, Area.sort_order).where(
            Area.level == "village").order_by(Area.sort_order)).all()
        assert [tuple(v) for v in villages] == [("东庄村", 1), ("西庄村", 2)]
        groups = dict(session.execute(select(Area.name, Area.id).where(
            Area.level == "group")).all())
        assert set(groups) == {"1组", "第二村民小组"}
        made = {e.row_id: e.new for e in session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "area", AuditEntry.action == "insert"))}
        assert set(groups.values()) <= set(made)
        assert '"第二村民小组"' in made[groups["第二村民小组"]]


def test_in_a_county_a_township_name_too_long_refuses_its_row_only(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    path = write_xlsx(tmp_path / "county.xlsx", {"全县": [
        ["乡镇", "行政村", "姓名", "身份证号"],
        ["城关镇", "李庄村", "张伟", pid(1)],
        ["长" * 70 + "镇", "李庄村", "王芳", pid(2, False)],
    ]})
    result = imp(store, path)
    assert (result.added, result.errors) == (1, 1)
    assert "乡镇名" in result.error_findings[0].reason


def test_a_township_unit_refuses_a_file_of_several_townships(store, station, tmp_path):
    """Its own township among them: the other rows are refused; else the whole file."""
    path = write_xlsx(tmp_path / "county.xlsx", {"全县": [
        ["乡镇", "行政村", "姓名", "身份证号"],
        ["城关镇", "李庄村", "张伟", pid(1)], ["辛庄镇", "李庄村", "王芳", pid(2, False)]]})
    result = imp(store, path)
    assert (result.added, result.errors) == (1, 1)
    others = write_xlsx(tmp_path / "others.xlsx", {"全县": [
        ["乡镇", "行政村", "姓名", "身份证号"],
        ["王楼乡", "李庄村", "张伟", pid(3)], ["辛庄镇", "李庄村", "王芳", pid(4, False)]]})
    with pytest.raises(UserError, match="多个乡镇"):
        imp(store, others)


@pytest.mark.sqlite_only
def test_cli_exit_codes(store, station, tmp_path, capsys):
    from laborstation.cli import main

    store.close()
    cli = ["--db", str(store.path), "import", "persons", "--quiet"]
    assert main([*cli, str(ledger(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "身份证号码 → 身份证号" in out and "新增 4" in out
    bad = ledger(tmp_path, [[1, "李四", "4.10926E+17", "男", "", "", "李庄村", "", "", ""]],
                 name="bad.xlsx")
    report = tmp_path / "errors.xlsx"
    assert main([*cli, str(bad), "--report", str(report)]) == 1 and report.exists()
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert main([*cli, str(tmp_path / "empty.xlsx")]) == 2
    assert "空" in capsys.readouterr().err


def test_ods_and_xlsm_are_read(store, station, tmp_path):
    result = imp(store, DATA / "persons_wps.ods")
    assert (result.read, result.added, result.errors, result.blank) == (5, 2, 1, 2)
    xlsm = tmp_path / "macro.xlsm"
    xlsm.write_bytes(ledger(tmp_path).read_bytes())
    assert imp(store, xlsm).added == 4


def test_in_a_county_a_village_without_its_township_is_refused(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    path = write_xlsx(tmp_path / "c.xlsx", {"Sheet1": [["行政村", "姓名", "身份证号"],
                                                      ["李庄村", "张伟", pid(1)]]})
    result = imp(store, path)
    assert result.errors == 1 and "乡镇" in result.error_findings[0].reason


def test_unknown_codes_are_kept_in_notes_and_notes_are_added_to(store, station, tmp_path):
    imp(store, ledger(tmp_path, [[1, "张伟", pid(1), "男", "火星族", "", "李庄村", "", "", ""]]))
    with store.reading() as session:
        assert session.scalar(select(Person.notes)) == "民族：火星族"
    second = ledger(tmp_path, [[1, "张伟", pid(1), "男", "", "博士后", "李庄村", "", "", ""]],
                    name="second.xlsx")
    imp(store, second, overwrite=True)
    with store.reading() as session:
        assert session.scalar(select(Person.notes)) == "民族：火星族；文化程度：博士后"


def test_a_viewer_may_not_import_not_even_a_trial(store, station, tmp_path):
    from laborstation.errors import PermissionDenied
    from laborstation.services import accounts

    accounts.create_first_head(store, "zhang", "张所长", "head-pass")
    accounts.create_user(store, "guest", "小王", "viewer", "guest-pass")
    store.actor = accounts.authenticate(store, "guest", "guest-pass")
    path = ledger(tmp_path)
    for dry_run in (True, False):
        with pytest.raises(PermissionDenied, match="没有修改数据的权限"):
            imp(store, path, dry_run=dry_run)
    assert count(store, Person) == 0
    store.actor = accounts.authenticate(store, "zhang", "head-pass")
    assert imp(store, path).added == 4


def test_the_plan_outline_is_what_the_clerk_is_shown(store, station, tmp_path):
    path = ledger(tmp_path, [[1, "张伟", pid(1), "男", "汉族", "初中", "李庄村", "1组", "H001",
                              "户主"]])
    (sheet,) = plan_import(store, "persons", path).outline()
    assert (sheet.name, sheet.usable, sheet.header_rows, sheet.data_rows) == (
        "台账", True, "第 2 行", 1)
    assert ("身份证号码", "身份证号") in sheet.mapping and sheet.unmatched == ()


def test_a_roster_chosen_as_the_wrong_kind_is_pointed_out(store, station, tmp_path):
    from laborstation.importing import UnreadableFile

    roster = write_xlsx(tmp_path / "转移就业.xlsx", {"花名册": [
        ["姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位"],
        ["张伟", pid(1), "李庄村", "2026-03-01", "广东东莞", "某电子厂"]]})
    plan = plan_import(store, "persons", roster)  # the persons columns are there too
    assert plan.likelier == ("placements", 6, 3)
    assert "这个文件更像转移就业花名册：按转移就业花名册能识别 6 列" in plan.describe()
    assert plan_import(store, "placements", roster).likelier is None
    assert plan_import(store, "persons", ledger(tmp_path)).likelier is None
    courses = write_xlsx(tmp_path / "培训.xlsx", {"花名册": [
        ["姓名", "身份证号", "培训班名称", "开班时间", "结业时间"],
        ["张伟", pid(1), "电工班", "2026-03-01", "2026-03-20"]]})
    assert plan_import(store, "placements", courses).likelier[0] == "trainings"
    # spelt as only a 实名制台账 spells it: no header at all as a roster, and the hint says so
    persons = write_xlsx(tmp_path / "台账.xlsx", {"台账": [
        ["人员姓名", "成员身份证号", "行政村"], ["张伟", pid(1), "李庄村"]]})
    with pytest.raises(UnreadableFile, match="这个文件看起来是实名制台账：请按“实名制台账”导入"):
        plan_import(store, "placements", persons)


def test_a_ledger_that_also_keeps_work_columns_is_not_taken_for_a_roster(store, station,
                                                                         tmp_path):
    both = write_xlsx(tmp_path / "台账.xlsx", {
        "台账": [["乡镇", "村", "组", "姓名", "性别", "身份证号码", "文化程度", "联系电话", "就业状态",
                 "务工地点", "工作单位", "从事行业", "工种", "月收入", "外出时间"],
                ["城关镇", "李庄村", "1组", "张伟", "男", pid(1), "初中", "138", "外出务工",
                 "广东东莞", "某厂", "制造业", "普工", 4500, "2026-03-01"]],
        "外出人员": [["姓名", "身份证号", "外出时间", "务工地点", "用工单位"],
                 ["张伟", pid(1), "2026-03-01", "广东东莞", "某厂"]]})
    assert plan_import(store, "persons", both).likelier is None


@pytest.mark.sqlite_only  # (the command line is given the SQLite file)
def test_the_command_line_shows_every_note_when_asked_and_names_its_overwrite(
        store, station, tmp_path, capsys):
    from laborstation.cli import main

    store.close()
    cli = ["--db", str(store.path), "import", "persons", "--quiet"]
    assert main([*cli, str(ledger(tmp_path))]) == 0
    # 60 rows each told its 性别 contradicts the ID number; one differing from the register.
    rows = [[n, f"人{n}", pid(100 + n), "女", "汉族", "初中", "李庄村", "1组", f"H{n}", "户主"]
            for n in range(1, 61)]
    rows.append([61, "张伟", pid(1), "男", "汉族", "小学", "李庄村", "1组", "H001", "户主"])
    noisy = ledger(tmp_path, rows, name="noisy.xlsx")
    assert main([*cli, str(noisy), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "……另有 11 条提示未显示（加 --all-notes 显示全部）" in out
    assert "需要覆盖时勾选“用表中的值覆盖已有信息”再导入" not in out  # (row 63: not shown)
    assert main([*cli, str(noisy), "--dry-run", "--all-notes"]) == 0
    out = capsys.readouterr().out
    assert "未显示" not in out and out.count("性别“女”与身份证号不符") == 60
    assert "文化程度（台账中“初中”，表中“小学”）（需要覆盖时勾选“用表中的值覆盖已有信息”再导入）" in out
    assert "（命令行中“用表中的值覆盖已有信息”就是 --overwrite：加上它再导入一次即按表中的值改正）" in out


def test_a_row_copied_twice_is_imported_once_not_refused(store, station, tmp_path):
    rows = [
        [1, "张伟", pid(1), "男", "汉族", "初中", "李庄村", "1组", "H001", "户主"],
        [2, "张伟", pid(1), "男", "汉族", "初中", "李庄村", "1组", "H001", "户主"],  # the same
        [3, "张伟", pid(1), "男", "汉族", "高中", "李庄村", "1组", "H001", "户主"],  # not the same
    ]
    result = imp(store, ledger(tmp_path, rows))
    assert (result.added, result.unchanged, result.errors) == (1, 1, 1) and result.accounted
    told = {f.row: (f.reason, f.warnings) for f in result.findings}
    assert told[4] == ("", ["与「台账」第 3 行完全相同，只导入了一次"])
    assert told[5][0] == ("身份证号与「台账」第 3 行重复：同一个人只能有一行，请核对身份证号，"
                          "或删去重复的一行后再导入")
    assert count(store, Person) == 1
