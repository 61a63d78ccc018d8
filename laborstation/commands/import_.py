"""``laborstation import KIND FILE``: import a ledger clerks already keep.

Exit codes: 0 every row imported (or unchanged), 1 some rows refused, 2 the file
could not be read (nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path

NAME = "import"
SHOWN_NOTES = 50
HELP = "导入已有台账：persons 实名制台账、placements 转移就业花名册、trainings 培训花名册"


def configure(parser) -> None:
    parser.add_argument("kind", choices=["persons", "placements", "trainings"],
                        help="台账类型")
    parser.add_argument("file", type=Path, help=".xlsx / .xlsm / .xls / .ods / .csv 文件")
    parser.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入")
    parser.add_argument("--all-or-nothing", action="store_true",
                        help="有任何一行错误就整批不导入")
    parser.add_argument("--overwrite", action="store_true",
                        help="已有人员的信息用表中的值覆盖（默认只补填空项）")
    parser.add_argument("--report", type=Path, metavar="ERRORS.xlsx",
                        help="把出错的行连同原因写入这个 .xlsx，改正后可直接再次导入")
    parser.add_argument("--quiet", action="store_true", help="不显示进度")


def _progress(step) -> None:
    shown = f"{step.message} {step.done}/{step.total}" if step.total else step.message
    print(f"\r{shown}", end="", file=sys.stderr, flush=True)


def run(args) -> int:
    from laborstation.db import open_store
    from laborstation.importing import plan_import, run_import, write_error_report
    from laborstation.progress import run_to_end

    store = open_store(args.db, must_exist=True)
    try:
        plan = plan_import(store, args.kind, args.file)
        print(plan.describe())
        print()
        result = run_to_end(
            run_import(store, plan, dry_run=args.dry_run, all_or_nothing=args.all_or_nothing,
                       overwrite=args.overwrite),
            None if args.quiet else _progress,
        )
    finally:
        store.close()
    if not args.quiet:
        print("", file=sys.stderr)
    notes = list(result.notes())
    for sheet, row, kind, text in notes[:SHOWN_NOTES]:
        print(f"{kind} 「{sheet}」第 {row} 行：{text}")
    if len(notes) > SHOWN_NOTES:
        print(f"……另有 {len(notes) - SHOWN_NOTES} 条提示未显示（出错的行见错误报告）")
    print(result.summary())
    if args.report is not None and result.errors:
        write_error_report(result, args.report)
        print(f"出错的 {result.errors} 行已写入 {args.report}：改正后可直接再次导入该文件。")
    return 1 if result.errors else 0
