"""Destinations as clerks write them (``郑州``, ``广东东莞``, ``本镇``, ``日本``) → province,
GB/T 2260 code and region class (11 乡镇内, 12 县内乡镇外, 20 县外省内, 30 省外, 40 境外).

Names come from python-stdnum's GB/T 2260 table (``stdnum/cn/loc.dat``: a line
``41 province="河南省"`` then indented lines ``0926 county="[1983-]范县"`` whose
4 digits follow the province's 2; ``[from-to]`` marks a name's years) and the
aliases of ``resources/codes/province.csv``. The index is built once. A text is
cut into the longest known names from left to right; each name may stand for
several places (朝阳 is a city in 辽宁 and a district in 北京 and 长春), and the
places named before it (``北京朝阳``), after it, and the home county and
province pick one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import stdnum.cn

from laborstation.codes import code_list, normalise_name
from laborstation.errors import ValidationError

__all__ = [
    "ABROAD",
    "COUNTY_INSIDE",
    "OTHER_PROVINCE",
    "PROVINCE_INSIDE",
    "TOWNSHIP_INSIDE",
    "Destination",
    "home_destination",
    "region_class_for",
    "resolve_destination",
]

TOWNSHIP_INSIDE, COUNTY_INSIDE, PROVINCE_INSIDE, OTHER_PROVINCE, ABROAD = (
    "11", "12", "20", "30", "40",
)
# 台湾, 香港, 澳门: in the province list, but 境外 for the return.
_OUTSIDE_MAINLAND = frozenset({"71", "81", "82"})
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})

# Words that place a job relative to home rather than by a name.
_RELATIVE = {
    TOWNSHIP_INSIDE: ("本乡", "本镇", "本乡镇", "乡镇内", "乡内", "镇内", "本村", "村内", "就地",
                      "就近", "就地就近"),
    COUNTY_INSIDE: ("本县", "县内", "县城", "县内乡镇外", "外乡镇", "县内外乡镇", "本县城"),
    PROVINCE_INSIDE: ("本省", "省内", "县外省内", "外县", "本市", "市内"),
    OTHER_PROVINCE: ("省外", "外省"),
    ABROAD: ("境外", "国外", "出国", "海外", "国际", "出境"),
}

# Countries and foreign cities labour goes to; all 境外.
_ABROAD_NAMES = (
    "日本", "韩国", "新加坡", "马来西亚", "泰国", "越南", "老挝", "柬埔寨", "缅甸", "菲律宾",
    "印度尼西亚", "印尼", "印度", "巴基斯坦", "孟加拉", "斯里兰卡", "蒙古国", "哈萨克斯坦",
    "吉尔吉斯斯坦", "乌兹别克斯坦", "塔吉克斯坦", "土库曼斯坦", "俄罗斯", "阿联酋",
    "阿拉伯联合酋长国", "迪拜", "阿布扎比", "沙特", "沙特阿拉伯", "卡塔尔", "科威特", "阿曼",
    "巴林", "伊拉克", "伊朗", "约旦", "以色列", "土耳其", "埃及", "阿尔及利亚", "安哥拉",
    "尼日利亚", "赞比亚", "肯尼亚", "埃塞俄比亚", "苏丹", "坦桑尼亚", "南非", "刚果", "加纳",
    "莫桑比克", "几内亚", "马达加斯加", "毛里求斯", "美国", "加拿大", "墨西哥", "巴西", "阿根廷",
    "智利", "秘鲁", "委内瑞拉", "巴拿马", "英国", "法国", "德国", "意大利", "西班牙", "葡萄牙",
    "荷兰", "比利时", "瑞士", "瑞典", "挪威", "芬兰", "丹麦", "波兰", "匈牙利", "塞尔维亚",
    "希腊", "爱尔兰", "奥地利", "捷克", "罗马尼亚", "白俄罗斯", "乌克兰", "澳大利亚", "澳洲",
    "新西兰", "斐济", "巴布亚新几内亚", "东京", "大阪", "名古屋", "首尔", "釜山", "吉隆坡",
    "曼谷", "莫斯科", "非洲", "中东", "欧洲", "北美", "南美", "东南亚",
    # foreign cities named alone (none inside a county's name: a test checks)
    "横滨", "神户", "福冈", "仁川", "济州岛", "芭提雅", "清迈", "槟城", "沙巴", "新德里", "孟买",
    "河内", "胡志明市", "海防", "金边", "西哈努克", "万象", "仰光", "曼德勒", "马尼拉", "雅加达",
    "达卡", "卡拉奇", "伊斯兰堡", "德黑兰", "巴格达", "利雅得", "吉达", "多哈", "开罗", "拉各斯",
    "内罗毕", "约翰内斯堡", "罗安达", "亚的斯亚贝巴", "阿尔及尔", "乌兰巴托", "阿拉木图",
    "塔什干", "比什凯克", "海参崴", "符拉迪沃斯托克", "新西伯利亚", "伦敦", "巴黎", "柏林",
    "罗马", "米兰", "马德里", "巴塞罗那", "阿姆斯特丹", "纽约", "洛杉矶", "旧金山", "芝加哥",
    "多伦多", "温哥华", "悉尼", "墨尔本", "奥克兰", "圣保罗", "布宜诺斯艾利斯", "墨西哥城",
)

# Cities of 台湾, 香港 and 澳门 the province list does not name (GB/T 2260 has only the
# province): each stands for its province, 境外 for the return. (Not 金门 and 九龙: GB/T
# 2260 has a 金门县 in 福建 and a 九龙县 in 四川.)
_OUTSIDE_MAINLAND_PLACES = {
    "台北": "71", "台中": "71", "台南": "71", "高雄": "71", "桃园": "71", "基隆": "71",
    "新竹": "71", "嘉义": "71", "花莲": "71", "新界": "81", "氹仔": "82",
}

# Names of areas across provinces (or within one) that clerks write for a destination.
# One province: the area stands for it. Several: 省外 when home is in none of them, else
# not known (县外省内 or 省外 cannot be told).
_AREAS = {
    "珠三角": ("44",), "珠江三角洲": ("44",), "广深": ("44",), "闽南": ("35",),
    "苏南": ("32",), "苏北": ("32",), "浙南": ("33",), "胶东": ("37",),
    "江浙沪": ("31", "32", "33"), "苏浙沪": ("31", "32", "33"), "江浙": ("32", "33"),
    "长三角": ("31", "32", "33", "34"), "长江三角洲": ("31", "32", "33", "34"),
    "京津冀": ("11", "12", "13"), "京津": ("11", "12"), "北上广": ("11", "31", "44"),
    "北上广深": ("11", "31", "44"), "东北": ("21", "22", "23"), "东三省": ("21", "22", "23"),
}

# 新疆生产建设兵团: divisions (师) and the cities they administer (师市合一).
_BINGTUAN_DIVISIONS = {
    "一": "659002", "二": "659006", "三": "659003", "四": "659008", "五": "659007",
    "六": "659004", "七": "659010", "八": "659001", "九": "659012", "十": "659005",
    "十三": "659011", "十四": "659009",
}
# Province names clerks write that the province list does not spell.
_PROVINCE_ALIASES = {
    "新疆生产建设兵团": "65", "生产建设兵团": "65", "兵团": "65", "内蒙": "15", "雄安": "13",
}

# Level names that name no place; and endings cut to make a short form.
_FILLER = frozenset({"市辖区", "县", "郊区", "城区", "矿区", "市区"})
# Short forms that are also common words or township names (城关镇 is in most counties).
_GENERIC_SHORT = frozenset({
    "城关", "城中", "城东", "城西", "城南", "城北", "城厢", "市中", "新城", "新区", "郊区",
    "河东", "河西", "江北", "江南", "江东", "中心", "高新", "开发", "工业", "东区", "西区",
    "南区", "北区", "中区",
})
_SUFFIXES = ("自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区", "市", "县", "区", "旗",
             "盟")
_SEPARATORS = re.compile(r"[\s,，、/／\\;；:：.。()（）\[\]【】<>《》\-—_|~～·'\"“”]+")

PROVINCE, PREFECTURE, COUNTY = 0, 1, 2
# Kinds of a name, best first.
_K_PROVINCE, _K_FULL, _K_SHORT, _K_OLD, _K_OLD_SHORT = 0, 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class Destination:
    province: str | None  # 2-digit code of the province list; None abroad, unknown, or
    # an area across provinces (江浙沪)
    city: str  # e.g. '郑州市', '苏州市昆山市', '北京市朝阳区'; '' when not known
    area_code: str | None  # 6-digit GB/T 2260 code when resolved to a city or county
    region_class: str | None  # 11/12/20/30/40; None when the text names no known place
    text: str  # as written


@dataclass(frozen=True, slots=True)
class _Place:
    code: str  # 6 digits ('410000' for a province)
    level: int
    kind: int

    @property
    def prefix(self) -> str:
        return self.code[: (2, 4, 6)[self.level]]


@dataclass(frozen=True, slots=True)
class _Index:
    places: dict[str, tuple[_Place, ...]]
    relative: dict[str, str]  # word -> region class
    abroad: frozenset[str]
    areas: dict[str, frozenset[str]]  # an area across provinces -> their 2-digit codes
    names: dict[str, str]  # code6 -> current name
    lengths: tuple[int, ...]  # name lengths present, longest first


def _ranges(value: str) -> list[tuple[int, str]]:
    """'[1983-2019]桥东区,[2020-]襄都区' -> [(2019, '桥东区'), (9999, '襄都区')]."""
    found = []
    for part in value.split(","):
        end, name = 9999, part
        if part.startswith("["):
            span, _, name = part[1:].partition("]")
            end = int(span.partition("-")[2] or 9999)
        found.append((end, name))
    return found


@cache
def _ethnic_names() -> tuple[str, ...]:
    names = set()
    for code in code_list("nation"):
        names.add(code.name)
        bare = code.name.removesuffix("族")
        if len(bare) >= 2:
            names.add(bare)
    return tuple(sorted(names, key=len, reverse=True))


def _short_form(name: str) -> str | None:
    """'郑州市' -> '郑州', '黔南布依族苗族自治州' -> '黔南'; None if nothing useful is left."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name[: -len(suffix)]
            break
    else:
        return None
    if name.endswith(("自治州", "自治县", "自治旗")):
        stripped = True
        while stripped:
            stripped = False
            for ethnic in _ethnic_names():
                if short.endswith(ethnic) and len(short) > len(ethnic):
                    short, stripped = short[: -len(ethnic)], True
                    break
    return short if len(short) >= 2 else None


