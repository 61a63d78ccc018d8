"""Find the header row of a sheet and map its columns to fields (``import_headers.csv``).

A header may sit below title rows, span merged cells (calamine gives the value in
the first cell only) or two rows (a group title above sub-headers). Headers are
compared after normalising: NFKC, no spaces of any width or line breaks, no ``*``;
a bracketed part (usually a unit, ``月收入（元）``) is dropped when the text with it
matches nothing.

Under a place's group title (务工地点, 家庭住址) the sub-headers name the parts of the
place: 省/市/县… are the province, city and place fields of the kind when it has them,
and otherwise columns not imported (never the group title's field, which would take the
first part only and drop the others). Under a date's (培训时间, 外出时间), 起/止 are the
span's start and end (``_part_field``). Any other sub-header is read with its group title
first (证书 over 编号 is 证书编号, not a 序号), then alone.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from laborstation.resources import resource_path

KINDS = ("persons", "placements", "trainings")
KIND_NAMES = {"persons": "实名制台账", "placements": "转移就业花名册", "trainings": "培训花名册"}
# Columns every ledger has that carry nothing to import.
IGNORED = frozenset({"序号", "编号", "no", "no.", "序", "顺序号"})
SCAN_ROWS = 30
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")


def normalise_header(text: object) -> str:
    if text is None:
        return ""
    key = unicodedata.normalize("NFKC", str(text))
    return "".join(key.split()).replace("*", "").casefold()


def _stripped(key: str) -> str:
    return _BRACKETED.sub("", key)


class HeaderTableError(ValueError):
    """``import_headers.csv`` gives one spelling to two fields of a kind (a resource bug)."""


@cache
def header_map(kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """(exact key → field, bracket-stripped key → field) for one kind.

    A spelling that would name two fields of the kind, as written or once normalised
    (or with its bracketed part dropped), is an error in the table: which field such a
    column is would depend on the order of the rows.
    """
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    with resource_path("import_headers.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] != kind:
                continue
            for alias in row["headers"].split("|"):
                key = normalise_header(alias)
                if not key:
                    continue
                for table, known in ((exact, key), (loose, _stripped(key))):
                    found = table.setdefault(known, row["field"])
                    if found != row["field"]:
                        raise HeaderTableError(
                            f"import_headers.csv: “{alias}” ({kind}) names both {found} "
                            f"and {row['field']}")
    return exact, loose


def kind_fields(kind: str) -> frozenset[str]:
    """Every field a ledger of this kind can have."""
    return frozenset(header_map(kind)[0].values())


def field_of(kind: str, text: object) -> str | None:
    key = normalise_header(text)
    if not key:
        return None
    exact, loose = header_map(kind)
    found = exact.get(key)
    if found is None:
        stripped = _stripped(key)
        found = exact.get(stripped) or loose.get(stripped)
    return found


class Title(str):
    """A column's header text. In a two-row header it also keeps the column's cell in
    each row as read (``cells``: a merged title in its first column only), so that the
    error report can write the header as the file had it: 起 and 止 mean nothing without
    培训时间 above them."""

    def __new__(cls, text: str, cells: tuple[str, ...] = ()):
        title = super().__new__(cls, text)
        title.cells = cells
        return title


@dataclass(slots=True)
class HeaderMatch:
    """Where the header is (0-based row indexes) and which column holds which field."""

    first_row: int
    rows: int  # 1 or 2
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    titles: list[str] = field(default_factory=list)  # header text of every column
    unmatched: list[str] = field(default_factory=list)  # header texts that matched nothing
    duplicates: list[str] = field(default_factory=list)  # second columns for a field
    serial_column: int | None = None  # 序号
    # field -> its second (third …) columns, whose values fill the first's when it is empty
    extra_columns: dict[str, list[int]] = field(default_factory=dict)
    # The normalised text of each header row, column by column (a repeated header is blank)
    row_keys: list[list[str]] = field(default_factory=list)
    # Rows under the header a template fills in for the clerk (必填/选填 hints, a 示例 row)
    hint_rows: int = 0

    @property
    def data_start(self) -> int:
        return self.first_row + self.rows + self.hint_rows


def _cell_text(value: object) -> str:
    if value is None or value == "":
        return ""
    return str(value).strip()


# The parts of a place as sub-headers (normalised, brackets dropped: 县（市、区） is 县).
_PLACE_PARTS = {
    **dict.fromkeys(("省", "省份", "省区", "省市区", "省/自治区/直辖市"), "province"),
    **dict.fromkeys(("市", "城市", "地市", "市州", "市/州", "地级市", "州", "地区"), "city"),
    **dict.fromkeys(("县", "区", "区县", "县区", "县市区", "县/区", "区/县", "县/市/区"), "county"),
    **dict.fromkeys(("乡镇", "乡", "镇", "街道", "乡镇街道", "乡镇/街道", "镇/街道"), "township"),
}
# A group title's field → the field each part of it becomes (None: not imported). Parts
# not listed keep their own meaning (乡镇/村/组 under 家庭住址 are the person's own).
# (The 县 of a destination is its detail, placed within the 省 and 市 columns by
# ``rows.placement``: 河南 濮阳 范县 is 县内; its 乡镇 has no field.)
_GROUP_PARTS = {
    "destination": {"province": "province", "city": "city", "county": "destination",
                    "township": None},
    "address": {"province": None, "city": None, "county": None},
}
_UNSET = object()
# A group title over the household head's own columns (户主信息, 户主基本情况)
_HEAD_BLOCK = re.compile(r"^户主(信息|情况|基本信息|基本情况|资料)?$")
# 起/止 under a date's group title (培训时间 over 起 and 止): the span's first and last day.
_SPAN_PARTS = {
    **dict.fromkeys(("起", "始", "自", "从", "开始", "起始", "开始时间", "开始日期", "起始时间",
                     "起始日期", "开班", "外出"), "start"),
    **dict.fromkeys(("止", "终", "至", "到", "结束", "截止", "结束时间", "结束日期", "截止时间",
                     "截止日期", "结业", "返乡", "返回"), "end"),
}
# 年/月 under a date's group title (外出时间 over 年 and 月): the date's year and month.
_SPAN_PARTS.update({**dict.fromkeys(("年", "年份"), "year"), **dict.fromkeys(("月", "月份"), "month")})
# A date group's field → the field of each part of it, per kind (the first the kind has).
_SPAN_FIELDS = {"start_date": {"start": "start_date", "end": ("end_date", "return_date"),
                               "year": "start_date", "month": ("start_month",)}}


def _part_field(kind: str, lower: str, group: str) -> object:
    """The field of a sub-header that names a part of its group title ``group``: a part
    of a place (省, 市, 县…) under a place's title, an end of a span (起, 止) under a
    date's. The kind's field for that part, or None (not imported); ``_UNSET`` when it
    is not such a sub-header."""
    if not group:
        return _UNSET
    if kind == "persons" and _HEAD_BLOCK.match(_stripped(normalise_header(group))):
        # 户主信息 over 姓名 | 身份证号 beside 家庭成员信息 over the person's own columns:
        # the head's name names the household; the head's other cells are not the row's
        return "household_head" if field_of(kind, lower) == "name" else None
    span_end = _SPAN_PARTS.get(_stripped(normalise_header(lower)))
    if span_end is not None:
        ends = _SPAN_FIELDS.get(field_of(kind, group) or "")
        if ends is None:
            return _UNSET
        known = kind_fields(kind)
        found = ends[span_end]
        return found if isinstance(found, str) else next(
            (name for name in found if name in known), None)
    part = _PLACE_PARTS.get(_stripped(normalise_header(lower)))
    if part is None:
        return _UNSET
    parts = _GROUP_PARTS.get(field_of(kind, group) or "")
    if parts is None or part not in parts:
        return _UNSET
    found = parts[part]
    return found if found in kind_fields(kind) else None


def _match_row(kind: str, top: list, bottom: list | None) -> HeaderMatch | None:
    width = max(len(top), len(bottom or ()))
    columns: dict[str, int] = {}
    titles, unmatched, duplicates = [], [], []
    extra: dict[str, list[int]] = {}
    serial = None
    group = ""  # the group title over this column (a merged one is in its first cell only)
    for index in range(width):
        upper = _cell_text(top[index]) if index < len(top) else ""
        lower = _cell_text(bottom[index]) if bottom is not None and index < len(bottom) else ""
        group = upper or (group if lower else "")
        found = _part_field(kind, lower, group) if lower else _UNSET
        if found is not _UNSET:
            title = lower
        elif lower and group and (found := field_of(kind, group + lower)):
            title = group + lower  # 证书 over 编号: 证书编号 (编号 alone would be a 序号)
        else:
            found = field_of(kind, lower) if lower else None
            title = lower if found else ""
            if found is None and upper:
                found = field_of(kind, upper)
                title = upper if found else ""
            if not title:
                title = lower or upper
        titles.append(title if bottom is None else Title(title, (upper, lower)))
        if found is None:
            if normalise_header(title) in IGNORED:
                serial = index if serial is None else serial
            elif title:
                unmatched.append(title)
            continue
        if found in columns:
            duplicates.append(title)
            extra.setdefault(found, []).append(index)
        else:
            columns[found] = index
    if "id_number" not in columns:
        return None
    keys = [[normalise_header(_cell_text(v)) for v in row]
            for row in ((top,) if bottom is None else (top, bottom))]
    return HeaderMatch(0, 2 if bottom is not None else 1, columns, titles, unmatched, duplicates,
                       serial, extra, keys)


def find_header(kind: str, rows: list[list]) -> HeaderMatch | None:
    """The best header among the first rows: most fields matched, needing the ID column."""
    best: HeaderMatch | None = None
    rows = rows[:SCAN_ROWS + 1]  # (a big sheet may still be arriving: only these are needed)
    for index in range(min(SCAN_ROWS, len(rows))):
        row = rows[index]
        if not any(_cell_text(v) for v in row):
            continue
        candidates = [_match_row(kind, row, None)]
        if index + 1 < len(rows) and _looks_like_header(rows[index + 1]):
            pair = _match_row(kind, row, rows[index + 1])
            # (the row below alone is a candidate next, unless it is past the rows looked at)
            if pair is not None and (index + 1 >= SCAN_ROWS or not (
                    _only_a_title(row, pair) or _adds_nothing(kind, pair, rows[index + 1]))):
                candidates.append(pair)
        for found in candidates:
            if found is None:
                continue
            found.first_row = index
            if best is None or len(found.columns) > len(best.columns) or (
                    found.rows == 2 and best.first_row == index
                    and _under_groups(row, rows[index + 1])):
                best = found
    if best is not None and len(best.columns) < 2:
        return None
    if best is not None:
        while (best.hint_rows < 2 and best.data_start < len(rows)
               and _is_hint_row(rows[best.data_start], best.serial_column)):
            best.hint_rows += 1
    return best


# A template's row under its header: hints (必填, 选填, 格式：1980-01-01, 18位) in every
# filled cell, or a 示例 row (its 序号 says so: a sample person, not one to import).
_HINT = re.compile(r"^[（(]?(必填|选填|可选|非必填|可不填|格式|填写|如：|如:|例：|例:|例如|示例|样例|"
                   r"填写示例|下拉|选择|\d+位)")
_SAMPLE_SERIALS = frozenset({"示例", "样例", "例", "示范", "举例", "填写示例", "样本"})


def _is_hint_row(row: list, serial_column: int | None) -> bool:
    if (serial_column is not None and serial_column < len(row)
            and "".join(_cell_text(row[serial_column]).split()) in _SAMPLE_SERIALS):
        return True
    filled = [value for value in row if _cell_text(value)]
    return len(filled) >= 2 and all(
        isinstance(value, str) and _HINT.match(value.strip()) for value in filled)


def _only_a_title(row: list, pair: HeaderMatch) -> bool:
    """The upper row of a two-row header is one text that names no field (the sheet's
    title line above the header, in its first cell or over the table): the header is
    the row below alone, which finds the same fields."""
    filled = [i for i, value in enumerate(row) if _cell_text(value)]
    if len(filled) != 1:
        return False
    column = filled[0]
    return not (column in pair.columns.values()
                and pair.titles[column] == _cell_text(row[column]))


def _adds_nothing(kind: str, pair: HeaderMatch, lower: list) -> bool:
    """The upper row of a two-row header changes no column's field (填报单位：… | 2025年3月
    above the header): the header is the row below alone."""
    alone = _match_row(kind, lower, None)
    return alone is not None and alone.columns == pair.columns


def _under_groups(upper: list, lower: list) -> bool:
    """The lower row is a two-row header's second, whatever its texts name: each of them
    sits under a group title merged across (its first column, and the empty ones after it),
    none under a title of one column (merged down over it), and at least one is under a
    group's empty continuation. The pair is the header then, even when its sub-titles
    are no fields of this kind (转移就业情况 over 务工地点|务工单位 on a 实名制台账); a data
    row under a one-row header has values under titles of their own."""
    width = max(len(upper), len(lower))
    up = [i < len(upper) and bool(_cell_text(upper[i])) for i in range(width)]
    down = [i < len(lower) and bool(_cell_text(lower[i])) for i in range(width)]
    grouped = spanned = False
    for i in range(width):
        if up[i]:  # a group title starts here when sub-titles go on under empty cells
            grouped = down[i] and i + 1 < width and not up[i + 1] and down[i + 1]
        elif not down[i]:
            grouped = False
        if down[i] and not grouped:
            return False
        spanned = spanned or (grouped and not up[i])
    return spanned


def _looks_like_header(row: list) -> bool:
    """A second header row holds short texts only: no numbers, dates or ID-like digits."""
    for value in row:
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            return False
        if sum(c.isdigit() for c in value) >= 6:
            return False
    return True
