"""The cells of a training roster that describe its class, not the trainee: 学时, the
class's 培训补贴 (a total: the course's ``subsidy`` is what the whole class gets, as the
program's own courses hold it), a per-trainee amount (补贴标准, 人均补贴: never the
class's total), and 培训方式 written as a way of teaching (线上, 集中培训) rather than
one of the mode codes (订单/定向/委托/其他). A unit in the column's header (学时（天）,
补贴总额（万元）, 补贴总额（元/人）) is what its plain numbers are in (``figure_units``).

Each gives a value, and what to tell the clerk and note on the course: told once a
course (``Told``: a kind and a text), not on every row of it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from laborstation.importing.values import text
from laborstation.importing.wages import header_key
from laborstation.services._records import MAX_MONEY


class Told(NamedTuple):
    """A warning about the row's course, given once a course by its ``kind``. ``note``:
    the note on the course it is about (its ending says whether the note was recorded);
    ``asks``: it asks for the class's total unless the course has one (told once the
    total is known: ``course_figures.tell_once``)."""

    kind: str
    message: str
    note: str = ""
    asks: bool = False


class FigureUnits(NamedTuple):
    """What the headers of the 学时 and 培训补贴 columns say of their plain numbers."""

    hours: str = ""  # 天, 周 or 月 under 学时（天）: no hours
    scale: int = 1  # 10000 under 补贴总额（万元）
    each: bool = False  # 补贴总额（元/人）: each trainee's amount, not the class's


NO_UNITS = FigureUnits()
_UNIT_PART = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]")  # (a header's key: NFKC)
_TIME_UNITS = (("天", "天"), ("日", "天"), ("周", "周"), ("星期", "周"), ("月", "月"))
_PER_HEAD_HEADER = ("/人", "每人", "人均", "每名", "每位", "/名")


def figure_units(titles: list[str], columns: dict[str, int]) -> FigureUnits:
    """The units the 学时 and 培训补贴 headers name (as ``wages.wage_column`` does a
    wage's): days, weeks or months in brackets (学时（天）), 万元 or 千元, a trainee's
    amount (元/人, 人均)."""
    def title_of(name: str) -> str:
        at = columns.get(name)
        return header_key(titles[at]) if at is not None and at < len(titles) else ""

    hours_unit = ""
    for part in _UNIT_PART.findall(title_of("hours")):
        if not any(word in part for word in ("小时", "学时", "课时", "h")):
            hours_unit = next((unit for word, unit in _TIME_UNITS if word in part), "")
    subsidy = title_of("subsidy")
    scale = 10000 if "万" in subsidy else 1000 if "千" in subsidy else 1
    return FigureUnits(hours_unit, scale, any(word in subsidy for word in _PER_HEAD_HEADER))


def _plain_number(value: object) -> Decimal | None:
    """A number cell, or a text holding a plain number only ('5', '3.6')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    key = header_key(text(value))
    return Decimal(key) if _PLAIN.fullmatch(key) else None


_PLAIN = re.compile(r"\d+(?:\.\d+)?")
# 共40学时, 每人40学时, 40（学时）, 40学时/人: the hours of the class (each trainee's)
_WHOLE = r"(?:共计|合计|总计|每人|人均|全班|共|总)?:?"
_EACH = r"(?:/人|每人|/期)?"
_HOURS = re.compile(_WHOLE + r"(\d+(?:\.\d+)?)个?\(?(?:学时|课时|小时|h)?\)?" + _EACH)
_NOT_HOURS = re.compile(_WHOLE + r"(?:\d+(?:\.\d+)?|半|[一二三四五六七八九十两]+)个?"
                        r"\(?(?:天|日|工作日|周|星期|月)\)?" + _EACH)
_MOST_HOURS = 10000


def hours(value: object, unit: str = "") -> tuple[int | None, Told | None]:
    """(学时, a warning) of a 学时 cell: 40, '40学时', '共40课时', '每人40学时',
    '40（学时）'. Days (5天, or 5 under 学时（天）: ``unit``), weeks or months are no hours
    and are not turned into them: noted on the course instead (the warning's note)."""
    if value is None or value == "" or isinstance(value, bool):
        return None, None
    shown = text(value)
    number = _plain_number(value)
    if number is not None and unit:
        return None, Told("hours", f"学时“{shown}”按表头是{unit}数，不是学时，没有折算，未记录学时",
                          note=f"培训时长：{shown}{unit}")
    if number is None:
        key = header_key(shown)
        if _NOT_HOURS.fullmatch(key):
            return None, Told("hours", f"学时“{shown}”是天数（或周数、月数），不是学时，没有折算，"
                                       "未记录学时", note=f"培训时长：{shown}")
        found = _HOURS.fullmatch(key)
        if found is None:
            return None, Told("hours", f"学时“{shown}”不是学时数，未记录")
        number = Decimal(found.group(1))
    if number != number.to_integral_value():
        return None, Told("hours", f"学时“{shown}”不是整数，未记录")
    if not 0 < number <= _MOST_HOURS:
        return None, Told("hours", f"学时“{shown}”不是合理的学时数，未记录")
    return int(number), None


_PER_HEAD = ("/人", "每人", "人均", "元人", "每名", "每位", "/名", "/位")
# 共计36000元, 合计：36000, 全班共3.6万元: the class's total, said so (``subsidy``)
_TOTAL = re.compile(r"(?:全班|本班)?(?:共计|合计|总计|总额|总共|一共|共)(?:金额|补贴)?:?")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(万|千)?")
_SCALE = {None: 1, "万": 10000, "千": 1000}
_CENT = Decimal("0.01")
_EACH_ASKED = "培训班记的是全班的补贴总额，未记录"


class Subsidy(NamedTuple):
    """A 培训补贴 cell read: yuan (None when not recorded), a warning, and whether the
    cell says it is a total (合计 36000元: ``course_figures`` takes it when the class's
    rows disagree)."""

    amount: Decimal | None
    told: Told | None = None
    total: bool = False


def subsidy(value: object, units: FigureUnits = NO_UNITS) -> Subsidy:
    """A cell of the class's total 培训补贴: 36000, '36000元', '36,000.00', '3.6万',
    '共计36000元', 3.6 under 补贴总额（万元）. An amount a head (1200元/人, or any under
    补贴总额（元/人）) is not the class's, and is not recorded."""
    if value is None or value == "" or isinstance(value, bool):
        return Subsidy(None)
    shown = text(value)
    plain = _plain_number(value)
    if units.each:
        return Subsidy(None, Told("subsidy", f"培训补贴“{shown}”按表头是每人的金额，{_EACH_ASKED}",
                                  asks=True))
    if plain is not None:
        return _checked(plain * units.scale, shown)
    key = header_key(shown)
    if any(word in key for word in _PER_HEAD):
        return Subsidy(None, Told("subsidy", f"培训补贴“{shown}”是每人的金额，{_EACH_ASKED}",
                                  asks=True))
    marked = _TOTAL.match(key)
    key = key[marked.end():] if marked else key
    key = key.replace(",", "").removeprefix("人民币").removeprefix("¥")
    key = key.removesuffix("整").removesuffix("元")
    found = _AMOUNT.fullmatch(key)
    if found is None:
        return Subsidy(None, Told("subsidy", f"培训补贴“{shown}”不是金额，未记录"))
    try:
        amount = Decimal(found.group(1)) * _SCALE[found.group(2)]
    except InvalidOperation:
        return Subsidy(None, Told("subsidy", f"培训补贴“{shown}”不是金额，未记录"))
    return _checked(amount, shown, total=marked is not None)


def _checked(amount: Decimal, shown: str, total: bool = False) -> Subsidy:
    if not amount.is_finite() or amount <= 0:
        return Subsidy(None, Told("subsidy", f"培训补贴“{shown}”不是大于 0 的金额，未记录"))
    if amount >= MAX_MONEY:  # (an ID number in the column: more than the store can hold)
        return Subsidy(None, Told("subsidy", f"培训补贴“{shown}”超过 1 亿元，不像是全班的补贴"
                                             "总额，未记录：请核对这一列是不是培训补贴"))
    return Subsidy(amount.quantize(_CENT), None, total)


# A column of each trainee's amount (补贴标准, 人均补贴, 补贴金额): told once a course.
PER_HEAD_TOLD = Told("subsidy_each", "每名学员的补贴金额（补贴标准、人均补贴等列）没有导入：培训班"
                                     "记的是全班的培训补贴总额，不能按每人的金额记", asks=True)

# 培训方式 as a way of teaching: 线上, 线下, 线上线下, 线上+线下相结合, 集中培训, 脱产 …
_WAYS = ("线上", "线下", "网络", "网上", "在线", "远程", "视频", "直播", "集中", "分散", "面授",
         "现场", "实操", "实训", "理论", "脱产", "半脱产", "不脱产", "送教下乡", "送培下乡",
         "送教上门", "送培上门", "上门", "课堂", "全日制", "业余", "夜校", "工学结合", "以工代训")
_WAY = "(?:" + "|".join(sorted(_WAYS, key=len, reverse=True)) + ")"
_TEACHING = re.compile(rf"{_WAY}(?:[+、/和与及加]?{_WAY})*(?:相?结合)?式?"
                       r"(?:培训|教学|授课|学习|办班|教育)?(?:方式|形式|模式)?")


def teaching_way(value: object) -> Told | None:
    """The warning (with the note for the course) of a 培训方式 cell naming how the
    class is taught, not its mode; None for any other value."""
    shown = text(value)
    if not shown or not _TEACHING.fullmatch(header_key(shown)):
        return None
    return Told("way", f"培训方式“{shown}”是授课形式，不是培训方式（订单、定向、委托培训或其他）",
                note=f"培训形式：{shown}")


def figures(get, way: Told | None, units: FigureUnits = NO_UNITS) -> dict:
    """A training row's record keys for its course: 学时 ('_hours') and the class's
    培训补贴 ('_subsidy', '_subsidy_total': written as a total), what the course is to be
    told once ('_course_told') and the notes it takes ('_course_notes': a way of
    teaching ``way``, days written as 学时)."""
    hours_given, hours_told = hours(get("hours"), units.hours)
    given = subsidy(get("subsidy"), units)
    told = [t for t in (hours_told, given.told, way) if t]
    if get("subsidy_each") != "":
        told.append(PER_HEAD_TOLD)
    return {"_hours": hours_given, "_subsidy": given.amount, "_subsidy_total": given.total,
            "_course_told": told, "_course_notes": [t.note for t in (way, hours_told)
                                                    if t and t.note]}
