"""The audit trail: every insert, update, soft delete and restore writes audit rows.

A session listener records, after each flush, what changed: one row per changed
field for an update (old → new), one row per inserted or removed record with its
values. It writes through the flush's own connection, so the audit rows commit
or roll back with the change they describe. ``session.info["actor"]`` names who.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from laborstation.model.system import AuditEntry

NOT_AUDITED_TABLES = {"audit_log"}
NOT_AUDITED_FIELDS = {"created_at", "updated_at", "search_text"}
SECRET_FIELDS = {"password_hash"}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _columns(obj):
    mapper = inspect(obj).mapper
    for attr in mapper.column_attrs:
        if attr.key in NOT_AUDITED_FIELDS:
            continue
        yield attr.key


def _row_id(obj) -> int | None:
    # After a flush a new object has its key but not yet its identity: read the key columns.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    if len(key) == 1 and isinstance(key[0], int):
        return key[0]
    return None


def values_json(values: dict) -> str:
    """A record's values as an insert's audit entry holds them: as text, empty ones left
    out, the unaudited fields left out and the secret ones masked."""
    shown = {}
    for key, value in values.items():
        if value in (None, "") or key in NOT_AUDITED_FIELDS:
            continue
        shown[key] = "***" if key in SECRET_FIELDS else _text(value)
    return json.dumps(shown, ensure_ascii=False)


def _values_json(obj) -> str:
    return values_json({key: getattr(obj, key) for key in _columns(obj)})


def _update_rows(obj, base: dict) -> list[dict]:
    rows = []
    state = inspect(obj)
    for key in _columns(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        action = "update"
        if key == "deleted_at":
            action = "delete" if new is not None else "restore"
        secret = key in SECRET_FIELDS
        rows.append(
            dict(
                base,
                action=action,
                field=key,
                old="***" if secret else _text(old),
                new="***" if secret else _text(new),
            )
        )
    return rows


def _after_flush(session: Session, _flush_context) -> None:
    if session.info.get("audit", True) is False:
        return
    actor = session.info.get("actor", "")
    now = datetime.now().replace(microsecond=0)
    rows: list[dict] = []
    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if table is None or table in NOT_AUDITED_TABLES:
            continue
        rows.append(
            dict(at=now, user_name=actor, action="insert", table_name=table,
                 row_id=_row_id(obj), field="", old=None, new=_values_json(obj))
        )
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table is None or table in NOT_AUDITED_TABLES or not session.is_modified(obj):
            continue
        base = dict(at=now, user_name=actor, table_name=table, row_id=_row_id(obj))
        rows.extend(_update_rows(obj, base))
    for obj in session.deleted:
        table = getattr(obj, "__tablename__", None)
        if table is None or table in NOT_AUDITED_TABLES:
            continue
        rows.append(
            dict(at=now, user_name=actor, action="purge", table_name=table,
                 row_id=_row_id(obj), field="", old=_values_json(obj), new=None)
        )
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def record(session: Session, action: str, table: str, row_id: int | None = None,
           field: str = "", old: str | None = None, new: str | None = None) -> None:
    """Write an audit row for something that is not a row change (reopen, export, login...)."""
    session.add(
        AuditEntry(
            at=datetime.now().replace(microsecond=0), user_name=session.info.get("actor", ""),
            action=action, table_name=table, row_id=row_id, field=field, old=old, new=new,
        )
    )


def install(session_factory) -> None:
    """Attach the audit listener to a new sessionmaker (each Store has its own, once).

    No ``event.contains()`` guard: SQLAlchemy keys its registry by ``id(target)``, and a
    registry entry of a freed sessionmaker outlives it until the cyclic GC runs, so a
    new sessionmaker at the same address looked "already listening" and its store wrote
    no audit rows at all (seen as rare, unrepeatable test failures).
    """
    event.listen(session_factory, "after_flush", _after_flush)
