"""The code lists: loading, lookup by code, name, alias and bracket-stripped name."""

from __future__ import annotations

import pytest

from laborstation.codes import ALL_LISTS, Code, CodeList, code_list
from laborstation.resources import resource_path


def test_all_lists_are_the_csv_files():
    files = sorted(p.stem for p in resource_path("codes").glob("*.csv"))
    assert list(ALL_LISTS) == files
    assert {"education", "nation", "relation", "household_category", "industry"} <= set(ALL_LISTS)


@pytest.mark.parametrize("name", ALL_LISTS)
def test_every_list_loads_with_unique_codes_and_names(name):
    codes = code_list(name)
    assert isinstance(codes, CodeList) and codes.name == name
    assert len(codes) > 0 and len(set(codes.codes())) == len(codes)
    assert len(set(codes.names())) == len(codes)
    assert all(c.code and c.name for c in codes)


def test_code_list_is_cached():
    assert code_list("nation") is code_list("nation")


def test_unknown_list_raises_key_error_naming_it():
    with pytest.raises(KeyError, match="no_such_list"):
        code_list("no_such_list")
    with pytest.raises(KeyError):
        code_list("../codes/nation")


def test_iteration_keeps_file_order_and_codes_stay_text():
    nation = code_list("nation")
    first = next(iter(nation))
    assert first == Code("01", "汉族", ("汉",), "")
    assert nation.codes()[:3] == ["01", "02", "03"]
    assert nation.names()[:2] == ["汉族", "蒙古族"]


def test_by_code():
    nation = code_list("nation")
    assert nation.by_code("01").name == "汉族"
    assert nation.by_code(" 03 ").name == "回族"
    assert nation.by_code("1") is None  # by_code is exact; lookup forgives
    assert nation.by_code(None) is None
    assert "01" in nation and "1" not in nation


def test_by_name_and_alias():
    education = code_list("education")
    assert education.by_name("大学专科").code == "30"
    assert education.by_name("大专").code == "30"
    assert education.by_name(" 中\u3000专 ").code == "40"
    assert education.by_name("幼儿园") is None
    assert education.by_name("") is None and education.by_name(None) is None


def test_aliases_and_note_are_read():
    relation = code_list("relation")
    assert relation.by_code("10").aliases[:5] == ("配偶", "妻", "妻子", "夫", "丈夫")
    assert relation.by_name("之妻").name == "配偶"
    assert relation.by_name("妻子").name == "配偶"
    assert code_list("local_status").by_code("31").note.startswith("non-farm")
    assert code_list("nation").by_code("01").note == ""


def test_bracketed_part_may_be_left_out_and_brackets_may_be_half_width():
    category = code_list("household_category")
    full = "监测户（防止返贫监测对象）"
    assert category.by_name("监测户").name == full
    assert category.by_name(full).code == "2"
    assert category.by_name("监测户(防止返贫监测对象)").code == "2"
    assert category.by_name("监测户（其他说法）").code == "2"
    assert code_list("hardship").by_name("大龄失业人员").code == "050"


def test_lookup_tries_code_then_name():
    education = code_list("education")
    assert education.lookup("20").name == "大学本科"
    assert education.lookup("本科").code == "20"
    assert education.lookup("２０").code == "20"
    assert education.lookup("天书") is None and education.lookup(None) is None
    assert code_list("industry").lookup("c").name == "制造业"


def test_lookup_forgives_leading_zeros_dropped_by_excel():
    assert code_list("nation").lookup("1").name == "汉族"
    assert code_list("hardship").lookup("60").name == "残疾人"


def test_name_of():
    province = code_list("province")
    assert province.name_of("41") == "河南省"
    assert province.name_of("00") == "" and province.name_of(None) == ""
    assert province.lookup("河南").code == "41"
