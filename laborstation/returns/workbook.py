"""Write a return as an .xlsx that looks like the paper form (openpyxl).

Five sheets: 月报表 (one A4 landscape page), 分村统计, 转移就业花名册, 培训花名册 and
the hidden _meta a county program checks. Cells hold numbers (a percentage as
the number shown, 43.5), codes are text, an empty cell means "not applicable".
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from laborstation.indicators import INDICATORS
from laborstation.returns.build import COLUMNS, FORMAT_NAME, FORMAT_VERSION, TITLE, ReturnData
from laborstation.xlsx_text import save_safely

FONT = "宋体"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")
NUMBER_FORMATS = {0: "#,##0", 1: "0.0", 2: "#,##0.00"}
SHEET_RETURN, SHEET_VILLAGES = "月报表", "分村统计"
SHEET_PLACEMENTS, SHEET_TRAINING, SHEET_META = "转移就业花名册", "培训花名册", "_meta"
RETURN_HEADER = ("指标名称", "代码", "计量单位", *COLUMNS)
PLACEMENT_HEADER = (
    "序号",
    "村",
    "姓名",
    "性别",
    "身份证号",
    "外出时间",
    "务工地点",
    "地域类别",
    "用工单位",
    "行业",
    "输出方式",
    "月收入(元)",
)
TRAINING_HEADER = (
    "序号",
    "村",
    "姓名",
    "性别",
    "身份证号",
    "培训班",
    "培训类型",
    "培训方式",
    "工种",
    "开始日期",
    "结业日期",
    "证书",
)


def _font(size=10, bold=False) -> Font:
    return Font(name=FONT, size=size, bold=bold)


# Named styles, registered once per workbook: a roster of thousands of cells then
# costs one style lookup per cell instead of building fonts and borders per cell.
_STYLES = {
    "ls_left": (False, LEFT, "General"),
    "ls_center": (False, CENTER, "General"),
    "ls_text": (False, LEFT, "@"),
    "ls_date": (False, CENTER, "yyyy-mm-dd"),
    "ls_n0": (False, RIGHT, NUMBER_FORMATS[0]),
    "ls_n1": (False, RIGHT, NUMBER_FORMATS[1]),
    "ls_n2": (False, RIGHT, NUMBER_FORMATS[2]),
    "ls_n0b": (True, RIGHT, NUMBER_FORMATS[0]),
    "ls_n1b": (True, RIGHT, NUMBER_FORMATS[1]),
    "ls_n2b": (True, RIGHT, NUMBER_FORMATS[2]),
}


def _register_styles(wb: Workbook) -> None:
    for name, (bold, alignment, number_format) in _STYLES.items():
        wb.add_named_style(
            NamedStyle(
                name=name,
                font=_font(10, bold),
                border=BORDER,
                alignment=alignment,
                number_format=number_format,
            )
        )


def _title(ws: Worksheet, text: str, ncols: int, size: int = 16) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    cell = ws.cell(1, 1, text)
    cell.font, cell.alignment = _font(size, True), CENTER
    ws.row_dimensions[1].height = 32


def _info_row(ws: Worksheet, row: int, parts: list[tuple[int, int, str]]) -> None:
    for first, last, text in parts:
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = ws.cell(row, first, text)
        cell.font, cell.alignment = _font(10), LEFT
    ws.row_dimensions[row].height = 20


def _header(ws: Worksheet, row: int, names, height: float = 30) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row, col, name)
        cell.font, cell.alignment, cell.border, cell.fill = (
            _font(10, True),
            CENTER,
            BORDER,
            HEAD_FILL,
        )
    ws.row_dimensions[row].height = height


def _widths(ws: Worksheet, widths) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _print_setup(
    ws: Worksheet, header_row: int, last_row: int, ncols: int, *, one_page: bool
) -> None:
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(ncols)}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def _title_text(data: ReturnData, base: str) -> str:
    return f"{base}（修订）" if data.is_revision else base


def _unit_row(ws: Worksheet, data: ReturnData, ncols: int) -> None:
    third = max(1, ncols // 3)
    _info_row(
        ws,
        2,
        [
            (1, third, f"填报单位：{data.station.name}"),
            (third + 1, 2 * third, f"区划代码：{data.station.area_code}"),
            (2 * third + 1, ncols, f"报告期：{data.period.label}"),
        ],
    )


def _value_cell(ws: Worksheet, row: int, col: int, value, decimals: int, bold=False) -> None:
    ws.cell(row, col, value).style = f"ls_n{decimals}{'b' if bold else ''}"


def write_return_sheet(ws: Worksheet, data: ReturnData, preparer: str, today: date) -> None:
    ncols = len(RETURN_HEADER)
    _title(ws, _title_text(data, TITLE), ncols)
    _unit_row(ws, data, ncols)
    _header(ws, 3, RETURN_HEADER)
    row, section = 4, None
    for item in data.rows:
        if item.section != section:
            section = item.section
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
            cell = ws.cell(row, 1, section)
            cell.font, cell.fill, cell.alignment = _font(10, True), SECTION_FILL, LEFT
            for col in range(1, ncols + 1):
                ws.cell(row, col).border = BORDER
            row += 1
        indicator = INDICATORS[item.code]
        name = ws.cell(row, 1, item.name)
        name.alignment = Alignment(
            horizontal="left", vertical="center", indent=2 if indicator.is_part else 0
        )
        code = ws.cell(row, 2, item.code)
        code.number_format = "@"
        unit = ws.cell(row, 3, item.unit)
        for cell in (name, code, unit):
            cell.font, cell.border = _font(10), BORDER
        code.alignment = unit.alignment = CENTER
        decimals = [item.decimals, item.decimals, item.decimals, 1, item.decimals, 1]
        for col, (value, places) in enumerate(zip(item.values(), decimals, strict=True), start=4):
            _value_cell(ws, row, col, value, places)
        ws.row_dimensions[row].height = 17
        row += 1
    row += 1
    ws.cell(
        row,
        1,
        "说明：101–104、503 为期末时点数，本月与本年累计相同，上年同期为上年同日数；"
        "百分比栏为数值（43.5 表示 43.5%）；空格表示不适用。",
    ).font = _font(9)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    row += 1
    _info_row(
        ws,
        row,
        [
            (1, 1, f"单位负责人：{data.station.head}"),
            (2, 4, f"填表人：{preparer}"),
            (5, 7, f"联系电话：{data.station.phone}"),
            (8, 9, f"报出日期：{today.year}年{today.month}月{today.day}日"),
        ],
    )
    _widths(ws, (34, 7, 9, 12, 12, 12, 12, 13, 12))
    _print_setup(ws, 3, row, ncols, one_page=True)
    ws.sheet_view.zoomScale = 100


def write_village_sheet(ws: Worksheet, data: ReturnData) -> None:
    """One row per village; a county consolidation sets ``data.extra["area_label"]`` to
    乡镇 and the rows are its townships."""
    label = data.extra.get("area_label", "村")
    codes = list(data.village_total.values)
    names = ["序号", label, "区划代码"] + [
        f"{INDICATORS[c].name}\n（{INDICATORS[c].unit}，{c}）" for c in codes
    ]
    ncols = len(names)
    _title(ws, _title_text(data, f"分{label}统计（本年累计）"), ncols, 14)
    _unit_row(ws, data, ncols)
    _header(ws, 3, names, 48)
    row = 4
    lines = [(str(n), v.name, v.code, v.values) for n, v in enumerate(data.villages, start=1)]
    lines.append(("", "合计", data.village_total.code, data.village_total.values))
    for number, name, code, values in lines:
        bold = name == "合计"
        for col, text in enumerate((number, name, code), start=1):
            cell = ws.cell(row, col, int(number) if col == 1 and number else text)
            cell.font, cell.border = _font(10, bold), BORDER
            cell.alignment = CENTER if col != 2 else LEFT
            if col == 3:
                cell.number_format = "@"
        for col, c in enumerate(codes, start=4):
            _value_cell(ws, row, col, values.get(c), INDICATORS[c].decimals, bold)
        row += 1
    ws.cell(
        row + 1,
        1,
        f"说明：{data.year.start:%Y-%m-%d} 至 {data.year.end:%Y-%m-%d} 累计；"
        "101、104 为期末时点数。",
    ).font = _font(9)
    _widths(ws, (6, 16, 15, 13, 13, 13, 13, 13, 13, 13))
    _print_setup(ws, 3, row + 1, ncols, one_page=False)


def _roster(ws: Worksheet, data: ReturnData, title: str, header, rows, widths, styles) -> None:
    ncols = len(header)
    _title(ws, _title_text(data, title), ncols, 14)
    _unit_row(ws, data, ncols)
    _header(ws, 3, header, 24)
    names = [
        styles.get(col, "ls_center" if col in (1, 4) else "ls_left") for col in range(1, ncols + 1)
    ]
    for r, values in enumerate(rows, start=4):
        for col, (value, style) in enumerate(zip(values, names, strict=False), start=1):
            ws.cell(r, col, value).style = style
    last = 3 + len(rows)
    _widths(ws, widths)
    _print_setup(ws, 3, max(last, 3), ncols, one_page=False)


def write_meta_sheet(ws: Worksheet, data: ReturnData) -> None:
    pairs = [
        ("format", FORMAT_NAME),
        ("format_version", FORMAT_VERSION),
        ("unit_code", data.station.area_code),
        ("unit_name", data.station.name),
        ("unit_level", data.station.level),
        ("period", str(data.period)),
        ("period_start", data.month.start.isoformat()),
        ("period_end", data.month.end.isoformat()),
        ("cutoff_day", data.station.cutoff_day or 0),
        ("revision", data.revision),
        ("generated_at", data.generated_at.isoformat(sep=" ")),
        ("program_version", data.program_version),
        ("figures_sha256", data.checksum),
        *data.extra.get("meta", {}).items(),
    ]
    for r, (key, value) in enumerate(pairs, start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value).number_format = "@" if isinstance(value, str) else "General"
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 70
    ws.sheet_state = "hidden"


def make_workbook(data: ReturnData, *, preparer: str = "", today: date | None = None) -> Workbook:
    today = today or data.generated_at.date()
    wb = Workbook()
    _register_styles(wb)
    ws = wb.active
    ws.title = SHEET_RETURN
    write_return_sheet(ws, data, preparer, today)
    write_village_sheet(wb.create_sheet(SHEET_VILLAGES), data)
    _roster(
        wb.create_sheet(SHEET_PLACEMENTS),
        data,
        f"转移就业花名册（{data.period.label}）",
        PLACEMENT_HEADER,
        data.placement_roster,
        (6, 10, 8, 5, 20, 11, 32, 11, 30, 16, 8, 11),
        {5: "ls_text", 6: "ls_date", 12: "ls_n2"},
    )
    _roster(
        wb.create_sheet(SHEET_TRAINING),
        data,
        f"培训花名册（{data.period.label}）",
        TRAINING_HEADER,
        data.training_roster,
        (6, 10, 9, 5, 20, 24, 16, 10, 14, 11, 11, 22),
        {5: "ls_text", 10: "ls_date", 11: "ls_date"},
    )
    write_meta_sheet(wb.create_sheet(SHEET_META), data)
    wb.properties.title = f"{data.station.name} {data.period.label} {TITLE}"
    wb.properties.creator = "LaborStation"
    return wb


def write_return(
    data: ReturnData, path: str | Path, *, preparer: str = "", today: date | None = None
) -> str:
    """Write the workbook (atomically: a temporary file, then a rename); returns its SHA-256."""
    return save_workbook(make_workbook(data, preparer=preparer, today=today), path)


def save_workbook(wb: Workbook, path: str | Path) -> str:
    """Save atomically (``xlsx_text.save_safely``); returns the file's SHA-256."""
    return file_sha256(save_safely(wb, path))


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
