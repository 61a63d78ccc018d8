"""Formula cells saved without their calculated result, found in a sheet's XML.

Excel and WPS save each formula with its result (``<f>A2&"村"</f><v>李庄村</v>``); a
file written by a program (openpyxl, a web system's export) may have the formula only
(``<f>…</f><v/>``), and calamine then reads the cell as empty: an ID typed as a formula
would be refused as 身份证号为空, an address would be imported empty. Such a sheet is
refused (``reading``, ``sheet_rows``), naming the first cells: opened and saved in
Excel/WPS, the results are there.

Looked for where it is cheap (a program's formula column has one in every row; all of a
sheet would cost ~2 ms a MB, and slow calamine's parse): the first ``LOOK`` bytes of a
sheet read whole, and the first part and the start of each later part of a big one.
"""

from __future__ import annotations

import re

LOOK = 4 * 2**20
WINDOW = 64 * 1024


class FormulasWithoutValues(Exception):
    """Formula cells saved without their calculated result (``cells``: the first refs)."""

    def __init__(self, cells: list[str]):
        super().__init__(", ".join(cells))
        self.cells = cells


# A formula not followed by a value (none, or an empty one): calamine reads it as empty.
# (An empty <v></v> after a formula of type "str" is Excel's own result "".)
_FORMULA_END = re.compile(rb'<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?\s*</c>')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
_FORMULA = re.compile(rb"<f[\s>/]")  # (one search: ~3 times faster than two finds)


def no_cached_values(xml: bytes | bytearray, start: int = 0, end: int | None = None,
                     most: int = 5) -> list[str]:
    """The refs (``B5``) of the first ``most`` formula cells of a sheet's XML saved without
    their result ([] when there are none: the common case costs one search)."""
    end = len(xml) if end is None else end
    if _FORMULA.search(xml, start, end) is None:
        return []
    found: list[str] = []
    for formula in _FORMULA_END.finditer(xml, start, end):
        cell = xml.rfind(b"<c ", start, formula.start())
        tag = bytes(xml[cell:xml.find(b">", cell, formula.start()) + 1]) if cell >= 0 else b""
        if formula.group(1) and b't="str"' in tag:
            continue  # Excel's result "" of a text formula
        ref = _CELL_REF.search(tag)
        found.append(ref.group(1).decode() if ref else "?")
        if len(found) >= most:
            break
    return found


def at_start(part: bytes | bytearray) -> bool:
    """False, or raises ``FormulasWithoutValues`` when the start of ``part`` has any."""
    if cells := no_cached_values(part, 0, min(len(part), WINDOW)):
        raise FormulasWithoutValues(cells)
    return False
