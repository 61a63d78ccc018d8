"""Find the data files in ``resources/`` the same way from every kind of install.

- source checkout or editable install: ``<repo>/resources``
- installed wheel: ``laborstation/_resources`` (hatch force-include maps it there)
- frozen bundle (PyInstaller): ``<sys._MEIPASS>/resources``
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    found = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        found.append(Path(frozen_root) / "resources")
    found.append(_PACKAGE_DIR / "_resources")
    found.append(_PACKAGE_DIR.parent / "resources")
    return found


@cache
def resources_dir() -> Path:
    for candidate in _candidates():
        if (candidate / "codes").is_dir():
            return candidate
    raise FileNotFoundError("找不到程序的资源文件夹 resources/，请重新安装程序。")


def resource_path(*parts: str) -> Path:
    """The path of a resource file, e.g. ``resource_path("codes", "nation.csv")``."""
    return resources_dir().joinpath(*parts)
