"""Import benchmark: a 250,000-row persons ledger against python-calamine reading it alone.

The ledger is generated once (openpyxl write-only, so its text is written inline) into
the bench work folder and reused, with a copy of it in shared strings, as Excel and
WPS save a workbook (``shared_strings``): both are imported. Each kind is imported
into a fresh store with a station set; each persons import is compared with calamine's
read of the same file, measured in the same run: each import right after a read,
the ratio the median of those pairs (the import is ``run_import`` from the path, which
reads the file once, to its commit; the copy of its pages from the WAL into the database
file, which follows in a background thread (``db.checkpoint``), is timed apart). The rebuild time of each person index at
250,000 rows is shown too: it is the largest SQLite share of the import.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from laborstation.bench import BenchContext, Row, summary
from laborstation.bench.shared_strings import make_shared_strings_copy

PERSONS_ROWS = 250_000
OTHER_ROWS = 20_000
STATION_CODE = "410926100000"  # 范县 城关镇 (a township unit)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
_GIVEN = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清"
    "飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善"
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月"
)
_VILLAGES = [f"{w}庄村" for w in "东西南北前后李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"]
PERSON_HEADERS = [
    "序号", "姓名", "身份证号码", "性别", "民族", "文化程度", "联系电话", "行政村", "村民小组",
    "户编号", "与户主关系", "劳动能力", "就业状态", "家庭住址",
]


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _ids(rng: random.Random, count: int) -> list[tuple[str, bool]]:
    from laborstation.idnumber import make_id

    seen: set[str] = set()
    out = []
    while len(out) < count:
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        male = rng.random() < 0.5
        number = make_id("410926", birth, rng.randrange(1000), male)
        if number not in seen:
            seen.add(number)
            out.append((number, male))
    return out


def make_persons_xlsx(path: Path, rows: int, seed: int = 1) -> Path:
    """A realistic 实名制台账: a title row, then households of 1–6 members."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("实名制台账")
    sheet.append(["城关镇农村劳动力资源实名制台账"])
    sheet.append(PERSON_HEADERS)
    people = _ids(rng, rows)
    n = household = 0
    while n < rows:
        household += 1
        village = rng.choice(_VILLAGES)
        group = f"{rng.randrange(1, 9)}组"
        for member in range(min(rng.randrange(1, 7), rows - n)):
            number, male = people[n]
            n += 1
            relation = "户主" if member == 0 else rng.choice(("配偶", "子", "女", "父亲", "孙子"))
            sheet.append([
                n, _name(rng), number, "男" if male else "女", rng.choice(("汉族", "汉", "回族")),
                rng.choice(("初中", "高中", "小学", "大专", "中专")), f"13{rng.randrange(10**9):09d}",
                village, group, f"H{household:07d}", relation,
                rng.choice(("完全劳动能力", "健康", "部分丧失劳动能力")),
                rng.choice(("务农", "本地就业", "未就业", "灵活就业")), f"{village}{group}",
            ])
    book.save(path)
    return path


def make_placements_xlsx(path: Path, persons: Path, rows: int, seed: int = 2) -> Path:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("转移就业花名册")
    sheet.append(["姓名", "身份证号", "行政村", "外出时间", "务工地点", "用工单位", "工种",
                  "输出方式", "月收入（元）"])
    people = _ids(rng, rows)
    places = ("北京市朝阳区", "郑州", "广东东莞", "本县", "江苏苏州", "新疆生产建设兵团农六师")
    for number, _male in people:
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(600))
        sheet.append([_name(rng), number, rng.choice(_VILLAGES), start, rng.choice(places),
                      f"{rng.choice(_SURNAMES)}氏建筑有限公司", "建筑工", rng.choice(("有组织", "自发")),
                      rng.choice((3500, "4500元", "4000-5000"))])
    book.save(path)
    return path


def make_trainings_xlsx(path: Path, rows: int, seed: int = 3) -> Path:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("培训花名册")
    sheet.append(["姓名", "身份证号", "行政村", "培训班名称", "培训类型", "培训机构",
                  "开班时间", "结业时间", "培训结果"])
    people = _ids(rng, rows)
    for i, (number, _male) in enumerate(people):
        course = i // 50
        start = date(2024, 1, 1) + timedelta(days=course % 500)
        sheet.append([_name(rng), number, rng.choice(_VILLAGES), f"第{course + 1}期技能培训班",
                      "职业技能培训", "县职业培训学校", start, start + timedelta(days=10), "结业"])
    book.save(path)
    return path


def _fresh_store(path: Path):
    from laborstation.db import open_store
    from laborstation.services.station import set_station

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = open_store(path)
    set_station(store, name="城关镇劳动保障所", code=STATION_CODE)
    return store


def _calamine_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)


