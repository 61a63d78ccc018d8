"""The benchmark: ``laborstation bench`` times real operations on demo databases.

Each area adds a module here with ``def run(ctx: BenchContext) -> Iterable[Row]``
and lists it in ``BENCH_MODULES``. Figures are medians of several runs measured
in one process; where a row has a baseline measured in the same run (for
example python-calamine reading the file an import reads), the ratio is printed,
so a claim such as "at most 2x" is checked against this machine, now.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_MODULES = ["demo_lookup", "returns", "importing", "gui", "county"]


@dataclass
class Row:
    area: str
    operation: str
    median: float  # seconds, or the unit below
    p95: float | None = None
    unit: str = "s"
    runs: int = 1
    target: str = ""  # e.g. "< 3 s", "≤ 2× baseline"
    ratio: float | None = None  # measured / baseline, same run
    note: str = ""


@dataclass
class BenchContext:
    scale: str
    work_dir: Path
    repeat: int = 5
    seed: int = 1
    log: Callable[[str], None] = print
    _dbs: dict = field(default_factory=dict)

    def demo_db(self, scale: str | None = None) -> Path:
        """A demo database of that scale, built once into the work folder and reused."""
        from laborstation.demo import build_demo_file

        scale = scale or self.scale
        path = self.work_dir / f"demo-{scale}-seed{self.seed}.db"
        if scale not in self._dbs:
            if not path.exists():
                self.log(f"生成演示数据库 {path.name} …")
                build_demo_file(path, scale=scale, seed=self.seed)
            self._dbs[scale] = path
        return path


def time_runs(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(area: str, operation: str, times: list[float], **extra) -> Row:
    return Row(area, operation, statistics.median(times), percentile(times, 95), runs=len(times),
               **extra)


def _formatter(unit: str) -> Callable[[float | None], str]:
    def fmt(value: float | None) -> str:
        if value is None:
            return ""
        if unit == "s":
            return f"{value * 1000:.1f}ms" if value < 1 else f"{value:.2f}s"
        return f"{value:,.1f}{unit}"

    return fmt


def format_table(rows: Iterable[Row]) -> str:
    header = f"{'area':<10} {'operation':<46} {'median':>10} {'p95':>10} {'runs':>5} {'ratio':>7}  target / note"
    lines = [header, "-" * len(header)]
    for row in rows:
        fmt = _formatter(row.unit)
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        tail = "  ".join(part for part in (row.target, row.note) if part)
        lines.append(
            f"{row.area:<10} {row.operation:<46} {fmt(row.median):>10} {fmt(row.p95):>10} "
            f"{row.runs:>5} {ratio:>7}  {tail}"
        )
    return "\n".join(lines)
