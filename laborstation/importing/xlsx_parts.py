"""Cut one big .xlsx sheet into parts, so its rows can be used while the rest is parsed.

python-calamine parses a whole sheet before it gives back any row (it releases the
GIL while it parses). For a 250,000-row ledger that is ~5 s during which the import
could already be checking rows and writing them. Here the sheet's XML is streamed
and cut at row boundaries into the sheets of small temporary workbooks (``xlsx_books``,
with the same styles and date system, and the shared strings: for the first parts only the
start of them, ``_Strings``), parsed as soon as each is written (``sheet_rows``).

Each part keeps its cells' own references (``C125001``), so a part's rows start at
``CalamineSheet.start``: ``part_rows`` puts them back at their place. Anything not
as expected (a namespace prefix, rows without ``r``, strict OOXML) raises ``Cannot``,
and the sheet is read whole: all of it when nothing was given yet, else the rows
after those given (``sheet_rows``).

A part is also cut before a long run of missing rows (``GAP_ROWS``: a stray ``x`` typed
in row 1,048,576 under the ledger), so that calamine, which makes each part one dense
rectangle, is not given a million empty rows; ``part_rows`` puts such a run back as
rows that are one shared empty tuple. A formula cell saved without its result (a file
written by a program, not Excel/WPS) is read by calamine as empty: ``formula_cells``
finds them, and the sheet is refused rather than read so.
"""

from __future__ import annotations

import itertools
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from laborstation.importing import error_cells, formula_cells
from laborstation.importing.xlsx_books import MAIN, REL, SplitSheet, write_parts

SPLIT_FROM = 24 * 2**20  # bytes of sheet XML; smaller sheets are read whole
# The first part is small, so the import has rows to check almost at once; the next
# ones double up to PART, each in a workbook of its own, so each is parsed as soon as
# it is cut and keeps the import busy while the next (twice as big) is parsed.
FIRST_PART = 1 * 2**20
PART = 16 * 2**20
PARTS_A_BOOK = 2  # once the parts are PART big
SMALL_STRINGS = 2 * 2**20  # bytes of sharedStrings.xml cheap enough to parse once a workbook
SHARED_BOOK = 8 * 2**20  # the first workbook's bytes of sheet XML, with big shared strings
_READ = 4 * 2**20

SHEET_DATA = re.compile(rb"<sheetData\s*>")
DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
# A part is cut before a run of more missing rows than this; a run of more than
# ``SHARED_GAP`` between parts is given back as one shared empty row (``part_rows``).
GAP_ROWS = 10_000
SHARED_GAP = 1_000
EMPTY_ROW: tuple = ()
# A row with values takes some bytes (<row r="9"><c r="A9"><v>1</v></c></row> at the
# least): only a part with fewer than this for each row of its span may be missing a long
# run of rows; its rows are counted then, and looked at one by one if enough are missing.
_SPARSE_ROW_BYTES = 128
ROW_NUMBER = re.compile(rb'<row\s[^>]*?\br="(\d+)"')
Merge = tuple[tuple[int, int], tuple[int, int]]  # ((top, left), (bottom, right)), 0-based


def _sheet_members(book: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str], bool] | None:
    """(sheet name → zip member, other parts by relationship type, date1904) or None."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    if workbook.tag != f"{{{MAIN}}}workbook":
        return None  # strict OOXML or something else: read whole
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else str(
            PurePosixPath("xl") / target)
        targets[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], member)
    sheets = {}
    for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
        found = targets.get(sheet.get(f"{{{REL}}}id"))
        if found and found[0] == "worksheet":
            sheets[sheet.get("name")] = found[1]
    others = {kind: member for kind, member in targets.values()
              if kind in ("styles", "sharedStrings")}
    pr = workbook.find(f"{{{MAIN}}}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    return sheets, others, date1904


def sheets(path: Path) -> dict[str, tuple[str, bool]]:
    """Every worksheet, in the book's order: name → (zip member, big enough to be read
    in parts); {} when the workbook is not as expected (calamine will say why)."""
    try:
        with zipfile.ZipFile(path) as book:
            found = _sheet_members(book)
            if found is None:
                return {}
            return {name: (member, book.getinfo(member).file_size >= SPLIT_FROM)
                    for name, member in found[0].items()}
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return {}


class Cannot(Exception):
    """The sheet's XML is not as expected: read it whole."""


