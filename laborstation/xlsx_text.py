"""Text a clerk typed stays text in the workbooks the program writes.

openpyxl stores any string that begins with ``=`` as a formula, so a name or an
employer typed as ``=1+1`` or ``=cmd|' /C calc'!A0`` would become a live formula in
an exported return, an audit export or an error report (formula injection). The
program never writes formulas (RETURN_SPEC: cells hold numbers, not formulas), so
before saving, every formula cell is turned back into the text it came from.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def keep_text_as_text(workbook) -> int:
    """Mark every formula cell of ``workbook`` as plain text; returns how many there were."""
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed += 1
    return changed


def save_safely(workbook, path: str | Path) -> Path:
    """Save with text kept as text, atomically: a temporary file beside the target, then
    a rename, so a failed save (disk full, the file open in Excel) leaves no half file
    and an older file of that name as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    keep_text_as_text(workbook)
    try:
        workbook.save(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
