"""Keep the query planner informed after bulk writes.

Without statistics SQLite's planner guesses, and on the return's stock queries
it guessed badly (seconds instead of a fraction). ``ANALYZE`` after a demo
build or a large import fixes that; it runs in well under a second at station scale.
"""

from __future__ import annotations

from sqlalchemy import text


def analyze(store) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
