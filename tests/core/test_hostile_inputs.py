"""Hostile input: 100+ malformed files through the importer, 30+ through the return reader.

Every file (``hostile_files.py``, ``hostile_returns.py``, generated from a seed) must get a clear answer: a
``UserError`` with a Chinese message, or, for a readable file whose rows are bad, a
result that refuses those rows one by one with a Chinese reason. No other exception
may escape, and nothing may be written.

"Nothing written" is checked on the bytes: one store stays open for all the cases
(opening a store per case would cost ~0.1 s × 300), so the SQLite file and its
``-wal`` are hashed before and after each case (the ``-shm`` index is skipped: readers
update it). A read-only use of SQLite in WAL mode leaves both files as they were, and
any page written would change one of them, so this is stricter than comparing counts.
The fingerprint also holds the row count of every table (audit_log included), which
is what a failure message shows.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from laborstation.db import open_store
from laborstation.errors import UserError
from laborstation.idnumber import make_id
from laborstation.importing import plan_import, run_import, write_error_report
from laborstation.progress import run_to_end
from laborstation.returns.reader import ReturnFile, read_return
from laborstation.returns.submission import export_return
from laborstation.services.station import set_station

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files  # noqa: E402
import hostile_returns  # noqa: E402

SEED = 7
IMPORTER = hostile_files.importer_files(SEED)
RETURNS = hostile_returns.return_files(SEED)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Return files whose figures were changed but that still read: the checksum must say so.
ALTERED_FIGURES = {"return_figure_formula.xlsx"}
OUTCOMES: dict[str, Counter] = defaultdict(Counter)  # group -> outcome -> calls


def _chinese(message: str) -> bool:
    return bool(message.strip()) and bool(CHINESE.search(message))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def station_store(folder):
    """One station store for every case (see the module docstring)."""
    store = open_store(folder / "station.db")
    set_station(store, name="城关镇", code="410926100000")
    yield store
    store.close()


@pytest.fixture(scope="module", autouse=True)
def _figures():
    yield
    if not OUTCOMES:
        return
    files = {c.name for c in IMPORTER}
    print(f"\n=== hostile input: {len(files)} importer files ({sum(len(c.kinds) for c in IMPORTER)}"
          f" import calls over the kinds), {len(RETURNS)} return files ===")
    for group, counts in sorted(OUTCOMES.items()):
        shown = ", ".join(f"{outcome} {n}" for outcome, n in sorted(counts.items()))
        print(f"  {group:<28} {shown}")
    kinds = Counter(kind for c in IMPORTER for kind in c.kinds)
    print("  import calls by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.items()))


def fingerprint(store) -> tuple:
    path = Path(store.path)
    digests = []
    for part in (path, path.with_name(path.name + "-wal")):
        digests.append(hashlib.sha256(part.read_bytes()).hexdigest() if part.exists() else None)
    with store.engine.connect() as connection:
        tables = connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )).scalars().all()
        counts = {t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                  for t in tables}
    return counts, digests


def _build(case: hostile_files.Hostile, folder: Path, base: Path | None = None) -> Path:
    path = folder / case.name
    if not path.exists():
        case.build(path, base)
    return path


def _escaped(error: BaseException, what: str):
    pytest.fail(f"{type(error).__name__} escaped {what} (a bug: only UserError may): {error}",
                pytrace=False)


# ---------------------------------------------------------------- the importer


@pytest.mark.parametrize(
    ("case", "kind"),
    [pytest.param(c, k, id=f"{c.name}-{k}",
                  marks=[pytest.mark.slow] if "1,000,000" in c.group else [])
     for c in IMPORTER for k in c.kinds],
)
def test_importer_refuses_hostile_file_without_writing(case, kind, station_store, folder):
    path = _build(case, folder)
    before = fingerprint(station_store)
    try:
        plan = plan_import(station_store, kind, path)
        result = run_to_end(run_import(station_store, plan))
    except UserError as error:
        assert _chinese(str(error)), f"{case.name}: no Chinese message: {error!r}"
        outcome = "refused"
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - a Rust panic (pyo3) is a BaseException
        _escaped(error, f"the importer on {case.name} ({kind})")
    else:
        assert result.accounted, result.summary()
        assert (result.added, result.updated, result.persons_added) == (0, 0, 0), result.summary()
        assert _chinese(result.summary())
        for finding in result.error_findings:
            assert _chinese(finding.reason), (case.name, finding)
        outcome = "row errors" if result.errors else "no data rows"
    assert fingerprint(station_store) == before, f"{case.name} ({kind}) wrote to the store"
    OUTCOMES[case.group][outcome] += 1


def test_there_are_enough_hostile_files(tmp_path):
    assert len({c.name for c in IMPORTER}) >= 100
    assert sum(len(c.kinds) for c in IMPORTER) >= 200
    assert len(RETURNS) >= 20
    # the same seed gives the same files, byte for byte
    again = hostile_files.importer_files(SEED)
    assert [c.name for c in again] == [c.name for c in IMPORTER]
    for first, second in list(zip(IMPORTER, again, strict=True))[::5]:
        if "1,000,000" in first.group:
            continue
        first.build(tmp_path / "a", None)
        second.build(tmp_path / "b", None)
        assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes(), first.name


CLI_CASES = ["random2.xlsx", "truncated_at_100.xlsx", "encrypted.xlsx", "web_page.xls",
             "persons_no_header.xlsx", "truncated_90pct.xls", "field_over_csv_limit.csv"]


def test_cli_import_of_hostile_files_exits_2_without_traceback(folder, tmp_path):
    """``laborstation import persons FILE`` on a few of the files, all at once (each child
    costs a second or two of start-up): exit code 2, one Chinese line, no traceback."""
    db = tmp_path / "cli.db"
    store = open_store(db)
    set_station(store, name="城关镇", code="410926100000")
    store.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    children = {}
    for n, name in enumerate(CLI_CASES):
        copy = tmp_path / f"cli{n}.db"
        copy.write_bytes(db.read_bytes())
        path = _build(next(c for c in IMPORTER if c.name == name), folder)
        children[name] = (copy, subprocess.Popen(
            [sys.executable, "-m", "laborstation", "import", "persons", str(path), "--db",
             str(copy)], stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    problems = []
    for name, (copy, child) in children.items():
        _out, err = child.communicate(timeout=120)
        stderr = err.decode("utf-8", "replace")
        lines = stderr.strip().splitlines()
        if child.returncode != 2 or "Traceback" in stderr or not lines or not _chinese(lines[-1]):
            problems.append(f"{name}: exit {child.returncode}, stderr {stderr[-600:]!r}")
        if hashlib.sha256(copy.read_bytes()).hexdigest() != before:
            problems.append(f"{name}: the database file changed")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- formulas in valid rows


FORMULA_CSV = """序号,姓名,身份证号码,行政村,家庭住址
1,=1+1,{0},李庄村,"=HYPERLINK(""http://example.com"",""点我"")"
2,"=cmd|' /C calc'!A0",{1},李庄村,@SUM(1+1)
3,=2+2,410926198001010011,李庄村,=1+1
"""


def _formula_csv(tmp_path: Path) -> Path:
    ids = [make_id("410926", date(1980, 1, 1), n * 2, True) for n in (1, 2)]
    path = tmp_path / "formulas.csv"
    path.write_text(FORMULA_CSV.format(*ids), encoding="utf-8")
    return path


def test_formula_text_is_stored_as_text_never_evaluated(store, tmp_path):
    set_station(store, name="城关镇", code="410926100000")
    result = run_to_end(run_import(store, _formula_csv(tmp_path), kind="persons"))
    assert (result.added, result.errors) == (2, 1)
    with store.reading() as session:
        stored = session.execute(text("SELECT name, address FROM person ORDER BY id")).all()
    assert [tuple(r) for r in stored] == [
        ("=1+1", '=HYPERLINK("http://example.com","点我")'),
        ("=cmd|' /C calc'!A0", "@SUM(1+1)"),
    ]


def test_error_report_keeps_formula_text_as_text(store, tmp_path):
    """FAILS until the fix to importing/report.py in the issue-6 report is applied: the
    report writes a refused row's text "=1+1" (or "=cmd|' /C calc'!A0") as a live formula."""
    set_station(store, name="城关镇", code="410926100000")
    result = run_to_end(run_import(store, _formula_csv(tmp_path), kind="persons"))
    report = write_error_report(result, tmp_path / "errors.xlsx")
    cells = [c for row in load_workbook(report).active.iter_rows(min_row=2) for c in row]
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert formulas == [], f"the error report turned text into formulas: {formulas}"
    assert "=2+2" in [c.value for c in cells]


