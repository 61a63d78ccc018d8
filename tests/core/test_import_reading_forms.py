"""Ledgers as clerks really have them: a file whose suffix is not its format, cells merged
down over a household or a village, sheets named for a year or the township, and the
common spellings of the header (reading.py, plan.py, import_headers.csv)."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.idnumber import make_id
from laborstation.importing import UnreadableFile, headers, plan_import, run_import, xlsx_parts
from laborstation.importing.reading import read_file
from laborstation.importing.sheet_rows import SheetRows
from laborstation.model import Area, Household, Person
from laborstation.progress import run_to_end
from laborstation.services.station import set_station

DATA = Path(__file__).parent.parent / "data"
HEADER = ["序号", "姓名", "身份证号码", "性别", "行政村", "村民小组", "户编号", "户主姓名",
          "与户主关系"]


def pid(n: int, male: bool = True) -> str:
    return make_id("410926", date(1980, 1, 1) + timedelta(days=n // 400), (n % 400) * 2, male)


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code="410926100000")


def imp(store, path, kind="persons"):
    return run_to_end(run_import(store, path, kind=kind))


def people(store) -> dict[str, tuple[str | None, str | None, str | None]]:
    """name → (village, group of the household, 户编号) of every person."""
    with store.reading() as session:
        areas = dict(session.execute(select(Area.id, Area.name)).all())
        households = {h.id: (areas.get(h.group_id), h.number)
                      for h in session.scalars(select(Household))}
        return {p.name: (areas.get(p.village_id), *households.get(p.household_id, (None, None)))
                for p in session.scalars(select(Person))}


def ledger(path: Path) -> Path:
    return write_xlsx(path, {"台账": [["城关镇劳动力资源台账"], HEADER,
                                      [1, "张伟", pid(1), "男", "李庄村", "1组", "H001", "张伟",
                                       "户主"],
                                      [2, "王芳", pid(2, False), "女", "李庄村", "1组", "H001",
                                       "张伟", "配偶"]]}, {"台账": ["A1:I1"]})


# 1. The format from the content, not the suffix -----------------------------------------

def test_a_real_xlsx_under_another_suffix_is_read(store, station, tmp_path):
    """Web systems export .xlsx under .xls; calamine went by the suffix (Cfb error)."""
    for n, suffix in enumerate([".xls", ".ods", ".csv", ".XLSX", ""]):
        path = ledger(tmp_path / f"persons{n}.xlsx").rename(tmp_path / f"export{n}{suffix}")
        result = imp(store, path)
        assert (result.read, result.errors) == (2, 0), suffix
        assert result.added == (2 if n == 0 else 0) and result.unchanged == (0 if n == 0 else 2)


@pytest.mark.parametrize("fixture, suffix", [("persons_wps.xls", ".xlsx"),
                                             ("persons_wps.ods", ".xls"),
                                             ("persons_wps.ods", ".xlsx"),
                                             ("persons_wps.xls", ".ods")])
def test_xls_and_ods_under_another_suffix_are_read(store, station, tmp_path, fixture, suffix):
    path = tmp_path / f"ledger{suffix}"
    shutil.copyfile(DATA / fixture, path)
    result = imp(store, path)
    # (as the fixture under its own name: two added, the ID stored as a number refused)
    assert (result.read, result.added, result.errors, result.blank) == (5, 2, 1, 2)
    assert set(people(store)) == {"张伟", "李芳"}


def test_a_big_real_xlsx_named_xls_is_read_in_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_parts, "SPLIT_FROM", 4096)
    monkeypatch.setattr(xlsx_parts, "FIRST_PART", 1024)
    monkeypatch.setattr(xlsx_parts, "PART", 3072)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["序号", "姓名", "身份证号", "行政村"])
    for n in range(1, 401):
        sheet.append([n, f"张{n}", pid(n), "李庄村"])
    book.save(tmp_path / "big.xlsx")
    path = (tmp_path / "big.xlsx").rename(tmp_path / "big.xls")
    [raw] = read_file(path)
    assert isinstance(raw.rows, SheetRows)  # the streamed path, whatever the suffix
    with path.open("rb") as handle:
        whole = CalamineWorkbook.from_filelike(handle).get_sheet_by_name("台账").to_python(
            skip_empty_area=False)
    assert list(raw.rows) == whole and len(whole) == 401


def test_an_unreadable_file_is_explained_in_chinese_first(tmp_path):
    """A damaged .xlsx named .xls: the reason in Chinese for what the file is, none of
    calamine's words (it said "Cfb error: Invalid OLE …")."""
    good = ledger(tmp_path / "good.xlsx")
    broken = tmp_path / "broken.xls"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = b"<workbook><sheets><sheet name="
            out.writestr(info, data)
    with pytest.raises(UnreadableFile) as raised:
        read_file(broken)
    message = str(raised.value)
    assert message.startswith("文件 broken.xls 已损坏或不完整，无法按 Excel（.xlsx）格式读取")
    assert "OLE" not in message and "Cfb" not in message and "技术信息" not in message
    assert not any("a" <= c.lower() <= "z" for c in message.replace("broken.xls", "")
                   .replace("Excel", "").replace("WPS", "").replace("xlsx", ""))


