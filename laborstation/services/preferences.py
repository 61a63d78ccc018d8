"""Small station settings kept in the ``setting`` table (key/value text).

The station's own settings (name, code) are in ``services.station``; this is the
generic get/set for the rest, such as the idle time after which the program locks.
"""

from __future__ import annotations

from laborstation.errors import ValidationError
from laborstation.model.system import Setting
from laborstation.services import authz

IDLE_LOCK_KEY = "idle_lock_minutes"
IDLE_LOCK_DEFAULT = 15
IDLE_LOCK_RANGE = (1, 240)


def get_setting(store, key: str, default: str | None = None) -> str | None:
    with store.reading() as session:
        row = session.get(Setting, key)
        return row.value if row is not None else default


def set_setting(store, key: str, value: str) -> None:
    """Write one setting (the head only, as other station settings)."""
    authz.require_head(store, authz.SETTINGS)
    with store.session() as session:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=str(value)))
        else:
            row.value = str(value)


def idle_lock_minutes(store) -> int:
    """Minutes without keyboard or mouse before the program locks (default 15)."""
    try:
        minutes = int(get_setting(store, IDLE_LOCK_KEY, "") or IDLE_LOCK_DEFAULT)
    except ValueError:
        return IDLE_LOCK_DEFAULT
    low, high = IDLE_LOCK_RANGE
    return min(max(minutes, low), high)


def set_idle_lock_minutes(store, minutes: int) -> int:
    low, high = IDLE_LOCK_RANGE
    if not low <= int(minutes) <= high:
        raise ValidationError(f"闲置锁定时间应在 {low} 到 {high} 分钟之间。", "idle_lock_minutes")
    set_setting(store, IDLE_LOCK_KEY, str(int(minutes)))
    return int(minutes)
