"""Read a return file back (for the county): its ``_meta``, its figures, its check.

The figures are read from the 月报表 sheet itself (the header row is found by
the cell ``代码``), so a hand-edited number no longer matches the checksum
written in ``_meta`` and ``ReturnFile.checksum_ok`` is False. A figure that is not a
number, a revision that is not an integer and a damaged workbook (broken zip, XML
that is not well-formed) raise ``ReturnFileError``, never anything else.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from laborstation.errors import UserError
from laborstation.indicators import INDICATORS
from laborstation.returns.build import COLUMNS, FORMAT_NAME, _fmt, figures_checksum
from laborstation.returns.workbook import SHEET_META, SHEET_RETURN, SHEET_VILLAGES


class ReturnFileError(UserError):
    """A file that is not a LaborStation return, or a damaged one."""


# What openpyxl raises for a damaged workbook: a broken zip or deflate stream, a part
# missing or not well-formed XML (read-only mode parses while the rows are iterated).
_DAMAGED = (InvalidFileException, zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError,
            ValueError, TypeError, IndexError, ParseError)


@dataclass
class ReturnFile:
    path: Path
    meta: dict[str, str]
    figures: dict[str, list[str | None]]  # code -> the six columns as canonical text
    villages: list[dict] = field(default_factory=list)

    @property
    def unit_code(self) -> str:
        return self.meta.get("unit_code", "")

    @property
    def period(self) -> str:
        return self.meta.get("period", "")

    @property
    def revision(self) -> int:
        return int(self.meta.get("revision") or 0)

    @property
    def checksum(self) -> str:
        return figures_checksum(self.unit_code, self.period, self.figures)

    @property
    def checksum_ok(self) -> bool:
        return self.checksum == self.meta.get("figures_sha256")

    def value(self, code: str, column: str = "本月") -> Decimal | None:
        text = self.figures[code][COLUMNS.index(column)]
        return Decimal(text) if text is not None else None


def _text(value, decimals: int, where: str) -> str | None:
    """A figure as canonical text; anything but a finite number refuses the file."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise InvalidOperation
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
        return _fmt(number, decimals)
    except InvalidOperation:
        shown = str(value)[:20]
        raise ReturnFileError(f"{where}的“{shown}”不是有效的数字：文件已被改动。") from None


def _figures(ws, name: str) -> dict[str, list[str | None]]:
    header_row = code_col = None
    for row in ws.iter_rows(min_row=1, max_row=10):
        for cell in row:
            if cell.value == "代码":
                header_row, code_col = cell.row, cell.column
                break
        if header_row:
            break
    if header_row is None:
        raise ReturnFileError("月报表中找不到表头（“代码”一格）。")
    figures = {}
    for number, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True),
                                 start=header_row + 1):
        code = str(row[code_col - 1] or "").strip() if len(row) >= code_col else ""
        if code not in INDICATORS:
            continue
        places = INDICATORS[code].decimals
        decimals = [places, places, places, 1, places, 1]
        cells = row[code_col + 1 : code_col + 1 + len(COLUMNS)]
        figures[code] = [
            _text(v, d, f"文件 {name} 的月报表第 {number} 行（指标 {code}）“{column}”栏")
            for v, d, column in zip(cells, decimals, COLUMNS, strict=False)
        ]
    return figures


def read_return(path: str | Path) -> ReturnFile:
    """Open a return workbook; raises ReturnFileError with the reason in Chinese."""
    path = Path(path)
    try:
        return _read(path)
    except ReturnFileError:
        raise
    except _DAMAGED as error:
        raise ReturnFileError(
            f"无法读取文件 {path.name}：不是有效的 Excel 工作簿，或文件已损坏（{str(error)[:80]}）。"
        ) from None


def _read(path: Path) -> ReturnFile:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if SHEET_META not in wb.sheetnames or SHEET_RETURN not in wb.sheetnames:
            raise ReturnFileError(
                f"文件 {path.name} 不是本程序导出的月报（缺少 _meta 或 月报表 工作表）。"
            )
        meta = {
            str(k): "" if v is None else str(v)
            for k, v, *_ in wb[SHEET_META].iter_rows(values_only=True)
            if k is not None
        }
        if meta.get("format") != FORMAT_NAME:
            raise ReturnFileError(f"文件 {path.name} 的格式标记不是 {FORMAT_NAME}。")
        revision = meta.get("revision", "").strip()
        if revision and not revision.isdecimal():
            raise ReturnFileError(
                f"文件 {path.name} 的 _meta 中修订次数“{revision[:20]}”不是整数：文件已被改动。"
            )
        figures = _figures(wb[SHEET_RETURN], path.name)
        villages = []
        if SHEET_VILLAGES in wb.sheetnames:
            rows = list(wb[SHEET_VILLAGES].iter_rows(min_row=4, values_only=True))
            for row in rows:
                if row and row[1]:
                    villages.append({"name": row[1], "code": row[2], "values": list(row[3:])})
    finally:
        wb.close()
    return ReturnFile(path, meta, figures, villages)
