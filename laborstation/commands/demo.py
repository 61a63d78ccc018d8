"""``laborstation demo``: fill a new database with realistic synthetic data."""

from __future__ import annotations

import time
from datetime import date

from laborstation.errors import UserError

NAME = "demo"
HELP = "生成演示数据：一个乡镇（station，约 2 万人）或一个县（county，12 个乡镇，约 25 万人）"


def configure(parser) -> None:
    # 'tiny' (for tests) is accepted but not advertised.
    parser.add_argument("--scale", default="station", metavar="{station,county}",
                        help="数据规模：station（一个乡镇）或 county（12 个乡镇）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子和日期生成相同数据")
    parser.add_argument("--today", default=None,
                        help="以哪一天为“今天”（YYYY-MM-DD，默认今天）；数据截至这一天")


def _today(text: str | None) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"日期“{text}”无效：应为 YYYY-MM-DD，例如 2026-10-31。") from None
    if day > date.today():
        raise UserError(f"演示数据的日期 {day.isoformat()} 晚于今天，请指定今天或更早的日期。")
    return day


def run(args) -> int:
    from laborstation.db import open_store
    from laborstation.demo import SCALES, generate
    from laborstation.progress import run_to_end

    if not getattr(args, "db", None):
        raise UserError("请用 --db 指定演示数据库文件，例如：laborstation demo --db 演示.db")
    if args.scale not in SCALES:
        raise UserError(f"未知的演示数据规模“{args.scale}”：可选 station（一个乡镇）或 county（一个县）。")
    today = _today(args.today)
    started = time.perf_counter()
    store = open_store(args.db)
    pending: list = []

    def show(step) -> None:
        # One line per phase (its last chunk), not one per chunk of 5,000 rows.
        if pending and pending[0].message.split(" ")[0] != step.message.split(" ")[0]:
            _print_step(pending.pop())
        pending[:] = [step]

    try:
        counts = run_to_end(generate(store, scale=args.scale, seed=args.seed, today=today), show)
    finally:
        store.close()
    if pending:
        _print_step(pending.pop())
    elapsed = time.perf_counter() - started
    print()
    print(f"演示数据已写入 {args.db}（规模 {args.scale}，种子 {args.seed}）：")
    for label, value in [*counts.rows(), ("合计", counts.total)]:
        print(f"  {_pad(label, 20)}{value:>10,}")
    rate = counts.persons / elapsed if elapsed > 0 else 0
    print(f"用时 {elapsed:.1f} 秒（约 {rate:,.0f} 人/秒）。")
    return 0


def _print_step(step) -> None:
    share = f"{step.fraction:4.0%}" if step.fraction is not None else "    "
    print(f"[{share}] {step.message}", flush=True)


def _pad(text: str, width: int) -> str:
    """Pad to a display width: a Chinese character takes two columns."""
    used = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    return text + " " * max(0, width - used)
