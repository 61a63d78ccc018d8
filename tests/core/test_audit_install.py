"""Every session factory audits, however many came and went before it.

SQLAlchemy keys its event registry by ``id(target)``; a freed sessionmaker's entry can
outlive it, and a new one at the same address used to look "already listening" to an
``event.contains()`` guard, so its store wrote no audit rows at all.
"""

from __future__ import annotations

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

import laborstation.model as m
from laborstation.db import audit
from laborstation.db.base import Base


def test_each_of_many_short_lived_session_factories_audits():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    for n in range(200):
        factory = sessionmaker(engine)
        audit.install(factory)
        with factory() as session:
            session.add(m.Setting(key=f"k{n}", value=str(n)))
            session.commit()
            audited = session.scalar(select(func.count()).select_from(m.AuditEntry))
        del factory
        assert audited == n + 1, f"session factory {n} wrote no audit row"