def test_a_word_document_named_xlsx_is_called_what_it_is(tmp_path):
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("[Content_Types].xml", "<Types/>")
        out.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UnreadableFile, match="是 Word 文档，不是电子表格"):
        read_file(path)


# 2. Merged cells under the header ----------------------------------------------------------

def test_merged_household_and_village_cells_are_filled_in_xlsx(store, station, tmp_path):
    rows = [
        [1, "张一", pid(301), "男", "李庄村", "1组", "001", "张一", "户主"],
        [2, "张二", pid(302), "男", None, None, None, None, "子"],
        [3, "张三", pid(303), "男", None, None, None, None, "子"],
        [4, "王一", pid(304), "男", None, "2组", "002", "王一", "户主"],
        [5, "王二", pid(305, False), "女", None, None, None, None, "配偶"],
        [6],  # numbered ahead, still empty: under the merged cells, but no person
    ]
    path = write_xlsx(tmp_path / "merged.xlsx", {"台账": [["城关镇台账"], HEADER, *rows]},
                      {"台账": ["A1:I1", "E3:E10", "F3:F5", "G3:G5", "H3:H5", "F6:F8",
                                "G6:G8", "H6:H8"]})
    result = imp(store, path)
    assert (result.read, result.added, result.errors, result.blank) == (6, 5, 0, 1)
    assert people(store) == {"张一": ("李庄村", "1组", "001"), "张二": ("李庄村", "1组", "001"),
                             "张三": ("李庄村", "1组", "001"), "王一": ("李庄村", "2组", "002"),
                             "王二": ("李庄村", "2组", "002")}
    with store.reading() as session:
        heads = {h.number: h.head_id for h in session.scalars(select(Household))}
        ids = dict(session.execute(select(Person.name, Person.id)).all())
    assert heads == {"001": ids["张一"], "002": ids["王一"]}


@pytest.mark.parametrize("fixture", ["households_merged.xls", "households_merged.ods"])
def test_merged_cells_are_filled_in_xls_and_ods(store, station, fixture):
    """Files saved by LibreOffice from a sheet with 行政村 merged over all five rows and
    村民小组, 户编号, 户主姓名 over each household (calamine gives no merges for .ods:
    they are read from its content.xml)."""
    result = imp(store, DATA / fixture)
    assert (result.read, result.added, result.errors) == (5, 5, 0)
    assert people(store) == {"张一": ("李庄村", "1组", "H001"), "张二": ("李庄村", "1组", "H001"),
                             "张三": ("李庄村", "1组", "H001"), "王一": ("李庄村", "2组", "H002"),
                             "王二": ("李庄村", "2组", "H002")}


def test_merged_header_cells_are_left_to_the_header(store, station, tmp_path):
    """A two-row header of merged cells is found as before, and nothing above the data
    is filled; 行政村 merged over the two people below it is."""
    top = ["序号", "姓名", "身份证号码", "基本信息", None, None, "户信息", None]
    bottom = [None, None, None, "性别", "行政村", "村民小组", "户编号", "与户主关系"]
    path = write_xlsx(tmp_path / "two.xlsx", {"Sheet1": [
        ["台账"], top, bottom, [1, "张一", pid(1), "男", "李庄村", "1组", "H1", "户主"],
        [2, "张二", pid(2), "男", None, "1组", "H1", "子"]]},
        {"Sheet1": ["A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:H2", "E4:E5"]})
    plan = plan_import(store, "persons", path)
    [sheet] = plan.sheets
    assert (sheet.header.first_row, sheet.header.rows) == (1, 2)
    assert sheet.rows[0][1:] == [""] * 7 and sheet.rows[2][:3] == ["", "", ""]
    assert sheet.rows[1][4:6] == ["", ""] and sheet.rows[1][7] == ""
    assert [row[4] for row in sheet.rows[3:]] == ["李庄村", "李庄村"]
    plan.close()
    result = imp(store, path)
    assert (result.added, result.errors) == (2, 0)


# 3. Sheet names that are not villages ------------------------------------------------------

