"""``search_keys.search_text`` for a whole ledger, fast.

pypinyin costs ~40 µs a name, which alone would take 10 s for 250,000 persons.
For a name of Chinese characters none of whose parts (two or more characters) is
a pypinyin phrase, ``lazy_pinyin(name)`` is the reading of each character alone,
so those are read from a per-character cache; any other name goes to
``search_text`` itself. The tests check both give the same keys.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from laborstation.search_keys import SURNAME_READINGS, search_text

_CHARS: dict[str, str] = {}


def _reading(char: str) -> str:
    found = _CHARS.get(char)
    if found is None:
        found = _CHARS[char] = lazy_pinyin(char, style=Style.NORMAL, errors="default")[0]
    return found


_IDEOGRAPHS = re.compile("[\u4e00-\u9fff]{1,4}")


# The first two characters of every pypinyin phrase: a part of a name can only be a
# phrase if it starts with one of these, so most names need one set look-up a character.
_PAIRS = frozenset(phrase[:2] for phrase in PHRASES_DICT if len(phrase) >= 2)


def _plain(name: str) -> bool:
    """Only CJK ideographs, at most 4 of them, and no pypinyin phrase inside."""
    if _IDEOGRAPHS.fullmatch(name) is None:
        return False
    size = len(name)
    for start in range(size - 1):
        if name[start:start + 2] not in _PAIRS:
            continue
        for end in range(start + 2, size + 1):
            if name[start:end] in PHRASES_DICT:
                return False
    return True


_DONE: dict[str, str] = {}


def fast_search_text(name: str) -> str:
    found = _DONE.get(name)
    if found is not None:
        return found
    if len(_DONE) > 200_000:
        _DONE.clear()
    found = _DONE[name] = _keys_of(name)
    return found


def _keys_of(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if not _plain(name):
        return search_text(name)
    known = _CHARS.get
    syllables = [known(c) or _reading(c) for c in name]
    full = "".join(syllables).lower()
    initials = "".join([s[0] for s in syllables if s]).lower()
    surname = SURNAME_READINGS.get(name[0])
    if surname is None or syllables[0] == surname:
        if initials != full:
            return f"{name} {full} {initials}"
        return f"{name} {full}"
    keys = [name, full, initials]
    rest = syllables[1:]
    keys.append((surname + "".join(rest)).lower())
    keys.append((surname[0] + "".join([s[0] for s in rest if s])).lower())
    return " ".join(dict.fromkeys(keys))
