"""Cells showing an Excel error value (#N/A of a VLOOKUP not found, #DIV/0!): calamine
reads them as empty, and they were imported as blank IDs, phones or wages with no
word. An ID or name that is one refuses its row; any other column is told, read empty."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import pytest
from import_world import TOWNSHIP, imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.importing import error_cells, xls_cells, xlsx_parts
from laborstation.importing.reading import read_file
from laborstation.model import Person
from laborstation.services.station import set_station

DATA = Path(__file__).parent.parent / "data"
HEADER = ["姓名", "身份证号", "行政村", "联系电话", "核对"]


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code=TOWNSHIP)


def _with_errors(path: Path) -> Path:
    """Cells written ``ERR:#N/A`` become error cells, as Excel saves a formula whose
    result is an error (``t="e"``, the formula and the error value)."""
    def error_cell(match: re.Match) -> bytes:
        return (b'<c r="' + match.group(1) + b'" t="e"><f>VLOOKUP(A1,Z:Z,1,0)</f><v>'
                + match.group(2) + b"</v></c>")

    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<c r="([A-Z]+\d+)"[^>]*t="inlineStr"><is><t>ERR:([^<]*)</t></is></c>',
                              error_cell, data)
            out.writestr(info, data)
    return path


def _ledger(tmp_path) -> Path:
    return _with_errors(write_xlsx(tmp_path / "台账.xlsx", {"台账": [
        HEADER,
        ["张三", pid(1), "李庄村", "ERR:#N/A", "ERR:#DIV/0!"],
        ["李四", "ERR:#N/A", "李庄村", "13800000000", ""],
        ["王五", pid(3), "李庄村", "ERR:#DIV/0!", ""],
        ["", "ERR:#N/A", "", "", ""],  # (a formula dragged down past the last person)
    ]}))


def _phones(store) -> dict[str, str]:
    with store.reading() as session:
        return dict(session.execute(select(Person.name, Person.phone)).all())


def _told(result) -> list[tuple[int, str, str]]:
    return [(f.row, f.outcome, f.reason or " ".join(f.warnings)) for f in result.findings]


EXPECTED = [
    (2, "added", "“联系电话”一格的公式出错，显示 #N/A（没有找到要查的值，常见于 VLOOKUP），"
                 "按空白导入：改正公式后可再导入这一行补上"),
    (3, "error", "“身份证号”一格的公式出错，显示 #N/A（没有找到要查的值，常见于 VLOOKUP）："
                 "请在 Excel 中改正公式后再导入"),
    (4, "added", "“联系电话”一格的公式出错，显示 #DIV/0!，按空白导入：改正公式后可再导入这一行补上"),
]


def test_error_cells_of_an_xlsx_are_told_and_an_id_that_is_one_refuses_its_row(
        store, station, tmp_path):
    path = _ledger(tmp_path)
    assert b't="e"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    result = imp(store, path, "persons")
    assert _told(result) == EXPECTED  # (核对, a column not imported, is not looked at)
    assert (result.added, result.errors, result.blank) == (2, 1, 1)
    assert _phones(store) == {"张三": "", "王五": ""}


def test_error_cells_of_a_big_sheet_read_in_parts_are_found(store, station, tmp_path,
                                                            monkeypatch):
    monkeypatch.setattr(xlsx_parts, "SPLIT_FROM", 4096)
    monkeypatch.setattr(xlsx_parts, "FIRST_PART", 1024)
    monkeypatch.setattr(xlsx_parts, "PART", 3072)
    rows = [[f"人{n}", pid(n), "李庄村", f"1380000{n:04d}", ""] for n in range(10, 210)]
    rows[150][1] = "ERR:#N/A"
    rows[180][3] = "ERR:#REF!"
    path = _with_errors(write_xlsx(tmp_path / "台账.xlsx", {"台账": [HEADER, *rows]}))
    [raw] = read_file(path)
    assert not isinstance(raw.rows, list)  # (read in parts)
    result = imp(store, path, "persons")
    assert [(row, outcome) for row, outcome, _said in _told(result)] == [
        (152, "error"), (182, "added")]
    assert "“联系电话”一格的公式出错，显示 #REF!" in _told(result)[1][2]
    assert result.added == 199


def test_error_cells_of_an_ods_are_found(store, station):
    """formula_errors.ods: the same ledger, saved by LibreOffice from real formulas."""
    result = imp(store, DATA / "formula_errors.ods", "persons")
    assert _told(result) == EXPECTED
    assert (result.added, result.errors, result.blank) == (2, 1, 1)


def test_error_cells_of_an_xls_are_found(store, station):
    """formula_errors.xls: the .ods saved as Excel 97–2003 by LibreOffice (its formulas
    with their error results, as WPS saves a ledger of VLOOKUPs)."""
    result = imp(store, DATA / "formula_errors.xls", "persons")
    assert _told(result) == EXPECTED
    assert (result.added, result.errors, result.blank) == (2, 1, 1)
    assert _phones(store) == {"张三": "", "王五": ""}


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(sheet: bool) -> bytes:
    return _record(0x0809, struct.pack("<HHHH", 0x0600, 0x10 if sheet else 0x05, 0, 0) + bytes(8))


def _boundsheet(offset: int, name: str, kind: int = 0) -> bytes:
    wide = any(ord(c) > 255 for c in name)
    text = name.encode("utf-16-le") if wide else name.encode("latin-1")
    return _record(0x0085, struct.pack("<IBBBB", offset, 0, kind, len(name), wide) + text)


def _cell(row: int, column: int) -> bytes:
    return struct.pack("<HHH", row, column, 15)


def _formula(row: int, column: int, value: bytes) -> bytes:
    return _record(0x0006, _cell(row, column) + value + bytes(6) + b"\x03\x00\x1e\x01\x00")


def _workbook(*sheets: tuple[str, int, bytes], encrypted: bool = False) -> bytes:
    """A BIFF8 Workbook stream: its globals, then each (name, type, records) sheet."""
    def globals_(offsets: list[int]) -> bytes:
        records = _bof(False) + (_record(0x002F, bytes(6)) if encrypted else b"")
        records += _record(0x0042, struct.pack("<H", 1200))
        records += b"".join(_boundsheet(at, name, kind)
                            for at, (name, kind, _r) in zip(offsets, sheets, strict=True))
        return records + _record(0x000A, b"")

    bodies = [_bof(True) + records + _record(0x000A, b"") for _n, _k, records in sheets]
    at = len(globals_([0] * len(sheets)))
    offsets = []
    for body in bodies:
        offsets.append(at)
        at += len(body)
    return globals_(offsets) + b"".join(bodies)


def test_error_records_of_an_xls_stream_are_read_from_each_worksheet():
    n_a = b"\x02\x00\x2a\x00\x00\x00\xff\xff"  # (a formula's last value: the error #N/A)
    ledger = (_record(0x0205, _cell(2, 3) + b"\x17\x01")  # an error value typed in: #REF!
              + _record(0x0205, _cell(2, 4) + b"\x01\x00")  # TRUE: no error
              + _formula(5, 1, n_a)
              + _formula(6, 1, struct.pack("<d", 4.5))  # a number
              + _formula(7, 2, b"\x00\x00\x00\x00\x00\x00\xff\xff")  # a text
              + _bof(True) + _formula(9, 9, n_a) + _record(0x000A, b"")  # a chart's, inside
              + _formula(8, 0, b"\x02\x00\x07\x00\x00\x00\xff\xff"))
    stream = _workbook(("台账", 0, ledger), ("Chart1", 2, _formula(1, 1, n_a)),
                       ("Sheet3", 0, _formula(0, 0, n_a)))
    assert xls_cells.in_stream(stream) == {
        "台账": {2: [(3, "#REF!")], 5: [(1, "#N/A")], 8: [(0, "#DIV/0!")]},
        "Sheet3": {0: [(0, "#N/A")]}}
    assert xls_cells.in_stream(_workbook(("台账", 0, ledger), encrypted=True)) == {}
    found = xls_cells.in_stream(stream)
    cut = xls_cells.in_stream(stream[:len(stream) // 2])  # (damaged: what lies before the cut)
    assert cut and cut["台账"].items() <= found["台账"].items() and "Sheet3" not in cut
    assert xls_cells.in_stream(stream[:40]) == {}  # (not even the list of sheets)
    clean = _workbook(("台账", 0, _formula(6, 1, struct.pack("<d", 4.5))))
    assert xls_cells.in_stream(clean) == {}


def test_a_file_that_is_no_xls_has_no_xls_error_cells(tmp_path):
    assert xls_cells.in_workbook(DATA / "formula_errors.ods") == {}
    (tmp_path / "空.xls").write_bytes(b"")
    assert xls_cells.in_workbook(tmp_path / "空.xls") == {}


def test_the_search_reads_the_cells_whatever_the_order_of_their_attributes():
    xml = (b'<row r="7"><c t="e" s="2" r="AB7"><f>1/0</f><v>#DIV/0!</v></c>'
           b'<c r="A7" t="inlineStr"><is><t>t="e"</t></is></c>'  # (text, not a type)
           b'<c r="B7" s="1" t="e"><v>#NAME?</v></c></row>')
    assert error_cells.in_xml(xml) == {6: [(27, "#DIV/0!"), (1, "#NAME?")]}


def test_cells_with_a_prefix_and_without_a_value_are_found():
    xml = (b'<x:row r="3"><x:c r="B3" t="e"><x:f>VLOOKUP(A3,Z:Z,1,0)</x:f><x:v>#N/A</x:v>'
           b'</x:c><x:c r="C3" t="e"/><x:c r="D3"><x:v>1</x:v></x:c></x:row>')
    assert error_cells.in_xml(xml) == {2: [(1, "#N/A"), (2, "#错误")]}


def test_an_error_in_a_place_column_refuses_the_row(store, station, tmp_path):
    """A member's blank 户编号 or 行政村 takes the row above's (carry_down): an error
    there was told as read empty, and the person was placed in the row above's."""
    header = ["姓名", "身份证号", "行政村", "户编号", "与户主关系"]
    path = _with_errors(write_xlsx(tmp_path / "台账.xlsx", {"台账": [
        header, ["张三", pid(1), "李庄村", "1", "户主"],
        ["李四", pid(2), "李庄村", "ERR:#N/A", "妻"],
        ["王五", pid(3), "ERR:#REF!", "1", "子"]]}))
    result = imp(store, path, "persons")
    assert [(f.row, f.outcome) for f in result.findings] == [(3, "error"), (4, "error")]
    assert "“行政村”一格的公式出错，显示 #REF!" in result.findings[1].reason
    assert _phones(store) == {"张三": ""}


def test_a_sheet_read_whole_after_its_cut_failed_still_finds_them(tmp_path):
    path = _ledger(tmp_path)
    assert error_cells.in_member(path, "xl/worksheets/sheet1.xml") == {
        1: [(3, "#N/A"), (4, "#DIV/0!")], 2: [(1, "#N/A")], 3: [(3, "#DIV/0!")],
        4: [(1, "#N/A")]}
