"""The keys the register search matches: name, full pinyin and pinyin initials.

``search_text("张三丰")`` → ``"张三丰 zhangsanfeng zsf"``. Stored lower-case in
``person.search_text`` so a search is a match on one short indexed column,
never a run through pypinyin at query time. A surname read differently from the
common word (单 shan, 曾 zeng, 解 xie …) adds that reading too, so both are found.
"""

from __future__ import annotations

from functools import lru_cache

SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "盖": "ge", "乐": "yue", "秘": "bi", "缪": "miao", "覃": "qin",
    "尉": "yu", "种": "chong", "繁": "po", "召": "shao", "员": "yun", "宿": "su",
    "翟": "zhai", "藏": "zang", "尹": "yin", "任": "ren", "沈": "shen", "褚": "chu",
}


SEARCH_TEXT_MAX = 200  # the length of person.search_text (model.people)


def _keys(syllables: list[str]) -> tuple[str, str]:
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


@lru_cache(maxsize=65536)
def search_text(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    # pypinyin takes half a second to import: only when a name is first written.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    keys = list(_keys(syllables))
    surname = SURNAME_READINGS.get(name[0])
    if surname and syllables and syllables[0] != surname:
        keys.extend(_keys([surname, *syllables[1:]]))
    joined = " ".join(dict.fromkeys([name, *keys]))
    if len(joined) <= SEARCH_TEXT_MAX:
        return joined
    # A long name (up to 40 characters: 240 letters of pinyin): the name and its
    # initials whole, the full pinyin cut to what fits.
    full, initials = keys[0], keys[1]
    room = SEARCH_TEXT_MAX - len(name) - len(initials) - 2
    parts = [name, full[:room], initials] if room > 0 else [name, initials]
    return " ".join(dict.fromkeys(parts))[:SEARCH_TEXT_MAX]


def normalise_query(text: str) -> str:
    """A search box entry as it is compared: trimmed, lower-case, no inner spaces."""
    return "".join((text or "").split()).lower()
