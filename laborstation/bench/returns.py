"""Bench rows of the monthly return: the whole workbook, the figures, the slowest figure."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from laborstation.bench import BenchContext, Row, summary, time_runs


def _latest_period(session) -> str:
    """The last full month before the demo's newest placement (a period with data)."""
    from sqlalchemy import func, select

    from laborstation.model import Placement
    from laborstation.periods import Period

    newest = session.execute(select(func.max(Placement.start_on))).scalar()
    if newest is None:
        return "2026-10"
    return str(Period(newest.year, newest.month).previous())


def run(ctx: BenchContext) -> Iterable[Row]:
    from laborstation.db import open_store
    from laborstation.indicators import INDICATORS, compute, compute_all
    from laborstation.returns.build import build_return
    from laborstation.returns.workbook import write_return

    scale = ctx.scale
    store = open_store(ctx.demo_db(scale), must_exist=True)
    try:
        with store.reading() as session:
            period = _latest_period(session)
        out = Path(tempfile.mkdtemp()) / "return.xlsx"

        def whole() -> None:
            with store.reading() as session:
                data = build_return(session, period)
            write_return(data, out)

        def figures() -> None:
            with store.reading() as session:
                data = build_return(session, period, rosters=False)
                del data

        cpu_start = time.process_time()
        times = time_runs(whole, ctx.repeat)
        cpu = (time.process_time() - cpu_start) / len(times)
        yield summary(
            "returns",
            f"whole workbook {period} ({scale})",
            times,
            target="< 3 s" if scale == "county" else "",
            note=f"CPU {cpu:.2f}s/run (wall time includes waiting for a busy machine)",
        )
        yield summary(
            "returns", "figures of 3 windows + village sheet", time_runs(figures, ctx.repeat)
        )
        with store.reading() as session:
            from laborstation.returns.build import period_of
            from laborstation.services.station import station_in

            p = period_of(session, period)
            area = station_in(session).area_id
            yield summary(
                "returns",
                "compute_all over Y (36 codes)",
                time_runs(lambda: compute_all(session, p.year_window, area), ctx.repeat),
            )
            slowest, slowest_time = "", 0.0
            for code in INDICATORS:
                start = time.perf_counter()
                compute(session, code, p.year_window, area)
                took = time.perf_counter() - start
                if took > slowest_time:
                    slowest, slowest_time = code, took
            yield Row(
                "returns",
                f"slowest single figure ({slowest}, over Y)",
                slowest_time,
                note=INDICATORS[slowest].name,
            )
    finally:
        store.close()
