"""Numbers written in Chinese numerals: 十二, 一百零五, 三千零五十, 十二万; said as amounts are
(``spoken``), 四千五 is 4500 and 一万二 12000."""

from __future__ import annotations

DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_PLACES = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str, *, spoken: bool = False) -> int | None:
    """The number of ``text`` (digits alone too); None for any other character. ``spoken``
    (an amount): a digit after the last place is the next place's (四千五 4500), and a place
    with no digit before it other than 十 counts nothing (千 alone is no amount)."""
    if text.isdigit():
        return int(text)
    total = section = digit = 0
    place = 10000
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char == "万":
            total, section, digit, place = (section + digit or 1) * 10000, 0, 0, 10000
        elif char in _PLACES:
            place = _PLACES[char]
            section += (digit or (1 if char == "十" or not spoken else 0)) * place
            digit = 0
        else:
            return None
    if spoken and digit and len(text) > 1 and text[-2] in "百千万":
        digit *= place // 10  # (四千五: 5 hundreds)
    return total + section + digit
