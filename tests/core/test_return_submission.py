"""Submission stores the figures and the file's hash and locks the period; reopening lifts it."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from test_indicators import build_sample

from laborstation.cli import main
from laborstation.db.store import Actor
from laborstation.errors import PeriodLocked, PermissionDenied, UserError
from laborstation.model import AuditEntry, MonthlyReturn, Placement
from laborstation.returns.reader import read_return
from laborstation.returns.submission import (
    SubmissionRefused,
    export_return,
    list_returns,
    reopen_return,
    return_status,
    submit_return,
)
from laborstation.services.locking import assert_unlocked
from laborstation.services.placements import delete_placement

TODAY = date(2026, 11, 28)


@pytest.fixture
def sample(store):
    ids = build_sample(store)
    store.actor = Actor("王会计", "clerk")
    return ids


def test_an_error_finding_blocks_submission(store, sample, tmp_path):
    with store.session() as s:
        s.add(Placement(person_id=sample["k"], start_on=date(2026, 10, 3), region_class=None))
    out = tmp_path / "r.xlsx"
    with pytest.raises(SubmissionRefused) as refused:
        submit_return(store, "2026-10", out, today=TODAY)
    assert "不能报送" in str(refused.value) and "V1" in str(refused.value)
    assert {f.rule for f in refused.value.findings} >= {"V1", "V3"}
    assert not out.exists()
    assert return_status(store, "2026-10") is None


def test_submit_stores_figures_hash_and_who_then_locks(store, sample, tmp_path):
    out = tmp_path / "r.xlsx"
    done = submit_return(store, "2026-10", out, today=TODAY)
    assert [f.rule for f in done.findings] == ["V3"]  # a warning does not block
    assert done.file_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    status = return_status(store, "2026-10")
    assert (status.status, status.submitted_by, status.revision) == ("submitted", "王会计", 0)
    assert status.file_sha256 == done.file_sha256 and status.locks
    assert status.figures["figures"]["201"][:2] == ["2", "3"]
    assert status.figures["checksum"] == read_return(out).meta["figures_sha256"]
    assert [r.period for r in list_returns(store)] == ["2026-10"]
    # the lock, enforced in the record services
    with pytest.raises(PeriodLocked, match="已锁定"):
        delete_placement(store, sample["pl2"])
    with store.reading() as s:
        with pytest.raises(PeriodLocked):
            assert_unlocked(s, date(2026, 3, 15))
        assert_unlocked(s, date(2026, 11, 1))  # after E: free
    with pytest.raises(UserError, match="已于"):
        submit_return(store, "2026-10", tmp_path / "again.xlsx", today=TODAY)


def test_reopen_needs_the_head_is_audited_and_makes_a_revision(store, sample, tmp_path):
    submit_return(store, "2026-10", tmp_path / "r.xlsx", today=TODAY)
    with pytest.raises(PermissionDenied, match="所长"):
        reopen_return(store, "2026-10")
    store.actor = Actor("张所长", "head")
    status = reopen_return(store, "2026-10", reason="更正收入")
    assert (status.status, status.reopened_by) == ("reopened", "张所长")
    with store.reading() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one()
    assert (audit.user_name, audit.table_name, audit.old) == (
        "张所长",
        "monthly_return",
        "submitted",
    )
    delete_placement(store, sample["pl2"])  # unlocked now
    data, _sha = export_return(store, "2026-10", tmp_path / "rev.xlsx")
    assert data.is_revision and data.value("201") == 1
    wb = load_workbook(tmp_path / "rev.xlsx")
    assert wb["月报表"]["A1"].value.endswith("（修订）")
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows()}
    assert meta["revision"] == 1
    done = submit_return(store, "2026-10", tmp_path / "rev2.xlsx", today=TODAY)
    assert (done.status.status, done.status.revision) == ("revised", 1)
    with pytest.raises(PeriodLocked), store.session() as s:
        assert_unlocked(s, date(2026, 10, 5))


def test_reopening_what_was_never_submitted(store, sample):
    store.actor = Actor("张所长", "head")
    with pytest.raises(UserError, match="尚未报送"):
        reopen_return(store, "2026-10")


def test_a_viewer_cannot_submit(store, sample, tmp_path):
    store.actor = Actor("查询员", "viewer")
    with pytest.raises(PermissionDenied):
        submit_return(store, "2026-10", tmp_path / "r.xlsx", today=TODAY)


def test_the_stored_figures_match_a_recomputation(store, sample, tmp_path):
    submit_return(store, "2026-10", tmp_path / "r.xlsx", today=TODAY)
    with store.reading() as s:
        row = s.scalars(select(MonthlyReturn)).one()
    assert row.figures["figures"]["209"][1] == "3.31"
    assert Decimal(row.figures["figures"]["310"][0]) == Decimal("50.0")


def test_return_command_submit_status_reopen(store, sample, tmp_path, capsys):
    db = store.engine.url.render_as_string(hide_password=False)
    out = str(tmp_path / "cli.xlsx")
    assert main(["return", "2026-10", "--db", db, "--submit"]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["return", "2026-10", "--db", db, "--submit", "--out", out]) == 0
    assert "已报送并锁定 2026-10" in capsys.readouterr().out
    assert main(["return", "2026-10", "--db", db, "--status"]) == 0
    assert "已报送" in capsys.readouterr().out
    assert main(["return", "2026-10", "--db", db, "--reopen"]) == 0  # the CLI acts as head
    assert "已退回" in capsys.readouterr().out
    assert main(["return", "2026-10", "--db", db, "--out", out]) == 0
    assert "（修订）" in capsys.readouterr().out
