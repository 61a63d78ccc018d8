"""An .xlsx sheet whose cells lie far apart, read in dense pieces (a stray cell far away).

calamine makes a sheet one dense rectangle, from A1 (``skip_empty_area=False``) to its
last row and column: one ``x`` typed in AZ1048576 under a ledger of 13 rows makes it
1,048,576 × 52 cells (1.7 GB in calamine, 4 GB with the Python lists, 17 s). Before a
sheet read whole (one under ``xlsx_parts.SPLIT_FROM``; a bigger one is read in parts,
which are cut before a long run of missing rows) is given to calamine, ``too_spread``
tells from its XML whether that rectangle would be much more than its cells: over
``WHOLE`` cells and over ``DENSE`` times the cells the XML holds. Cheap: a small used
range at the top of the XML (``fits``: ``<dimension>``, which Excel and WPS write) is
enough; else the number of the last row with cells, and the width of the used range
when it reaches that row, or one search for a cell right of the widest column allowed.

Such a sheet is read by ``read_pieces``: its rows are grouped into pieces, each dense
enough (a row far below or far right of the others starts a piece of its own); each
piece is a sheet of a workbook made in memory (as ``xlsx_parts`` does for big sheets)
that calamine reads from its first cell. Their rows are put back at their places: the
missing rows between pieces are one shared empty row (``xlsx_parts.EMPTY_ROW``), and a
row of a piece wider than the table's usual width ends at its last filled cell. Nothing
is left out: the stray cell is read (and, in the import, counted) as before.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from functools import lru_cache

from python_calamine import CalamineWorkbook

from laborstation.importing import xlsx_parts

WHOLE = 2_000_000  # cells of a sheet's rectangle (from A1) read whole however sparse it is
PIECE = 1_000_000  # cells of a piece's rectangle, at most (or DENSE × its cells)
DENSE = 4  # a rectangle of up to DENSE × the cells of the XML is read whole
_COLUMNS = 16_384  # XFD
_USED_RANGE = re.compile(rb'<dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
_ROW_WITH_CELLS = re.compile(rb"<row\b[^>]*(?<!/)>")  # (not <row r="9" s="1"/>)
_REF = re.compile(rb'\br="([A-Z]{1,3})\d')


@lru_cache(maxsize=64)
def _right_of(width: int) -> re.Pattern:
    """A cell reference of a column right of the first ``width`` (its letters, compared
    as a number: more letters, or as many and greater)."""
    bound = xlsx_parts.column_letter(width - 1)
    longer = [rf"[A-Z]{{{len(bound) + 1},3}}"] if len(bound) < 3 else []
    greater = [bound[:i] + f"[{chr(ord(letter) + 1)}-Z]" + "[A-Z]" * (len(bound) - i - 1)
               for i, letter in enumerate(bound) if letter != "Z"]
    return re.compile(rb'r="(?:' + "|".join(longer + greater).encode() + rb")\d")


def _data(xml: bytes) -> tuple[int, int] | None:
    """Where the rows of a sheet's XML are: (after <sheetData>, at </sheetData>)."""
    opened = xlsx_parts.SHEET_DATA.search(xml)
    if opened is None:
        return None
    closed = xml.rfind(b"</sheetData>", opened.end())  # (near the end: found at once)
    return opened.end(), len(xml) if closed < 0 else closed


def fits(start: bytes) -> bool:
    """Whether the start of a sheet's XML gives a used range (``<dimension ref="A1:H900"/>``)
    of at most ``WHOLE`` cells from A1: the sheet is then read whole without looking
    further (a used range that is wrong, smaller than the cells, is not looked for)."""
    used = _USED_RANGE.search(start)
    return used is not None and b":" in used.group(0) and (
        xlsx_parts.column_index(used.group(1)) + 1) * int(used.group(2)) <= WHOLE


