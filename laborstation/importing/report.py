"""The error report: the refused rows as they were, plus a 错误原因 column.

One sheet per source sheet, under the same name (a village taken from the sheet
name stays), with the header as the file had it (both rows of a two-row header, a
group title merged over its sub-titles: 起 and 止 alone are no dates): the clerk fixes
the rows and imports this file again, read as the file was (with a 行政村 column to fill
in when rows were refused for want of one and the file had none, and a column for what
every row took from above the table or the sheet's name: 培训班名称, 培训机构 …). ID numbers and other values
are written as they were read (text stays text, so an ID is not turned into a number);
the ID number column is formatted as text, so a number the clerk types in again stays
as typed. Characters an .xlsx cannot hold (control characters pasted from Word, such as
a vertical tab) are left out, and the row's reason says so.

``check_report_path`` refuses, before anything is imported, a report that would
overwrite the ledger itself, a folder, or a file that is not .xlsx. A report that
cannot be written (the file open in Excel, the disk full, the folder gone) raises
``ReportNotWritten`` with the reason in Chinese; an older file of that name is left
as it was (the new one is written beside it, then put in its place).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from laborstation.errors import UserError
from laborstation.importing.headers import Title, find_header
from laborstation.importing.result import ImportResult
from laborstation.xlsx_text import save_safely

REASON = "错误原因"
VILLAGE = "行政村"
ROW = "原行号"
SUFFIX = ".xlsx"
CONTROL_NOTE = "（此行含有不可见的控制字符，报告中已去掉）"


class BadReportPath(UserError):
    """A report path that would overwrite the ledger, is a folder, or is not .xlsx."""


class ReportNotWritten(UserError):
    """The report could not be written (the import itself is not affected)."""


def _illegal():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def _safe_title(name: str) -> str:
    """A sheet's name as Excel accepts it: none of []:*?/\\, no apostrophe at either end,
    not History (Excel's own), at most 31 characters."""
    name = _illegal().sub("", name)
    for char in "[]:*?/\\":
        name = name.replace(char, "_")
    name = name[:31].strip("'")
    if name.casefold() == "history":
        name += "_"
    return name or "Sheet"


def _same_file(one: Path, other: Path) -> bool:
    try:
        if one.exists() and other.exists():
            return os.path.samefile(one, other)
        one, other = one.resolve(), other.resolve()
    except (OSError, RuntimeError):  # (a link to itself: compare the paths as given)
        one, other = one.absolute(), other.absolute()
    return os.path.normcase(str(one)) == os.path.normcase(str(other))


def check_report_path(report: str | Path, source: str | Path) -> Path:
    """The report's path, or ``BadReportPath``: the ledger being imported, a folder,
    or a file name not ending in .xlsx."""
    report, source = Path(report), Path(source)
    if report.is_dir():
        raise BadReportPath(
            f"错误报告的保存位置 {report} 是一个文件夹：请给出一个 .xlsx 文件名，"
            f"例如 {report / (source.stem + '-出错的行.xlsx')}。")
    if report.suffix.lower() != SUFFIX:
        raise BadReportPath(
            f"错误报告必须保存为 .xlsx 文件（现在是 {report.name}）："
            f"请换成以 .xlsx 结尾的文件名。")
    if _same_file(report, source):
        raise BadReportPath(
            f"错误报告不能保存到正在导入的文件 {source.name} 本身：那样会用出错的行覆盖原台账。"
            f"请另起一个文件名，例如 {source.stem}-出错的行.xlsx。")
    return report


def _why(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "没有权限写入，或这个文件正在 Excel/WPS 中打开：请先关闭它，或换一个位置保存"
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "磁盘空间已满：请腾出空间，或换一个位置保存"
    if isinstance(error, IsADirectoryError):
        return "这个位置是一个文件夹：请给出一个 .xlsx 文件名"
    if isinstance(error, (FileNotFoundError, NotADirectoryError, FileExistsError)) or \
            error.errno in (errno.ENOENT, errno.ENODEV):
        return "保存位置的文件夹不存在或已被移走（U 盘已拔出？）：请换一个位置保存"
    return f"无法写入（{error.strerror or error}）"


def _header_rows(titles: list[str]) -> list[list[str]]:
    """The header's rows as the file had them: two when it had two (``Title.cells``)."""
    if not any(isinstance(title, Title) and title.cells for title in titles):
        return [list(titles)]
    return [[title.cells[row] if isinstance(title, Title) and title.cells else
             (title if row == 0 else "") for title in titles] for row in (0, 1)]


def _merge_header(sheet, top: list[str], bottom: list[str]) -> None:
    """Merge a two-row header's cells as such a header is: a title alone over both rows,
    a group title across the sub-titles after it."""
    column = 0
    while column < len(top):
        end = column
        if top[column] and not bottom[column]:
            sheet.merge_cells(start_row=1, end_row=2, start_column=column + 1,
                              end_column=column + 1)
        elif top[column]:
            while end + 1 < len(top) and not top[end + 1] and bottom[end + 1]:
                end += 1
            if end > column:
                sheet.merge_cells(start_row=1, end_row=1, start_column=column + 1,
                                  end_column=end + 1)
        column = end + 1


def _columns(kind: str, header: list[list[str]]) -> dict[str, int]:
    """The fields' columns as importing the report finds them (the ID number's, not the
    户主's 身份证号)."""
    match = find_header(kind, header)
    return {} if match is None else match.columns


def _clean(value, illegal) -> tuple[object, bool]:
    """The value as the report can hold it, and whether characters were left out."""
    if value is None:
        return "", False
    if isinstance(value, str):
        cleaned = illegal.sub("", value)
        return cleaned, len(cleaned) != len(value)
    return value, False


def write_error_report(result: ImportResult, path: str | Path) -> Path | None:
    """Write the refused rows; returns the path, or None when there were no errors."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    errors = result.error_findings
    if not errors:
        return None
    path = Path(path)
    illegal = _illegal()
    book = Workbook()
    book.remove(book.active)
    by_sheet: dict[str, list] = {}
    for finding in errors:
        by_sheet.setdefault(finding.sheet, []).append(finding)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for sheet_name, findings in by_sheet.items():
        sheet = book.create_sheet(_safe_title(sheet_name))
        header = [[_clean(text, illegal)[0] for text in row]
                  for row in _header_rows(result.headers.get(sheet_name, []))]
        columns = _columns(result.kind, header)
        id_column = columns.get("id_number")
        width = max([len(header[0])] + [len(f.values) for f in findings])
        extra = list(result.shared.get(sheet_name, ()))  # (the title above is not copied)
        if columns and "village" not in columns and any(VILLAGE in f.reason for f in findings):
            extra.append((VILLAGE, ""))  # (refused for want of one: a column to fill in)
        for number, row in enumerate(header):
            row += [""] * (width - len(row)) + [title if number == 0 else "" for title, _ in extra]
        width += len(extra)
        for number, row in enumerate(header):
            row += [""] * (width - len(row))
            sheet.append([*row, REASON, ROW] if number == 0 else row)
            for cell in sheet[number + 1]:
                cell.font = bold
        if len(header) == 2:
            _merge_header(sheet, header[0] + [REASON, ROW], header[1] + ["", ""])
        if id_column is not None:  # (rows the clerk adds to the report too)
            sheet.column_dimensions[get_column_letter(id_column + 1)].number_format = "@"
        # (sheet.max_row and sheet[n] walk every cell: per row, 30,000 rows took 9 min)
        row_number = len(header)
        for finding in findings:
            values, cut = [], False
            for value in finding.values:
                value, lost = _clean(value, illegal)
                values.append(value)
                cut = cut or lost
            values += [""] * (width - len(extra) - len(values)) + [
                finding.shared.get(title, value) if finding.shared else value
                for title, value in extra]
            reason = _clean(finding.reason, illegal)[0] + (CONTROL_NOTE if cut else "")
            sheet.append([*values, reason, finding.row])
            row_number += 1
            row = [sheet.cell(row_number, column) for column in range(1, width + 3)]
            for cell in row:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
                    cell.data_type = "s"  # text such as "=1+1" stays text, never a formula
            if id_column is not None:  # an ID retyped here is not made a number again
                row[id_column].number_format = "@"
            row[width].fill = fill
        sheet.column_dimensions[get_column_letter(width + 1)].width = 60
    try:
        save_safely(book, path)
    except OSError as error:
        raise ReportNotWritten(f"出错的行未能保存到 {path}：{_why(error)}。") from error
    return path
