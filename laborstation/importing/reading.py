"""Read a spreadsheet file into plain rows: python-calamine for .xlsx/.xlsm/.xls/.ods, csv for text.

The format is found from the file's content, not its name (WPS and web systems save
all sorts under ``.xls``): an OLE file is .xls, a ZIP holding ``xl/`` is .xlsx (.xlsb
with ``xl/workbook.bin``), a ZIP whose ``mimetype`` is OpenDocument spreadsheet is .ods.
calamine picks its reader from the suffix, so a file whose suffix says otherwise is
handed to it as a file object (it then finds the format from the bytes). Anything that
cannot be read raises ``UnreadableFile`` (exit code 2) with the reason in Chinese;
nothing is written then.

Merged cells: calamine gives a merged cell's value in its top-left cell only; each
sheet read whole comes with its merged ranges (``RawSheet.merges``) so that the rows
under the header can be filled (``plan``). calamine gives none for .ods (they are read
from its content.xml here). A big .xlsx sheet read in parts gets them only once all of
it is read (its ``<mergeCells>`` follow its rows in the XML: ``SheetRows.merges``), and
``run_import`` then imports it again with them filled in.

Hidden and very hidden sheets (an old copy of the ledger, a list of codes) are not
read: the clerk does not see them, so they are not imported (``RawSheet.hidden``; the
plan says which were left out).

Text (a CSV; a web system's export or a renamed CSV under .xls/.xlsx) is read by
``text_tables``. The XML of an .xlsx sheet read whole is looked at: a sheet whose cells
lie far apart (a stray ``x`` in AZ1048576) is read in pieces (``_look_at``, before
calamine would read it), and formula cells saved without their result refuse the file
(calamine would read them as empty). Running out of memory is said as such, never as a
damaged file.
"""

from __future__ import annotations

import html
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

from laborstation.importing import (
    error_cells,
    formula_cells,
    ods_gaps,
    ods_rows,
    spread_sheet,
    xls_cells,
    xlsx_parts,
)
from laborstation.importing.sheet_rows import SheetRows, read_in_background
from laborstation.importing.text_tables import decode_text, read_text_table
from laborstation.importing.unreadable import (
    UnreadableFile,
    damaged,
    formulas_without_values,
    out_of_memory,
)

__all__ = ["LEDGER_SUFFIXES", "SPREADSHEET_SUFFIXES", "RawSheet", "UnreadableFile",
           "decode_text", "read_file"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
LEDGER_SUFFIXES = SPREADSHEET_SUFFIXES | {".csv"}  # the files a ledger is imported from
# The suffixes (as calamine compares them: case and all) from which calamine picks the
# reader for each format; a file of another suffix is given to it as a file object.
_CALAMINE_SUFFIXES = {"xls": {".xls", ".xla"}, "xlsx": {".xlsx", ".xlsm", ".xlam"},
                      "xlsb": {".xlsb"}, "ods": {".ods"}}
FORMAT_NAMES = {"xls": "Excel 97–2003（.xls）", "xlsx": "Excel（.xlsx）",
                "xlsb": "Excel 二进制（.xlsb）", "ods": "OpenDocument（.ods）"}
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ZIP_ERRORS = (KeyError, zipfile.BadZipFile, zlib.error, OSError, ValueError, RuntimeError,
               EOFError)
# Other ZIP packages clerks may pick by mistake: (a member that marks it, what it is).
_OTHER_PACKAGES = (("word/", "Word 文档"), ("ppt/", "PowerPoint 演示文稿"))
log = logging.getLogger(__name__)


@dataclass(slots=True)
class RawSheet:
    name: str
    # Cell values as calamine gives them ('' for empty); CSV cells are str. A big .xlsx
    # sheet's rows are a SheetRows still arriving from a background thread. A long run of
    # empty rows (above a stray cell far below) is one shared empty tuple, repeated.
    rows: list[list] | SheetRows
    # The sheet's merged ranges, in the coordinates of ``rows`` (which start at A1).
    merges: list[xlsx_parts.Merge] = field(default_factory=list)
    text: bool = False  # read from a text file: its name is the file's, not a sheet's
    hidden: bool = False  # a hidden or very hidden sheet: not read (its rows are [])
    # Cells holding an Excel error value, which calamine reads as empty (``error_cells``);
    # a SheetRows' own, filled as its parts arrive.
    errors: error_cells.Errors = field(default_factory=dict)


def read_file(path: str | Path) -> list[RawSheet]:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"找不到文件：{path}")
    try:
        return _read(path)
    except MemoryError:
        raise out_of_memory(path.name) from None


