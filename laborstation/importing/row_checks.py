"""Checks of a row's cells that every kind makes: text cut to fit its column, an ID
number Excel may have shortened, a 性别 cell against the ID number's sex."""

from __future__ import annotations

import re

from laborstation.importing import values as v
from laborstation.importing.result import Item

_SEX_NAMES = {"1": "男", "2": "女"}


def clip(text: str, limit: int, what: str, item: Item) -> str:
    """``text`` within ``limit`` characters, with a warning when cut; 联系电话 keeps whole
    numbers (cut after the last one that fits)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if what == "联系电话" and text[limit].isdigit():
        cut = cut[:max(cut.rfind(c) for c in " ,，、;；/") + 1].rstrip(" ,，、;；/") or cut
    item.warn(f"{what}超过 {limit} 个字，已截断为“{cut}”")
    return cut


def excel_shortened(number: str, item: Item) -> None:
    """A warning for an ID number ending in 000: the mark of one Excel kept as a number,
    which keeps 15 digits; 1 in 11 such numbers still has a right check digit."""
    if number.endswith("000"):
        item.warn(f"身份证号 {number} 最后三位是 000：如果这一列曾被 Excel 当成数字保存，"
                  "后几位已经丢失，请与身份证核对")


_EXCEL_EXPONENT = re.compile(r"\d(?:\.\d+)?E\+\d+")  # (as Excel shows it: 1.39371E+10)


def phone_digits_lost(phone: str, item: Item) -> bool:
    """Whether a 联系电话 is one Excel showed as 1.39371E+10 (and a CSV saved so): its last
    digits are gone, so it is told and not imported, as an ID number so shortened is."""
    if _EXCEL_EXPONENT.fullmatch(phone) is None:
        return False
    item.warn(f"联系电话“{phone}”被 Excel 存成了科学计数法，后几位已经丢失，未导入：请把这一列设为"
              "“文本”后重新输入电话号码")
    return True


def check_sex(given: object, sex: str, item: Item) -> None:
    found = v.sex(given)
    if found is None:
        item.warn(f"性别“{given}”无法识别，按身份证号记为{_SEX_NAMES[sex]}")
    elif found != sex:
        item.warn(f"性别“{given}”与身份证号不符，按身份证号记为{_SEX_NAMES[sex]}")
