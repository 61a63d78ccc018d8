"""``laborstation consolidate FILE... --out FILE.xlsx``: the county return from the
townships' returns (RETURN_SPEC "County consolidation")."""

from __future__ import annotations

NAME = "consolidate"
HELP = "县级汇总：检查各乡镇报来的月报文件，汇总成全县月报（含报送情况）"


def configure(parser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="各乡镇报来的月报 .xlsx 文件")
    parser.add_argument("--out", required=True, help="全县汇总月报的输出文件（.xlsx）")
    parser.add_argument("--period", default=None,
                        help="报告期，例如 2026-10（默认取文件中的报告期）")
    parser.add_argument("--due-day", type=int, default=5, dest="due_day",
                        help="次月几日前报送算按时（默认 5 日）")


def run(args) -> int:
    from laborstation.returns.consolidate import consolidate, county_in
    from laborstation.returns.consolidate_workbook import write_consolidation
    from laborstation.xlsx_text import xlsx_path

    out = xlsx_path(args.out)
    county = None
    if getattr(args, "db", None):
        from laborstation.db import open_store

        store = open_store(args.db, must_exist=True)
        try:
            with store.reading() as session:
                county = county_in(session)
        finally:
            store.close()
    result = consolidate(args.files, period=args.period, due_day=args.due_day, county=county)
    sha = write_consolidation(result, out)
    data = result.data
    print(f"{data.station.name} {data.period.label}汇总：报送截止 {result.due:%Y-%m-%d}")
    for s in result.statuses:
        state = "已汇总" if s.consolidated else ("已拒收" if s.received else "未报送")
        when = f"{s.submitted_at:%Y-%m-%d %H:%M}" if s.submitted_at else ""
        timing = {True: "按时", False: "逾期", None: ""}[s.on_time]
        print(f"  {s.code} {s.name}：{state} {timing} {when}".rstrip())
    for r in result.refused:
        print(f"拒收 {r.path.name}：{r.reason}")
    missing = result.missing
    print(f"已汇总 {len(result.received)} 个乡镇"
          + (f"，未汇总 {len(missing)} 个：{'、'.join(s.name for s in missing)}" if missing else "")
          + "。")
    print(f"已写出 {out}")
    print(f"文件 SHA-256：{sha}")
    return 1 if result.refused or missing else 0
