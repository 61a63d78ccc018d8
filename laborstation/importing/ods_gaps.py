"""An .ods sheet with a long run of empty rows above a cell far below (a stray cell typed
in row 1,000,000 under a ledger of a few rows): the run is cut before calamine reads it.

calamine makes a sheet one dense rectangle from A1 to its last cell: such a sheet of
five persons becomes a million rows of 41 cells (3.2 GB and 8 s, where an office PC has
4 GB), as in an .xlsx (``spread_sheet``). LibreOffice writes a run of identical rows as
one ``table:table-row`` with ``table:number-rows-repeated``; each run of empty rows
repeated more than ``GAP`` times is written once instead, in a copy of the file made in
memory, and the rows it held are given back after calamine has read the copy, as one
shared empty row (``xlsx_parts.EMPTY_ROW``). Nothing is left out: the stray cell is
read (and, in the import, counted) as before, at its own row.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from laborstation.importing import ods_rows, xlsx_parts

GAP = 10_000  # empty rows in one run, over which the run is cut
MOST_ROWS = 1_048_576  # of a sheet in LibreOffice and Excel
Cuts = list[tuple[int, int]]  # (0-based row where a run starts, rows taken out of it)

_LONG_RUN = re.compile(rb'table:number-rows-repeated="(\d{5,})"')
_HOLDS_VALUE = (b"office:value-type", b"<text:", b"table:formula")


def cut(content: bytes) -> tuple[bytes, dict[str, Cuts]]:
    """``content.xml`` with each long run of empty rows above a row with a value written
    once, and the runs cut in each table (by name); the content itself and {} when there
    are none. (The run LibreOffice writes under the last row of every sheet stays:
    calamine reads no row of it.)"""
    if not _cut_any(content):
        return content, {}
    pieces: list[bytes] = []
    found: dict[str, Cuts] = {}
    waiting: list[tuple[int, int, int, int, int]] = []  # runs with no value below yet
    done, sheet = 0, None
    for name, row, tag, count in ods_rows.rows(content):
        if name != sheet:
            sheet, waiting = name, []
        removed = min(count, MOST_ROWS) - 1  # (a bigger count is no real sheet's)
        if removed <= GAP and not waiting:
            continue
        end = ods_rows.row_end(content, tag)
        if any(content.find(mark, tag.end(), end) >= 0 for mark in _HOLDS_VALUE):
            for start, stop, first, taken, count_of in waiting:  # a value below them
                pieces += [content[done:start], str(count_of - taken).encode()]
                done = stop
                found.setdefault(sheet, []).append((first, taken))
            waiting = []
        elif removed > GAP and end >= 0:
            repeated = ods_rows.REPEATED.search(tag.group(3))
            waiting.append((tag.start(3) + repeated.start(1), tag.start(3) + repeated.end(1),
                            row, removed, count))
    if not found:
        return content, {}
    return b"".join([*pieces, content[done:]]), found


def _cut_any(content: bytes) -> bool:
    """Whether a run of rows repeated more than ``GAP`` times has a value after it in its
    table: the test before the rows are walked (~25 ms for a 60,000-row sheet, whose
    walk takes ~0.4 s); a run that holds a value is walked too, and left."""
    for run in _LONG_RUN.finditer(content):
        end = content.find(b"</table:table>", run.end())
        if int(run.group(1)) > GAP and any(
                content.find(mark, run.end(), end) >= 0 for mark in _HOLDS_VALUE):
            return True
    return False


def trimmed(path: Path, content: bytes) -> tuple[io.BytesIO, dict[str, Cuts]] | None:
    """A copy of the .ods in memory with its long empty runs cut, and the runs cut; None
    when it has none (or is no .ods calamine could read: it then says why). ``content``:
    its ``content.xml``."""
    content, found = cut(content)
    if not found:
        return None
    try:
        with zipfile.ZipFile(path) as source:
            copy = io.BytesIO()
            with zipfile.ZipFile(copy, "w") as target:
                for info in source.infolist():  # (mimetype first and stored, as it was)
                    target.writestr(info, content if info.filename == "content.xml"
                                    else source.read(info))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return None
    copy.seek(0)
    return copy, found


def put_back(rows: list, cuts: Cuts) -> list:
    """A sheet's rows as read from the copy, with the rows of each run cut above its
    last cell given back (a run below it was never read: nothing to give back). The rows
    taken out of a run follow its first row (they are all empty)."""
    placed: list = []
    at = taken = 0  # the next row of ``rows``; the rows taken out above it
    for start, removed in cuts:
        kept = start - taken + 1  # (in ``rows``: the row after the run's first)
        if kept >= len(rows):
            break
        placed += rows[at:kept]
        placed += [xlsx_parts.EMPTY_ROW] * removed
        at, taken = kept, taken + removed
    if not placed:
        return rows
    placed += rows[at:]
    return placed[:MOST_ROWS]  # (as calamine reads a sheet of more rows: up to the most)
