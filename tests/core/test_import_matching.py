"""What an import matches and what it leaves alone: households numbered per village, a
file of another township, notes under the table, a roster row whose name is not the
register's, and a roster imported again with what was missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from import_world import TOWNSHIP, count, imp, pid, rows_of
from sqlalchemy import func, select
from workbooks import write_xlsx

from laborstation.errors import UserError
from laborstation.model import AuditEntry, Enrolment, Household, MonthlyReturn, Person, Placement
from laborstation.services.station import set_station


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code=TOWNSHIP)


PERSONS = ["序号", "姓名", "身份证号", "行政村", "村民小组", "户编号", "与户主关系"]


def test_households_numbered_in_each_village_stay_apart(store, station, tmp_path):
    path = write_xlsx(tmp_path / "hh.xlsx", {
        "李庄村": [PERSONS, [1, "张一", pid(1), "李庄村", "1组", 1, "户主"],
                   [2, "张二", pid(2), "李庄村", "1组", 1, "子"]],
        "王庄村": [PERSONS, [1, "王一", pid(3), "王庄村", "1组", 1, "户主"],
                   [2, "王二", pid(4, False), "王庄村", "1组", 1, "配偶"]],
    })
    result = imp(store, path, "persons")
    assert (result.added, result.households_added) == (4, 2)
    with store.reading() as session:
        homes = dict(session.execute(select(Person.name, Person.household_id)).all())
        heads = set(session.scalars(select(Household.head_id)).all())
        by_name = dict(session.execute(select(Person.name, Person.id)).all())
    assert homes["张一"] == homes["张二"] != homes["王一"] == homes["王二"]
    assert heads == {by_name["张一"], by_name["王一"]}
    again = imp(store, path, "persons")  # the same numbers find their own village's households
    assert (again.added, again.households_added, again.unchanged) == (0, 0, 4)


def test_a_township_unit_refuses_a_file_of_another_township(store, station, tmp_path):
    header = ["姓名", "身份证号", "乡镇", "行政村"]
    other = write_xlsx(tmp_path / "other.xlsx", {"Sheet1": [
        header, ["甲", pid(1), "王楼乡", "李庄村"], ["乙", pid(2), "王楼乡", "张村"]]})
    with pytest.raises(UserError, match="王楼乡.*本单位是城关镇"):
        imp(store, other, "persons")
    assert count(store, Person) == 0
    own = write_xlsx(tmp_path / "own.xlsx", {"Sheet1": [
        header, ["甲", pid(1), "城关", "李庄村"], ["乙", pid(2), "城关镇", "张村"]]})
    assert imp(store, own, "persons").added == 2  # (城关 is 城关镇)
    noted = write_xlsx(tmp_path / "noted.xlsx", {"Sheet1": [
        header, ["丙", pid(3), "", "李庄村"], [None, None, "填表人：李四"]]})
    assert imp(store, noted, "persons").added == 1  # (a note in the column names no township)


def test_totals_and_signatures_under_the_table_are_notes_not_errors(store, station, tmp_path):
    header = ["序号", "姓名", "身份证号", "行政村"]
    path = write_xlsx(tmp_path / "notes.xlsx", {"Sheet1": [
        header, [1, "张一", pid(1), "李庄村"], [2, "李四", None, "李庄村"],
        ["合计", "2人"], [None, "制表人：", None, "张三"], [None, "填表人：王五"],
    ]})
    result = imp(store, path, "persons")
    assert (result.read, result.added, result.errors, result.blank) == (5, 1, 1, 3)
    assert result.error_findings[0].row == 3  # 李四, without an ID number: still an error


def test_a_signature_under_the_id_number_column_is_a_note(store, station, tmp_path):
    path = write_xlsx(tmp_path / "notes.xlsx", {"Sheet1": [
        ["序号", "姓名", "身份证号", "行政村"], [1, "张一", pid(1), "李庄村"],
        [None, None, "审核人：王所长", None], [None, "制表：李四", "负责人：王五", None],
    ]})
    result = imp(store, path, "persons")
    assert (result.read, result.added, result.errors, result.blank) == (3, 1, 0, 2)


PLACEMENTS = ["序号", "姓名", "身份证号", "行政村", "外出时间", "返乡时间", "务工地点", "用工单位",
              "月收入", "行业"]


def _placements(tmp_path, rows, name="placements.xlsx"):
    return write_xlsx(tmp_path / name, {"Sheet1": [PLACEMENTS, *rows]})


def test_a_roster_row_whose_name_is_not_the_registers_is_pointed_out(store, station, tmp_path):
    imp(store, write_xlsx(tmp_path / "reg.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村"], ["张三", pid(1), "李庄村"]]}), "persons")
    path = _placements(tmp_path, [[1, "张叁", pid(1), "李庄村", "2026-03-01", "2026-04-30",
                                   "深圳", "富士康", 5000, ""],
                                  [2, "张 三", pid(1), "李庄村", "2026-05-01", "", "深圳",
                                   "比亚迪", 5000, ""],
                                  [3, "王五", pid(1), "李庄村", "2026-07-01", "", "深圳",
                                   "华为", 5000, ""]])
    result = imp(store, path, "placements")
    assert (result.added, result.errors) == (2, 1)
    warnings = [w for f in result.findings for w in f.warnings if "没有“输出方式”列" not in w]
    assert warnings == ["姓名“张叁”与台账中这个身份证号的姓名“张三”不同，已记在张三名下："
                        "请核对身份证号是否抄错"]  # (张 三 is 张三)
    # a name with nothing of the registered one's: another person's row, refused (the
    # sixth review: it had been recorded under 张三)
    assert result.error_findings[0].reason == (
        f"身份证号 {pid(1)} 在台账中是张三，这一行的姓名是王五，不像同一个人：可能是身份证号抄错了，"
        "这一行没有导入（确是同一人改了名的，请先在程序中改正姓名）")


def test_a_roster_imported_again_fills_in_what_the_placement_lacked(store, station, tmp_path):
    first = _placements(tmp_path, [[1, "张伟", pid(1), "李庄村", "2026-03-01", "", "郑州",
                                    "富士康", "", ""]], "march.xlsx")
    imp(store, first, "placements")
    later = _placements(tmp_path, [[1, "张伟", pid(1), "李庄村", "2026-03-01", "2026-06-30",
                                    "郑州", "富士康", 5200, ""]], "june.xlsx")
    result = imp(store, later, "placements")
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)
    [finding] = result.findings
    assert finding.changes == ["返乡时间：（空） → 2026-06-30", "月收入：（空） → 5200"]
    with store.reading() as session:
        placement = session.scalars(select(Placement)).one()
        assert (placement.return_on, placement.monthly_wage) == (date(2026, 6, 30),
                                                                 Decimal("5200"))
        audited = session.scalars(select(AuditEntry.new).where(
            AuditEntry.table_name == "placement", AuditEntry.row_id == placement.id)).all()
    assert any("june.xlsx" in text and "return_on" in text for text in audited)
    assert imp(store, later, "placements").unchanged == 1  # nothing more to fill in
    other = _placements(tmp_path, [[1, "张伟", pid(1), "李庄村", "2026-03-01", "2026-07-31",
                                    "郑州", "富士康", 6000, ""]], "july.xlsx")
    kept = imp(store, other, "placements")  # a different value: kept unless overwrite
    assert kept.unchanged == 1 and count(store, Placement) == 1
    assert imp(store, other, "placements", overwrite=True).updated == 1
    with store.reading() as session:
        assert session.scalars(select(Placement.monthly_wage)).one() == Decimal("6000")


def test_a_submitted_month_keeps_its_placements_but_a_roster_still_imports_again(
        store, station, tmp_path):
    path = _placements(tmp_path, [[1, "张伟", pid(1), "李庄村", "2026-02-10", "", "郑州",
                                   "甲厂", "", ""]])
    imp(store, path, "placements")
    with store.session() as session:
        session.add(MonthlyReturn(period="2026-02", area_id=station.area_id, status="submitted"))
    assert (imp(store, path, "placements").unchanged, count(store, Placement)) == (1, 1)
    filled = _placements(tmp_path, [[1, "张伟", pid(1), "李庄村", "2026-02-10", "", "郑州",
                                     "甲厂", 4000, ""]], "filled.xlsx")
    refused = imp(store, filled, "placements")  # a change to a locked month: refused
    assert refused.errors == 1 and "锁定" in refused.error_findings[0].reason


TRAININGS = ["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "培训机构", "开班时间",
             "结业时间", "证书类型"]


def test_a_training_roster_imported_again_adds_the_certificate(store, station, tmp_path):
    row = ["张伟", pid(1), "李庄村", "电焊工培训班", "职业技能培训", "县职校", "2026-03-01",
           "2026-03-10"]
    imp(store, write_xlsx(tmp_path / "t1.xlsx", {"Sheet1": [TRAININGS, [*row, ""]]}),
        "trainings")
    result = imp(store, write_xlsx(tmp_path / "t2.xlsx", {"Sheet1": [
        TRAININGS, [*row, "职业技能等级证书"]]}), "trainings")
    assert (result.added, result.updated) == (0, 1)
    with store.reading() as session:
        enrolment = session.scalars(select(Enrolment)).one()
    assert enrolment.certificate_kind and count(store, Enrolment) == 1


def test_changes_are_listed_by_name_not_by_code_or_id(store, station, tmp_path):
    header = ["姓名", "身份证号", "行政村", "文化程度", "户编号"]
    imp(store, write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [
        header, ["张三", pid(1), "李庄村", "", "H1"]]}), "persons")
    result = imp(store, write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [
        header, ["张三", pid(1), "王庄村", "高中", "H9"]]}), "persons", overwrite=True)
    [finding] = result.findings
    assert finding.changes == ["文化程度：（空） → 普通高中", "行政村：李庄村 → 王庄村",
                               "户：户编号 H1 → 户编号 H9"]


def test_a_course_stored_with_spaces_in_its_name_is_found_by_a_later_roster(
        store, station, tmp_path):
    from laborstation.model import Course

    with store.session() as session:  # (as an earlier import or a form may have stored it)
        session.add(Course(area_id=station.area_id, name="电焊工 培训班", course_type="2",
                           mode="1", trade="", provider="县职校", place="",
                           start_on=date(2026, 3, 1), end_on=date(2026, 3, 10), notes=""))
    result = imp(store, write_xlsx(tmp_path / "t.xlsx", {"Sheet1": [TRAININGS, [
        "张伟", pid(1), "李庄村", "电焊工培训班", "职业技能培训", "县职校", "2026-03-01",
        "2026-03-10", ""]]}), "trainings")
    assert result.added == 1 and result.created_courses == []
    assert count(store, Course) == 1


def test_a_total_merged_across_the_row_stays_a_note(store, station, tmp_path):
    header = ["姓名", "身份证号", "行政村", "家庭住址", "联系电话"]
    path = write_xlsx(tmp_path / "total.xlsx", {"Sheet1": [
        header, ["张一", pid(1), "李庄村", "李庄村一组", ""],
        ["张二", pid(2), "李庄村", "李庄村一组", ""], ["合计：2人"]]},
        {"Sheet1": ["A4:E4"]})
    result = imp(store, path, "persons", all_or_nothing=True)
    assert (result.added, result.errors, result.blank, result.written) == (2, 0, 1, True)


def test_households_numbered_in_each_group_stay_apart(store, station, tmp_path):
    path = write_xlsx(tmp_path / "groups.xlsx", {"Sheet1": [
        PERSONS, [1, "张一", pid(1), "李庄村", "1组", 1, "户主"],
        [2, "张二", pid(2), "李庄村", "1组", 1, "子"],
        [3, "王五", pid(3), "李庄村", "2组", 1, "户主"],
        [4, "李四", pid(4), "李庄村", "1组", 3, "户主"]]})
    result = imp(store, path, "persons")
    assert (result.added, result.households_added) == (4, 3)
    # A later file without the group column finds the one household of its number.
    update = write_xlsx(tmp_path / "nogroup.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "户编号", "与户主关系"], ["李五", pid(5), "李庄村", 3, "子"]]})
    assert imp(store, update, "persons").households_added == 0
    later = write_xlsx(tmp_path / "later.xlsx", {"Sheet1": [  # and one of 2组's number 1
        PERSONS, [1, "王六", pid(6), "李庄村", "2组", 1, "子"]]})
    assert imp(store, later, "persons").households_added == 0
    with store.reading() as session:
        homes = dict(session.execute(select(Person.name, Person.household_id)).all())
    assert homes["张一"] == homes["张二"] != homes["王五"] == homes["王六"]
    assert homes["李五"] == homes["李四"] and count(store, Household) == 3


def test_changes_to_households_are_listed_quickly_by_their_numbers(store, station, tmp_path):
    """Each household's number is read once, not once per household changed."""
    from sqlalchemy import event

    header = ["姓名", "身份证号", "行政村"]
    people = [[f"人{n}", pid(n), "李庄村"] for n in range(1, 41)]
    imp(store, write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [header, *people]}), "persons")
    numbered = [[*row, f"H{n // 2}", "户主" if n % 2 else "子"]
                for n, row in enumerate(people, 1)]
    queries = []
    engine = store.engine
    listen = (engine, "before_cursor_execute",
              lambda *args: queries.append(args[2]) if "household" in args[2] else None)
    event.listen(*listen)
    try:
        result = imp(store, write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [
            [*header, "户编号", "与户主关系"], *numbered]}), "persons")
    finally:
        event.remove(*listen)
    assert result.updated == 40 and result.households_added == 21
    assert "户：（空） → 户编号 H0" in result.findings[0].changes
    assert not any(q.startswith("SELECT household.number") for q in queries)  # (one a household)


