"""Read a spreadsheet file into plain rows: python-calamine for .xlsx/.xlsm/.xls/.ods, csv for text.

The format is found from the file's first bytes, not its name (WPS and web systems
save all sorts under ``.xls``). Anything that cannot be read raises
``UnreadableFile`` (exit code 2) with the reason in Chinese; nothing is written then.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from laborstation.errors import UserError
from laborstation.importing import xlsx_parts
from laborstation.importing.sheet_rows import SheetRows, read_in_background

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
LEDGER_SUFFIXES = SPREADSHEET_SUFFIXES | {".csv"}  # the files a ledger is imported from


class UnreadableFile(UserError):
    """The file is not a spreadsheet we can read (or has no recognisable header)."""

    exit_code = 2


@dataclass(slots=True)
class RawSheet:
    name: str
    # Cell values as calamine gives them ('' for empty); CSV cells are str. A big .xlsx
    # sheet's rows are a SheetRows still arriving from a background thread.
    rows: list[list] | SheetRows


def read_file(path: str | Path) -> list[RawSheet]:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"找不到文件：{path}")
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head:
        raise UnreadableFile(f"文件 {path.name} 是空的。")
    if head.startswith(_OLE) and _ENCRYPTED in head:
        raise UnreadableFile(
            f"文件 {path.name} 设置了打开密码：请在 Excel/WPS 中取消密码、另存后再导入。"
        )
    if head.startswith((_ZIP, _OLE)):
        return _read_calamine(path)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        if head.lstrip()[:1] == b"<":
            raise UnreadableFile(
                f"文件 {path.name} 实际是网页（HTML）格式，不是 Excel 表格："
                "请用 Excel/WPS 打开后“另存为”.xlsx 再导入。"
            )
        raise UnreadableFile(f"文件 {path.name} 已损坏或不是电子表格。")
    return [_read_csv(path, head)]


def _read_calamine(path: Path) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    found = xlsx_parts.sheets(path) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    # The big sheets are started first: opening the book parses its shared strings
    # (~0.3 s for a 250,000-row ledger), which their reading need not wait for; and
    # when every sheet is big (a ledger of one sheet), the book is not opened here.
    started = {name: read_in_background(path, member, name,
                                        partial(_read_whole_sheet, path, name))
               for name, (member, big) in found.items() if big}
    if found and len(started) == len(found):
        return [RawSheet(name, rows) for name, rows in started.items()]
    try:
        with _calamine_errors(path):
            book = CalamineWorkbook.from_path(str(path))
            sheets = []
            for name in book.sheet_names:
                rows = started.get(name)
                if rows is None:
                    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                sheets.append(RawSheet(name, rows))
    except BaseException:
        for rows in started.values():
            rows.cancel()
        raise
    for name in started.keys() - set(book.sheet_names):  # (not a sheet of the book after all)
        started[name].cancel()
    return sheets


def _read_whole_sheet(path: Path, name: str) -> list[list]:
    """One sheet in one piece (in the thread that reads a big sheet, when it can't be cut)."""
    from python_calamine import CalamineWorkbook

    with _calamine_errors(path):
        book = CalamineWorkbook.from_path(str(path))
        try:
            return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        finally:
            book.close()


@contextmanager
def _calamine_errors(path: Path) -> Iterator[None]:
    """calamine's own errors, and a Rust panic on a damaged file (pyo3's PanicException
    is a BaseException), as ``UnreadableFile`` with the reason in Chinese."""
    try:
        yield
    except BaseException as error:
        if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        text = str(error)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise UnreadableFile(
                f"文件 {path.name} 设置了密码：请在 Excel/WPS 中取消密码、另存后再导入。"
            ) from error
        raise UnreadableFile(
            f"文件 {path.name} 已损坏或不是电子表格（{text[:80]}）。") from error


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise UnreadableFile("文本文件的编码无法识别（应为 UTF-8 或 GBK）。") from error


def _read_csv(path: Path, head: bytes) -> RawSheet:
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(f"文件 {path.name} 不是电子表格，也不是文本（CSV）文件。")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = decode_text(data)
    first = text[:4096]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:  # e.g. a cell longer than csv.field_size_limit() (131,072 chars)
        raise UnreadableFile(
            f"文件 {path.name} 第 {reader.line_num} 行无法按 CSV 读取（{error}）："
            "请用 Excel/WPS 打开检查后另存为 .xlsx 再导入。"
        ) from error
    return RawSheet(path.stem, rows)
