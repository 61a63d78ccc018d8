"""Plausible names of the Henan plain: surnames weighted as in Henan, given names by sex and decade."""

from __future__ import annotations

import random
from itertools import accumulate

# Surname and weight (per mille, roughly Henan's distribution; the long tail flattened).
_SURNAMES = (
    ("王", 77), ("李", 73), ("张", 71), ("刘", 57), ("陈", 35), ("杨", 31), ("赵", 26),
    ("郭", 20), ("孙", 16), ("马", 15), ("黄", 13), ("周", 13), ("吴", 11), ("徐", 11),
    ("朱", 11), ("高", 12), ("宋", 10), ("胡", 9), ("何", 6), ("韩", 9), ("郑", 8),
    ("梁", 7), ("程", 8), ("谢", 5), ("冯", 8), ("许", 7), ("史", 6), ("邓", 4),
    ("曹", 6), ("袁", 6), ("苏", 5), ("崔", 6), ("闫", 6), ("贾", 6), ("杜", 6),
    ("魏", 6), ("毛", 4), ("付", 5), ("田", 6), ("孟", 5), ("侯", 5), ("薛", 4),
    ("翟", 3), ("范", 4), ("任", 4), ("葛", 3), ("牛", 4), ("常", 4), ("段", 3),
    ("聂", 2), ("申", 3), ("姚", 3), ("彭", 3), ("吕", 4), ("于", 3), ("石", 4),
    ("蒋", 2), ("丁", 3), ("沈", 2), ("单", 2), ("岳", 2), ("卢", 2), ("庞", 2),
    ("邵", 2), ("司", 2), ("樊", 2), ("秦", 3), ("董", 4), ("潘", 2), ("路", 2),
    ("尚", 2), ("焦", 2), ("蔡", 2), ("耿", 2), ("班", 1), ("晁", 1), ("仝", 1),
)
SURNAMES = tuple(s for s, _ in _SURNAMES)
_CUMULATIVE = tuple(accumulate(w for _, w in _SURNAMES))

# Whole given names by decade of birth (1930 = born before 1960 too).
_GIVEN = {
    ("1", 1930): "国庆 建国 秋生 福来 长山 铁柱 德胜 振华 金生 永祥 保全 春生 庆山 学文 守田 广才 有福 玉山 天顺 文明 青山 老三",
    ("2", 1930): "桂兰 秀英 玉兰 凤英 桂英 秀兰 兰英 翠花 素珍 淑珍 玉珍 桂芝 秀珍 凤兰 玉梅 春花 菊花 秀云 金花 玉英",
    ("1", 1960): "建军 卫东 红军 建华 国强 卫国 立新 跃进 新民 志刚 向阳 建设 永强 建民 红旗 爱国 胜利 援朝 保国 学军",
    ("2", 1960): "红霞 丽华 红梅 秀芳 爱华 卫红 丽萍 春梅 玉霞 红英 建芳 爱玲 素芳 俊英 改霞 彩云 红杰 爱琴",
    ("1", 1970): "伟 强 勇 军 海军 建伟 永刚 红伟 国伟 振东 春雷 利民 新华 卫星 东亮 国锋 红亮 振宇 海峰 建立",
    ("2", 1970): "丽 艳 静 红 霞 燕 丽娟 艳红 海燕 玉红 晓燕 彩霞 俊霞 敏 艳玲 红艳 素娟 利霞 秋菊 艳丽",
    ("1", 1980): "磊 鹏 超 涛 浩 亮 斌 辉 刚 帅 晓东 俊杰 海涛 志伟 鹏飞 亚东 朋朋 亚伟 永超 明亮",
    ("2", 1980): "丹 娟 静 婷 倩 丽丽 亚楠 晓丽 芳芳 莉 蕾 培培 亚丽 利娜 娜 冰 艳艳 晶 亚萍 贝贝",
    ("1", 1990): "凯 阳 鑫 杰 宇 博 豪 旭 俊豪 家乐 浩然 鹏程 亚飞 梦龙 晨 龙飞 佳豪 振 帅帅 一帆",
    ("2", 1990): "雪 倩倩 婷婷 晶晶 梦瑶 佳琪 欣 颖 琳 玉洁 梦洁 雨欣 佳佳 晓雪 慧 璐 一丹 梦 月 静怡",
    ("1", 2000): "子豪 浩宇 宇航 一鸣 博文 家豪 子轩 天宇 梓豪 明轩 文博 嘉怡 晨阳 俊熙 昊天 佳乐 子恒 宇豪",
    ("2", 2000): "欣怡 雨涵 佳怡 子涵 思雨 可欣 紫涵 诗琪 梦琪 雨萱 一诺 梦涵 佳欣 若曦 语嫣 欣悦 晨曦",
    ("1", 2010): "梓轩 宇轩 沐辰 子墨 皓轩 梓睿 奕辰 锦程 宇泽 一诺 浩宇 承泽 睿泽 逸凡 俊宇 梓航 辰逸",
    ("2", 2010): "梓涵 欣妍 若汐 语桐 诗涵 梓萱 依诺 可馨 雨桐 沐晴 艺涵 一诺 思彤 安琪 芷若 梦琪 沐瑶",
}
GIVEN = {key: tuple(text.split()) for key, text in _GIVEN.items()}

# Characters composed into two-character names, for variety beyond the lists.
_FIRST = {"1": "建国志永振海红学明俊文伟宏新春金德东占广保长宪庆朝利卫",
          "2": "秀玉桂丽红春美艳晓彩俊雪海爱素小淑翠月"}
_SECOND = {"1": "军华强民伟涛峰杰刚林平生亮成鹏辉勇超彬松山磊龙奎胜",
           "2": "英兰芳霞珍梅娟丽敏静燕萍红娜玲琴云华凤花娥"}


def surname(rng: random.Random) -> str:
    """A surname drawn with Henan's weights."""
    return rng.choices(SURNAMES, cum_weights=_CUMULATIVE)[0]


def _decade(year: int) -> int:
    if year < 1960:
        return 1930
    return min(2010, year // 10 * 10)


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    """A given name typical for the sex ('1'/'2') and the decade of birth."""
    if rng.random() < 0.7 or birth_year >= 2000:
        return rng.choice(GIVEN[(sex, _decade(birth_year))])
    return rng.choice(_FIRST[sex]) + rng.choice(_SECOND[sex])


def full_name(rng: random.Random, family: str, sex: str, birth_year: int) -> str:
    return family + given_name(rng, sex, birth_year)