def test_a_member_whose_group_cell_is_blank_stays_in_the_household(store, station, tmp_path):
    path = write_xlsx(tmp_path / "blank.xlsx", {"Sheet1": [
        PERSONS, [1, "张一", pid(1), "李庄村", "1组", 7, "户主"],
        [2, "张二", pid(2), "李庄村", None, 7, "配偶"],
        [3, "张三", pid(3), "李庄村", "1组", 7, "子"]]})
    result = imp(store, path, "persons")
    assert (result.added, result.households_added) == (3, 1)


def test_household_numbers_001_and_1_are_one_household(store, station, tmp_path):
    """Excel drops the zeros of a number cell (and of every cell of a CSV it saves)."""
    path = write_xlsx(tmp_path / "zeros.xlsx", {"Sheet1": [
        PERSONS, [1, "张一", pid(1), "李庄村", "1组", "001", "户主"],
        [2, "张二", pid(2), "李庄村", "1组", 1, "子"],
        [3, "张三", pid(3), "李庄村", "1组", "010", "户主"]]})
    result = imp(store, path, "persons")
    assert (result.added, result.households_added) == (3, 2)
    with store.reading() as session:
        homes = dict(session.execute(select(Person.name, Person.household_id)).all())
        numbers = set(session.scalars(select(Household.number)).all())
    assert homes["张一"] == homes["张二"] != homes["张三"]
    assert numbers == {"001", "010"}  # stored as first written
    later = write_xlsx(tmp_path / "later.xlsx", {"Sheet1": [
        PERSONS, [1, "张四", pid(4), "李庄村", "1组", "01", "孙子"],
        [2, "张五", pid(5), "李庄村", "1组", 10, "子"]]})
    again = imp(store, later, "persons")  # stored households found the same way
    assert (again.added, again.households_added) == (2, 0)
    with store.reading() as session:
        homes = dict(session.execute(select(Person.name, Person.household_id)).all())
    assert homes["张四"] == homes["张一"] and homes["张五"] == homes["张三"]


