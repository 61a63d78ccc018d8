"""The bench's copy of a ledger in shared strings, as Excel and WPS save it."""

from __future__ import annotations

import zipfile

from python_calamine import CalamineWorkbook

from laborstation.bench.importing import make_persons_xlsx
from laborstation.bench.shared_strings import make_shared_strings_copy


def _rows(path):
    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_index(0).to_python()
    finally:
        book.close()


def test_the_copy_holds_the_same_rows_with_its_text_shared(tmp_path):
    inline = make_persons_xlsx(tmp_path / "inline.xlsx", 300)
    shared = make_shared_strings_copy(inline, tmp_path / "shared.xlsx")
    assert _rows(shared) == _rows(inline) and len(_rows(inline)) == 302
    with zipfile.ZipFile(shared) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
        strings = book.read("xl/sharedStrings.xml")
    assert b"inlineStr" not in sheet and b' t="s"><v>' in sheet
    assert strings.count(b"<si>") == len(set(strings.split(b"<si>")[1:]))  # each text once
