"""Bench rows at county scale: consolidating the 12 townships' returns, and the county
return built straight from the county database, on SQLite and on PostgreSQL.

The township returns are built from the county demo database, one per township
(``build_return(..., unit_area_id=)``), as the 12 stations would send them. The
PostgreSQL rows run only when ``LABORSTATION_BENCH_PG`` holds a server URL; that
database is filled with the county demo the first time (the generation is timed).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import func, select

from laborstation.bench import BenchContext, Row, summary, time_runs

PG_ENV = "LABORSTATION_BENCH_PG"


def _period(store) -> str:
    from laborstation.bench.returns import _latest_period

    with store.reading() as session:
        return _latest_period(session)


def _township_returns(store, period: str, folder: Path) -> tuple[list[Path], float]:
    from laborstation.model import TOWNSHIP, Area
    from laborstation.returns.build import build_return
    from laborstation.returns.workbook import write_return

    paths = []
    started = time.perf_counter()
    with store.reading() as session:
        townships = session.execute(select(Area.id, Area.code).where(
            Area.level == TOWNSHIP, Area.deleted_at.is_(None)).order_by(Area.code)).all()
        for area_id, code in townships:
            paths.append(folder / f"{code}-{period}.xlsx")
            write_return(build_return(session, period, unit_area_id=area_id), paths[-1])
    return paths, time.perf_counter() - started


def _consolidation(ctx: BenchContext, store, period: str) -> Iterable[Row]:
    from laborstation.returns.consolidate import consolidate, county_in
    from laborstation.returns.consolidate_workbook import write_consolidation

    folder = Path(tempfile.mkdtemp(dir=ctx.work_dir))
    paths, built = _township_returns(store, period, folder)
    yield Row("county", f"build {len(paths)} township returns {period}", built,
              note=f"{built / max(1, len(paths)):.2f}s per township (build_return + write)")
    with store.reading() as session:
        county = county_in(session)
    result = []

    def run() -> None:
        result[:] = [consolidate(paths, county=county)]
        write_consolidation(result[0], folder / "county.xlsx")

    times = time_runs(run, min(ctx.repeat, 3))
    done = result[0]
    yield summary("county", f"consolidate {len(paths)} township returns", times,
                  target="< 5 s",
                  note=f"{len(done.received)} summed, {len(done.refused)} refused, "
                       f"rosters {len(done.data.placement_roster):,}+"
                       f"{len(done.data.training_roster):,} rows; read+check+sum+write")


def _direct(ctx: BenchContext, store, period: str, label: str) -> Row:
    from laborstation.returns.build import build_return
    from laborstation.returns.workbook import write_return

    out = Path(tempfile.mkdtemp(dir=ctx.work_dir)) / "county-direct.xlsx"

    def whole() -> None:
        with store.reading() as session:
            data = build_return(session, period)
        write_return(data, out)

    cpu = time.process_time()
    times = time_runs(whole, min(ctx.repeat, 3))
    cpu = (time.process_time() - cpu) / len(times)
    return summary("county", f"county return from the database ({label})", times,
                   target="< 3 s",
                   note=f"{period}, whole workbook; CPU of this process {cpu:.2f}s/run")


def _postgres(ctx: BenchContext, url: str, period: str) -> Iterable[Row]:
    from laborstation.db import open_store
    from laborstation.demo import generate
    from laborstation.model import Person
    from laborstation.progress import run_to_end
    from laborstation.services.station import get_station

    store = open_store(url)
    try:
        with store.reading() as session:
            persons = session.execute(select(func.count()).select_from(Person)).scalar()
        if not persons:
            started = time.perf_counter()
            counts = run_to_end(generate(store, scale="county", seed=ctx.seed))
            seconds = time.perf_counter() - started
            yield Row("county", "generate county demo (PostgreSQL)", seconds,
                      note=f"{counts.persons:,} persons, {counts.total:,} rows, "
                           f"{counts.total / seconds:,.0f} rows/s")
        station = get_station(store)
        if station is None or station.level != "county":
            yield Row("county", "county return from the database (PostgreSQL)", float("nan"), unit="",
                      note=f"skipped: {PG_ENV} holds data that is not a county demo")
            return
        yield _direct(ctx, store, period, "PostgreSQL")
    finally:
        store.close()


def run(ctx: BenchContext) -> Iterable[Row]:
    from laborstation.db import open_store

    store = open_store(ctx.demo_db("county"), must_exist=True)
    try:
        period = _period(store)
        yield from _consolidation(ctx, store, period)
        yield _direct(ctx, store, period, "SQLite")
    finally:
        store.close()
    url = os.environ.get(PG_ENV, "")
    if not url:
        yield Row("county", "county return from the database (PostgreSQL)", float("nan"), unit="",
                  note=f"not run: set {PG_ENV} to a PostgreSQL URL")
        return
    yield from _postgres(ctx, url, period)
