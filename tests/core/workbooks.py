"""Spreadsheets the import tests write for themselves (openpyxl, like a clerk's Excel)."""

from __future__ import annotations

from openpyxl import Workbook


def write_xlsx(target, sheets: dict[str, list[list]],
               merges: dict[str, list[str]] | None = None):
    """A workbook with these sheets (rows as given, cells merged by range) saved to
    ``target``, a path or a binary file object; returns ``target``."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(target)
    return target
