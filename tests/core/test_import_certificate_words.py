"""Import of 培训花名册: the 证书类型 cell holding a level or an everyday word (初级工, 电工证,
结业证书 …) beside a 证书编号. The number is never lost to the word: the certificate is
kept, of the kind the word names or the least specific one, and the clerk is told."""

from __future__ import annotations

from import_world import imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.model import Enrolment, Person

HEADER = ["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "培训方式", "培训机构", "开班时间",
          "结业时间", "证书类型", "证书编号", "考核结果"]
KINDS = "（职业资格证书、职业技能等级证书、专项职业能力证书、培训合格证书）"


def roster(tmp_path, cells: list[tuple], name: str = "t.xlsx"):
    """A roster of 电工班 with one row per (证书类型, 证书编号, 考核结果), person 人1, 人2, …"""
    course = ["电工班", "职业技能培训", "其他", "县职校", "2026-03-01", "2026-03-15"]
    rows = [[f"人{n}", pid(n), "李庄村", *course, *row] for n, row in enumerate(cells, 1)]
    return write_xlsx(tmp_path / name, {"Sheet1": [HEADER, *rows]})


def stored(store) -> dict[str, tuple]:
    with store.reading() as session:
        return {name: (kind, number) for name, kind, number in session.execute(
            select(Person.name, Enrolment.certificate_kind, Enrolment.certificate_no)
            .join(Enrolment, Enrolment.person_id == Person.id))}


def notes(result) -> dict[int, list[str]]:
    return {f.row: f.warnings for f in result.findings if f.warnings}


def test_a_number_beside_a_word_naming_no_kind_is_kept(store, station, tmp_path):
    words = ["初级工", "五级", "五级/初级工", "电工（初级）", "电工证", "特种作业操作证", "SYB合格证"]
    result = imp(store, roster(tmp_path, [(w, f"S4109262026000{n}", "合格")
                                          for n, w in enumerate(words, 1)]), "trainings")
    assert (result.added, result.errors) == (7, 0)
    got = stored(store)
    # levels are those of 职业技能等级证书; other certificates the least specific kind
    assert [got[f"人{n}"] for n in range(1, 8)] == [
        ("2", "S41092620260001"), ("2", "S41092620260002"), ("2", "S41092620260003"),
        ("2", "S41092620260004"), ("4", "S41092620260005"), ("4", "S41092620260006"),
        ("4", "S41092620260007")]
    said = notes(result)
    assert said[2] == [f"证书“初级工”不是证书类型{KINDS}，按“职业技能等级证书”记，请核对"]
    assert said[6] == [f"证书“电工证”不是证书类型{KINDS}，按“培训合格证书”记，请核对"]
    assert set(said) == set(range(2, 9))  # every guess is told


def test_a_word_alone_is_kept_when_it_says_a_certificate_was_obtained(store, station, tmp_path):
    result = imp(store, roster(tmp_path, [
        ("初级工", "", "合格"), ("电工证", "", "合格"), ("结业证书", "", "合格"),
        ("已发", "", "合格"), ("电工", "", "合格"), ("待发证", "", "合格"),
        ("电工", "", "取得证书")]), "trainings")
    assert (result.added, result.errors) == (7, 0)
    got = stored(store)
    assert [got[f"人{n}"] for n in range(1, 8)] == [
        ("2", ""), ("4", ""), ("4", ""), ("4", ""), (None, ""), (None, ""), ("4", "")]
    said = notes(result)
    assert 4 not in said and 5 not in said  # 结业证书 is 培训合格证书, 已发 is 已发证
    assert said[6] == ["证书“电工”不是证书类型或证书编号，未记证书"]
    assert said[7] == ["证书“待发证”不是证书类型或证书编号，未记证书"]
    assert said[8] == [f"证书“电工”不是证书类型{KINDS}，按“培训合格证书”记，请核对"]


def test_a_number_with_chinese_in_the_number_column_is_kept(store, station, tmp_path):
    result = imp(store, roster(tmp_path, [
        ("", "豫人社电字第2026009号", "合格"), ("职业资格证书", "豫人社电字第2026010号", "合格"),
        ("", "暂无", "合格")]), "trainings")
    assert (result.added, result.errors) == (3, 0)
    assert stored(store) == {"人1": ("4", "豫人社电字第2026009号"),
                             "人2": ("1", "豫人社电字第2026010号"), "人3": (None, "")}
    assert notes(result) == {
        2: ["证书“豫人社电字第2026009号”没有写明证书类型，按“培训合格证书”记，请核对"]}


def test_the_number_column_wins_over_a_number_in_the_kind_cell(store, station, tmp_path):
    result = imp(store, roster(tmp_path, [("技能等级证书 S410926", "S41092620260001", "合格")]),
                 "trainings")
    assert stored(store) == {"人1": ("2", "S41092620260001")}
    assert notes(result) == {2: ["证书“技能等级证书 S410926”中的编号与证书编号“S41092620260001”"
                                 "不同，按证书编号记，请核对"]}


def test_a_number_not_kept_for_a_failed_course_is_told(store, station, tmp_path):
    result = imp(store, roster(tmp_path, [("初级工", "S41092620260007", "不合格")]), "trainings")
    assert stored(store) == {"人1": (None, "")}
    assert notes(result) == {2: ["培训结果不是结业，证书“初级工 S41092620260007”未记"]}


def test_a_certificate_arriving_later_under_a_level_word_updates_the_enrolment(
        store, station, tmp_path):
    first = imp(store, roster(tmp_path, [("", "", "合格")], "a.xlsx"), "trainings")
    assert first.added == 1 and stored(store) == {"人1": (None, "")}
    again = imp(store, roster(tmp_path, [("初级工", "S41092620260002", "合格")], "b.xlsx"),
                "trainings")
    assert (again.added, again.updated) == (0, 1)
    assert stored(store) == {"人1": ("2", "S41092620260002")}
