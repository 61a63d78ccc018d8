"""Drive the real main window offscreen and print timings as one JSON line.

Run by ``laborstation.bench.gui`` in a fresh process (``python -m ui.bench_driver DB``)
so the start-up time and the memory are those of a real start.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _rss_mb() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import psutil  # type: ignore[import-not-found]

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        return None


def _keys(store) -> list[str]:
    """What clerks type: names, full pinyin, initials, ID number and phone prefixes."""
    from sqlalchemy import select

    from laborstation.model import Person

    with store.reading() as s:
        people = s.execute(
            select(Person.name, Person.search_text, Person.id_number, Person.phone)
            .where(Person.deleted_at.is_(None), Person.phone != "")
            .order_by(Person.id).limit(5000)
        ).all()
    picks = [people[i] for i in (7, 1234, 2711, 4321) if i < len(people)] or people[:1]
    keys = []
    for n, (name, search, id_number, phone) in enumerate(picks):
        parts = search.split(" ")
        keys.append(name)
        keys.append(parts[2] if len(parts) > 2 else parts[-1])  # initials
        if n % 2 == 0:
            keys.append(parts[1] if len(parts) > 1 else name)  # full pinyin
        keys.append(id_number[:12] if n % 2 else id_number)
        if n % 2 == 0 and phone:
            keys.append(phone[:7])
    return keys


def main(db: str) -> dict:
    from PySide6.QtTest import QTest

    from laborstation.db import open_store
    from ui.app import application, open_main_window

    app = application()
    store = open_store(db)
    window = open_main_window(store)
    app.processEvents()
    window.register.table.viewport().repaint()
    shown = time.time()
    page, table = window.register, window.register.table
    box = page.filters.search

    times: list[float] = []
    cpu: list[float] = []  # CPU seconds of this process: the same work, without other load
    for key in _keys(store):
        box.setText("")
        app.processEvents()
        for char in key:
            start, start_cpu = time.perf_counter(), time.process_time()
            if char.isascii():
                QTest.keyClick(box, char)
            else:
                box.insert(char)
            app.processEvents()  # the model reset has scheduled the repaint: this paints
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    box.setText("")
    app.processEvents()
    total = page.model.rowCount()  # the first page is painted; now jump to the last row
    table.scrollToBottom()
    app.processEvents()
    table.viewport().repaint()
    result = {
        "shown_at": shown, "keystrokes": times, "keystrokes_cpu": cpu, "rows": total,
        "rows_fetched_after_scroll": page.model.rows_fetched, "rows_cached": page.model.cached,
        "rss_mb": _rss_mb(),
    }
    window.tasks.shutdown()
    window.close()
    store.close()
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])), flush=True)
    os._exit(0)  # skip interpreter teardown of Qt objects
