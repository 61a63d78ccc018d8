"""Ledgers from the third review: hidden sheets, more spellings of the township column,
place parts under a group title, a column given twice, the two-row header repeated
further down, other CSV separators, and header texts with line breaks (reading.py,
headers.py, plan.py, run.py, import_headers.csv)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.idnumber import make_id
from laborstation.importing import UnreadableFile, headers, plan_import, run_import, xlsx_parts
from laborstation.importing.reading import read_file
from laborstation.importing.sheet_rows import SheetRows
from laborstation.model import VILLAGE, Area, Person, Placement
from laborstation.progress import run_to_end
from laborstation.services.station import set_station


def pid(n: int, male: bool = True) -> str:
    return make_id("410926", date(1980, 1, 1) + timedelta(days=n), n * 2 % 1000, male)


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code="410926100000")


def imp(store, path, kind="persons", **options):
    return run_to_end(run_import(store, path, kind=kind, **options))


def people(store) -> dict[str, tuple[str | None, str]]:
    """name → (village, phone) of every person."""
    with store.reading() as session:
        areas = dict(session.execute(select(Area.id, Area.name)).all())
        return {p.name: (areas.get(p.village_id), p.phone)
                for p in session.scalars(select(Person))}


def area_names(store) -> set[str]:
    with store.reading() as session:
        return set(session.scalars(select(Area.name)))


# 1. Hidden sheets ------------------------------------------------------------------------

def hidden_ledger(path: Path, chart: bool = True) -> Path:
    """李庄村 (visible) with two people; 旧台账 (hidden), an old copy of the ledger with
    one of them in another village and one more; 代码 (very hidden); a chart sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "李庄村"
    sheet.append(["姓名", "身份证号", "村民小组", "联系电话"])
    sheet.append(["张三", pid(1), "1组", "13911110000"])
    sheet.append(["李四", pid(2, False), "1组", ""])
    old = book.create_sheet("旧台账")
    old.append(["姓名", "身份证号", "行政村", "村民小组", "联系电话"])
    old.append(["张三", pid(1), "王庄村", "9组", "13000000000"])
    old.append(["孙八", pid(3), "王庄村", "9组", ""])
    old.sheet_state = "hidden"
    codes = book.create_sheet("代码")
    codes.append(["文化程度", "民族"])
    codes.append(["小学", "汉族"])
    codes.sheet_state = "veryHidden"
    if chart:
        figures = book.create_sheet("统计")
        figures.append(["村", "人数"])
        figures.append(["李庄村", 2])
        drawn = book.create_chartsheet("图表")
        bars = BarChart()
        bars.add_data(Reference(figures, min_col=2, min_row=1, max_row=2), titles_from_data=True)
        drawn.add_chart(bars)
    book.save(path)
    return path


def test_hidden_sheets_are_not_imported_and_the_plan_says_so(store, station, tmp_path):
    path = hidden_ledger(tmp_path / "hidden.xlsx")
    plan = plan_import(store, "persons", path)
    assert plan.hidden_sheets == ["旧台账", "代码"]
    outline = {sheet.name: sheet for sheet in plan.outline()}
    assert outline["旧台账"].hidden and not outline["旧台账"].usable
    assert not outline["李庄村"].hidden and not outline["统计"].hidden
    text = plan.describe()
    assert "工作表「旧台账」：隐藏的工作表，不导入" in text
    assert "工作表「代码」：隐藏的工作表，不导入" in text
    result = run_to_end(run_import(store, plan))
    # (the hidden copy used to add 孙八, make 王庄村 and refuse 张三 as a duplicate)
    assert (result.read, result.added, result.errors) == (2, 2, 0)
    assert people(store) == {"张三": ("李庄村", "13911110000"), "李四": ("李庄村", "")}
    assert "王庄村" not in area_names(store)
    assert result.skipped_sheets == ["统计"]  # (the chart sheet stays left out, unnamed)