def test_a_roster_row_placing_its_person_elsewhere_is_told(store, station, tmp_path):
    imp(store, write_xlsx(tmp_path / "p.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村"], ["张一", pid(1), "李庄村"], ["张二", pid(2), "李庄村"]]}),
        "persons")
    roster = write_xlsx(tmp_path / "r.xlsx", {"Sheet1": [
        ["姓名", "身份证号", "行政村", "外出时间", "务工地点"],
        ["张一", pid(1), "王庄村", "2026-03-01", "郑州"],
        ["张二", pid(2), "李庄", "2026-03-01", "郑州"]]})  # (李庄 is 李庄村)
    result = imp(store, roster, "placements")
    assert result.added == 2
    warned = {f.row: f.warnings for f in result.findings}
    assert any("这一行写的是王庄村，台账中此人在李庄村" in w for w in warned[2])
    assert 3 not in warned
    with store.reading() as session:
        assert count(store, Person) == 2
        assert session.scalar(select(func.count()).select_from(Placement)) == 2


def test_a_village_new_to_a_register_that_has_villages_is_told_once(store, station, tmp_path):
    """崔注村 for 崔洼村: a first import makes all its villages without a word; later a new
    one is told (on its first row), in case it is a typo."""
    header = ["姓名", "身份证号", "行政村"]
    first = write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [header, ["甲", pid(1), "崔洼村"]]})
    assert not imp(store, first, "persons").findings
    later = write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [
        header + ["村民小组"], ["乙", pid(2), "崔注村", "1组"], ["丙", pid(3), "崔注村", "1组"],
        ["丁", pid(4), "崔洼村", ""], ["戊", pid(5), "崔注村", "2组"]]})
    result = imp(store, later, "persons")
    assert result.added == 4
    assert [(f.row, f.warnings) for f in result.findings] == [
        (2, ["台账中没有行政村“崔注村”，导入时新建这个村：如是笔误，请改正村名后再导入"])]


