"""A sheet's rows that may still be arriving: a big .xlsx sheet is read in background threads.

``SheetRows`` is a read-only sequence; asking for a row not yet read (or for ``len``)
waits for it. ``parts()`` hands the rows over as they arrive, which is how the import
checks and writes part k while part k+1 is parsed (see ``xlsx_parts``). One thread
cuts the sheet into workbooks of parts, another parses them; the temporary folder
is removed when all is read, or when the reading is cancelled.

(One parsing thread, not more: on the 2-core machine of the benchmark two parses at
once each take twice as long, as the parse is bound by memory, and they took the
core the import's checking needs; the 250k import was ~15% slower with two.)

The parsing thread hands over parts as calamine parsed them (``_Parsed``); the thread that
takes a part makes its Python rows (``to_python``, which holds the GIL for its whole run).
Made in the parsing thread, the import's thread waited for the GIL meanwhile, longer than
making them itself: at 250,000 rows it waited ~1.1 s in all against ~0.5 s, and the import
took 0.2–0.3 s less (four imports each, taken in turn).
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from python_calamine import CalamineWorkbook

from laborstation.errors import UserError
from laborstation.importing import error_cells, formula_cells, xlsx_books, xlsx_parts
from laborstation.importing.unreadable import formulas_without_values, out_of_memory

_END = object()
_CANCELLED = object()  # the reading was stopped before the end of the sheet


class _ReadTo(float):
    """On the feed after a workbook's rows: the share of the sheet read so far."""


class _Parsed:
    """A part parsed by calamine (its cells held by calamine, the workbook closed): made
    Python rows by the thread that takes it, put at their place (``part_rows``)."""

    __slots__ = ("sheet", "whole")

    def __init__(self, sheet, whole: bool):
        self.sheet, self.whole = sheet, whole

    @property
    def end(self) -> int:
        """The rows of the sheet up to this part's end (0 for a part with no cells)."""
        end = self.sheet.end
        return 0 if end is None else end[0] + 1

    def rows(self, done: int, width: int) -> list[list]:
        sheet = self.sheet
        rows = sheet.to_python(skip_empty_area=not self.whole)
        if self.whole:
            return rows
        return xlsx_parts.part_rows(rows, sheet.start, done, width)


class _Errors(dict):
    """On the feed before a workbook's rows: its cells of an Excel error value."""


class ReadingCancelled(UserError):
    """Rows asked for past where a cancelled reading stopped (a plan used again after
    its import was cancelled): an error, never a sheet silently cut short."""

    def __init__(self):
        super().__init__("这张工作表的读取已经取消，只读到了一部分：请重新选择文件再导入。")


class SheetRows(Sequence):
    def __init__(self, feed: queue.Queue, stop: threading.Event, file_name: str = ""):
        self._file_name = file_name  # (told when the computer runs out of memory)
        self._rows: list[list] = []
        self._feed: queue.Queue | None = feed  # parts (lists of rows), then _END or
        self._stop = stop  # _CANCELLED; or an exception to raise
        self._cancelled = False
        self._read_to = (0, 0.0)  # (rows, the share of the sheet's XML they come from)
        # The sheet's merged ranges, known once all is read (they follow the rows in the
        # XML): ``run_import`` imports again with them filled in when some are in the data.
        self.merges: list[xlsx_parts.Merge] = []
        # Cells of an Excel error value (``error_cells``), known before the rows of their part.
        self.errors: error_cells.Errors = {}

    @property
    def complete(self) -> bool:
        return self._feed is None and not self._cancelled

    def _pull(self) -> bool:
        """Take the next part; False when there is none left."""
        if self._feed is None:
            if self._cancelled:
                raise ReadingCancelled()
            return False
        part = self._feed.get()
        if part is _END:
            self._feed = None
            return False
        if part is _CANCELLED:
            self._feed, self._cancelled = None, True
            raise ReadingCancelled()
        if isinstance(part, BaseException):
            self._feed = None
            raise part
        if isinstance(part, _ReadTo):
            self._read_to = (len(self._rows), float(part))
            return True
        if isinstance(part, _Errors):
            self.errors.update(part)
            return True
        if isinstance(part, xlsx_parts.Merged):
            self.merges = part.ranges
            return True
        if isinstance(part, _Parsed):
            rows = self._rows
            try:
                part = part.rows(len(rows), len(rows[-1]) if rows else 0)
            except MemoryError:  # (as when the parsing thread runs out: the same message)
                self._feed = None
                self._stop.set()
                raise out_of_memory(self._file_name) from None
        self._rows.extend(part)
        return True

    @property
    def estimated_total(self) -> int | None:
        """The rows the sheet will have, guessed from the rows so far and the share of the
        sheet they come from (for progress: 共约 N 行); exact once all is read."""
        if self.complete:
            return len(self._rows)
        rows, share = self._read_to
        return round(rows / share) if share else None

    def _until(self, size: int | None) -> None:
        while (size is None or len(self._rows) < size) and self._pull():
            pass

    def parts(self) -> Iterator[tuple[int, int]]:
        """(start, stop) of each stretch of rows as it becomes available, in order."""
        done = 0
        while True:
            if len(self._rows) > done:
                yield done, len(self._rows)
                done = len(self._rows)
            elif not self._pull():
                return

    def release(self) -> list[list]:
        """The rows read, handed over (to be freed): the sheet holds none afterwards."""
        rows, self._rows = self._rows, []
        return rows

    def cancel(self) -> None:
        """Stop the background parsing (the rows read so far stay)."""
        self._stop.set()

    def __len__(self) -> int:
        self._until(None)
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            if (index.start or 0) < 0 or index.stop is None or index.stop < 0:
                self._until(None)
            else:
                self._until(index.stop)
            return self._rows[index]
        self._until(None if index < 0 else index + 1)
        return self._rows[index]

    def __iter__(self) -> Iterator[list]:
        for start, stop in self.parts():
            yield from self._rows[start:stop]


