"""What a training roster's 证书 and 证书编号 cells say: the certificate's kind (a code of
resources/codes/certificate.csv) and its number. Pure Python."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from laborstation.codes import code_list, normalise_name
from laborstation.importing import values as v
from laborstation.importing.result import Item

# 是否取得证书 answered 是 says a certificate was obtained but not which kind. The
# certificate code list (resources/codes/certificate.csv) has no 其他/未分类 code, so the
# least specific kind is used: 4 培训合格证书, the certificate the training provider itself
# gives everyone who completes a course (what 引导性 and SYB 创业培训 end with). The other
# kinds (职业资格, 职业技能等级, 专项职业能力) need a separate assessment, and taking one of
# them for a bare 是 would overstate the skills. 307 取得证书 counts any kind alike.
UNSPECIFIED_CERTIFICATE = "4"
# 职业技能等级证书, the kind whose levels are 五级/初级工 … 一级/高级技师.
SKILL_LEVEL_CERTIFICATE = "2"
# 培训结果 words saying a certificate was obtained: 结业, with a certificate.
RESULT_CERTIFIED = frozenset({"取得证书", "已取得证书", "获得证书", "已获证", "获证", "已发证",
                               "发证", "取证", "已取证", "持证"})
# A 证书编号 cell that holds no number.
_NO_NUMBER = re.compile(r"[-/—–―_~～.。、·\\|无否暂未待]*(无|暂无|未发|待发|未取得)?[证书]*")
# A certificate number written alone in the 证书 cell: letters and digits (and -), at least 6, 4 of them digits.
_CERTIFICATE_NUMBER = re.compile(r"(?=(?:[^0-9]*[0-9]){4})[0-9A-Za-z-]{6,60}")
# A digit other than 0: what makes a 证书编号 a number (豫人社电字第2026009号 is one; 0 is not).
_DIGIT = re.compile("[1-9]")
_CERTIFICATE_YES = frozenset({"是", "有", "已取得", "取得", "已获得", "获得", "已获证", "已发证",
                              "已发", "已领取", "√", "y", "yes"})
_CERTIFICATE_NO = frozenset({"否", "无", "未取得", "没有", "未获得", "未获证", "未发证", "暂无",
                             "×", "n", "no"})
# The provider's own certificate for completing a course (结业证书) is a 培训合格证书.
_COMPLETION_CERTIFICATES = frozenset({"结业证书", "结业证", "培训结业证书", "培训结业证"})
# A skill level alone or after a trade: 初级工, 五级/初级工, 电工(初级), 焊工中级, 技师.
_LEVEL = r"(?:[一二三四五]级|[初中高]级工?|(?:高级)?技师)"
_LEVEL_WORD = re.compile(rf"\w*?\(?{_LEVEL}(?:[/(、]?{_LEVEL})?\)?")
# Certificates no training gives (307 counts those of training): 健康证, 驾驶证 ….
_NOT_TRAINING = ("健康", "驾驶", "身份", "残疾", "户口", "营业执照", "结婚", "毕业", "学生", "居住",
                 "暂住", "学位", "退役", "军官", "护照", "通行")
# Words saying a certificate is not (yet) there: 待发证, 未领证, 无证.
_NOT_YET = re.compile("[未无待没不暂否缺]")
# A kind followed by its number: '技能等级证书 编号123', '职业资格证书（证书编号：S0123）'.
_CERTIFICATE_AND_NUMBER = re.compile(
    r"(.+?证书?)[\s:：,，;；(（]*(?:证书编号|编号|证号|no\.?)?[\s:：]*([0-9a-z][0-9a-z\-]*)[)）]?",
    re.IGNORECASE)


def _certificate(codes: v.Codes, raw: str) -> tuple[str | None, str, str]:
    """证书 as written → (certificate kind code, certificate number, the word naming no
    kind of the list: '电工证' of '电工证 S0123', '初级工'; '' when none)."""
    if not raw:
        return None, "", ""
    key = normalise_name(raw)
    short = _certificate_key(key)  # 有证书, 未取得证书
    if key in _CERTIFICATE_YES or short in _CERTIFICATE_YES or not short:  # not short: 证书
        return UNSPECIFIED_CERTIFICATE, "", ""
    if key in _CERTIFICATE_NO or short in _CERTIFICATE_NO:
        return None, "", ""
    parts = _CERTIFICATE_AND_NUMBER.fullmatch(unicodedata.normalize("NFKC", raw).strip())
    if parts is not None:
        kind = _kind_named(normalise_name(parts.group(1)))
        if kind is not None:
            return kind, parts.group(2)[:60], ""
    kind = codes.lookup("certificate", raw) or _kind_named(key)
    if kind is not None:
        return kind, "", ""
    if parts is not None:
        return None, parts.group(2)[:60], parts.group(1)[:60]
    if _CERTIFICATE_NUMBER.fullmatch(raw):  # a number written alone
        return None, raw[:60], ""
    return None, "", raw[:60]


def _kind_named(key: str) -> str | None:
    """A kind by its normalised name: one of the list's (see ``_certificate_kind``) or 结业证书."""
    if key in _COMPLETION_CERTIFICATES:
        return UNSPECIFIED_CERTIFICATE
    return _certificate_kind(_certificate_key(key))


