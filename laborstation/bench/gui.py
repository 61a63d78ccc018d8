"""GUI benchmark: the real main window, offscreen, on the demo database.

The window runs in a fresh process (``python -m ui.bench_driver``) so start-up
time and memory are a real start's; this module only starts it and reads the
JSON line it prints (the core never imports the GUI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable

from laborstation.bench import BenchContext, Row, percentile, summary


def _drive(db) -> tuple[float, dict]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "ui.bench_driver", str(db)],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"ui.bench_driver failed: {done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    return result["shown_at"] - started, result


def run(ctx: BenchContext) -> Iterable[Row]:
    db = ctx.demo_db()
    starts, keystrokes, cpu, last = [], [], [], {}
    for _ in range(max(1, min(ctx.repeat, 3))):
        start, last = _drive(db)
        starts.append(start)
        keystrokes.extend(last["keystrokes"])
        cpu.extend(last.get("keystrokes_cpu", []))
    yield summary("gui", "start → main window shown", starts, target="< 2 s")
    yield Row("gui", "search keystroke → table updated", percentile(keystrokes, 50),
              percentile(keystrokes, 95), runs=len(keystrokes), target="p95 < 100 ms",
              note=f"max {max(keystrokes) * 1000:.0f} ms")
    if cpu:
        yield Row("gui", "search keystroke, CPU time of the process", percentile(cpu, 50),
                  percentile(cpu, 95), runs=len(cpu), target="p95 < 100 ms",
                  note="wall time above includes other processes' load")
    yield Row("gui", "rows fetched after scroll to end", float(last["rows_fetched_after_scroll"]),
              unit=" rows", target="≪ total",
              note=f"of {last['rows']:,} rows; {last['rows_cached']:,} cached")
    if last.get("rss_mb") is not None:
        yield Row("gui", "resident memory after the run", float(last["rss_mb"]), unit=" MB",
                  target="< 400 MB")
