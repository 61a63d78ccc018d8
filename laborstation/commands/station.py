"""``laborstation station``: set or show the reporting unit (填报单位) and its area code."""

from __future__ import annotations

NAME = "station"
HELP = "设置或查看填报单位：名称与 12 位区划代码（乡镇，或县级单位时为县代码加 000000）"


def configure(parser) -> None:
    parser.add_argument("--name", help="填报单位名称，例如 张庄乡")
    parser.add_argument(
        "--code", help="12 位区划代码，例如 410926209000（乡镇）或 410926000000（县）"
    )
    parser.add_argument(
        "--cutoff-day",
        type=int,
        default=None,
        help="报告期截止日（如 20 表示上月 21 日至本月 20 日）；0 为自然月",
    )
    parser.add_argument("--head", default=None, help="单位负责人（印在月报表尾）")
    parser.add_argument("--phone", default=None, help="联系电话（印在月报表尾）")


def _show(info) -> None:
    level = "县" if info.level == "county" else "乡镇"
    cutoff = f"每月 {info.cutoff_day} 日" if info.cutoff_day else "自然月"
    print(f"填报单位：{info.name}（{level}）")
    print(f"区划代码：{info.area_code}    县级代码：{info.county_code}")
    print(f"报告期截止：{cutoff}")
    if info.head or info.phone:
        print(f"单位负责人：{info.head}    联系电话：{info.phone}")


def run(args) -> int:
    from laborstation.db import open_store
    from laborstation.errors import ValidationError
    from laborstation.services.station import get_station, set_station

    store = open_store(args.db)
    try:
        if args.name is None and args.code is None:
            info = get_station(store)
            if info is None:
                print(
                    "尚未设置填报单位。用法：laborstation station --name 名称 --code 12位区划代码"
                )
                return 1
        else:
            current = get_station(store)
            name = args.name or (current.name if current else None)
            code = args.code or (current.area_code if current else None)
            if not name or not code:
                raise ValidationError("请同时给出 --name 和 --code。", "station")
            info = set_station(
                store,
                name=name,
                code=code,
                cutoff_day=args.cutoff_day,
                head=args.head,
                phone=args.phone,
            )
            print("已保存。")
        _show(info)
    finally:
        store.close()
    return 0
