"""Files from the reviewer's real-world run (reading.py, text_tables.py, spread_sheet.py,
xlsx_parts.py, sheet_rows.py): text saved under .xls/.xlsx, text with a few bad bytes,
a stray cell far below or right of the ledger, running out of memory, and formulas
saved without their calculated result."""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from workbooks import calamine_rows, write_xlsx
from workbooks import trimmed as trimmed_cells

from laborstation.idnumber import make_id
from laborstation.importing import (
    UnreadableFile,
    plan_import,
    reading,
    run_import,
    sheet_rows,
    xlsx_parts,
)
from laborstation.importing.reading import read_file
from laborstation.model import Person
from laborstation.progress import run_to_end

HEADER = ["序号", "姓名", "身份证号", "性别", "行政村", "家庭住址"]
NAMES = ["张三", "李四", "王五", "赵六"]


def pid(n: int, male: bool = True) -> str:
    return make_id("410926", date(1980, 1, 1) + timedelta(days=n), n * 2 % 998, male)


def rows_of(count: int = 4) -> list[list]:
    return [[n + 1, NAMES[n % 4], pid(n, n % 2 == 0), "男" if n % 2 == 0 else "女", "李庄村",
             f"范县城关镇李庄村{n}号"] for n in range(count)]


def text_of(rows: list[list], delimiter: str = ",", title: str | None = None) -> str:
    lines = [title] if title else []
    lines += [delimiter.join(str(cell) for cell in row) for row in [HEADER, *rows]]
    return "\r\n".join(lines) + "\r\n"


def persons(store) -> dict[str, str]:
    with store.reading() as session:
        return dict(session.execute(select(Person.id_number, Person.name)).all())


def imported(store, path: Path):
    return run_to_end(run_import(store, path, kind="persons"))