def _read(path: Path) -> list[RawSheet]:
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head:
        raise UnreadableFile(f"文件 {path.name} 是空的。")
    if head.startswith(_OLE) and _ENCRYPTED in head:
        raise UnreadableFile(
            f"文件 {path.name} 设置了打开密码：请在 Excel/WPS 中取消密码、另存后再导入。"
        )
    if head.startswith(_OLE):
        return _read_calamine(path, "xls")
    if head.startswith(_ZIP):
        return _read_calamine(path, _zip_format(path))
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        # Neither ZIP nor OLE: text (a web system's 导出Excel, a renamed CSV), a web page,
        # or a damaged file.
        if head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<":
            raise UnreadableFile(
                f"文件 {path.name} 实际是网页（HTML）格式，不是 Excel 表格："
                "请用 Excel/WPS 打开后“另存为”.xlsx 再导入。"
            )
        rows = read_text_table(path, head, disguised=True)
        if rows is None:
            raise UnreadableFile(f"文件 {path.name} 已损坏或不是电子表格。")
        return [RawSheet(path.stem, rows, text=True)]
    return [RawSheet(path.stem, read_text_table(path, head), text=True)]


def _zip_format(path: Path) -> str:
    """The spreadsheet format of a ZIP package, from its members: 'xlsx' (also .xlsm),
    'xlsb' or 'ods'. A package of another kind is refused here, and an Office one holding
    no document (an .xlsx that lost its parts) is damaged; one whose members cannot be
    listed is left to calamine, as .ods if so named, else as .xlsx."""
    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            mimetype = package.read("mimetype")[:200] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError):
        return "ods" if path.suffix.lower() == ".ods" else "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype.strip().startswith(_ODS_MIME):
        return "ods"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"  # (one without xl/workbook.xml is damaged: calamine will say so)
    what, hint = "压缩包（ZIP）", "如果表格在压缩包里，请先解压，再选择其中的表格文件导入。"
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        what = "OpenDocument 文字或演示文档"
    for marker, kind in _OTHER_PACKAGES:
        if any(name.startswith(marker) for name in names):
            what = kind
    if what == "压缩包（ZIP）" and "[Content_Types].xml" in names:
        # An Office package holding no document: a workbook that lost its parts, not a
        # ZIP of files to unpack
        raise damaged(path.name, FORMAT_NAMES["xlsx"])
    if what != "压缩包（ZIP）":
        hint = "请选择 Excel/WPS 表格文件（.xlsx、.xls、.ods）再导入。"
    space = " " if what[:1].isascii() else ""  # (是 Word 文档, 是压缩包)
    raise UnreadableFile(f"文件 {path.name} 是{space}{what}，不是电子表格：{hint}")


def _open_book(path: Path, fmt: str, copy: BinaryIO | None = None):
    """The workbook, read as ``fmt`` whatever the file's suffix (inside ``_calamine_errors``);
    from ``copy`` when given (an .ods made in memory: ``ods_gaps``)."""
    from python_calamine import CalamineWorkbook

    if copy is not None:
        return CalamineWorkbook.from_filelike(copy)
    if path.suffix in _CALAMINE_SUFFIXES[fmt]:
        return CalamineWorkbook.from_path(str(path))
    # Another suffix: calamine would pick the reader from it. A file object is read
    # from its bytes (no temporary copy or link to make, and to fail to remove, on Windows).
    with path.open("rb") as handle:
        return CalamineWorkbook.from_filelike(handle)


