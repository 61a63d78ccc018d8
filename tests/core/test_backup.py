"""Backups: copies and their counts, thinning on a simulated calendar, restore, damage, upgrades."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import laborstation.model as m
from laborstation.cli import main
from laborstation.db import migrate, open_store
from laborstation.db.backup import (
    PG_DUMP_MESSAGE,
    BackupNotSupported,
    auto_backup,
    backup_due,
    list_backups,
    make_backup,
    read_counts,
    sqlite_file_of,
    thin_backups,
)
from laborstation.db.integrity import DamagedDatabase, integrity_check, quick_check
from laborstation.db.lockfile import DatabaseInUse
from laborstation.db.restore import restore_backup
from laborstation.db.store import Actor, Store
from laborstation.errors import PermissionDenied, StoreError, UserError

_SERIAL = itertools.count(1)


def _add_people(store, names: list[str], *, with_placement: bool = True) -> None:
    with store.session() as session:
        village = session.scalar(select(m.Area).where(m.Area.level == m.VILLAGE))
        if village is None:
            county = m.Area(code="410926000000", name="范县", level=m.COUNTY)
            township = m.Area(code="410926100000", name="濮城镇", level=m.TOWNSHIP, parent=county)
            village = m.Area(code="410926100001", name="东街村", level=m.VILLAGE, parent=township)
            session.add_all([county, township, village])
            session.flush()
        for name in names:
            household = m.Household(number=f"H{name}", village_id=village.id)
            session.add(household)
            session.flush()
            person = m.Person(id_number=f"4109261980010{next(_SERIAL):04d}X", name=name,
                              sex="1", birth_date=date(1980, 1, 1), village_id=village.id,
                              household_id=household.id)
            session.add(person)
            session.flush()
            if with_placement:
                session.add(m.Placement(person_id=person.id, start_on=date(2026, 3, 1)))


def _names(db_path: Path) -> list[str]:
    connection = sqlite3.connect(db_path)
    try:
        return [r[0] for r in connection.execute("SELECT name FROM person ORDER BY name")]
    finally:
        connection.close()


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "station.db"
    store = open_store(path)
    _add_people(store, ["张三", "李四"])
    store.close()
    return path


# ---------------------------------------------------------------- making and listing


def test_a_backup_is_a_standalone_copy_with_its_counts(db):
    info = make_backup(db, reason="manual")
    assert info.path.parent == db.parent / "backups"
    assert info.path.name.startswith("manual-") and info.path.suffix == ".db"
    assert (info.counts.persons, info.counts.households, info.counts.placements) == (2, 2, 2)
    assert info.reason_name == "手动备份"
    assert integrity_check(info.path) == []
    assert not Path(str(info.path) + "-wal").exists()
    with sqlite3.connect(info.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_backup_sees_what_the_open_store_committed(tmp_path):
    store = open_store(tmp_path / "station.db")
    _add_people(store, ["王五"])  # still in the WAL: the store is open
    info = make_backup(store, reason="auto")
    store.close()
    assert info.counts.persons == 1


def test_list_backups_is_newest_first_with_counts(db):
    first = make_backup(db, reason="manual", now=datetime(2026, 3, 1, 9, 0, 0))
    second = make_backup(db, reason="before-import", now=datetime(2026, 3, 2, 9, 0, 0))
    same_second = make_backup(db, reason="before-import", now=datetime(2026, 3, 2, 9, 0, 0))
    listed = list_backups(db)
    assert [b.path for b in listed] == [same_second.path, second.path, first.path]
    assert same_second.path != second.path
    assert all(b.counts.persons == 2 for b in listed)
    assert listed[2].made_at == datetime(2026, 3, 1, 9, 0, 0)


def test_backup_to_a_chosen_folder(db, tmp_path):
    usb = tmp_path / "U盘" / "备份"
    info = make_backup(db, reason="manual", dest_dir=usb)
    assert info.path.parent == usb
    assert [b.path for b in list_backups(folder=usb)] == [info.path]


def test_backup_due_only_after_changes():
    t = datetime(2026, 3, 1, 8, 0)
    assert not backup_due(None, None, t)  # nothing ever changed
    assert backup_due(None, t, t)  # changes, no copy yet
    assert not backup_due(t, t - timedelta(minutes=1), t + timedelta(hours=5))  # no change since
    assert not backup_due(t, t + timedelta(minutes=1), t + timedelta(hours=2))  # too soon
    assert backup_due(t, t + timedelta(minutes=1), t + timedelta(hours=3))
    assert backup_due(t, t + timedelta(minutes=1), t + timedelta(minutes=2), every_hours=0)  # close


def test_auto_backup_copies_only_when_something_changed(tmp_path):
    store = open_store(tmp_path / "station.db")
    _add_people(store, ["张三"])
    later = datetime.now() + timedelta(seconds=5)
    made = auto_backup(store, now=later)
    assert made is not None and made.reason == "auto"
    assert auto_backup(store, now=later + timedelta(hours=4)) is None  # nothing changed since
    store.close()


def test_postgresql_backups_are_refused_with_pg_dump_advice():
    url = "postgresql+psycopg://clerk:secret@localhost/station"
    with pytest.raises(BackupNotSupported, match="pg_dump"):
        sqlite_file_of(url)
    pytest.importorskip("psycopg")
    from laborstation.db.engine import make_engine

    store = Store(make_engine(url))  # creating an engine does not connect
    with pytest.raises(BackupNotSupported) as refused:
        make_backup(store, reason="manual")
    assert str(refused.value) == PG_DUMP_MESSAGE
    assert auto_backup(store) is None
    store.close()


# ---------------------------------------------------------------- thinning


def _touch_backup(folder: Path, when: datetime) -> None:
    (folder / f"auto-{when:%Y%m%d-%H%M%S}.db").write_bytes(b"x")


def test_thinning_on_a_simulated_calendar(tmp_path):
    """14 months of a copy every 3 hours, thinned after each copy as the program does."""
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    when, end = datetime(2025, 1, 1, 0, 0), datetime(2026, 3, 4, 9, 30)
    while when <= end:
        _touch_backup(folder, when)
        thin_backups(folder, when)
        when += timedelta(hours=3)
    thin_backups(folder, end)

    def at(day: str, hour: int = 21) -> str:
        return f"auto-{day.replace('-', '')}-{hour:02d}0000.db"

    expected = {at("2026-03-04", h) for h in (0, 3, 6, 9)}  # today
    expected |= {at("2026-03-03", h) for h in range(0, 24, 3)}  # yesterday
    expected |= {at(f"2026-03-0{d}") for d in (1, 2)}  # 12 days: the newest copy of each
    expected |= {at(f"2026-02-{d}") for d in range(19, 29)}
    expected |= {at(d) for d in (  # 10 weeks: the newest copy of each, a Sunday
        "2026-02-15", "2026-02-08", "2026-02-01", "2026-01-25", "2026-01-18", "2026-01-11",
        "2026-01-04", "2025-12-28", "2025-12-21", "2025-12-14")}
    expected |= {at(d) for d in (  # 9 months: the newest survivor of each, its last Sunday
        "2025-11-30", "2025-10-26", "2025-09-28", "2025-08-31", "2025-07-27", "2025-06-29",
        "2025-05-25", "2025-04-27", "2025-03-30")}
    left = {p.name for p in folder.iterdir()}
    assert left == expected | {"notes.txt"}
    assert len(expected) == 4 + 8 + 12 + 10 + 9


def test_thinning_once_keeps_the_newest_of_each_day_week_and_month(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    when = datetime(2026, 1, 1, 2, 0)
    while when < datetime(2026, 3, 10):
        _touch_backup(folder, when)
        when += timedelta(hours=8)  # 02:00, 10:00, 18:00
    removed = thin_backups(folder, datetime(2026, 3, 10, 8, 0), daily=3, weekly=2, monthly=1)
    left = {p.name[5:13] + p.name[14:16] for p in folder.iterdir()}  # YYYYmmddHH
    assert left == {
        "2026030902", "2026030910", "2026030918",  # yesterday: all (today has none yet)
        "2026030818", "2026030718", "2026030618",  # 3 days: the newest of each
        "2026030118", "2026022218",  # 2 weeks (Monday to Sunday): their Sundays
        "2026013118",  # 1 month: January's newest
    }
    assert len(removed) == 68 * 3 - 9


# ---------------------------------------------------------------- restore


def test_restore_round_trip_keeps_a_copy_of_what_it_replaces(db):
    backup = make_backup(db, reason="manual")
    store = open_store(db)
    _add_people(store, ["王五"])  # written after the backup
    store.close()

    result = restore_backup(backup.path, db)

    assert _names(db) == sorted(["张三", "李四"])
    assert result.safety_copy is not None and result.safety_copy.reason == "before-restore"
    assert result.safety_copy.counts.persons == 3
    assert "王五" in _names(result.safety_copy.path)
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0
    store = open_store(db)  # the program opens the restored file normally
    with store.reading() as session:
        row = session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "restore")).one()
    store.close()
    assert (row.table_name, row.new, row.user_name) == ("database", backup.path.name, "system")
    assert quick_check(db) == []


def test_restore_refuses_a_damaged_copy_and_changes_nothing(db, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    before = db.read_bytes()
    with pytest.raises(UserError, match="已损坏或不是数据库"):
        restore_backup(bad, db)
    assert db.read_bytes() == before
    assert not (db.parent / "backups").exists() or not list((db.parent / "backups").iterdir())


def test_restore_refuses_a_database_of_another_program(db, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(UserError, match="不是本程序的数据库"):
        restore_backup(other, db)


def test_restore_needs_the_head(db):
    backup = make_backup(db, reason="manual")
    for role in ("clerk", "viewer"):
        with pytest.raises(PermissionDenied, match="没有恢复备份的权限"):
            restore_backup(backup.path, db, actor=Actor("小李", role))
    result = restore_backup(backup.path, db, actor=Actor("张所长", "head"))
    assert result.restored_from.path == backup.path


def test_restore_is_refused_while_the_program_has_the_database_open(db):
    backup = make_backup(db, reason="manual")
    store = open_store(db, exclusive=True)
    try:
        with pytest.raises(DatabaseInUse, match="正被"):
            restore_backup(backup.path, db)
    finally:
        store.close()
    restore_backup(backup.path, db)


def test_cli_backup_and_restore(db, tmp_path, capsys):
    out = tmp_path / "usb" / "copy.db"
    assert main(["backup", "--db", str(db), "--out", str(out)]) == 0
    assert "人员 2" in capsys.readouterr().out and out.exists()
    store = open_store(db)
    _add_people(store, ["王五"])
    store.close()
    assert main(["restore", str(out), "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert "另存为" in printed and "before-restore-" in printed and "人员 3" in printed
    assert "已从" in printed and "人员 2" in printed
    assert _names(db) == sorted(["张三", "李四"])
    assert main(["restore", "--list", "--db", str(db)]) == 0
    assert "恢复前备份" in capsys.readouterr().out
    assert main(["backup", "--db", "postgresql+psycopg://u:p@localhost/x"]) == 2
    assert "pg_dump" in capsys.readouterr().err


def test_cli_backup_into_a_new_folder_named_without_an_ending(db, tmp_path, capsys):
    out = tmp_path / "U盘" / "2026年 备份"  # (no such folder yet, no trailing slash)
    assert main(["backup", "--db", str(db), "--out", str(out)]) == 0
    made = list(out.iterdir())
    assert out.is_dir() and len(made) == 1 and made[0].suffix == ".db"
    assert "人员 2" in capsys.readouterr().out


# ---------------------------------------------------------------- damage and upgrades


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 2, len(data), page * 3):  # scribble over every third page
        data[start + 8: start + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def test_a_damaged_database_names_the_newest_good_backup(db):
    good = make_backup(db, reason="auto", now=datetime(2026, 3, 1, 9, 0))
    newer = make_backup(db, reason="auto", now=datetime(2026, 3, 2, 9, 0))
    _damage(newer.path)  # the newest copy is damaged too: the one before it is offered
    _damage(db)
    assert quick_check(db) != []
    with pytest.raises(DamagedDatabase) as raised:
        open_store(db, exclusive=True)
    assert raised.value.backup is not None and raised.value.backup.path == good.path
    assert "已损坏" in str(raised.value) and good.path.name in str(raised.value)
    assert raised.value.backup.counts.persons == 2
    # the refusal released the lock: a restore can proceed at once
    restore_backup(raised.value.backup.path, db)
    assert quick_check(db) == [] and _names(db) == sorted(["张三", "李四"])


def test_a_file_that_is_not_a_database_offers_a_backup_too(db):
    good = make_backup(db, reason="auto")
    db.write_bytes(b"not a database at all" * 300)
    for path in (Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        path.unlink(missing_ok=True)
    with pytest.raises(DamagedDatabase, match="不是数据库或已损坏") as raised:
        open_store(db)
    assert raised.value.backup.path == good.path
    assert isinstance(raised.value, StoreError)


FAILING_REVISION = '''
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("person", sa.Column("shoe_size", sa.Integer()))
    op.execute("UPDATE person SET name = 'broken'")
    raise RuntimeError("this migration fails half way")


def downgrade():
    pass
'''


def test_a_failed_migration_leaves_the_file_as_it_was_and_a_copy_beside_it(db, tmp_path,
                                                                         monkeypatch):
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    (scripts / "versions" / "9999_fails.py").write_text(FAILING_REVISION.format(head=head))
    with sqlite3.connect(db) as connection:
        dump_before = list(connection.iterdump())
    bytes_before = db.read_bytes()
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)

    with pytest.raises(StoreError, match="升级失败") as raised:
        open_store(db)

    assert "before-upgrade-" in str(raised.value)
    with sqlite3.connect(db) as connection:
        assert list(connection.iterdump()) == dump_before
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
    assert db.read_bytes() == bytes_before
    copies = list((db.parent / "backups").glob("before-upgrade-*.db"))
    assert len(copies) == 1 and read_counts(copies[0]).persons == 2
    assert quick_check(copies[0]) == []


def test_safety_copies_are_kept_for_sixty_days_whatever_the_schedule(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 6, 30, 12, 0)
    names = {
        "before-restore-20260601-100000.db": True,  # 29 days old: kept
        "before-restore-20260601-110000.db": True,  # same day: kept as well
        "before-import-20260502-090000.db": True,  # 59 days
        "before-upgrade-20260430-090000.db": False,  # 61 days
        "mystery-20200101-000000.db": True,  # not a reason we know: left alone
        "auto-20260601-100000.db": True,  # the newest regular copy of its week
        "auto-20260601-090000.db": False,
    }
    for name in names:
        (folder / name).write_bytes(b"x")
    removed = {p.name for p in thin_backups(folder, now)}
    assert removed == {name for name, kept in names.items() if not kept}


def test_restore_onto_a_new_computer_where_there_is_no_database_yet(db, tmp_path):
    copy = make_backup(db, reason="manual", dest_dir=tmp_path / "usb")
    new_home = tmp_path / "new-pc" / "LaborStation" / "station.db"
    result = restore_backup(copy.path, new_home)
    assert result.safety_copy is None
    store = open_store(new_home, exclusive=True)
    store.close()
    assert _names(new_home) == sorted(["张三", "李四"])
