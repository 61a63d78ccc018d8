"""``laborstation check``: is the database sound and at the current schema?"""

from __future__ import annotations

from sqlalchemy import func, inspect, select, text

NAME = "check"
HELP = "检查数据库：完整性、结构版本与各表记录数；有问题时以非零状态退出"


def configure(parser) -> None:
    pass


def run(args) -> int:
    from laborstation.db import migrate, open_store
    from laborstation.db.base import Base

    store = open_store(args.db, migrate_schema=False, must_exist=True)
    problems = []
    print(f"数据库：{store.display_name}")
    if store.is_sqlite:
        with store.engine.connect() as connection:
            result = connection.execute(text("PRAGMA quick_check")).scalars().all()
        ok = result == ["ok"]
        print(f"完整性检查 (quick_check)：{'正常' if ok else '; '.join(result[:5])}")
        if not ok:
            problems.append("完整性检查未通过")
    current, head = migrate.current_revision(store.engine), migrate.head_revision()
    print(f"结构版本：{current or '无'}（程序需要 {head}）")
    if current != head:
        problems.append("数据库结构版本与程序不符")
    existing = set(inspect(store.engine).get_table_names())
    with store.reading() as session:
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                problems.append(f"缺少表 {table.name}")
                continue
            count = session.execute(select(func.count()).select_from(table)).scalar_one()
            print(f"  {table.name:<16} {count:>10,}")
    store.close()
    if problems:
        print("发现问题：" + "；".join(problems))
        return 1
    print("检查通过。")
    return 0
