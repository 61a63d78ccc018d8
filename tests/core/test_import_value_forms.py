"""Import: more value forms from clerks' rosters, end to end through real .xlsx files.

Dates (a year alone, 2026.1 that may be 2026.10, 号 for 日, a number that is no date,
dates before the birth the ID gives), wages (千/k/万, a year's or a day's pay, words for
unknown, absurd amounts), 输出方式 (政府组织, 劳务公司, 中介 …), and training rosters (是 for
a certificate, a certificate kind written short, 在培 and 缺考, course names with spaces
or other brackets).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.idnumber import make_id
from laborstation.importing import run_import
from laborstation.model import Course, Enrolment, Household, Person, Placement
from laborstation.progress import run_to_end
from laborstation.services.station import set_station

TOWNSHIP = "410926100000"  # 范县 城关镇
PLACEMENTS = ["序号", "姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位", "输出方式",
              "月收入（元）"]
TRAININGS = ["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "培训机构", "开班时间",
             "结业时间", "是否取得证书", "培训结果"]


def pid(n: int, born: date = date(1985, 1, 1)) -> str:
    return make_id("410926", born + timedelta(days=n), n * 2 % 1000, True)


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code=TOWNSHIP)


def imp(store, path, kind):
    return run_to_end(run_import(store, path, kind=kind))


def defaulted(warning: str) -> bool:
    """The note of what the import took by default (自发, 培训方式 其他 …), told once a
    file or course (test_import_roster_defaults): not what these tests are about."""
    return "按“自发”记。" in warning or warning.startswith("新建的培训班“")


def by_row(result) -> dict[int, list[str]]:
    """Spreadsheet row → its reason (first) and warnings; rows without any are left out."""
    found = {f.row: ([f.reason] if f.reason else []) + [w for w in f.warnings if not defaulted(w)]
             for f in result.findings}
    return {row: notes for row, notes in found.items() if notes}


def import_placements(store, tmp_path, rows: list[list]):
    """One placement per row of (外出时间, 输出方式, 月收入), each for a new person; the
    result, the notes by row, and the placements by person's name (人1, 人2, …)."""
    table = [[i, f"人{i}", pid(i), "李庄村", start, "郑州", f"厂{i}", way, wage]
             for i, (start, way, wage) in enumerate(rows, 1)]
    result = imp(store, write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [PLACEMENTS, *table]}),
                 "placements")
    assert result.accounted
    with store.reading() as session:
        stored = {name: p for name, p in session.execute(
            select(Person.name, Placement).join(Placement, Placement.person_id == Person.id))}
    return result, by_row(result), stored


# --- dates ---------------------------------------------------------------------------

def test_a_year_alone_is_refused_as_missing_its_month(store, station, tmp_path):
    result, notes, stored = import_placements(store, tmp_path, [
        (2026, "", 4500), ("2026", "", 4500), ("2026年", "", 4500), ("2026.3", "", 4500)])
    assert (result.added, result.errors) == (1, 3) and list(stored) == ["人4"]
    # data from row 2: 2026 was read as the Excel serial 1905-07-18
    assert notes[2] == ["外出时间“2026”只有年份，缺少月份（可写作 2026-03-01、2026年3月1日 或 2026.3）"]
    assert notes[3] == notes[2]
    assert notes[4] == ["外出时间“2026年”只有年份，缺少月份（可写作 2026-03-01、2026年3月1日 或 2026.3）"]


def test_a_year_and_month_number_ending_in_1_may_be_october(store, station, tmp_path):
    result, notes, stored = import_placements(store, tmp_path, [
        (2026.1, "", 4500), ("2026.10", "", 4500), (2026.3, "", 4500)])
    assert result.added == 3
    assert stored["人1"].start_on == date(2026, 1, 1)  # read as it says, but checked
    assert notes[2] == ["外出时间“2026.1”按 2026年1月 记；也可能是 2026.10（Excel 会去掉小数末尾的 0），"
                        "即 2026年10月，请核对"]
    # typed as text, 2026.10 is October; 2026.3 cannot be a shortened month
    assert stored["人2"].start_on == date(2026, 10, 1) and 3 not in notes
    assert stored["人3"].start_on == date(2026, 3, 1) and 4 not in notes


