"""Excel's error values (#N/A, #REF!, #DIV/0! …) in a sheet, found in its XML.

calamine reads such a cell as empty (python-calamine issue 105), so a formula that
failed (a VLOOKUP of a name not found, dragged down a ledger) would be imported as a
blank ID number, phone or wage with no word. An .xlsx cell of type ``t="e"`` is one;
the search costs one ``bytes.find`` of ``#`` (memchr: ~9 ms for a 250,000-row sheet)
when there are none, as every error value starts with it.
(.ods: ``reading``; .xls: ``xls_cells``, from its BIFF records.)

``Errors``: 0-based row index → [(0-based column, the error value)], as the sheet's rows.
"""

from __future__ import annotations

import re
import zipfile

from laborstation.importing import xlsx_parts  # (its module: xlsx_parts imports this one)
from laborstation.importing.headers import HeaderMatch

Errors = dict[int, list[tuple[int, str]]]

_MARK = b't="e"'
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
# A row or column too far for a row of the sheet (a damaged ref is left to calamine).
_MOST_ROWS = 1_048_576


def in_xml(xml: bytes | bytearray, found: Errors | None = None) -> Errors:
    """The error cells of (a part of) a sheet's XML, added to ``found``."""
    found = {} if found is None else found
    if xml.find(b"#") < 0:  # (every error value starts with #: one memchr, ~10× faster)
        return found
    at = xml.find(_MARK)
    while at >= 0:
        cell = xml.rfind(b"<", 0, at)  # (the cell's tag: <c …, or <x:c … with a prefix)
        close = xml.find(b">", at)
        name_end = cell + 1
        while name_end < at and xml[name_end] not in b" \t\r\n":
            name_end += 1
        name = bytes(xml[cell + 1:name_end])
        if cell < 0 or close < 0 or (name != b"c" and not name.endswith(b":c")):
            at = xml.find(_MARK, at + 1)  # (text that reads t="e", not a cell's type)
            continue
        ref = _REF.search(xml, cell, close)
        if xml[close - 1:close] == b"/":  # (a cell with no value: none to show)
            end, value = close, None
        else:
            end = xml.find(b"</" + name + b">", close)
            end = len(xml) if end < 0 else end
            value = _VALUE.search(xml, close, end)
        if ref is not None and 0 <= (row := int(ref.group(2)) - 1) < _MOST_ROWS:
            text = value.group(1).decode("utf-8", "replace") if value else ""
            found.setdefault(row, []).append(
                (xlsx_parts.column_index(ref.group(1)), text or "#错误"))
        at = xml.find(_MARK, max(at + 1, end))
    return found


def in_member(path, member: str) -> Errors:
    """The error cells of a sheet read whole (its XML read here in pieces)."""
    found: Errors = {}
    tail = b""
    with zipfile.ZipFile(path) as book, book.open(member) as stream:
        while piece := stream.read(4 * 2**20):
            xml = tail + piece
            cut = xml.rfind(b"<row")  # (a row is looked at in one piece)
            cut = len(xml) if cut <= 0 else cut
            if _MARK in xml:
                in_xml(xml[:cut], found)
            tail = xml[cut:]
    if _MARK in tail:
        in_xml(tail, found)
    return found


# Fields a row cannot be imported without, and the places a blank one would take from the
# row above (``carry_down``): an error there refuses the row.
_NEEDED = frozenset({"id_number", "name", "township", "village", "group", "household_no",
                     "household_head"})


def check(item, cells: list[tuple[int, str]], header: HeaderMatch) -> None:
    """A row with error cells: refused when one is its 身份证号, 姓名 or a place (乡镇 …
    户编号: a blank one takes the row above's), else each told (its value is read as
    empty). Cells of columns the import does not take are left alone."""
    fields = {column: field for field, column in header.columns.items()}
    for field, columns in header.extra_columns.items():
        fields.update(dict.fromkeys(columns, field))
    for column, value in cells:
        field = fields.get(column)
        if field is None:
            continue
        title = header.titles[column] if column < len(header.titles) else field
        said = f"“{title}”一格的公式出错，显示 {value}"
        if value == "#N/A":
            said += "（没有找到要查的值，常见于 VLOOKUP）"
        if field in _NEEDED:
            item.refuse(said + "：请在 Excel 中改正公式后再导入")
            return
        item.warn(said + "，按空白导入：改正公式后可再导入这一行补上")
