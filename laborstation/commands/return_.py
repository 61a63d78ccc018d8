"""``laborstation return YYYY-MM``: export, check, submit or reopen a period's return."""

from __future__ import annotations

NAME = "return"
HELP = "月报：导出 Excel（--out）、检查（--check）、报送并锁定（--submit）、退回修改（--reopen）"


def configure(parser) -> None:
    parser.add_argument("period", help="报告期，例如 2026-10")
    parser.add_argument("--out", help="导出的 Excel 文件路径（.xlsx）")
    parser.add_argument("--check", action="store_true", help="运行 V1–V7 检查并列出结果")
    parser.add_argument("--submit", action="store_true", help="检查无错误后导出并报送，锁定该期")
    parser.add_argument("--reopen", action="store_true", help="所长退回已报送的月报（记入审计）")
    parser.add_argument("--reason", default="", help="退回原因（与 --reopen 一起用）")
    parser.add_argument("--status", action="store_true", help="显示该期报送状态")


def _print_findings(findings) -> None:
    if not findings:
        print("检查通过：没有发现问题。")
        return
    for finding in findings:
        print(str(finding))
        for ref in finding.records[:50]:
            print(f"    - {ref.label}")  # (it names the record in words; table and id are not)
        total = getattr(finding.records, "total", len(finding.records))
        if total > 50:
            print(f"    …… 共 {total} 条")


def _print_status(status, period) -> None:
    if status is None:
        print(f"{period}：未报送。")
        return
    print(f"{status.period}：{status.status_name}（修订 {status.revision} 次）")
    if status.submitted_at:
        print(f"  报送：{status.submitted_by}  {status.submitted_at:%Y-%m-%d %H:%M:%S}")
        print(f"  文件 SHA-256：{status.file_sha256}")
    if status.reopened_at:
        print(f"  退回：{status.reopened_by}  {status.reopened_at:%Y-%m-%d %H:%M:%S}")


def run(args) -> int:
    from laborstation.db import open_store
    from laborstation.errors import ValidationError
    from laborstation.returns import submission
    from laborstation.returns.build import build_return
    from laborstation.returns.validation import check_return, errors
    from laborstation.xlsx_text import xlsx_path

    out = xlsx_path(args.out) if args.out else None
    store = open_store(args.db, must_exist=args.db is not None)
    try:
        if args.reopen:
            status = submission.reopen_return(store, args.period, reason=args.reason)
            print(f"已退回 {status.period} 月报，相关记录已解锁；下次导出将标为“修订”。")
            return 0
        if args.submit:
            if not out:
                raise ValidationError("报送需要同时用 --out 指定导出的文件。", "out")
            try:
                done = submission.submit_return(store, args.period, out)
            except submission.SubmissionRefused as refused:
                _print_findings(refused.findings)
                raise
            _print_findings(done.findings)
            print(f"已报送并锁定 {done.status.period}：{done.path}")
            print(f"文件 SHA-256：{done.file_sha256}")
            return 0
        if args.status:
            _print_status(submission.return_status(store, args.period), args.period)
            return 0
        code = 0
        if args.check:
            with store.reading() as session:
                data = build_return(session, args.period, rosters=False)
                findings = check_return(session, data)
            _print_findings(findings)
            code = 1 if errors(findings) else 0
        if out:
            data, sha = submission.export_return(store, args.period, out)
            mark = "（修订）" if data.is_revision else ""
            print(f"已导出 {data.period.label}月报{mark}：{out}")
            print(f"文件 SHA-256：{sha}")
        elif not args.check:
            raise ValidationError(
                "请指定 --out 文件、--check、--submit、--reopen 或 --status。", "return"
            )
        return code
    finally:
        store.close()
