"""Import: cell values as clerks type them, header normalisation and detection, name keys."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

import pytest

from laborstation.importing import values as v
from laborstation.importing import wages
from laborstation.importing.headers import SCAN_ROWS, field_of, find_header, normalise_header
from laborstation.importing.names import fast_search_text
from laborstation.importing.places import group_key, village_key
from laborstation.importing.reading import decode_text
from laborstation.search_keys import search_text

ID = "410926198503010135"  # valid, male, born 1985-03-01


@pytest.mark.parametrize(
    "raw",
    [ID, " 410926 19850301 0135 ", "４１０９２６１９８５０３０１０１３５", "410926\u3000198503010135",
     ID + ".0"],  # (a whole number written out by a program: all 18 digits there)
)
def test_id_numbers_as_text_full_width_or_with_spaces(raw):
    info = v.id_number(raw)
    assert info.number == ID and info.sex == "1" and info.birth_date == date(1985, 3, 1)


def test_id_lower_case_x_and_fifteen_digits():
    from laborstation.idnumber import check_digit

    first17 = "11010519491231002"
    assert v.id_number((first17 + check_digit(first17)).lower()).number.endswith(
        check_digit(first17))
    assert v.id_number("410926850301013").number == "410926198503010130"[:17] + check_digit(
        "41092619850301013")


@pytest.mark.parametrize("raw", [4.10926198503010e17, 410926198503010135, "4.10926E+17"])
def test_an_id_excel_stored_as_a_number_says_why_and_how_to_fix(raw):
    with pytest.raises(v.BadValue) as caught:
        v.id_number(raw)
    assert "文本" in str(caught.value) and "Excel" in str(caught.value)


def test_a_wrong_check_digit_is_refused():
    with pytest.raises(v.BadValue, match="校验位"):
        v.id_number(ID[:-1] + "6")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (46082.0, date(2026, 3, 1)), (46082, date(2026, 3, 1)),
        ("2026-03-01", date(2026, 3, 1)), ("2026/3/1", date(2026, 3, 1)),
        ("2026.3.1", date(2026, 3, 1)), ("2026年3月1日", date(2026, 3, 1)),
        ("2026.3", date(2026, 3, 1)), ("202603", date(2026, 3, 1)), (202603, date(2026, 3, 1)),
        ("2026年3月", date(2026, 3, 1)), ("20260315", date(2026, 3, 15)),
        (date(2026, 3, 2), date(2026, 3, 2)), (datetime(2026, 3, 2, 8, 0), date(2026, 3, 2)),
        ("2026-03-01 00:00:00", date(2026, 3, 1)), ("２０２６－０３－０１", date(2026, 3, 1)),
        ("", None),
    ],
)
def test_date_forms(raw, expected):
    assert v.day(raw) == expected


@pytest.mark.parametrize("raw", ["明年", "2026-13-01", "2026-02-30"])
def test_bad_dates_are_refused_with_the_value(raw):
    with pytest.raises(v.BadValue, match="外出时间"):
        v.day(raw, "外出时间")


def test_wages():
    warnings: list[str] = []
    assert wages.wage(4500, warnings) == Decimal("4500.00")
    assert wages.wage("4500元", warnings) == Decimal("4500.00")
    assert wages.wage("", warnings) is None and warnings == []
    assert wages.wage("4000-5000", warnings) == Decimal("4500.00")
    assert len(warnings) == 1 and "中间值" in warnings[0]
    # the wage is optional: a cell without an amount is not recorded, not a refused row
    assert wages.wage("面议", warnings) is None and "未记录" in warnings[-1]


@pytest.mark.parametrize("raw, expected", [("有组织", True), ("组织", True), ("是", True),
                                           ("自发", False), ("自谋", False), ("否", False),
                                           ("", None)])
def test_organised_or_spontaneous(raw, expected):
    assert v.organised(raw, []) is expected


def test_code_lists_by_name_or_alias_and_cached():
    codes = v.Codes()
    assert codes.lookup("nation", "汉") == "01" and codes.lookup("nation", "汉族") == "01"
    assert codes.lookup("education", "大专") == "30"
    assert codes.lookup("labour_capacity", "健康") == "1"
    assert codes.lookup("nation", "火星族") is None


def test_header_normalisation():
    assert normalise_header(" 身份证\n号码* ") == "身份证号码"
    assert field_of("placements", "月收入\n（元）") == "wage"
    assert field_of("placements", "月 收 入(元)") == "wage"
    assert field_of("persons", "*姓　名") == "name"
    assert field_of("persons", "乡（镇）") == "township"
    assert field_of("persons", "备注栏") is None


def test_header_below_title_rows_and_on_two_rows():
    rows = [
        ["某镇转移就业花名册", "", "", "", ""],
        ["", "", "", "", ""],
        ["序号", "姓名", "身份证号", "外出务工情况", ""],
        ["", "", "", "务工地点", "月收入（元）"],
        [1, "张伟", ID, "郑州", 4500],
    ]
    match = find_header("placements", rows)
    assert match.first_row == 2 and match.rows == 2 and match.data_start == 4
    assert match.columns == {"name": 1, "id_number": 2, "destination": 3, "wage": 4}
    assert match.serial_column == 0


def test_a_title_line_right_above_the_header_is_not_a_header_row():
    rows = [["城关镇农村劳动力资源实名制台账（2026年）"],
            ["序号", "姓名", "身份证号码", "性别"],
            [1, "张伟", ID, "男"]]
    match = find_header("persons", rows)
    assert (match.first_row, match.rows, match.data_start) == (1, 1, 2)
    assert match.titles == ["序号", "姓名", "身份证号码", "性别"] and match.serial_column == 0
    # the title in the first cell, the table from column B: not an unmatched column
    rows = [["城关镇劳动力台账"], ["", "姓名", "身份证号码"], ["", "张伟", ID]]
    match = find_header("persons", rows)
    assert (match.first_row, match.rows, match.unmatched) == (1, 1, [])
    # one group label over columns the row below names: that row alone finds the same
    rows = [["", "", "", "外出务工情况", ""],
            ["序号", "姓名", "身份证号", "务工地点", "月收入"],
            [1, "张伟", ID, "郑州", 4500]]
    match = find_header("placements", rows)
    assert match.first_row == 1 and set(match.columns) == {"name", "id_number", "destination",
                                                           "wage"}
    # a title on the last row looked at, the header just below it: still found
    rows = [[""]] * (SCAN_ROWS - 1) + [["城关镇劳动力台账"], ["姓名", "身份证号码"], ["张伟", ID]]
    assert find_header("persons", rows).first_row == SCAN_ROWS - 1
    # a field's title alone in the upper row (merged down over two rows) keeps both rows
    rows = [["身份证号", "", ""], ["", "姓名", "性别"], [ID, "张伟", "男"]]
    match = find_header("persons", rows)
    assert (match.first_row, match.rows, match.columns["id_number"]) == (0, 2, 0)


def test_one_row_header_is_not_taken_with_the_first_data_row():
    rows = [["姓名", "身份证号", "与户主关系", "爱好"], ["张伟", ID, "户主", "下棋"]]
    match = find_header("persons", rows)
    assert match.rows == 1 and match.columns["relation"] == 2 and match.unmatched == ["爱好"]


def test_no_header_without_an_id_column():
    assert find_header("persons", [["姓名", "电话"], ["张伟", "138"]]) is None


def test_village_and_group_names_compare_loosely():
    assert village_key("李庄") == village_key("李庄村") == village_key("李庄村委会")
    assert group_key("3") == group_key("3组") == group_key("三组") == group_key("第三村民小组")
    assert group_key("十二组") == group_key("12")


def test_csv_text_decoding():
    text = "姓名,身份证号\n张伟,1\n"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_text(text.encode("gbk")) == text
    assert decode_text("𠀀".encode("gb18030")) == "𠀀"


def test_fast_name_keys_equal_search_text():
    rng = random.Random(7)
    chars = "张王李曾单解乐查朴区长重行会东强文明华秀英国平安乐和平为民"
    names = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 4))) for _ in range(3000)]
    names += ["曾国藩", "单田芳", "买买提·艾力", "欧阳修", "  张三 ", "Tom"]
    for name in names:
        assert fast_search_text(name) == search_text(name), name


@pytest.mark.parametrize(("list_name", "written", "code"), [
    ("education", "初中文化", "70"), ("education", "小学文化", "80"),
    ("education", "高中文化程度", "60"), ("education", "大专学历", "30"),
    ("education", "高中及以上", "60"), ("education", "中专/技校", "40"),
    ("education", "文化", None),  # (nothing left to read: kept in 备注 as before)
    ("relation", "婆婆", "50"), ("relation", "岳母", "50"), ("relation", "侄子", "99"),
    ("household_category", "监测对象", "2"), ("household_category", "特困供养", "4"),
    ("household_category", "非贫困户", "0"), ("household_category", "建档立卡户", "1"),
])
def test_the_words_ledgers_write_for_schooling_relations_and_household_kinds(list_name, written,
                                                                            code):
    """Seen in the sixth review's ledgers: each had been told and kept in 备注, the field
    left empty (a household of 监测对象 stored as 一般户)."""
    assert v.Codes().lookup(list_name, written) == code
