"""Words clerks write in persons ledgers, now aliases in resources/codes: each one looks
up to its code, and a ledger using them is imported with codes and no warning."""

from __future__ import annotations

import pytest
from import_world import imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.codes import code_list
from laborstation.importing.values import Codes
from laborstation.model import Household, Person

ADDED = {
    "local_status": {
        "失业": "10", "待业": "10", "无业": "10",
        "在家务农": "20",
        "本地务工": "31", "公益性岗位": "31",
        "学生": "40", "在校生": "40",
    },
    "relation": {
        "三子": "20", "四子": "20", "五子": "20", "继子": "20", "养子": "20",
        "之子": "20", "之儿子": "20", "之长子": "20", "之次子": "20", "之三子": "20",
        "之四子": "20", "之继子": "20", "之养子": "20",
        "三女": "30", "四女": "30", "五女": "30", "继女": "30", "养女": "30",
        "之女": "30", "之女儿": "30", "之长女": "30", "之次女": "30", "之三女": "30",
        "之四女": "30", "之继女": "30", "之养女": "30",
        "长孙": "40", "长孙女": "40", "之孙": "40", "之孙子": "40", "之孙女": "40",
        "之外孙": "40", "之外孙女": "40", "之长孙": "40", "之长孙女": "40",
        "之父": "50", "之母": "50", "之父亲": "50", "之母亲": "50",
        "之祖父": "60", "之祖母": "60", "之外祖父": "60", "之外祖母": "60",
        "哥哥": "70", "弟弟": "70", "姐姐": "70", "妹妹": "70",
        "之兄": "70", "之弟": "70", "之姐": "70", "之妹": "70",
        "儿媳妇": "80", "之儿媳": "80", "之儿媳妇": "80", "之女婿": "80",
        "嫂": "70", "嫂子": "70", "弟媳": "70", "姐夫": "70", "妹夫": "70",
    },
    "education": {
        "高中肄业": "60", "初中肄业": "70",
        "小学肄业": "80", "初小": "80", "高小": "80",
        "中技": "40", "职专": "40", "无": "90",
        "四年级": "80", "初二": "70", "九年级": "70", "高三": "60",  # (a pupil's grade)
    },
    "labour_capacity": {
        "普通劳动力": "1", "技能劳动力": "1",
        "弱劳力": "2", "半劳力": "2", "弱劳动力或半劳动力": "2",
        "丧失劳动力": "3", "无劳动力": "3", "完全丧失劳动能力": "3", "完全丧失": "3",
    },
    "nation": {"其他未识别民族": "97", "穿青人": "97", "外国血统": "98"},
    "household_category": {
        "脱贫不稳定户": "2", "边缘易致贫户": "2", "突发严重困难户": "2", "防返贫监测户": "2",
        "五保户": "4", "特困户": "4",
    },
}
CASES = [(list_name, word, code) for list_name, words in ADDED.items()
         for word, code in words.items()]


@pytest.mark.parametrize(("list_name", "word", "code"), CASES)
def test_each_added_word_looks_up_to_its_code(list_name, word, code):
    found = code_list(list_name).lookup(word)
    assert found is not None and found.code == code, (list_name, word)
    assert word in found.aliases  # an alias, not a name matched by chance
    assert Codes().lookup(list_name, f" {word} ") == code  # as the import looks it up


def test_words_matched_before_stay_matched():
    codes = Codes()
    assert codes.lookup("labour_capacity", "弱劳动力") == "2"  # the import's own words
    assert codes.lookup("labour_capacity", "完全") == "1"
    assert codes.lookup("household_category", "特困供养户") == "4"  # the name itself
    assert codes.lookup("relation", "妻") == "10" and codes.lookup("relation", "子女") is None


def test_a_ledger_with_the_words_is_imported_as_codes_without_warnings(store, station,
                                                                       tmp_path):
    header = ["姓名", "身份证号码", "性别", "行政村", "户编号", "与户主关系", "文化程度",
              "劳动能力", "就业状态", "户类别"]
    head, son = pid(1), pid(2)
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [
        header,
        ["张伟", head, "男", "李庄村", "H001", "户主", "小学肄业", "弱劳力", "在家务农", "五保户"],
        ["张小明", son, "男", "李庄村", "H001", "之子", "初中肄业", "完全劳动能力", "本地务工",
         "五保户"],
    ]})
    result = imp(store, path, "persons")
    assert (result.read, result.added, result.errors) == (2, 2, 0)
    assert [f.warnings for f in result.findings if f.warnings] == []
    with store.reading() as session:
        people = {p.id_number: p for p in session.scalars(select(Person))}
        assert (people[son].relation, people[son].education, people[son].local_status) == (
            "20", "70", "31")
        assert (people[head].relation, people[head].education, people[head].local_status,
                people[head].labour_capacity) == ("02", "80", "20", "2")
        assert not people[son].notes and not people[head].notes
        assert session.scalar(select(Household.category)) == "4"


def test_a_relation_written_from_the_head_looks_up_as_its_relation():
    codes = Codes()
    assert [codes.lookup("relation", w) for w in ("户主之妻", "户主的儿子", "户主之长孙女")] == [
        "10", "20", "40"]
    assert codes.lookup("relation", "户主之") is None


def test_cells_a_clerk_wrote_wrongly_are_told_not_stored_as_written(store, station, tmp_path):
    header = ["姓名", "身份证号码", "行政村", "联系电话", "就业状态"]
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [
        header,
        ["张伟", pid(1), "李庄村", "1.39371E+10", "外出务工"],
        ["同上", pid(2), "李庄村", "13937110000", ""],
        ["李四", pid(3), "李庄村", "0393-1234567", "县外打工"],
        ["", pid(4), "李庄村", "", ""],
    ]})
    result = imp(store, path, "persons")
    assert (result.read, result.added, result.errors) == (4, 2, 2)
    told = {f.row: (f.reason, f.warnings) for f in result.findings}
    assert told[3][0] == "姓名写的是“同上”：每一行要写此人自己的姓名，请填写后再导入"
    assert told[5][0] == "姓名为空：请填写此人的姓名后再导入"
    assert sorted(w[:20] for w in told[2][1]) == ["就业状态“外出务工”是外出务工：台账的就",
                                                "联系电话“1.39371E+10”被 E"]
    assert "转移就业花名册" in told[4][1][0]
    with store.reading() as session:
        phones = dict(session.execute(select(Person.name, Person.phone)).all())
    assert phones == {"张伟": "", "李四": "0393-1234567"}
