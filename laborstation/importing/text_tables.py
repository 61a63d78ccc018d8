"""A ledger saved as text: a CSV, or the "Excel" of a web system (text under .xls), read into rows.

The encoding: UTF-8 (with or without BOM), UTF-16 with its BOM, else GB18030 (a superset
of GBK). The separator: of , tab ; and |, the one that splits the most of the first lines
alike (``_delimiter``); a title line above the header has none.

A file under a spreadsheet's suffix (.xls, .xlsx …) that is neither a ZIP nor an OLE
file is read as text when it is text laid out as a table (``disguised``): what web
systems export under 导出Excel, a CSV renamed. Anything else (binary bytes, a text of
one column) is a damaged spreadsheet, and ``read_text_table`` says so by giving None.

A text that is clearly UTF-8 (or GBK) but for a few bytes that cannot be decoded (a
GBK file with a damaged character, a UTF-8 file with one character cut short or one
word pasted in GBK) is refused, naming the encoding it looks like, the first bad byte's
row and offset, and the cells where the bad bytes are (shown as �): read with them
replaced, the rows would be imported with a name or an address that is not what the
clerk typed, and no check of the rows would say so. A few: at most ``FEW_BAD`` places,
or one in ``1 / BAD_SHARE`` of the bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
from collections import Counter
from pathlib import Path

from laborstation.importing.unreadable import UnreadableFile
from laborstation.importing.xlsx_parts import column_letter

FEW_BAD = 20
BAD_SHARE = 1000
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = (",", "\t", ";", "|")  # (in this order when two fit as well)
_SAMPLE = 65536  # characters of the text looked at to find the delimiter
_SAMPLE_ROWS = 50
# Control characters no table has (a few are forgiven: one in a hundred characters).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ENCODING_NAMES = {"utf-8": "UTF-8", "gb18030": "GBK", "utf-16": "UTF-16"}


class _Undecodable(Exception):
    """The bytes are not text in any of the encodings; ``encoding`` is the one they look
    like but for a few bad bytes (``spots``: their (start, end) offsets; ``text``: the
    text with each replaced by U+FFFD), or None."""

    def __init__(self, encoding: str | None = None, spots: list | None = None, text: str = ""):
        super().__init__(encoding)
        self.encoding, self.spots, self.text = encoding, spots or [], text


class _TooMany(Exception):
    pass


_found = threading.local()


def _note_bad_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    spots = _found.spots
    spots.append((error.start, error.end))
    if len(spots) > _found.most:
        raise _TooMany()
    return "\ufffd", error.end


codecs.register_error("laborstation.note_bad_bytes", _note_bad_bytes)


def _few_bad(data: bytes, encoding: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The text with its bad bytes replaced, and where they are; None when there are more
    than a few (the decoding stops there: a GBK file read as UTF-8 stops within a line)."""
    _found.spots, _found.most = [], max(FEW_BAD, len(data) // BAD_SHARE)
    try:
        text = data.decode(encoding, "laborstation.note_bad_bytes")
    except _TooMany:
        return None
    finally:
        spots, _found.spots = _found.spots, []
    return text, spots


def _strict(data: bytes, encoding: str, skipped: int = 0) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    few = _few_bad(data, encoding)
    if few is None:
        raise _Undecodable()
    text, spots = few
    raise _Undecodable(encoding, [(a + skipped, b + skipped) for a, b in spots], text)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", skipped=3)
    if data.startswith(_UTF16):
        return _strict(data, "utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 but for a few bad bytes: looked at before GB18030, which would read most
    # UTF-8 text as other characters (乱码) and say nothing.
    few = _few_bad(data, "utf-8")
    if few is not None:
        text, spots = few
        others = len(text) - len(text.encode("ascii", "ignore")) - len(spots)
        if others >= 4 * len(spots):  # (GBK read as UTF-8: most of it fails)
            raise _Undecodable("utf-8", spots, text)
    return _strict(data, "gb18030")


def decode_text(data: bytes, name: str = "") -> str:
    """The text of a file's bytes (``name``: the file's, for the message when it is not text)."""
    try:
        return _decode(data)
    except _Undecodable as error:
        raise UnreadableFile(_undecodable(name, error, data)) from None


def _shown(cell: str) -> str:
    """A cell's text around its first bad byte, at most ~20 characters."""
    at = cell.find("\ufffd")
    if len(cell) <= 20:
        return cell
    start = max(0, at - 8)
    return ("…" if start else "") + cell[start:start + 20] + ("…" if start + 20 < len(cell) else "")


def _undecodable(name: str, error: _Undecodable, data: bytes) -> str:
    if error.encoding is None:
        if not name:
            return "文本文件的编码无法识别（应为 UTF-8 或 GBK）。"
        return (f"文件 {name} 的编码无法识别（应为 UTF-8 或 GBK 编码的文本）："
                "请用 Excel/WPS 打开它，“另存为”.xlsx 后再导入。")
    places, first = [], None
    try:
        reader = csv.reader(io.StringIO(error.text, newline=""),
                            delimiter=_delimiter(error.text)[0])
        for number, row in enumerate(reader, 1):
            for column, cell in enumerate(row):
                if "\ufffd" in cell:
                    first = first or number
                    places.append(f"第 {number} 行 {column_letter(column)} 列“{_shown(cell)}”")
            if len(places) > 3:
                break
    except csv.Error:
        pass
    offset = error.spots[0][0]
    if first is None:  # (the rows could not be told: the line of the file)
        first = data.count(b"\n", 0, offset) + 1
    where = ""
    if places:
        where = f"这些字节显示为 �：{'；'.join(places[:3])}{'等' if len(places) > 3 else ''}。"
    return (f"文件 {name or '（文本）'} 是 {_ENCODING_NAMES[error.encoding]} 编码的文本，"
            f"但其中有 {len(error.spots)} 处字节无法识别，第一处在第 {first} 行"
            f"（从文件开头数第 {offset + 1} 个字节）。{where}可能是文件在复制或传输时损坏，"
            "或混入了其他编码的文字；为免导入乱码，整个文件没有导入："
            "请用 Excel/WPS 打开此文件，改正这些地方后另存为 .xlsx 再导入。")


def _delimiter(text: str) -> tuple[str, tuple[int, int]]:
    """The separator of a text table, and (rows, cells) of the most rows it splits alike:
    of , tab ; and |, the one that splits the most of its first lines into the same
    number (above one) of cells. Counting the characters is not enough: a tab-separated
    export has commas in its text (电工,焊工), a semicolon-separated one (Excel in a
    European locale) commas in its addresses. ((',', (0, 0)) when none splits any row.)"""
    sample = text[:_SAMPLE]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        if delimiter not in sample:
            continue
        widths = []
        try:
            for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if any(cell.strip() for cell in row):
                    widths.append(len(row))
                if len(widths) > _SAMPLE_ROWS:
                    break
        except csv.Error:
            continue
        if len(sample) < len(text) and len(widths) > 1:
            widths.pop()  # (the last row read may be cut short by the sample's end)
        counted = Counter(width for width in widths if width > 1)
        if not counted:
            continue
        width, rows = counted.most_common(1)[0]
        if (rows, width) > best_score:
            best, best_score = delimiter, (rows, width)
    return best, best_score


def _is_table(text: str, rows_alike: int | None = None) -> bool:
    """Text laid out as a table: rows split alike into cells (``rows_alike`` of them, if
    known), no binary bytes."""
    sample = text[:_SAMPLE]
    if len(_CONTROL.findall(sample)) * 100 > len(sample):
        return False
    return (_delimiter(text)[1][0] if rows_alike is None else rows_alike) >= 2


def read_text_table(path: Path, head: bytes, *, disguised: bool = False) -> list[list[str]] | None:
    """The rows of a text file (``head``: its first bytes). ``disguised``: the file has a
    spreadsheet's suffix; None when it is not a text table after all (a damaged file)."""
    if b"\x00" in head[:4096] and not head.startswith(_UTF16):
        if disguised:
            return None
        raise UnreadableFile(f"文件 {path.name} 不是电子表格，也不是文本（CSV）文件。")
    data = path.read_bytes()
    try:
        text = _decode(data)
    except _Undecodable as error:
        if disguised and not (error.encoding and _is_table(error.text)):
            return None
        raise UnreadableFile(_undecodable(path.name, error, data)) from None
    del data
    delimiter, (rows_alike, _width) = _delimiter(text)
    if disguised and not _is_table(text, rows_alike):
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:  # e.g. a cell longer than csv.field_size_limit() (131,072 chars)
        raise UnreadableFile(
            f"文件 {path.name} 第 {reader.line_num} 行无法按 CSV 读取（{error}）："
            "请用 Excel/WPS 打开检查后另存为 .xlsx 再导入。"
        ) from error
