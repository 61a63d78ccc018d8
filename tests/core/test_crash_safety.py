"""Crash safety: SIGKILL a large import and a backup at seeded random moments.

Each trial runs the real command line (``python -m laborstation import|backup``) in a
child process on its own copy of a database and kills it with SIGKILL. Kill moments
are seeded and come in kinds: a delay from the start (very early, or spread over the
calibrated duration) and a delay from an event seen from outside, so that the short
windows that matter are hit every time: the first progress line of the writing phase,
the first bytes reaching the ``-wal`` file (the commit: with a 64 MB page cache the
transaction's pages only reach the WAL when it commits), the backup's ``.part`` file.

After every kill the database is opened with ``sqlite3``: ``PRAGMA integrity_check``
must be ``ok``, every table count must equal either the state before the import or
the state after a complete one (never in between), the indexes the import drops and
rebuilds inside its transaction must all be there, and ``laborstation check`` must
pass. A killed backup must leave the source byte-for-byte unchanged and, under the
final name, either nothing (or the file that was there before) or a complete copy.

``pytest -s`` prints the figures (trials, kill moments, outcomes).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from laborstation.cli import main as cli_main
from laborstation.idnumber import make_id

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

SEED = 20261128
ROWS = 6_000  # above the importer's SUSPEND_INDEXES_FROM: the drop/rebuild path is exercised
EXISTING = 40  # persons already in the station database before the big import
TOWNSHIP = "410926100000"
HEADER = ["序号", "姓名", "身份证号码", "性别", "民族", "文化程度", "行政村", "村民小组", "户编号",
          "与户主关系"]
POLL = 0.0005
WORKERS = 2  # trials run two at a time: each waits mostly on its child's start-up
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


# ---------------------------------------------------------------- files and databases


def _ledger(path: Path, rows: int, first: int) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(HEADER)
    for n in range(first, first + rows):
        number = make_id("410926", date(1960, 1, 1) + timedelta(days=n // 400), (n % 400) * 2 + 1,
                         True)
        name = _SURNAMES[n % 20] + _GIVEN[n // 20 % len(_GIVEN)] + _GIVEN[n // 500 % len(_GIVEN)] * (n % 3 > 0)
        sheet.append([n + 1, name, number, "男", "汉族", "初中", f"村{n % 30}", f"{n % 8 + 1}组",
                      f"H{n // 4:06d}", "户主" if n % 4 == 0 else "子"])
    book.save(path)
    return path


def _cli(*args: str) -> int:
    """The command line in this process (what ``laborstation ...`` runs), its output dropped."""
    with contextlib.redirect_stdout(io.StringIO()):
        return cli_main([str(a) for a in args])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _clear_sidecars(db: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal", ".lock"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


@dataclass(frozen=True)
class Snapshot:
    integrity: str
    counts: dict[str, int]
    indexes: frozenset[str]


def snapshot(db: Path) -> Snapshot:
    """Integrity, the row count of every table and the index names (plain sqlite3)."""
    connection = sqlite3.connect(db)
    try:
        integrity = "; ".join(r[0] for r in connection.execute("PRAGMA integrity_check"))
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in tables}
        indexes = frozenset(r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'"))
    finally:
        connection.close()
    return Snapshot(integrity, counts, indexes)


# ---------------------------------------------------------------- one killed child


@dataclass
class Trial:
    kind: str  # how the kill moment was chosen
    delay: float  # seconds after the start or after the anchor event
    killed_at: float | None = None  # seconds after the start; None when it ended first
    anchor_at: float | None = None
    phase: str = ""
    returncode: int | None = None
    outcome: str = ""
    stderr: str = ""
    lines: list[tuple[float, str]] = field(default_factory=list)
    seen: dict[str, float] = field(default_factory=dict)


@dataclass
class Child:
    """A command line in a child process: its stderr progress lines timed, and what
    ``watch`` saw from outside (``see``: events with the time first seen)."""

    args: list[str]
    watched: Path  # the file whose neighbours tell the phase (the database, the copy)
    started: float = 0.0
    lines: list[tuple[float, str]] = field(default_factory=list)
    seen: dict[str, float] = field(default_factory=dict)  # event -> first seen (s)

    def start(self) -> subprocess.Popen:
        self.started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "laborstation", *self.args],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        threading.Thread(target=self._read, args=(process,), daemon=True).start()
        return process

    def _read(self, process: subprocess.Popen) -> None:
        while chunk := process.stderr.read1(4096):
            now = time.monotonic() - self.started
            text = chunk.decode("utf-8", "replace").replace("\r", "\n")
            self.lines.extend((now, line.strip()) for line in text.split("\n") if line.strip())

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def see(self, event: str) -> None:
        self.seen.setdefault(event, self.elapsed())


def run_trial(child: Child, trial: Trial, watch, anchor: str | None) -> Trial:
    """Start the child; SIGKILL it ``trial.delay`` s after the start (``anchor`` None) or
    after ``watch`` first reports the ``anchor`` event. ``watch(child)`` is called every
    poll, records the events it sees with ``child.see`` and returns the phase."""
    process = child.start()
    phase = ""
    if anchor is None:
        trial.anchor_at = 0.0
    while process.poll() is None:
        phase = watch(child)
        if trial.anchor_at is None and anchor in child.seen:
            trial.anchor_at = child.elapsed()
        if trial.anchor_at is not None and child.elapsed() >= trial.anchor_at + trial.delay:
            process.send_signal(signal.SIGKILL)
            trial.killed_at, trial.phase = child.elapsed(), phase
            break
        time.sleep(POLL)
    trial.returncode = process.wait()
    if trial.killed_at is not None and trial.returncode != -signal.SIGKILL:
        trial.killed_at = None  # it had just ended on its own
    if trial.killed_at is None:
        trial.phase = "ended before the kill"
    process.stderr.close()
    trial.lines, trial.seen = child.lines, child.seen
    trial.stderr = " | ".join(line for _t, line in child.lines[-3:])
    return trial


def run_all(plan: list[Trial], one) -> None:
    """``one(number, trial)`` for every trial, WORKERS at a time; the first failure is raised."""
    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(one, n, t) for n, t in enumerate(plan)]:
            future.result()


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    return (f"min {min(values):.3f} s, quartiles {quartiles[0]:.3f}/{quartiles[1]:.3f}/"
            f"{quartiles[2]:.3f} s, max {max(values):.3f} s")


def _summary(title: str, trials: list[Trial], extra: list[str], took: float) -> None:
    killed = [t for t in trials if t.killed_at is not None]
    print(f"\n=== {title}: {len(trials)} trials, {len(killed)} killed by SIGKILL, "
          f"{took:.1f} s ===")
    for line in extra:
        print("  " + line)
    print(f"  kill moments after start: {_spread([t.killed_at for t in killed])}")
    print("  kill moment kinds: " + ", ".join(
        f"{k} {n}" for k, n in Counter(t.kind for t in trials).items()))
    print("  phase at kill: " + ", ".join(
        f"{k} {n}" for k, n in Counter(t.phase for t in trials).items()))
    print("  outcomes: " + ", ".join(
        f"{k} {n}" for k, n in Counter(t.outcome for t in trials).items()))
    for n, t in enumerate(trials, 1):
        at = f"{t.killed_at:6.3f}" if t.killed_at is not None else "   -  "
        print(f"  #{n:02d} {t.kind:<7} delay {t.delay:6.3f} killed at {at}  "
              f"{t.phase:<24} -> {t.outcome}")


# ---------------------------------------------------------------- the import


@pytest.fixture(scope="module")
def station_db(tmp_path_factory) -> tuple[Path, Path]:
    """A station database holding EXISTING persons, and the big ledger to import into it."""
    folder = tmp_path_factory.mktemp("crash_import")
    db = folder / "station.db"
    assert _cli("station", "--db", db, "--name", "城关镇", "--code", TOWNSHIP) == 0
    small = _ledger(folder / "small.xlsx", EXISTING, first=ROWS)
    assert _cli("import", "persons", small, "--db", db, "--quiet") == 0
    _clear_sidecars(db)
    return db, _ledger(folder / "big.xlsx", ROWS, first=0)


def _watch_import(child: Child) -> str:
    if any(not line.startswith("检查") for _t, line in child.lines):
        child.see("writing")
    wal = child.watched.with_name(child.watched.name + "-wal")
    try:
        if wal.stat().st_size > 0:
            child.see("wal")
    except FileNotFoundError:
        if "wal" in child.seen:
            child.see("closed")
    if "closed" in child.seen:
        return "committed, closing"
    if "wal" in child.seen:
        return "commit/checkpoint"
    if "writing" in child.seen:
        return "writing"
    return "starting/reading"


def test_killed_import_leaves_all_or_nothing(station_db, tmp_path):
    base, ledger = station_db
    before = snapshot(base)
    assert before.integrity == "ok" and before.counts["person"] == EXISTING
    started = time.monotonic()

    def child(db: Path) -> Child:
        shutil.copy(base, db)
        return Child(["import", "persons", str(ledger), "--db", str(db)], db)

    # Calibration: one import left to finish, timed from outside.
    calibration = run_trial(child(tmp_path / "full.db"), Trial("none", 1e9), _watch_import, None)
    assert calibration.returncode == 0, calibration.stderr
    after = snapshot(tmp_path / "full.db")
    assert after.integrity == "ok" and after.counts["person"] == EXISTING + ROWS
    assert after.indexes == before.indexes
    duration = time.monotonic() - started
    seen = calibration.seen
    assert {"writing", "wal", "closed"} <= seen.keys(), seen
    window = seen["wal"] - seen["writing"]  # writing, up to the commit
    commit = seen["closed"] - seen["wal"]  # commit and checkpoint on close

    rng = random.Random(SEED)
    plan = ([Trial("early", rng.uniform(0.0, 0.3)) for _ in range(2)]
            + [Trial("spread", rng.uniform(0.0, duration * 1.05)) for _ in range(6)]
            + [Trial("writing", rng.uniform(0.0, window * 1.1)) for _ in range(6)]
            + [Trial("commit", rng.uniform(0.0, commit * 0.8)) for _ in range(6)]
            + [Trial("closing", rng.uniform(commit, commit * 3)) for _ in range(3)])
    anchors = {"early": None, "spread": None, "writing": "writing", "commit": "wal",
               "closing": "wal"}

    def one(number: int, trial: Trial) -> None:
        db = tmp_path / f"trial{number}.db"
        run_trial(child(db), trial, _watch_import, anchors[trial.kind])
        found = snapshot(db)
        assert found.integrity == "ok", (trial, found.integrity)
        assert found.indexes == before.indexes, (trial, before.indexes ^ found.indexes)
        if found.counts == before.counts:
            trial.outcome = "nothing"
        elif found.counts == after.counts:
            trial.outcome = "all"
        else:
            changed = {t: (before.counts[t], n) for t, n in found.counts.items()
                       if n != before.counts.get(t)}
            pytest.fail(f"partial import after {trial}: {changed}")

    run_all(plan, one)
    for number, trial in enumerate(plan):
        db = tmp_path / f"trial{number}.db"
        assert _cli("check", "--db", db) == 0, trial
        db.unlink()
        _clear_sidecars(db)

    _summary("crash test: SIGKILL during `laborstation import persons`", plan, [
        f"ledger: {ROWS:,} rows (.xlsx {ledger.stat().st_size:,} bytes) into a station "
        f"database holding {EXISTING} persons; {WORKERS} trials at a time",
        f"uninterrupted import: {duration:.2f} s from start to exit, "
        f"writing phase {window:.3f} s, commit and checkpoint {commit:.3f} s",
        "integrity_check ok after every kill; indexes all present; `laborstation check` 0",
    ], time.monotonic() - started)
    outcomes = Counter(t.outcome for t in plan)
    assert sum(outcomes.values()) >= 20
    assert outcomes["nothing"] >= 1 and outcomes["all"] >= 1
    # The anchored trials must really hit the writing phase and the commit.
    phases = Counter(t.phase for t in plan)
    assert phases["writing"] >= 3 and phases["commit/checkpoint"] >= 2, phases


# ---------------------------------------------------------------- the backup


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    from laborstation.demo import build_demo_file

    db = tmp_path_factory.mktemp("crash_backup") / "demo.db"
    build_demo_file(db, scale="station", seed=1)
    _clear_sidecars(db)
    return db


def _watch_backup(child: Child) -> str:
    part = child.watched.with_name(child.watched.name + ".part")
    if part.exists():
        child.see("part")
    elif "part" in child.seen:
        child.see("renamed")
    if "renamed" in child.seen:
        return "renamed, finishing"
    if "part" in child.seen:
        return "copying (.part)"
    return "starting"


def _earlier_copy(demo_db: Path, path: Path) -> str:
    """A different, valid copy (one table emptied) some trials find under the final name."""
    shutil.copy(demo_db, path)
    connection = sqlite3.connect(path)
    connection.execute("DELETE FROM target")
    connection.commit()
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    return _sha(path)


def test_killed_backup_leaves_source_intact_and_no_torn_copy(demo_db, tmp_path):
    source_hash = _sha(demo_db)
    source = snapshot(demo_db)
    assert source.integrity == "ok" and source.counts["person"] > 10_000
    assert _sha(demo_db) == source_hash  # reading with sqlite3 leaves the file as it was
    old = tmp_path / "old.db"
    old_hash = _earlier_copy(demo_db, old)
    started = time.monotonic()

    def child(out: Path) -> Child:
        return Child(["backup", "--db", str(demo_db), "--out", str(out)], out)

    out = tmp_path / "calibration" / "copy.db"
    calibration = run_trial(child(out), Trial("none", 1e9), _watch_backup, None)
    assert calibration.returncode == 0, calibration.stderr
    assert snapshot(out).counts == source.counts
    duration = time.monotonic() - started

    rng = random.Random(SEED + 1)
    seen = calibration.seen  # .part to rename: the copy, fsync and rename
    window = seen["renamed"] - seen["part"] if {"part", "renamed"} <= seen.keys() else 0.05
    plan = ([Trial("early", rng.uniform(0.0, 0.2)) for _ in range(2)]
            + [Trial("spread", rng.uniform(0.0, duration * 1.05)) for _ in range(4)]
            + [Trial("part", rng.uniform(0.0, window * 1.5)) for _ in range(16)])

    def one(number: int, trial: Trial) -> None:
        folder = tmp_path / f"trial{number}"
        folder.mkdir()
        out = folder / "copy.db"
        had_old = number % 2 == 1
        if had_old:
            shutil.copy(old, out)
        run_trial(child(out), trial, _watch_backup, "part" if trial.kind == "part" else None)
        assert _sha(demo_db) == source_hash, trial  # the source is never written
        assert snapshot(demo_db) == source, trial
        trial.stderr = "part left" if out.with_name("copy.db.part").exists() else ""
        if not out.exists():
            assert not had_old, f"the earlier copy vanished: {trial}"
            trial.outcome = "no copy"
            return
        assert not out.with_name("copy.db-wal").exists(), trial
        if had_old and _sha(out) == old_hash:
            trial.outcome = "earlier copy kept"
            return
        copy = snapshot(out)
        assert copy.integrity == "ok", (trial, copy.integrity)
        assert copy.counts == source.counts and copy.indexes == source.indexes, trial
        connection = sqlite3.connect(out)
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete", trial
        connection.close()
        trial.outcome = "complete copy"
        shutil.rmtree(folder)

    run_all(plan, one)
    assert _cli("check", "--db", demo_db) == 0
    leftovers = sum(t.stderr == "part left" for t in plan)

    _summary("crash test: SIGKILL during `laborstation backup --out`", plan, [
        f"source: station demo, {demo_db.stat().st_size:,} bytes, "
        f"{source.counts['person']:,} persons; uninterrupted backup {duration:.2f} s "
        f"(start to exit), .part to rename {window:.3f} s; {WORKERS} trials at a time",
        "source byte-for-byte unchanged and integrity_check ok after every kill",
        f"half the trials had an earlier copy under the final name; "
        f"{leftovers} kills left a .part file (never under the final name)",
    ], time.monotonic() - started)
    outcomes = Counter(t.outcome for t in plan)
    assert len(plan) >= 20 and outcomes["complete copy"] >= 1
    assert outcomes["no copy"] + outcomes["earlier copy kept"] >= 1
    phases = Counter(t.phase for t in plan)
    assert phases["copying (.part)"] >= 3, phases
