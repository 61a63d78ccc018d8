"""The checks run before submission (RETURN_SPEC rules V1–V7).

Each finding names the records behind it (table, id, a label with the person's
name), so the clerk can open them. An ``error`` blocks submission, a
``warning`` does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, extract, func, or_, select
from sqlalchemy.orm import Session

from laborstation import idnumber
from laborstation.indicators import INDICATORS, compute_all
from laborstation.indicators.queries import COURSE_TYPES, REGION_CLASSES, placement_conditions
from laborstation.indicators.sqlfn import Scope, make_scope
from laborstation.model import (
    Course,
    HardToEmploy,
    Intention,
    JobPosting,
    Person,
    Placement,
    RightsCase,
    Visit,
    WelfarePost,
)
from laborstation.returns.build import ReturnData

ERROR, WARNING = "error", "warning"
SEVERITY_NAMES = {ERROR: "错误", WARNING: "提示"}
_VALID_REGIONS = tuple(c for codes in REGION_CLASSES.values() for c in codes)
_MAX_RECORDS = 500


@dataclass(frozen=True)
class RecordRef:
    table: str
    id: int
    label: str


@dataclass
class Finding:
    rule: str  # 'V1'..'V7'
    severity: str
    message: str
    records: list[RecordRef] = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        return f"[{self.rule} {SEVERITY_NAMES[self.severity]}] {self.message}"


class Records(list):
    """The records behind a finding (at most ``_MAX_RECORDS``) and how many there are."""

    def __init__(self, items=(), total: int | None = None):
        super().__init__(items)
        self.total = len(self) if total is None else total


def _placements(session: Session, conditions, scope: Scope, what: str) -> Records:
    where = (
        Placement.deleted_at.is_(None),
        Person.deleted_at.is_(None),
        scope.persons(Person.village_id),
        *conditions,
    )
    rows = session.execute(
        select(Placement.id, Person.name, Person.id_number, Placement.start_on)
        .join(Person, Person.id == Placement.person_id)
        .where(*where)
        .order_by(Placement.start_on, Placement.id)
        .limit(_MAX_RECORDS)
    ).all()
    total = len(rows)
    if total == _MAX_RECORDS:
        total = session.execute(
            select(func.count())
            .select_from(Placement)
            .join(Person, Person.id == Placement.person_id)
            .where(*where)
        ).scalar_one()
    return Records(
        [
            RecordRef("placement", pid, f"{name}（{idn}）{start:%Y-%m-%d} {what}")
            for pid, name, idn, start in rows
        ],
        total,
    )


def _v1(session, data: ReturnData, scope) -> list[Finding]:
    out = []
    for label, window, col in (("本月", data.month, "month"), ("本年累计", data.year, "year")):
        total = data.value("201", col)
        parts = sum(data.value(c, col) for c in ("202", "203", "204", "205"))
        if parts != total:
            starts, _ = placement_conditions(window)
            bad = or_(
                Placement.region_class.is_(None), Placement.region_class.not_in(_VALID_REGIONS)
            )
            records = _placements(session, [starts, bad], scope, "没有地域类别")
            out.append(
                Finding(
                    "V1",
                    ERROR,
                    f"{label}：202+203+204+205 = {parts}，不等于 201 = {total}；"
                    f"有 {total - parts} 条转移就业记录没有务工地点的地域类别。",
                    records,
                )
            )
            break
    return out


def _v2(session, data: ReturnData, scope) -> list[Finding]:
    out = []
    for label, col in (("本月", "month"), ("本年累计", "year")):
        v = {code: data.value(code, col) for code in INDICATORS}
        problems = []
        for small, big in (("206", "201"), ("207", "201"), ("307", "301"), ("309", "308")):
            if v[small] > v[big]:
                problems.append(f"{small} = {v[small]} 大于 {big} = {v[big]}")
        types = sum(v[c] for c in COURSE_TYPES)
        if types != v["301"]:
            problems.append(f"302+303+304+305 = {types}，不等于 301 = {v['301']}")
        if problems:
            window = data.month if col == "month" else data.year
            rows = session.execute(
                select(Course.id, Course.name, Course.course_type).where(
                    Course.deleted_at.is_(None),
                    Course.end_on.between(window.start, window.end),
                    Course.course_type.not_in(tuple(COURSE_TYPES.values())),
                )
            ).all()
            records = [
                RecordRef("course", cid, f"培训班“{name}”培训类型无效（{ctype}）")
                for cid, name, ctype in rows
            ]
            out.append(Finding("V2", ERROR, f"{label}：" + "；".join(problems) + "。", records))
    return out


def _v3(session, data: ReturnData, scope) -> list[Finding]:
    _, overlaps = placement_conditions(data.month)
    records = _placements(
        session, [overlaps, Placement.monthly_wage.is_(None)], scope, "没有月收入"
    )
    if not records:
        return []
    return [
        Finding(
            "V3",
            WARNING,
            f"本月有 {records.total} 条在外务工记录没有填写月收入，209 劳务收入因此偏低。",
            records,
        )
    ]


def _v4(session, data: ReturnData, scope) -> list[Finding]:
    rows = session.execute(
        select(Person.id, Person.name, Person.id_number).where(
            Person.deleted_at.is_(None), scope.persons(Person.village_id)
        )
    ).all()
    invalid = []
    for pid, name, number in rows:
        try:
            idnumber.parse(number)
        except idnumber.InvalidIdNumber as error:
            invalid.append(RecordRef("person", pid, f"{name}：{error}"))
    out = []
    if invalid:
        out.append(
            Finding("V4", ERROR, f"{len(invalid)} 人的身份证号无效。", invalid[:_MAX_RECORDS])
        )
    key = func.upper(func.trim(Person.id_number))
    twice = (
        select(key.label("k"))
        .where(Person.deleted_at.is_(None))
        .group_by(key)
        .having(func.count() > 1)
        .subquery()
    )
    dupes = session.execute(
        select(Person.id, Person.name, Person.id_number)
        .where(
            Person.deleted_at.is_(None),
            key.in_(select(twice.c.k)),
            scope.persons(Person.village_id),
        )
        .order_by(Person.id_number, Person.id)
    ).all()
    if dupes:
        records = [RecordRef("person", pid, f"{name}（{number}）") for pid, name, number in dupes]
        out.append(Finding("V4", ERROR, "同一身份证号登记了不止一人。", records))
    return out


def _v5(session, data: ReturnData, scope) -> list[Finding]:
    last = compute_all(session, data.period.last_year_month_window, scope)
    out = []
    for code, ind in INDICATORS.items():
        if ind.kind != "flow":
            continue
        now, before = data.value(code, "month"), last.get(code)
        if before and (now > 3 * before or now * 3 < before):
            out.append(
                Finding(
                    "V5",
                    WARNING,
                    f"{code} {ind.name} 本月 {now}{ind.unit}，"
                    f"上年同月 {before}{ind.unit}，变化超过 3 倍，请核实。",
                )
            )
    return out


def _v6(session, data: ReturnData, scope) -> list[Finding]:
    def ymd(col, years=0):
        return (
            (extract("year", col) + years) * 10000
            + extract("month", col) * 100
            + extract("day", col)
        )

    starts = Placement.start_on.between(data.year.start, data.year.end)
    too_young = ymd(Person.birth_date, 16) > ymd(Placement.start_on)
    after_death = and_(Person.died_on.is_not(None), Placement.start_on > Person.died_on)
    young = _placements(session, [starts, too_young], scope, "外出时未满 16 周岁")
    dead = _placements(session, [starts, after_death], scope, "外出时间晚于死亡日期")
    if not (young or dead):
        return []
    return [
        Finding(
            "V6",
            ERROR,
            f"{young.total} 条转移就业记录外出时本人未满 16 周岁，{dead.total} 条晚于本人死亡日期。",
            young + dead,
        )
    ]


# (table, model, (date column, its name for the clerk) …, the kind of record)
_DATED = [
    ("placement", Placement, (("start_on", "外出时间"), ("return_on", "返乡时间")), "转移就业"),
    ("course", Course, (("start_on", "开班时间"), ("end_on", "结业时间")), "培训班"),
    ("job_posting", JobPosting, (("posted_on", "发布日期"),), "用工信息"),
    ("intention", Intention, (("intended_on", "登记日期"),), "用工意向"),
    ("hard_to_employ", HardToEmploy, (("recognised_on", "认定日期"),), "就业困难认定"),
    ("welfare_post", WelfarePost, (("start_on", "上岗日期"),), "公益性岗位"),
    ("rights_case", RightsCase, (("received_on", "受理日期"), ("closed_on", "结案日期")),
     "维权案件"),
    ("visit", Visit, (("visited_on", "回访日期"),), "回访"),
    ("person", Person, (("died_on", "死亡日期"),), "人员"),
]


def _v7(session, data: ReturnData, scope, today: date) -> list[Finding]:
    records = []
    for table, model, fields, what in _DATED:
        for name, shown in fields:
            col = getattr(model, name)
            rows = session.execute(
                select(model.id, col)
                .where(model.deleted_at.is_(None), col > today)
                .limit(_MAX_RECORDS)
            ).all()
            records += [
                RecordRef(table, rid, f"{what}记录 {rid}：{shown} {day:%Y-%m-%d}")
                for rid, day in rows
            ]
    if not records:
        return []
    return [
        Finding("V7", ERROR, f"{len(records)} 条记录的日期晚于今天（{today:%Y-%m-%d}）。", records)
    ]


def check_return(session: Session, data: ReturnData, *, today: date | None = None) -> list[Finding]:
    """All findings of V1–V7 for a built return (errors first)."""
    scope = make_scope(session, data.station.area_id, unassigned=True)
    findings: list[Finding] = []
    for rule in (_v1, _v2, _v3, _v4, _v5, _v6):
        findings += rule(session, data, scope)
    findings += _v7(session, data, scope, today or date.today())
    findings.sort(key=lambda f: (not f.is_error, f.rule))
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


__all__ = ["ERROR", "WARNING", "Finding", "RecordRef", "check_return", "errors"]
