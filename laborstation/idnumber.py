"""GB 11643 citizen ID numbers (公民身份号码): clean, check, and read sex, birth date and place.

The region data is python-stdnum's GB/T 2260 table (``stdnum/cn/loc.dat``), read once.
We do not call ``stdnum.cn.ric.validate`` itself: it is ~100 µs a call (it walks the
table every time), and it rejects real numbers whose county code was created after
the holder's birth year (e.g. 范县 410926 dates from 1983, yet people born in 1970
hold 410926… numbers: the region is where the number was issued, not where the
person was born). Here a region code is refused only if it is unknown, or was
abolished before the holder was born (the number cannot have been issued then).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from stdnum import numdb

from laborstation.errors import InvalidIdNumber

__all__ = [
    "IdInfo",
    "age_at",
    "check_digit",
    "is_valid",
    "make_id",
    "mask",
    "normalise",
    "parse",
    "parse_fields",
    "sex_name",
]

_MIN_BIRTH = date(1900, 1, 1)
_STARTED = date.today()  # any birth up to this day is not in the future

# Full-width digits and Latin letters to ASCII; zero-width characters and the BOM
# (which str.split() does not count as white space) deleted.
_FOLD = {0xFF10 + i: 0x30 + i for i in range(10)}
_FOLD.update({0xFF21 + i: 0x41 + i for i in range(26)})
_FOLD.update({0xFF41 + i: 0x41 + i for i in range(26)})
_FOLD.update(dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)))

# What Excel (or a reader of an Excel number cell) turns an 18-digit number into.
_EXCEL_NUMBER = re.compile(r"\d+(?:\.\d*)?(?:E[+-]?\d+)?")

# 港澳台居民居住证 numbers (GB 11643 form since 2018); not in stdnum's table.
_SPECIAL_REGIONS = {"810000": "香港特别行政区", "820000": "澳门特别行政区", "830000": "台湾省"}
# Level names that say nothing about a place (also any '…直辖…单位').
_FILLER_NAMES = frozenset({"市辖区", "县"})


@dataclass(frozen=True, slots=True)
class IdInfo:
    number: str  # normalised, 18 characters
    sex: str  # GB/T 2261.1: '1' male, '2' female
    birth_date: date
    region_code: str  # the first 6 digits (GB/T 2260)
    birth_place: str  # e.g. '河南省濮阳市范县'; '' if unknown


def _clean(raw: object) -> str:
    """Spaces of any width out, full-width to ASCII, upper case. No 15→18 step."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)  # an int or float from a spreadsheet
    if text.isascii() and text.isalnum():
        return text.upper()
    return _unwrapped("".join(text.translate(_FOLD).split()).upper())