def _xml_chunks(book: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    with book.open(member) as stream:
        while chunk := stream.read(_READ):
            yield chunk


class _Cutter:
    """Cuts the stream of a sheet's XML into parts, each a whole number of ``<row>``s."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = bytearray()
        self._ended = False
        self.merges: list[Merge] = []  # once ended
        self._more()
        opened = SHEET_DATA.search(self._buffer)
        if opened is None or b"<row " not in self._buffer[opened.end():opened.end() + 4096]:
            raise Cannot("no <sheetData> with unprefixed rows near the top")
        self.head = DIMENSION.sub(b"", bytes(self._buffer[:opened.end()]))
        del self._buffer[:opened.end()]

    def _more(self) -> bool:
        if self._ended:
            return False
        chunk = next(self._chunks, None)
        if chunk is None:
            raise Cannot("no </sheetData>")
        searched = max(0, len(self._buffer) - 16)
        self._buffer += chunk
        end = self._buffer.find(b"</sheetData>", searched)
        if end >= 0:  # the rest holds no values (see ``_write``), but the merged cells
            tail = bytes(self._buffer[end:]) + b"".join(self._chunks)
            self.merges = merged_ranges(tail)
            del self._buffer[end:]
            self._ended = True
        return True

    def part(self, size: int) -> bytearray | None:
        """The next part of about ``size`` bytes (the last one may be smaller); None at the end."""
        while True:
            cut = self._buffer.find(b"<row ", size) if len(self._buffer) > size else -1
            close = self._buffer.find(b">", cut) if cut >= 0 else -1
            if close >= 0:
                if b' r="' not in self._buffer[cut:close]:
                    raise Cannot("a row without its r attribute")
                cut = self._before_gap(cut)
                part = self._buffer[:cut]  # (one copy: bytes() of it would be a second)
                del self._buffer[:cut]
                return part
            if not self._more():
                if not self._buffer:
                    return None
                cut = self._before_gap(len(self._buffer))
                if cut < len(self._buffer):
                    part = self._buffer[:cut]
                    del self._buffer[:cut]
                    return part
                part, self._buffer = self._buffer, bytearray()
                return part

    def _before_gap(self, end: int) -> int:
        """Where the part ending at ``end`` is to end: before its first run of more than
        ``GAP_ROWS`` missing rows, if any (else ``end``). Looked at row by row only when
        the part has fewer than ``_SPARSE_ROW_BYTES`` bytes for each row of its span."""
        buffer = self._buffer
        first = ROW_NUMBER.search(buffer, 0, end)
        last = ROW_NUMBER.match(buffer, max(0, buffer.rfind(b"<row", 0, end)), end)
        if first is None or last is None:
            return end
        span = int(last.group(1)) - int(first.group(1)) + 1
        if span <= GAP_ROWS or span * _SPARSE_ROW_BYTES <= end or (
                span - buffer.count(b"<row", 0, end) <= GAP_ROWS):
            return end
        previous = int(first.group(1))
        for row in ROW_NUMBER.finditer(buffer, first.end(), end):
            number = int(row.group(1))
            if number - previous > GAP_ROWS:
                return row.start()
            previous = number
        return end


_MERGE_CELL = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def column_letter(index: int) -> str:
    """The spreadsheet's name of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: bytes) -> int:
    """The 0-based index of a column's letters: b"A" → 0, b"AA" → 26."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def merged_ranges(xml: bytes) -> list[Merge]:
    """The ``<mergeCell ref="E3:E7"/>`` ranges of a sheet's XML (what follows its rows):
    ((top, left), (bottom, right)), 0-based, as ``reading`` gives them for a whole sheet."""
    return [((int(top) - 1, column_index(left)), (int(bottom) - 1, column_index(right)))
            for left, top, right, bottom in _MERGE_CELL.findall(xml)]


@dataclass(slots=True)
class Merged:
    """After a sheet's last workbook of parts: its merged ranges (``merged_ranges``)."""

    ranges: list[Merge]


def split_sheet(path: Path, member: str, folder: Path) -> Iterator[SplitSheet | Merged]:
    """Temporary workbooks (in ``folder``) holding the parts of sheet ``member``, in order.

    A workbook can be parsed once it is whole, so each holds few parts: one while the
    parts grow from ``FIRST_PART`` to ``PART``, then ``PARTS_A_BOOK``. With a big table
    of shared strings every workbook costs a parse of the table: the growing workbooks
    (up to ``SHARED_BOOK``) hold only the start of it their cells use (``_Strings``),
    and the later ones, which need (nearly) all of it, grow ×4 from 4 × ``SHARED_BOOK``.
    Raises ``Cannot`` before the first workbook when the sheet cannot be cut at all, or
    later, at a part it cannot cut.
    """
    with zipfile.ZipFile(path) as book:
        found = _sheet_members(book)
        if found is None:
            raise Cannot("not a transitional OOXML workbook")
        _sheets, others, date1904 = found
        big = "sharedStrings" in others and book.getinfo(
            others["sharedStrings"]).file_size >= SMALL_STRINGS
        # (a big table of strings is read as needed: ``_Strings``)
        extra = {kind: b"" if big and kind == "sharedStrings" else book.read(m)
                 for kind, m in others.items()}
        strings = _Strings(path, others["sharedStrings"]) if big else None
        cutter = _Cutter(_xml_chunks(book, member))
        first = cutter.part(FIRST_PART)
        if first is None:
            raise Cannot("no rows")
        if cells := formula_cells.no_cached_values(first):
            raise formula_cells.FormulasWithoutValues(cells)
        number = itertools.count()
        parts = _growing(cutter, 2 * FIRST_PART)
        grown = min(SHARED_BOOK, PART) if strings else PART
        whole = book.getinfo(member).file_size
        cut_so_far = [len(cutter.head)]

        def write(group: Iterable[bytes | bytearray], cut: bool) -> SplitSheet:
            errors: error_cells.Errors = {}

            def looked_at(group):  # (raises at formulas saved without their result)
                for part in group:
                    formula_cells.at_start(part)
                    error_cells.in_xml(part, errors)
                    yield part

            split = write_parts(folder / f"p{next(number)}.xlsx", cutter.head, looked_at(group),
                           extra, date1904, strings, cut=cut)
            split.errors = errors or None
            cut_so_far[0] += split.size  # (how far the rows go: the import's 共约 N 行)
            split.read_to = min(1.0, cut_so_far[0] / whole) if whole else None
            return split

        yield write([first], cut=True)
        for part in parts:  # one a workbook while they grow
            yield write([part], cut=True)
            if len(part) >= grown:
                break
        if strings is None:
            while group := list(itertools.islice(parts, PARTS_A_BOOK)):
                yield write(group, cut=False)
        else:
            size = 4 * SHARED_BOOK
            while (part := next(parts, None)) is not None:
                yield write(itertools.chain([part], _up_to(parts, size - len(part))), cut=False)
                size *= 4
        if cutter.merges:
            yield Merged(cutter.merges)


class _Strings:
    """A big table of shared strings, cut for a workbook of the first parts.

    Excel and WPS write each string where it first occurs, so the strings of the first
    rows are at the start of the table, and the highest index a part uses is among its
    last rows: the table is cut after the highest index the part's last cells use. Were
    a cell to use one further on, calamine says so (it never reads a wrong string), and
    the workbook is written again with the whole table (``with_whole_strings``); the
    later ones then get the whole table too (``given_up``): this one is in another order.
    """

    _CELL = re.compile(rb'\bt="s"[^>]*>\s*<v>(\d+)</v>')
    TAIL = 64 * 1024  # bytes at the end of a part looked at
    _STEP = 64 * 1024  # bytes of table counted at once (C speed) before items are walked
    HEAD = 1024 * 1024  # bytes of the table read at first: what the first parts use

    def __init__(self, path: Path, member: str):
        """Reads the start of the table (the whole is read when first needed, ``whole``):
        the first workbook is not kept waiting for all of it (~0.08 s at 250k rows)."""
        self._path, self._member = path, member
        self._lock = threading.Lock()
        with zipfile.ZipFile(path) as book, book.open(member) as stream:
            self.table = stream.read(self.HEAD)  # all of it once ``_complete``
            self._complete = not stream.read(1)
        self.given_up = False  # set (by the parsing thread) once a cut table lacked a string
        first = self.table.find(b"<si")  # (no other element of the table starts so)
        self._at = (first, 0)  # an item's offset and its index, where the last search ended

    def whole(self) -> bytes:
        """All of the table (read now if only its start was)."""
        with self._lock:
            if not self._complete:
                with zipfile.ZipFile(self._path) as book:
                    self.table = book.read(self._member)
                self._complete = True
            return self.table

    def cut_for(self, part: bytes | bytearray) -> bytes | None:
        """The table up to the highest index the part's last cells use; None when that
        is all of it (or once ``given_up``)."""
        if self.given_up:
            return None
        used = self._CELL.findall(part, max(0, len(part) - self.TAIL))
        index = max(map(int, used), default=-1) + 1
        end = self._start_of(index)
        if end is None and not self._complete:
            self.whole()
            end = self._start_of(index)
        return None if end is None else self.table[:end] + b"</sst>"

    def _start_of(self, index: int) -> int | None:
        """Where item ``index`` starts; None past the last one (or with no items found)."""
        table = self.table
        at, found = self._at
        if at < 0:
            return None
        if index < found:
            at, found = table.find(b"<si"), 0
        while True:  # whole steps of the table, counted
            end = table.find(b"<si", at + self._STEP)
            if end < 0:
                break
            between = table.count(b"<si", at, end)
            if found + between > index:
                break
            at, found = end, found + between
        self._at = (at, found)
        while found < index:  # then item by item
            at = table.find(b"<si", at + 3)
            if at < 0:
                return None
            found += 1
        return at


def _up_to(parts: Iterator[bytearray], size: int) -> Iterator[bytearray]:
    """The next parts, while those given hold fewer than ``size`` bytes."""
    while size > 0 and (part := next(parts, None)) is not None:
        yield part
        size -= len(part)


def _growing(cutter: _Cutter, size: int) -> Iterator[bytearray]:
    """The parts, from ``size`` bytes, each twice the one before up to ``PART``."""
    while (part := cutter.part(size)) is not None:
        yield part
        size = min(2 * size, PART)


def write_book(target, path: Path, head: bytes, parts: Iterable[bytes | bytearray]
               ) -> list[str]:
    """A workbook (to ``target``, a path or a binary file) whose sheets are the ``parts``
    of a sheet of workbook ``path`` (with its styles, shared strings and date system);
    the names of its sheets, in order."""
    with zipfile.ZipFile(path) as book:
        found = _sheet_members(book)
        if found is None:
            raise Cannot("not a transitional OOXML workbook")
        _sheets, others, date1904 = found
        extra = {kind: book.read(member) for kind, member in others.items()}
    return write_parts(target, head, parts, extra, date1904).parts


def part_rows(rows: list[list], start: tuple[int, int] | None, done: int,
              width: int) -> list[list]:
    """A later part's rows (``to_python(skip_empty_area=True)``) put back at their place:
    blank rows for the gap after the ``done`` rows before it, and blank cells for its
    empty columns on the left."""
    if start is None or not rows:
        return []
    row, column = start
    if row < done:
        raise ValueError(f"part starts at row {row}, before row {done}")
    if row - done > SHARED_GAP:  # (a stray cell far below: not a million lists)
        gap = [EMPTY_ROW] * (row - done)
    else:
        gap = [[""] * width for _ in range(row - done)]
    if column:
        pad = [""] * column
        rows = [pad + cells for cells in rows]
    return gap + rows if gap else rows