def sheet_changed(path: Path, change) -> Path:
    """The workbook with ``change(xml) -> xml`` applied to its first sheet, in place."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            out.writestr(info, change(data) if info.filename == "xl/worksheets/sheet1.xml"
                         else data)
    return path


def trimmed(rows) -> list[list]:
    """``workbooks.trimmed``, and no empty rows at the end."""
    out = trimmed_cells(rows)
    while out and not out[-1]:
        out.pop()
    return out


def whole(path: Path, sheet: str) -> list[list]:
    return calamine_rows(path, sheet)


# 1. Text under a spreadsheet's suffix -------------------------------------------------------

@pytest.mark.parametrize(("name", "content"), [
    ("gbk_comma.xls", text_of(rows_of()).encode("gbk")),
    ("csv_renamed.xlsx", text_of(rows_of()).encode("utf-8")),
    ("gbk_tab_title.xls", text_of(rows_of(), "\t", title="城关镇实名制台账").encode("gbk")),
    ("utf16_tab_title.xls", text_of(rows_of(), "\t", title="城关镇实名制台账").encode("utf-16")),
])
def test_text_under_a_spreadsheet_suffix_is_read_as_text(store, station, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = imported(store, path)
    assert (result.added, result.errors) == (4, 0)
    assert persons(store)[pid(2)] == "王五"


@pytest.mark.parametrize(("name", "content"), [
    ("not_a_table.xls", b"not a spreadsheet at all"),
    ("one_column.xlsx", "姓名\r\n张三\r\n李四\r\n".encode("gbk")),
    ("pdf.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"),
    ("binary.xls", bytes(range(256)) * 8),
    ("control_bytes.xlsx", b"a,b\x01\x02\x03\x04,c\n" * 40),
])
def test_binary_or_untabled_bytes_under_a_spreadsheet_suffix_are_a_damaged_file(tmp_path, name,
                                                                                content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=f"文件 {name} 已损坏或不是电子表格") as raised:
        read_file(path)
    assert raised.value.exit_code == 2


# 2. A few bytes that cannot be decoded -------------------------------------------------------

@pytest.mark.parametrize("name", ["台账.csv", "台账.xls"])
def test_gbk_text_with_a_bad_byte_is_refused_naming_where(store, station, tmp_path, name):
    data = text_of(rows_of()).encode("gbk")
    at = data.index("李庄村2号".encode("gbk"))
    path = tmp_path / name
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    with pytest.raises(UnreadableFile) as raised:
        imported(store, path)
    message = str(raised.value)
    assert message.startswith(f"文件 {name} 是 GBK 编码的文本，但其中有 1 处字节无法识别")
    assert f"第一处在第 4 行（从文件开头数第 {at + 1} 个字节）" in message
    assert "第 4 行 F 列“范县城关镇�李庄村2号”" in message
    assert persons(store) == {}


def test_utf8_text_with_a_character_cut_short_is_refused_naming_where(tmp_path):
    data = text_of(rows_of()).encode("utf-8")
    at = data.rindex("号".encode())  # 李庄村3号 (row 5) loses the last byte of its 号
    path = tmp_path / "台账.csv"
    path.write_bytes(data[:at + 2] + data[at + 3:])
    with pytest.raises(UnreadableFile) as raised:
        read_file(path)
    message = str(raised.value)
    assert message.startswith("文件 台账.csv 是 UTF-8 编码的文本，但其中有 1 处字节无法识别")
    assert f"第一处在第 5 行（从文件开头数第 {at + 1} 个字节）" in message
    assert "第 5 行 F 列“范县城关镇李庄村3�”" in message


def test_utf8_text_with_a_bad_byte_is_never_read_as_gbk_garble(tmp_path):
    """A UTF-8 file that lost one byte may be read by GB18030 without an error, as other
    characters (濮撳悕 for 姓名): it is UTF-8 but for that byte, and refused."""
    lines = ["姓名,身份证号,家庭住址", f"张三,{pid(1)},城关王庄", f"李四,{pid(2)},城关镇李庄",
             f"王五,{pid(3)},城关王庄"]
    data = "\r\n".join(lines).encode("utf-8")
    at = data.index("李庄".encode()) + 5
    damaged = data[:at] + data[at + 1:]
    assert damaged.decode("gb18030").startswith("濮撳悕")  # (what it was read as)
    path = tmp_path / "台账.csv"
    path.write_bytes(damaged)
    with pytest.raises(UnreadableFile, match="是 UTF-8 编码的文本，但其中有 1 处字节无法识别，"
                                             "第一处在第 3 行"):
        read_file(path)


def test_text_in_no_known_encoding_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "乱码.csv"
    path.write_bytes(text_of(rows_of()).encode("gbk") + b"\xff\x80" * 40)
    with pytest.raises(UnreadableFile, match="文件 乱码.csv 的编码无法识别"):
        read_file(path)
    assert reading.decode_text("李庄村".encode("gbk")) == "李庄村"


# 3. A stray cell far away; out of memory -----------------------------------------------------

def with_cell(path: Path, sheet: str, row: int, column: int, value) -> Path:
    """The workbook with one more cell (openpyxl writes only the cells there are)."""
    book = load_workbook(path)
    book[sheet].cell(row=row, column=column, value=value)
    book.save(path)
    return path


def stray_ledger(path: Path, row: int, column: int) -> Path:
    """A title, the header and 4 persons whose 行政村 is merged down (its value in the top
    cell only, as Excel saves it), and an x typed far away."""
    rows = [["城关镇实名制台账"], HEADER, *rows_of()]
    for cells in rows[3:]:
        cells[4] = None
    write_xlsx(path, {"李庄村": rows}, {"李庄村": ["E3:E6"]})
    return with_cell(path, "李庄村", row, column, "x")


def test_a_stray_cell_far_below_is_read_without_a_million_empty_lists(store, station, tmp_path):
    """An x in AZ150000 under a ledger of 4 rows: calamine's rectangle would be 150,000 ×
    52 cells; the rows between are one shared empty row, and the x is read (a note row)."""
    path = stray_ledger(tmp_path / "台账.xlsx", 150_000, 52)
    [raw] = read_file(path)
    assert len(raw.rows) == 150_000 and raw.rows[-1][51] == "x"
    assert raw.rows[50_000] is raw.rows[100_000] and len(raw.rows[50_000]) == 0
    assert trimmed(raw.rows[:6]) == trimmed(whole(path, "李庄村")[:6])
    assert raw.merges == [((2, 4), (5, 4))]
    result = imported(store, path)
    assert (result.added, result.errors, result.blank) == (4, 0, 149_994)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 4


def test_a_stray_cell_far_right_does_not_widen_every_row(tmp_path):
    """An x in XFD5 of a 150-row ledger: 150 × 16,384 cells as one rectangle; the rows
    of the other pieces keep the ledger's width."""
    plain = write_xlsx(tmp_path / "plain.xlsx", {"台账": [HEADER, *rows_of(150)]})
    path = with_cell(write_xlsx(tmp_path / "台账.xlsx", {"台账": [HEADER, *rows_of(150)]}),
                     "台账", 5, 16_384, "x")
    [raw] = read_file(path)
    expected = trimmed(whole(plain, "台账"))
    expected[4] += [""] * (16_383 - len(expected[4])) + ["x"]
    assert trimmed(raw.rows) == expected
    assert max(len(cells) for cells in raw.rows[10:]) == len(HEADER)


