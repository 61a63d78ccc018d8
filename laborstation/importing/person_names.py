"""A person's name as ledgers write it, without what is not the name.

Clerks align a two-character name with spaces (张　三, 张  三) and write a note after a
name in brackets (李四（户主）, 赵六(已故)); both were stored as the name, so 张三 was not
found by that name, and a note became part of it. The spaces are taken out of a name of
Chinese characters; a note in brackets after one is taken off, told, and kept in 备注.
Anything else (Tom Lee, 阿不都·热合曼, 吴九?) is left as written.
"""

from __future__ import annotations

import re

_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]{2,4}")  # (郑十 已外出 stays)
_NOTE_AFTER = re.compile(r"([\u4e00-\u9fff\u3400-\u4dbf]{2,5})\s*[（(【\[]\s*([^（()）【】\[\]]{1,20}?)"
                         r"\s*[）)】\]]")


def plain_name(name: str) -> tuple[str, str | None]:
    """(the name, a note written after it in brackets or None). For a name that is not
    all letters only (``str.isalpha`` is the test before: most names pass it)."""
    squeezed = "".join(name.split())
    if _IDEOGRAPHS.fullmatch(squeezed):
        return squeezed, None
    noted = _NOTE_AFTER.fullmatch(squeezed)
    if noted:
        return noted.group(1), noted.group(2)
    return name, None


def note_told(written: str, name: str, note: str, *, kept: bool = True) -> str:
    """The warning of a name with a note after it; ``kept``: the note is in 备注."""
    told = f"姓名“{written}”括号中的“{note}”不是姓名，已按“{name}”导入"
    return told + (f"，“{note}”记入备注" if kept else "")