def too_spread(xml: bytes) -> bool:
    """Whether calamine's rectangle of the sheet would be over ``WHOLE`` cells and over
    ``DENSE`` times its cells (False when its rows have no numbers: they follow on)."""
    found = _data(xml)
    if found is None:
        return False
    start, end = found
    last_cell = xml.rfind(b"<c ", start, end)
    if last_cell < 0:
        return False
    row = xlsx_parts.ROW_NUMBER.match(xml, max(0, xml.rfind(b"<row", start, last_cell)), last_cell)
    if row is None:
        return False
    last = int(row.group(1))
    used = _USED_RANGE.search(xml, 0, start)
    if used and int(used.group(2)) >= last:  # (the used range reaches the last row: its
        width = xlsx_parts.column_index(used.group(1)) + 1  # width is the sheet's)
        return last * width > WHOLE and last * width > DENSE * xml.count(b"<c ", start, end)
    if last <= WHOLE and (WHOLE // last >= _COLUMNS
                          or not _right_of(WHOLE // last).search(xml, start, end)):
        return False
    allowed = max(WHOLE, DENSE * xml.count(b"<c ", start, end))
    return last > allowed or (allowed // last < _COLUMNS
                              and _right_of(allowed // last).search(xml, start, end) is not None)


def _rows(xml: bytes, start: int, end: int) -> list[tuple[int, int, int, int, int]] | None:
    """(row index, XML start, XML end, width, cells) of each row with cells, in order;
    None when a row has no number or the rows are not in order."""
    rows = []
    previous = -1
    for tag in _ROW_WITH_CELLS.finditer(xml, start, end):
        number = xlsx_parts.ROW_NUMBER.match(xml, tag.start(), tag.end())
        closed = xml.find(b"</row>", tag.end(), end)
        if number is None or closed < 0:
            return None
        index = int(number.group(1)) - 1
        if index <= previous:
            return None
        previous = index
        closed += len(b"</row>")
        last_cell = xml.rfind(b"<c ", tag.end(), closed)
        if last_cell < 0:
            continue
        cells = xml.count(b"<c ", tag.end(), closed)
        ref = _REF.search(xml, last_cell, xml.find(b">", last_cell, closed))
        width = xlsx_parts.column_index(ref.group(1)) + 1 if ref else cells
        rows.append((index, tag.start(), closed, width, cells))
    return rows


def _pieces(rows: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int]]:
    """The XML spans of the pieces: runs of rows whose rectangle (from the run's first
    row, from column A) is at most ``PIECE`` cells or ``DENSE`` times its cells."""
    pieces: list[list[int]] = []  # [XML start, XML end, first row, width, cells]
    for index, at, closed, width, cells in rows:
        if pieces:
            piece = pieces[-1]
            wider, more = max(piece[3], width), piece[4] + cells
            if (index - piece[2] + 1) * wider <= max(PIECE, DENSE * more):
                piece[1], piece[3], piece[4] = closed, wider, more
                continue
        pieces.append([at, closed, index, width, cells])
    return [(piece[0], piece[1]) for piece in pieces]


def read_pieces(path, xml: bytes) -> tuple[list, list[xlsx_parts.Merge]] | None:
    """The rows of the sheet (placed as a whole read places them) and its merged ranges,
    read piece by piece; None when its XML is not as expected (read it whole then)."""
    found = _data(xml)
    rows = found and _rows(xml, *found)
    if not rows:
        return None
    start, end = found
    head = xlsx_parts.DIMENSION.sub(b"", xml[:start])
    usual = Counter(width for *_, width, _cells in rows).most_common(1)[0][0]
    spans = _pieces(rows)
    del rows
    buffer = io.BytesIO()
    names = xlsx_parts.write_book(buffer, path, head, (xml[at:to] for at, to in spans))
    buffer.seek(0)
    book = CalamineWorkbook.from_filelike(buffer)
    placed: list = []
    try:
        for name in names:
            sheet = book.get_sheet_by_name(name)
            cells, at = sheet.to_python(skip_empty_area=True), sheet.start
            if not cells or at is None:
                continue
            top, left = at
            placed.extend([xlsx_parts.EMPTY_ROW] * (top - len(placed)))
            if left:
                cells = [[""] * left + row for row in cells]
            if len(cells[0]) > usual:
                for row in cells:
                    while len(row) > usual and row[-1] == "":
                        row.pop()
            placed.extend(cells)
    finally:
        book.close()
    return placed, xlsx_parts.merged_ranges(xml[end:])
