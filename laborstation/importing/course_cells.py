"""The cells of a training roster that describe its class, not the trainee: 学时, the
class's 培训补贴 (a total: the course's ``subsidy`` is what the whole class gets, as the
program's own courses hold it), a per-trainee amount (补贴标准, 人均补贴: never the
class's total), and 培训方式 written as a way of teaching (线上, 集中培训) rather than
one of the mode codes (订单/定向/委托/其他).

Each gives a value, and what to tell the clerk and note on the course: told once a
course (``Told``: a kind and a text), not on every row of it."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from laborstation.importing.values import text


class Told(NamedTuple):
    """A warning about the row's course, given once a course by its ``kind``."""

    kind: str
    message: str


def _key(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


_HOURS = re.compile(r"(?:共|总|合计)?(\d+(?:\.\d+)?)个?(?:学时|课时|小时|h)?")
_NOT_HOURS = re.compile(r"(?:共|总|合计)?(?:\d+(?:\.\d+)?|半|[一二三四五六七八九十两]+)个?"
                        r"(?:天|日|工作日|周|星期|月)")
_MOST_HOURS = 10000


def hours(value: object) -> tuple[int | None, Told | None, str | None]:
    """(学时, a warning, a note for the course) of a 学时 cell: 40, '40学时', '共40课时'.
    Days (5天), weeks or months are no hours and are not turned into them: noted on the
    course instead."""
    if value is None or value == "" or isinstance(value, bool):
        return None, None, None
    shown = text(value)
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        key = _key(shown)
        if _NOT_HOURS.fullmatch(key):
            return None, Told("hours", f"学时“{shown}”是天数（或周数、月数），不是学时，"
                                       "没有折算，未记录学时：已记入培训班备注"), f"培训时长：{shown}"
        found = _HOURS.fullmatch(key)
        if found is None:
            return None, Told("hours", f"学时“{shown}”不是学时数，未记录"), None
        number = Decimal(found.group(1))
    if number != number.to_integral_value():
        return None, Told("hours", f"学时“{shown}”不是整数，未记录"), None
    if not 0 < number <= _MOST_HOURS:
        return None, Told("hours", f"学时“{shown}”不是合理的学时数，未记录"), None
    return int(number), None, None


_PER_HEAD = ("/人", "每人", "人均", "元人", "每名", "每位", "/名", "/位")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(万|千)?")
_SCALE = {None: 1, "万": 10000, "千": 1000}
_CENT = Decimal("0.01")


def subsidy(value: object) -> tuple[Decimal | None, Told | None]:
    """(yuan, a warning) of a cell of the class's total 培训补贴: 36000, '36000元',
    '36,000.00', '3.6万'. An amount a head (1200元/人) is not the class's, and is not
    recorded."""
    if value is None or value == "" or isinstance(value, bool):
        return None, None
    shown = text(value)
    if isinstance(value, int | float):
        amount = Decimal(str(value))
    else:
        key = _key(shown)
        if any(word in key for word in _PER_HEAD):
            return None, Told("subsidy", f"培训补贴“{shown}”是每人的金额，培训班记的是全班的补贴"
                                         "总额，未记录：请在程序中填写该班的补贴总额")
        key = key.replace(",", "").removeprefix("人民币").removeprefix("¥")
        key = key.removesuffix("整").removesuffix("元")
        found = _AMOUNT.fullmatch(key)
        if found is None:
            return None, Told("subsidy", f"培训补贴“{shown}”不是金额，未记录")
        try:
            amount = Decimal(found.group(1)) * _SCALE[found.group(2)]
        except InvalidOperation:
            return None, Told("subsidy", f"培训补贴“{shown}”不是金额，未记录")
    if not amount.is_finite() or amount <= 0:
        return None, Told("subsidy", f"培训补贴“{shown}”不是大于 0 的金额，未记录")
    return amount.quantize(_CENT), None


# A column of each trainee's amount (补贴标准, 人均补贴, 补贴金额): told once a course.
PER_HEAD_TOLD = Told("subsidy_each", "每名学员的补贴金额（补贴标准、人均补贴等列）没有导入：培训班"
                                     "记的是全班的培训补贴总额，不能按每人的金额记，请在程序中"
                                     "填写该班的补贴总额")

# 培训方式 as a way of teaching: 线上, 线下, 线上线下, 线上+线下相结合, 集中培训, 脱产 …
_WAYS = ("线上", "线下", "网络", "网上", "在线", "远程", "视频", "直播", "集中", "分散", "面授",
         "现场", "实操", "实训", "理论", "脱产", "半脱产", "不脱产", "送教下乡", "送培下乡",
         "送教上门", "送培上门", "上门", "课堂", "全日制", "业余", "夜校", "工学结合", "以工代训")
_WAY = "(?:" + "|".join(sorted(_WAYS, key=len, reverse=True)) + ")"
_TEACHING = re.compile(rf"{_WAY}(?:[+、/和与及加]?{_WAY})*(?:相?结合)?式?"
                       r"(?:培训|教学|授课|学习|办班|教育)?(?:方式|形式|模式)?")


def teaching_way(value: object) -> tuple[str, Told] | None:
    """(the note for the course, a warning) of a 培训方式 cell naming how the class is
    taught, not its mode; None for any other value."""
    shown = text(value)
    if not shown or not _TEACHING.fullmatch(_key(shown)):
        return None
    return f"培训形式：{shown}", Told("way", f"培训方式“{shown}”是授课形式，不是培训方式"
                                            "（订单、定向、委托培训或其他），已记入培训班备注")


def figures(get, way: tuple[str, Told] | None) -> dict:
    """A training row's record keys for its course: 学时 ('_hours') and the class's
    培训补贴 ('_subsidy'), what the course is to be told once ('_course_told') and the
    notes it takes ('_course_notes': a way of teaching ``way``, days written as 学时)."""
    hours_given, hours_told, hours_note = hours(get("hours"))
    subsidy_given, subsidy_told = subsidy(get("subsidy"))
    told = [hours_told, subsidy_told, way and way[1]]
    if get("subsidy_each") != "":
        told.append(PER_HEAD_TOLD)
    notes = [note for note in (way and way[0], hours_note) if note]
    return {"_hours": hours_given, "_subsidy": subsidy_given,
            "_course_told": [t for t in told if t], "_course_notes": notes}
