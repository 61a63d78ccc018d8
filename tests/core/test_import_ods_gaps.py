"""An .ods with a stray cell far below its ledger: read without a million rows of cells.

stray_cell.ods: LibreOffice's save of a ledger (a title, the header, 4 persons whose 行政村
is merged down) with an x typed in AO1000000. Read whole, calamine made it 1,000,000 × 41
cells (~3 GB)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from import_world import TOWNSHIP, imp
from sqlalchemy import select

from laborstation.importing import ods_gaps, xlsx_parts
from laborstation.importing.reading import read_file
from laborstation.model import Person
from laborstation.services.station import set_station

DATA = Path(__file__).parent.parent / "data"
STRAY = DATA / "stray_cell.ods"


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code=TOWNSHIP)


def test_the_stray_cell_is_read_at_its_row_and_the_rows_between_are_one_shared_row():
    [sheet] = read_file(STRAY)
    assert len(sheet.rows) == 1_000_000 and sheet.rows[-1][40] == "x"
    assert sheet.rows[500_000] is sheet.rows[900_000] is xlsx_parts.EMPTY_ROW
    assert [cells[:6] for cells in sheet.rows[1:3]] == [
        ["序号", "姓名", "身份证号", "性别", "行政村", "家庭住址"],
        [1.0, "张三", "410926198001020173", "男", "李庄村", "一组"]]
    assert sheet.merges == [((2, 4), (5, 4))]  # (of the file itself: 行政村 merged down)


def test_the_ledger_is_imported_and_every_row_is_counted(store, station):
    result = imp(store, STRAY, "persons")
    assert (result.added, result.errors, result.blank, result.read) == (4, 0, 999_994, 999_998)
    with store.reading() as session:
        assert dict(session.execute(select(Person.name, Person.address)).all()) == {
            "张三": "一组", "李四": "一组", "王五": "一组", "赵六": "一组"}


def _content(*tables: bytes) -> bytes:
    return (b'<office:document-content><office:body><office:spreadsheet>'
            + b"".join(tables) + b"</office:spreadsheet></office:body></office:document-content>")


def _table(name: str, rows: bytes) -> bytes:
    return f'<table:table table:name="{name}">'.encode() + rows + b"</table:table>"


def _row(value: str | None = None, repeated: int = 1) -> bytes:
    times = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    if value is None:
        return f'<table:table-row{times}><table:table-cell/></table:table-row>'.encode()
    return (f'<table:table-row{times}><table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell></table:table-row>").encode()


def test_only_long_runs_of_empty_rows_are_cut():
    content = _content(
        _table("甲&amp;乙", _row("a") + _row(None, 20_000) + _row("b", 15_000)  # (values: kept)
               + b'<table:table-header-rows>' + _row(None, 12_000) + b"</table:table-header-rows>"
               + _row("c") + _row(None, 9_000) + _row("d") + _row(None, 50_000)),  # (last)
        _table("空", _row(None, 1_048_575) + _row("z")),
        _table("短", _row("a") + _row(None, 100)))
    cut, found = ods_gaps.cut(content)
    assert found == {"甲&乙": [(1, 19_999), (35_001, 11_999), ],
                     "空": [(0, 1_048_574)]}
    assert cut.count(b'number-rows-repeated="1"') == 3
    assert all(f'"{count}"'.encode() in cut for count in (15_000, 9_000, 50_000, 100))
    assert ods_gaps.cut(_content(_table("短", _row("a") + _row(None, 100)))) == (
        _content(_table("短", _row("a") + _row(None, 100))), {})


def test_the_rows_cut_come_back_above_the_last_cell_only():
    rows = [["a"], [], ["b"], [], ["c"]]  # (as read from the copy: each run one row)
    back = ods_gaps.put_back(rows, [(1, 3), (6, 4), (12, 100)])  # (the last: below c)
    assert back == [["a"], [], (), (), (), ["b"], [], (), (), (), (), ["c"]]
    assert ods_gaps.put_back(rows, []) is rows
    assert len(ods_gaps.put_back([["a"], [], ["b"]], [(1, 2_000_000)])) == 1_048_576


def test_a_file_with_no_long_run_is_read_as_it_is(tmp_path):
    def content(path: Path) -> bytes:
        return zipfile.ZipFile(path).read("content.xml")

    plain = DATA / "formula_errors.ods"  # (with the run LibreOffice writes under its rows)
    assert b'number-rows-repeated="1048' in content(plain)
    assert ods_gaps.trimmed(plain, content(plain)) is None
    (tmp_path / "坏.ods").write_bytes(b"PK\x03\x04 not a zip")
    assert ods_gaps.trimmed(tmp_path / "坏.ods", content(STRAY)) is None
    copy, found = ods_gaps.trimmed(STRAY, content(STRAY))
    assert found == {"李庄村": [(6, 999_992)]}  # (not the run LibreOffice writes below x)
    names = zipfile.ZipFile(copy).namelist()
    assert names == zipfile.ZipFile(STRAY).namelist() and names[0] == "mimetype"
