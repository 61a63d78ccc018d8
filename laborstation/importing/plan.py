"""What an import will do, found before anything is written: sheets, header rows, mapping.

``plan_import`` reads the file once; the plan keeps the rows, so ``run_import``
does not read it again. ``plan.outline()`` is what the clerk is shown first (the
GUI's table; ``describe()`` the same as text for the command line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from laborstation.errors import UserError
from laborstation.importing.headers import (
    KIND_NAMES,
    KINDS,
    HeaderMatch,
    field_of,
    find_header,
    kind_fields,
)
from laborstation.importing.places import township_name
from laborstation.importing.reading import UnreadableFile, read_file
from laborstation.importing.report import REASON, ROW
from laborstation.importing.sheet_titles import (
    course_from_title,
    sheet_places,
    sheet_township,
    title_fields,
)
from laborstation.importing.wages import MONTHLY, wage_column
from laborstation.model import COUNTY

FIELD_NAMES = {
    "id_number": "身份证号", "name": "姓名", "sex": "性别", "birth_date": "出生日期",
    "nation": "民族", "education": "文化程度", "phone": "联系电话", "township": "乡镇",
    "village": "行政村", "group": "村民小组", "household_no": "户编号", "relation": "与户主关系",
    "household_head": "户主姓名", "household_category": "户类别", "labour_capacity": "劳动能力",
    "skills": "技能特长", "local_status": "就业状态", "training_wish": "培训意愿",
    "hardship": "就业困难人员类别", "address": "家庭住址", "notes": "备注", "start_date": "开始日期",
    "return_date": "返乡时间", "start_month": "外出月份", "destination": "务工地点", "province": "务工省份",
    "city": "务工城市", "employer": "用工单位", "industry": "行业", "occupation": "工种/岗位",
    "organised": "输出方式", "channel": "输出机构", "wage": "月收入", "contract": "劳动合同",
    "insurance": "参保情况", "course": "培训班", "course_type": "培训类型",
    "course_mode": "培训方式", "trade": "培训工种", "provider": "培训机构",
    "end_date": "结业时间", "certificate": "证书", "certificate_no": "证书编号",
    "result": "培训结果", "hours": "学时", "subsidy": "培训补贴（全班总额）",
    "subsidy_each": "每人补贴（不导入）",
}
# A roster's fields its rows cannot do without: (fields, any one of which will do).
_NEEDED = {"placements": (("start_date", "start_month"),),
           "trainings": (("start_date", "end_date"),)}


def missing_columns(kind: str, columns) -> list[str]:
    """The needed fields a roster has neither a column nor a line above its header of."""
    return [_field_shown(fields[0], "", kind) for fields in _NEEDED.get(kind, ())
            if not any(f in columns for f in fields)]


class NoStation(UserError):
    def __init__(self) -> None:
        super().__init__("还没有设置本单位（乡镇或县）：请先在“设置”中填写单位名称和区划代码，再导入。")


@dataclass
class SheetPlan:
    name: str
    rows: list[list]
    header: HeaderMatch | None
    village_from_name: str | None = None  # when there is no village column
    group_from_name: str | None = None  # when there is no 村民小组 column
    township_from_name: str | None = None  # a county's, when there is no 乡镇 column
    # A training roster without a 培训班 column: (the class's name, 标题 or 工作表名)
    course_from_title: tuple[str, str] | None = None
    no_course: bool = False  # …and no class's name above the header nor as its name
    # A roster's lines above its header, for fields without a column: field → (name, value)
    title_fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # needed fields it gives nowhere
    # Another kind that finds more of its columns, some of which this kind has not:
    # (kind, its columns, this kind's columns). A roster chosen as the wrong kind.
    likelier: tuple[str, int, int] | None = None
    hidden: bool = False  # a hidden (or very hidden) sheet: not read, not imported
    # Cells of an Excel error value (row index → [(column, "#N/A")]), read as empty
    errors: dict = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.header is not None

    @property
    def data_rows(self) -> int:
        return len(self.rows) - self.header.data_start if self.header else 0

    @cached_property
    def prefilled_columns(self) -> frozenset[int]:
        """The columns a template may fill in before any person is written (序号, 乡镇,
        行政村, 村民小组): a row with nothing else is a blank one."""
        columns = self.header.columns if self.header else {}
        found = {columns[f] for f in ("township", "village", "group") if f in columns}
        if self.header and self.header.serial_column is not None:
            found.add(self.header.serial_column)
        return frozenset(found)


@dataclass
class ImportPlan:
    kind: str
    path: Path
    sheets: list[SheetPlan] = field(default_factory=list)
    station: object = None  # StationInfo

    @property
    def usable_sheets(self) -> list[SheetPlan]:
        return [s for s in self.sheets if s.usable]

    @property
    def rows(self) -> int:
        return sum(s.data_rows for s in self.usable_sheets)

    @property
    def hidden_sheets(self) -> list[str]:
        """The names of the sheets left out because they are hidden."""
        return [s.name for s in self.sheets if s.hidden]

    def hidden_line(self) -> str:
        """What the clerk is told of the hidden sheets ('' when there are none)."""
        if not self.hidden_sheets:
            return ""
        return f"未导入的隐藏工作表：{'、'.join(self.hidden_sheets)}（{UNHIDE_HINT}）"

    @property
    def likelier(self) -> tuple[str, int, int] | None:
        """(kind, its columns, the chosen kind's) when the file looks like another kind of
        ledger: no sheet fits the chosen kind (a workbook with a 台账 sheet and a 外出
        sheet is a 台账 with more in it)."""
        if any(sheet.usable and sheet.likelier is None for sheet in self.sheets):
            return None
        return next((sheet.likelier for sheet in self.sheets if sheet.likelier), None)

    def close(self) -> None:
        """Stop reading any sheet still being read: a plan dropped without importing it
        (the rows read so far stay; importing the plan afterwards is refused)."""
        for sheet in self.sheets:
            cancel = getattr(sheet.rows, "cancel", None)
            if cancel is not None:
                cancel()

    def outline(self) -> list[SheetOutline]:
        """Each sheet as the clerk is shown it before the import (CLI and GUI alike)."""
        return [_outline(sheet, self.kind) for sheet in self.sheets]

    def describe(self) -> str:
        lines = [f"文件：{self.path.name}（{KIND_NAMES[self.kind]}）"]
        if self.likelier:
            lines.append(likelier_text(self.kind, *self.likelier)
                         + f"（命令行：import {self.likelier[0]}）")
        for sheet in self.outline():
            if sheet.hidden:
                lines.append(f"工作表「{sheet.name}」：{HIDDEN_SHEET}")
                continue
            if not sheet.usable:
                lines.append(f"工作表「{sheet.name}」：没有可识别的表头，不导入")
                continue
            if sheet.data_rows is not None:
                lines.append(f"工作表「{sheet.name}」：表头在{sheet.header_rows}，"
                             f"数据 {sheet.data_rows} 行")
            else:
                lines.append(f"工作表「{sheet.name}」：表头在{sheet.header_rows}，{READ_WHILE_IMPORTING}")
            lines += [f"  {title} → {label}" for title, label in sheet.mapping]
            if sheet.township_from_name:
                lines.append(f"  （没有乡镇列：按工作表名取乡镇「{sheet.township_from_name}」）")
            if sheet.village_from_name:
                lines.append(f"  （没有行政村列：按工作表名取行政村「{sheet.village_from_name}」）")
            if sheet.no_village:
                lines.append(f"  （{NO_VILLAGE}）")
            if sheet.group_from_name:
                lines.append(f"  （没有村民小组列：按工作表名取村民小组「{sheet.group_from_name}」）")
            if sheet.course_from_title:
                lines.append("  （没有培训班列：按{1}取培训班名称「{0}」）".format(*sheet.course_from_title))
            if sheet.no_course:
                lines.append(f"  （{NO_COURSE}）")
            lines += [f"  （表头上方）{written}：{value} → {label}"
                      for written, value, label in sheet.title_fields]
            lines += [f"  （{missing_text(label)}）" for label in sheet.missing]
            if unknown := [t for t in sheet.unmatched
                           if t not in sheet.not_kept and t not in sheet.from_report]:
                lines.append("  未识别的列（不导入）：" + "、".join(unknown))
            if sheet.not_kept:
                lines.append(f"  {NOT_KEPT.format(KIND_NAMES[self.kind])}：" + "、".join(sheet.not_kept))
            if sheet.from_report:
                lines.append(f"  {FROM_REPORT}：" + "、".join(sheet.from_report))
            if sheet.duplicates:
                lines.append(f"  {DUPLICATE_COLUMNS}：" + "、".join(sheet.duplicates))
        return "\n".join(lines)


READ_WHILE_IMPORTING = "数据较多，边读取边导入（行数见导入结果）"
HIDDEN_SHEET = "隐藏的工作表，不导入"
UNHIDE_HINT = "如要导入，请在 Excel/WPS 中取消隐藏、保存后再导入"
DUPLICATE_COLUMNS = "重复的列（第一列为空时用此列的值）"


@dataclass(frozen=True)
class SheetOutline:
    """A sheet of a plan in the clerk's words: where its header is and what each column
    becomes. ``data_rows`` is None while a big sheet is still being read (counting its
    rows would wait for the whole sheet)."""

    name: str
    usable: bool
    header_rows: str = ""  # 第 2 行 / 第 2–3 行
    data_rows: int | None = None
    mapping: tuple[tuple[str, str], ...] = ()  # (column title in the file, field label)
    unmatched: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()
    village_from_name: str | None = None
    hidden: bool = False  # a hidden sheet (``usable`` is False): left out
    group_from_name: str | None = None
    no_village: bool = False  # neither a 行政村 column nor a village's name as its name
    course_from_title: tuple[str, str] | None = None  # (class name, 标题 or 工作表名)
    township_from_name: str | None = None
    # What the lines above the header give every row: (name as written, value, label)
    title_fields: tuple[tuple[str, str, str], ...] = ()
    missing: tuple[str, ...] = ()  # needed fields given nowhere: every row will be refused
    not_kept: tuple[str, ...] = ()  # of those unmatched, another kind's (性别 on a 培训花名册)
    no_course: bool = False  # a training roster without a 培训班 column nor a class's name
    # Of those unmatched, the error report's own (错误原因, 原行号): its rows imported again.
    from_report: tuple[str, ...] = ()


def missing_text(label: str) -> str:
    """What the clerk is told of a roster with no column of a field every row needs."""
    return f"没有{label}列：每行都会因{label}为空而不导入，请加上“{label}”列"


# What the clerk is told of a training roster with no 培训班 column nor a class's name.
NO_COURSE = ("没有培训班列，表头上方的标题和工作表名也不是培训班名称：每行都会因培训班名称为空而"
             "不导入，请加上“培训班名称”列")
# What the clerk is told of a sheet with no 行政村 column whose name is no village's.
NO_VILLAGE = "没有行政村列，工作表名也不是村名：台账中没有的人不能新增，请加上“行政村”列"


_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def shown_title(title: str) -> str:
    """A header cell's text on one line: its line breaks (Alt+Enter) as a space."""
    return _LINE_BREAKS.sub(" ", title).strip()


def _outline(sheet: SheetPlan, kind: str) -> SheetOutline:
    match = sheet.header
    if match is None:
        return SheetOutline(sheet.name, usable=False, hidden=sheet.hidden)
    first = match.first_row + 1
    where = f"第 {first} 行" if match.rows == 1 else f"第 {first}–{first + 1} 行"
    if match.hint_rows:
        hints = match.first_row + match.rows + 1
        where += (f"（第 {hints} 行是填写说明或示例，不导入）" if match.hint_rows == 1 else
                  f"（第 {hints}–{hints + 1} 行是填写说明或示例，不导入）")
    complete = getattr(sheet.rows, "complete", True)
    columns = sorted(match.columns.items(), key=lambda kv: kv[1])
    if match.serial_column is not None:  # (told, so the clerk does not wonder where it went)
        columns = sorted([*columns, ("", match.serial_column)], key=lambda kv: kv[1])
    mapping = tuple((shown_title(match.titles[column]),
                     _field_shown(name, match.titles[column], kind) if name else SERIAL)
                    for name, column in columns)
    return SheetOutline(sheet.name, True, where, sheet.data_rows if complete else None, mapping,
                        tuple(map(shown_title, match.unmatched)),
                        tuple(map(shown_title, match.duplicates)), sheet.village_from_name,
                        group_from_name=sheet.group_from_name,
                        no_village="village" not in match.columns and not sheet.village_from_name,
                        course_from_title=sheet.course_from_title, no_course=sheet.no_course,
                        township_from_name=sheet.township_from_name,
                        title_fields=tuple((written, value, _field_shown(name, written, kind))
                                           for name, (written, value) in sheet.title_fields.items()),
                        missing=tuple(sheet.missing),
                        not_kept=tuple(shown_title(t) for t in match.unmatched
                                       if _other_kinds(kind, t)),
                        from_report=tuple(t for t in match.unmatched if t in (REASON, ROW)))


# A field named as the kind's rosters name it (the start of a trip, of a course).
_KIND_FIELD_NAMES = {("placements", "start_date"): "外出时间", ("trainings", "start_date"): "开班时间"}


# The 序号 column, as the plan lists it: read to tell a sample row, not imported.
SERIAL = "序号（不导入）"
# Columns a kind knows but does not keep: the program reads them for another kind.
NOT_KEPT = "{0}不记的列（不导入）"
# The columns the error report adds to the refused rows (a report imported again).
FROM_REPORT = "上次导入的出错原因和行号（不导入）"


def _other_kinds(kind: str, title: str) -> bool:
    """A column no field of ``kind`` but one of another kind (性别, 联系电话 on a roster):
    not a header to rename, as 未识别 would have the clerk think. (A title of this kind's
    left unmatched, 户主's 身份证号 under a group, is not one.)"""
    return not field_of(kind, title) and any(field_of(other, title) for other in KINDS
                                             if other != kind)


def _field_shown(name: str, title: str, kind: str = "") -> str:
    """A field's name in the plan; a wage column read as yearly or in 万元 says so."""
    label = _KIND_FIELD_NAMES.get((kind, name)) or FIELD_NAMES.get(name, name)
    if name == "wage" and (unit := wage_column(title)) != MONTHLY:
        label += unit.shown
    return label


def likelier_text(kind: str, other: str, theirs: int, ours: int) -> str:
    return (f"这个文件更像{KIND_NAMES[other]}：按{KIND_NAMES[other]}能识别 {theirs} 列，"
            f"按{KIND_NAMES[kind]}只能识别 {ours} 列。")


# Fields every kind has: a sheet that finds only these fits any kind equally.
_COMMON_FIELDS = frozenset({"id_number", "name", "sex", "birth_date", "township", "village",
                            "group"})


def _likelier(kind: str, rows, header: HeaderMatch | None) -> tuple[str, int, int] | None:
    """Another kind that finds more of this sheet's columns, when this kind finds at most
    one of its own (a 台账 often keeps 务工地点, 工作单位 … too: it stays a 台账)."""
    ours = len(header.columns) if header else 0
    if header is not None and len(set(header.columns) - _COMMON_FIELDS) > 1:
        return None
    mine = kind_fields(kind)
    best = None
    for other in KINDS:
        found = find_header(other, rows) if other != kind else None
        if found is None or (header is not None and not set(found.columns) - mine):
            continue  # (with a header of its own: only for fields this kind has not)
        theirs = len(found.columns)
        if theirs > ours and (best is None or theirs > best[1]):
            best = (other, theirs, ours)
    return best


def fill_merged_cells(rows: list[list], merges, data_start: int,
                      serial_column: int | None = None) -> bool:
    """Give every cell of a merged range under the header its top-left cell's value, as
    the clerk sees it (户编号, 户主姓名, 行政村, 村民小组 merged down over a household
    or a village; calamine gives the value in the top-left cell only). True when a
    cell was given one.

    Ranges that begin in the header rows or above are left (the header is found
    without this). A row whose only content would be the merged values (or them and
    a 序号) is left blank: a range merged down past the last person fills no empty rows.
    """
    def own(index: int) -> bool:
        return any(value is not None and value != "" and column != serial_column
                   and (not isinstance(value, str) or value.strip())
                   for column, value in enumerate(rows[index]))

    targets = []
    for (top, left), (bottom, _right) in merges:
        # Down over rows only, into the range's first column: a range across columns of
        # one row (合计：2人 over A:E, an address over two columns) is one cell, whose
        # value is not the other columns' (it would land under 身份证号).
        if top < data_start or top >= len(rows) or left >= len(rows[top]) or bottom <= top:
            continue
        value = rows[top][left]
        if value is None or value == "":
            continue
        targets.append((top, left, min(bottom, len(rows) - 1), value))
    # Which rows have content of their own, before any is filled.
    with_content = {index for top, _, bottom, _ in targets
                    for index in range(top, bottom + 1) if own(index)}
    filled = False
    for top, left, bottom, value in targets:
        for index in range(top + 1, bottom + 1):
            row = rows[index]
            if index in with_content and left < len(row):
                row[left] = value
                filled = True
    return filled


def own_township(station) -> str:
    """The station's name as its township's (范县辛庄镇劳动保障所 is 辛庄镇), which its
    sheets may have before a village's name; a county station's name as it is."""
    name = getattr(station, "name", "") or ""
    if not name or getattr(station, "level", COUNTY) == COUNTY:
        return name
    from laborstation.services.station import county_name

    return township_name(name, (county_name(getattr(station, "county_code", "")) or "",))


def plan_from_file(kind: str, path: str | Path, station=None) -> ImportPlan:
    if kind not in KINDS:
        raise UserError(f"不认识的导入类型“{kind}”：应为 persons、placements 或 trainings。")
    path = Path(path)
    plan = ImportPlan(kind, path, station=station)
    own = own_township(station)
    for raw in read_file(path):
        if raw.hidden:
            plan.sheets.append(SheetPlan(raw.name, raw.rows, None, hidden=True))
            continue
        header = find_header(kind, raw.rows)
        sheet = SheetPlan(raw.name, raw.rows, header, likelier=_likelier(kind, raw.rows, header),
                          errors=raw.errors)
        if header is not None and raw.merges:
            fill_merged_cells(raw.rows, raw.merges, header.data_start, header.serial_column)
        if header is not None and not raw.text:
            sheet_name = raw.name
            if getattr(station, "level", None) == COUNTY and "township" not in header.columns:
                township, sheet_name = sheet_township(raw.name)
                sheet.township_from_name = township
            village, group = sheet_places(sheet_name, own) if sheet_name else (None, None)
            if "village" not in header.columns:
                sheet.village_from_name = village
            if "group" not in header.columns:
                sheet.group_from_name = group
        if header is not None and kind != "persons":
            shared = title_fields(kind, raw.rows[:header.first_row], header.columns)
            if "course" in shared:
                sheet.course_from_title = (shared.pop("course")[1], "标题")
            sheet.title_fields = shared
            if shared:  # (a roster whose shared fields are above it: no other kind's)
                sheet.likelier = None
            if kind == "trainings" and "course" not in header.columns and not sheet.course_from_title:
                name, where = course_from_title(raw.rows, header.first_row, raw.name, own)
                sheet.course_from_title = (name, where) if name else None
                sheet.no_course = name is None
            sheet.missing = missing_columns(kind, {*header.columns, *shared})
        plan.sheets.append(sheet)
    if not plan.usable_sheets:
        plan.close()
        hint = ""
        if plan.likelier:
            other = KIND_NAMES[plan.likelier[0]]
            hint = f"这个文件看起来是{other}：请按“{other}”导入。"
        if plan.hidden_sheets:
            hint += (f"隐藏的工作表「{'」「'.join(plan.hidden_sheets)}」不导入"
                     f"（{UNHIDE_HINT}）。")
        raise UnreadableFile(
            f"文件 {path.name} 中没有找到可识别的{KIND_NAMES[kind]}表头："
            "表头至少要有“身份证号”和“姓名”等列（前 30 行内）。" + hint
        )
    return plan


def plan_import(store, kind: str, path: str | Path) -> ImportPlan:
    """Read the file and find its headers; needs the station to be set."""
    from laborstation.services.station import get_station

    station = get_station(store)
    if station is None:
        raise NoStation()
    return plan_from_file(kind, path, station)
