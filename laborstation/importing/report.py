"""The error report: the refused rows as they were, plus a 错误原因 column.

One sheet per source sheet, under the same name (a village taken from the sheet
name stays), with the header as the file had it: the clerk fixes the rows and
imports this file again. ID numbers and other values are written as they were read
(text stays text, so an ID is not turned into a number).
"""

from __future__ import annotations

from pathlib import Path

from laborstation.importing.result import ImportResult

REASON = "错误原因"
ROW = "原行号"


def _safe_title(name: str) -> str:
    for char in "[]:*?/\\":
        name = name.replace(char, "_")
    return name[:31] or "Sheet"


def write_error_report(result: ImportResult, path: str | Path) -> Path | None:
    """Write the refused rows; returns the path, or None when there were no errors."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    errors = result.error_findings
    if not errors:
        return None
    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    by_sheet: dict[str, list] = {}
    for finding in errors:
        by_sheet.setdefault(finding.sheet, []).append(finding)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for sheet_name, findings in by_sheet.items():
        sheet = book.create_sheet(_safe_title(sheet_name))
        titles = list(result.headers.get(sheet_name, []))
        width = max([len(titles)] + [len(f.values) for f in findings])
        titles += [""] * (width - len(titles))
        sheet.append([*titles, REASON, ROW])
        for cell in sheet[1]:
            cell.font = bold
        for finding in findings:
            values = [("" if v is None else v) for v in finding.values]
            values += [""] * (width - len(values))
            sheet.append([*values, finding.reason, finding.row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
                    cell.data_type = "s"  # text such as "=1+1" stays text, never a formula
            sheet.cell(sheet.max_row, width + 1).fill = fill
        sheet.column_dimensions[sheet.cell(1, width + 1).column_letter].width = 60
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