def test_hao_is_read_as_the_day(store, station, tmp_path):
    result, notes, stored = import_placements(store, tmp_path, [("2026年3月1号", "", 4500),
                                                               ("2026年03月15号", "", 4500)])
    assert (result.added, result.errors, notes) == (2, 0, {})
    assert [stored[n].start_on for n in ("人1", "人2")] == [date(2026, 3, 1), date(2026, 3, 15)]


def test_a_placement_before_the_birth_the_id_gives_is_refused(store, station, tmp_path):
    born = date(2000, 6, 1)
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        PLACEMENTS,
        [1, "张伟", pid(0, born), "李庄村", "2000-01-05", "郑州", "富士康", "", ""],
        [2, "王强", pid(1, born), "李庄村", "2020-01-05", "郑州", "富士康", "", ""]]})
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (1, 1)
    assert by_row(result) == {2: ["外出时间 2000-01-05 早于出生日期 2000-06-01（按身份证号）"]}


def test_a_training_before_the_birth_the_id_gives_is_refused(store, station, tmp_path):
    born = date(2000, 6, 1)
    rows = [["张伟", pid(0, born), "李庄村", "电工班", "职业技能培训", "县职校", "2000-03-01", "2000-03-10",
             "", ""],
            ["王强", pid(1, born), "李庄村", "电工班", "职业技能培训", "县职校", "", "1999-12-31", "", ""],
            ["李明", pid(2, born), "李庄村", "电工班", "职业技能培训", "县职校", "2020-03-01", "2020-03-10",
             "", ""]]
    result = imp(store, write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [TRAININGS, *rows]}),
                 "trainings")
    assert (result.added, result.errors) == (1, 2)
    assert by_row(result) == {
        2: ["开班时间 2000-03-01 早于出生日期 2000-06-01（按身份证号）"],
        3: ["结业时间 1999-12-31 早于出生日期 2000-06-02（按身份证号）"],
    }


NO_DATE = "“{}”无法识别（可写作 2026-03-01、2026年3月1日 或 2026.3）"


@pytest.mark.parametrize("raw, shown", [(0, "0"), (0.0, "0"), ("0", "0"), (-3, "-3"),
                                        (250000, "250000"), ("250000.50", "250000.50"),
                                        (250000.5, "250000.5")])
def test_a_number_that_is_no_excel_date_is_refused_naming_its_field(raw, shown):
    """A number out of Excel's date serials names the field and shows the value as
    written (it was 日期“0.0”无法识别, whatever the field)."""
    from laborstation.importing.values import BadValue, day

    with pytest.raises(BadValue) as caught:
        day(raw, "结业时间")
    assert str(caught.value) == "结业时间" + NO_DATE.format(shown)


def test_a_date_cell_holding_no_date_names_its_field(store, station, tmp_path):
    result, notes, stored = import_placements(store, tmp_path, [
        (0, "", 4500), ("0", "", 4500), (300000, "", 4500), ("2026-03-01", "", 4500)])
    assert (result.added, result.errors) == (1, 3) and list(stored) == ["人4"]
    assert [notes[row] for row in (2, 3, 4)] == [
        ["外出时间" + NO_DATE.format(shown)] for shown in ("0", "0", "300000")]


# --- wages ---------------------------------------------------------------------------

WAGES = [  # as typed → yuan a month stored, the warning (None: none)
    (4500, "4500.00", None),
    ("4500元", "4500.00", None),
    ("4000-5000", "4500.00", "月收入“4000-5000”是一个范围，按中间值 4500.00 元计"),
    ("5千", "5000.00", None),
    ("5k", "5000.00", None),
    ("5K", "5000.00", None),
    ("0.5万", "5000.00", None),
    ("1.2万", "12000.00", None),
    ("2万/年", "1667.00", "月收入“2万/年”是年收入，已除以 12，按每月 1667 元计"),
    ("年收入6万", "5000.00", "月收入“年收入6万”是年收入，已除以 12，按每月 5000 元计"),
    ("日薪200", None, "月收入“日薪200”是日薪，无法折算为月收入，未记录"),
    ("200元/天", None, "月收入“200元/天”是日薪，无法折算为月收入，未记录"),
    ("4000/5000", "4500.00", "月收入“4000/5000”是一个范围，按中间值 4500.00 元计"),
    ("面议", None, "月收入“面议”没有写金额，未记录"),
    ("不详", None, "月收入“不详”没有写金额，未记录"),
    ("-", None, "月收入“-”没有写金额，未记录"),
    ("无", None, "月收入“无”没有写金额，未记录"),
    ("待定", None, "月收入“待定”没有写金额，未记录"),
    ("", None, None),
    (0, None, "月收入“0”不是大于 0 的金额，未记录"),
    (-100, None, "月收入“-100”不是大于 0 的金额，未记录"),
    ("-100", None, "月收入“-100”不是大于 0 的金额，未记录"),
    (450000, None, "月收入“450000”超过每月 10 万元，不像是月收入，未记录"),
]


