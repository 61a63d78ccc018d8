"""A wage as clerks write it (4500, 4500元, 4000-5000, 年5万, 0.45 under 月收入（万元）) →
yuan a month. A wage is optional: what is not a monthly amount is not recorded, with a
warning, never refused."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from laborstation.importing.chinese_numbers import chinese_number
from laborstation.importing.values import text


@dataclass(frozen=True, slots=True)
class WageColumn:
    """What a wage column's header says of its numbers: 工资（元/年） holds yearly amounts,
    月收入（万元） ten-thousands of yuan (``wage_column``)."""

    yearly: bool = False
    scale: int = 1
    per: str = ""  # 日薪 or 时薪: 工资（元/天） holds no monthly amounts, none is recorded

    @property
    def shown(self) -> str:
        """How the plan tells the clerk the column is read."""
        if self.per:
            return f"（表头为{self.per}，无法折算为月收入，不导入）"
        unit = "万元" if self.scale != 1 else "元"
        return f"（表头为{'每年' if self.yearly else '每月'}{unit}，折算为每月元）"

    def written(self, value: object) -> object:
        """A plain number of this column as a text naming its unit (5.4 under 年收入（万元）
        is 年收入5.4万), to be read right in a column of another unit; other values as
        they are."""
        if self == MONTHLY or isinstance(value, bool):
            return value
        if isinstance(value, str):  # ('6', as a text cell holds it)
            number = unicodedata.normalize("NFKC", value).strip()
            if not _PLAIN_NUMBER.fullmatch(number):
                return value
        elif isinstance(value, int | float):
            number = f"{value:f}".rstrip("0").rstrip(".") if isinstance(value, float) \
                else str(value)
        else:
            return value
        if self.per:
            return f"{self.per}{number}"
        return f"{'年收入' if self.yearly else ''}{number}{'万' if self.scale != 1 else '元'}"


MONTHLY = WageColumn()


def header_key(title: str) -> str:
    """A header, or a cell's text, as its words and unit are read from: NFKC, no spaces,
    lower case (月收入（万元） → 月收入(万元)); also ``course_cells``."""
    return "".join(unicodedata.normalize("NFKC", title or "").casefold().split())


def wage_column(title: str) -> WageColumn:
    """The unit a wage column's header names: a year (年收入, 元/年, 年均) and/or 万元."""
    key = header_key(title)
    per = next((label for word, label in _NOT_MONTHLY if word in key), "")
    if per:
        return WageColumn(per=per)
    yearly = "年" in key and "月" not in key
    return WageColumn(yearly, 10000 if "万" in key else 1)


def wage(value: object, warnings: list[str], column: WageColumn = MONTHLY) -> Decimal | None:
    """Yuan a month: 4500, '4500元', '5千', '0.5万', '4000-5000' (the mid-point, with a
    warning), '2万/年' and '年5万' (÷12, with a warning), '半年3万' (÷6). The wage is
    optional: what is not a monthly amount (面议, 日薪200, 0, 45000000) is not recorded,
    with a warning; never refused. A plain number follows the ``column``'s unit."""
    if value is None or value == "":
        return None
    if value.__class__ is str:  # (a roster writes the same few texts again and again)
        amount, told = _wage_of_str(value, column)
        warnings += told
        return amount
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _plain(Decimal(str(value)), value, warnings, column)
    return _wage_text(str(value).strip(), value, warnings, column)


@lru_cache(maxsize=4096)
def _wage_of_str(value: str, column: WageColumn) -> tuple[Decimal | None, tuple[str, ...]]:
    """``wage`` of a text, and its warnings."""
    warnings: list[str] = []
    raw = unicodedata.normalize("NFKC", value).strip()
    if _PLAIN_NUMBER.fullmatch(raw):  # '4500', '0.45' (also full-width)
        return _plain(Decimal(raw), value, warnings, column), tuple(warnings)
    return _wage_text(value.strip(), value, warnings, column), tuple(warnings)


