"""The register's persons of the villages a persons ledger holds who are not in it.

Those who died, married out or moved away stay in the register, counted as rural labour
by the return, until the clerk records it; a ledger imported again without them changes
nothing of theirs. They are told as one line of the result: how many, and the first.
Only for a ledger holding most of those villages' persons (a file of newcomers alone
is not the villages' ledger, and would name everyone).
"""

from __future__ import annotations

from sqlalchemy import select

from laborstation.importing import fast_sql
from laborstation.importing.apply import Env, village_shown
from laborstation.importing.bulk_write import chunks
from laborstation.model import Person

SHOWN = 10  # persons named; the rest counted


def missing_from(env: Env, villages: set[int], numbers, before: int) -> tuple[int, list[str]]:
    """(how many, the first ``SHOWN`` as 姓名（村）) of the live persons of ``villages``
    with an id up to ``before`` (stored before the import) whose ID number is not among
    ``numbers``; (0, []) when the file holds fewer than half of those villages' persons."""
    session = env.session
    rows = _persons_of(env, sorted(villages), before)
    stored = len(rows)
    missing = [(name, village) for number, name, village in rows if number not in numbers]
    if not missing or 2 * len(missing) > stored:
        return 0, []
    names = {village: village_shown(session, village) for _name, village in missing[:SHOWN]}
    return len(missing), [f"{name}（{names[village]}）" for name, village in missing[:SHOWN]]


def _persons_of(env: Env, villages: list[int], before: int) -> list[tuple]:
    """(ID number, name, village) of the live persons of ``villages``, by id."""
    if env.fast:  # (+village_id: a scan of the table, not ~250,000 look-ups through an index)
        return fast_sql.rows_in(env.session, "SELECT id_number, name, village_id FROM person "
                                "WHERE id <= ? AND deleted_at IS NULL AND +village_id IN "
                                "(SELECT value FROM json_each(?))", villages, before)
    table, rows = Person.__table__, []
    for part in chunks(villages, 500):
        rows += env.session.execute(
            select(table.c.id_number, table.c.name, table.c.village_id).where(
                table.c.village_id.in_(part), table.c.deleted_at.is_(None),
                table.c.id <= before).order_by(table.c.id)).all()
    return rows