def test_wage_forms_and_what_is_not_a_monthly_wage(store, station, tmp_path):
    result, notes, stored = import_placements(
        store, tmp_path, [("2026-03-01", "", wage) for wage, _, _ in WAGES])
    # the wage is optional: no row is refused for it
    assert (result.added, result.errors) == (len(WAGES), 0)
    for i, (typed, monthly, warning) in enumerate(WAGES, 1):
        expected = None if monthly is None else Decimal(monthly)
        assert stored[f"人{i}"].monthly_wage == expected, typed
        assert notes.get(i + 1, []) == ([warning] if warning else []), typed


# --- 输出方式 -------------------------------------------------------------------------

@pytest.mark.parametrize("way, organised", [
    ("政府组织", True), ("乡镇组织", True), ("劳务公司组织", True), ("县人社局统一组织输出", True),
    ("劳务公司", True), ("劳务派遣", True), ("中介", True), ("职业中介介绍", True),
    ("有组织", True), ("组织", True), ("是", True),
    ("自发", False), ("自谋", False), ("否", False), ("自发组织", False), ("非组织", False),
    ("", False),
])
def test_organised_forms(store, station, tmp_path, way, organised):
    result, notes, stored = import_placements(store, tmp_path, [("2026-03-01", way, 4500)])
    assert result.added == 1 and stored["人1"].organised is organised
    assert notes == {}  # each form is known: no warning, and none for a blank cell


# --- trainings -----------------------------------------------------------------------

def test_certificates_results_and_course_names(store, station, tmp_path):
    course = ["县职校", "2026-03-01", "2026-03-15"]

    def row(n, name, certificate, result):
        return [f"人{n}", pid(n), "李庄村", name, "职业技能培训", *course, certificate, result]

    rows = [
        row(1, "电工培训班", "是", "结业"),
        row(2, "电工 培训班", "有", "合格"),
        row(3, "电工\u3000培训班", "已取得", "结业"),
        row(4, " 电工培训班 ", "专项能力证书", "结业"),
        row(5, "【电工培训班】", "技能等级证书 编号123", "结业"),
        row(6, "电工培训班", "否", "在培"),
        row(7, "电工培训班", "", "培训中"),
        row(8, "电工培训班", "", "缺考"),
        row(9, "电工培训班", "", "未参加考试"),
        row(10, "创业培训(SYB)", "职业资格证", ""),
        row(11, "创业培训（SYB）", "无", ""),
        row(12, "创业培训（SYB）", "S000041092600234", ""),
    ]
    result = imp(store, write_xlsx(tmp_path / "t.xlsx", {"培训花名册": [TRAININGS, *rows]}),
                 "trainings")
    assert (result.added, result.errors) == (12, 0) and result.accounted
    # (在培, 培训中, 缺考, 未参加考试 are known results; a number alone says no kind)
    assert by_row(result) == {13: ["证书“S000041092600234”没有写明证书类型，按“培训合格证书”记，"
                                   "请核对"]}
    with store.reading() as session:
        courses = session.scalars(select(Course.name).order_by(Course.id)).all()
        got = {name: (result, kind, number) for name, result, kind, number in session.execute(
            select(Person.name, Enrolment.result, Enrolment.certificate_kind,
                   Enrolment.certificate_no).join(Enrolment, Enrolment.person_id == Person.id))}
    assert courses == ["电工培训班", "创业培训（SYB）"]
    # 4 培训合格证书: the certificate list has no 其他 kind; see certificates.UNSPECIFIED_CERTIFICATE
    assert got["人1"] == got["人2"] == got["人3"] == ("1", "4", "")
    assert got["人4"] == ("1", "3", "")  # 专项（职业）能力证书, not a certificate number
    assert got["人5"] == ("1", "2", "123")
    assert got["人6"] == got["人7"] == got["人8"] == got["人9"] == ("2", None, "")
    assert got["人10"] == ("1", "1", "") and got["人11"] == ("1", None, "")
    assert got["人12"] == ("1", "4", "S000041092600234")  # (a number needs a kind to be kept)
    again = imp(store, tmp_path / "t.xlsx", "trainings")
    assert (again.added, again.unchanged, again.created_courses) == (0, 12, [])


