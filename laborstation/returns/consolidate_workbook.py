"""Write the county return: the township return's sheets (``workbook.py``) for the
summed figures, plus 报送情况 (who sent what, when, whether it checked) and
分乡镇主要指标 (each township's main figures beside the county's)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from laborstation.indicators import INDICATORS
from laborstation.returns.consolidate import Consolidation
from laborstation.returns.workbook import (
    BORDER,
    CENTER,
    LEFT,
    _font,
    _header,
    _print_setup,
    _title,
    _unit_row,
    _value_cell,
    _widths,
    make_workbook,
    save_workbook,
)

SHEET_STATUS, SHEET_TOWNSHIPS = "报送情况", "分乡镇主要指标"
STATUS_HEADER = ("序号", "乡镇", "区划代码", "是否收到", "是否汇总", "按时/逾期", "报出时间",
                 "校验值", "修订", "文件", "说明")
MAIN_CODES = ("101", "104", "201", "208", "209", "210", "301", "308", "310", "501", "503",
              "601")


def _yes(value: bool | None, yes: str, no: str) -> str:
    return "" if value is None else (yes if value else no)


def _text_row(ws: Worksheet, row: int, values, *, left=(), bold=False) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell.font, cell.border = _font(10, bold), BORDER
        cell.alignment = LEFT if col in left else CENTER
        if isinstance(value, str):
            cell.number_format = "@"


def write_status_sheet(ws: Worksheet, result: Consolidation) -> None:
    data = result.data
    ncols = len(STATUS_HEADER)
    _title(ws, f"乡镇月报报送情况（{data.period.label}）", ncols, 14)
    _unit_row(ws, data, ncols)
    _header(ws, 3, STATUS_HEADER, 24)
    row = 4
    for n, s in enumerate(result.statuses, start=1):
        at = f"{s.submitted_at:%Y-%m-%d %H:%M}" if s.submitted_at else ""
        on_time = _yes(s.on_time, "按时", "逾期")
        _text_row(ws, row, (n, s.name, s.code, "是" if s.received else "否",
                            "是" if s.consolidated else "否", on_time, at,
                            _yes(s.checksum_ok, "有效", "无效"), s.revision, s.file_name,
                            s.note), left=(2, 10, 11))
        row += 1
    got = sum(s.consolidated for s in result.statuses)
    late = sum(s.on_time is False for s in result.statuses)
    row += 1
    ws.cell(row, 1, f"应报 {len(result.statuses)} 个乡镇，已汇总 {got} 个，"
                    f"未汇总 {len(result.statuses) - got} 个，逾期 {late} 个；"
                    f"报送截止日 {result.due:%Y-%m-%d}。").font = _font(10, True)
    if result.refused:
        row += 2
        ws.cell(row, 1, "拒收的文件").font = _font(11, True)
        row += 1
        _header(ws, row, ("序号", "文件", "区划代码", "填报单位", "原因"), 20)
        for n, r in enumerate(result.refused, start=1):
            row += 1
            _text_row(ws, row, (n, r.path.name, r.unit_code, r.unit_name, r.reason),
                      left=(2, 4, 5))
            ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=ncols)
    _widths(ws, (6, 16, 15, 9, 9, 10, 17, 8, 6, 30, 50))
    _print_setup(ws, 3, row, ncols, one_page=False)


def write_townships_sheet(ws: Worksheet, result: Consolidation) -> None:
    """One row per township: 本月 and 本年累计 of the main codes; the county's total last."""
    data = result.data
    names = ["序号", "乡镇", "区划代码"]
    for code in MAIN_CODES:
        ind = INDICATORS[code]
        names += [f"{ind.name}（{ind.unit}，{code}）\n本月", f"{code}\n本年累计"]
    ncols = len(names)
    _title(ws, f"分乡镇主要指标（{data.period.label}）", ncols, 14)
    _unit_row(ws, data, ncols)
    _header(ws, 3, names, 60)
    files = {r.code: r.file for r in result.received}
    lines = []
    for s in result.statuses:
        f = files.get(s.code)
        values = [f.value(c, col) if f else None for c in MAIN_CODES for col in ("本月", "本年累计")]
        lines.append((s.name if f else f"{s.name}（未汇总）", s.code, values, False))
    total = [data.value(c, col) for c in MAIN_CODES for col in ("month", "year")]
    lines.append(("合计", data.station.area_code, total, True))
    row = 4
    for n, (name, code, values, bold) in enumerate(lines, start=1):
        _text_row(ws, row, ("" if bold else n, name, code), left=(2,), bold=bold)
        for col, value in enumerate(values, start=4):
            code_of = MAIN_CODES[(col - 4) // 2]
            _value_cell(ws, row, col, value, INDICATORS[code_of].decimals, bold)
        row += 1
    ws.cell(row + 1, 1, "说明：未汇总的乡镇不填数字（不估算）；百分比栏按合计数重新计算，"
                        "不是各乡镇百分比的平均。").font = _font(9)
    _widths(ws, (6, 18, 15, *([10] * (ncols - 3))))
    _print_setup(ws, 3, row + 1, ncols, one_page=False)


def write_consolidation(result: Consolidation, path: str | Path, *, preparer: str = "",
                        today: date | None = None) -> str:
    """The county workbook (atomic write); returns the file's SHA-256."""
    wb = make_workbook(result.data, preparer=preparer, today=today)
    write_status_sheet(wb.create_sheet(SHEET_STATUS, 1), result)
    write_townships_sheet(wb.create_sheet(SHEET_TOWNSHIPS, 2), result)
    return save_workbook(wb, path)