def _plain(amount: Decimal, value: object, warnings: list[str],
           column: WageColumn) -> Decimal | None:
    """A plain number, in the unit of its column (a year, 万元: the import's plan shows
    the header's unit, no warning on every row), as yuan a month."""
    if column.per:  # (the plan says so of the column: ``WageColumn.shown``)
        return None
    amount *= column.scale
    if column.yearly and amount > 0:
        amount = (amount / 12).quantize(Decimal(1), ROUND_HALF_UP)
    return _monthly(amount, value, warnings)


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_AMOUNT = r"(\d+(?:\.\d+)?)\s*(万|千|仟|k|w)?"
_WAGE_RANGE = re.compile(_AMOUNT + r"\s*元?\s*[-~～至到—–/]+\s*" + _AMOUNT)  # (4000元-5000元)
_YEAR = re.compile(r"(?:19|20)\d\d(?=年)")  # the year of 2025年月均4500, 2026年收入5万: no amount
_WAGE_AMOUNT = re.compile(r"(-\s*)?" + _AMOUNT)
_AMOUNTS = re.compile(r"\d+(?:\.\d+)?")
_TWO_AMOUNTS = re.compile(r"\d\s+\d")
_UNITS = {None: 1, "万": 10000, "w": 10000, "千": 1000, "仟": 1000, "k": 1000}
# A wage for a year is turned into one for a month; one for a day or an hour is not (how
# many days a month were worked is not known).
_YEARLY = ("年薪", "年收入", "年工资", "/年", "每年", "一年", "全年", "年均", "年入", "元年")
_HALF_YEAR = ("半年",)
_NOT_MONTHLY = (("日薪", "日薪"), ("日工资", "日薪"), ("日结", "日薪"), ("/天", "日薪"),
                ("/日", "日薪"), ("每天", "日薪"), ("每日", "日薪"), ("一天", "日薪"),
                ("元天", "日薪"), ("按天", "日薪"), ("时薪", "时薪"), ("小时", "时薪"))
_MOST_A_MONTH = Decimal(100000)
_DOUBTFUL_A_MONTH = Decimal(30000)  # more is recorded, with a warning: a year's, maybe
_SMALL_A_MONTH = Decimal(100)  # less is recorded, with a warning: 万元 or 千元, maybe
_CENT = Decimal("0.01")


# A unit followed by the next place's digit, as said aloud: 4千5, 1万2, 1万5千.
_NEXT_DIGIT = re.compile(r"(\d+)(万|千|仟)(\d)(千|仟)?(?![\d.])")
_NEXT_PLACE = {"万": 1000, "千": 100, "仟": 100}


# An amount in Chinese numerals with a place in it (四千五, 一万二, 三千五百, 两千): read as
# digits. A numeral without a place (五险一金), or a place after digits (5万), is left alone.
_CHINESE_AMOUNT = re.compile(
    r"(?<![\d.])(?=[零一二两三四五六七八九十]*[百千万])[零一二两三四五六七八九十百千万]+")  # (not 5万)


def _chinese_amount(found: re.Match) -> str:
    """四千五 → 4500 (``chinese_number`` as an amount is said); the text as it was when it
    is no such number."""
    value = chinese_number(found.group(), spoken=True)
    return str(value) if value else found.group()


def _spelled_out(found: re.Match) -> str:
    whole, unit, digit, thousands = found.groups()
    value = int(whole) * _UNITS[unit] + int(digit) * (1000 if thousands else _NEXT_PLACE[unit])
    return str(value)


def _wage_text(raw: str, value: object, warnings: list[str],
               column: WageColumn) -> Decimal | None:
    try:
        return _wage_of_text(raw, value, warnings, column)
    except InvalidOperation:  # (digits beyond what a Decimal can round: no wage)
        warnings.append(f"月收入“{text(value)}”不是合理的金额，未记录")
        return None


