"""GB 11643 ID numbers: normalising, parsing, the reasons and messages of each fault."""

from __future__ import annotations

import re
from datetime import date

import pytest
from stdnum.cn import ric

from laborstation import idnumber
from laborstation.errors import InvalidIdNumber
from laborstation.idnumber import (
    IdInfo,
    age_at,
    check_digit,
    is_valid,
    make_id,
    mask,
    normalise,
    parse,
    sex_name,
)

TODAY = date(2024, 6, 1)
HAS_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def with_check(first17: str) -> str:
    """A number made valid by the textbook weighted sum (independent of the module)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


FANXIAN_MAN = with_check("41092619900101123")  # 范县, 1990-01-01, 123 odd -> male
FANXIAN_WOMAN = with_check("41092619850315124")
# the first sequence number on 1990-01-01 whose check digit is X
X_BODY = next(b for n in range(1000) if with_check(b := f"41092619900101{n:03d}").endswith("X"))


def fault(raw: str, **kwargs) -> InvalidIdNumber:
    with pytest.raises(InvalidIdNumber) as info:
        parse(raw, **kwargs)
    error = info.value
    assert HAS_CHINESE.search(str(error)), str(error)
    return error


# --- check digit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "first17",
    ["41092619900101123", "11010519491231002", "44052418800101001", "36042619910101007"],
)
def test_check_digit_matches_weighted_sum_and_stdnum(first17):
    number = with_check(first17)
    assert check_digit(first17) == number[-1]
    assert ric.calc_check_digit(number) == number[-1]


def test_check_digit_can_be_x():
    assert check_digit(X_BODY) == "X"


@pytest.mark.parametrize(
    "bad", ["4109261990010112", "4109261990010112A", "４１０９２６１９９００１０１１２３"]
)
def test_check_digit_refuses_other_than_17_ascii_digits(bad):
    with pytest.raises(ValueError):
        check_digit(bad)


# --- normalise -----------------------------------------------------------------------


def test_normalise_strips_spaces_of_every_width_and_folds_full_width():
    raw = "\u3000４１０９２６\u00a0１９９００１０１\t１２３９ \u200b\n"
    assert normalise(raw) == "410926199001011239"


def test_normalise_upper_cases_x():
    assert normalise("41092619700101123x") == "41092619700101123X"
    assert normalise("41092619700101123ｘ") == "41092619700101123X"


def test_normalise_converts_15_digits_to_18():
    old = "410926900101123"
    new = normalise(old)
    assert new == with_check("41092619900101123")
    assert len(new) == 18 and new[6:8] == "19"
    assert normalise("410926 900101 123") == new


def test_normalise_does_not_validate():
    assert normalise("abc") == "ABC"
    assert normalise("4.10926e+17") == "4.10926E+17"
    assert normalise("") == ""


# --- parse: valid numbers ------------------------------------------------------------


def test_parse_reads_sex_birth_date_region_and_place():
    info = parse(FANXIAN_MAN, today=TODAY)
    assert info == IdInfo(
        number=FANXIAN_MAN,
        sex="1",
        birth_date=date(1990, 1, 1),
        region_code="410926",
        birth_place="河南省濮阳市范县",
    )
    woman = parse(FANXIAN_WOMAN, today=TODAY)
    assert woman.sex == "2" and sex_name(woman.sex) == "女"
    assert sex_name(info.sex) == "男"


def test_id_info_is_frozen():
    info = parse(FANXIAN_MAN)
    with pytest.raises(AttributeError):
        info.sex = "2"  # type: ignore[misc]


def test_parse_accepts_messy_input_and_returns_normalised_number():
    messy = (
        " " + FANXIAN_MAN[:6] + "\u3000" + "".join(chr(ord(c) + 0xFEE0) for c in FANXIAN_MAN[6:])
    )
    assert parse(messy).number == FANXIAN_MAN


def test_parse_lower_case_x():
    info = parse(X_BODY + "x")
    assert info.number == X_BODY + "X"


def test_parse_15_digit_number():
    info = parse("410926850315124", today=TODAY)
    assert info.number == with_check("41092619850315124")
    assert info.birth_date == date(1985, 3, 15)
    assert info.sex == "2"


def test_county_code_younger_than_its_holder_is_accepted():
    # 范县 got 410926 in 1983; stdnum refuses a 1970 birth, but such numbers are real.
    number = with_check("41092619700101123")
    assert not ric.is_valid(number)
    assert parse(number).birth_place == "河南省濮阳市范县"


@pytest.mark.parametrize(
    ("region", "place"),
    [
        ("110101", "北京市东城区"),
        ("110000", "北京市"),
        ("410900", "河南省濮阳市"),
        ("429004", "湖北省仙桃市"),
        ("810000", "香港特别行政区"),
    ],
)
def test_birth_place_names(region, place):
    assert parse(make_id(region, date(1995, 7, 7), 10, True)).birth_place == place


def test_renamed_county_is_named_as_at_birth():
    # 130502: 桥东区 until 2019, 襄都区 from 2020
    assert parse(make_id("130502", date(1990, 1, 1), 1, True)).birth_place.endswith("桥东区")
    assert parse(make_id("130502", date(2021, 1, 1), 1, True)).birth_place.endswith("襄都区")


def test_is_valid():
    assert is_valid(FANXIAN_MAN)
    assert not is_valid(FANXIAN_MAN[:-1] + ("0" if FANXIAN_MAN[-1] != "0" else "1"))
    assert not is_valid("")
    assert not is_valid(None)  # type: ignore[arg-type]


# --- parse: each fault ---------------------------------------------------------------


@pytest.mark.parametrize("raw", ["4109261990010112", "41092619900101123911", "4109"])
def test_wrong_length(raw):
    error = fault(raw)
    assert error.reason == "length"
    assert "位数不对" in error.message and raw in error.message
    assert f"{len(raw)} 位" in error.message and "18" in error.message


def test_empty():
    assert fault("  ").reason == "length"


@pytest.mark.parametrize(
    "raw", ["41092619900101123Y", "4109261990O1011239", "张三", "X10926199001011239"]
)
def test_invalid_characters(raw):
    error = fault(raw)
    assert error.reason == "characters"
    assert "含有无效字符" in error.message and raw in error.message


@pytest.mark.parametrize(
    "raw", ["4.10926E+17", "4.10926199001011e+17", "4.1092619900101E17", 4.10926199001011e17]
)
def test_excel_scientific_notation(raw):
    error = fault(raw)
    assert error.reason == "characters"
    assert "Excel" in error.message and "文本" in error.message and "丢失" in error.message


def test_unknown_region():
    error = fault(with_check("99092619900101123"))
    assert error.reason == "region"
    assert "地区码无效" in error.message and "990926" in error.message


def test_region_abolished_before_birth():
    # 110103 崇文区 was abolished in 2010
    assert parse(make_id("110103", date(1980, 1, 1), 1, True)).birth_place == "北京市崇文区"
    error = fault(make_id("110103", date(2015, 1, 1), 1, True))
    assert error.reason == "region" and "2010" in error.message


@pytest.mark.parametrize("body", ["41092619901301123", "41092619900230123", "41092619900100123"])
def test_impossible_birth_date(body):
    error = fault(with_check(body))
    assert error.reason == "birth_date"
    assert "出生日期无效" in error.message


def test_a_short_number_read_as_an_old_one_says_which_digits_are_its_date():
    """18 digits with three lost read as a 15-digit number: its date 19198005 meant nothing."""
    error = fault("410926198005012")
    assert error.reason == "birth_date"
    assert "按 15 位的旧号码，第 7–12 位“198005”应是出生年月日" in error.message
    assert "少了几位的 18 位号码，请补全" in error.message


def test_birth_date_in_the_future_or_before_1900():
    tomorrow = make_id("410926", date(2024, 6, 2), 1, True)
    error = fault(tomorrow, today=TODAY)
    assert error.reason == "birth_date" and "晚于今天" in error.message
    assert parse(make_id("410926", TODAY, 1, True), today=TODAY).birth_date == TODAY
    error = fault(make_id("410926", date(1899, 12, 31), 1, True))
    assert error.reason == "birth_date" and "1900" in error.message


def test_birth_date_in_the_future_without_today():
    next_year = date.today().replace(month=1, day=1).replace(year=date.today().year + 1)
    assert fault(make_id("410926", next_year, 1, True)).reason == "birth_date"


def test_wrong_check_digit_says_the_right_one():
    wrong = "9" if FANXIAN_MAN[-1] != "9" else "8"
    error = fault(FANXIAN_MAN[:-1] + wrong)
    assert error.reason == "check_digit"
    assert "校验位错误" in error.message and f"应为 {FANXIAN_MAN[-1]}" in error.message
    assert "Excel" not in error.message


def test_check_digit_error_of_excel_mangled_number_mentions_excel():
    mangled = FANXIAN_MAN[:15] + "000"  # Excel keeps 15 significant digits
    assert with_check(mangled[:17])[-1] != "0"
    error = fault(mangled)
    assert error.reason == "check_digit" and "Excel" in error.message


def test_each_fault_has_its_own_wording():
    messages = {
        "length": fault("4109").message,
        "characters": fault("41092619900101123Y").message,
        "region": fault(with_check("99092619900101123")).message,
        "birth_date": fault(with_check("41092619901301123")).message,
        "check_digit": fault(FANXIAN_MAN[:-1] + ("0" if FANXIAN_MAN[-1] != "0" else "1")).message,
    }
    phrases = {
        "length": "位数不对",
        "characters": "含有无效字符",
        "region": "地区码无效",
        "birth_date": "出生日期无效",
        "check_digit": "校验位错误",
    }
    for reason, message in messages.items():
        for other, phrase in phrases.items():
            assert (phrase in message) == (other == reason), (reason, message)


# --- age, sex, make_id, mask ---------------------------------------------------------


def test_age_on_birthday_eve_and_day():
    born = date(1990, 6, 15)
    assert age_at(born, date(2050, 6, 14)) == 59
    assert age_at(born, date(2050, 6, 15)) == 60
    assert age_at(born, born) == 0


def test_age_of_29_february_birthday():
    born = date(2004, 2, 29)
    assert age_at(born, date(2020, 2, 28)) == 15  # leap year: the real birthday comes
    assert age_at(born, date(2020, 2, 29)) == 16
    assert age_at(born, date(2021, 2, 27)) == 16
    assert age_at(born, date(2021, 2, 28)) == 17  # month-end rule in other years
    assert age_at(born, date(2021, 3, 1)) == 17


def test_sex_name():
    assert sex_name("1") == "男" and sex_name("2") == "女" and sex_name(1) == "男"
    assert sex_name("") == "" and sex_name(None) == "" and sex_name("9") == ""


@pytest.mark.parametrize("seq", [0, 1, 122, 123, 998, 999])
@pytest.mark.parametrize("male", [True, False])
def test_make_id_builds_valid_numbers_of_the_given_sex(seq, male):
    number = make_id("410926", date(1988, 8, 8), seq, male)
    info = parse(number)
    assert info.sex == ("1" if male else "2")
    assert info.birth_date == date(1988, 8, 8) and info.region_code == "410926"
    assert abs(int(number[14:17]) - seq) <= 1
    assert ric.is_valid(number)


@pytest.mark.parametrize(
    ("region", "seq"), [("41092", 1), ("41092A", 1), ("410926", 1000), ("410926", -1)]
)
def test_make_id_refuses_bad_parts(region, seq):
    with pytest.raises(ValueError):
        make_id(region, date(1990, 1, 1), seq, True)


def test_mask():
    assert mask("410926199001011234") == "410926********1234"
    assert mask(" 41092619900101123x") == "410926********123X"
    assert mask("") == ""
    assert mask("123") == "***"


# --- speed ---------------------------------------------------------------------------


def test_region_lookup_is_cached():
    idnumber._place.cache_clear()
    idnumber._HEADS.clear()  # (numbers of one region and birth day are checked once)
    for seq in range(200):
        parse(make_id("410926", date(1990, 1, 1), seq, seq % 2 == 1))
    assert idnumber._place.cache_info().misses == 1


def _outcome(raw):
    try:
        return idnumber.parse_fields(raw)
    except InvalidIdNumber as error:
        return str(error), error.reason


@pytest.mark.parametrize(
    "raw",
    [
        FANXIAN_MAN, FANXIAN_WOMAN, X_BODY + "X", X_BODY + "x", FANXIAN_MAN[:17] + "Y",
        FANXIAN_MAN[:17] + "x", FANXIAN_MAN[:16] + "X" + FANXIAN_MAN[17],
        FANXIAN_MAN[:16] + "a" + FANXIAN_MAN[17], "41092619900230123" + "4",
        "99999919900101123" + "4", with_check("41092620990101123"), with_check("41092618990101123"),
        FANXIAN_MAN[:-1] + ("1" if FANXIAN_MAN[-1] != "1" else "2"),
    ],
)
def test_the_quick_path_of_a_clean_number_reads_as_the_cleaning_one(raw):
    # An ideographic space in front sends the same number through the cleaning path.
    outcome = _outcome(raw)
    assert outcome == _outcome("\u3000" + raw)
    if len(outcome) == 5:  # valid: the fields of parse()
        info = parse(raw)
        assert outcome == (
            info.number, info.sex, info.birth_date, info.region_code, info.birth_place)


@pytest.mark.parametrize("wrap", ["'{}", "‘{}", "＇{}", '="{}"', "=“{}”", "＝＂{}＂", " ' {} "])
def test_marks_that_keep_a_number_as_text_are_taken_off(wrap):
    number = make_id("410926", date(1980, 1, 4), 1, True)
    assert parse(wrap.format(number)).number == number


@pytest.mark.parametrize("raw", ["'", '=""', "'abc", '="4109"'])
def test_a_mark_around_no_number_is_still_refused(raw):
    with pytest.raises(InvalidIdNumber):
        parse(raw)


def test_a_number_sharing_a_valid_ones_region_and_birth_is_still_checked_whole():
    """Region and birth date are checked once for all numbers that share them: the rest of
    each number (order code, check digit) still is, and a date given as today is not
    taken from what was checked against another day."""
    first = make_id("410926", date(1990, 1, 1), 7, True)
    assert parse(first).number == first
    wrong = first[:17] + ("0" if first[17] != "0" else "1")
    with pytest.raises(InvalidIdNumber) as raised:
        parse(wrong)
    assert raised.value.reason == "check_digit"
    with pytest.raises(InvalidIdNumber) as raised:
        parse(first, today=date(1989, 12, 31))  # (not yet born that day)
    assert raised.value.reason == "birth_date"
