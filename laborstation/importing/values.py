"""Cell values as clerks type them → typed values. A refused value raises ``BadValue``.

Fast paths first: these run for every cell of a 250,000-row ledger.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from laborstation import idnumber
from laborstation.codes import code_list
from laborstation.errors import InvalidIdNumber


class BadValue(Exception):
    """A value that makes the row unusable; ``str()`` is the Chinese reason."""


_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*[日号]?)?\s*月?")
_YEAR_ONLY = re.compile(r"(\d{4})\s*年?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})?")


def digits_lost(value: object) -> str | None:
    """A number of 16 digits or more as Excel shows it (4.10926E+17), when a code column's
    cell holds one: Excel keeps 15 digits of a number, the rest are lost. None otherwise."""
    if value.__class__ is str or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return f"{value:.5E}" if abs(value) >= 1e15 else None


def text(value: object) -> str:
    """A cell as trimmed text ('' for empty); a whole float loses its '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        return value if value.isprintable() else printable(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


# Control characters (a vertical tab or form feed pasted from Word) become spaces: kept,
# they would break every workbook written later with the value (openpyxl refuses them).
_CONTROLS = {code: " " for code in (*range(32), *range(127, 160))}


def printable(value: str) -> str:
    """Text without control characters, and with runs of white space inside as one
    space, as the program's forms store it (``str.isprintable`` first: the common case)."""
    return " ".join(value.translate(_CONTROLS).split())


def id_number(value: object) -> idnumber.IdInfo:
    """A citizen ID number; an 18-digit number Excel stored as a float cannot be recovered."""
    return idnumber.IdInfo(*id_fields(value))


def id_fields(value: object) -> tuple[str, str, date, str, str]:
    """``id_number`` as a plain tuple (see ``idnumber.parse_fields``), for a whole ledger."""
    # A str is asked first: the union isinstance alone costs 0.2 µs a row.
    if value.__class__ is not str and isinstance(value, float | int) and not isinstance(value, bool):
        if value >= 1e16:
            shown = f"{value:.5E}".replace("E+", "E+")
            raise BadValue(
                f"身份证号 {shown} 被 Excel 当成数字保存了，后几位已经丢失，无法还原："
                "请把这一列的单元格格式设为“文本”，再重新输入这些身份证号。"
            )
        value = str(int(value))
    try:
        return idnumber.parse_fields(value)
    except InvalidIdNumber as error:
        raise BadValue(str(error)) from error


_SHORT_YEAR_DATE = re.compile(r"\d{1,2}(?:[./-]\d{1,2}){1,2}")
_FIRST_SERIAL = 367  # 1901-01-01: a smaller serial is no date of a villager's life


def _excel_serial(number: float, what: str, raw: str) -> date:
    """The day an Excel date serial stands for; ``raw``: the value as written, for the
    refusal (24.3 is no serial of 1900 but a year written short)."""
    if not _FIRST_SERIAL <= number < 200000:
        if _SHORT_YEAR_DATE.fullmatch(raw.strip()):
            raise BadValue(f"{what}“{raw}”无法识别：年份要写全 4 位（如 2024.3 或 2024.3.15）")
        raise _not_a_date(raw, what)
    return _EXCEL_EPOCH + timedelta(days=int(number))