def _csv(path, rows):
    """A CSV file (openpyxl refuses to write control characters; Excel keeps them as
    _x000B_ in its XML, which calamine gives back as they were)."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_control_characters_pasted_from_word_are_not_stored(store, station, tmp_path):
    """A vertical tab or form feed from Word would break every workbook written later with
    the value (openpyxl refuses them): they become spaces, as the forms store text."""
    header = ["姓名", "身份证号", "行政村", "家庭住址", "技能特长"]
    path = _csv(tmp_path / "ctrl.csv", [
        header, ["张\x0b三", pid(1), "李庄村", "李庄村\x0c3组", "电工\x01焊工"]])
    assert imp(store, path, "persons").added == 1
    with store.reading() as session:
        person = session.scalars(select(Person)).one()
    assert (person.name, person.address, person.skills) == ("张三", "李庄村 3组", "电工 焊工")  # (a space inside a name: none)
    placements = _csv(tmp_path / "pl.csv", [
        PLACEMENTS, [1, "张三", pid(1), "李庄村", "2026-03-01", "郑州\x0b市", "富士\x0c康",
                     "自发", ""]])
    assert imp(store, placements, "placements").added == 1
    with store.reading() as session:
        placement = session.scalars(select(Placement)).one()
    assert (placement.destination, placement.employer_name) == ("郑州 市", "富士 康")


def test_words_saying_no_certificate_record_none(store, station, tmp_path):
    course = ["电工培训班", "职业技能培训", "县职校", "2026-03-01", "2026-03-15"]
    rows = [[f"人{n}", pid(n), "李庄村", *course, certificate, result]
            for n, (certificate, result) in enumerate(
                [("不合格", ""), ("待发证", ""), ("/", ""), ("0", ""), ("是", "不合格"),
                 ("S000041092600234", "未结业")], 1)]
    result = imp(store, write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [TRAININGS, *rows]}),
                 "trainings")
    assert (result.added, result.errors) == (6, 0)
    with store.reading() as session:
        kinds = session.execute(select(Enrolment.certificate_kind, Enrolment.certificate_no)).all()
    assert set(kinds) == {(None, "")}  # (none counts in 取得证书)
    notes = by_row(result)
    assert notes[2] == ["证书“不合格”不是证书类型或证书编号，未记证书"]
    assert notes[6] == ["培训结果不是结业，证书“是”未记"]


def test_a_wage_too_long_to_be_an_amount_is_not_recorded():
    from laborstation.importing.wages import wage

    warnings: list[str] = []
    assert wage("1" * 28 + "-" + "2" * 28, warnings) is None  # (Decimal could not round it)
    assert warnings and "未记录" in warnings[0]


def _ending_000() -> str:
    """A valid ID number ending in 000, as one Excel kept as a number may become."""
    for days in range(400):
        for seq in range(0, 1000, 100):
            number = make_id("410926", date(1980, 1, 1) + timedelta(days=days), seq, False)
            if number.endswith("000"):
                return number
    raise AssertionError("no such number")


@pytest.mark.parametrize("kind", ["persons", "placements"])
def test_an_id_number_ending_000_is_warned_of(store, station, tmp_path, kind):
    number = _ending_000()
    header = ["姓名", "身份证号", "行政村"] + (["外出时间", "务工地点"] if kind == "placements"
                                               else [])
    row = ["王芳", number, "李庄村"] + (["2026-03-01", "郑州"] if kind == "placements" else [])
    result = imp(store, write_xlsx(tmp_path / "ids.xlsx", {"Sheet1": [header, row]}), kind)
    assert result.added == 1
    assert any("最后三位是 000" in w and "Excel" in w for w in result.findings[0].warnings)


def test_a_relation_of_zinü_follows_the_sex(store, station, tmp_path):
    header = ["姓名", "身份证号", "行政村", "户编号", "与户主关系"]
    son, daughter = pid(1), make_id("410926", date(1990, 1, 1), 12, False)
    path = write_xlsx(tmp_path / "rel.xlsx", {"Sheet1": [
        header, ["张一", pid(2), "李庄村", "1", "户主"], ["张二", son, "李庄村", "1", "子女"],
        ["张三", daughter, "李庄村", "1", "子 女"]]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (3, 0)
    assert not any(f.warnings for f in result.findings)
    with store.reading() as session:
        relations = dict(session.execute(select(Person.name, Person.relation)).all())
        notes = set(session.scalars(select(Person.notes)))
    assert (relations["张二"], relations["张三"]) == ("20", "30") and notes == {""}


def test_a_long_household_number_excel_kept_as_a_number_refuses_its_rows(store, station,
                                                                          tmp_path):
    """410926100201000123 and …456 typed in General cells are both 4.10926100201E+17: two
    families would be one household. Their rows are refused, and a member's blank cell
    below such a head takes the refusal with it (not the number)."""
    header = ["姓名", "身份证号", "行政村", "户编号", "与户主关系"]
    path = write_xlsx(tmp_path / "hh.xlsx", {"Sheet1": [
        header, ["吴一", pid(1), "李庄村", 410926100201000123, "户主"],
        ["吴二", pid(2), "李庄村", None, "妻"],
        ["郑一", pid(3), "李庄村", 410926100201000456, "户主"],
        ["王一", pid(4), "李庄村", 123456789012345, "户主"],  # (15 digits: kept whole)
        ["王二", pid(5), "李庄村", None, "子"]]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (2, 3)
    notes = by_row(result)
    assert [row for row, said in notes.items() if "被 Excel 当成数字保存了" in said[0]] == [2, 3, 4]
    assert notes[2][0].startswith("户编号 4.10926E+17 被 Excel 当成数字保存了，15 位以后的数字已经丢失")
    with store.reading() as session:
        assert set(session.execute(select(Person.name, Household.number).join(
            Household, Household.id == Person.household_id))) == {
            ("王一", "123456789012345"), ("王二", "123456789012345")}


def test_a_long_certificate_number_excel_kept_as_a_number_is_not_recorded(store, station,
                                                                          tmp_path):
    course = ["电工培训班", "职业技能培训", "县职校", "2026-03-01", "2026-03-15", "是", "结业"]
    header = [*TRAININGS, "证书编号"]
    rows = [[f"人{n}", pid(n), "李庄村", *course, number]
            for n, number in enumerate([410926202400012031, 410926202400012045, "S0123"], 1)]
    result = imp(store, write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [header, *rows]}), "trainings")
    assert (result.added, result.errors) == (3, 0)
    notes = by_row(result)
    assert notes[2] == notes[3] == ["证书编号 4.10926E+17 被 Excel 当成数字保存了，15 位以后的数字"
                                    "已经丢失，未记录：请把这一列设为“文本”后重新输入，再导入这一行补上"]
    with store.reading() as session:
        assert sorted(session.scalars(select(Enrolment.certificate_no))) == ["", "", "S0123"]


def test_a_return_after_today_is_not_recorded_and_a_course_after_today_is_refused(
        store, station, tmp_path):
    """Check V7 blocks a return holding a record dated after today: a 返乡时间 to come is
    left out (the person is still away), told; a course starting or ending to come is
    refused (its 结业时间 is needed), to be imported once it has ended."""
    today = date.today()
    later, past = today + timedelta(days=30), today - timedelta(days=30)
    header = ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点", "用工单位"]
    path = write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        header, ["人1", pid(1), "李庄村", past, later, "郑州", "厂"],
        ["人2", pid(2), "李庄村", past, today, "郑州", "厂"]]})
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (2, 0)
    assert by_row(result)[2] == [f"返乡时间 {later.isoformat()} 晚于今天（{today.isoformat()}），"
                                 "未记录：返乡后再导入这一行补上"]
    with store.reading() as session:
        assert sorted(session.scalars(select(Placement.return_on)), key=str) == [today, None]
    course = ["电工培训班", "职业技能培训", "县职校"]
    rows = [[f"人{n}", pid(n), "李庄村", *course, start, end, "", ""]
            for n, (start, end) in enumerate([(past, later), (later, later), (past, today)], 3)]
    result = imp(store, write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [TRAININGS, *rows]}),
                 "trainings")
    assert (result.added, result.errors) == (1, 2)
    notes = by_row(result)
    assert notes[2] == [f"结业时间 {later.isoformat()} 晚于今天（{today.isoformat()}），"
                        "不能登记未来的日期：培训班结业后再导入这一行"]
    assert notes[3][0].startswith(f"开班时间 {later.isoformat()} 晚于今天")
    with store.reading() as session:
        assert session.scalars(select(Course.end_on)).all() == [today]


def test_one_new_id_number_under_two_names_in_a_roster_is_told(store, station, tmp_path):
    """A miscopied number makes two workers one person: told as a name differing from the
    register's is, on the first import as on the next."""
    rows = [[1, "新丁", pid(51), "王庄", "2026-05-01", "杭州", "杭州厂", "", "5000"],
            [2, "新戊", pid(51), "王庄", "2026-06-01", "宁波", "宁波厂", "", "5000"],
            [3, "新 丁", pid(51), "王庄", "2026-07-01", "温州", "温州厂", "", "5000"]]
    result = imp(store, write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [PLACEMENTS, *rows]}),
                 "placements")
    assert (result.added, result.errors, result.persons_added) == (3, 0, 1)
    told = [w for w in by_row(result).get(3, []) if "姓名" in w]
    assert told == ["姓名“新戊”与“Sheet1”表第 2 行这个身份证号的姓名“新丁”不同，已记在新丁名下："
                    "请核对身份证号是否抄错"]
    assert not [w for w in by_row(result).get(4, []) if "姓名" in w]  # (the same name, spaced)


