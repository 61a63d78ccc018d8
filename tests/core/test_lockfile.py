"""One writer: a second program is refused by name; a crashed holder's lock is taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap

import pytest

from laborstation.db import open_store
from laborstation.db.lockfile import DatabaseInUse, DatabaseLock, lock_path_for, read_holder

HOLDER = textwrap.dedent("""
    import sys
    from laborstation.db.lockfile import DatabaseLock
    lock = DatabaseLock(sys.argv[1]).acquire()
    print("held", flush=True)
    sys.stdin.read()  # hold until the test closes our stdin (or kills us)
    lock.release()
""")


def _holder(db_path):
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_second_program_is_refused_with_the_holders_machine_pid_and_time(tmp_path):
    db_path = tmp_path / "station.db"
    process = _holder(db_path)
    try:
        with pytest.raises(DatabaseInUse) as refused:
            DatabaseLock(db_path).acquire()
        message = str(refused.value)
        assert socket.gethostname() in message and str(process.pid) in message
        assert "自 " in message and "请先关闭那个程序" in message
        assert refused.value.holder["pid"] == process.pid
        with pytest.raises(DatabaseInUse):
            open_store(db_path, exclusive=True)
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    with DatabaseLock(db_path) as lock:  # released on exit: free again
        assert lock.stale_holder is None
        assert read_holder(lock.path)["pid"] == os.getpid()
    assert read_holder(lock_path_for(db_path)) == {}


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 semantics")
def test_a_lock_left_by_a_killed_program_is_stale_and_taken_over(tmp_path):
    db_path = tmp_path / "station.db"
    process = _holder(db_path)
    process.kill()
    process.wait(timeout=30)
    left = json.loads(lock_path_for(db_path).read_text(encoding="utf-8"))
    assert left["pid"] == process.pid  # the file still names the dead holder

    lock = DatabaseLock(db_path).acquire()
    try:
        assert lock.stale_holder["pid"] == process.pid
        assert read_holder(lock.path)["pid"] == os.getpid()
    finally:
        lock.release()


def test_the_gui_open_is_exclusive_until_close_and_the_cli_still_reads(tmp_path):
    db_path = tmp_path / "station.db"
    gui = open_store(db_path, exclusive=True)
    try:
        assert gui.lock is not None and gui.lock.held
        with pytest.raises(DatabaseInUse, match=str(os.getpid())):
            open_store(db_path, exclusive=True)
        cli = open_store(db_path)  # check/demo/scripts do not take the lock
        cli.close()
    finally:
        gui.close()
    assert gui.lock is None
    again = open_store(db_path, exclusive=True)
    again.close()


def test_a_lock_file_that_cannot_be_written_is_a_clear_error(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    (folder / "station.db.lock").mkdir()  # a folder where the lock file should be
    from laborstation.errors import StoreError

    with pytest.raises(StoreError, match="无法建立锁文件"):
        DatabaseLock(folder / "station.db").acquire()