def _unwrapped(text: str) -> str:
    """A number without the marks other programs add to keep it text: Excel's leading
    apostrophe ('410926…), and the formula ="410926…" of exported CSV files."""
    for start, end in (("'", ""), ("＇", ""), ("‘", ""), ("’", ""), ('="', '"'), ("=“", "”"),
                       ("＝＂", "＂")):
        if text.startswith(start) and text.endswith(end) and len(text) > len(start) + len(end):
            return text[len(start):len(text) - len(end)]
    if text.endswith(".0") and len(text) in (17, 20) and text[:-3].isdigit():
        return text[:-2]  # 410926199701061042.0: a whole number written out by a program
    return text


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits (weights 2^(17-i) mod 11).

    ``int(s, 13)`` does the weighted sum in C: 13 ≡ 2 (mod 11), the stdnum trick.
    """
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError(f"check_digit needs 17 digits, got {first17!r}")
    return _CHECK[(1 - 2 * int(first17, 13)) % 11]


_CHECK = "0123456789X"


def _upgrade15(number: str) -> str:
    if len(number) == 15 and number.isascii() and number.isdigit():
        first17 = number[:6] + "19" + number[6:]
        return first17 + check_digit(first17)
    return number


def normalise(raw: str) -> str:
    """The number as it should be stored: no spaces, ASCII, upper-case X, 18 digits.

    Old 15-digit numbers (YYMMDD, no check digit) become 18 digits. Nothing else is
    checked: use ``parse`` for that.
    """
    return _upgrade15(_clean(raw))


@cache
def _date8(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _year_range(name: str) -> tuple[int, int, str]:
    """'[1983-2019]桥东区' -> (1983, 2019, '桥东区'); open ends become 0 and 9999."""
    if not name.startswith("["):
        return 0, 9999, name
    span, _, plain = name[1:].partition("]")
    start, _, end = span.partition("-")
    return int(start or 0), int(end or 9999), plain


@cache
def _names(region6: str) -> tuple[str, tuple[tuple[int, int, str], ...]] | None:
    """(province name, ((from year, to year, county name), ...)) or None if unknown."""
    parts = numdb.get("cn/loc").info(region6)
    if len(parts) < 2 or "county" not in parts[1][1]:
        return None
    province = parts[0][1].get("province", "")
    return province, tuple(_year_range(n) for n in parts[1][1]["county"].split(","))


def _name_at(names: tuple[tuple[int, int, str], ...], year: int) -> str | None:
    """The name in force in ``year``, or the first one after it; None if all ended before."""
    for _start, end, name in names:
        if end >= year:
            return name
    return None


@cache
def _place(region6: str, year: int) -> str | None:
    """The place name for a number issued to someone born in ``year``; None = invalid code."""
    if region6 in _SPECIAL_REGIONS:
        return _SPECIAL_REGIONS[region6]
    found = _names(region6)
    if found is None:
        return None
    province, names = found
    county = _name_at(names, year)
    if county is None:
        return None
    parts = [province]
    if region6[4:] != "00":  # a county: add its prefecture (e.g. 濮阳市 for 范县)
        prefecture = _names(region6[:4] + "00")
        if prefecture is not None:
            parts.append(_name_at(prefecture[1], year) or prefecture[1][-1][2])
    parts.append(county)
    kept: list[str] = []
    for part in parts:
        if part and part not in _FILLER_NAMES and "直辖" not in part and part not in kept:
            kept.append(part)
    return "".join(kept)


def _fail(shown: str, reason: str, why: str) -> InvalidIdNumber:
    return InvalidIdNumber(f"身份证号 {shown} {why}", reason)


def _shape_error(shown: str, number: str) -> InvalidIdNumber:
    """Why a cleaned number is not 18 characters of digits with an optional final X."""
    if not number:
        return InvalidIdNumber("身份证号为空。", "length")
    if ("." in number or "E" in number) and _EXCEL_NUMBER.fullmatch(number):
        return _fail(
            shown,
            "characters",
            "被 Excel 当成数字保存了，后几位已经丢失，无法还原："
            "请把这一列的单元格格式设为“文本”，再重新输入这些身份证号。",
        )
    bad = "".join(dict.fromkeys(c for c in number if not ("0" <= c <= "9" or c == "X")))
    if bad:
        return _fail(shown, "characters", f"含有无效字符「{bad}」：只能是数字，最后一位可以是 X。")
    if "X" in number[:-1]:
        return _fail(shown, "characters", "含有无效字符：X 只能是最后一位。")
    if len(number) == 15:  # digits, yet not upgraded: an X at the end
        return _fail(shown, "characters", "含有无效字符：15 位的旧号码只有数字，没有 X。")
    return _fail(shown, "length", f"位数不对：有 {len(number)} 位，应为 18 位（旧号码为 15 位）。")


def parse(raw: str, *, today: date | None = None) -> IdInfo:
    """Check a number and read it; raises InvalidIdNumber with a Chinese message and a reason.

    Reasons, checked in this order: 'characters' / 'length', 'birth_date', 'region',
    'check_digit'. ``today`` bounds the birth date (defaults to the real today).
    """
    return IdInfo(*parse_fields(raw, today=today))


_LAST = frozenset("0123456789Xx")
# The first 14 digits (region and birth date) of numbers found valid: a ledger's people
# share them (born the same day in the same county), and one look-up replaces checking
# the date and the region again (~0.3 µs of ~1.3 µs a number). Births up to the day the
# program started only: a later one is checked against each day's date.
_HEADS: dict[str, tuple[date, str, str]] = {}
_HEADS_KEPT = 100_000


def _checked_head(shown: str, number: str, today: date | None) -> tuple[date, str, str]:
    """(birth date, region code, birth place) of a number's first 14 digits, checked."""
    birth = _date8(number[6:14])
    if birth is None:
        if sum(ch.isalnum() for ch in shown) == 15:  # (read as an old number: 19 put in)
            raise _fail(shown, "birth_date", f"出生日期无效：按 15 位的旧号码，第 7–12 位"
                        f"“{number[8:14]}”应是出生年月日，不是真实的日期。如果这是少了几位的 "
                        "18 位号码，请补全后再导入。")
        raise _fail(shown, "birth_date", f"出生日期无效：{number[6:14]} 不是真实的日期。")
    if birth < _MIN_BIRTH:
        raise _fail(shown, "birth_date", f"出生日期无效：{birth.isoformat()} 早于 1900 年。")
    # date.today() costs as much as the rest of parse(): ask only for very recent births.
    if birth > (today or _STARTED) and birth > (today or date.today()):
        raise _fail(shown, "birth_date", f"出生日期无效：{birth.isoformat()} 晚于今天。")
    region = number[:6]
    place = _place(region, birth.year)
    if place is None:
        found = _names(region)
        if found is None:
            why = f"地区码无效：前 6 位 {region} 不是 GB/T 2260 的行政区划代码。"
        else:
            last = max(end for _start, end, _name in found[1])
            why = f"地区码无效：{region} 在 {last} 年已撤销，不会用于 {birth.year} 年出生的人。"
        raise _fail(shown, "region", why)
    return birth, region, place


