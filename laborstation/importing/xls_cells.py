"""Excel's error values (#N/A, #DIV/0! …) in an .xls workbook (BIFF8, as Excel 97–2003
and WPS save it; BIFF5 of Excel 95 too), found in its ``Workbook`` stream.

calamine reads such a cell as empty, as in an .xlsx (``error_cells``), and gives no way
to tell it from a blank one. The stream is a run of records (type, length, data): a
formula's record (FORMULA) holds the value it last showed, which is an error when its
last two bytes are FF FF and its first is 2; a cell holding an error value as such is a
BOOLERR record with its error flag set. Two ``bytes.find`` over the whole stream tell
whether any record may be one (~6 ms for a 60,000-row sheet, where reading its 16 MB
stream takes ~65 ms and calamine ~370 ms); only then are the records walked, sheet by
sheet, to be sure of each.

A stream that is not as expected (encrypted, not a workbook) gives nothing, one cut short
what lies before the cut: calamine has read the cells, or says what is wrong.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from laborstation.importing.error_cells import Errors

_BOF, _EOF, _BOUNDSHEET, _CODEPAGE, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x0042, 0x002F
_FORMULA, _BOOLERR = 0x0006, 0x0205
_WORKSHEET = 0x00  # BOUNDSHEET's sheet type (others: macro sheet, chart, VBA module)
# A FORMULA record whose value is an error (type 2, the error code two bytes on, FF FF at
# the end), or a BOOLERR one with its error flag: the test before any record is walked.
_ERROR_END, _BOOLERR_HEAD = b"\xff\xff", b"\x05\x02\x08\x00"
_MAYBE = re.compile(rb"\x06\x00.{8}\x02.{5}\xff\xff|\x05\x02\x08\x00.{7}\x01", re.DOTALL)
SHOWN = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
         0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_CODEPAGES = {1200: "utf-16-le", 936: "gbk", 950: "big5", 1252: "cp1252", 367: "ascii"}


def in_workbook(path: Path) -> dict[str, Errors]:
    """Sheet name → its error cells (``error_cells.Errors``); {} when there are none, or
    the file is no workbook of BIFF records (calamine then says what it is)."""
    import olefile  # (only for an .xls)

    try:
        with olefile.OleFileIO(str(path)) as ole:
            for name in ("Workbook", "Book"):  # (BIFF8; BIFF5)
                if ole.exists(name):
                    return in_stream(ole.openstream(name).read())
    except (OSError, ValueError, struct.error, IndexError):  # (olefile's own errors are
        pass  # OSError or ValueError: not a compound file, a damaged one)
    return {}


def in_stream(data: bytes) -> dict[str, Errors]:
    """The error cells of each worksheet of a ``Workbook`` (or ``Book``) stream."""
    if not (_ERROR_END in data or _BOOLERR_HEAD in data) or _MAYBE.search(data) is None:
        return {}  # (the test of the regular expression, ~10× faster where none can be)
    found: dict[str, Errors] = {}
    try:
        for name, start in _worksheets(data):
            if errors := _sheet_errors(data, start):
                found[name] = errors
    except (struct.error, IndexError, UnicodeDecodeError, LookupError):
        return {}  # (a damaged stream: calamine reads what it can)
    return found


def _records(data: bytes, at: int):
    """(type, start of data, length) of each record from ``at`` to the end."""
    end = len(data) - 4
    while at <= end:
        kind, size = struct.unpack_from("<HH", data, at)
        yield kind, at + 4, size
        at += 4 + size


def _worksheets(data: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of each worksheet listed in the workbook's globals; []
    when the stream is encrypted (FILEPASS) or does not start as a workbook."""
    if len(data) < 4 or struct.unpack_from("<H", data, 0)[0] != _BOF:
        return []
    encoding, sheets = "utf-16-le", []
    for kind, at, size in _records(data, 0):
        if kind == _EOF:
            break
        if kind == _FILEPASS:
            return []
        if kind == _CODEPAGE and size >= 2:
            encoding = _CODEPAGES.get(struct.unpack_from("<H", data, at)[0], "gbk")
        elif kind == _BOUNDSHEET and size >= 8:
            offset, _visible, sheet_type = struct.unpack_from("<IBB", data, at)
            if sheet_type == _WORKSHEET:
                sheets.append((_sheet_name(data, at + 6, encoding), offset))
    return sheets


def _sheet_name(data: bytes, at: int, encoding: str) -> str:
    count = data[at]
    if encoding == "utf-16-le":  # (BIFF8: a flag byte, then 1 or 2 bytes a character)
        wide = data[at + 1] & 1
        raw = data[at + 2:at + 2 + count * (2 if wide else 1)]
        return raw.decode("utf-16-le" if wide else "latin-1")
    return data[at + 1:at + 1 + count].decode(encoding)  # (BIFF5: the workbook's code page)


def _sheet_errors(data: bytes, start: int) -> Errors:
    errors: Errors = {}
    depth = 0
    for kind, at, size in _records(data, start):
        if kind == _BOF:
            depth += 1  # (a chart inside the sheet has its own BOF … EOF)
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif depth != 1:
            continue
        elif kind == _FORMULA and size >= 14 and data[at + 6] == 2 and \
                data[at + 12:at + 14] == b"\xff\xff":
            row, column = struct.unpack_from("<HH", data, at)
            errors.setdefault(row, []).append((column, SHOWN.get(data[at + 8], "#错误")))
        elif kind == _BOOLERR and size >= 8 and data[at + 7] == 1:
            row, column = struct.unpack_from("<HH", data, at)
            errors.setdefault(row, []).append((column, SHOWN.get(data[at + 6], "#错误")))
    return errors
