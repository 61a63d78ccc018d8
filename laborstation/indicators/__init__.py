"""The figures of the monthly return (RETURN_SPEC.md), each one SQL query over a window.

``INDICATORS`` lists every code with its name, unit, kind and section.
``compute_all(session, window_or_date, area_id)`` gives every figure of a
window (stocks at its end, rates from its own figures), batching several codes
per query; ``compute(session, code, window, area_id)`` gives one;
``compute_by_village(session, window, area_id)`` gives the figures of the
village sheet for every village at once (GROUP BY, not one query per village).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from laborstation.indicators import queries
from laborstation.indicators.sqlfn import Scope, make_scope
from laborstation.periods import Window

__all__ = [
    "INDICATORS",
    "SECTIONS",
    "VILLAGE_CODES",
    "Indicator",
    "compute",
    "compute_all",
    "compute_by_village",
    "format_value",
    "make_scope",
]

STOCK, FLOW, RATE = "stock", "flow", "rate"
SECTIONS = {
    "1": "一、劳动力资源",
    "2": "二、转移就业",
    "3": "三、技能培训",
    "4": "四、就业服务",
    "5": "五、就业援助",
    "6": "六、劳动维权",
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    kind: str  # stock / flow / rate
    decimals: int = 0  # 2 for 万元, 1 for %

    @property
    def section(self) -> str:
        return SECTIONS[self.code[0]]

    @property
    def is_part(self) -> bool:
        """A "其中" row (shown indented)."""
        return self.name.startswith("其中")


def _i(code, name, unit, kind=FLOW):
    decimals = {"万元": 2, "%": 1}.get(unit, 0)
    return Indicator(code, name, unit, RATE if unit == "%" else kind, decimals)


_ROWS = [
    _i("101", "农村劳动力资源总数", "人", STOCK),
    _i("102", "其中：女", "人", STOCK),
    _i("103", "其中：脱贫劳动力", "人", STOCK),
    _i("104", "期末在外务工人数", "人", STOCK),
    _i("201", "转移就业（劳务输出）", "人次"),
    _i("202", "其中：县内", "人次"),
    _i("203", "其中：县外省内", "人次"),
    _i("204", "其中：省外", "人次"),
    _i("205", "其中：境外", "人次"),
    _i("206", "其中：有组织输出", "人次"),
    _i("207", "其中：脱贫劳动力", "人次"),
    _i("208", "新增转移就业人数", "人"),
    _i("209", "劳务收入", "万元"),
    _i("210", "转移就业人次占劳动力比例", "%"),
    _i("301", "培训人次", "人次"),
    _i("302", "其中：引导性培训", "人次"),
    _i("303", "其中：职业技能培训", "人次"),
    _i("304", "其中：创业培训", "人次"),
    _i("305", "其中：岗位技能提升培训", "人次"),
    _i("306", "其中：订单、定向、委托培训", "人次"),
    _i("307", "取得证书", "人次"),
    _i("308", "培训人数", "人"),
    _i("309", "培训后转移就业人数", "人"),
    _i("310", "培训后转移就业率", "%"),
    _i("311", "培训人次占劳动力比例", "%"),
    _i("401", "发布用工信息", "条"),
    _i("402", "提供就业岗位", "个"),
    _i("403", "达成用工意向", "人次"),
    _i("501", "就业困难人员实现就业", "人"),
    _i("502", "其中：公益性岗位安置", "人"),
    _i("503", "零就业家庭", "户", STOCK),
    _i("601", "受理维权案件", "件"),
    _i("602", "涉及人数", "人次"),
    _i("603", "涉及金额", "万元"),
    _i("604", "追回工资", "万元"),
    _i("605", "跟踪回访", "人次"),
]
INDICATORS: dict[str, Indicator] = {row.code: row for row in _ROWS}
VILLAGE_CODES = ("101", "104", "201", "206", "209", "301", "309")

# Which query gives which codes; stocks take a date, flows a window.
_STOCK_QUERIES: list[Callable] = [queries.labour_stock]
_FLOW_QUERIES: list[Callable] = [
    queries.placements,
    queries.new_placed,
    queries.training,
    queries.postings,
    queries.intentions,
    queries.assistance,
    queries.rights,
]
_QUERY_CODES = {
    queries.labour_stock: ("101", "102", "103", "104", "503"),
    queries.placements: ("201", "202", "203", "204", "205", "206", "207", "209"),
    queries.new_placed: ("208",),
    queries.training: tuple(f"30{i}" for i in range(1, 10)),
    queries.postings: ("401", "402"),
    queries.intentions: ("403",),
    queries.assistance: ("501", "502"),
    queries.rights: ("601", "602", "603", "604", "605"),
}
_RATES = {"210": ("201", "101"), "310": ("309", "308"), "311": ("301", "101")}

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_FEN_DAYS_TO_WAN = Decimal(12) / Decimal(365) / Decimal(100) / Decimal(10000)


def percent(part, whole) -> Decimal | None:
    """part / whole × 100 to one decimal; None when whole is 0 (not applicable)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _convert(values: dict) -> dict:
    """Raw SQL results to the figures: fen × days → 万元 (209), fen → 万元 (603, 604)."""
    out = {}
    for code, value in values.items():
        if code == "209":
            value = (Decimal(int(value)) * _FEN_DAYS_TO_WAN).quantize(_CENT, ROUND_HALF_UP)
        elif code in ("603", "604"):
            value = (Decimal(int(value)) / Decimal(1_000_000)).quantize(_CENT, ROUND_HALF_UP)
        else:
            value = int(value)
        out[code] = value
    return out