def test_a_name_aligned_with_spaces_or_noted_in_brackets_is_the_name_alone(store, station,
                                                                          tmp_path):
    """张  三 is 张三 (found by that name); 李四（户主） is 李四, its note told and kept in
    备注; a name of another shape is kept as written (the sixth review)."""
    header = ["姓名", "身份证号", "行政村", "备注"]
    path = write_xlsx(tmp_path / "n.xlsx", {"Sheet1": [
        header, ["张  三", pid(1), "李庄村", ""], ["欧阳\u3000明", pid(2), "李庄村", ""],
        ["李四（户主）", pid(3), "李庄村", "低保"], ["赵六(已故)", pid(4), "李庄村", ""],
        ["郑十 已外出", pid(5), "李庄村", ""], ["阿不都·热合曼", pid(6), "李庄村", ""]]})
    result = imp(store, path, "persons")
    assert (result.added, result.errors) == (6, 0)
    with store.reading() as session:
        stored = dict(session.execute(select(Person.name, Person.notes)).all())
    assert stored == {"张三": "", "欧阳明": "", "李四": "低保；姓名后注：户主", "赵六": "姓名后注：已故",
                      "郑十 已外出": "", "阿不都·热合曼": ""}
    assert by_row(result)[4] == ["姓名“李四（户主）”括号中的“户主”不是姓名，已按“李四”导入，"
                                 "“户主”记入备注"]
    rows = [[1, "王五（组长）", pid(7), "李庄村", "2026-03-01", "郑州", "厂", "", ""]]
    result = imp(store, write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [PLACEMENTS, *rows]}),
                 "placements")
    assert result.added == 1 and "已按“王五”导入" in by_row(result)[2][0]
    with store.reading() as session:
        assert session.scalars(select(Person.name).where(Person.id_number == pid(7))).one() == "王五"


