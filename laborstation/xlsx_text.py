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

from laborstation.errors import UserError


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


def xlsx_path(path: str | Path) -> Path:
    """Where a workbook the clerk names goes: ``.xlsx`` added when the name has another
    ending or none (城关镇10月月报 → 城关镇10月月报.xlsx, which Excel opens with a double
    click); a folder is refused, in Chinese, before anything is done."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise UserError(f"{path} 是一个文件夹：请在后面加上文件名，例如 "
                        f"{path / '城关镇2026年10月月报.xlsx'}")
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def _new_file_mode() -> int:
    """The mode a file the user makes gets: 0o666 less the process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def save_safely(workbook, path: str | Path) -> Path:
    """Save with text kept as text, atomically: a temporary file beside the target, then
    a rename, so a failed save (disk full, the file open in Excel) leaves no half file
    and an older file of that name as it was. A folder is refused (``UserError``)."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} 是一个文件夹，不能当作文件保存：请给出文件名。")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    keep_text_as_text(workbook)
    try:
        workbook.save(temp)
        os.chmod(temp, _new_file_mode())  # (mkstemp's file is the owner's alone)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