# ---------------------------------------------------------------- the return reader


@pytest.fixture(scope="module")
def valid_return(folder, tmp_path_factory) -> Path:
    store = open_store(tmp_path_factory.mktemp("return_store") / "station.db")
    set_station(store, name="城关镇", code="410926100000")
    path = folder / "valid_return.xlsx"
    export_return(store, "2026-10", path)
    store.close()
    assert read_return(path).checksum_ok
    return path


@pytest.mark.parametrize("case", RETURNS, ids=[c.name for c in RETURNS])
def test_return_reader_refuses_hostile_file(case, valid_return, folder):
    path = _build(case, folder, valid_return)
    try:
        found = read_return(path)
    except UserError as error:
        assert _chinese(str(error)), f"{case.name}: no Chinese message: {error!r}"
        OUTCOMES["return: " + case.group]["refused"] += 1
        return
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001
        _escaped(error, f"read_return on {case.name}")
    # Readable: every accessor must work, and a changed figure must show in the checksum.
    assert isinstance(found, ReturnFile)
    assert found.revision >= 0 and found.unit_code and found.period
    for code in found.figures:
        for column in ("本月", "本年累计"):
            found.value(code, column)
    if case.name in ALTERED_FIGURES:
        assert not found.checksum_ok, case.name
    OUTCOMES["return: " + case.group]["read (checksum_ok=" + str(found.checksum_ok) + ")"] += 1
