"""The rows of an .ods's sheets as its ``content.xml`` writes them, walked with regular
expressions (an XML parser would build the whole document: 100 MB for 60,000 rows).

Each sheet is a top-level ``table:table``; a row repeated (``number-rows-repeated``)
is written once and counts as many rows; a table inside a cell is not a sheet's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

_TAG = re.compile(rb"<(/?)table:(table|table-row)(?=[\s/>])([^>]*)>")
_NAME = re.compile(rb'table:name="([^"]*)"')
REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')


def rows(content: bytes) -> Iterator[tuple[str, int, re.Match, int]]:
    """(its sheet's name, its first row's index from 0, its opening tag, the rows it
    stands for) of each row element of the sheets, in order."""
    depth = row = 0
    sheet = ""
    for tag in _TAG.finditer(content):
        closing, name, attributes = tag.groups()
        if name == b"table":
            if closing:
                depth -= 1
            elif not attributes.endswith(b"/"):
                depth += 1
                if depth == 1:
                    title = _NAME.search(attributes)
                    sheet = html.unescape(title.group(1).decode("utf-8", "replace")) \
                        if title else ""
                    row = 0
            continue
        if closing or depth != 1:
            continue  # (the rows of a table inside a cell)
        repeated = REPEATED.search(attributes)
        count = max(1, int(repeated.group(1))) if repeated else 1
        yield sheet, row, tag, count
        row += count


def row_end(content: bytes, tag: re.Match) -> int:
    """Where a row's cells end (its own end for an empty ``<table:table-row …/>``)."""
    if tag.group(3).endswith(b"/"):
        return tag.end()
    return content.find(b"</table:table-row>", tag.end())
