"""``laborstation target YEAR CODE=VALUE ...``: the county's annual targets for the unit."""

from __future__ import annotations

NAME = "target"
HELP = "设置或查看年度目标任务：laborstation target 2026 201=1200 301=800"


def configure(parser) -> None:
    parser.add_argument("year", type=int, help="年度，例如 2026")
    parser.add_argument(
        "values", nargs="*", metavar="CODE=VALUE", help="指标代码=目标值；不给则列出该年目标"
    )


def run(args) -> int:
    from laborstation.db import open_store
    from laborstation.indicators import INDICATORS
    from laborstation.services.targets import get_targets, parse_assignment, set_targets

    store = open_store(args.db)
    try:
        if args.values:
            pairs = dict(parse_assignment(text) for text in args.values)
            targets = set_targets(store, args.year, pairs)
            print(f"已保存 {len(pairs)} 项 {args.year} 年目标。")
        else:
            targets = get_targets(store, args.year)
        if not targets:
            print(f"{args.year} 年尚未设置目标。")
        for code in sorted(targets):
            ind = INDICATORS[code]
            print(f"  {code} {ind.name}：{targets[code].normalize():f} {ind.unit}")
    finally:
        store.close()
    return 0