def test_only_village_names_are_taken_from_sheet_names(store, station, tmp_path):
    header = ["序号", "姓名", "身份证号码", "村民小组"]
    names = ["李庄村", "王庄", "张庄社区", "2025年", "2025", "2025年度", "外出人员", "务工人员",
             "名单", "登记表", "信息表", "城关镇", "城关", "辛庄乡", "东城街道", "范县", "开封市",
             "Sheet3",
             # a village's groups, copies and versions of a sheet, pages (a review: each had
             # become a village of the register)
             "一组", "1组", "第三组", "二队", "Sheet1 (2)", "李庄村 (2)", "副本", "sheet1副本",
             "修改后", "备份", "最终版", "第一页", "全村",
             # kinds of household or person, changes, courses and trades, places (the
             # sixth review), and numbered or dated sheets of a village
             "脱贫户", "监测户", "新增", "电工班", "育婴员", "家政服务", "广东省", "省外", "男",
             "在家", "1.前进村", "01后进村", "前进村-2024", "一、东村", "三里庄",
             # a village's name with a year, a 台账 or Excel's copy mark (a review)
             "东关村台账", "2025年西关村", "南关村劳动力资源台账", "脱贫户台账", "城关镇台账"]
    path = write_xlsx(tmp_path / "sheets.xlsx", {
        name: [header, [1, f"人{n}", pid(500 + n), "1组"]] for n, name in enumerate(names)})
    plan = plan_import(store, "persons", path)
    taken = {sheet.name: sheet.village_from_name for sheet in plan.sheets}
    villages = {"李庄村": "李庄村", "王庄": "王庄", "张庄社区": "张庄社区", "1.前进村": "前进村",
                "01后进村": "后进村", "前进村-2024": "前进村", "一、东村": "东村",
                "三里庄": "三里庄", "李庄村 (2)": "李庄村", "东关村台账": "东关村",
                "2025年西关村": "西关村", "南关村劳动力资源台账": "南关村"}
    assert taken == {name: villages.get(name) for name in names}


def test_sheets_named_after_a_group_or_a_village_and_its_group(store, station, tmp_path):
    """One sheet per 村民小组, numbering its households from 1: families of two groups stay
    apart (they had become one household each, 赵大's under 张建国)."""
    header = ["序号", "村", "户号", "户主", "姓名", "身份证号", "与户主关系"]
    path = write_xlsx(tmp_path / "groups.xlsx", {
        "一组": [header, [1, "李庄村", 1, "张建国", "张建国", pid(1), "户主"]],
        "二组": [header, [1, "李庄村", 1, "赵大", "赵大", pid(2), "户主"],
                 [2, "李庄村", 1, "赵大", "赵二", pid(3), "子"]],
        "城关镇王庄村三组": [header[:1] + header[2:], [1, 1, "王五", "王五", pid(4), "户主"]],
        "钱庄（2025年）": [header[:1] + header[2:], [1, 1, "钱七", "钱七", pid(5), "户主"]],
    })
    plan = plan_import(store, "persons", path)
    assert [(s.village_from_name, s.group_from_name) for s in plan.sheets] == [
        (None, "一组"), (None, "二组"), ("王庄村", "三组"), ("钱庄", None)]
    assert "（没有村民小组列：按工作表名取村民小组「一组」）" in plan.describe()
    plan.close()
    result = imp(store, path, kind="persons")
    assert (result.added, result.errors) == (5, 0) and result.households_added == 4
    with store.reading() as session:
        people = {p.name: p for p in session.scalars(select(Person))}
        assert people["赵二"].household_id == people["赵大"].household_id \
            != people["张建国"].household_id
        assert people["王五"].household.group.name == "三组"


# 4. Header spellings ------------------------------------------------------------------------

@pytest.mark.parametrize("kind, text, field", [
    ("persons", "公民身份证号码", "id_number"), ("placements", "公民身份证号码", "id_number"),
    ("trainings", "公民身份证号码", "id_number"), ("placements", "外出务工地点", "destination"),
    ("placements", "外出地点", "destination"), ("placements", "外出日期", "start_date"),
    ("placements", "就业单位名称", "employer"), ("placements", "月均收入", "wage"),
    ("trainings", "培训时间", "start_date"), ("persons", "所在行政村", "village"),
    ("persons", "所属村", "village"), ("placements", "所在行政村", "village"),
    ("trainings", "所属村", "village"),
])
def test_common_header_spellings_are_recognised(kind, text, field):
    assert headers.field_of(kind, text) == field


