"""Placement and training rosters as a reviewer ran them: the province and city columns,
a missing destination, employers spelled four ways, a placement given twice in one
file, changes that were never applied (destination, 输出方式, 劳动合同, a training
result, a course's end date, type and mode), the period lock and what a refused row
leaves behind, and 返乡时间 written as words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from import_world import count, imp, pid, rows_of
from sqlalchemy import func, select
from workbooks import write_xlsx

from laborstation.model import (
    Area,
    AuditEntry,
    Course,
    Enrolment,
    MonthlyReturn,
    Person,
    Placement,
)


def warnings(result) -> list[str]:
    return [w for f in result.findings for w in f.warnings]


def changes(result) -> list[str]:
    return [c for f in result.findings for c in f.changes]


def submit(store, station, period: str) -> None:
    with store.session() as session:
        session.add(MonthlyReturn(period=period, area_id=station.area_id, status="submitted"))


PLACEMENT_HEADER = ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工省份", "务工城市",
                    "务工地点", "用工单位", "输出方式", "月收入", "是否签订劳动合同"]


def placements(tmp_path, rows, name="placements.xlsx"):
    """Rows of (name, id, start, return, province, city, destination, employer, organised,
    wage, contract), all in 李庄村."""
    return write_xlsx(tmp_path / name, {"转移就业花名册": [
        PLACEMENT_HEADER, *([r[0], r[1], "李庄村", *r[2:]] for r in rows)]})


def placement(n, start="2026-10-05", back="", province="", city="", where="深圳",
              employer="富士康", organised="自发", wage=5000, contract=""):
    return [f"人{n}", pid(n), start, back, province, city, where, employer, organised, wage,
            contract]


TRAINING_HEADER = ["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "培训方式", "培训机构",
                   "开班时间", "结业时间", "培训结果", "证书"]


def trainings(tmp_path, rows, name="trainings.xlsx"):
    return write_xlsx(tmp_path / name, {"培训花名册": [
        TRAINING_HEADER, *([r[0], r[1], "李庄村", *r[2:]] for r in rows)]})


def training(n, course="电工班", kind="职业技能培训", mode="订单培训", provider="县职校",
             start="2026-10-08", end="2026-10-20", result="结业", certificate=""):
    return [f"人{n}", pid(n), course, kind, mode, provider, start, end, result, certificate]


# 1. 务工省份/务工城市 take part in the place, and the stored text keeps them.

def test_province_and_city_columns_place_the_detail_within_them(store, station, tmp_path):
    result = imp(store, placements(tmp_path, [
        placement(1, province="福建", city="福州", where="鼓楼区"),
        placement(2, province="河北省", city="石家庄市", where="河北省石家庄市新华区"),
        placement(3, province="吉林省", city="长春市", where="朝阳区"),
        placement(4, province="广东", city="深圳", where=""),
        placement(5, province="河南", city="", where="北京朝阳"),
    ]), "placements")
    assert (result.added, result.errors) == (5, 0)
    got = {p.destination: p for p in rows_of(store, Placement)}
    assert set(got) == {"福建福州鼓楼区", "河北省石家庄市新华区", "吉林省长春市朝阳区", "广东深圳",
                        "河南北京朝阳"}
    fuzhou = got["福建福州鼓楼区"]
    assert (fuzhou.province, fuzhou.area_code, fuzhou.region_class) == ("35", "350102", "30")
    assert got["吉林省长春市朝阳区"].area_code == "220104"
    assert got["河北省石家庄市新华区"].area_code == "130105"
    assert got["广东深圳"].area_code == "440300"
    # a detail outside the columns: the columns are kept, and the clerk is told
    assert got["河南北京朝阳"].province == "41"
    assert any("北京朝阳" in w and "务工省份" in w for w in warnings(result))


def test_a_local_word_under_the_detail_beside_home_columns_keeps_its_region(store, station,
                                                                          tmp_path):
    """本镇, 本县, 城关镇 under 务工地点 beside the home province or city under 务工省份/城市:
    the job is in the township or county (11, 12), not 县外省内 with a false warning
    (the sixth review); beside another province, the columns are kept and it is told."""
    result = imp(store, placements(tmp_path, [
        placement(1, province="河南", where="本镇"),
        placement(2, province="河南", city="濮阳", where="本县"),
        placement(3, province="河南省", where="城关镇"),
        placement(4, province="广东", where="本镇"),
    ]), "placements")
    assert (result.added, result.errors) == (4, 0)
    got = {p.destination: p.region_class for p in rows_of(store, Placement)}
    assert got == {"河南本镇": "11", "河南濮阳本县": "12", "河南省城关镇": "11", "广东本镇": "30"}
    told = [w for w in warnings(result) if "务工省份" in w]
    assert len(told) == 1 and "本镇" in told[0] and "广东" in told[0]


# 2. A placement without a destination is told at import, not first by check V1.

def test_a_placement_without_a_destination_is_warned_of(store, station, tmp_path):
    result = imp(store, placements(tmp_path, [placement(1, where=""), placement(2)]),
                 "placements")
    assert (result.added, result.errors) == (2, 0)
    told = [f for f in result.findings if f.warnings]
    assert [f.row for f in told] == [2]
    assert "务工地点为空" in told[0].warnings[0] and "V1" in told[0].warnings[0]
    assert rows_of(store, Placement)[0].region_class is None


# 3. Employers are compared without spaces, brackets and company suffixes.

def test_employers_spelled_differently_are_one_placement(store, station, tmp_path):
    spellings = ["昆山仁宝电子有限公司", "昆山仁宝电子", "昆山\u3000仁宝电子有限公司",
                 "昆山仁宝电子（有限公司）", "昆山仁宝电子有限公司 ", "昆山仁宝电子股份有限公司"]
    result = imp(store, placements(tmp_path, [placement(1, employer=e, wage="")
                                              for e in spellings]), "placements")
    assert (result.added, result.unchanged) == (1, 5)
    assert [p.employer_name for p in rows_of(store, Placement)] == ["昆山仁宝电子有限公司"]
    # against a stored placement too; the text stays as first written
    later = imp(store, placements(tmp_path, [placement(1, employer="昆山 仁宝电子", wage=4800)],
                                  "later.xlsx"), "placements")
    assert (later.added, later.updated) == (0, 1)
    stored = rows_of(store, Placement)
    assert len(stored) == 1 and stored[0].monthly_wage == Decimal("4800.00")
    assert stored[0].employer_name == "昆山仁宝电子有限公司"
    other = imp(store, placements(tmp_path, [placement(1, employer="昆山仁宝光电")], "o.xlsx"),
                "placements")
    assert other.added == 1


# 4. A later row of the file for the same placement fills in as a re-import would.

def test_a_second_row_of_the_file_fills_in_like_a_reimport(store, station, tmp_path):
    path = placements(tmp_path, [placement(1, wage=""),
                                 placement(1, back="2026-11-10", wage=5000)])
    first = imp(store, path, "placements")
    assert (first.added, first.updated, first.unchanged) == (1, 1, 0)
    assert changes(first) == ["返乡时间：（空） → 2026-11-10", "月收入：（空） → 5000"]
    (stored,) = rows_of(store, Placement)
    assert (stored.return_on, stored.monthly_wage) == (date(2026, 11, 10), Decimal("5000.00"))
    with store.reading() as session:
        audited = session.scalars(select(AuditEntry.new).where(
            AuditEntry.table_name == "placement", AuditEntry.row_id == stored.id)).all()
    assert any('"changes"' in text and "2026-11-10" in text for text in audited)
    again = imp(store, path, "placements")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    (stored_again,) = rows_of(store, Placement)
    assert (stored_again.return_on, stored_again.monthly_wage) == (stored.return_on,
                                                                   stored.monthly_wage)


# 5. 务工地点 (with its province, city and region class), 输出方式 and 劳动合同 are updated.

def test_destination_organised_and_contract_follow_the_update_rules(store, station, tmp_path):
    imp(store, placements(tmp_path, [placement(1, where="深圳", contract="否"),
                                     placement(2, where="", organised="")], "a.xlsx"),
        "placements")
    path = placements(tmp_path, [placement(1, where="郑州", organised="有组织", contract="是"),
                                 placement(2, where="郑州", organised="有组织")], "b.xlsx")
    result = imp(store, path, "placements")
    first, second = rows_of(store, Placement)
    assert (first.destination, first.organised, first.contract) == ("深圳", False, False)
    # an empty destination is filled in, with what follows from it
    assert (second.destination, second.province, second.city, second.region_class) == (
        "郑州", "41", "郑州市", "20")
    assert "务工地点：（空） → 郑州" in changes(result)
    overwritten = imp(store, path, "placements", overwrite=True)
    first = rows_of(store, Placement)[0]
    assert (first.destination, first.province, first.city, first.area_code,
            first.region_class) == ("郑州", "41", "郑州市", "410100", "20")
    assert first.organised and first.contract
    listed = overwritten.findings[0].changes
    assert {"务工地点：深圳 → 郑州", "地域类别：省外 → 县外省内", "输出方式：自发 → 有组织",
            "劳动合同：未签 → 已签"} <= set(listed)
    # a blank 输出方式 changes nothing; a change in a submitted month is refused
    submit(store, station, "2026-10")
    locked = imp(store, placements(tmp_path, [placement(1, where="上海", organised="")],
                                   "c.xlsx"), "placements", overwrite=True)
    assert locked.errors == 1 and "锁定" in locked.error_findings[0].reason
    assert rows_of(store, Placement)[0].destination == "郑州"


# 6. A training result changes: 未结业 → 结业 as a course goes; others with overwrite.

def test_training_results_change_and_certificates_follow_them(store, station, tmp_path):
    imp(store, trainings(tmp_path, [training(1, result="未结业"), training(2, result="中途退出"),
                                    training(3, certificate="职业技能等级证书 S0001")], "a.xlsx"),
        "trainings")
    path = trainings(tmp_path, [training(1, certificate="职业技能等级证书 S1001"),
                                training(2, certificate="职业技能等级证书 S1002"),
                                training(3, result="未结业")], "b.xlsx")
    result = imp(store, path, "trainings")
    done, left, kept = rows_of(store, Enrolment)
    assert (done.result, done.certificate_kind, done.certificate_no) == ("1", "2", "S1001")
    assert (left.result, left.certificate_kind) == ("3", None)
    assert (kept.result, kept.certificate_no) == ("1", "S0001")
    assert "培训结果：未结业 → 结业" in changes(result)
    assert any("退学" in w and "证书未记" in w for w in warnings(result))
    overwritten = imp(store, path, "trainings", overwrite=True)
    done, left, kept = rows_of(store, Enrolment)
    assert (left.result, left.certificate_kind, left.certificate_no) == ("1", "2", "S1002")
    # a result other than 结业 keeps no certificate
    assert (kept.result, kept.certificate_kind, kept.certificate_no) == ("2", None, "")
    assert "培训结果：结业 → 未结业" in changes(overwritten)
    with store.reading() as session:
        audited = session.scalars(select(AuditEntry.new).where(
            AuditEntry.table_name == "enrolment", AuditEntry.row_id == left.id)).all()
    assert any('"result": ["3", "1"]' in text for text in audited)


# 7. A course is matched by name, provider and start; a new end date updates it.

def test_a_changed_course_end_date_updates_the_course(store, station, tmp_path):
    imp(store, trainings(tmp_path, [training(1, end="2026-10-28")], "a.xlsx"), "trainings")
    path = trainings(tmp_path, [training(1, end="2026-10-30"), training(2, end="2026-10-30")],
                     "b.xlsx")
    result = imp(store, path, "trainings")
    assert count(store, Course) == 1 and count(store, Enrolment) == 2
    assert (result.added, result.unchanged) == (1, 1) and not result.created_courses
    assert any("2026-10-28" in w and "覆盖导入" in w for w in warnings(result))
    assert rows_of(store, Course)[0].end_on == date(2026, 10, 28)
    overwritten = imp(store, path, "trainings", overwrite=True)
    (course,) = rows_of(store, Course)
    assert course.end_on == date(2026, 10, 30)
    assert "培训班结业时间：2026-10-28 → 2026-10-30" in changes(overwritten)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == "course", AuditEntry.row_id == course.id,
            AuditEntry.new.contains('"changes"'))) == 1


# 8. RETURN_SPEC's own words for a course's mode and type.

def test_course_mode_and_type_words_of_the_spec(store, station, tmp_path):
    words = ["订单", "定向", "委托", "订单式", "订单培训", "定向培训"]
    rows = [training(n, course=f"班{n}", mode=word) for n, word in enumerate(words, 1)]
    rows.append(training(9, course="SYB培训", kind="创业", mode="委托"))
    result = imp(store, trainings(tmp_path, rows), "trainings")
    assert result.added == 7 and not warnings(result)
    got = {c.name: (c.course_type, c.mode) for c in rows_of(store, Course)}
    assert [got[f"班{n}"][1] for n in range(1, 7)] == ["1", "2", "3", "1", "1", "2"]
    assert got["SYB培训"] == ("3", "3")


# 9. A row that disagrees with its course is told; overwrite corrects the stored course.

def test_a_row_disagreeing_with_its_course_is_told_and_overwrite_corrects(store, station,
                                                                          tmp_path):
    first = imp(store, trainings(tmp_path, [
        training(1, course="创业培训班", kind="职业技能培训", mode=""),
        training(2, course="创业培训班", kind="创业培训", mode="订单培训")], "a.xlsx"), "trainings")
    (course,) = rows_of(store, Course)
    assert (course.course_type, course.mode) == ("2", "1")  # a blank mode is filled in
    told = [w for w in first.findings[-1].warnings if "培训类型" in w]
    assert told and "职业技能培训" in told[0] and "创业培训" in told[0]
    fixed = [training(n, course="创业培训班", kind="创业培训", mode="委托培训") for n in (1, 2)]
    imp(store, trainings(tmp_path, fixed, "b.xlsx"), "trainings")
    assert (rows_of(store, Course)[0].course_type, rows_of(store, Course)[0].mode) == ("2", "1")
    again = imp(store, trainings(tmp_path, fixed, "b.xlsx"), "trainings", overwrite=True)
    (course,) = rows_of(store, Course)
    assert (course.course_type, course.mode) == ("3", "3")
    assert "培训类型：职业技能培训 → 创业培训" in changes(again)
    assert count(store, Course) == 1 and count(store, Enrolment) == 2


# 10. An unchanged training roster of a submitted month is 无变化, as placements are.

def test_an_unchanged_training_roster_of_a_locked_month_is_unchanged(store, station, tmp_path):
    october = [training(1), training(2)]
    imp(store, trainings(tmp_path, october, "a.xlsx"), "trainings")
    submit(store, station, "2026-10")
    again = imp(store, trainings(tmp_path, [*october, training(
        3, course="焊工班", start="2026-11-02", end="2026-11-12")], "b.xlsx"), "trainings",
        all_or_nothing=True)
    assert (again.added, again.unchanged, again.errors) == (1, 2, 0) and again.written
    changed = imp(store, trainings(tmp_path, [training(1, certificate="职业技能等级证书 S9")],
                                   "c.xlsx"), "trainings")
    assert changed.errors == 1 and "锁定" in changed.error_findings[0].reason
    assert rows_of(store, Enrolment)[0].certificate_kind is None


# 11. A row refused by the period lock adds nobody and no village.

@pytest.mark.parametrize("kind", ["placements", "trainings"])
def test_a_refused_row_leaves_nothing_behind(store, station, tmp_path, kind):
    submit(store, station, "2026-10")
    number = pid(7)
    header = PLACEMENT_HEADER if kind == "placements" else TRAINING_HEADER
    row = placement(7) if kind == "placements" else training(7)
    path = write_xlsx(tmp_path / "x.xlsx", {"花名册": [header, [row[0], number, "王庄村", *row[2:]]]})
    result = imp(store, path, kind)
    assert result.errors == 1 and "锁定" in result.error_findings[0].reason
    assert result.persons_added == 0 and not result.created_areas
    assert count(store, Person) == 0
    with store.reading() as session:
        assert session.scalar(select(Area.id).where(Area.name == "王庄村")) is None


# 12. 返乡时间 written for someone still away; a 0 in a date cell names its field.

def test_still_away_words_are_no_return_date_and_a_zero_names_its_field(store, station,
                                                                         tmp_path):
    words = ["未返乡", "至今", "在外", "未回", "无", "/", "-", "—", "／"]
    rows = [placement(n, back=word) for n, word in enumerate(words, 1)]
    rows.append(placement(20, back=0))
    result = imp(store, placements(tmp_path, rows), "placements")
    assert (result.added, result.errors) == (len(words), 1)
    assert all(p.return_on is None for p in rows_of(store, Placement))
    assert result.error_findings[0].reason.startswith("返乡时间“0”")


def test_a_new_departure_while_an_earlier_one_has_no_return_is_told(store, station, tmp_path):
    header = ["姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点", "用工单位"]
    first = write_xlsx(tmp_path / "march.xlsx", {"Sheet1": [
        header, ["张一", pid(1), "李庄村", "2026-03-01", "", "北京", "甲厂"],
        ["张二", pid(2), "李庄村", "2026-03-01", "2026-06-30", "北京", "甲厂"]]})
    imp(store, first, "placements")
    later = write_xlsx(tmp_path / "october.xlsx", {"Sheet1": [
        header, ["张一", pid(1), "李庄村", "2026-10-10", "", "上海", "乙厂"],
        ["张二", pid(2), "李庄村", "2026-10-10", "", "上海", "乙厂"],
        ["张三", pid(3), "李庄村", "2026-04-01", "", "郑州", "丙厂"],
        ["张三", pid(3), "李庄村", "2026-05-01", "", "广州", "丁厂"]]})
    result = imp(store, later, "placements")
    assert result.added == 4
    warned = {f.row: " ".join(f.warnings) for f in result.findings}
    assert "此人2026-03-01起的外出（北京）没有返乡时间" in warned[2]
    assert 3 not in warned  # (张二 came back in June)
    assert "此人2026-04-01起的外出（郑州）没有返乡时间" in warned[5]  # (within one file too)
    assert 4 not in warned