def _read_loc() -> list[tuple[str, list[tuple[int, str]]]]:
    rows = []
    province = ""
    text = files(stdnum.cn).joinpath("loc.dat").read_text(encoding="utf-8")
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        code, _, rest = raw.strip().partition(" ")
        if not raw.startswith(" "):
            province = code
            continue
        value = rest.partition('="')[2].rstrip('"')
        rows.append((province + code, _ranges(value)))
    return rows


@cache
def _index() -> _Index:
    places: dict[str, list[_Place]] = {}

    def add(name: str, place: _Place) -> None:
        key = normalise_name(name)
        if len(key) >= 2 and place not in places.setdefault(key, []):
            places[key].append(place)

    for code in code_list("province"):
        place = _Place(code.code + "0000", PROVINCE, _K_PROVINCE)
        for name in (code.name, *code.aliases):
            add(name, place)
    for name, province in _PROVINCE_ALIASES.items():
        add(name, _Place(province + "0000", PROVINCE, _K_PROVINCE))
    for name, province in _OUTSIDE_MAINLAND_PLACES.items():
        add(name, _Place(province + "0000", PROVINCE, _K_PROVINCE))
    for name, provinces in _AREAS.items():
        if len(provinces) == 1:
            add(name, _Place(provinces[0] + "0000", PROVINCE, _K_PROVINCE))

    names: dict[str, str] = {c.code + "0000": c.name for c in code_list("province")}
    for code6, ranges in _read_loc():
        if code6.endswith("0000"):
            continue
        end, current = ranges[-1]
        if end != 9999:
            continue  # abolished: its old names would point at a code no longer in use
        level = PREFECTURE if code6.endswith("00") else COUNTY
        for end, name in reversed(ranges):
            if name in _FILLER or "直辖" in name:
                continue
            full, short = (_K_FULL, _K_SHORT) if end == 9999 else (_K_OLD, _K_OLD_SHORT)
            if end == 9999:
                names[code6] = name
            add(name, _Place(code6, level, full))
            short_name = _short_form(name)
            if short_name and short_name not in _FILLER and short_name not in _GENERIC_SHORT:
                add(short_name, _Place(code6, level, short))
    for numeral, code6 in _BINGTUAN_DIVISIONS.items():
        for name in (f"农{numeral}师", f"第{numeral}师", f"兵团{numeral}师"):
            add(name, _Place(code6, COUNTY, _K_FULL))

    relative = {normalise_name(w): cls for cls, words in _RELATIVE.items() for w in words}
    abroad = frozenset(normalise_name(n) for n in _ABROAD_NAMES)
    areas = {normalise_name(n): frozenset(p) for n, p in _AREAS.items() if len(p) > 1}
    keys = set(places) | set(relative) | set(abroad) | set(areas)
    return _Index(
        places={k: tuple(v) for k, v in places.items()},
        relative=relative,
        abroad=abroad,
        areas=areas,
        names=names,
        lengths=tuple(sorted({len(k) for k in keys}, reverse=True)),
    )