def read_in_background(path: Path, member: str, name: str,
                       read_whole: Callable[[], list[list]]) -> SheetRows:
    """The rows of sheet ``name`` (zip ``member``), parsed part by part in a thread.

    ``read_whole`` reads the sheet in one piece (in that thread): used when the sheet
    cannot be cut, or when a part fails, so a damaged file gets the usual message.
    """
    feed: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=_produce, args=(path, member, name, read_whole, feed, stop),
                              name=f"read {name}", daemon=True)
    thread.start()
    return SheetRows(feed=feed, stop=stop, file_name=path.name)


def _produce(path, member, name, read_whole, feed: queue.Queue, stop: threading.Event) -> None:
    folder = Path(tempfile.mkdtemp(prefix="laborstation-read-"))
    sent = [0]  # rows handed over so far
    try:
        try:
            complete = _produce_parts(path, member, folder, feed, stop, sent)
        except formula_cells.FormulasWithoutValues as error:
            raise formulas_without_values(path.name, name, error.cells) from error
        except MemoryError:
            raise  # (reading it whole would need more)
        except Exception:  # noqa: BLE001 - any failure of the cut: read the sheet whole
            complete = False
        if not complete and stop.is_set():
            feed.put(_CANCELLED)
            return
        if not complete:
            if errors := error_cells.in_member(path, member):  # (not found by the parts)
                feed.put(_Errors(errors))
            feed.put(read_whole()[sent[0]:])  # the rows not handed over yet
        feed.put(_END)
    except BaseException as error:  # noqa: BLE001 - raised again in the reading thread
        if isinstance(error, MemoryError):  # never called a damaged file, nor a crash
            error = out_of_memory(path.name)
        feed.put(error)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _produce_parts(path, member, folder: Path, feed: queue.Queue, stop: threading.Event,
                   sent: list[int]) -> bool:
    """Put the parts on ``feed``; False when the sheet could not be cut, or the reading
    was stopped before its end.

    The workbooks of parts are written by a second thread, so the rest is cut while
    the first part is parsed here (both mostly outside the GIL: inflating, writing, parsing).
    """
    books: queue.Queue = queue.Queue()
    enough = threading.Event()  # set when no more workbooks are wanted
    cutter = threading.Thread(target=_cut, args=(path, member, folder, books, enough),
                              name="cut sheet", daemon=True)
    cutter.start()
    try:
        while (split := books.get()) is not None:
            if isinstance(split, xlsx_parts.Cannot) and sent[0] == 0:
                return False
            if isinstance(split, BaseException):
                raise split
            if isinstance(split, xlsx_parts.Merged):
                feed.put(split)
                continue
            if split.errors:
                feed.put(_Errors(split.errors))
            for parsed in _parsed(split, first_whole=sent[0] == 0, stop=stop):
                if parsed.end > sent[0]:
                    sent[0] = parsed.end
                    feed.put(parsed)
            _remove(split.path)
            if split.read_to:
                feed.put(_ReadTo(split.read_to))
            if stop.is_set():
                return False
        return True
    finally:
        enough.set()
        cutter.join()  # (before the folder is removed)


def _remove(path: Path) -> None:
    """Delete a workbook of parts once parsed; one that cannot be deleted yet (on Windows a
    virus scanner may still hold a new file open) is left for the folder's removal at the
    end, rather than failing the reading, which would then read the whole sheet again."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _cut(path, member, folder: Path, books: queue.Queue, enough: threading.Event) -> None:
    try:
        for split in xlsx_parts.split_sheet(path, member, folder):
            books.put(split)
            if enough.is_set():
                break
        books.put(None)
    except BaseException as error:  # noqa: BLE001 - handed to the parsing thread
        books.put(error)


def _parsed(split: xlsx_books.SplitSheet, *, first_whole: bool,
            stop: threading.Event) -> Iterator[_Parsed]:
    """Each part of a workbook, parsed, in order; the sheet's very first part is read
    from row 1 (``skip_empty_area=False``), the others from their first cell."""
    if split.strings is None:
        yield from _parsed_book(split, first_whole, stop)
        return
    try:  # one part, with the start of the shared strings
        rows = list(_parsed_book(split, first_whole, stop))
    except BaseException as error:  # noqa: BLE001 - a string past the cut (or worse):
        if isinstance(error, (KeyboardInterrupt, SystemExit)):  # read with all of them
            raise  # (calamine before 0.6 panicked there: pyo3's PanicException is a
        if stop.is_set():  # BaseException; a damaged part fails again, and is read whole)
            return
        whole = xlsx_books.with_whole_strings(split)
        try:
            rows = list(_parsed_book(whole, first_whole, stop))
        finally:
            _remove(whole.path)
    yield from rows


def _parsed_book(split: xlsx_books.SplitSheet, first_whole: bool,
                 stop: threading.Event) -> Iterator[_Parsed]:
    book = CalamineWorkbook.from_path(str(split.path))
    try:
        for k, part in enumerate(split.parts):
            if stop.is_set():
                return
            sheet = book.get_sheet_by_name(part)
            yield _Parsed(sheet, first_whole and k == 0)
    finally:
        book.close()
