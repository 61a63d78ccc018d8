"""Text that looks like a formula is written as text, never as a live formula."""

from __future__ import annotations

import os
import stat
import sys

import pytest
from openpyxl import Workbook, load_workbook

from laborstation.returns.workbook import save_workbook
from laborstation.xlsx_text import keep_text_as_text


def test_formula_like_text_is_saved_as_text(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["=1+1", "=cmd|' /C calc'!A0", "张三", 42])
    assert keep_text_as_text(book) == 2
    path = tmp_path / "out.xlsx"
    save_workbook(book, path)
    cells = next(load_workbook(path).active.iter_rows())
    assert [c.value for c in cells] == ["=1+1", "=cmd|' /C calc'!A0", "张三", 42]
    assert [c.data_type for c in cells[:2]] == ["s", "s"]


def test_the_return_writer_never_saves_a_formula(tmp_path):
    book = Workbook()
    book.active["A1"] = "=HYPERLINK(\"http://x\")"
    save_workbook(book, tmp_path / "r.xlsx")
    cell = load_workbook(tmp_path / "r.xlsx").active["A1"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_saved_file_gets_the_mode_of_any_new_file(tmp_path):
    """Not the owner-only mode of the temporary file it is written as."""
    from laborstation.xlsx_text import save_safely

    mask = os.umask(0o022)
    try:
        saved = save_safely(Workbook(), tmp_path / "出错的行.xlsx")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o644
