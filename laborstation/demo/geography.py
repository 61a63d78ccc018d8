"""The demo's places: 范县's townships and villages, and where its people go to work.

Codes are 12-digit statistical area codes (6 GB/T 2260 + 3 township + 3 village).
Employer names are invented but shaped like real ones; their unified social credit
codes carry valid check characters (GB 11714 inside, GB 32100 at the end).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from stdnum.cn import uscc

from laborstation.demo.names import SURNAMES

COUNTY_CODE = "410926"
COUNTY_NAME = "范县"
COUNTY_PLACE = "河南省濮阳市范县"
INDUSTRIAL_ZONE = ("410926400000", "范县产业集聚区")

# (3-digit code, name): towns 1xx, townships 2xx, as in the statistical codes.
TOWNSHIPS = (
    ("100", "濮城镇"), ("101", "龙王庄镇"), ("102", "陈庄镇"), ("103", "王楼镇"),
    ("104", "高码头镇"), ("105", "辛庄镇"), ("106", "樱桃园镇"), ("200", "杨集乡"),
    ("201", "白衣阁乡"), ("202", "颜村铺乡"), ("203", "陆集乡"), ("204", "张庄乡"),
)

_SUFFIXES = tuple("庄庄庄楼楼集寨屯店桥堤口营园坊洼堂铺")
_PREFIXES = tuple("前后东西南北大小新")
_CN_NUMBERS = tuple("一二三四五六七八九十")


def village_names(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str]]:
    """``count`` new (village name, main surname) pairs, e.g. ('前王庄村', '王')."""
    result: list[tuple[str, str]] = []
    common = SURNAMES[:40]
    while len(result) < count:
        family = rng.choice(common)
        roll = rng.random()
        if roll < 0.55:
            stem = family + rng.choice(_SUFFIXES)
        elif roll < 0.8:
            stem = rng.choice(_PREFIXES) + family + rng.choice(_SUFFIXES)
        elif roll < 0.92:
            other = rng.choice(common)
            stem = family + other + "庄" if other != family else family + "家庄"
        else:
            stem = rng.choice(("马棚", "金村", "孟楼", "毛楼", "胡那里", "杜固堆", "沙窝", "梁庙",
                               "龙王庙", "黄河滩", "临河", "旧城", "古城", "董口", "邢庙"))
            family = stem[0] if stem[0] in SURNAMES else rng.choice(common)
        name = stem if stem.endswith("村") else stem + "村"
        if name not in taken:
            taken.add(name)
            result.append((name, family))
    return result


def group_name(index: int) -> str:
    """The i-th (0-based) village group: 一组, 二组, …"""
    return _CN_NUMBERS[index] + "组" if index < 10 else f"{index + 1}组"


@dataclass(frozen=True)
class EmployerSpec:
    key: str  # destination key
    name: str
    industry: str  # GB/T 4754 门类
    occupation: str  # 职业大类
    region6: str  # where it is registered


@dataclass(frozen=True)
class Destination:
    key: str
    province: str | None
    city: str
    area_code: str | None
    text: str
    region_class: str | None  # None: inside the county (11 or 12 by the person's township)
    weight: float
    wage: tuple[int, int]
    employers: tuple[tuple[str, str, str], ...]  # (name, industry, occupation)
    scrap: bool = False  # the 劳务品牌 范县废旧金属挑选加工
    cotton: bool = False  # cotton picking in the Xinjiang Corps (对疆劳务协作)


_E, _C, _G, _H, _O, _A = "E", "C", "G", "H", "O", "A"
DESTINATIONS = (
    Destination("beijing", "11", "北京市朝阳区", "110105000000", "北京市朝阳区", "30", 12, (5000, 8500), (
        ("北京京豫宏建筑劳务有限公司", _E, "6"), ("北京城南物业管理有限公司", _O, "4"),
        ("北京鑫达通物流有限公司", _G, "4"), ("北京豫香园餐饮管理有限公司", _H, "4"))),
    Destination("beijing_dx", "11", "北京市大兴区", "110115000000", "北京市大兴区", "30", 5, (4800, 8000), (
        ("北京大兴兴业建筑工程有限公司", _E, "6"), ("北京亦庄精工电子有限公司", _C, "6"))),
    Destination("zhengzhou", "41", "郑州市", "410173000000", "河南省郑州市航空港区", "20", 12,
                (3500, 6000), (
        ("郑州航空港区鸿达精密电子有限公司", _C, "6"), ("郑州中豫建工劳务有限公司", _E, "6"),
        ("郑州好家帮家政服务有限公司", _O, "4"))),
    Destination("puyang", "41", "濮阳市华龙区", "410902000000", "河南省濮阳市华龙区", "20", 6, (3000, 5000), (
        ("濮阳市龙城建筑劳务有限公司", _E, "6"), ("濮阳市绿源食品有限公司", _C, "6"),
        ("濮阳华龙商贸物流有限公司", _G, "4"))),
    Destination("qingdao", "37", "青岛市黄岛区", "370211000000", "山东省青岛市黄岛区", "30", 8, (4500, 7500), (
        ("青岛西海岸轮胎制造有限公司", _C, "6"), ("青岛港湾装卸劳务服务有限公司", _G, "6"),
        ("青岛海滨食品有限公司", _C, "6"))),
    Destination("tianjin", "12", "天津市滨海新区", "120116000000", "天津市滨海新区", "30", 6, (4500, 7500), (
        ("天津滨海汽车零部件有限公司", _C, "6"), ("天津泰达建筑安装有限公司", _E, "6"))),
    Destination("guangdong_dg", "44", "东莞市", "441900000000", "广东省东莞市长安镇", "30", 6,
                (4500, 7000), (
        ("东莞市长安鸿盛电子有限公司", _C, "6"), ("东莞市虎门华服制衣有限公司", _C, "6"))),
    Destination("guangdong_sz", "44", "深圳市宝安区", "440306000000", "广东省深圳市宝安区", "30", 5,
                (5000, 8000), (
        ("深圳市宝安华强精密电子厂", _C, "6"), ("深圳市鹏城快递服务有限公司", _G, "4"))),
    Destination("shanghai", "31", "上海市松江区", "310117000000", "上海市松江区", "30", 3, (5000, 8000), (
        ("上海松江九亭电子有限公司", _C, "6"), ("上海申豫物业管理有限公司", _O, "4"))),
    Destination("kunshan", "32", "苏州市昆山市", "320583000000", "江苏省昆山市", "30", 3, (4500, 7000), (
        ("昆山华东电子科技有限公司", _C, "6"),)),
    # The 劳务品牌: scrap-metal sorting (废旧金属挑选加工).
    Destination("scrap_jinghai", "12", "天津市静海区", "120118000000", "天津市静海区子牙镇", "30", 0,
                (5000, 9000), (("天津静海鑫源再生资源有限公司", _C, "6"),
                               ("天津子牙循环经济产业区金属分拣中心", _C, "6")), scrap=True),
    Destination("scrap_nanhai", "44", "佛山市南海区", "440605000000", "广东省佛山市南海区大沥镇", "30", 0,
                (5500, 9500), (("佛山市南海区大沥金属回收有限公司", _C, "6"),
                               ("佛山市南海恒昌废旧金属加工厂", _C, "6")), scrap=True),
    Destination("scrap_taizhou", "33", "台州市路桥区", "331004000000", "浙江省台州市路桥区", "30", 0,
                (5000, 9000), (("台州市路桥金属再生资源有限公司", _C, "6"),), scrap=True),
    Destination("scrap_bazhou", "13", "廊坊市霸州市", "131081000000", "河北省霸州市胜芳镇", "30", 0,
                (4500, 8000), (("霸州市胜芳废旧金属加工厂", _C, "6"),), scrap=True),
    # Cotton picking in the Xinjiang Production and Construction Corps.
    Destination("xj_alar", "65", "阿拉尔市", "659002000000", "新疆生产建设兵团第一师阿拉尔市", "30", 0,
                (6000, 9500), (("新疆生产建设兵团第一师十团", _A, "5"),
                               ("新疆生产建设兵团第一师十二团", _A, "5")), cotton=True),
    Destination("xj_shihezi", "65", "石河子市", "659001000000", "新疆生产建设兵团第八师石河子市", "30", 0,
                (6000, 9000), (("新疆生产建设兵团第八师一四三团", _A, "5"),), cotton=True),
    Destination("xj_tumxuk", "65", "图木舒克市", "659003000000", "新疆生产建设兵团第三师图木舒克市",
                "30", 0, (6000, 9000), (("新疆生产建设兵团第三师四十四团", _A, "5"),), cotton=True),
    # Inside the county: 11 or 12 follows from the person's own township.
    Destination("zone", "41", "濮阳市范县", INDUSTRIAL_ZONE[0], "范县产业集聚区", None, 8, (2800, 4500), (
        ("范县恒信羽绒制品有限公司", _C, "6"), ("范县中原新型建材有限公司", _C, "6"),
        ("范县金丰食品有限公司", _C, "6"), ("范县鑫源化工有限公司", _C, "6"))),
    Destination("township", "41", "濮阳市范县", None, "", None, 9, (2400, 4000), ()),
    # Abroad, through a licensed dispatching company (对外劳务合作).
    Destination("japan", None, "日本", None, "日本国爱知县", "40", 0.5, (9000, 14000), (
        ("河南中原对外劳务合作有限公司", _C, "6"),)),
    Destination("singapore", None, "新加坡", None, "新加坡", "40", 0.3, (9000, 13000), (
        ("河南中原对外劳务合作有限公司", _E, "6"),)),
)
DESTINATION_BY_KEY = {d.key: d for d in DESTINATIONS}
# Local employers of a township (name template, industry, occupation).
LOCAL_EMPLOYERS = (
    ("{t}兴农农民专业合作社", _A, "5"), ("{t}宏达服装加工厂", _C, "6"),
    ("{t}顺发建筑队", _E, "6"), ("{t}鑫旺食用菌种植基地", _A, "5"), ("{t}扶贫车间（箱包加工）", _C, "6"),
)

PARTNER_SITES = (
    ("北京朝阳劳务合作基地", "beijing"), ("郑州航空港劳务合作基地", "zhengzhou"),
    ("青岛黄岛劳务合作基地", "qingdao"), ("天津静海废旧金属挑选劳务基地", "scrap_jinghai"),
    ("佛山南海废旧金属挑选劳务基地", "scrap_nanhai"), ("新疆兵团第一师劳务协作基地", "xj_alar"),
    ("东莞长安劳务合作基地", "guangdong_dg"),
)

_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check(first8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def credit_code(rng: random.Random, region6: str, *, public_body: bool = False) -> str:
    """A well-formed 统一社会信用代码: 91 (company) or 12 (public institution) + region + org code."""
    prefix = "12" if public_body else "91"
    body = "MA" + "".join(rng.choice(_ORG_ALPHABET[:10] + "ABCDEFGHJKLMN") for _ in range(6))
    first17 = prefix + region6 + body + _org_check(body)
    return first17 + uscc.calc_check_digit(first17)
