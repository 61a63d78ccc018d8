"""The store: engine, declarative base, sessions, migrations and backup copies."""

from laborstation.db.store import Store, open_store

__all__ = ["Store", "open_store"]