def _read_calamine(path: Path, fmt: str) -> list[RawSheet]:
    found = xlsx_parts.sheets(path) if fmt == "xlsx" else {}
    # (known before any sheet is started, so that a hidden one is never read)
    hidden = _xlsx_hidden(path) if found else set()
    # The big sheets are started first: opening the book parses its shared strings
    # (~0.3 s for a 250,000-row ledger), which their reading need not wait for; and
    # when every sheet is big (a ledger of one sheet), the book is not opened here.
    started = {name: read_in_background(path, member, name,
                                        partial(_read_whole_sheet, path, name, fmt))
               for name, (member, big) in found.items() if big and name not in hidden}
    if found and len(started) + len(hidden & found.keys()) == len(found):
        return [RawSheet(name, started[name], errors=started[name].errors) if name in started
                else RawSheet(name, [], hidden=True) for name in found]
    small = {name: member for name, (member, big) in found.items()
             if not big and name not in hidden}
    try:
        with _calamine_errors(path, fmt):
            # (an .ods with a long run of empty rows above a stray cell: read without it)
            content = _ods_content(path) if fmt == "ods" else None
            gaps = ods_gaps.trimmed(path, content) if content else None
            book = _open_book(path, fmt, None if gaps is None else gaps[0])
            cut = gaps[1] if gaps is not None else {}
            if not book.sheet_names:  # (no xl/workbook.xml: calamine finds no sheet)
                raise damaged(path.name, FORMAT_NAMES[fmt])
            hidden |= _hidden_sheets(book)
            sheets = []
            for name in book.sheet_names:
                if name in hidden:
                    sheets.append(RawSheet(name, [], hidden=True))
                    continue
                rows = started.get(name)
                if rows is not None:
                    sheets.append(RawSheet(name, rows, errors=rows.errors))
                    continue
                pieces, errors = _look_at(path, name, small[name]) if name in small else (
                    None, {})
                if pieces is not None:
                    sheets.append(RawSheet(name, *pieces, errors=errors))
                    continue
                sheet = book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
                if name in cut:
                    rows = ods_gaps.put_back(rows, cut[name])
                sheets.append(RawSheet(name, rows, _merged_ranges(sheet), errors=errors))
        if content:
            _add_ods_cells(content, sheets)
        elif fmt == "xls" and (xls_errors := xls_cells.in_workbook(path)):
            for sheet in sheets:  # (calamine reads them as empty cells, as in the others)
                sheet.errors.update(xls_errors.get(sheet.name, {}))
    except BaseException:
        for rows in started.values():
            rows.cancel()
        raise
    for name in started.keys() - set(book.sheet_names):  # (not a sheet of the book after all)
        started[name].cancel()
    return sheets


def _look_at(path: Path, name: str, member: str
             ) -> tuple[tuple[list, list] | None, error_cells.Errors]:
    """An .xlsx sheet's XML looked at before calamine reads it whole: its (rows, merges)
    read in pieces when its cells lie far apart (``spread_sheet``), else None (calamine
    reads it); and its error cells (``error_cells``). Formula cells saved without their
    result refuse the file: looked for in the first ``formula_cells.LOOK`` bytes (all of
    a sheet whose XML is read here).

    A small used range at the top of its XML (``<dimension>``, which Excel and WPS write
    exactly when they save) is trusted: the rest of the XML is only searched for error
    cells then (reading 20 MB of it costs ~25 ms)."""
    try:
        with zipfile.ZipFile(path) as package, package.open(member) as stream:
            xml = stream.read(formula_cells.LOOK)
            read_all = not spread_sheet.fits(xml)
            rest = stream.read()
    except _ZIP_ERRORS:
        return None, {}  # (calamine will say what is wrong)
    whole = xml + rest if rest else xml
    if cells := formula_cells.no_cached_values(whole if read_all else xml):
        raise formulas_without_values(path.name, name, cells)
    errors = error_cells.in_xml(whole)
    if not read_all or not spread_sheet.too_spread(whole):
        return None, errors
    try:
        return spread_sheet.read_pieces(path, whole), errors
    except xlsx_parts.Cannot:
        return None, errors


def _hidden_sheets(book) -> set[str]:
    """The names of the book's hidden and very hidden sheets (calamine's sheet metadata,
    for .xlsx, .xls and .ods alike)."""
    from python_calamine import SheetVisibleEnum

    return {sheet.name for sheet in getattr(book, "sheets_metadata", ())
            if sheet.visible != SheetVisibleEnum.Visible}


def _xlsx_hidden(path: Path) -> set[str]:
    """The hidden and very hidden sheets of an .xlsx, from its workbook.xml (the
    ``state`` of each ``<sheet>``): without opening the book, which parses all of its
    shared strings. set() when the file is not as expected (calamine's metadata then
    tells, once the book is open)."""
    try:
        with zipfile.ZipFile(path) as package:
            workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError,
            RuntimeError, EOFError):
        return set()
    return {sheet.get("name", "") for sheet in workbook.iter(f"{{{_MAIN}}}sheet")
            if sheet.get("state") in ("hidden", "veryHidden")}


def _merged_ranges(sheet) -> list[xlsx_parts.Merge]:
    """calamine's merged ranges of a sheet ([] when it has none, or gives none: .ods)."""
    try:
        found = sheet.merged_cell_ranges
    except Exception:  # noqa: BLE001 - merges are a help, never a reason to refuse the file
        return []
    merges = []
    for cells in found or ():
        try:
            (top, left), (bottom, right) = cells
            merges.append(((int(top), int(left)), (int(bottom), int(right))))
        except (TypeError, ValueError):
            continue
    return merges


