"""``laborstation user``: accounts for scripts and for rescue (a forgotten head password).

The CLI runs as the built-in ``system`` actor, which has the head's rights:
whoever can run it can already copy the database file.
"""

from __future__ import annotations

import argparse

NAME = "user"
HELP = "管理账号：add 新建、list 列出、reset 重置密码、unlock 解除锁定、disable/enable 停用/启用"


def configure(parser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str):
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件路径或 URL")
        return sub

    add = action("add", "新建账号")
    add.add_argument("username", help="用户名（登录时输入）")
    add.add_argument("--role", default="clerk", choices=["head", "clerk", "viewer"],
                     help="角色：head 所长，clerk 经办员（默认），viewer 查询")
    add.add_argument("--display-name", default="", help="显示的姓名")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（第一行）")
    action("list", "列出账号")
    reset = action("reset", "重置账号的密码（并解除锁定）")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码（第一行）")
    for name, text in (("unlock", "解除账号锁定"), ("disable", "停用账号"), ("enable", "启用账号")):
        action(name, text).add_argument("username")


def _password(from_stdin: bool) -> str:
    import sys

    from laborstation.errors import ValidationError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from getpass import getpass

    first = getpass("密码：")
    if getpass("再输入一次：") != first:
        raise ValidationError("两次输入的密码不一致。", "password")
    return first


def _show(info) -> str:
    state = "正常" if info.active else "已停用"
    if info.locked_until is not None:
        state += f"，锁定至 {info.locked_until:%H:%M}"
    last = f"{info.last_login_at:%Y-%m-%d %H:%M}" if info.last_login_at else "从未登录"
    return f"{info.username:<12} {info.display_name:<8} {info.role_name:<4} {state:<10} 最近登录：{last}"


def run(args) -> int:
    from laborstation.db import open_store
    from laborstation.services import accounts

    store = open_store(args.db)
    try:
        if args.action == "list":
            users = accounts.list_users(store)
            if not users:
                print("还没有账号。用 laborstation user add 用户名 --role head 建立所长账号。")
            for info in users:
                print(_show(info))
            return 0
        if args.action == "add":
            info = accounts.create_user(store, args.username, args.display_name, args.role,
                                        _password(args.password_stdin))
            print(f"已建立账号：{_show(info)}")
        elif args.action == "reset":
            info = accounts.reset_password(store, args.username, _password(args.password_stdin))
            print(f"已重置密码：{_show(info)}")
        elif args.action == "unlock":
            print(f"已解除锁定：{_show(accounts.unlock(store, args.username))}")
        else:
            info = accounts.set_active(store, args.username, args.action == "enable")
            print(f"已{'启用' if info.active else '停用'}：{_show(info)}")
    finally:
        store.close()
    return 0
