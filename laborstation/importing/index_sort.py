"""SQLite settings under which a big index is built faster: its keys sorted in pieces.

With the temp store in memory (``db.engine``) SQLite sorts all the keys of a new index
in one piece, in one thread. Given a temp store on file and a small page cache, it
sorts them in pieces the size of the cache (in worker threads with ``PRAGMA threads``)
and merges the pieces: the pieces fit the CPU's cache. For the 8 person indexes of a
250,000-row import: 1.15–1.35 s against 1.74–1.91 s (2 MB pieces, two threads; 4 MB
and 1.5 MB pieces were slower). Smaller pieces were faster still: in seven imports
each, taken in turn, the indexes of 512 KB pieces took 1.12–1.40 s (mean 1.26 s)
against 1.21–1.69 s (mean 1.46 s) for 2 MB; 256 KB and 768 KB pieces fell between.
The small cache also writes some of the import's
pages to the WAL before the commit (``cache_spill`` cannot be turned off inside a
transaction); that is included in those figures.

The temp store can only change outside a transaction, so a big import puts it on
file as its transaction begins (``bulk_write.begin_bulk_write``), for the whole
transaction: a big statement's journal then goes to a temporary file too, as with
SQLite's own default. The pool puts it back in memory when the connection returns
(``db.engine``). The cache is small only while the indexes are built; it and the
threads are put back afterwards, also on an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

SORT_PIECE_KB = 512
SORT_THREADS = 2
_MEMORY = 2  # PRAGMA temp_store
_SETTINGS = ("cache_size", "threads")


@contextmanager
def sorting_in_pieces(connection) -> Iterator[None]:
    """Within the block, indexes built on this SQLite connection (SQLAlchemy's) sort
    their keys in pieces, if its temp store is on file; else nothing changes."""
    run = connection.exec_driver_sql
    if connection.dialect.name != "sqlite" or run("PRAGMA temp_store").scalar_one() == _MEMORY:
        yield
        return
    before = {name: run(f"PRAGMA {name}").scalar_one() for name in _SETTINGS}
    try:
        run(f"PRAGMA cache_size = -{SORT_PIECE_KB}")
        run(f"PRAGMA threads = {SORT_THREADS}")
        yield
    finally:
        for name, value in before.items():
            run(f"PRAGMA {name} = {int(value)}")