def test_the_command_line_names_the_hidden_sheets_after_the_result(store, station, tmp_path,
                                                                   capsys):
    from laborstation.cli import main

    db = store.engine.url.render_as_string(hide_password=False)  # (SQLite or PostgreSQL)
    store.close()
    path = hidden_ledger(tmp_path / "hidden.xlsx", chart=False)
    assert main(["--db", db, "import", "persons", "--quiet", str(path)]) == 0
    out = capsys.readouterr().out
    assert "未导入的隐藏工作表：旧台账、代码" in out.split("读取 2 行")[1]


def test_a_file_with_its_ledger_only_in_a_hidden_sheet_says_why(store, station, tmp_path):
    path = write_xlsx(tmp_path / "only.xlsx", {"说明": [["本表为台账"]],
                                               "台账": [["姓名", "身份证号"], ["张三", pid(1)]]})
    book = load_workbook(path)
    book["台账"].sheet_state = "hidden"
    book.save(path)
    with pytest.raises(UnreadableFile, match="隐藏的工作表「台账」不导入"):
        plan_import(store, "persons", path)


def test_a_big_hidden_sheet_is_never_read(tmp_path, monkeypatch):
    """The sheets read in parts are started before the book is opened: a hidden one is
    known from workbook.xml first."""
    monkeypatch.setattr(xlsx_parts, "SPLIT_FROM", 4096)
    monkeypatch.setattr(xlsx_parts, "FIRST_PART", 1024)
    monkeypatch.setattr(xlsx_parts, "PART", 3072)
    book = Workbook(write_only=True)
    for title in ("台账", "旧台账"):
        sheet = book.create_sheet(title)
        sheet.append(["序号", "姓名", "身份证号", "行政村"])
        for n in range(1, 301):
            sheet.append([n, f"张{n}", pid(n), "李庄村"])
    book.save(tmp_path / "big.xlsx")
    book = load_workbook(tmp_path / "big.xlsx")
    book["旧台账"].sheet_state = "hidden"
    book.save(tmp_path / "big.xlsx")
    shown, hidden = read_file(tmp_path / "big.xlsx")
    assert isinstance(shown.rows, SheetRows) and not shown.hidden and len(list(shown.rows)) == 301
    assert (hidden.name, hidden.hidden, hidden.rows) == ("旧台账", True, [])


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """The hidden-sheet ledger as .xls and .ods, saved by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: .xls/.ods not covered")
    folder = tmp_path_factory.mktemp("converted")
    source = hidden_ledger(folder / "hidden.xlsx", chart=False)
    found = {}
    for suffix in ("xls", "ods"):
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                        "--convert-to", suffix, "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=180)
        found[suffix] = folder / f"hidden.{suffix}"
    return found


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_hidden_sheets_of_xls_and_ods_are_not_imported(store, station, converted, suffix):
    plan = plan_import(store, "persons", converted[suffix])
    assert plan.hidden_sheets == ["旧台账", "代码"]
    result = run_to_end(run_import(store, plan))
    assert (result.read, result.added, result.errors) == (2, 2, 0)
    assert set(people(store)) == {"张三", "李四"} and "王庄村" not in area_names(store)


# 2. The township column's spellings --------------------------------------------------------

TOWNSHIP_SPELLINGS = ["所在乡镇", "乡镇名称", "乡镇街道", "乡镇/街道", "镇（乡）", "街道（乡镇）",
                      "乡镇（街道）名称", "所在乡镇\n（街道）"]


@pytest.mark.parametrize("kind", headers.KINDS)
def test_every_kind_knows_the_township_column_by_its_common_names(kind):
    for spelling in TOWNSHIP_SPELLINGS:
        assert headers.field_of(kind, spelling) == "township", spelling
    for spelling in ("行政村名称", "村名称", "所在村委会"):
        assert headers.field_of(kind, spelling) == "village", spelling


def test_other_place_columns_are_known_by_their_suo_zai_and_ming_cheng_forms():
    assert headers.field_of("persons", "所在村民小组") == "group"
    assert headers.field_of("persons", "村民小组名称") == "group"
    for spelling, found in (("所在省", "province"), ("省份名称", "province"),
                            ("所在城市", "city"), ("城市名称", "city"),
                            ("务工所在地", "destination")):
        assert headers.field_of("placements", spelling) == found, spelling


def township_file(path: Path, title: str) -> Path:
    return write_xlsx(path, {"Sheet1": [["序号", title, "行政村", "姓名", "身份证号"],
                                        [1, "城关镇", "李庄村", "甲", pid(1)],
                                        [2, "濮城镇", "李庄村", "乙", pid(2)],
                                        [3, "濮城镇", "王庄村", "丙", pid(3)]]})


def test_a_township_unit_refuses_other_townships_rows_under_a_new_spelling(store, station, tmp_path):
    """It used to file 濮城镇's people under its own 李庄村 (the column was not known); its
    own rows are imported, the others' refused each with the reason (the whole file had
    been refused, exit 2 and no error report, for one stray row)."""
    result = imp(store, township_file(tmp_path / "a.xlsx", "所在乡镇"))
    assert people(store) == {"甲": ("李庄村", "")}
    assert (result.added, result.errors) == (1, 2)
    assert {f.reason for f in result.findings if f.reason} == {
        "这一行的乡镇是“濮城镇”，本单位是城关镇：其他乡镇的人员不能导入本单位，"
        "请删去这一行（或改正“乡镇”列）后再导入"}


def test_a_county_unit_imports_the_township_name_column(store, tmp_path):
    set_station(store, name="范县", code="410926000000")
    result = imp(store, township_file(tmp_path / "c.xlsx", "乡镇名称"))
    assert (result.added, result.errors) == (3, 0)
    with store.reading() as session:
        names = dict(session.execute(select(Area.id, Area.name)).all())
        villages = {(a.name, names[a.parent_id])
                    for a in session.scalars(select(Area).where(Area.level == VILLAGE))}
    assert villages == {("李庄村", "城关镇"), ("李庄村", "濮城镇"), ("王庄村", "濮城镇")}


# 3. A place's parts under its group title --------------------------------------------------

def two_row(path: Path, group: str, parts: list[str], values: list[str]) -> Path:
    top = ["姓名", "身份证号", "行政村", "外出时间", group] + [None] * (len(parts) - 1)
    sub = [None, None, None, None, *parts]
    return write_xlsx(path, {"Sheet1": [top, sub, ["甲", pid(1), "李庄村", "2026-03-01", *values]]},
                      {"Sheet1": [f"E1:{chr(68 + len(parts))}1", "A1:A2", "B1:B2", "C1:C2",
                                  "D1:D2"]})


@pytest.mark.parametrize("group, parts", [("务工地点", ["省", "市"]),
                                          ("就业地点", ["省份", "城市"]),
                                          ("务工地点", ["省（区、市）", "市（州）"])])
def test_province_and_city_under_a_place_title_are_both_kept(store, station, tmp_path, group,
                                                            parts):
    path = two_row(tmp_path / "pl.xlsx", group, parts, ["广东省", "东莞市"])
    (sheet,) = plan_import(store, "placements", path).outline()
    assert (parts[0], "务工省份") in sheet.mapping and (parts[1], "务工城市") in sheet.mapping
    assert imp(store, path, "placements").added == 1
    with store.reading() as session:
        placement = session.scalars(select(Placement)).one()
        assert (placement.province, placement.city) == ("44", "东莞市")
        assert placement.destination == "广东省东莞市"


def test_a_county_under_the_place_title_is_the_place_within_its_province_and_city(
        store, station, tmp_path):
    path = two_row(tmp_path / "pl.xlsx", "务工地点", ["省", "市", "县（区）"],
                   ["广东省", "东莞市", "长安镇"])
    (sheet,) = plan_import(store, "placements", path).outline()
    labels = dict(sheet.mapping)
    assert labels == {**labels, "省": "务工省份", "市": "务工城市", "县（区）": "务工地点"}
    assert sheet.unmatched == ()
    assert imp(store, path, "placements").added == 1
    with store.reading() as session:
        placement = session.scalars(select(Placement)).one()
        assert (placement.province, placement.city) == ("44", "东莞市")
        assert placement.destination == "广东省东莞市长安镇"


def test_a_county_of_home_under_the_place_title_is_inside_the_county(store, station,
                                                                     tmp_path):
    """河南省 / 濮阳市 / 范县 is 县内 (202), not 县外省内 as 河南省濮阳市 alone would be."""
    path = two_row(tmp_path / "pl.xlsx", "务工地点", ["省", "市", "县"],
                   ["河南省", "濮阳市", "范县"])
    assert imp(store, path, "placements").added == 1
    with store.reading() as session:
        placement = session.scalars(select(Placement)).one()
        assert (placement.area_code, placement.region_class) == ("410926", "12")


def test_parts_an_address_has_no_field_for_are_not_the_address(store, station, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "家庭住址", None, None, None],
        [None, None, "省", "县", "村", "组"],
        ["甲", pid(1), "河南省", "范县", "李庄村", "1组"]]})
    (sheet,) = plan_import(store, "persons", path).outline()
    assert dict(sheet.mapping) == {"姓名": "姓名", "身份证号": "身份证号", "村": "行政村",
                                   "组": "村民小组"}
    assert sheet.unmatched == ("省", "县")


# 4. A field in two columns -----------------------------------------------------------------

def test_the_second_column_fills_an_empty_first_and_a_different_value_is_named(
        store, station, tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", {"李庄村": [
        ["姓名", "身份证号", "村民小组", "联系电话", "联系电话"],
        ["甲", pid(1), "1组", "", "13911110000"],
        ["乙", pid(2), "1组", "13922220000", "13922229999"],
        ["丙", pid(3), "1组", "13933330000", "13933330000"]]})
    plan = plan_import(store, "persons", path)
    assert "重复的列（第一列为空时用此列的值）：联系电话" in plan.describe()
    result = run_to_end(run_import(store, plan))
    assert (result.added, result.errors) == (3, 0)
    assert {name: phone for name, (_, phone) in people(store).items()} == {
        "甲": "13911110000", "乙": "13922220000", "丙": "13933330000"}
    notes = [(sheet, row, text) for sheet, row, kind, text in result.notes() if kind == "提示"]
    assert notes == [("李庄村", 3, "“联系电话”列重复：E 列的“13922229999”没有导入"
                                   "（与 D 列的“13922220000”不同，只导入 D 列）")]


def test_a_second_id_column_fills_an_empty_first(store, station, tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", {"李庄村": [
        ["姓名", "身份证号", "公民身份号码"], ["甲", "", pid(1)], ["乙", pid(2), ""]]})
    result = imp(store, path)
    assert (result.added, result.errors, result.blank) == (2, 0, 0)


# 5. The two-row header again further down --------------------------------------------------

def test_a_repeated_two_row_header_is_blank_not_an_error(store, station, tmp_path):
    top = ["序号", "姓名", "身份证号", "家庭住址", None, None]
    sub = [None, None, None, "村", "组", "门牌号"]
    path = write_xlsx(tmp_path / "pasted.xlsx", {"Sheet1": [
        top, sub, [1, "甲", pid(1), "李庄村", "1组", "1号"], [2, "乙", pid(2), "李庄村", "1组", "1号"],
        top, sub, [3, "丙", pid(3), "李庄村", "2组", "2号"]]},
        {"Sheet1": ["D1:F1", "A1:A2", "B1:B2", "C1:C2"]})
    result = imp(store, path, all_or_nothing=True)
    assert (result.read, result.added, result.errors, result.blank) == (5, 3, 0, 2)


# 6. CSV separators ---------------------------------------------------------------------------

CSV_HEADER = ["序号", "姓名", "身份证号", "行政村", "家庭住址", "技能特长"]
SKILLS = "电工,焊工,叉车,厨师,驾驶,电焊"  # (more commas than tabs in every line)


def csv_bytes(delimiter: str, encoding: str, title: str | None = None) -> bytes:
    rows = [CSV_HEADER] + [[str(n), f"张{n}", pid(n), "李庄村", "河南省,范县,李庄",
                            SKILLS] for n in (1, 2, 3)]
    lines = ([title] if title else []) + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize("delimiter, encoding", [(";", "utf-8"), (";", "gbk"), (";", "utf-8-sig"),
                                                 ("\t", "utf-8"), ("\t", "gbk"), ("\t", "utf-16"),
                                                 ("|", "utf-8")])
def test_semicolon_tab_and_bar_separated_csv_with_commas_in_the_text(store, station, tmp_path,
                                                                     delimiter, encoding):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(delimiter, encoding, title="城关镇劳动力台账"))
    result = imp(store, path)
    assert (result.read, result.added, result.errors) == (3, 3, 0)
    with store.reading() as session:
        assert set(session.scalars(select(Person.skills))) == {SKILLS}


# 7. Header texts with line breaks ------------------------------------------------------------

def test_line_breaks_in_header_cells_are_shown_as_a_space(store, station, tmp_path):
    path = write_xlsx(tmp_path / "br.xlsx", {"Sheet1": [
        ["姓名", "身份证\n号码", "行政村", "爱\r\n好", "联系电话", "联系\n电话"],
        ["甲", pid(1), "李庄村", "", "", ""]]})
    plan = plan_import(store, "persons", path)
    (sheet,) = plan.outline()
    assert ("身份证 号码", "身份证号") in sheet.mapping
    assert sheet.unmatched == ("爱 好",) and sheet.duplicates == ("联系 电话",)
    assert "\n  身份证 号码 → 身份证号\n" in plan.describe()


def test_a_head_block_beside_a_member_block_names_the_household(store, station, tmp_path):
    """户主信息 over 姓名 | 身份证号, 家庭成员信息 over the person's own columns: every
    member was refused as a duplicate of the head's ID (the fifth review)."""
    path = write_xlsx(tmp_path / "blocks.xlsx", {"李庄村": [
        ["户主信息", None, "家庭成员信息", None, None],
        ["姓名", "身份证号码", "姓名", "身份证号码", "与户主关系"],
        ["张三", pid(1), "张三", pid(1), "户主"],
        ["张三", pid(1), "李四", pid(2), "妻"],
        ["张三", pid(1), "王五", pid(3), "子"],
    ]}, {"李庄村": ["A1:B1", "C1:E1"]})
    (sheet,) = plan_import(store, "persons", path).outline()
    assert sheet.mapping[:3] == (("姓名", "户主姓名"), ("姓名", "姓名"), ("身份证号码", "身份证号"))
    result = imp(store, path)
    assert (result.added, result.errors, result.households_added) == (3, 0, 1)


@pytest.mark.parametrize("text, field", [
    ("家庭成员姓名", "name"), ("成员身份证号", "id_number"), ("身份证件号码", "id_number"),
    ("居民身份证号码", "id_number"), ("手机号", "phone"), ("出生年月日", "birth_date"),
    ("备注", "notes")])
def test_more_persons_header_spellings(text, field):
    assert headers.field_of("persons", text) == field


def test_a_line_above_the_header_is_no_part_of_it(store, station, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"台账": [
        ["城关镇农村劳动力台账"], ["填报单位：城关镇", None, "2025年3月"],
        ["姓名", "身份证号", "行政村"], ["甲", pid(1), "李庄村"]]})
    (sheet,) = plan_import(store, "persons", path).outline()
    assert sheet.header_rows == "第 3 行"  # (was 第 2–3 行)
