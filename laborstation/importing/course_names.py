"""A training course's name as courses are matched by: ``course_name`` tidies it as it is
stored (spaces, brackets, marks around it), ``course_key`` also sets aside what one class's
name differs in between a roster's title, its 培训班 cell and the county's list."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Brackets of any kind and width → full-width （）, the form the program's own course
# names use (2026年电工培训班（第1期）); a name wholly inside a pair of marks loses them.
_COURSE_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", "【": "（",
                                  "】": "）", "〔": "（", "〕": "）", "{": "（", "}": "）"})
_ENCLOSING = frozenset({"（）", "《》", "“”", '""', "「」", "『』", "‘’", "''"})


@lru_cache(maxsize=4096)
def course_name(raw: str) -> str:
    """A course name as courses are matched by: no spaces of any width, brackets as
    （）, and no marks around the whole name, so '电工 培训班' and '【电工培训班】' are
    '电工培训班'."""
    name = "".join(unicodedata.normalize("NFKC", raw).split()).translate(_COURSE_BRACKETS)
    while (len(name) > 2 and name[0] + name[-1] in _ENCLOSING
           and not any(mark in name[1:-1] for mark in name[0] + name[-1])):
        name = name[1:-1]
    return name


# What a course's name may differ in between a roster's title, its 培训班 cell and the
# county's list, for one class: the year and the township before it, the form of its 期.
_KEY_YEAR = re.compile(r"^(19|20)\d\d年度?")
_KEY_PLACE = re.compile(r"^\S{1,4}?(?:县|市|区)?\S{1,4}?(?:镇|乡|街道)(?=\S*班)")
_KEY_PERIOD = re.compile(r"[（(]?第?([0-9]+|[一二三四五六七八九十]+)期[）)]?")
_CHINESE_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def _period(found: re.Match) -> str:
    """第一期, （1期）, (一期) → 第1期 (up to 第九十九期)."""
    number = found.group(1)
    if not number.isdigit():
        tens, ten, ones = number.partition("十")
        number = (10 * _CHINESE_DIGITS.get(tens, 1) + _CHINESE_DIGITS.get(ones, 0) if ten
                  else _CHINESE_DIGITS.get(number, 0))
    return f"第{int(number)}期"


@lru_cache(maxsize=4096)
def course_key(name: str) -> str:
    """A course's name (``course_name``'s) as courses are matched by: 2025年城关镇电工培训班
    （第一期）, 电工培训班第1期, 电工培训班(一期) and 第一期电工培训班 are one class (its 期
    set at the end, wherever it is written)."""
    key = _KEY_YEAR.sub("", name)
    key = _KEY_YEAR.sub("", _KEY_PLACE.sub("", key)) or key
    found = _KEY_PERIOD.search(key)
    if found is None:
        return key or name
    rest = key[:found.start()] + key[found.end():]
    return rest + _period(found) if rest else _period(found)
