"""The command line: ``laborstation [--db DB] [COMMAND ...]``.

With no command it starts the GUI. Each command lives in its own module under
``laborstation.commands`` with ``NAME``, ``HELP``, ``configure(parser)`` and
``run(args) -> int``; this module finds them, so adding a command touches no
other file. A clerk's mistake (``UserError``) prints one Chinese line and exits
2; anything unexpected is written to a log file, never shown as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

import laborstation.commands
from laborstation import __version__
from laborstation.crash_log import internal_error_message, write_crash_log
from laborstation.errors import UserError


def _command_modules():
    names = sorted(info.name for info in pkgutil.iter_modules(laborstation.commands.__path__))
    for name in names:
        if name.startswith("_"):
            continue
        module = importlib.import_module(f"laborstation.commands.{name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            yield module


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laborstation",
        description="乡镇劳动保障所 实名制台账、培训、转移就业与月报程序。不带子命令时启动图形界面。",
    )
    parser.add_argument("--version", action="version", version=f"LaborStation {__version__}")
    parser.add_argument(
        "--db", default=None,
        help="数据库文件路径或 URL（默认：用户数据文件夹中的 station.db；也可用环境变量 LABORSTATION_DB）",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        # --db may also follow the command; SUPPRESS keeps a value given before it.
        sub.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件路径或 URL")
        module.configure(sub)
        sub.set_defaults(handler=module.run)
    return parser


def _printable_anywhere() -> None:
    """Output that the console's code page cannot show (GBK, when Windows output is
    redirected to a file) is printed with ? instead of failing the command after its
    work was done."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):  # (a stream replaced by one without it)
            pass


def main(argv: list[str] | None = None) -> int:
    _printable_anywhere()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "handler", None) is None:
            return _start_gui(args)
        return int(args.handler(args) or 0)
    except UserError as error:
        print(f"错误：{error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # (laborstation check | head: the reader stopped reading)
        _quiet_stdout()
        return 1  # (as Python's own documentation has it for a broken pipe)
    except Exception:
        print(internal_error_message(write_crash_log()), file=sys.stderr)
        return 3


def _quiet_stdout() -> None:
    """Standard output sent nowhere from now on: Python's flush at exit would fail again
    on the closed pipe (and print a traceback)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _start_gui(args) -> int:
    from laborstation._gui import GuiUnavailable, start

    try:
        return start(args.db)
    except GuiUnavailable as error:
        print(f"无法启动图形界面：{error}。可使用子命令（laborstation --help）。", file=sys.stderr)
        return 2
