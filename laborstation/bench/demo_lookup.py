"""Bench rows of the demo and the register: generation rate, person lookup by ID and by name.

Lookups run through the services the GUI calls (``services.register.find_by_id_number``
and ``services.browse.person_ids``); where one is missing a plain indexed select of
this module stands in, and the row's note says so.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import select

from laborstation.bench import BenchContext, Row, summary

LOOKUPS = 1000


def _generation(ctx: BenchContext) -> Iterable[Row]:
    from laborstation.demo import build_demo_file

    with tempfile.TemporaryDirectory(dir=ctx.work_dir) as folder:
        started = time.perf_counter()
        counts = build_demo_file(Path(folder) / "fresh.db", scale="station", seed=ctx.seed)
        seconds = time.perf_counter() - started
    yield summary("demo", "generate station demo (fresh file)", [seconds], target="< 60 s",
                  note=f"{counts.persons:,} persons, {counts.total:,} rows")
    yield Row("demo", "generation rate", counts.persons / seconds, unit=" persons/s",
              note=f"{counts.total / seconds:,.0f} rows/s")


def _plain_by_id(store) -> Callable[[str], object]:
    from laborstation.model import Person

    def find(number: str):
        with store.reading() as session:
            return session.execute(select(Person).where(
                Person.id_number == number, Person.deleted_at.is_(None))).scalar_one_or_none()

    return find


def _plain_by_prefix(store) -> Callable[[str], object]:
    """The indexed range of a name prefix: search_text starts with the name (there is no
    index on name alone, migration 0008)."""
    from laborstation.model import Person

    def find(prefix: str):
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        with store.reading() as session:
            return session.execute(select(Person.id).where(
                Person.search_text >= prefix, Person.search_text < upper,
                Person.deleted_at.is_(None))
                .order_by(Person.search_text).limit(200)).scalars().all()

    return find


def _lookups(store) -> tuple[Callable, str, Callable, str]:
    try:
        from laborstation.services.register import find_by_id_number
    except ImportError:
        by_id, id_note = _plain_by_id(store), "plain indexed select (no register service yet)"
    else:
        by_id, id_note = (lambda n: find_by_id_number(store, n)), "services.register.find_by_id_number"
    try:
        from laborstation.services.browse import PersonQuery, person_ids
    except ImportError:
        by_name, name_note = _plain_by_prefix(store), "plain indexed range select on search_text"
    else:
        by_name = lambda text: person_ids(store, PersonQuery(text=text))  # noqa: E731
        name_note = "services.browse.person_ids (search_text)"
    return by_id, id_note, by_name, name_note


def _time_each(fn: Callable[[str], object], keys: list[str]) -> list[float]:
    times = []
    for key in keys:
        start = time.perf_counter()
        fn(key)
        times.append(time.perf_counter() - start)
    return times


def run(ctx: BenchContext) -> Iterable[Row]:
    from laborstation.db import open_store
    from laborstation.model import Person

    yield from _generation(ctx)
    store = open_store(ctx.demo_db(), must_exist=True)
    try:
        with store.reading() as session:
            people = session.execute(select(Person.id_number, Person.name)
                                     .where(Person.deleted_at.is_(None))
                                     .order_by(Person.id)).all()
        rng = random.Random(ctx.seed)
        sample = [rng.choice(people) for _ in range(LOOKUPS)]
        by_id, id_note, by_name, name_note = _lookups(store)
        missing = [n for n, _ in sample[:20] if by_id(n) is None]
        if missing:
            id_note += f"; NOT FOUND: {missing[0]}"
        yield summary("demo", f"person by ID number ({ctx.scale}, {LOOKUPS:,}x)",
                      _time_each(by_id, [n for n, _ in sample]), note=id_note)
        prefixes = [name[:2] for _, name in sample]
        baseline = _time_each(_plain_by_prefix(store), prefixes)
        searched = _time_each(by_name, prefixes)
        yield summary("demo", f"person by name prefix ({ctx.scale}, {LOOKUPS:,}x)", searched,
                      ratio=statistics.median(searched) / statistics.median(baseline),
                      note=name_note + "; prefix = first 2 characters; ratio vs baseline below")
        yield summary("demo", "  baseline: indexed range on person.search_text", baseline,
                      note="plain select, at most 200 ids")
    finally:
        store.close()
