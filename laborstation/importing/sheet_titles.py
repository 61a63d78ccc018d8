"""What a sheet's name and the lines above its header say, for the fields its table has no
column of: a village, a 村民小组 or (a county's sheet) a township by the sheet's name; a
training roster's class by its title or name; values every row of a roster shares
(培训机构：…, 培训时间：…). Read once a sheet, by ``plan``; and, for a second class's title
further down a roster, by ``run``."""

from __future__ import annotations

import re

from laborstation.importing.headers import field_of

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


# What a village's sheet may say around its name (a year before it; 台账, 花名册 … after
# it; Excel's (2) of a copied sheet): taken off, a name ending as a village's is its name.
_VILLAGE_SHEET = re.compile(r"^(?:19|20)\d\d年度?|(?:劳动力资源|实名制|人员|人口)?(?:台账|花名册|名册|"
                            r"名单|明细表?|登记表|信息表|底册|统计表)$|[(（]\d+[)）]$|副本$")
_VILLAGE_ENDS = ("村", "社区", "村委会", "居委会")
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


def group_section(cells: list) -> str | None:
    """The 村民小组 a row of the table names alone, heading the households below it: 一组,
    二组（2户）, 第三村民小组, 李庄村一组; None for any other row."""
    written = [cell for cell in cells if cell != "" and cell is not None]
    if len(written) != 1 or not isinstance(written[0], str):
        return None
    name = _BRACKETED.sub("", "".join(written[0].split()))
    if _GROUP_SHEET.match(name):
        return name
    both = village_and_group(name)
    return both[1] if both else None


def village_and_group(written: str) -> tuple[str, str] | None:
    """(village, 村民小组) of a 行政村 cell naming both: 李庄村1组, 张庄社区第三组; None for
    any other (王庄一队 stays one name: only a village written with 村 or 社区 is split)."""
    found = _VILLAGE_AND_GROUP.match("".join(written.split()))
    if found is None or not found.group(1).endswith(("村", "社区")):
        return None
    return found.group(1), found.group(2)


def sheet_places(sheet_name: str, station_name: str = "") -> tuple[str | None, str | None]:
    """(village, 村民小组) a sheet is named after, for a sheet without those columns: 李庄村,
    王庄 and 张庄社区 are villages; 一组 and 第三组 are groups; 王庄村一组 is both;
    城关镇赵庄村 (the station's own township first) is 赵庄村, 钱庄（2025年） is 钱庄.
    Sheet1, 2025年, 外出人员, 登记表, copies (Sheet1 (2), 副本), the station's own
    township (城关镇, 城关) and any 镇/乡/街道/县/市 are neither."""
    name = "".join(sheet_name.split())
    if _GROUP_SHEET.match(name):
        return None, name
    if not name:
        return None, None
    if _GENERIC_SHEET.search(name):
        name = _VILLAGE_SHEET.sub("", name)  # 东关村台账, 2025年东关村, 东关村 (2): 东关村
        if not name.endswith(_VILLAGE_ENDS) or _GENERIC_SHEET.search(name):
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
    titles = [text for row in rows[:header_row] for cell in row if isinstance(cell, str)
              and (text := _ATTACHMENT.sub("", cell.strip()))  # (附件2 above the title)
              and not _KEY_VALUE.match(text)]
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


# The label of a document's attachment, alone on the line above its title or before it:
# 附件2, 附件 2：, 附表3、, 表1 (a roster sent with a notice).
_ATTACHMENT = re.compile(r"^(?:附件|附表|表)\s*[\d一二三四五六七八九十]{1,3}\s*(?:[:：、.．—-]\s*|$)")
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
