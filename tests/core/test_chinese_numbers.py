"""Chinese numerals, as group names (一百零五组) and as amounts (四千五) write them."""

from __future__ import annotations

import pytest

from laborstation.importing.chinese_numbers import chinese_number


@pytest.mark.parametrize(("text", "number"), [
    ("十二", 12), ("二十", 20), ("一百零五", 105), ("百", 100), ("两", 2), ("〇", 0),
    ("007", 7), ("三千零五十", 3050), ("十二万", 120000), ("四千五", 4005), ("组", None)])
def test_a_number(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize(("text", "number"), [
    ("四千五", 4500), ("一万二", 12000), ("两千五百", 2500), ("三千零五十", 3050),
    ("十二万", 120000), ("千", 0), ("十", 10)])
def test_an_amount_as_it_is_said(text, number):
    assert chinese_number(text, spoken=True) == number