def test_a_row_naming_another_head_than_its_numbered_households_is_told(
        store, station, tmp_path):
    """Households numbered 1, 2 … in every group, the group not written: 赵大's family
    joins 张建国's household 1 (as its number says), and each of its rows is told."""
    header = ["姓名", "身份证号", "行政村", "户编号", "户主姓名", "与户主关系"]
    first = write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [
        header, ["张建国", pid(1), "李庄村", "1", "张建国", "户主"],
        ["李秀英", pid(2), "李庄村", "1", "张建国", "妻"]]})
    assert not imp(store, first, "persons").findings
    later = write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [
        header, ["赵大", pid(3), "李庄村", "1", "赵大", "户主"],
        ["赵二", pid(4), "李庄村", "1", "", "子"],  # (户主姓名 carried down: 赵大)
        ["王五", pid(5), "李庄村", "2", "王五", "户主"],
        ["王六", pid(6), "李庄村", "2", "王 五", "子"]]})  # (the same name, spaced)
    result = imp(store, later, "persons")
    warned = {f.row: " ".join(f.warnings) for f in result.findings}
    assert set(warned) == {2, 3}
    assert "户编号“1”的户，户主是张建国，这一行写的户主是赵大" in warned[2]


def test_a_household_named_only_by_persons_who_keep_theirs_is_not_made(
        store, station, tmp_path):
    header = ["姓名", "身份证号", "行政村", "户编号", "与户主关系"]
    first = write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [
        header, ["张建国", pid(1), "李庄村", "1", "户主"], ["张伟", pid(2), "李庄村", "1", "子"]]})
    imp(store, first, "persons")
    moved = write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [
        header, ["张建国", pid(1), "李庄村", "1", "户主"], ["张伟", pid(2), "李庄村", "3", "户主"]]})
    result = imp(store, moved, "persons")
    assert (result.households_added, count(store, Household)) == (0, 1)  # (an empty one before)
    overwritten = imp(store, moved, "persons", overwrite=True)
    assert overwritten.households_added == 1 and overwritten.updated == 1
    with store.reading() as session:
        zhang = session.scalars(select(Person).where(Person.name == "张伟")).one()
        assert zhang.household.number == "3" and zhang.household.head_id == zhang.id


