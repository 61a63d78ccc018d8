"""UI tests run offscreen; a tiny demo database is built once and copied per test."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import shutil  # noqa: E402

import pytest  # noqa: E402

from laborstation.db import open_store  # noqa: E402


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    from laborstation.demo import build_demo_file

    path = tmp_path_factory.mktemp("template") / "demo.db"
    build_demo_file(path, scale="tiny", seed=1)
    return path


@pytest.fixture
def demo_store(demo_template, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    store = open_store(path)
    yield store
    store.close()


@pytest.fixture
def window(qtbot, demo_store):
    from ui.app import application, open_main_window

    application()
    win = open_main_window(demo_store)
    qtbot.addWidget(win)
    win.tasks.show_errors = False
    yield win
    win.tasks.shutdown()


@pytest.fixture
def wait_tasks(qtbot):
    """Wait until the window's background work is done."""

    def wait(window, timeout=10_000):
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=timeout)

    return wait
