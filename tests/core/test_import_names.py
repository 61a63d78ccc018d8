"""The import's fast name keys are exactly ``search_keys.search_text``."""

from __future__ import annotations

import random

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from laborstation.importing.names import fast_search_text
from laborstation.search_keys import SURNAME_READINGS, search_text


def _read_apart(text: str) -> list[str]:
    return [lazy_pinyin(c, style=Style.NORMAL, errors="default")[0] for c in text]


def _phrases_read_differently(size: int, count: int) -> list[str]:
    """Phrases whose reading is not that of their characters alone (e.g. 长城 is not zhangcheng)."""
    found = []
    for phrase in sorted(p for p in PHRASES_DICT if len(p) == size):
        if lazy_pinyin(phrase, style=Style.NORMAL) != _read_apart(phrase):
            found.append(phrase)
            if len(found) == count:
                break
    return found


def test_a_phrase_anywhere_in_a_name_is_read_as_pypinyin_reads_it():
    fillers = "王李明华"
    names = []
    for phrase in _phrases_read_differently(2, 60) + _phrases_read_differently(3, 30):
        names.append(phrase)
        for filler in fillers:
            names += [filler + phrase, phrase + filler]
            if len(phrase) == 2:
                names += [filler + phrase + filler, filler + filler + phrase, phrase + filler * 2]
    assert len(names) > 500
    for name in names:
        assert fast_search_text(name) == search_text(name), name


def test_names_of_every_length_and_kind():
    rng = random.Random(3)
    common = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗伟芳娜敏静丽强磊军洋勇艳杰涛明超秀英华"
    names = ["".join(rng.choice(common) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    names += [s + "".join(rng.choice(common) for _ in range(rng.randint(0, 3)))
              for s in SURNAME_READINGS for _ in range(5)]
    names += ["", "   ", " 张伟 ", "张\u3000伟", "Tom", "张A", "买买提·艾力", "李𠀀", "\u4e00\u9fff",
              "欧阳", "欧阳修", "诸葛亮", "司马相如", "单于", "曾经", "长孙无忌", "乐乐", "ＡＢ"]
    for name in names:
        assert fast_search_text(name) == search_text(name), repr(name)
        assert fast_search_text(name) == search_text(name), repr(name)  # the cached answer


def test_every_reading_is_lower_case_ascii_or_the_ideograph_itself():
    # What lets the fast keys lower-case each character's reading once, on its own.
    for code in range(0x4E00, 0xA000):
        char = chr(code)
        reading = lazy_pinyin(char, style=Style.NORMAL, errors="default")[0]
        assert reading == char or (reading.isascii() and reading.islower()), (char, reading)


def test_a_long_name_keeps_its_keys_within_the_column():
    """person.search_text holds 200 characters; 40 ideographs read as up to 240 letters.
    The name and its initials stay whole, the full reading is cut to what fits."""
    from laborstation.search_keys import SEARCH_TEXT_MAX

    for name in ("庄" * 40, "买买提·艾力·阿不都热合曼·库尔班江·热依木江·吐尔逊", "张伟" * 20, "A" * 40):
        keys = search_text(name)
        assert len(keys) <= SEARCH_TEXT_MAX, name
        assert keys.startswith(name + " ") or keys == name.lower(), name
        assert fast_search_text(name) == keys
    keys = search_text("庄" * 40)
    assert keys.endswith(" " + "z" * 40) and " zhuangzhuang" in keys
    assert search_text("张伟") == "张伟 zhangwei zw"  # (a short name as before)