def _tokens(key: str, index: _Index) -> list[str]:
    """The longest known names, left to right (unknown characters skipped)."""
    found = []
    i = 0
    while i < len(key):
        for length in index.lengths:
            word = key[i : i + length]
            if len(word) == length and (
                word in index.places or word in index.relative or word in index.abroad
                or word in index.areas
            ):
                found.append(word)
                i += length
                break
        else:
            i += 1
    return found


def _related(a: _Place, b: _Place) -> bool:
    return a.code.startswith(b.prefix) or b.code.startswith(a.prefix)


def _choose(groups: list[tuple[_Place, ...]], home6: str) -> _Place | None:
    """The most specific place that agrees with the names around it."""
    chosen: _Place | None = None
    for i, candidates in enumerate(groups):
        if chosen is not None:
            candidates = tuple(p for p in candidates if _related(chosen, p))
            if not candidates:
                continue  # contradicts what was named before: ignore it

        def rank(p: _Place, rest=groups[i + 1 :]) -> tuple:
            support = sum(any(_related(p, q) for q in group) for group in rest)
            return (-support, p.kind, not home6.startswith(p.prefix),
                    p.code[:2] != home6[:2], p.level, p.code)

        best = min(candidates, key=rank)
        if chosen is None or best.level > chosen.level:
            chosen = best
    return chosen


