"""resource_path finds the data files from a checkout, an installed wheel and a bundle."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from laborstation import resources

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_lookup():
    resources.resources_dir.cache_clear()
    yield
    resources.resources_dir.cache_clear()


def test_resource_path_finds_nation_csv():
    path = resources.resource_path("codes", "nation.csv")
    assert path.is_file()
    assert path.read_text(encoding="utf-8").startswith("code,name")


def test_wheel_layout_matches_pyproject_force_include():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    target = wheel["force-include"]["resources"]
    assert "laborstation" in wheel["packages"]
    # the installed package dir is <site-packages>/laborstation: its _resources is the target
    site = resources._PACKAGE_DIR.parent
    assert site / target in resources._candidates()


def _fake_install(root: Path) -> Path:
    codes = root / "codes"
    codes.mkdir(parents=True)
    (codes / "nation.csv").write_text("code,name\n01,汉族\n", encoding="utf-8")
    return root


def test_installed_wheel_finds_its_resources(tmp_path, monkeypatch, fresh_lookup):
    package = tmp_path / "site-packages" / "laborstation"
    _fake_install(package / "_resources")
    monkeypatch.setattr(resources, "_PACKAGE_DIR", package)
    assert resources.resource_path("codes", "nation.csv") == (
        package / "_resources" / "codes" / "nation.csv"
    )


def test_frozen_bundle_finds_its_resources(tmp_path, monkeypatch, fresh_lookup):
    _fake_install(tmp_path / "bundle" / "resources")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    assert resources.resources_dir() == tmp_path / "bundle" / "resources"


def test_missing_resources_says_so_in_chinese(tmp_path, monkeypatch, fresh_lookup):
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "nowhere" / "laborstation")
    with pytest.raises(FileNotFoundError, match="资源"):
        resources.resources_dir()
