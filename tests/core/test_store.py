"""The store: pragmas, migrations agreeing with the models, audit rows, money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

import laborstation.model as m
from laborstation.config import database_url
from laborstation.db import migrate, open_store
from laborstation.db.base import Base
from laborstation.db.engine import make_engine
from laborstation.db.store import Actor
from laborstation.errors import StoreError


def test_sqlite_pragmas_on_every_connection(tmp_path):
    store = open_store(tmp_path / "pragmas.db")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    store.close()


def test_new_database_is_created_at_head(store):
    assert migrate.current_revision(store.engine) == migrate.head_revision()


def test_empty_database_upgrades_to_head_and_matches_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'upgraded.db'}")
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_migrations_downgrade_to_base_and_up_again(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    migrate.upgrade(engine)
    migrate.upgrade(engine, "head")  # idempotent
    from alembic import command

    config = migrate.alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_an_older_database_is_backed_up_before_upgrade(tmp_path):
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # a database from before any migration
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
    engine.dispose()
    store = open_store(path)
    store.close()
    backups = list((tmp_path / "backups").glob("before-upgrade-*.db"))
    assert len(backups) == 1


@pytest.mark.parametrize("folder", ["张三", "数据 100%", "台账%20备份", "用户%E5%BC%A0三"])
def test_a_database_in_a_folder_of_any_name_is_made_and_upgraded(tmp_path, folder):
    """A Windows user named 张三 has C:\\Users\\张三\\AppData\\… as the data folder; its URL
    spells the name %E5%BC%A0…, which Alembic's configuration must not read as its own %."""
    (tmp_path / folder).mkdir()
    store = open_store(tmp_path / folder / "station.db")
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    store.close()
    # (%20 in a folder's name stays %20: not read back as a space, another folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]
    assert (tmp_path / folder / "station.db").is_file()
    engine = make_engine(database_url(tmp_path / folder / "empty.db"))
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()
    assert (tmp_path / folder / "empty.db").is_file()


def test_a_file_that_is_not_a_database_is_refused_in_chinese(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="不是数据库或已损坏"):
        open_store(path)
    assert path.read_bytes() == before


def test_missing_file_is_refused_when_it_must_exist(tmp_path):
    with pytest.raises(StoreError, match="不存在"):
        open_store(tmp_path / "nowhere.db", must_exist=True)
    assert not (tmp_path / "nowhere.db").exists()


def _village(session) -> m.Area:
    county = m.Area(code="410926000000", name="范县", level=m.COUNTY)
    township = m.Area(code="410926100000", name="濮城镇", level=m.TOWNSHIP, parent=county)
    village = m.Area(code="410926100001", name="东街村", level=m.VILLAGE, parent=township)
    session.add_all([county, township, village])
    session.flush()
    return village


def test_every_write_leaves_audit_rows_with_who_and_old_new(store):
    store.actor = Actor("李会计", "clerk")
    with store.session() as session:
        village = _village(session)
        person = m.Person(id_number="41092619800101001X", name="张三", sex="1",
                          birth_date=date(1980, 1, 1), village_id=village.id)
        session.add(person)
    with store.session() as session:
        person = session.get(m.Person, person.id)
        person.phone = "13800000000"
    with store.session() as session:
        person = session.get(m.Person, person.id)
        person.deleted_at = person.updated_at
    with store.reading() as session:
        rows = session.scalars(
            select(m.AuditEntry).where(m.AuditEntry.table_name == "person").order_by(m.AuditEntry.id)
        ).all()
    assert [r.action for r in rows] == ["insert", "update", "delete"]
    assert all(r.user_name == "李会计" and r.row_id == person.id for r in rows)
    assert '"name": "张三"' in rows[0].new
    assert (rows[1].field, rows[1].old, rows[1].new) == ("phone", "", "13800000000")


def test_a_failed_write_leaves_neither_record_nor_audit_row(store):
    with pytest.raises(RuntimeError), store.session() as session:
        _village(session)
        raise RuntimeError("power cut")
    with store.reading() as session:
        assert session.scalars(select(m.Area)).all() == []
        assert session.scalars(select(m.AuditEntry)).all() == []


def test_money_is_exact_decimal_yuan_stored_as_fen(store):
    with store.session() as session:
        village = _village(session)
        person = m.Person(id_number="41092619800101001X", name="张三", sex="1",
                          birth_date=date(1980, 1, 1), village_id=village.id)
        session.add(person)
        session.flush()
        for wage in ("4500.10", "0.20", "1234.55"):
            session.add(m.Placement(person_id=person.id, start_on=date(2026, 3, 1),
                                    monthly_wage=Decimal(wage)))
    with store.reading() as session:
        from sqlalchemy import func

        total = session.scalar(select(func.sum(m.Placement.monthly_wage)))
        raw = session.execute(text("SELECT monthly_wage FROM placement ORDER BY id")).scalars().all()
    assert total == Decimal("5734.85")
    assert raw == [450010, 20, 123455]


def test_only_one_live_person_per_id_number(store):
    from sqlalchemy.exc import IntegrityError

    with store.session() as session:
        village = _village(session)
        session.add(m.Person(id_number="41092619800101001X", name="张三", sex="1",
                             birth_date=date(1980, 1, 1), village_id=village.id,
                             deleted_at=date(2026, 1, 1)))
        session.add(m.Person(id_number="41092619800101001X", name="张三", sex="1",
                             birth_date=date(1980, 1, 1), village_id=village.id))
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(m.Person(id_number="41092619800101001X", name="张叁", sex="1",
                             birth_date=date(1980, 1, 1), village_id=village.id))


@pytest.mark.skipif(not __import__("os").environ.get("LABORSTATION_TEST_PG"),
                    reason="needs LABORSTATION_TEST_PG (a PostgreSQL server)")
def test_migrations_build_the_same_schema_on_postgresql():
    import os

    url = os.environ["LABORSTATION_TEST_PG"]
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_a_path_too_long_for_sqlite_says_so(tmp_path):
    deep = tmp_path / ("很长的文件夹名称" * 9) / ("第二层文件夹" * 12) / ("第三层" * 20)
    with pytest.raises(StoreError, match="路径太长"):
        open_store(deep / "station.db")


def test_a_folder_that_cannot_be_made_is_told_in_chinese(tmp_path):
    with pytest.raises(StoreError, match="无法建立数据库所在的文件夹"):
        open_store(tmp_path / ("名" * 100) / "station.db")  # (300 bytes: a name too long)