def parse_fields(raw: str, *, today: date | None = None) -> tuple[str, str, date, str, str]:
    """``parse`` as a plain tuple (number, sex, birth_date, region_code, birth_place).

    For bulk imports: making the frozen ``IdInfo`` costs ~1 µs, a third of the whole check.
    """
    if (raw.__class__ is str and len(raw) == 18 and raw.isascii() and raw[:17].isdigit()
            and raw[17] in _LAST):
        # The common case, already clean and of the right shape (saves ~0.3 µs a number).
        shown = number = raw if raw[17] != "x" else raw.upper()
    else:
        shown = _clean(raw)
        number = _upgrade15(shown)
        if not (
            len(number) == 18
            and number[:17].isdigit()
            and number.isascii()
            and (number[17] == "X" or number[17].isdigit())
        ):
            raise _shape_error(shown, number)
    head = number[:14]
    known = _HEADS.get(head) if today is None else None
    if known is None:
        birth, region, place = _checked_head(shown, number, today)
        if today is None and birth <= _STARTED:
            if len(_HEADS) >= _HEADS_KEPT:
                _HEADS.clear()
            _HEADS[head] = (birth, region, place)
    else:
        birth, region, place = known
    expected = _CHECK[(1 - 2 * int(number[:17], 13)) % 11]
    if number[17] != expected:
        why = f"校验位错误：最后一位应为 {expected}，现在是 {number[17]}，请核对是否抄错。"
        if number.endswith("000"):
            why += (
                "如果号码来自 Excel，可能被当成数字保存而丢了后几位：请把该列设为“文本”后重新输入。"
            )
        raise _fail(shown, "check_digit", why)
    sex = "1" if number[16] in "13579" else "2"
    return number, sex, birth, region, place


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except InvalidIdNumber:
        return False
    return True


def age_at(birth: date, at: date) -> int:
    """Age in full years on ``at``, counting the birthday itself.

    A 29 February birthday falls on 28 February in other years (the month-end rule
    of 民法典 第二百零二条 for a period without a corresponding day).
    """
    month, day = birth.month, birth.day
    if (month, day) == (2, 29) and not _is_leap(at.year):
        day = 28
    return at.year - birth.year - ((at.month, at.day) < (month, day))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def sex_name(code: str | int | None) -> str:
    """'1' -> '男', '2' -> '女' (GB/T 2261.1); anything else -> ''."""
    return {"1": "男", "2": "女"}.get(str(code).strip() if code is not None else "", "")


def make_id(region6: str, birth: date, seq3: int, male: bool) -> str:
    """A valid 18-digit number; ``seq3``'s last bit is set from the sex (odd = male)."""
    if len(region6) != 6 or not (region6.isascii() and region6.isdigit()):
        raise ValueError(f"region6 must be 6 digits, got {region6!r}")
    if not 0 <= seq3 <= 999:
        raise ValueError(f"seq3 must be 0..999, got {seq3}")
    seq = seq3 - seq3 % 2 + (1 if male else 0)
    first17 = f"{region6}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def mask(number: str) -> str:
    """For viewers: '410926********1234' (first 6 and last 4 shown)."""
    text = normalise(number)
    if len(text) < 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]