def test_a_households_new_category_is_told_and_taken_with_overwrite(store, station, tmp_path):
    """一般户 → 监测户 in a corrected ledger (103 and 207 count 监测户's persons): it was
    kept without a word, even with overwrite."""
    header = ["姓名", "身份证号", "行政村", "户编号", "与户主关系", "户类别"]

    def ledger(name, category):
        return write_xlsx(tmp_path / name, {"Sheet1": [
            header, ["张建国", pid(1), "李庄村", "1", "户主", category],
            ["张伟", pid(2), "李庄村", "1", "子", category]]})

    imp(store, ledger("a.xlsx", "一般户"), "persons")
    kept = imp(store, ledger("b.xlsx", "监测户"), "persons")
    warned = [(f.row, w) for f in kept.findings for w in f.warnings]
    assert warned == [(2, "户类别“监测户（防止返贫监测对象）”与台账中这一户的“一般户”不同，未覆盖（需要覆盖时勾选"
                          "“用表中的值覆盖已有信息”再导入）")]
    assert rows_of(store, Household)[0].category == "0"
    taken = imp(store, ledger("b.xlsx", "监测户"), "persons", overwrite=True)
    assert (taken.updated, taken.unchanged) == (1, 1)
    assert taken.findings[0].changes == ["户类别：一般户 → 监测户（防止返贫监测对象）"]
    assert rows_of(store, Household)[0].category == "2"
    assert not imp(store, ledger("b.xlsx", "监测户"), "persons").findings


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_ledger_row_under_anothers_id_number_is_refused_not_merged(store, station, tmp_path,
                                                                     overwrite):
    """王桂兰 written with 郭梓轩's number: she had been merged into him (his phone; with
    overwrite his name, relation and household). A corrected name (郭紫轩) is his row."""
    header = ["姓名", "身份证号", "行政村", "联系电话"]
    imp(store, write_xlsx(tmp_path / "reg.xlsx", {"Sheet1": [
        header, ["郭梓轩", pid(1), "李庄村", ""], ["李四", pid(2), "李庄村", ""]]}), "persons")
    path = write_xlsx(tmp_path / "again.xlsx", {"Sheet1": [
        header, ["王桂兰", pid(1), "李庄村", "13800000001"],
        ["李 四", pid(2), "李庄村", "13800000002"]]})
    result = imp(store, path, "persons", overwrite=overwrite)
    assert (result.errors, result.updated) == (1, 1)
    assert result.error_findings[0].reason.startswith(
        f"身份证号 {pid(1)} 在台账中是郭梓轩，这一行的姓名是王桂兰，不像同一个人")
    with store.reading() as session:
        assert dict(session.execute(select(Person.name, Person.phone)).all()) == {
            "郭梓轩": "", "李四": "13800000002"}
