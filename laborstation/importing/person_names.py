"""A person's name as ledgers write it, without what is not the name.

Clerks align a two-character name with spaces (张　三, 张  三) and write a note after a
name in brackets (李四（户主）, 赵六(已故)); both were stored as the name, so 张三 was not
found by that name, and a note became part of it. The spaces are taken out of a name of
Chinese characters; a note in brackets after one is taken off, told, and kept in 备注.
Anything else (Tom Lee, 阿不都·热合曼, 吴九?) is left as written.
"""

from __future__ import annotations

import re
from collections import Counter

from laborstation.importing.result import Item

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


def row_name(name: str, item: Item, *, kept: bool = True) -> tuple[str, str | None]:
    """A row's name as stored (``plain_name``) and its note; the note told on the row
    (``kept``: the note goes to 备注). Names of letters only are taken as they are."""
    if name.isalpha() or not name:
        return name, None
    plain, note = plain_name(name)
    if note:
        told = f"姓名“{name}”括号中的“{note}”不是姓名，已按“{plain}”导入"
        item.warn(told + (f"，“{note}”记入备注" if kept else ""))
    return plain, note


def other_name(written: str, registered: str, where: str) -> str:
    """The warning of a row whose name differs from the one its ID number has ``where``
    (台账中, or another row of the file), but is like it (``names_alike``)."""
    return (f"姓名“{written}”与{where}这个身份证号的姓名“{registered}”不同，"
            f"已记在{registered}名下：请核对身份证号是否抄错")


def names_alike(written: str, registered: str) -> bool:
    """Whether a row's name may be the registered person's under the same ID number: the
    same, or sharing at least half the characters of the longer (张三峰 for 张三丰, 张玮 for
    张伟: a name corrected). 王桂兰 under 郭梓轩's number is another person's row with a
    number miscopied; it was merged into him (his phone, with overwrite his name)."""
    if written == registered:  # (the common case: a ledger imported again)
        return True
    one, other = "".join(written.split()), "".join(registered.split())
    if one == other or not one or not other:
        return True
    common = sum((Counter(one) & Counter(other)).values())
    return 2 * common >= max(len(one), len(other))


def not_alike(number: str, written: str, registered: str) -> str:
    """The refusal of a row whose name is not like the registered one (``names_alike``)."""
    return (f"身份证号 {number} 在台账中是{registered}，这一行的姓名是{written}，"
            "不像同一个人：可能是身份证号抄错了，这一行没有导入（确是同一人改了名的，"
            "请先在程序中改正姓名）")
