"""Long work is a generator that yields ``Progress`` between steps.

The caller (the CLI, or ui.tasks on a worker thread) iterates it and shows the
progress. To cancel, the caller stops iterating and calls ``generator.close()``:
``GeneratorExit`` is raised at the ``yield``, the ``with store.session()``
block around it rolls back, and the store is as it was. A generator's result
is its ``return`` value (``StopIteration.value``); ``run_to_end`` gets it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int | None = None
    message: str = ""
    # The work can no longer be stopped: what follows is the commit (a 取消 pressed now
    # comes too late, and the GUI disables it).
    final: bool = False

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


Work = Generator[Progress, None, T]


def run_to_end(work: Work[T], on_progress: Callable[[Progress], None] | None = None) -> T:
    """Drive a progress generator to its end and return its result."""
    try:
        while True:
            step = next(work)
            if on_progress is not None:
                on_progress(step)
    except StopIteration as stop:
        return stop.value
