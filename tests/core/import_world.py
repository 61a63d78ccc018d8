"""What the import tests of placements, trainings and matching share: ID numbers made
by number, an import run to its end, a table's rows and row count. (Their township
station is the ``station`` fixture of ``conftest``.)"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from laborstation.idnumber import make_id
from laborstation.importing import run_import
from laborstation.progress import run_to_end

TOWNSHIP = "410926100000"  # 范县 城关镇


def pid(n: int, male: bool = True) -> str:
    return make_id("410926", date(1985, 1, 1) + timedelta(days=n), n * 2 % 1000, male)


def imp(store, path, kind, **options):
    return run_to_end(run_import(store, path, kind=kind, **options))


def count(store, model) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def rows_of(store, model) -> list:
    with store.reading() as session:
        return list(session.scalars(select(model).order_by(model.id)))
