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
    "result": "培训结果",
}
_SHEET_GROUP = r"第?[\d一二三四五六七八九十百两]+(?:组|队|社|小组|村民小组)"  # 一组, 第三组
# Sheet names that are not a village's name: what the sheet holds, a year, a place above
# the village. (Checked on the name without spaces; ``sheet_places``.)
_GENERIC_SHEET = re.compile(
    r"^(sheet|工作表|表|页)\d*$|汇总|台账|花名册|名册|名单|清单|统计|明细|总表|全部|合计|说明|"
    r"模板|数据|人员|人口|劳动力|务工|外出|转移|就业|培训|输出|登记|信息|底册|表$|"
    r"^(19|20)\d\d(?!\d)|^\d+$|^\d{1,2}月|^第.{1,3}[批期季]$|"  # 2025年…, 3月, 第一批
    # a group of a village (一组, 1组, 第三组), a copy or version of a sheet (Sheet1 (2),
    # 副本, 修改后, 最终版), a page, the whole village
    rf"^{_SHEET_GROUP}$|副本|备份|修改|最终|终版|定稿|"
    r"新版|旧版|原版|草稿|\(\d+\)$|（\d+）$|^第.{1,3}页$|^全村$|^全部村$|"
    # a kind of household or person, a change, where people are: not a place (the sixth
    # review: each had become a village of the register, with the persons of its sheet)
    r"脱贫|监测|低保|五保|特困|困难|残疾|贫困|一般户|边缘|易迁|搬迁|^新增|新加|增加|减少|变动|"
    r"注销|死亡|迁出|迁入|^男$|^女$|男性|女性|在家|在外|在校|学生|老人|儿童|留守|务农|"
    r"省外|省内|县外|县内|市外|市内|境外|国外|"
    # a course or a trade, on a training roster's sheets (电工班, 育婴员, 家政服务)
    r"班$|课程|工种|职业|技能|技术|服务|护理|烹饪|烹调|电商|种植|养殖|[员工师]$",
    re.IGNORECASE,
)
# The place names above a village: a township (镇, 乡, 街道, 办事处), a county or city.
_ABOVE_VILLAGE = re.compile(r"(镇|乡|街道|街道办|办事处|县|市|旗|省|自治区)$")
# A sheet's number before its village (1.前进村, 01前进村, 一、前进村) and a year after it
# (前进村-2024, 前进村2025年度): not part of the name. (三里庄 keeps its 三: a Chinese
# numeral only with a mark after it.)
_NUMBERED = re.compile(r"^(?:\d+[.、．。)）_\-]?|[一二三四五六七八九十]+[、.．])(?=\D)")
_YEAR_AFTER = re.compile(r"[-_—－]?(?:19|20)\d\d(?:年度?)?$")
_TOWNSHIP_SUFFIX = re.compile(r"(镇|乡|街道办事处|街道办|街道|办事处|县|市|区|旗)$")


_GROUP_SHEET = re.compile(rf"^{_SHEET_GROUP}$")
_VILLAGE_AND_GROUP = re.compile(rf"^(.{{2,}}?)({_SHEET_GROUP})$")
_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


# A county's sheet named after a township (城关镇), or a township and a village in it
# (城关镇李庄村: two townships' 李庄村 cannot both be a sheet named 李庄村).
_SHEET_TOWNSHIP = re.compile(r"(.{2,6}?(?:街道办事处|街道|镇|乡))(.{2,}|)")
_ALL_TOWNSHIPS = re.compile(r"^(各|全|所有|本|全县|全部)?乡镇|^(各|全|所有)")  # 各乡镇汇总


def sheet_township(sheet_name: str) -> tuple[str | None, str]:
    """(the township a county's sheet is named after, the rest of its name): 城关镇李庄村
    → (城关镇, 李庄村), 王楼乡 → (王楼乡, ''); (None, the name) for any other (李庄村,
    美丽乡村: a township's name is no less than two characters before 镇/乡, and what
    follows it, a village's, no less than two)."""
    name = "".join(sheet_name.split())
    found = _SHEET_TOWNSHIP.fullmatch(name)
    if found is None or _GENERIC_SHEET.search(found.group(1)) or _ALL_TOWNSHIPS.match(name):
        return None, sheet_name
    return found.group(1), found.group(2)


def _after_own(name: str, own: str) -> str:
    """``name`` without the station's own township before it (城关镇赵庄村, 城关赵庄村 →
    赵庄村), when at least two characters are left."""
    for prefix in (own, _TOWNSHIP_SUFFIX.sub("", own)):
        if prefix and name.startswith(prefix) and len(name) - len(prefix) >= 2:
            return name[len(prefix):]
    return name


def sheet_places(sheet_name: str, station_name: str = "") -> tuple[str | None, str | None]:
    """(village, 村民小组) a sheet is named after, for a sheet without those columns: 李庄村,
    王庄 and 张庄社区 are villages; 一组 and 第三组 are groups; 王庄村一组 is both;
    城关镇赵庄村 (the station's own township first) is 赵庄村, 钱庄（2025年） is 钱庄.
    Sheet1, 2025年, 外出人员, 登记表, copies (Sheet1 (2), 副本), the station's own
    township (城关镇, 城关) and any 镇/乡/街道/县/市 are neither."""
    name = "".join(sheet_name.split())
    if _GROUP_SHEET.match(name):
        return None, name
    if not name or _GENERIC_SHEET.search(name):
        return None, None
    name = _BRACKETED.sub("", name) or name
    name = _YEAR_AFTER.sub("", _NUMBERED.sub("", name)) or name
    own = "".join((station_name or "").split())
    name = _after_own(name, own)
    if own and name in (own, _TOWNSHIP_SUFFIX.sub("", own)):
        return None, None
    group = None
    split = _VILLAGE_AND_GROUP.match(name)
    if split:
        name, group = split.groups()
    if _GENERIC_SHEET.search(name) or _ABOVE_VILLAGE.search(name):
        return None, group
    return name, group


