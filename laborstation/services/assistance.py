"""Employment assistance: hard-to-employ recognitions (就业困难人员认定) and
public-welfare posts (公益性岗位安置).

A recognition counts on its recognition date, a welfare post on its start date
(RETURN_SPEC 501/502), both in the person's village; both are period-locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborstation.errors import ValidationError
from laborstation.model import HardToEmploy, Person, WelfarePost
from laborstation.services import _records as r

__all__ = [
    "HardToEmployInfo", "HardToEmployInput", "WelfarePostInfo", "WelfarePostInput",
    "create_hard_to_employ", "create_welfare_post", "delete_hard_to_employ",
    "delete_welfare_post", "get_hard_to_employ", "get_welfare_post", "list_hard_to_employ",
    "list_welfare_posts", "restore_hard_to_employ", "restore_welfare_post",
    "update_hard_to_employ", "update_welfare_post",
]


def _alive(person: Person, when: date, field: str) -> None:
    if person.died_on is not None and when > person.died_on:
        raise ValidationError(
            f"{person.name}已于 {person.died_on.isoformat()} 去世，日期 {when.isoformat()} 在其后。",
            field,
        )


def _person_name(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    return person.name if person else ""


# --- hard-to-employ -----------------------------------------------------------------------

@dataclass
class HardToEmployInput:
    person_id: int
    category: str  # hardship code list
    recognised_on: date
    ended_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class HardToEmployInfo:
    id: int
    person_id: int
    person_name: str
    category: str
    recognised_on: date
    ended_on: date | None
    notes: str
    deleted: bool


def _hard_values(session: Session, d: HardToEmployInput, today: date, row_id) -> dict:
    person = r.person(session, d.person_id)
    start = r.day(d.recognised_on, "recognised_on", "认定日期", today=today)
    end = r.day(d.ended_on, "ended_on", "退出日期", required=False)
    r.date_order(start, end, "ended_on", "认定日期", "退出日期")
    _alive(person, start, "recognised_on")
    overlap = select(HardToEmploy.id).where(
        HardToEmploy.person_id == person.id, HardToEmploy.deleted_at.is_(None),
        HardToEmploy.id != (row_id or 0),
        (HardToEmploy.ended_on.is_(None)) | (HardToEmploy.ended_on >= start),
    )
    if end is not None:
        overlap = overlap.where(HardToEmploy.recognised_on <= end)
    if session.execute(overlap).first() is not None:
        raise ValidationError(
            f"{person.name}在 {start.isoformat()} 已是认定在册的就业困难人员，"
            "请先登记上一次认定的退出日期。", "recognised_on",
        )
    return dict(
        person_id=person.id,
        category=r.code("hardship", d.category, "category", "困难类别", required=True),
        recognised_on=start,
        ended_on=end,
        notes=r.notes(d.notes),
    )


HARD = r.RecordKind(
    HardToEmploy, "就业困难人员认定记录",
    lambda s, row: r.info_of(HardToEmployInfo, row, person_name=_person_name(s, row.person_id)),
    _hard_values, r.person_counted("recognised_on"),
)


def create_hard_to_employ(store, data: HardToEmployInput, *, today: date | None = None
                          ) -> HardToEmployInfo:
    return r.create_record(store, HARD, data, today)


def update_hard_to_employ(store, row_id: int, data: HardToEmployInput, *,
                          today: date | None = None) -> HardToEmployInfo:
    return r.update_record(store, HARD, row_id, data, today)


def delete_hard_to_employ(store, row_id: int) -> None:
    r.delete_record(store, HARD, row_id)


def restore_hard_to_employ(store, row_id: int) -> HardToEmployInfo:
    return r.restore_record(store, HARD, row_id)


def get_hard_to_employ(store, row_id: int) -> HardToEmployInfo:
    return r.get_record(store, HARD, row_id)


def list_hard_to_employ(store, *, person_id: int | None = None, on: date | None = None
                        ) -> list[HardToEmployInfo]:
    """Live recognitions, latest first; ``on`` keeps those in force on that date."""
    with store.reading() as session:
        q = select(HardToEmploy).where(HardToEmploy.deleted_at.is_(None))
        if person_id is not None:
            q = q.where(HardToEmploy.person_id == person_id)
        if on is not None:
            q = q.where(HardToEmploy.recognised_on <= on,
                        HardToEmploy.ended_on.is_(None) | (HardToEmploy.ended_on >= on))
        rows = session.execute(
            q.order_by(HardToEmploy.recognised_on.desc(), HardToEmploy.id.desc())
        ).scalars()
        return [HARD.info(session, row) for row in rows]


# --- welfare posts ------------------------------------------------------------------------

@dataclass
class WelfarePostInput:
    person_id: int
    post_type: str  # welfare_post_type code list
    start_on: date
    post_name: str = ""  # e.g. 保洁员
    end_on: date | None = None
    employer_id: int | None = None
    employer_name: str = ""
    monthly_subsidy: Decimal | None = None
    notes: str = ""


@dataclass(frozen=True)
class WelfarePostInfo:
    id: int
    person_id: int
    person_name: str
    post_type: str
    post_name: str
    employer_id: int | None
    employer_name: str
    start_on: date
    end_on: date | None
    monthly_subsidy: Decimal | None
    notes: str
    deleted: bool


def _post_values(session: Session, d: WelfarePostInput, today: date, row_id) -> dict:
    person = r.person(session, d.person_id)
    start = r.day(d.start_on, "start_on", "上岗日期", today=today)
    end = r.day(d.end_on, "end_on", "离岗日期", required=False)
    r.date_order(start, end, "end_on", "上岗日期", "离岗日期")
    _alive(person, start, "start_on")
    employer_id, employer_name = r.employer_ref(session, d.employer_id, d.employer_name)
    return dict(
        person_id=person.id,
        post_type=r.code("welfare_post_type", d.post_type, "post_type", "岗位类别",
                         required=True),
        post_name=r.text(d.post_name, "post_name", "岗位名称", max_len=60),
        employer_id=employer_id,
        employer_name=employer_name,
        start_on=start,
        end_on=end,
        monthly_subsidy=r.money(d.monthly_subsidy, "monthly_subsidy", "岗位补贴"),
        notes=r.notes(d.notes),
    )


POST = r.RecordKind(
    WelfarePost, "公益性岗位安置记录",
    lambda s, row: r.info_of(WelfarePostInfo, row, person_name=_person_name(s, row.person_id)),
    _post_values, r.person_counted("start_on"),
)


def create_welfare_post(store, data: WelfarePostInput, *, today: date | None = None
                        ) -> WelfarePostInfo:
    return r.create_record(store, POST, data, today)


def update_welfare_post(store, row_id: int, data: WelfarePostInput, *,
                        today: date | None = None) -> WelfarePostInfo:
    return r.update_record(store, POST, row_id, data, today)


def delete_welfare_post(store, row_id: int) -> None:
    r.delete_record(store, POST, row_id)


def restore_welfare_post(store, row_id: int) -> WelfarePostInfo:
    return r.restore_record(store, POST, row_id)


def get_welfare_post(store, row_id: int) -> WelfarePostInfo:
    return r.get_record(store, POST, row_id)


def list_welfare_posts(store, *, person_id: int | None = None, on: date | None = None
                       ) -> list[WelfarePostInfo]:
    """Live posts, latest first; ``on`` keeps those held on that date."""
    with store.reading() as session:
        q = select(WelfarePost).where(WelfarePost.deleted_at.is_(None))
        if person_id is not None:
            q = q.where(WelfarePost.person_id == person_id)
        if on is not None:
            q = q.where(WelfarePost.start_on <= on,
                        WelfarePost.end_on.is_(None) | (WelfarePost.end_on > on))
        rows = session.execute(
            q.order_by(WelfarePost.start_on.desc(), WelfarePost.id.desc())
        ).scalars()
        return [POST.info(session, row) for row in rows]