def _queries_for(codes: Iterable[str] | None):
    wanted = set(codes) if codes is not None else None
    if wanted is not None:
        for rate, parts in _RATES.items():
            if rate in wanted:
                wanted.update(parts)
    for fn in _STOCK_QUERIES + _FLOW_QUERIES:
        if wanted is None or wanted & set(_QUERY_CODES[fn]):
            yield fn


def _scope(session: Session, area_id: int | None | Scope) -> Scope:
    return area_id if isinstance(area_id, Scope) else make_scope(session, area_id)


def _raw(session, fn, arg, scope: Scope, group, memo: dict | None) -> dict:
    """One query's raw result, reused from ``memo`` when the same query ran already.

    Every grouped query partitions its rows by one column (a distinct count counts
    persons, each in one village), so a total is the sum of the groups' raw values.
    """
    if memo is None:
        return fn(session, arg, scope, group)
    key = (fn, arg, group, scope)
    if key not in memo:
        grouped = memo.get((fn, arg, "village", scope))
        if group is None and grouped is not None:
            total = dict.fromkeys(_QUERY_CODES[fn], 0)
            for values in grouped.values():
                for code in total:
                    total[code] += values.get(code) or 0
            memo[key] = {None: total}
        else:
            memo[key] = fn(session, arg, scope, group)
    return memo[key]


def _gather(session, when: Window | date, scope: Scope, codes, group, memo=None) -> dict:
    """{key: {code: value}} of the queries the codes need (key None without grouping)."""
    day = when.end if isinstance(when, Window) else when
    found: dict = {}
    for fn in _queries_for(codes):
        if fn in _STOCK_QUERIES:
            result = _raw(session, fn, day, scope, group, memo)
        elif isinstance(when, Window):
            result = _raw(session, fn, when, scope, group, memo)
        else:
            continue
        for key, values in result.items():
            found.setdefault(key, {}).update(_convert(values))
    for values in found.values():
        if isinstance(when, Window):
            for rate, (part, whole) in _RATES.items():
                if part in values and whole in values:
                    values[rate] = percent(values[part], values[whole])
    return found


def compute_all(
    session: Session,
    when: Window | date,
    area_id: int | None | Scope = None,
    codes: Iterable[str] | None = None,
    *,
    memo: dict | None = None,
) -> dict[str, int | Decimal | None]:
    """Every figure (or those of ``codes``) over a window, or the stocks at a date.

    ``memo`` (a dict the caller keeps) shares query results between calls, e.g.
    the stocks at E between the month and the year columns of the return.
    """
    scope = _scope(session, area_id)
    found = _gather(session, when, scope, codes, None, memo).get(None, {})
    order = [c for c in INDICATORS if c in found]
    wanted = set(codes) if codes is not None else None
    return {c: found[c] for c in order if wanted is None or c in wanted}


def compute(session: Session, code: str, when: Window | date, area_id: int | None = None):
    """One figure (runs only the query that holds it, plus its parts for a rate)."""
    if code not in INDICATORS:
        raise KeyError(code)
    return compute_all(session, when, area_id, [code])[code]


def compute_by_village(
    session: Session,
    window: Window,
    area_id: int | None | Scope = None,
    codes: Iterable[str] = VILLAGE_CODES,
    *,
    memo: dict | None = None,
) -> dict[int | None, dict[str, int | Decimal | None]]:
    """The figures per village (persons by their village): one GROUP BY query per group."""
    codes = tuple(codes)
    scope = _scope(session, area_id)
    found = _gather(session, window, scope, codes, "village", memo)
    out = {}
    for key, values in found.items():
        out[key] = {c: values.get(c, _zero(c)) for c in codes}
    return out


def _zero(code: str):
    indicator = INDICATORS[code]
    if indicator.kind == RATE:
        return None
    return Decimal("0.00") if indicator.decimals else 0


def format_value(code: str, value) -> str | None:
    """The canonical text of a figure (the checksum and the file agree on it)."""
    if value is None or value == "":
        return None
    decimals = INDICATORS[code].decimals if code in INDICATORS else 1
    if decimals == 0:
        return str(int(round(Decimal(str(value)))))
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))
