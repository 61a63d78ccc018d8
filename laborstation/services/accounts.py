"""User accounts: the first head (所长), logins with lockout, passwords, roles.

``authenticate`` returns an ``Actor`` and sets nothing global: the caller puts
it in ``store.actor``. Five wrong passwords in a row lock the account for five
minutes. Logins and failed logins are audited (actions ``login``,
``loginfail``); changes to accounts are audited by the store like any row,
with the password hash shown as ``***``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborstation.db import audit
from laborstation.db.store import Actor
from laborstation.errors import (
    DuplicateRecord,
    NotFound,
    PermissionDenied,
    UserError,
    ValidationError,
)
from laborstation.model.system import HEAD, ROLE_NAMES, User
from laborstation.services import authz
from laborstation.services.passwords import burn_time, check_policy, hash_password, verify_password

MAX_FAILED = 5
LOCK_MINUTES = 5
USERNAME_MAX = 40


class AuthError(UserError):
    """A refused login: wrong name or password, a locked or a disabled account."""

    def __init__(self, message: str, *, attempts_left: int | None = None,
                 locked_minutes: int | None = None):
        super().__init__(message)
        self.attempts_left = attempts_left
        self.locked_minutes = locked_minutes


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.display_name, user.role, bool(user.active),
                    user.failed_attempts or 0, user.locked_until, user.last_login_at)


def _find(session: Session, username: str) -> User | None:
    name = username.strip().lower()
    return session.scalar(select(User).where(func.lower(User.username) == name))


def _get(session: Session, username: str) -> User:
    user = _find(session, username)
    if user is None:
        raise NotFound(f"没有账号“{username}”。")
    return user


def _clean_username(username: str) -> str:
    name = (username or "").strip()
    if not name:
        raise ValidationError("请填写用户名。", "username")
    if len(name) > USERNAME_MAX or any(ch.isspace() for ch in name):
        raise ValidationError(f"用户名“{name}”不能含空格，最多 {USERNAME_MAX} 个字符。", "username")
    return name


def _check_role(role: str) -> None:
    if role not in ROLE_NAMES:
        choices = "、".join(f"{code}（{name}）" for code, name in ROLE_NAMES.items())
        raise ValidationError(f"角色“{role}”无效，可选：{choices}。", "role")


def _active_heads(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == HEAD, User.active.is_(True))) or 0


def has_users(store) -> bool:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(User)) > 0


def list_users(store) -> list[UserInfo]:
    with store.reading() as session:
        return [_info(u) for u in session.scalars(select(User).order_by(User.id))]


def current_user(store) -> UserInfo | None:
    """The account of ``store.actor`` (None for the built-in ``system`` actor)."""
    with store.reading() as session:
        user = _find(session, store.actor.name)
        return _info(user) if user else None


def create_first_head(store, username: str, display_name: str, password: str) -> UserInfo:
    """The head's account on the first run; refused once any account exists."""
    name = _clean_username(username)
    check_policy(password)
    with store.session() as session:
        session.info["actor"] = name
        if session.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied("已经建立了账号，不能再创建第一个所长账号。请用所长账号登录后管理账号。")
        user = User(username=name, display_name=display_name.strip() or name, role=HEAD,
                    password_hash=hash_password(password), failed_attempts=0, active=True)
        session.add(user)
        session.flush()
        return _info(user)


def create_user(store, username: str, display_name: str, role: str, password: str) -> UserInfo:
    authz.require_head(store)
    name = _clean_username(username)
    _check_role(role)
    check_policy(password)
    with store.session() as session:
        existing = _find(session, name)
        if existing is not None:
            raise DuplicateRecord(f"账号“{existing.username}”已经存在。", existing.id)
        user = User(username=name, display_name=display_name.strip() or name, role=role,
                    password_hash=hash_password(password), failed_attempts=0, active=True)
        session.add(user)
        session.flush()
        return _info(user)


