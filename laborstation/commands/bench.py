"""``laborstation bench``: time the program's real operations on demo data."""

from __future__ import annotations

import importlib
from pathlib import Path

NAME = "bench"
HELP = "性能测试：在演示数据库上计时各项操作并打印结果表"


def configure(parser) -> None:
    parser.add_argument("--scale", choices=["station", "county"], default="station",
                        help="演示数据规模：station（一个乡镇）或 county（12 个乡镇）")
    parser.add_argument("--only", action="append", default=[],
                        help="只运行这些部分（可重复）：" + "、".join(_modules()))
    parser.add_argument("--repeat", type=int, default=5, help="每项重复次数（取中位数）")
    parser.add_argument("--work-dir", default="bench-data", help="存放演示数据库的文件夹（可重用）")
    parser.add_argument("--seed", type=int, default=1)


def _modules() -> list[str]:
    from laborstation.bench import BENCH_MODULES

    return BENCH_MODULES


def run(args) -> int:
    from laborstation.bench import BenchContext, format_table

    work_dir = Path(args.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    ctx = BenchContext(scale=args.scale, work_dir=work_dir, repeat=max(1, args.repeat),
                       seed=args.seed)
    rows = []
    for name in _modules():
        if args.only and name not in args.only:
            continue
        try:
            module = importlib.import_module(f"laborstation.bench.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"laborstation.bench.{name}":
                continue  # that area has no benchmark yet
            raise
        for row in module.run(ctx):
            rows.append(row)
            print(format_table([row]).splitlines()[-1], flush=True)
    print()
    print(format_table(rows))
    return 0
