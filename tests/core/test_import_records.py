"""Import of 转移就业花名册 (placements) and 培训花名册 (trainings), end to end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from import_world import TOWNSHIP, count, imp, pid
from sqlalchemy import select
from workbooks import write_xlsx

from laborstation.model import Course, Enrolment, MonthlyReturn, Person, Placement
from laborstation.services.station import set_station


def write_sheet(path: Path, rows: list[list], title: str = "Sheet1") -> Path:
    return write_xlsx(path, {title: rows})


@pytest.fixture
def station(store):
    return set_station(store, name="城关镇", code=TOWNSHIP)


PLACEMENT_HEADER = ["序号", "姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位",
                    "输出方式", "月收入（元）", "是否签订劳动合同"]


def placements(tmp_path, rows, name="placements.xlsx"):
    return write_sheet(tmp_path / name, [["城关镇转移就业花名册"], PLACEMENT_HEADER, *rows])


def test_placements_resolve_destinations_wages_and_create_persons(store, station, tmp_path):
    rows = [
        [1, "张伟", pid(1), "李庄村", "2026.3", "北京市朝阳区", "北京建工", "有组织", "4500元", "是"],
        [2, "王芳", pid(2, False), "李庄村", "2026年2月10日", "郑州", "富士康", "自发",
         "4000-5000", "否"],
        [3, "李强", pid(3), "王庄村", 46082, "本县", "", "自谋", 3000, ""],
        [4, "赵六", pid(4), "王庄村", "2026-01-05", "新疆生产建设兵团农六师", "兵团", "组织", "", ""],
        [5, "钱七", pid(5), "王庄村", "202601", "广东东莞", "", "", "", ""],
    ]
    result = imp(store, placements(tmp_path, rows), "placements")
    assert (result.added, result.errors, result.persons_added) == (5, 0, 5) and result.accounted
    with store.reading() as session:
        got = {p.destination: p for p in session.scalars(select(Placement))}
    beijing = got["北京市朝阳区"]
    assert (beijing.province, beijing.region_class, beijing.start_on) == ("11", "30",
                                                                       date(2026, 3, 1))
    assert beijing.organised and beijing.contract and beijing.monthly_wage == Decimal("4500.00")
    zhengzhou = got["郑州"]
    assert (zhengzhou.province, zhengzhou.region_class) == ("41", "20")
    assert zhengzhou.monthly_wage == Decimal("4500.00") and not zhengzhou.organised
    assert got["本县"].region_class in ("11", "12") and got["本县"].start_on == date(2026, 3, 1)
    assert got["新疆生产建设兵团农六师"].region_class == "30"
    assert got["广东东莞"].province == "44" and got["广东东莞"].start_on == date(2026, 1, 1)
    warnings = [w for f in result.findings for w in f.warnings]
    assert any("中间值" in w for w in warnings)


def test_placements_are_deduplicated_on_reimport(store, station, tmp_path):
    rows = [[1, "张伟", pid(1), "李庄村", "2026-03-01", "郑州", "富士康", "自发", 4000, ""],
            [2, "张伟", pid(1), "李庄村", "2026-03-01", "郑州", "富士康", "自发", 4000, ""],
            [3, "张伟", pid(1), "李庄村", "2026-05-01", "郑州", "比亚迪", "自发", 4000, ""]]
    path = placements(tmp_path, rows)
    first = imp(store, path, "placements")
    assert (first.added, first.unchanged) == (2, 1)
    again = imp(store, path, "placements")
    assert (again.added, again.unchanged, again.errors) == (0, 3, 0)
    assert count(store, Placement) == 2 and count(store, Person) == 1


def test_a_placement_for_someone_unknown_without_a_village_is_an_error(store, station, tmp_path):
    path = write_sheet(tmp_path / "p.xlsx", [["姓名", "身份证号", "外出时间", "务工地点"],
                                           ["张伟", pid(1), "2026-03-01", "郑州"],
                                           ["王芳", pid(2, False), "", "郑州"],
                                           ["李强", pid(3), "明年", "郑州"]])
    result = imp(store, path, "placements")
    assert result.errors == 3 and result.accounted
    reasons = [f.reason for f in result.error_findings]
    assert "实名制台账" in reasons[0] and "外出时间为空" in reasons[1] and "明年" in reasons[2]
    assert count(store, Person) == 0 and count(store, Placement) == 0


def test_a_placement_in_a_submitted_period_is_refused(store, station, tmp_path):
    with store.session() as session:
        session.add(MonthlyReturn(period="2026-02", area_id=station.area_id, status="submitted"))
    rows = [[1, "张伟", pid(1), "李庄村", "2026-02-10", "郑州", "甲厂", "", "", ""],
            [2, "王芳", pid(2, False), "李庄村", "2026-03-10", "郑州", "乙厂", "", "", ""]]
    result = imp(store, placements(tmp_path, rows), "placements")
    assert (result.added, result.errors) == (1, 1)
    assert "锁定" in result.error_findings[0].reason


TRAINING_HEADER = ["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "培训机构", "开班时间",
                   "结业时间", "培训结果", "证书类型"]


def test_trainings_create_or_match_courses_and_enrolments(store, station, tmp_path):
    rows = [
        ["张伟", pid(1), "李庄村", "电焊工培训班", "职业技能培训", "县职校", "2026-03-01",
         "2026-03-10", "结业", "职业技能等级证书"],
        ["王芳", pid(2, False), "李庄村", "电焊工培训班", "职业技能培训", "县职校", "2026/3/1",
         "2026/3/10", "未结业", ""],
        ["李强", pid(3), "王庄村", "创业培训班", "", "县人社局", "2026.4.1", "2026.4.5", "", ""],
    ]
    path = write_sheet(tmp_path / "t.xlsx", [TRAINING_HEADER, *rows], title="培训花名册")
    result = imp(store, path, "trainings")
    assert (result.added, result.errors) == (3, 0) and len(result.created_courses) == 2
    with store.reading() as session:
        courses = {c.name: c for c in session.scalars(select(Course))}
        assert courses["创业培训班"].course_type == "3"  # guessed from the name
        assert courses["电焊工培训班"].course_type == "2"
        results = sorted(session.scalars(select(Enrolment.result)).all())
        assert results == ["1", "1", "2"]
        assert session.scalar(select(Enrolment.certificate_kind).where(
            Enrolment.certificate_kind.is_not(None))) == "2"
    again = imp(store, path, "trainings")
    assert (again.added, again.unchanged) == (0, 3) and not again.created_courses
    assert count(store, Course) == 2 and count(store, Enrolment) == 3


def test_training_rows_need_a_course_name(store, station, tmp_path):
    path = write_sheet(tmp_path / "t.xlsx", [TRAINING_HEADER,
                                           ["张伟", pid(1), "李庄村", "", "", "", "2026-03-01",
                                            "", "", ""]])
    result = imp(store, path, "trainings")
    assert result.errors == 1 and "培训班名称" in result.error_findings[0].reason
