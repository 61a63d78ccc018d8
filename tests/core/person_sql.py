"""The SQL statements a piece of work runs against the person table (for plan tests)."""

from __future__ import annotations

from sqlalchemy import event


def person_statements(store, work) -> list[tuple[str, object]]:
    """(statement, parameters) of each statement ``work()`` runs that reads ``person``."""
    statements = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM person" in statement:
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        work()
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    return statements