def _index_costs(db: Path) -> dict[str, float]:
    """Seconds to rebuild each person index of an imported store (dropped and made again
    inside a transaction that is rolled back), as a big import builds them (temp store
    on file, keys sorted in pieces): what each index adds to a big import."""
    from laborstation.db.engine import make_engine
    from laborstation.importing.index_sort import sorting_in_pieces

    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            run = connection.exec_driver_sql
            run("PRAGMA temp_store = FILE")  # (outside a transaction, as the import does)
            found = run("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = 'person' AND sql IS NOT NULL").all()
            run("BEGIN")
            costs = {}
            with sorting_in_pieces(connection):
                for name, sql in found:
                    run(f'DROP INDEX "{name}"')
                    start = time.perf_counter()
                    run(sql)
                    costs[name] = time.perf_counter() - start
            connection.rollback()
    finally:
        engine.dispose()
    return costs


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _import(store, kind: str, path: Path):
    from laborstation.importing import run_import
    from laborstation.progress import run_to_end

    return run_to_end(run_import(store, path, kind=kind))


def run(ctx: BenchContext) -> Iterable[Row]:
    work = ctx.work_dir
    persons = work / f"import-persons-{PERSONS_ROWS}.xlsx"
    if not persons.exists():
        ctx.log(f"生成 {PERSONS_ROWS:,} 行实名制台账 {persons.name} …")
        make_persons_xlsx(persons, PERSONS_ROWS)
    placements = work / f"import-placements-{OTHER_ROWS}.xlsx"
    if not placements.exists():
        make_placements_xlsx(placements, persons, OTHER_ROWS)
    trainings = work / f"import-trainings-{OTHER_ROWS}.xlsx"
    if not trainings.exists():
        make_trainings_xlsx(trainings, OTHER_ROWS)

    shared = work / f"import-persons-{PERSONS_ROWS}-shared-strings.xlsx"
    if not shared.exists():
        ctx.log(f"另存为共享字符串格式（Excel/WPS 保存的样子）{shared.name} …")
        make_shared_strings_copy(persons, shared)

    repeat = max(1, min(ctx.repeat, 3))
    for path, what in ((persons, "inline strings"), (shared, "shared strings")):
        read_times, import_times, checkpoint_times = [], [], []
        result = None
        for _ in range(repeat):
            start = time.perf_counter()
            _calamine_read(path)
            read_times.append(time.perf_counter() - start)
            store = _fresh_store(work / "import-bench.db")
            start = time.perf_counter()
            result = _import(store, "persons", path)
            import_times.append(time.perf_counter() - start)
            # (the WAL copied into the file after the commit, in the background: waited for
            # here, outside the import's time, so it never overlaps the next calamine read)
            start = time.perf_counter()
            store.checkpoints.wait()
            checkpoint_times.append(time.perf_counter() - start)
            store.close()
        yield summary("importing", f"calamine reads 250k persons, {what}", read_times)
        # Each import against the read just before it: a machine that slows down for a
        # while (other tenants) slows both alike; the median of those paired ratios.
        paired = sorted(i / r for i, r in zip(import_times, read_times, strict=True))
        ratio = paired[len(paired) // 2]
        rate = PERSONS_ROWS / sorted(import_times)[len(import_times) // 2]
        yield summary("importing", f"import 250k persons, {what}", import_times,
                      target="≤ 2× calamine read", ratio=ratio,
                      note=f"paired ratios {' '.join(f'{x:.2f}' for x in paired)}; "
                           f"{rate:,.0f} rows/s; added {result.added:,}, errors {result.errors:,}; "
                           f"then the background checkpoint "
                           f"{sorted(checkpoint_times)[len(checkpoint_times) // 2]:.2f}s")
    import_peak = _peak_rss_mb()  # before the index measurement below adds SQLite's caches
    costs = _index_costs(work / "import-bench.db")
    yield Row("importing", "peak RSS through the 250k persons imports", import_peak, unit=" MB",
              target="< 1.5 GB")
    shown = ", ".join(f"{name.removeprefix('ix_person_')} {seconds:.2f}" for name, seconds in
                      sorted(costs.items(), key=lambda kv: -kv[1]))
    yield Row("importing", f"rebuild the {len(costs)} person indexes at 250k rows",
              sum(costs.values()), note=shown)
    for kind, path, rows in (("placements", placements, OTHER_ROWS),
                             ("trainings", trainings, OTHER_ROWS)):
        times = []
        for _ in range(repeat):
            store = _fresh_store(work / "import-bench.db")
            start = time.perf_counter()
            res = _import(store, kind, path)
            times.append(time.perf_counter() - start)
            store.close()
        median = sorted(times)[len(times) // 2]
        yield summary("importing", f"import {rows // 1000}k {kind}", times,
                      note=f"{rows / median:,.0f} rows/s; added {res.added:,}, errors {res.errors:,}")
    yield Row("importing", "peak RSS of the bench process", _peak_rss_mb(), unit=" MB",
              target="< 1.5 GB")
