"""Destinations as clerks write them, resolved for a home township in 范县 (410926)."""

from __future__ import annotations

import pytest

from laborstation.errors import ValidationError
from laborstation.regions import region_class_for, resolve_destination

HOME = "410926209000"


@pytest.mark.parametrize(
    ("text", "province", "area_code", "region"),
    [
        ("北京市朝阳区", "11", "110105", "30"),
        ("北京", "11", None, "30"),
        ("郑州", "41", "410100", "20"),
        ("郑州市", "41", "410100", "20"),
        ("河南郑州", "41", "410100", "20"),
        ("新疆生产建设兵团农六师", "65", "659004", "30"),
        ("新疆兵团", "65", None, "30"),
        ("新疆", "65", None, "30"),
        ("本县", "41", "410926", "12"),
        ("县城", "41", "410926", "12"),
        ("本乡", "41", "410926", "11"),
        ("本镇", "41", "410926", "11"),
        ("乡镇内", "41", "410926", "11"),
        ("广东东莞", "44", "441900", "30"),
        ("东莞", "44", "441900", "30"),
        ("江苏省苏州市昆山市", "32", "320583", "30"),
        ("上海", "31", None, "30"),
        ("濮阳市范县", "41", "410926", "12"),
        ("范县", "41", "410926", "12"),
        ("濮阳", "41", "410900", "20"),
        ("濮阳县", "41", "410928", "20"),
        ("日本", None, None, "40"),
        ("境外", None, None, "40"),
        ("香港", "81", None, "40"),
        ("阿联酋迪拜", None, None, "40"),
        ("省外", None, None, "30"),
        ("县外省内", "41", None, "20"),
        ("河南省外", None, None, "30"),  # outside home's province, not 河南 + 省外
        ("河南省以外务工", None, None, "30"),
    ],
)
def test_destinations_written_by_clerks(text, province, area_code, region):
    found = resolve_destination(text, home_code=HOME)
    assert (found.province, found.area_code, found.region_class) == (province, area_code, region)
    assert found.text == text


@pytest.mark.parametrize("text", ["不详", "asdf", "", "在外打工", "城关镇", "电子厂",
                                  "广东省外"])
def test_unknown_text_has_no_region(text):
    found = resolve_destination(text, home_code=HOME)
    assert found.region_class is None
    assert found.province is None


def test_a_name_in_several_provinces_follows_the_province_named_before_it():
    assert resolve_destination("北京朝阳", home_code=HOME).area_code == "110105"
    assert resolve_destination("长春朝阳区", home_code=HOME).area_code == "220104"
    assert resolve_destination("辽宁朝阳", home_code=HOME).area_code == "211300"


def test_the_home_province_breaks_a_tie():
    # 新华区 is in 河北 (石家庄, 沧州) and 河南 (平顶山): from 范县 it means 平顶山.
    found = resolve_destination("新华区", home_code=HOME)
    assert found.area_code == "410402"
    assert found.region_class == "20"


def test_city_names_the_prefecture_and_county():
    assert resolve_destination("江苏省苏州市昆山市", home_code=HOME).city == "苏州市昆山市"
    assert resolve_destination("北京市朝阳区", home_code=HOME).city == "北京市朝阳区"
    assert resolve_destination("郑州", home_code=HOME).city == "郑州市"
    assert resolve_destination("日本", home_code=HOME).city == "日本"


def test_short_and_old_names():
    assert resolve_destination("黔南", home_code=HOME).area_code == "522700"  # 黔南布依族苗族自治州
    assert resolve_destination("襄樊", home_code=HOME).area_code == "420600"  # now 襄阳市


def test_a_nine_digit_home_code_and_a_home_in_another_province():
    assert resolve_destination("本镇", home_code="410926209").region_class == "11"
    assert resolve_destination("郑州", home_code="110105001000").region_class == "30"
    assert resolve_destination("北京", home_code="110105001000").region_class == "20"
    assert resolve_destination("朝阳区", home_code="110105001000").region_class == "12"


def test_a_bad_home_code_is_a_programming_error():
    with pytest.raises(ValueError):
        resolve_destination("郑州", home_code="41")


def test_region_class_for_a_form():
    assert region_class_for(province="41", area_code="410926", home_code=HOME) == "12"
    assert region_class_for(province="41", area_code="410100", home_code=HOME) == "20"
    assert region_class_for(province="41", area_code="410926209201", home_code=HOME) == "11"
    assert region_class_for(province="41", area_code="410926100000", home_code=HOME) == "12"
    assert region_class_for(province="41", home_code=HOME) == "20"
    assert region_class_for(province="11", home_code=HOME) == "30"
    assert region_class_for(province="81", home_code=HOME) == "40"
    assert region_class_for(province=None, home_code=HOME, abroad=True) == "40"
    with pytest.raises(ValidationError) as error:
        region_class_for(province=None, home_code=HOME)
    assert error.value.field == "province"
    with pytest.raises(ValidationError):
        region_class_for(province="41", area_code="110105", home_code=HOME)
    with pytest.raises(ValidationError):
        region_class_for(province="99", home_code=HOME)


@pytest.mark.parametrize(
    ("text", "province", "region"),
    [
        ("台北", "71", "40"),  # GB/T 2260 names 台湾省 only: its cities stand for it
        ("高雄市", "71", "40"),
        ("新界", "81", "40"),
        ("伦敦", None, "40"),  # foreign cities named alone
        ("巴黎", None, "40"),
        ("河内", None, "40"),
        ("珠三角", "44", "30"),  # an area within one province stands for it
        ("闽南", "35", "30"),
        ("江浙沪", None, "30"),  # across provinces, none of them home's: 省外
        ("长三角", None, "30"),
        ("东北", None, "30"),
        ("北上广", None, "30"),
        ("江浙沪苏州", "32", "30"),  # a place named with it wins
    ],
)
def test_foreign_cities_taiwan_cities_and_areas_across_provinces(text, province, region):
    found = resolve_destination(text, home_code=HOME)
    assert (found.province, found.region_class) == (province, region)


def test_an_area_across_provinces_that_holds_home_is_not_known():
    # From 昆山 (江苏), 长三角 may be 县外省内 or 省外: the clerk is asked (no region)
    assert resolve_destination("长三角", home_code="320583000000").region_class is None
    assert resolve_destination("京津冀", home_code="130102000000").region_class is None


def test_names_that_are_also_chinese_places_stay_chinese():
    # 万柏林区 (太原) holds 柏林, 巴林右旗 巴林; GB/T 2260 has a 金门县 (福建) and a 九龙县 (四川)
    assert resolve_destination("太原万柏林", home_code=HOME).area_code == "140109"
    assert resolve_destination("巴林右旗", home_code=HOME).province == "15"
    assert resolve_destination("金门县", home_code=HOME).province == "35"
    assert resolve_destination("九龙县", home_code=HOME).province == "51"


def test_the_foreign_and_outside_mainland_names_are_in_no_county_name():
    """(But 柏林 and 巴林: the county names holding them are matched whole, above.)"""
    from laborstation import regions

    names = set(regions._index().names.values())
    added = [*regions._ABROAD_NAMES, *regions._OUTSIDE_MAINLAND_PLACES, *regions._AREAS]
    clashes = {n: [c for c in names if n in c] for n in added if n not in ("柏林", "巴林")}
    assert {n: c for n, c in clashes.items() if c} == {}