def _wage_of_text(raw: str, value: object, warnings: list[str],
                  column: WageColumn) -> Decimal | None:
    spaced = unicodedata.normalize("NFKC", raw).replace(",", "").casefold()
    if _TWO_AMOUNTS.search(spaced):  # (4500 5000: not 45005000)
        warnings.append(f"月收入“{value}”写了两个金额，未记录：请只写一个月收入"
                        "（一个范围请写作 4500-5000）")
        return None
    key = "".join(spaced.split())
    key = _YEAR.sub("", key)
    key = _CHINESE_AMOUNT.sub(_chinese_amount, key)  # 四千五 is 4500
    if len(_AMOUNTS.findall(key)) > 2 and _WAGE_RANGE.search(key):  # 4500-5000-6000
        warnings.append(f"月收入“{value}”写了两个以上的金额，未记录：请只写一个月收入"
                        "（一个范围请写作 4500-5000）")
        return None
    key = _NEXT_DIGIT.sub(_spelled_out, key)  # 4千5 is 4500, 1万2 12000, 1万5千 15000
    for word, label in _NOT_MONTHLY:
        if word in key:
            warnings.append(f"月收入“{value}”是{label}，无法折算为月收入，未记录")
            return None
    span, unit = _WAGE_RANGE.search(key), None
    if span:
        low, low_unit, high, high_unit = span.groups()
        if low_unit is None and high_unit is not None and Decimal(low) < Decimal(high):
            low_unit = high_unit  # 4-5千: both in thousands
        elif low_unit is high_unit is None and 1 <= Decimal(low) < 10 \
                and 1000 <= Decimal(high) < 20000 and Decimal(low) * 1000 < Decimal(high):
            low_unit = "千"  # 3-4000: 3000 to 4000, the thousands written once (not 300-400)
        amount = (Decimal(low) * _UNITS[low_unit] + Decimal(high) * _UNITS[high_unit]) / 2
        amount = amount.quantize(_CENT)
        warnings.append(f"月收入“{value}”是一个范围，按中间值 {amount:f} 元计")
    else:
        found = _WAGE_AMOUNT.search(key)
        if found is None:
            warnings.append(f"月收入“{value}”没有写金额，未记录")
            return None
        minus, number, unit = found.groups()
        amount = Decimal(number) * _UNITS[unit] * (-1 if minus else 1)
    if column.scale != 1 and unit is None and span is None and "元" not in key:
        amount *= column.scale  # '0.45万' written as '0.45' under 月收入（万元）
    months = 1
    if any(word in key for word in _HALF_YEAR):
        months, what = 6, "半年的收入，已除以 6"
    elif any(word in key for word in _YEARLY) or ("月" not in key and (
            key.startswith("年") or column.yearly)):  # (年月均4500: a month's)
        months, what = 12, "年收入，已除以 12"
    if months != 1 and amount > 0:
        amount = (amount / months).quantize(Decimal(1), ROUND_HALF_UP)
        if amount <= _MOST_A_MONTH:
            warnings.append(f"月收入“{value}”是{what}，按每月 {amount:f} 元计")
    return _monthly(amount, value, warnings)


def _monthly(amount: Decimal, value: object, warnings: list[str]) -> Decimal | None:
    if amount.is_finite() and 0 < amount <= _MOST_A_MONTH:
        if amount > _DOUBTFUL_A_MONTH:
            warnings.append(f"月收入“{text(value)}”超过每月 3 万元，请核对是不是年收入"
                            "（年收入请写作“年收入5万”或在表头注明“元/年”）")
        elif amount < _SMALL_A_MONTH:
            warnings.append(f"月收入“{text(value)}”不到每月 100 元，请核对单位是不是万元或千元"
                            "（请写作“0.45万”“4.5千”或在表头注明“万元”）")
        return amount.quantize(_CENT)
    if not amount.is_finite() or amount <= 0:
        warnings.append(f"月收入“{text(value)}”不是大于 0 的金额，未记录")
    else:
        warnings.append(f"月收入“{text(value)}”超过每月 10 万元，不像是月收入，未记录")
    return None