# What a training roster's title says after the class's name: 花名册, 学员名单, 签到表 ….
_ROSTER_WORDS = re.compile(r"(学员|人员|参训|参培|培训)?(花名册|名册|名单|登记表|签到表|统计表|信息表|"
                           r"一览表|汇总表|明细表|表)$")
_TITLE_YEAR = re.compile(r"^(19|20)\d\d\s*年度?(第[一二三四1-4]季度)?")


def course_from_title(rows: list[list], header_row: int, sheet_name: str,
                      own: str = "") -> tuple[str | None, str]:
    """A training roster without a 培训班 column: the class's name from the title above the
    header (2026年城关镇电工培训班花名册 → 电工培训班), else from the sheet's name (电工班);
    (name, where it was taken: 标题 or 工作表名), or (None, '') when neither names a class."""
    titles = [str(cell).strip() for row in rows[:header_row] for cell in row
              if isinstance(cell, str) and cell.strip() and not _KEY_VALUE.match(cell)]
    for where, text in [*(("标题", t) for t in titles[:1]), ("工作表名", sheet_name)]:
        text = "".join(text.split())
        period = _PERIOD.search(text)  # 电工培训班学员名单（第一期）: the 期 kept
        if period:
            text = text[:period.start()]
        name = _TITLE_YEAR.sub("", _PLACE_BEFORE_YEAR.sub("", _ROSTER_WORDS.sub("", text)))
        if (rest := _after_own(name, own)) != name:  # (城关镇2026年电工培训班)
            name = _TITLE_YEAR.sub("", rest)
        name = _ROSTER_WORDS.sub("", name) + (period.group() if period else "")
        if _names_a_class(name):
            return name, where
    return None, ""


# A title's place before its year (范县城关镇2026年电工培训班), its period after the name.
_PLACE_BEFORE_YEAR = re.compile(r"^\S{0,6}?(?:县|市|区)?\S{1,4}(?:镇|乡|街道)(?=(19|20)\d\d年)")
_PERIOD = re.compile(r"[（(]第?[\d一二三四五六七八九十]+期[）)]$")
# What a title says of a report, not of a class: 2026年第一季度培训情况统计表, 培训补贴申请
_NOT_A_CLASS = re.compile(r"情况|统计|汇总|补贴|申请|签到|季度|\d+月|^参加|^参训|^学员|^人员")


def _names_a_class(name: str) -> bool:
    """A class's name: 电工培训班, 焊工班, 家政服务培训 (not 培训, 培训班, 第一季度培训情况)."""
    if not 2 <= len(name) <= 60 or _NOT_A_CLASS.search(name):
        return False
    if "班" in name:
        return name not in ("培训班", "班")
    return name.endswith("培训") and len(name) >= 4


# A line above a roster's header giving what its rows share: 培训机构：县职校, 培训时间：…
_KEY_VALUE = re.compile(r"\s*([^:：\s][^:：]{0,11}?)\s*[:：]\s*(\S.*?)\s*")
_LINE_PARTS = re.compile(r"\s{2,}|[;；]|\n")  # several such in one cell
_NOT_SHARED = frozenset({"id_number", "name", "sex", "birth_date"})  # a person's own


def title_fields(kind: str, rows_above: list[list], columns) -> dict[str, tuple[str, str]]:
    """What the lines above a roster's header give all its rows (培训机构：县职校,
    培训时间：2026年3月2日至3月20日), for the fields it has no column of: field →
    (the name as written, the value)."""
    found: dict[str, tuple[str, str]] = {}
    for row in rows_above:
        for cell in row:
            if not isinstance(cell, str):
                continue
            for part in _LINE_PARTS.split(cell):
                line = _KEY_VALUE.fullmatch(part)
                field = line and field_of(kind, line.group(1))
                if field and field not in columns and field not in _NOT_SHARED:
                    found.setdefault(field, (line.group(1), line.group(2)))
    return found


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
            if unknown := [t for t in sheet.unmatched if t not in sheet.not_kept]:
                lines.append("  未识别的列（不导入）：" + "、".join(unknown))
            if sheet.not_kept:
                lines.append(f"  {NOT_KEPT.format(KIND_NAMES[self.kind])}：" + "、".join(sheet.not_kept))
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
    mapping = tuple((shown_title(match.titles[column]),
                     _field_shown(name, match.titles[column], kind))
                    for name, column in sorted(match.columns.items(), key=lambda kv: kv[1]))
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
                                       if _other_kinds(kind, t)))


# A field named as the kind's rosters name it (the start of a trip, of a course).
_KIND_FIELD_NAMES = {("placements", "start_date"): "外出时间", ("trainings", "start_date"): "开班时间"}


# Columns a kind knows but does not keep: the program reads them for another kind.
NOT_KEPT = "{0}不记的列（不导入）"


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
