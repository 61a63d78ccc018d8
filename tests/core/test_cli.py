"""The command line as a clerk or a script runs it: exit codes and messages, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from laborstation import __version__
from laborstation.cli import main


def run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "laborstation", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_check_passes_on_a_new_database(tmp_path, capsys):
    from laborstation.db import open_store

    open_store(tmp_path / "s.db").close()
    assert main(["check", "--db", str(tmp_path / "s.db")]) == 0
    out = capsys.readouterr().out
    assert "检查通过" in out and "person" in out


def test_db_may_come_before_the_command(tmp_path, capsys):
    from laborstation.db import open_store

    open_store(tmp_path / "s.db").close()
    assert main(["--db", str(tmp_path / "s.db"), "check"]) == 0


def test_check_of_a_missing_file_is_a_clerk_error(tmp_path):
    result = run_cli("check", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 2
    assert "数据库文件不存在" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_check_of_a_damaged_file_says_so_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00garbage" * 500)
    result = run_cli("check", "--db", str(bad))
    assert result.returncode == 2
    assert "不是数据库或已损坏" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_reports_a_database_behind_the_program(tmp_path, capsys):
    import sqlite3

    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
    connection.commit()
    connection.close()
    assert main(["check", "--db", str(path)]) == 1
    assert "结构版本" in capsys.readouterr().out


def test_database_from_the_environment(tmp_path, capsys, monkeypatch):
    from laborstation.db import open_store

    open_store(tmp_path / "env.db").close()
    monkeypatch.setenv("LABORSTATION_DB", str(tmp_path / "env.db"))
    assert main(["check"]) == 0
    assert str(tmp_path / "env.db") in capsys.readouterr().out


def test_an_unknown_command_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2


def test_an_unexpected_failure_is_logged_not_shown(tmp_path, monkeypatch, capsys):
    import laborstation.commands.check as check

    def broken(args):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(check, "run", broken)
    assert main(["check", "--db", str(tmp_path / "x.db")]) == 3
    err = capsys.readouterr().err
    assert "程序内部错误" in err and "Traceback" not in err


def test_the_crash_log_holds_the_traceback_and_the_message_names_it(tmp_path, monkeypatch,
                                                                      capsys):
    import laborstation.commands.check as check

    monkeypatch.setenv("LABORSTATION_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(check, "run", lambda args: 1 / 0)
    assert main(["check", "--db", str(tmp_path / "x.db")]) == 3
    err = capsys.readouterr().err
    logs = list((tmp_path / "data" / "logs").glob("error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")


def test_a_crash_log_that_cannot_be_written_still_gives_the_message(tmp_path, monkeypatch,
                                                                    capsys):
    import laborstation.commands.check as check

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("LABORSTATION_DATA", str(blocked))
    monkeypatch.setattr(check, "run", lambda args: 1 / 0)
    assert main(["check", "--db", str(tmp_path / "x.db")]) == 3
    err = capsys.readouterr().err
    assert "程序内部错误，操作未完成。请联系技术支持。" in err
    assert "Traceback" not in err and "详细信息" not in err


def test_output_a_gbk_console_cannot_show_does_not_fail_the_command(tmp_path):
    """Windows writes redirected output in GBK: 𠮷 in a folder's name is not in it."""
    import os
    import subprocess
    import sys

    db = tmp_path / "吉田 𠮷" / "station.db"
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "LABORSTATION_DATA": str(tmp_path)}
    run = [sys.executable, "-m", "laborstation", "--db", str(db)]
    made = subprocess.run([*run, "station", "--name", "城关镇", "--code", "410926100000"],
                          env=env, capture_output=True)
    assert made.returncode == 0, made.stderr.decode("gbk", "replace")
    backup = subprocess.run([*run, "backup"], env=env, capture_output=True)
    assert backup.returncode == 0, backup.stderr.decode("gbk", "replace")
    assert "已备份到".encode("gbk") in backup.stdout and b"?" in backup.stdout
    assert list((db.parent / "backups").glob("*.db"))


def test_output_cut_short_by_a_reader_is_no_internal_error(tmp_path, monkeypatch, capsys):
    """laborstation check | head: the reader closed the pipe before all was printed."""
    import io
    import os

    from laborstation.db import open_store

    open_store(tmp_path / "a.db").close()
    read, write = os.pipe()
    os.close(read)  # (the reader is gone)
    closed = io.TextIOWrapper(io.FileIO(write, "w"), encoding="utf-8", write_through=True)
    monkeypatch.setattr("sys.stdout", closed)
    assert main(["--db", str(tmp_path / "a.db"), "check"]) == 1
    assert "程序内部错误" not in capsys.readouterr().err
