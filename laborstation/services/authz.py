"""Role checks: what the head (所长), a clerk (经办员) and a viewer (查询) may do.

The check lives in the core services, not only in hidden buttons: a service
that writes calls ``require_writer(store)`` before it opens its session, a
head-only action calls ``require_head(store)`` (or ``require(store, ACTION)``).
The actor is ``store.actor`` (set by the GUI after login; the CLI and scripts
run as the built-in ``system`` actor, which has the head's rights).
"""

from __future__ import annotations

from laborstation.errors import PermissionDenied
from laborstation.model.system import CLERK, HEAD, ROLE_NAMES, VIEWER

READ = "read"
WRITE = "write"
BACKUP = "backup"
MANAGE_USERS = "manage_users"
REOPEN = "reopen"
RESTORE = "restore"
SETTINGS = "settings"

#: Which roles may do each action.
ALLOWED: dict[str, frozenset[str]] = {
    READ: frozenset({HEAD, CLERK, VIEWER}),
    WRITE: frozenset({HEAD, CLERK}),
    BACKUP: frozenset({HEAD, CLERK}),
    MANAGE_USERS: frozenset({HEAD}),
    REOPEN: frozenset({HEAD}),
    RESTORE: frozenset({HEAD}),
    SETTINGS: frozenset({HEAD}),
}

#: What the clerk is told the action is ("没有……的权限").
ACTION_NAMES = {
    READ: "查看数据",
    WRITE: "修改数据",
    BACKUP: "备份数据",
    MANAGE_USERS: "管理账号",
    REOPEN: "重新打开已上报月份",
    RESTORE: "恢复备份",
    SETTINGS: "修改单位设置",
}

# A role name given to require() means "this role or a higher one".
_ROLE_AS_ACTION = {VIEWER: READ, CLERK: WRITE, HEAD: MANAGE_USERS}


def _actor(store_or_actor):
    return getattr(store_or_actor, "actor", store_or_actor)


def _action(role_or_action: str) -> str:
    action = _ROLE_AS_ACTION.get(role_or_action, role_or_action)
    if action not in ALLOWED:
        raise ValueError(f"unknown role or action: {role_or_action!r}")
    return action


def can(store_or_actor, role_or_action: str) -> bool:
    """May the current actor do this? (For the GUI to grey out what would be refused.)"""
    return _actor(store_or_actor).role in ALLOWED[_action(role_or_action)]


def require(store_or_actor, role_or_action: str) -> None:
    """Raise ``PermissionDenied`` (Chinese message) unless the actor may do this.

    ``role_or_action`` is an action (``WRITE``, ``REOPEN``, ...) or a role
    (``"clerk"`` = head or clerk, ``"head"`` = head only).
    """
    action = _action(role_or_action)
    role = _actor(store_or_actor).role
    if role in ALLOWED[action]:
        return
    role_name = ROLE_NAMES.get(role, role or "未登录")
    hint = "，请由所长操作" if ALLOWED[action] == {HEAD} else ""
    raise PermissionDenied(f"当前账号（{role_name}）没有{ACTION_NAMES[action]}的权限{hint}。")


def require_writer(store_or_actor) -> None:
    """The head or a clerk: any service that changes data."""
    require(store_or_actor, WRITE)


def require_head(store_or_actor, action: str = MANAGE_USERS) -> None:
    """The head only: users, reopening a period, restoring a backup, station settings."""
    if ALLOWED[_action(action)] != {HEAD}:
        raise ValueError(f"{action!r} is not a head-only action")
    require(store_or_actor, action)