def _kind_of_word(word: str, obtained: bool) -> str | None:
    """The kind a word naming no kind of the list is recorded as: a skill level's is
    职业技能等级证书; another word's the least specific kind, when it names a certificate
    (电工证, 特种作业操作证) or a certificate was ``obtained`` (a number, 取得证书); else none."""
    key = normalise_name(word)
    if _LEVEL_WORD.fullmatch(key):
        return SKILL_LEVEL_CERTIFICATE
    if any(other in key for other in _NOT_TRAINING):  # 健康证: no training's certificate
        return None
    if obtained or (key.endswith(("证", "证书")) and not _NOT_YET.search(key)):
        return UNSPECIFIED_CERTIFICATE
    return None


def _certificate_key(name: str) -> str:
    """The telling part of a kind's name: 专项能力证书 and 专项职业能力证 are 专项能力."""
    key = name.replace("职业", "")
    for suffix in ("证书", "证"):
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


@cache
def _certificate_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for entry in code_list("certificate"):
        for name in (entry.name, *entry.aliases):
            keys.setdefault(_certificate_key(normalise_name(name)), entry.code)
    return keys


def _certificate_kind(short: str) -> str | None:
    """A kind by its short name (see ``_certificate_key``), by the one kind named inside
    the text ('电工技能等级证书（初级）'), or by a part of one kind's name only ('合格证')."""
    keys = _certificate_keys()
    if short in keys:
        return keys[short]
    found = {code for name, code in keys.items() if name and name in short}
    if not found and len(short) >= 2:
        found = {code for name, code in keys.items() if short in name}
    return found.pop() if len(found) == 1 else None


def of_row(codes: v.Codes, written: str, number_cell: str, result: str,
           certified_by: str | None, item: Item) -> tuple[str | None, str]:
    """A row's certificate: (kind code, number), from its 证书 cell ``written``, its
    证书编号 cell, its result code and the 培训结果 word saying a certificate was got
    (``certified_by``: 取得证书 …). A certificate is kept only with a kind and the result
    结业; what is not kept is told. A number in the 证书编号 column is kept whatever the 证书
    cell says: a word there naming no kind (初级工, 电工证) gives a kind, told (``_kind_of_word``)."""
    kind, number, word = _certificate(codes, written)
    given = "".join(number_cell.split())
    if given and not _NO_NUMBER.fullmatch(given):  # a 证书编号 column: the number, always
        if number and number != given[:60]:
            item.warn(f"证书“{written}”中的编号与证书编号“{given}”不同，按证书编号记，请核对")
        number = given[:60]
        written = written or given
    numbered = _DIGIT.search(unicodedata.normalize("NFKC", number)) is not None
    if kind is None and word and result == "1":  # 初级工, 电工证: kept, the kind guessed
        kind = _kind_of_word(word, numbered or certified_by is not None)
        if kind is not None:
            names = "、".join(code_list("certificate").names())
            name = code_list("certificate").name_of(kind)
            item.warn(f"证书“{word}”不是证书类型（{names}），按“{name}”记，请核对")
    if certified_by and kind is None and not number:
        kind = UNSPECIFIED_CERTIFICATE
        name = code_list("certificate").name_of(kind)
        item.warn(f"培训结果“{certified_by}”：证书类型没有写明，按“{name}”记，请核对")
    if kind is None and number and not word and numbered and result == "1":
        kind = UNSPECIFIED_CERTIFICATE
        name = code_list("certificate").name_of(kind)
        item.warn(f"证书“{number}”没有写明证书类型，按“{name}”记，请核对")
    shown = written if number in written else f"{written} {number}"
    if result != "1" and (kind is not None or numbered):
        item.warn(f"培训结果不是结业，证书“{shown}”未记")
        return None, ""
    if kind is None and (number or word):  # 不合格, 待发证, /, a word: not a certificate
        item.warn(f"证书“{shown}”不是证书类型或证书编号，未记证书")
        return None, ""
    return kind, number
