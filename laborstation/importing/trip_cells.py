"""The cells of a placement roster's trip: 外出时间 (with a 外出月份 column), 返乡时间 as
clerks write it (a date, 未返乡, 已返乡（春节）, a dash), and 务工地点 with the 务工省份 and
务工城市 columns that may go with it (the place and region class they give:
``destination_of``, ``settle_region``, ``warn_no_region``); and how a trip overlapping
another of the person is told (``begins_during``, ``under_way``), a stored trip given its day (``day_known``), and
a 输出方式 not given, stored as 自发 (``no_organised_column``, ``blank_organised``,
``spontaneous_kept``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from laborstation.codes import normalise_name
from laborstation.importing import values as v
from laborstation.importing.apply import OVERWRITE_AGAIN
from laborstation.importing.result import Item
from laborstation.regions import (
    COUNTY_INSIDE,
    TOWNSHIP_INSIDE,
    Destination,
    home_destination,
    resolve_destination,
)

if TYPE_CHECKING:
    from laborstation.importing.apply import Env



def start_day(value: object, month: object, warnings: list[str]):
    """外出时间; a year alone with a 外出月份 column (外出时间 over 年 and 月) is that
    month of it (a whole date keeps its own month)."""
    year = v.text(value).removesuffix("年")
    if month == "" or not (len(year) == 4 and year.isdigit()):
        return v.day(value, "外出时间", warnings)
    return v.day(f"{year}年{v.text(month).removesuffix('月')}月", "外出时间", warnings)


# A 外出时间 giving its month only: 2026.3, 2026年3月, 202603 (a number 2026.3 too).
_MONTH_ONLY = re.compile(r"\d{4}\s*(?:[年./-]\s*\d{1,2}\s*月?份?|\d{2})")


def month_only(value: object, month: object) -> bool:
    """The 外出时间 gives a month, not a day (read as its first: ``start_day``)."""
    if month != "":
        return True
    if isinstance(value, float) and not isinstance(value, bool):
        return not value.is_integer() and 1900 < value < 2100
    return bool(_MONTH_ONLY.fullmatch(v.text(value)))


def trip_span(value: object, back: object, warnings: list[str]):
    """(外出, 返乡 or None) of a 外出时间 written as a span (2026.3.1-8.15: out and back),
    when no 返乡时间 is written beside it; 2026.3.1至今 is still away. None otherwise
    (the start is read alone: ``start_day``)."""
    if back != "" or value.__class__ is not str:
        return None
    span = v.day_range(value, "外出时间")
    if span is None:
        return None
    start, end = span
    if any(word in value for word in v.NOW_WORDS):
        warnings.append(f"外出时间“{value}”是一段时间，按外出 {start.isoformat()} 记（至今仍在外）")
        return start, None
    warnings.append(f"外出时间“{value}”是一段时间，按外出 {start.isoformat()}、"
                    f"返乡 {end.isoformat()} 记")
    return start, end


# 返乡时间 as written for someone still away: no return date. Also a cell of dashes or
# slashes only ('/', '-', '—', '——'), the usual mark for "nothing to write".
_STILL_AWAY = frozenset({"未返乡", "未返", "未返回", "未回", "未回来", "没回", "没回来", "未归",
                         "至今", "至今未回", "至今未返", "在外", "仍在外", "在外务工",
                         "仍在外务工", "外出中", "无", "暂无", "否", "未"})
_ONLY_MARKS = re.compile(r"[-/—–―_~～.。、·\\|]+")


# 返乡时间 written as a word for someone back, with no date: the trip is imported without
# its return (with a warning), not refused (it still counts in 201).
_BACK_WORDS = ("已返乡", "返乡", "已返", "已回", "已回来", "回来了", "已返回", "返回", "已回乡",
               "回乡", "春节", "过年")


_BRACKETED = re.compile(r"[（(【\[].*?[）)】\]]")


def return_day(value: object, warnings: list[str]):
    if value == "":
        return None
    if value.__class__ is str:
        key = normalise_name(value)
        if key in _STILL_AWAY or _ONLY_MARKS.fullmatch(key):
            return None
        if any(word in key for word in _BACK_WORDS):
            try:  # '2024.12（春节）': the date before the note
                return v.day(_BRACKETED.sub("", value).strip() or value, "返乡时间", warnings)
            except v.BadValue:
                warnings.append(f"返乡时间“{value}”不是日期，没有记返乡时间（按仍在外计），"
                                "请补填返乡的年月日")
                return None
    return v.day(value, "返乡时间", warnings)


def no_start(back: object) -> v.BadValue:
    """The refusal of a placement row without 外出时间; one giving its 返乡时间 says so."""
    try:
        given = back != "" and return_day(back, []) is not None
    except v.BadValue:
        given = False
    if not given:
        return v.BadValue("外出时间为空")
    return v.BadValue(f"只写了返乡时间“{v.text(back)}”，外出时间为空：转移就业按外出时间登记，"
                      "请补填这次外出的外出时间（年月日，不知道哪一天时可写年月）后再导入这一行；"
                      "如果这个日期其实是外出时间，请把它移到外出时间一列")


_PLACE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州",
                   "地区", "省", "市", "盟")


def _place_short(name: str) -> str:
    """'河北省' → '河北', '石家庄市' → '石家庄': the part a detail naming the place contains."""
    key = normalise_name(name)
    for suffix in _PLACE_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return key[: -len(suffix)]
    return key


def destination(detail: str, province: str, city: str) -> tuple[str, str]:
    """(务工地点 as stored, what 务工省份/务工城市 add to it): the province and city a detail
    (or the city) does not name go before it, so '福建', '福州', '鼓楼区' is '福建福州鼓楼区',
    resolved within them (鼓楼区 alone is 开封's) and kept as the clerk wrote it."""
    if not province and not city:
        return detail, ""
    added = "".join(part for part, within in ((province, city + detail), (city, detail))
                    if part and _place_short(part) not in normalise_name(within))
    return added + detail, added


# A placement's columns its 务工地点 gives (``destination_of``).
DESTINATION_COLUMNS = ("province", "city", "area_code", "region_class")


def destination_of(env: Env, item: Item) -> Destination:
    """The row's destination; a warning when 务工地点 names a place outside 务工省份/务工城市
    (those are kept: the place resolved is no closer than theirs)."""
    record = item.record
    home = env.home_code(record.get("_village_id"))
    if record["_detail"]:  # 本镇, 本县, 城关镇 under 务工地点 beside 务工省份 河南 (home's)
        near = _local(env, resolve_destination(record["_detail"], home_code=home),
                      record.get("_village_id"))
        if near.region_class in (TOWNSHIP_INSIDE, COUNTY_INSIDE) and _holds_home(
                resolve_destination(record["_columns"], home_code=home), home):
            return near
    where = _local(env, resolve_destination(record["destination"], home_code=home),
                   record.get("_village_id"))
    if record["_detail"]:
        columns = resolve_destination(record["_columns"], home_code=home)
        if ((where.area_code, where.province, where.region_class)
                == (columns.area_code, columns.province, columns.region_class)
                and resolve_destination(record["_detail"], home_code=home).region_class):
            item.warn(f"务工地点“{record['_detail']}”不在务工省份/城市“{record['_columns']}”"
                      f"之内，按“{record['_columns']}”记，请核对")
    return where


def _holds_home(columns: Destination, home: str) -> bool:
    """Whether the place of 务工省份/务工城市 holds the home county (``home``: its code)."""
    area = columns.area_code
    if columns.province is None or columns.province != home[:2]:
        return False
    if area is None or area.endswith("0000"):
        return True  # (the province)
    return area[:4] == home[:4] if area.endswith("00") else area == home[:6]


def _local(env: Env, where: Destination, village_id: int | None) -> Destination:
    """``where``, or the region class of a township or village of the store that its text
    names (城关镇, 李庄村, 范县城关镇: GB/T 2260 stops at counties), seen from the person's
    village ``village_id``."""
    if where.region_class not in (None, COUNTY_INSIDE) or not where.text:
        return where
    local = env.places.local_region(where.text, village_id)
    if local is None or (where.region_class is not None and local != TOWNSHIP_INSIDE):
        return where
    return home_destination(where.text, home_code=env.home_code(village_id), region_class=local)


def settle_region(env: Env, item: Item, placement: dict) -> None:
    """Once the rows' new persons are added: a new placement's 务工地点 seen again from the
    person's village, with the villages this import made (both came after the row)."""
    where = Destination(*(placement[c] for c in DESTINATION_COLUMNS),
                        text=placement["destination"])
    found = _local(env, where, item.record["_village_id"])
    if found is not where:
        placement.update({c: getattr(found, c) for c in DESTINATION_COLUMNS})
        placement["city"] = placement["city"][:40]


def warn_no_region(item: Item, placement: dict) -> None:
    """The return needs every placement's region class: check V1 blocks the submission."""
    if placement["region_class"] is not None:
        return
    if placement["destination"]:
        item.warn(f"务工地点“{placement['destination']}”无法识别省市，只记原文；没有地域类别，"
                  "提交月报时校验 V1 会报错：请改正务工地点")
    else:
        item.warn("务工地点为空（务工省份、城市也没有填）：没有地域类别，提交月报时校验 V1 "
                  "会报错：请补填务工地点")


def _trip(named: str, placement: dict) -> str:
    """Another trip of the person as told: where it is (``named``), its dates and place."""
    where = placement["destination"] or placement["employer_name"] or "未写地点"
    unit = f"，用工单位“{placement['employer_name']}”" if placement["employer_name"] else ""
    back = placement["return_on"]
    return (f"{named}一次外出：{placement['start_on'].isoformat()} "
            + (f"至 {back.isoformat()}（{where}{unit}）" if back else f"起（{where}{unit}），没有返乡时间"))


def begins_during(named: str, other: dict, start) -> str:
    """A row's trip beginning on ``start`` while ``other``, an earlier one, is under way."""
    if other["return_on"] is None:
        where = other["destination"] or other["employer_name"] or "未写地点"
        return (f"此人{other['start_on'].isoformat()}起的外出（{where}）没有返乡时间，这一行又从"
                f"{start.isoformat()}起外出：月报会把两段都算作在外，请核对是否应补填前一段的返乡时间")
    return (f"此人{_trip(named, other)}，这一行的外出时间 {start.isoformat()} 在那次外出期间，"
            "两段外出时间重叠：月报会把重叠的日子算两次在外，请核对两段的外出时间和返乡时间")


def under_way(named: str, other: dict, placement: dict) -> str:
    """A row's trip ``placement`` under way when ``other``, a later one, begins."""
    start, back = placement["start_on"].isoformat(), placement["return_on"]
    if back is None:
        return (f"此人{_trip(named, other)}；这一行从{start}起外出、没有返乡时间，那次外出开始时"
                "此人仍在这一行的外出中：月报会把两段都算作在外，请核对是否应补填这一行的返乡时间")
    return (f"此人{_trip(named, other)}；那次外出在这一行的外出（{start} 至 {back.isoformat()}）"
            "期间开始，两段外出时间重叠：月报会把重叠的日子算两次在外，请核对两段的外出时间和返乡时间")


def day_known(placement: dict, was, start) -> str:
    """A stored trip on the 1st of a month (``was``), the person's only one that month,
    whose day a row gives (``start``): taken as that trip's."""
    unit = placement["employer_name"]
    return (f"此人台账中已有 {was.isoformat()} 外出的一条（用工单位“{unit}”），是此人当月唯一的"
            "一次外出，记在 1 日（先前可能只写了月份）：按同一次外出记，外出时间改为这一行的 "
            f"{start.isoformat()}；如果是两次外出，请在程序中把这一条的外出时间改回 "
            f"{was.isoformat()}，并新增 {start.isoformat()} 这次外出")


def rows_named(items: list[Item], most: int = 10) -> str:
    """Rows as a message lists them: “花名册”表第 3、5 行，“4月”表第 2 行 …"""
    sheets: dict[str, list[str]] = {}
    for item in items[:most]:
        sheets.setdefault(item.sheet, []).append(str(item.row))
    listed = "，".join(f"“{sheet}”表第 {'、'.join(rows)} 行" for sheet, rows in sheets.items())
    return listed + ("等" if len(items) > most else "")


def _organised_later(where: str) -> str:
    return (f"其中如有有组织输出的（月报 206 只算有组织输出），请{where}写明“有组织”，"
            + OVERWRITE_AGAIN + "；不勾选覆盖，以后导入的“有组织”改不掉已记的“自发”")


def no_organised_column(items: list[Item], whole: bool) -> str:
    """New placements of sheets without a 输出方式 column, stored as 自发 (told once a
    file); ``whole``: no sheet of the file has the column."""
    where = "本文件" if whole else "、".join(
        f"“{sheet}”表" for sheet in dict.fromkeys(item.sheet for item in items))
    return (f"{where}没有“输出方式”列：新增的 {len(items)} 条转移就业记录都按“自发”记。"
            + _organised_later("在花名册中加上“输出方式”列并"))


def blank_organised(items: list[Item]) -> str:
    """New placements whose 输出方式 cells are blank, stored as 自发 (told once a file)."""
    return (f"输出方式为空的 {len(items)} 行（{rows_named(items)}）新增的转移就业记录按“自发”记。"
            + _organised_later("在这些行的输出方式中"))


def spontaneous_kept() -> str:
    """A row's 有组织 against a stored placement's 自发, which may be the default."""
    return ("输出方式“有组织”与台账中已记的“自发”不同，仍按“自发”记：已记的“自发”可能是先前导入时"
            "输出方式为空（或没有这一列）按默认记的。如应为有组织输出（计入月报 206），请"
            + OVERWRITE_AGAIN + "这条转移就业记录")
