"""An unexpected error's traceback, kept for support in the data folder's ``logs``.

The clerk never sees a traceback: the command line and the window show a Chinese
message that names the log file (``internal_error_message``).
"""

from __future__ import annotations

import logging
import traceback
from datetime import datetime

log = logging.getLogger(__name__)


def write_crash_log() -> str:
    """The traceback being handled, written to a new log file; the file's path, or ''
    when it could not be written (a full disk, a data folder gone): the message then
    names no file, and the original error is still reported."""
    from laborstation.config import data_dir

    try:
        path = data_dir() / "logs" / f"error-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
        return str(path)
    except OSError:
        log.exception("could not write the crash log")
        return ""


def internal_error_message(log_path: str, what: str = "操作未完成") -> str:
    """程序内部错误，<what>。详细信息已写入 <log>。请联系技术支持。"""
    details = f"详细信息已写入 {log_path}。" if log_path else ""
    return f"程序内部错误，{what}。{details}请联系技术支持。"
