"""An employer's name as placements are matched by (``employer_key``), and two spellings
of one employer that differ by a place in brackets (``same_employer``)."""

from __future__ import annotations

import re
from functools import lru_cache

from laborstation.codes import code_list, normalise_name
from laborstation.regions import resolve_destination

_BRACKET_MARKS = str.maketrans("", "", "()[]{}【】〔〕<>《》「」『』")
_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


@lru_cache(maxsize=65536)
def employer_key(name: str) -> str:
    """An employer as placements are matched by: no spaces of any width, NFKC, no
    brackets, no company suffix, so 昆山仁宝电子有限公司, 昆山仁宝电子 and 昆山 仁宝电子
    （有限公司） are one employer (the text stored is the first written)."""
    key = normalise_name(name).translate(_BRACKET_MARKS)
    for suffix in _COMPANY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


_BRACKETED = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|【([^【】]*)】|〔([^〔〕]*)〕")
_HOME = "410000000000"  # (any: a place's name is all that is asked of ``resolve_destination``)


def _is_place(text: str) -> bool:
    """A bracket's text naming a place only: 北京, 深圳市, 上海浦东, 中国 (not 北京科技)."""
    if text == "中国":
        return True
    where = resolve_destination(text, home_code=_HOME)
    if where.province is None:
        return False
    names = normalise_name(code_list("province").name_of(where.province) or "") + where.city
    return all(c in names for c in text)


@lru_cache(maxsize=65536)
def branch_key(name: str) -> str:
    """``employer_key`` without a place in brackets: 京东物流（北京）有限公司 → 京东物流."""
    key = normalise_name(name)
    bare = _BRACKETED.sub(lambda m: "" if _is_place(next(g for g in m.groups() if g is not None))
                          else m.group(0), key)
    return employer_key(bare) if bare != key else employer_key(name)


def same_employer(written: str, stored: str) -> bool:
    """Two spellings of one employer that differ by a place in brackets that one of them
    has only, beside a company suffix (京东物流 and 京东物流（北京）有限公司; not 京东物流
    and 京东, nor its 北京 and 上海 companies)."""
    if not written or not stored:
        return False
    key, other = employer_key(written), employer_key(stored)
    bare = branch_key(written)
    return (key != other and bare == branch_key(stored) and bool(bare)
            and (key == bare or other == bare))