def test_a_start_written_as_a_span_gives_the_return_too(store, station, tmp_path):
    """外出时间 2026.3.1-8.15 with no 返乡时间: out and back (the return had been dropped,
    the person counted as still away); 至今 is still away; a 返乡时间 written wins."""
    result, notes, stored = import_placements(store, tmp_path, [
        ("2026.3.1-8.15", "", ""), ("2025年3-8月", "", ""), ("2026.3.1至今", "", ""),
        ("2025.11-2026.2", "", "")])  # (months with their years: had been refused)
    assert result.errors == 0
    assert [(stored[f"人{n}"].start_on, stored[f"人{n}"].return_on) for n in (1, 2, 3, 4)] == [
        (date(2026, 3, 1), date(2026, 8, 15)), (date(2025, 3, 1), date(2025, 8, 31)),
        (date(2026, 3, 1), None), (date(2025, 11, 1), date(2026, 2, 28))]
    assert notes[2] == ["外出时间“2026.3.1-8.15”是一段时间，按外出 2026-03-01、返乡 2026-08-15 记"]
    assert notes[4] == ["外出时间“2026.3.1至今”是一段时间，按外出 2026-03-01 记（至今仍在外）"]
    from laborstation.importing import trip_cells

    assert trip_cells.trip_span("2026.3.1-8.15", "2026-09-01", []) is None  # (its own start)
