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


def trimmed(rows) -> list[list]:
    """Rows without trailing empty cells (a part is as wide as its own widest row)."""
    out = []
    for cells in rows:
        cells = list(cells)
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    return out


def calamine_rows(path, sheet: str) -> list[list]:
    """A sheet's rows as python-calamine reads it whole (empty area kept)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    finally:
        book.close()
