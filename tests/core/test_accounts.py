"""Accounts and roles: first head, hashes, lockout, password changes, role checks."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

import laborstation.model as m
from laborstation.cli import main
from laborstation.db.store import SYSTEM, Actor
from laborstation.errors import DuplicateRecord, PermissionDenied, ValidationError
from laborstation.services import accounts, authz
from laborstation.services.accounts import AuthError
from laborstation.services.passwords import hash_password, verify_password

T0 = datetime(2026, 3, 2, 9, 0, 0)


@pytest.fixture
def staffed(store):
    """A station with a head (logged in), a clerk and a viewer."""
    accounts.create_first_head(store, "zhang", "张所长", "head-pass")
    store.actor = accounts.authenticate(store, "zhang", "head-pass", now=T0)
    accounts.create_user(store, "li", "李会计", "clerk", "clerk-pass")
    accounts.create_user(store, "wang", "王查询", "viewer", "viewer-pass")
    return store


def _audit(store, action):
    with store.reading() as session:
        return session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == action)
                               .order_by(m.AuditEntry.id)).all()


# ---------------------------------------------------------------- hashes


def test_the_hash_is_scrypt_salted_and_not_the_password():
    stored = hash_password("secret-1")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert "secret-1" not in stored and len(salt) >= 20 and len(digest) >= 40
    assert verify_password("secret-1", stored)
    assert not verify_password("secret-2", stored)
    assert not verify_password("", stored)
    assert hash_password("secret-1") != stored  # a fresh salt each time
    for broken in ("", "secret-1", "scrypt$1$8$1$AAAA$AAAA", "md5$x$y$z$a$b", "scrypt$a$b$c$d$e"):
        assert not verify_password("secret-1", broken)


def test_no_hash_reaches_the_audit_log(staffed):
    with staffed.reading() as session:
        rows = session.scalars(select(m.AuditEntry).where(m.AuditEntry.table_name == "app_user")).all()
        hashes = [u.password_hash for u in session.scalars(select(m.User))]
    text = " ".join(f"{r.old} {r.new}" for r in rows)
    assert rows and "***" in text
    assert not any(h in text or h.split("$")[-1] in text for h in hashes)


# ---------------------------------------------------------------- first run and login


def test_the_first_run_creates_the_head_once(store):
    assert not accounts.has_users(store)
    head = accounts.create_first_head(store, "zhang", "张所长", "head-pass")
    assert accounts.has_users(store)
    assert (head.role, head.role_name, head.display_name) == ("head", "所长", "张所长")
    with pytest.raises(PermissionDenied, match="已经建立了账号"):
        accounts.create_first_head(store, "other", "", "other-pass")
    assert [u.username for u in accounts.list_users(store)] == ["zhang"]


def test_password_policy_six_characters(store):
    with pytest.raises(ValidationError, match="至少需要 6 个字符"):
        accounts.create_first_head(store, "zhang", "张所长", "12345")
    assert not accounts.has_users(store)


def test_login_returns_the_actor_sets_nothing_and_is_audited(store):
    accounts.create_first_head(store, "zhang", "张所长", "head-pass")
    actor = accounts.authenticate(store, "Zhang ", "head-pass", now=T0)
    assert actor == Actor("zhang", "head")
    assert store.actor == SYSTEM  # the caller decides
    [login] = _audit(store, "login")
    assert login.user_name == "zhang"
    assert accounts.list_users(store)[0].last_login_at == T0


def test_unknown_user_and_wrong_password_are_refused_in_chinese(store):
    accounts.create_first_head(store, "zhang", "张所长", "head-pass")
    with pytest.raises(AuthError, match="用户名或密码错误。"):
        accounts.authenticate(store, "nobody", "head-pass", now=T0)
    with pytest.raises(AuthError, match="还可以再试 4 次") as refused:
        accounts.authenticate(store, "zhang", "wrong-pass", now=T0)
    assert refused.value.attempts_left == 4
    assert len(_audit(store, "loginfail")) == 2


def test_five_wrong_passwords_lock_the_account_for_five_minutes(store):
    accounts.create_first_head(store, "zhang", "张所长", "head-pass")
    left = []
    for i in range(4):
        with pytest.raises(AuthError) as refused:
            accounts.authenticate(store, "zhang", "wrong", now=T0 + timedelta(seconds=i))
        left.append(refused.value.attempts_left)
    assert left == [4, 3, 2, 1]
    with pytest.raises(AuthError, match="锁定 5 分钟") as refused:
        accounts.authenticate(store, "zhang", "wrong", now=T0 + timedelta(seconds=4))
    assert refused.value.locked_minutes == 5
    locked_at = T0 + timedelta(seconds=4)
    # Locked: even the right password is refused, with the minutes left (rounded up).
    with pytest.raises(AuthError, match="请 4 分钟后再试") as refused:
        accounts.authenticate(store, "zhang", "head-pass", now=locked_at + timedelta(seconds=61))
    assert refused.value.locked_minutes == 4
    with pytest.raises(AuthError, match="请 1 分钟后再试"):
        accounts.authenticate(store, "zhang", "head-pass",
                              now=locked_at + timedelta(minutes=4, seconds=59))
    # The lock runs out after five minutes; the count starts afresh.
    with pytest.raises(AuthError) as refused:
        accounts.authenticate(store, "zhang", "wrong", now=locked_at + timedelta(minutes=5))
    assert refused.value.attempts_left == 4
    actor = accounts.authenticate(store, "zhang", "head-pass", now=locked_at + timedelta(minutes=6))
    assert actor.role == "head"
    assert accounts.list_users(store)[0].failed_attempts == 0


def test_a_right_password_resets_the_count(store):
    accounts.create_first_head(store, "zhang", "张所长", "head-pass")
    for _ in range(4):
        with pytest.raises(AuthError):
            accounts.authenticate(store, "zhang", "wrong", now=T0)
    accounts.authenticate(store, "zhang", "head-pass", now=T0)
    with pytest.raises(AuthError) as refused:
        accounts.authenticate(store, "zhang", "wrong", now=T0)
    assert refused.value.attempts_left == 4


def test_a_disabled_account_cannot_log_in(staffed):
    accounts.set_active(staffed, "li", False)
    with pytest.raises(AuthError, match="已停用"):
        accounts.authenticate(staffed, "li", "clerk-pass", now=T0)
    accounts.set_active(staffed, "li", True)
    assert accounts.authenticate(staffed, "li", "clerk-pass", now=T0) == Actor("li", "clerk")


# ---------------------------------------------------------------- passwords


def test_change_own_password(staffed):
    staffed.actor = accounts.authenticate(staffed, "li", "clerk-pass", now=T0)
    with pytest.raises(AuthError, match="原密码不正确"):
        accounts.change_password(staffed, "not-it", "new-clerk-pass")
    with pytest.raises(ValidationError):
        accounts.change_password(staffed, "clerk-pass", "short")
    accounts.change_password(staffed, "clerk-pass", "new-clerk-pass")
    assert accounts.authenticate(staffed, "li", "new-clerk-pass", now=T0).name == "li"
    with pytest.raises(AuthError):
        accounts.authenticate(staffed, "li", "clerk-pass", now=T0)


def test_the_head_resets_a_locked_out_clerks_password(staffed):
    for _ in range(5):
        with pytest.raises(AuthError):
            accounts.authenticate(staffed, "li", "guess", now=T0)
    assert [u.locked_until for u in accounts.list_users(staffed) if u.username == "li"][0]
    info = accounts.reset_password(staffed, "li", "fresh-pass")
    assert info.locked_until is None and info.failed_attempts == 0
    assert accounts.authenticate(staffed, "li", "fresh-pass", now=T0).role == "clerk"
    with pytest.raises(PermissionDenied, match="修改密码"):
        accounts.reset_password(staffed, "zhang", "fresh-pass")  # one's own: change it instead


def test_usernames_are_unique_whatever_the_case(staffed):
    with pytest.raises(DuplicateRecord, match="已经存在"):
        accounts.create_user(staffed, "LI", "", "clerk", "clerk-pass")
    with pytest.raises(ValidationError, match="角色"):
        accounts.create_user(staffed, "zhao", "", "boss", "clerk-pass")
    with pytest.raises(ValidationError, match="空格"):
        accounts.create_user(staffed, "zhao qian", "", "clerk", "clerk-pass")


def test_the_last_head_stays(staffed):
    with pytest.raises(PermissionDenied, match="当前登录"):
        accounts.set_active(staffed, "zhang", False)
    with pytest.raises(PermissionDenied, match="唯一的所长"):
        accounts.set_role(staffed, "zhang", "clerk")
    accounts.set_role(staffed, "li", "head")
    accounts.set_role(staffed, "zhang", "clerk")  # another head exists now
    assert {u.username: u.role for u in accounts.list_users(staffed)}["zhang"] == "clerk"


# ---------------------------------------------------------------- roles


def test_a_viewer_may_read_but_not_write(staffed):
    staffed.actor = accounts.authenticate(staffed, "wang", "viewer-pass", now=T0)
    authz.require(staffed, authz.READ)
    with pytest.raises(PermissionDenied) as refused:
        authz.require_writer(staffed)
    assert str(refused.value) == "当前账号（查询）没有修改数据的权限。"
    assert not authz.can(staffed, "clerk") and authz.can(staffed, "viewer")


@pytest.mark.parametrize("username, password", [("li", "clerk-pass"), ("wang", "viewer-pass")])
def test_only_the_head_manages_users_reopens_and_restores(staffed, username, password):
    staffed.actor = accounts.authenticate(staffed, username, password, now=T0)
    role_name = "经办员" if username == "li" else "查询"
    with pytest.raises(PermissionDenied, match=f"当前账号（{role_name}）没有管理账号的权限，请由所长操作"):
        accounts.create_user(staffed, "zhao", "", "clerk", "clerk-pass")
    for call in (lambda: accounts.reset_password(staffed, "zhang", "whatever-1"),
                 lambda: accounts.set_active(staffed, "zhang", False),
                 lambda: accounts.set_role(staffed, "wang", "head"),
                 lambda: accounts.unlock(staffed, "zhang")):
        with pytest.raises(PermissionDenied):
            call()
    for action in (authz.REOPEN, authz.RESTORE, "head"):
        with pytest.raises(PermissionDenied):
            authz.require_head(staffed, action)
    assert accounts.current_user(staffed).username == username


def test_the_clerk_writes_and_the_head_does_everything(staffed):
    authz.require_head(staffed)
    authz.require_head(staffed, authz.REOPEN)
    staffed.actor = accounts.authenticate(staffed, "li", "clerk-pass", now=T0)
    authz.require_writer(staffed)
    authz.require(staffed, authz.BACKUP)
    assert authz.can(Actor("x", "head"), authz.RESTORE)
    with pytest.raises(ValueError):
        authz.require(staffed, "fly")
    with pytest.raises(ValueError):
        authz.require_head(staffed, authz.WRITE)


# ---------------------------------------------------------------- command line


def test_cli_user_add_list_reset(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "station.db")
    monkeypatch.setattr("sys.stdin", io.StringIO("head-pass\n"))
    assert main(["user", "add", "zhang", "--role", "head", "--display-name", "张所长",
                 "--password-stdin", "--db", db]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("clerk-pass\n"))
    assert main(["--db", db, "user", "add", "li", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("abc\n"))
    assert main(["user", "add", "wang", "--password-stdin", "--db", db]) == 2
    assert "至少需要 6 个字符" in capsys.readouterr().err
    assert main(["user", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "zhang" in listed and "所长" in listed and "li" in listed and "经办员" in listed
    monkeypatch.setattr("sys.stdin", io.StringIO("new-clerk-pass\n"))
    assert main(["user", "reset", "li", "--password-stdin", "--db", db]) == 0

    from laborstation.db import open_store

    store = open_store(db)
    try:
        assert accounts.authenticate(store, "li", "new-clerk-pass").role == "clerk"
    finally:
        store.close()


def test_a_very_long_unknown_name_is_refused_not_a_crash(store):
    with pytest.raises(AuthError, match="用户名或密码错误"):
        accounts.authenticate(store, "x" * 200, "whatever", now=T0)
    assert _audit(store, "loginfail")[0].user_name == "x" * 40