def _city(code6: str, level: int, names: dict[str, str]) -> str:
    province = code6[:2]
    if level == PROVINCE:
        special = province in _MUNICIPALITIES or province in _OUTSIDE_MAINLAND
        return names.get(code6, "") if special else ""
    parts = []
    prefecture = names.get(code6[:4] + "00")
    if prefecture is None and province in _MUNICIPALITIES:
        prefecture = names.get(province + "0000")
    if prefecture:
        parts.append(prefecture)
    if level == COUNTY and names.get(code6) and names[code6] not in parts:
        parts.append(names[code6])
    return "".join(parts)


def _home6(home_code: str) -> str:
    home = (home_code or "").strip()
    if len(home) < 6 or not (home.isascii() and home.isdigit()):
        raise ValueError(f"home_code must start with a 6-digit county code, got {home_code!r}")
    return home[:6]


def _class_of(code6: str, level: int, home6: str) -> str:
    if code6[:2] in _OUTSIDE_MAINLAND:
        return ABROAD
    if code6[:2] != home6[:2]:
        return OTHER_PROVINCE
    if level == COUNTY and code6 == home6:
        return COUNTY_INSIDE
    return PROVINCE_INSIDE


def resolve_destination(text: str | None, *, home_code: str) -> Destination:
    """Read a destination as written; ``home_code`` is the person's township code (12 or 9
    digits, the first 6 are the county). Unknown text gives ``region_class`` None."""
    return _resolve(text or "", _home6(home_code))


