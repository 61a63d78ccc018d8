"""Realistic, deterministic synthetic data: one township of 范县 (station) or 12 (county).

``generate(store, scale=, seed=, today=)`` is a progress generator whose result is
a ``DemoCounts``; ``build_demo_file(path, ...)`` makes a new database file with it.
Same seed and same ``today`` give the same rows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from laborstation.demo.generate import SCALES, DemoCounts, DemoRefused, generate
from laborstation.progress import run_to_end

__all__ = ["SCALES", "DemoCounts", "DemoRefused", "build_demo_file", "generate"]


def build_demo_file(path: str | Path, *, scale: str = "station", seed: int = 1,
                    today: date | None = None, on_progress=None) -> DemoCounts:
    """Create (or fill an empty) database file with a demo; refuses one that holds people."""
    from laborstation.db import open_store

    store = open_store(path)
    try:
        work = generate(store, scale=scale, seed=seed, today=today)
        return run_to_end(work, on_progress)
    finally:
        store.close()