def authenticate(store, username: str, password: str, *, now: datetime | None = None) -> Actor:
    """Check a login; return the ``Actor`` to put in ``store.actor``, or raise ``AuthError``.

    The failed-attempt count is committed even though the login is refused,
    so the error is raised after the session has ended.
    """
    now = now or datetime.now()
    error: AuthError | None = None
    with store.session(audit_changes=False) as session:
        typed = username.strip()[:USERNAME_MAX]  # audit columns are 40 characters
        session.info["actor"] = typed
        user = _find(session, username)
        if user is None:
            burn_time(password)
            audit.record(session, "loginfail", "app_user", None, "username", None, typed)
            error = AuthError("用户名或密码错误。")
        else:
            session.info["actor"] = user.username
            error = _check_login(session, user, password, now)
    if error is not None:
        raise error
    return Actor(user.username, user.role)


def _check_login(session: Session, user: User, password: str, now: datetime) -> AuthError | None:
    if user.locked_until is not None and now < user.locked_until:
        minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
        audit.record(session, "loginfail", "app_user", user.id, "locked_until", None,
                     user.locked_until.isoformat(sep=" "))
        return AuthError(f"账号“{user.username}”因连续输错密码已锁定，请 {minutes} 分钟后再试。",
                         locked_minutes=minutes)
    if user.locked_until is not None:  # the lock has run out
        user.locked_until, user.failed_attempts = None, 0
    if not verify_password(password, user.password_hash):
        user.failed_attempts = (user.failed_attempts or 0) + 1
        left = MAX_FAILED - user.failed_attempts
        audit.record(session, "loginfail", "app_user", user.id, "failed_attempts", None,
                     str(user.failed_attempts))
        if left <= 0:
            user.failed_attempts = 0
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            return AuthError(f"密码错误。已连续输错 {MAX_FAILED} 次，账号“{user.username}”"
                             f"锁定 {LOCK_MINUTES} 分钟。", attempts_left=0,
                             locked_minutes=LOCK_MINUTES)
        return AuthError(f"用户名或密码错误，还可以再试 {left} 次"
                         f"（连续输错 {MAX_FAILED} 次将锁定 {LOCK_MINUTES} 分钟）。",
                         attempts_left=left)
    if not user.active:
        audit.record(session, "loginfail", "app_user", user.id, "active", None, "否")
        return AuthError(f"账号“{user.username}”已停用，请联系所长。")
    user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
    audit.record(session, "login", "app_user", user.id)
    return None


def change_password(store, old_password: str, new_password: str) -> None:
    """The logged-in user changes their own password."""
    check_policy(new_password)
    with store.session() as session:
        user = _find(session, store.actor.name)
        if user is None:
            raise PermissionDenied("请先用自己的账号登录，再修改密码。")
        if not verify_password(old_password, user.password_hash):
            raise AuthError("原密码不正确，密码未修改。")
        user.password_hash = hash_password(new_password)


def reset_password(store, username: str, new_password: str) -> UserInfo:
    """The head sets a new password for another account (and lifts its lock)."""
    authz.require_head(store)
    check_policy(new_password)
    with store.session() as session:
        user = _get(session, username)
        if user.username == store.actor.name:
            raise PermissionDenied("不能重置自己的密码，请用“修改密码”。")
        user.password_hash = hash_password(new_password)
        user.failed_attempts, user.locked_until = 0, None
        session.flush()
        return _info(user)


def unlock(store, username: str) -> UserInfo:
    """The head lifts a lockout before its five minutes are up."""
    authz.require_head(store)
    with store.session() as session:
        user = _get(session, username)
        user.failed_attempts, user.locked_until = 0, None
        session.flush()
        return _info(user)


def set_active(store, username: str, active: bool) -> UserInfo:
    """Disable or re-enable an account (accounts are never deleted: the audit log names them)."""
    authz.require_head(store)
    with store.session() as session:
        user = _get(session, username)
        if not active and user.username == store.actor.name:
            raise PermissionDenied("不能停用当前登录的账号。")
        if not active and user.role == HEAD and user.active and _active_heads(session) <= 1:
            raise PermissionDenied("这是唯一的所长账号，不能停用。")
        user.active = active
        session.flush()
        return _info(user)


def set_role(store, username: str, role: str) -> UserInfo:
    authz.require_head(store)
    _check_role(role)
    with store.session() as session:
        user = _get(session, username)
        if user.role == HEAD and role != HEAD and user.active and _active_heads(session) <= 1:
            raise PermissionDenied("这是唯一的所长账号，不能改为其他角色。")
        user.role = role
        session.flush()
        return _info(user)