def test_a_ledger_without_a_stray_cell_is_read_whole(tmp_path, monkeypatch):
    from laborstation.importing import spread_sheet

    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [HEADER, *rows_of(50)], "空": []})
    monkeypatch.setattr(spread_sheet, "read_pieces", lambda *a: pytest.fail("read in pieces"))
    sheets = read_file(path)
    assert sheets[0].rows == whole(path, "台账")


@pytest.fixture
def small_parts(monkeypatch):
    """Cut every sheet over 4 KB of XML into parts of ~3 KB (as test_import_parts does)."""
    monkeypatch.setattr(xlsx_parts, "SPLIT_FROM", 4096)
    monkeypatch.setattr(xlsx_parts, "FIRST_PART", 1024)
    monkeypatch.setattr(xlsx_parts, "PART", 3072)


def test_a_big_sheet_is_cut_before_a_long_run_of_missing_rows(tmp_path, small_parts, monkeypatch):
    """A big sheet (read in parts) with an x in row 250,000: no part spans the gap, and the
    gap comes back as the shared empty row."""
    path = tmp_path / "台账.xlsx"
    with_cell(write_xlsx(path, {"台账": [HEADER, *rows_of(200)]}), "台账", 250_000, 3, "x")
    spans = []
    parsed = sheet_rows._parsed_book

    def noted(split, first_whole, stop):
        for part in parsed(split, first_whole, stop):
            spans.append(part.sheet.height)
            yield part

    monkeypatch.setattr(sheet_rows, "_parsed_book", noted)
    [raw] = read_file(path)
    assert isinstance(raw.rows, sheet_rows.SheetRows)
    rows = list(raw.rows)
    assert len(rows) == 250_000 and rows[-1][2] == "x"
    assert max(spans) < 1000  # (rows calamine gave for a part)
    assert rows[100_000] is rows[150_000] and len(rows[150_000]) == 0
    assert trimmed(rows[:201]) == trimmed(whole(path, "台账")[:201])


def test_out_of_memory_is_never_called_a_damaged_file(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [HEADER, *rows_of()]})

    def no_memory(*_args):
        raise MemoryError()

    monkeypatch.setattr(reading, "_open_book", no_memory)
    with pytest.raises(UnreadableFile) as raised:
        read_file(path)
    message = str(raised.value)
    assert "电脑内存不足" in message and "Ctrl+End" in message and "已损坏" not in message
    assert raised.value.exit_code == 2
    csv = tmp_path / "台账.csv"
    csv.write_text(text_of(rows_of()), encoding="utf-8")
    monkeypatch.setattr(reading, "read_text_table", no_memory)
    with pytest.raises(UnreadableFile, match="读取文件 台账.csv 时电脑内存不足"):
        read_file(csv)