# 河南省外, 河南省以外（务工）: a province and 外 (its name read whole, never 河南 + 省外).
_OUTSIDE_PROVINCE = re.compile(r"(.+?省)(?:以外|之外|外)(?:务工|打工|就业)?")


@lru_cache(maxsize=16384)
def _resolve(text: str, home6: str) -> Destination:
    written = text.strip()
    index = _index()
    key = _SEPARATORS.sub("|", normalise_name(written))
    outside = _OUTSIDE_PROVINCE.fullmatch(key)
    if outside and any(p.level == PROVINCE for p in index.places.get(outside.group(1), ())):
        # 河南省外: outside the named province; 省外 when it is home's, else not known.
        home = any(p.code[:2] == home6[:2] for p in index.places[outside.group(1)])
        return Destination(None, "", None, OTHER_PROVINCE if home else None, written)
    words = _tokens(key, index)
    foreign = [w for w in words if w in index.abroad]
    if foreign:
        return Destination(None, "".join(dict.fromkeys(foreign)), None, ABROAD, written)
    groups = [index.places[w] for w in words if w in index.places]
    place = _choose(groups, home6) if groups else None
    if place is not None:
        region = _class_of(place.code, place.level, home6)
        return Destination(
            place.code[:2],
            _city(place.code, place.level, index.names),
            place.code if place.level > PROVINCE else None,
            region,
            written,
        )
    relative = [index.relative[w] for w in words if w in index.relative]
    if not relative:
        areas = [index.areas[w] for w in words if w in index.areas]
        if areas and not any(home6[:2] in area for area in areas):
            return Destination(None, "", None, OTHER_PROVINCE, written)
        return Destination(None, "", None, None, written)
    region = relative[0]
    if region in (TOWNSHIP_INSIDE, COUNTY_INSIDE):
        return _at_home(written, home6, region)
    if region == PROVINCE_INSIDE:
        return Destination(home6[:2], "", None, region, written)
    return Destination(None, "", None, region, written)


def _at_home(written: str, home6: str, region_class: str) -> Destination:
    return Destination(home6[:2], _city(home6, COUNTY, _index().names), home6, region_class,
                       written)


def home_destination(text: str, *, home_code: str, region_class: str) -> Destination:
    """A destination within the home county (乡镇内 or 县内乡镇外) that the caller told
    by a name GB/T 2260 does not have (a township's, a village's)."""
    if region_class not in (TOWNSHIP_INSIDE, COUNTY_INSIDE):
        raise ValueError(f"not a region class within the county: {region_class!r}")
    return _at_home(text.strip(), _home6(home_code), region_class)


def region_class_for(
    *, province: str | None, area_code: str | None = None, home_code: str, abroad: bool = False
) -> str:
    """The region class of a destination picked in a form (province and maybe a city code)."""
    if abroad:
        return ABROAD
    home6 = _home6(home_code)
    code = (area_code or "").strip()
    if len(code) >= 6 and code[:6].isdigit():
        level = COUNTY if not code[:6].endswith("00") else PREFECTURE
        if province and province != code[:2]:
            raise ValidationError(
                f"务工地点的省份（{province}）与地区代码 {code} 不一致。", "area_code"
            )
        if len(code) == 12 and len(home_code.strip()) >= 9 and code[:9] == home_code[:9]:
            return TOWNSHIP_INSIDE
        return _class_of(code[:6], level, home6)
    if not province:
        raise ValidationError("请选择务工地点的省份，或勾选境外。", "province")
    if code_list("province").by_code(province) is None:
        raise ValidationError(f"省份代码“{province}”不在省份代码表中。", "province")
    return _class_of(province + "0000", PROVINCE, home6)
