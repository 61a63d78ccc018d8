"""Freeing a big import's rows while SQLite rebuilds the indexes, instead of after the commit.

A 250,000-row ledger leaves millions of Python objects (cells, records) that the
import no longer needs once its rows are written; freed at the end they take ~0.25 s,
one by one, after the commit. ``CREATE INDEX`` lets go of the GIL for its whole run,
so a thread frees them meanwhile (``alongside``), in small pieces with a pause
between them: the import's own thread gets the GIL back at once between statements.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from laborstation.importing.result import ADDED, UNCHANGED, Item

PIECE = 2000  # items or rows freed between two pauses (~1 ms)
_CLEAN = (ADDED, UNCHANGED)


def let_go(items: list[Item], sheets_rows: list[list]) -> None:
    """Drop the cells and records of the rows that went in cleanly, added or unchanged
    without a warning (any other row keeps its cells for the report, also one the
    import failed to settle: ``run_import`` refuses it later), then free ``sheets_rows``
    (lists of rows the caller has handed over) from the end, a piece at a time."""
    for start in range(0, len(items), PIECE):
        for item in items[start:start + PIECE]:
            if item.outcome in _CLEAN and not item.warnings and not item.changes:
                item.cells = item.record = None
        time.sleep(0)  # (lets a thread waiting for the GIL have it)
    for rows in sheets_rows:
        while rows:
            del rows[-PIECE:]
            time.sleep(0)


@contextmanager
def alongside(work: Callable[[], None] | None) -> Iterator[None]:
    """Run ``work`` in a thread during the block; wait for it at the end (its error, if
    any, is raised then, unless the block raised one of its own)."""
    if work is None:
        yield
        return
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - raised again in the caller
            failed.append(error)

    thread = threading.Thread(target=run, name="let go of rows", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failed:
        raise failed[0]