def test_out_of_memory_reading_a_big_sheet_in_parts_is_said_so(tmp_path, small_parts,
                                                               monkeypatch):
    """Not read again whole (it would need more memory), nor raised as MemoryError."""
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [HEADER, *rows_of(200)]})

    def no_memory(*_args):
        raise MemoryError()

    monkeypatch.setattr(sheet_rows, "_produce_parts", no_memory)
    [raw] = read_file(path)
    with pytest.raises(UnreadableFile, match="读取文件 台账.xlsx 时电脑内存不足"):
        list(raw.rows)


def test_out_of_memory_making_a_parts_rows_is_said_so(tmp_path, small_parts, monkeypatch):
    """A later part made Python rows by the thread taking it (the import's): the same
    message, and the reading stopped."""
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [HEADER, *rows_of(200)]})
    made = sheet_rows._Parsed.rows
    calls = []

    def no_memory_after_the_first(self, done, width):
        calls.append(done)
        if len(calls) > 1:
            raise MemoryError()
        return made(self, done, width)

    monkeypatch.setattr(sheet_rows._Parsed, "rows", no_memory_after_the_first)
    [raw] = read_file(path)
    with pytest.raises(UnreadableFile, match="读取文件 台账.xlsx 时电脑内存不足"):
        list(raw.rows)
    assert raw.rows._stop.is_set()


# 4. Formulas saved without their result -----------------------------------------------------

def formula_ledger(path: Path) -> Path:
    rows = rows_of()
    rows[3][2] = f'="{pid(3, False)}"'  # an ID typed as a formula, saved by a program
    return write_xlsx(path, {"台账": [HEADER, *rows]})


def test_a_formula_saved_without_its_result_refuses_the_file(store, station, tmp_path):
    path = formula_ledger(tmp_path / "台账.xlsx")
    with pytest.raises(UnreadableFile) as raised:
        plan_import(store, "persons", path)
    assert str(raised.value).startswith(
        "文件 台账.xlsx 工作表「台账」的单元格 C5 是公式但没有保存计算结果")
    assert "请用 Excel/WPS 打开并保存后再导入" in str(raised.value)
    assert persons(store) == {}


def test_formulas_with_their_results_are_read(tmp_path):
    """As Excel saves them: the result after the formula (an empty text result too)."""
    number = pid(3, False).encode()

    def saved_by_excel(xml: bytes) -> bytes:
        xml = xml.replace(b"<v />", b"<v>" + number + b"</v>").replace(
            b"<v></v>", b"<v>" + number + b"</v>")
        return xml.replace(b"</row></sheetData>",
                           b'<c r="G5" t="str"><f>""</f><v></v></c></row></sheetData>')

    path = sheet_changed(formula_ledger(tmp_path / "台账.xlsx"), saved_by_excel)
    assert b"<f>" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    [raw] = read_file(path)
    assert raw.rows[4][2] == pid(3, False) or raw.rows[4][2] == float(pid(3, False))


def test_a_formula_without_its_result_in_a_big_sheet_refuses_it(tmp_path, small_parts):
    rows = rows_of(200)
    rows[150][5] = '="李庄村"&"150号"'
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [HEADER, *rows]})
    [raw] = read_file(path)
    with pytest.raises(UnreadableFile, match="工作表「台账」的单元格 F152 是公式但没有保存计算结果"):
        list(raw.rows)


def test_the_check_for_formulas_looks_at_the_cells(tmp_path):
    xml = (b'<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2"><f>1+1</f></c>'
           b'<c r="C2" t="str"><f>""</f><v></v></c><c r="D2"><f t="shared" si="0"/></c>'
           b'<c r="E2"><is><r><rPr><family val="2"/></rPr><t>a</t></r></is></c></row>')
    from laborstation.importing import formula_cells

    assert formula_cells.no_cached_values(xml) == ["B2", "D2"]
    assert formula_cells.no_cached_values(b'<c r="A1"><v>1</v></c>') == []