# 24.03.15, 24-3-15, 24年3月15日: a year of two digits, with a month and a day.
_TWO_DIGIT_YEAR = re.compile(
    r"(\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
# 2024年3-4月, 2024年3月至4月: months, not a day.
_MONTH_RANGE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月?\s*(?:-|至|到|~|—+|–)\s*(\d{1,2})\s*月份?")
# A span of months with their years: 2026.3-2026.8, 2025.11至2026.2 (whole months).
_MONTHS_WITH_YEARS = re.compile(r"(\d{4})\s*[./年]\s*(\d{1,2})\s*月?\s*(?:-|至|到|~|—+|–)\s*"
                                r"(\d{4})\s*[./年]\s*(\d{1,2})\s*月?")
# A span of days: 2024.3.1-3.10, 2024年3月1日至3月10日, 2024.03.01—2024.03.10, 2024.3.1~3.10
# ('-' only after a day written with . / or 年: 2024-03-01 is one day).
_SPAN = re.compile(r"(.+?)\s*(?:至|到|~|—+|–)\s*(.+)")
_SPAN_HYPHEN = re.compile(r"(\d{4}\s*[./年]\s*\d{1,2}\s*[./月]\s*\d{1,2}\s*[日号]?)\s*-+\s*(.+)")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*[日号]?")
_DAY_ONLY = re.compile(r"(\d{1,2})\s*[日号]?")
# A span's length after it, 2025.3.1-3.10（10天）; a span of two 8-digit days.
_DAYS_AFTER = re.compile(r"\s*[（(]\s*(共\s*)?\d+\s*(天|日|个?工作日|课时|学时)\s*[)）]\s*$")
_DIGIT_SPAN = re.compile(r"(\d{8})\s*(?:-+|至|到|~|—+|–)\s*(\d{8})")
# A span of days without its year: 3.1-3.15, 3月1日至15日.
_NO_YEAR_SPAN = re.compile(r"\d{1,2}\s*[./月]\s*\d{1,2}\s*[日号]?\s*(?:-|至|到|~|—+|–)\s*"
                           r"\d{1,2}(?:\s*[./月]\s*\d{1,2})?\s*[日号]?")
NOW_WORDS = frozenset({"今", "现在", "目前", "今天", "当前"})  # the end of 2024.3至今


def day_range(value: object, what: str = "日期") -> tuple[date, date] | None:
    """(first day, last day) of a span written in one cell: 2024.3.1-2024.3.10,
    2024.3.1-3.10, 2024年3月1日至3月10日, 2024年3-4月 (whole months); None for anything
    else (one date, a number, a blank)."""
    if value.__class__ is not str or not value:
        return None
    cleaned = unicodedata.normalize("NFKC", value).strip()
    months = _MONTH_RANGE.fullmatch(cleaned)
    if months is not None:
        year, first, last = (int(x) for x in months.groups())
        if not (1 <= first <= 12 and 1 <= last <= 12):
            raise BadValue(f"{what}“{value}”不是真实的月份")
        try:
            last_year = year + (last < first and _over_new_year(first, last))  # 2025年11-2月
            end = date(last_year + (last == 12), last % 12 + 1, 1) - timedelta(days=1)
            return _checked_span(date(year, first, 1), end, value, what)
        except ValueError:
            raise BadValue(f"{what}“{value}”不是真实的月份") from None
    years = _MONTHS_WITH_YEARS.fullmatch(cleaned)
    if years is not None:
        first_year, first, last_year, last = (int(x) for x in years.groups())
        try:
            end = date(last_year + (last == 12), last % 12 + 1, 1) - timedelta(days=1)
            return _checked_span(date(first_year, first, 1), end, value, what)
        except ValueError:
            raise BadValue(f"{what}“{value}”不是真实的月份") from None
    cleaned = _DAYS_AFTER.sub("", cleaned)  # 2025.3.1-3.10（10天）
    if (digits := _DIGIT_SPAN.fullmatch(cleaned)) is not None:  # 20250301-20250310
        return _checked_span(_from_text(digits.group(1), what), _from_text(digits.group(2), what),
                             value, what)
    if _NO_YEAR_SPAN.fullmatch(cleaned):
        raise BadValue(f"{what}“{value}”没有写年份：请把年份写上，如 {date.today().year}.3.1-3.15")
    found = _SPAN.fullmatch(cleaned) or _SPAN_HYPHEN.fullmatch(cleaned)
    if found is None:
        return None
    left, right = found.groups()
    try:
        start = _from_text(left, what)
    except BadValue:
        return None
    try:
        if right in NOW_WORDS:  # 2024.3至今: up to today
            end = max(date.today(), start)
        elif (short := _MONTH_DAY.fullmatch(right)) is not None:
            month = int(short.group(1))  # 2025.12.28-1.5: over the new year
            wraps = month < start.month and _over_new_year(start.month, month)
            end = date(start.year + wraps, month, int(short.group(2)))
        elif (only := _DAY_ONLY.fullmatch(right)) is not None:
            end = date(start.year, start.month, int(only.group(1)))
        else:
            end = _from_text(right, what)
    except (BadValue, ValueError):
        raise BadValue(f"{what}“{value}”的结束日期无法识别") from None
    return _checked_span(start, end, value, what)


def _over_new_year(first: int, last: int) -> bool:
    """A span written with the year only before its first month, from month ``first`` to
    an earlier month ``last``, goes over the new year when that makes it under half a
    year (12.28-1.5); else it is a slip (5.1-3.1) and refused as ending before it starts."""
    return (last - first) % 12 < 6


def _checked_span(start: date, end: date, raw: str, what: str) -> tuple[date, date]:
    if end < start:
        raise BadValue(f"{what}“{raw}”的结束日期早于开始日期")
    return start, end


def _short_year(match: re.Match, raw: str, what: str) -> tuple[date, str]:
    """A date whose year has two digits: this century's, unless that is in the future."""
    short, month, dd = (int(x) for x in match.groups())
    year = 2000 + short if 2000 + short <= date.today().year else 1900 + short
    try:
        found = date(year, month, dd)
    except ValueError:
        raise BadValue(f"{what}“{raw}”不是真实的日期") from None
    return found, f"{what}“{raw}”的年份只写了两位，按 {found.isoformat()} 记，请核对"


def day(value: object, what: str = "日期", warnings: list[str] | None = None) -> date | None:
    """Dates as Excel gives them or as typed; a month alone (2026.3, 202603) → its first day.

    A year alone (2026) is refused. ``warnings`` gets a doubt worth checking: 2026.1 from
    a number cell may be 2026.10 that Excel shortened.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise BadValue(f"{what}“{value}”无法识别")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            # 2026.3 typed in a number cell: a year and a month
            shown = repr(value)
            found = _from_text(shown, what)
            if warnings is not None and shown.endswith(".1") and found.month == 1:
                warnings.append(_october_doubt(shown, found.year, what))
            return found
        number = int(value)
        if 190001 <= number <= 210012 or 19000101 <= number <= 21001231:
            return _from_text(str(number), what)
        if _FIRST_YEAR <= number <= _LAST_YEAR:
            raise _year_only(str(number), what)
        return _excel_serial(number, what, str(number))
    found, doubt = _text_day(str(value), what)
    if doubt is not None:
        if warnings is None:  # (a span, a year of two digits: taken only with a warning)
            raise BadValue(f"{what}“{value}”不是一个完整的日期（可写作 2026-03-01 或 "
                           "2026年3月1日）")
        warnings.append(doubt)
    return found


@lru_cache(maxsize=4096)
def _text_day(raw: str, what: str) -> tuple[date, str | None]:
    """A date typed as text, and the doubt to tell of it (None: none)."""
    short = _TWO_DIGIT_YEAR.fullmatch(unicodedata.normalize("NFKC", raw).strip())
    if short is not None:
        return _short_year(short, raw, what)
    span = day_range(raw, what)
    if span is not None:  # one date was wanted: the span's first day
        return span[0], f"{what}“{raw}”是一段时间，按开始的 {span[0].isoformat()} 记"
    return _from_text(raw, what), None


# A number between these is a year, not an Excel serial (which would be a day of 1905).
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


def _year_only(raw: str, what: str) -> BadValue:
    return BadValue(f"{what}“{raw}”只有年份，缺少月份（可写作 2026-03-01、2026年3月1日 或 2026.3）")


def _not_a_date(raw: str, what: str) -> BadValue:
    return BadValue(f"{what}“{raw}”无法识别（可写作 2026-03-01、2026年3月1日 或 2026.3）")


def _october_doubt(shown: str, year: int, what: str) -> str:
    return (f"{what}“{shown}”按 {year}年1月 记；也可能是 {shown}0（Excel 会去掉小数末尾的 0），"
            f"即 {year}年10月，请核对")


@lru_cache(maxsize=4096)
def _from_text(raw: str, what: str) -> date:
    cleaned = unicodedata.normalize("NFKC", raw).strip().removesuffix("份")  # 2024年3月份
    match = _DATE_TEXT.fullmatch(cleaned) or _COMPACT.fullmatch(cleaned)
    if match is None:
        stamp = cleaned.split(" ")[0].split("T")[0]
        match = _DATE_TEXT.fullmatch(stamp)
    if match is None:
        year = _YEAR_ONLY.fullmatch(cleaned)
        if year is not None and _FIRST_YEAR <= int(year.group(1)) <= _LAST_YEAR:
            raise _year_only(raw, what)
        if cleaned.replace(".", "", 1).isdigit():
            return _excel_serial(float(cleaned), what, raw)
        raise _not_a_date(raw, what)
    year, month, dd = int(match.group(1)), int(match.group(2)), match.group(3)
    try:
        return date(year, month, int(dd) if dd else 1)
    except ValueError:
        raise BadValue(f"{what}“{raw}”不是真实的日期") from None


_YES = frozenset({"是", "有", "y", "yes", "1", "√", "✓", "✔", "已签", "签订", "已签订", "参保",
                  "已参保", "true"})
_NO = frozenset({"否", "无", "n", "no", "0", "×", "✗", "✘", "未签", "未签订", "没有", "未参保", "false"})
# (a tick or 1 under 是否有组织 says 是, as under any 是否 column: ``_YES``, ``_NO``)
_ORGANISED = frozenset({"有组织", "组织", "有组织输出", "组织输出", "是", "有", "劳务输出", "统一组织",
                        "√", "✓", "✔", "1", "y", "yes", "true"})
_SPONTANEOUS = frozenset({"自发", "自谋", "自发外出", "自谋职业", "自主", "自主外出", "否", "个人",
                          "自行外出", "投亲靠友", "非组织", "无组织", "非组织输出", "无组织输出",
                          "×", "✗", "✘", "0", "n", "no", "false"})


def yes_no(value: object, what: str, warnings: list[str]) -> bool | None:
    key = text(value).casefold()
    if not key:
        return None
    if key in _YES:
        return True
    if key in _NO:
        return False
    warnings.append(f"{what}“{value}”应为 是/否，已按“否”处理")
    return False


def organised(value: object, warnings: list[str]) -> bool | None:
    key = "".join(text(value).split()).casefold()
    if not key:
        return None
    if key in _ORGANISED or key.startswith("有组织"):
        return True
    if key in _SPONTANEOUS or key.startswith("自"):
        return False
    # 政府组织, 乡镇组织, 劳务公司组织; through a labour company or an agency
    if ("组织" in key and not any(word in key for word in _NOT_ORGANISED)) or any(
            word in key for word in _THROUGH_AGENCY):
        return True
    warnings.append(f"输出方式“{value}”应为 有组织/自发，已按“自发”处理")
    return False


_NOT_ORGANISED = ("自", "非组织", "无组织", "未组织", "没有组织", "不是组织")
_THROUGH_AGENCY = ("劳务公司", "劳务派遣", "中介")


_SEX = {"男": "1", "女": "2", "1": "1", "2": "2", "男性": "1", "女性": "2", "m": "1", "f": "2"}


def sex(value: object) -> str | None:
    return _SEX.get(text(value).casefold())


_SCHOOLING = re.compile(r"(文化程度|文化|学历|程度|水平)$")  # after a level of schooling
_LABOUR_EXTRA = {"健康": "1", "良好": "1", "正常": "1", "完全": "1", "有劳动能力": "1",
                 "弱劳动力": "2", "半劳动力": "2", "部分丧失": "2", "丧失劳动能力": "3",
                 "无": "3"}


class Codes:
    """Cached code-list lookups: one dict hit per cell after the first occurrence."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], str | None] = {}

    def lookup(self, list_name: str, value: object) -> str | None:
        raw = value if isinstance(value, str) else text(value)
        key = (list_name, raw)
        try:
            return self._cache[key]
        except KeyError:
            pass
        found = code_list(list_name).lookup(raw.strip()) if raw.strip() else None
        code = found.code if found else None
        if code is None and list_name == "labour_capacity":
            code = _LABOUR_EXTRA.get("".join(raw.split()))
        if code is None and list_name == "relation":  # 户主之妻, 户主的儿子: as 之妻, 之儿子
            bare = "".join(raw.split())
            if bare[:3] in ("户主之", "户主的") and len(bare) > 3:
                found = code_list(list_name).lookup("之" + bare[3:])
                code = found.code if found else None
        if code is None and list_name == "education":  # 初中文化, 小学学历, 高中文化程度
            bare = _SCHOOLING.sub("", "".join(raw.split()))
            found = code_list(list_name).lookup(bare) if bare else None
            code = found.code if found else None
        self._cache[key] = code
        return code