# The tags of content.xml counted to place an .ods's merged cells (LibreOffice and WPS
# write the ``table:`` prefix). A regular expression, not an XML parser: ~20 times faster.
_ODS_CELL = re.compile(rb"<table:(table-cell|covered-table-cell)(?=[\s/>])([^>]*)>")
_ODS_ERROR = b'calcext:value-type="error"'
_REPEATS = 1000  # rows or columns of one repeated error cell told (a formula filled down)
_ODS_TEXT = re.compile(rb"\s*<text:p>([^<]*)</text:p>")


def _ods_content(path: Path) -> bytes | None:
    """An .ods's ``content.xml``; None when it cannot be read (calamine read the cells, or
    says what is wrong)."""
    try:
        with zipfile.ZipFile(path) as package:
            return package.read("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, EOFError):
        return None


def _add_ods_cells(content: bytes, sheets: list[RawSheet]) -> None:
    """What calamine gives none of in an .ods, from its content.xml: the merged ranges (a
    ``table:table-cell`` with ``number-rows-spanned``/``number-columns-spanned``) and
    the cells of an error value (``calcext:value-type="error"``, their text #N/A …; see
    ``error_cells``). Rows and cells repeated (``number-*-repeated``) count as many
    times; only the cells of rows holding one are walked."""
    if b"-spanned=" not in content and _ODS_ERROR not in content:
        return
    found: dict[str, tuple[list[xlsx_parts.Merge], error_cells.Errors]] = {}
    for name, row, tag, rows in ods_rows.rows(content):
        merges, errors = found.setdefault(name, ([], {}))
        end = ods_rows.row_end(content, tag)
        if end > tag.end() and (content.find(b"-spanned=", tag.end(), end) >= 0
                         or content.find(_ODS_ERROR, tag.end(), end) >= 0):
            column = 0
            for cell in _ODS_CELL.finditer(content, tag.end(), end):
                kind, cell_attributes = cell.groups()
                down = _count(cell_attributes, b"number-rows-spanned")
                across = _count(cell_attributes, b"number-columns-spanned")
                if kind == b"table-cell" and (down > 1 or across > 1):
                    merges.append(((row, column), (row + down - 1, column + across - 1)))
                if _ODS_ERROR in cell_attributes:
                    text = _ODS_TEXT.match(content, cell.end(), end)
                    value = html.unescape(text.group(1).decode("utf-8", "replace")) if text \
                        else "#错误"
                    across = min(_count(cell_attributes, b"number-columns-repeated"), _REPEATS)
                    for repeated in range(row, row + min(rows, _REPEATS)):
                        errors.setdefault(repeated, []).extend(
                            (column + k, value) for k in range(across))
                column += _count(cell_attributes, b"number-columns-repeated")
    for sheet in sheets:
        sheet_merges, sheet_errors = found.get(sheet.name, ([], {}))
        if not sheet.merges:
            sheet.merges = sheet_merges
        sheet.errors.update(sheet_errors)


def _count(attributes: bytes, name: bytes) -> int:
    """A count attribute of an .ods element (1 when absent or not a number)."""
    at = attributes.find(b"table:" + name + b'="')
    if at < 0:
        return 1
    value = attributes[at + len(name) + 8:attributes.find(b'"', at + len(name) + 8)]
    return max(1, int(value)) if value.isdigit() else 1


def _read_whole_sheet(path: Path, name: str, fmt: str = "xlsx") -> list[list]:
    """One sheet in one piece (in the thread that reads a big sheet, when it can't be cut)."""
    with _calamine_errors(path, fmt):
        book = _open_book(path, fmt)
        try:
            return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        finally:
            book.close()


@contextmanager
def _calamine_errors(path: Path, fmt: str) -> Iterator[None]:
    """calamine's own errors, and a Rust panic on a damaged file (pyo3's PanicException
    is a BaseException), as ``UnreadableFile`` with the reason in Chinese only: calamine's
    English words stay on the error it is raised from (and in the log), never shown."""
    try:
        yield
    except BaseException as error:
        if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        if isinstance(error, UnreadableFile):
            raise
        if isinstance(error, MemoryError):  # (the file is most likely whole: never "damaged")
            raise out_of_memory(path.name) from None
        text = str(error)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise UnreadableFile(
                f"文件 {path.name} 设置了密码：请在 Excel/WPS 中取消密码、另存后再导入。"
            ) from error
        log.info("%s cannot be read as %s: %s", path.name, fmt, text)
        raise damaged(path.name, FORMAT_NAMES[fmt]) from error