def test_a_placement_roster_in_those_spellings_is_imported(store, station, tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", {"外出人员": [
        ["序号", "姓名", "公民身份证号码", "所在行政村", "外出日期", "外出务工地点",
         "就业单位名称", "月均收入"],
        [1, "张伟", pid(1), "李庄村", "2026-03-01", "广东东莞", "某电子厂", "4500"]]})
    plan = plan_import(store, "placements", path)
    [sheet] = plan.sheets
    assert sheet.header.unmatched == []
    assert set(sheet.header.columns) == {"name", "id_number", "village", "start_date",
                                         "destination", "employer", "wage"}
    assert sheet.village_from_name is None
    result = imp(store, path, kind="placements")
    assert (result.added, result.errors) == (1, 0)
    # (and the spellings of the same list that were known already)
    for kind, text, field in [
            ("persons", "公民身份号码", "id_number"), ("persons", "身份证号码（18位）", "id_number"),
            ("persons", "身份证号码(18位)", "id_number"), ("placements", "务工地点", "destination"),
            ("placements", "外出务工时间", "start_date"), ("placements", "务工单位", "employer"),
            ("placements", "月收入（元）", "wage"), ("persons", "所在村", "village")]:
        assert headers.field_of(kind, text) == field, text


def test_a_spelling_may_name_only_one_field(tmp_path, monkeypatch):
    for kind in headers.KINDS:  # the table shipped is unambiguous
        headers.header_map(kind)
    table = tmp_path / "import_headers.csv"
    table.write_text("kind,field,headers\npersons,id_number,身份证号\n"
                     "persons,village,行政村|村\npersons,group,村民小组|村（组）\n",
                     encoding="utf-8")
    monkeypatch.setattr(headers, "resource_path", lambda name: table)
    headers.header_map.cache_clear()
    try:
        with pytest.raises(ValueError, match="村"):
            headers.header_map("persons")
    finally:
        headers.header_map.cache_clear()


def test_tab_separated_text_saved_as_xls_is_read_as_text(store, station, tmp_path):
    """What many web systems export from 导出Excel: text with tabs, under .xls (in GBK)."""
    lines = ["姓名\t身份证号\t行政村", f"张一\t{pid(1)}\t李庄村", f"张二\t{pid(2)}\t李庄村"]
    path = tmp_path / "东庄村.xls"
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    result = run_to_end(run_import(store, path, kind="persons"))
    assert (result.added, result.errors) == (2, 0)
    no_village = tmp_path / "王庄.xls"  # (the name of a file, not of a sheet: no village)
    no_village.write_bytes(f"姓名\t身份证号\n张三\t{pid(3)}\n".encode())
    refused = run_to_end(run_import(store, no_village, kind="persons"))
    assert refused.errors == 1 and "行政村" in refused.error_findings[0].reason
    garbage = tmp_path / "坏.xls"
    garbage.write_bytes(b"not a spreadsheet at all")
    with pytest.raises(UnreadableFile, match="已损坏或不是电子表格"):
        run_to_end(run_import(store, garbage, kind="persons"))


def test_a_sheet_with_no_village_column_nor_a_village_name_is_told_before(store, station,
                                                                         tmp_path):
    header = ["序号", "姓名", "身份证号码"]
    path = write_xlsx(tmp_path / "sheets.xlsx", {
        "脱贫户": [header, [1, "人1", pid(601)]], "前进村": [header, [1, "人2", pid(602)]]})
    plan = plan_import(store, "persons", path)
    try:
        assert [sheet.no_village for sheet in plan.outline()] == [True, False]
        assert "（没有行政村列，工作表名也不是村名：台账中没有的人不能新增，请加上“行政村”列）" \
            in plan.describe()
    finally:
        plan.close()
    result = imp(store, path, kind="persons")
    assert (result.added, result.errors) == (1, 1)
    assert result.error_findings[0].reason.startswith("新增人员缺少行政村")


def test_a_group_named_by_rows_without_a_household_is_told_unkept(store, station, tmp_path):
    """A person's 村民小组 is stored on their household: rows with no 户编号, 户主 or 与户主
    关系 lose it, and the summary says so (the groups were made, and left empty)."""
    header = ["姓名", "身份证号", "行政村", "村民小组"]
    path = write_xlsx(tmp_path / "g.xlsx", {"Sheet1": [
        header, ["郑一", pid(701), "东村", "3组"], ["郑二", pid(702), "东村", "5组"],
        ["郑三", pid(703), "东村", ""]]})
    result = imp(store, path, kind="persons")
    assert (result.added, result.groups_unkept) == (3, 2)
    assert "有 2 行填写了村民小组，但没有归入户（没有户编号或户主姓名）" in result.summary()
    path = write_xlsx(tmp_path / "h.xlsx", {"Sheet1": [
        header + ["户编号"], ["钱一", pid(704), "东村", "3组", "7"]]})
    result = imp(store, path, kind="persons")
    assert (result.added, result.groups_unkept) == (1, 0) and "村民小组没有记录" not in result.summary()
