"""``laborstation import KIND FILE``: import a ledger clerks already keep.

Exit codes: 0 every row imported (or unchanged), 1 some rows refused (also when the
error report could not be written: the import itself is kept and the clerk told so),
2 the file could not be read, or the report path is refused (nothing written).
A run that wrote nothing (``--dry-run``, ``--all-or-nothing`` with errors) says what
it would have done (将新增), as the import dialog does after a trial.
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
    parser.add_argument("--all-notes", action="store_true",
                        help=f"显示全部提示（默认只显示前 {SHOWN_NOTES} 条）")


def _progress(step) -> None:
    shown = f"{step.message} {step.fraction:.0%}" if step.total else step.message
    print(f"\r{shown}", end="", file=sys.stderr, flush=True)


def summary(result, all_or_nothing: bool = False) -> str:
    """The row accounting; for a run that wrote nothing, as what would have been done."""
    if result.written:
        lines = result.summary().splitlines()
        made = []
        if result.households_added:
            made.append(f"新建户 {result.households_added} 户。")
        if result.persons_added:
            made.append(f"台账中原来没有的 {result.persons_added} 人已新建。")
        lines[1:1] = made
        return "\n".join(lines)
    counts = f"将新增 {result.added}，将更新 {result.updated}，无变化 {result.unchanged}"
    refused = f"读取 {result.read} 行：错误 {result.errors}，空行/说明行 {result.blank}；"
    if not result.dry_run:
        lines = [f"没有写入任何数据：{result.discarded_reason.rstrip('。')}。",
                 f"{refused}改正出错的行后再导入，{counts}。"]
    elif all_or_nothing and result.errors:
        lines = ["试导入（--dry-run）：没有写入任何数据。",
                 f"{refused}有出错的行，正式导入（--all-or-nothing）将整批不导入；"
                 f"改正出错的行后再导入，{counts}。"]
    else:
        lines = ["试导入（--dry-run）：没有写入任何数据。",
                 f"读取 {result.read} 行：{counts}，错误 {result.errors}，"
                 f"空行/说明行 {result.blank}。"]
    if result.households_added:
        lines.append(f"将新建户 {result.households_added} 户。")
    if result.persons_added:
        lines.append(f"台账中原来没有的 {result.persons_added} 人将新建。")
    return "\n".join(lines + result.made_lines(future=True))


def _report_written(result, path, all_or_nothing: bool) -> str:
    head = f"出错的 {result.errors} 行已写入 {path}"
    if result.written:
        return head + "：改正后可直接导入该文件（其余的行已经导入）。"
    if result.dry_run and not all_or_nothing:
        return head + "：正式导入时出错的行不导入，改正后再导入该文件。"
    return head + "（供查看）：整批没有导入，请在原文件中改正出错的行，再导入原文件。"


def _report_failed(result) -> str:
    """What became of the import, for a clerk whose error report could not be written."""
    if result.written:
        return (f"注意：导入已经完成并保存（新增 {result.added}，更新 {result.updated}，"
                f"无变化 {result.unchanged}），只是出错的 {result.errors} 行没能写入错误报告。")
    return f"没有写入任何数据；出错的 {result.errors} 行也没能写入错误报告。"


def _write_report(result, path, all_or_nothing: bool) -> int:
    from laborstation.crash_log import internal_error_message, write_crash_log
    from laborstation.errors import UserError
    from laborstation.importing.report import write_error_report

    try:
        write_error_report(result, path)
    except UserError as error:  # the file open in Excel, the disk full, the folder gone
        print(f"{_report_failed(result)}\n错误：{error}", file=sys.stderr)
        return 1
    except Exception:
        print(f"{_report_failed(result)}\n"
              f"{internal_error_message(write_crash_log(), '错误报告未能写入')}", file=sys.stderr)
        return 3
    print(_report_written(result, path, all_or_nothing))
    return 1


def run(args) -> int:
    from laborstation.db import open_store
    from laborstation.importing import plan_import, run_import
    from laborstation.importing.apply import OVERWRITE_BOX
    from laborstation.importing.report import BadReportPath, check_report_path
    from laborstation.progress import run_to_end

    if args.report is not None:  # refused before anything is read or written
        try:
            check_report_path(args.report, args.file)
        except BadReportPath as error:
            raise BadReportPath(f"{error}本次没有导入任何数据。") from None
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
    shown = notes if args.all_notes else notes[:SHOWN_NOTES]
    for sheet, row, kind, text in shown:
        print(f"{kind} 「{sheet}」第 {row} 行：{text}")
    if len(notes) > len(shown):
        where = ("；出错的行见错误报告" if args.report is not None else
                 "；加 --report 文件名.xlsx 可把出错的行存成表格") if result.errors else ""
        print(f"……另有 {len(notes) - len(shown)} 条提示未显示（加 --all-notes 显示全部{where}）")
    if any(OVERWRITE_BOX in text or "覆盖导入" in text for *_where, text in notes):
        print(f"（命令行中“{OVERWRITE_BOX}”就是 --overwrite：加上它再导入一次即按表中的值改正）")
    print(summary(result, args.all_or_nothing))
    if plan.hidden_sheets:
        print(plan.hidden_line())
    if args.report is not None and result.errors:
        return _write_report(result, args.report, args.all_or_nothing)
    return 1 if result.errors else 0
