"""The SQL of the return: each function is one query giving several codes at once.

Every function takes ``(session, when, scope, group)``: ``when`` is a ``Window``
(flows) or a ``date`` (stocks); ``group`` is None for one total, or
``"village"`` to get one set of figures per village. It returns
``{key: {code: raw value}}`` with key None (total) or the village id.
Amounts come back raw: integer fen (603, 604) and fen × days (209); the
registry converts them once.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import BigInteger, and_, case, func, or_, select, type_coerce, union
from sqlalchemy.orm import Session, aliased

from laborstation.indicators.sqlfn import (
    EMPLOYED_LOCAL,
    Scope,
    days_between,
    greatest,
    least,
    poor_household,
    rural_labour,
)
from laborstation.model import (
    Course,
    Enrolment,
    HardToEmploy,
    Intention,
    JobPosting,
    Person,
    Placement,
    RightsCase,
    Visit,
    WelfarePost,
)
from laborstation.model.training import RESULT_WITHDRAWN
from laborstation.periods import Window

P, L = Person, Placement
REGION_CLASSES = {"202": ("11", "12"), "203": ("20",), "204": ("30",), "205": ("40",)}
COURSE_TYPES = {"302": "1", "303": "2", "304": "3", "305": "4"}
ORDER_MODES = ("1", "2", "3")  # 订单, 定向, 委托


def _n(condition, value=1):
    """SUM(CASE WHEN condition THEN value ELSE 0 END)."""
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _run(session: Session, stmt, codes, group_col) -> dict:
    if group_col is not None:
        stmt = stmt.add_columns(group_col).group_by(group_col)
    out: dict = {}
    for row in session.execute(stmt):
        key = row[-1] if group_col is not None else None
        out[key] = {code: (value or 0) for code, value in zip(codes, row, strict=False)}
    return out or ({None: dict.fromkeys(codes, 0)} if group_col is None else {})


def _live_placement():
    return L.deleted_at.is_(None)


def active_placements(day: date):
    """Person ids with a placement active on ``day`` (start ≤ day < return).

    Liveness is tested through a CASE so that the planner reads the covering index
    ``ix_placement_active`` (start, return, deleted_at, person) instead of walking
    every live row through the ``deleted_at`` index.
    """
    live = case((L.deleted_at.is_(None), 1), else_=0) == 1
    return select(L.person_id).where(
        L.start_on <= day, or_(L.return_on.is_(None), L.return_on > day), live
    )


def active_welfare(day: date):
    return select(WelfarePost.person_id).where(
        WelfarePost.deleted_at.is_(None),
        WelfarePost.start_on <= day,
        or_(WelfarePost.end_on.is_(None), WelfarePost.end_on >= day),
    )


def labour_stock(session: Session, day: date, scope: Scope, group: str | None = None) -> dict:
    """101–104 and 503 at ``day``, in one pass over the rural-labour persons.

    The inner query sums each household's rural-labour members (persons without a
    household are grouped by village); the outer one adds them up and counts the
    households none of whose members is employed (503).
    """
    employed = or_(
        P.local_status.in_(EMPLOYED_LOCAL),
        P.id.in_(active_placements(day)),
        P.id.in_(active_welfare(day)),
    )
    inner = (
        select(
            P.household_id,
            P.village_id,
            func.count().label("n"),
            _n(P.sex == "2").label("women"),
            _n(poor_household()).label("poor"),
            _n(P.id.in_(active_placements(day))).label("away"),
            _n(employed).label("employed"),
        )
        .where(rural_labour(day), scope.persons(P.village_id))
        .group_by(P.household_id, P.village_id)
        .subquery()
    )
    c = inner.c
    stmt = select(
        func.sum(c.n),
        func.sum(c.women),
        func.sum(c.poor),
        func.sum(c.away),
        _n(and_(c.household_id.is_not(None), c.employed == 0)),
    )
    codes = ("101", "102", "103", "104", "503")
    return _run(session, stmt, codes, c.village_id if group else None)


def placement_conditions(window: Window):
    """(starts in the window, active for at least one day of it)."""
    starts = L.start_on.between(window.start, window.end)
    overlaps = and_(
        L.start_on <= window.end,
        or_(L.return_on.is_(None), and_(L.return_on > window.start, L.return_on > L.start_on)),
    )
    return starts, overlaps


def placements(session: Session, window: Window, scope: Scope, group: str | None = None) -> dict:
    """201–207 and 209 (raw: wage fen × active days in the window)."""
    starts, overlaps = placement_conditions(window)
    after_end = window.end + timedelta(days=1)
    days = days_between(
        least(func.coalesce(L.return_on, after_end), after_end), greatest(L.start_on, window.start)
    )
    wage_fen = func.coalesce(type_coerce(L.monthly_wage, BigInteger), 0)
    columns = [_n(starts)]
    columns += [_n(and_(starts, L.region_class.in_(c))) for c in REGION_CLASSES.values()]
    columns += [
        _n(and_(starts, L.organised.is_(True))),
        _n(and_(starts, poor_household())),
        _n(overlaps, wage_fen * days),
    ]
    stmt = (
        select(*columns)
        .select_from(L)
        .join(P, P.id == L.person_id)
        .where(
            _live_placement(),
            P.deleted_at.is_(None),
            or_(starts, overlaps),
            scope.persons(P.village_id),
        )
    )
    codes = ("201", "202", "203", "204", "205", "206", "207", "209")
    return _run(session, stmt, codes, P.village_id if group else None)


def new_placed(session: Session, window: Window, scope: Scope, group: str | None = None) -> dict:
    """208: persons whose earliest placement ever starts in the window, i.e. persons
    with a placement starting in it and none starting before it."""
    earlier = aliased(Placement)
    before = (
        select(earlier.id)
        .where(
            earlier.person_id == L.person_id,
            earlier.deleted_at.is_(None),
            earlier.start_on < window.start,
        )
        .exists()
    )
    stmt = (
        select(func.count(L.person_id.distinct()))
        .select_from(L)
        .join(P, P.id == L.person_id)
        .where(
            _live_placement(),
            L.start_on.between(window.start, window.end),
            ~before,
            P.deleted_at.is_(None),
            scope.persons(P.village_id),
        )
    )
    return _run(session, stmt, ("208",), P.village_id if group else None)


def counted_enrolments(window: Window):
    """The conditions of 301: live enrolment, course and person; not withdrawn; course ends in W."""
    return and_(
        Enrolment.deleted_at.is_(None),
        Course.deleted_at.is_(None),
        P.deleted_at.is_(None),
        Enrolment.result != RESULT_WITHDRAWN,
        Course.end_on.between(window.start, window.end),
    )


def training(session: Session, window: Window, scope: Scope, group: str | None = None) -> dict:
    """301–309."""
    placed_after = (
        select(L.id)
        .where(
            L.person_id == Enrolment.person_id,
            _live_placement(),
            L.start_on >= Course.start_on,
            L.start_on <= window.end,
        )
        .exists()
    )
    columns = [func.count()]
    columns += [_n(Course.course_type == t) for t in COURSE_TYPES.values()]
    columns += [
        _n(Course.mode.in_(ORDER_MODES)),
        _n(Enrolment.certificate_kind.is_not(None)),
        func.count(Enrolment.person_id.distinct()),
        func.count(case((placed_after, Enrolment.person_id)).distinct()),
    ]
    stmt = (
        select(*columns)
        .select_from(Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .join(P, P.id == Enrolment.person_id)
        .where(counted_enrolments(window), scope.persons(P.village_id))
    )
    codes = ("301", "302", "303", "304", "305", "306", "307", "308", "309")
    return _run(session, stmt, codes, P.village_id if group else None)


def postings(session: Session, window: Window, scope: Scope, group: str | None = None) -> dict:
    """401, 402."""
    J = JobPosting
    stmt = select(func.count(), func.coalesce(func.sum(J.positions), 0)).where(
        J.deleted_at.is_(None),
        J.posted_on.between(window.start, window.end),
        scope.records(J.area_id),
    )
    return _run(session, stmt, ("401", "402"), J.area_id if group else None)


def intentions(session: Session, window: Window, scope: Scope, group: str | None = None) -> dict:
    """403."""
    stmt = (
        select(func.count())
        .select_from(Intention)
        .join(P, P.id == Intention.person_id)
        .where(
            Intention.deleted_at.is_(None),
            P.deleted_at.is_(None),
            Intention.intended_on.between(window.start, window.end),
            scope.persons(P.village_id),
        )
    )
    return _run(session, stmt, ("403",), P.village_id if group else None)


def assistance(session: Session, window: Window, scope: Scope, group: str | None = None) -> dict:
    """501 and 502 (driven from the few hard-to-employ recognitions, not the placements)."""
    W, T = WelfarePost, HardToEmploy

    def recognised(start_col):
        return and_(
            T.deleted_at.is_(None),
            T.recognised_on <= start_col,
            or_(T.ended_on.is_(None), T.ended_on >= start_col),
        )

    helped = union(
        select(T.person_id.label("pid"))
        .join(L, L.person_id == T.person_id)
        .where(
            _live_placement(), L.start_on.between(window.start, window.end), recognised(L.start_on)
        ),
        select(T.person_id.label("pid"))
        .join(W, W.person_id == T.person_id)
        .where(
            W.deleted_at.is_(None),
            W.start_on.between(window.start, window.end),
            recognised(W.start_on),
        ),
    ).subquery()
    group_col = P.village_id if group else None
    stmt = (
        select(func.count())
        .select_from(helped)
        .join(P, P.id == helped.c.pid)
        .where(P.deleted_at.is_(None), scope.persons(P.village_id))
    )
    out = _run(session, stmt, ("501",), group_col)
    stmt = (
        select(func.count(W.person_id.distinct()))
        .join(P, P.id == W.person_id)
        .where(
            W.deleted_at.is_(None),
            P.deleted_at.is_(None),
            W.start_on.between(window.start, window.end),
            scope.persons(P.village_id),
        )
    )
    for key, values in _run(session, stmt, ("502",), group_col).items():
        out.setdefault(key, {"501": 0}).update(values)
    for values in out.values():
        values.setdefault("502", 0)
    return out


def rights(session: Session, window: Window, scope: Scope, group: str | None = None) -> dict:
    """601–604 (603, 604 raw fen) and 605."""
    C = RightsCase
    received = C.received_on.between(window.start, window.end)
    closed = C.closed_on.between(window.start, window.end)
    stmt = select(
        _n(received),
        _n(received, C.people_involved),
        _n(received, type_coerce(C.amount_claimed, BigInteger)),
        _n(closed, type_coerce(C.amount_recovered, BigInteger)),
    ).where(C.deleted_at.is_(None), or_(received, closed), scope.records(C.area_id))
    group_col = C.area_id if group else None
    out = _run(session, stmt, ("601", "602", "603", "604"), group_col)
    stmt = select(func.coalesce(func.sum(Visit.people_visited), 0)).where(
        Visit.deleted_at.is_(None),
        Visit.visited_on.between(window.start, window.end),
        scope.records(Visit.area_id),
    )
    for key, values in _run(session, stmt, ("605",), Visit.area_id if group else None).items():
        out.setdefault(key, dict.fromkeys(("601", "602", "603", "604"), 0)).update(values)
    for values in out.values():
        values.setdefault("605", 0)
    return out
