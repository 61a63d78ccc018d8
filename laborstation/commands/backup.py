"""``laborstation backup``: copy the database file now (the SQLite online backup API)."""

from __future__ import annotations

NAME = "backup"
HELP = "立即备份数据库文件（默认存入数据库旁的 backups 文件夹；--out 指定文件或文件夹，如U盘）"


def configure(parser) -> None:
    parser.add_argument("--out", default=None,
                        help="备份到这个文件（.db）或这个文件夹（例如U盘上的文件夹）")


def describe(info) -> str:
    """One line for a backup copy: file, time, size and what it holds."""
    size = f"{info.size / 1_048_576:.1f} MB"
    counts = ""
    if info.counts is not None:
        c = info.counts
        counts = f"，人员 {c.persons:,}，户 {c.households:,}，转移就业 {c.placements:,}"
    return f"{info.path}（{info.made_at:%Y-%m-%d %H:%M:%S}，{info.reason_name}，{size}{counts}）"


def run(args) -> int:
    from pathlib import Path

    from laborstation.config import database_url
    from laborstation.db.backup import make_backup, sqlite_file_of, thin_backups

    source = sqlite_file_of(database_url(args.db))
    if args.out is None:
        info = make_backup(source, reason="manual")
        removed = thin_backups(info.path.parent, info.made_at)
        print(f"已备份到 {describe(info)}")
        if removed:
            print(f"按保留规则清理了 {len(removed)} 个旧备份。")
        return 0
    out = Path(args.out).expanduser()
    # A name without an ending (U盘\\2026年 备份) is a folder, made if need be: a file of
    # that name would be a backup no one could tell for one.
    if out.is_dir() or str(args.out).endswith(("/", "\\")) or not out.suffix:
        info = make_backup(source, reason="manual", dest_dir=out)
    else:
        if out.resolve() == source.resolve():
            from laborstation.errors import UserError

            raise UserError("备份文件不能是数据库文件自身。")
        info = make_backup(source, reason="manual", dest_file=out)
    print(f"已备份到 {describe(info)}")
    return 0
