"""``laborstation restore FILE``: put a backup copy in place of the database (asks nothing).

The current database is first copied to its ``backups`` folder; the command
prints where. The program that has the database open must be closed first.
"""

from __future__ import annotations

NAME = "restore"
HELP = "用备份文件替换当前数据库（先把当前数据库另存为“恢复前备份”）；请先关闭正在使用该数据库的程序"


def configure(parser) -> None:
    parser.add_argument("file", nargs="?", help="备份文件（.db）")
    parser.add_argument("--list", action="store_true",
                        help="不恢复，只列出数据库旁 backups 文件夹中的备份（最新的在前）")


def run(args) -> int:
    from laborstation.commands.backup import describe
    from laborstation.config import database_url
    from laborstation.db.backup import is_server_url, list_backups, sqlite_file_of
    from laborstation.db.restore import restore_backup
    from laborstation.errors import UserError

    url = database_url(args.db)
    if is_server_url(url):
        raise UserError("当前使用数据库服务器（PostgreSQL）：请使用数据库服务器的 pg_restore 恢复。")
    db_path = sqlite_file_of(url)
    if args.list:
        backups = list_backups(db_path)
        if not backups:
            print("没有备份。")
        for info in backups:
            print(describe(info))
        return 0
    if not args.file:
        raise UserError("请给出要恢复的备份文件，或用 --list 列出已有备份。")
    result = restore_backup(args.file, db_path)
    if result.safety_copy is not None:
        print(f"当前数据库已先另存为 {describe(result.safety_copy)}")
    print(f"已从 {describe(result.restored_from)} 恢复到 {result.db_path}")
    return 0
