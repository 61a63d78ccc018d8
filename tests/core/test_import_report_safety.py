"""The error report cannot hurt the clerk: never over the ledger itself, never a crash on
a control character, the import's fate told when the report cannot be written, the ID
column kept as text; a database another program is writing to says so in Chinese; a run
that wrote nothing says what it would have done."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from workbooks import write_xlsx

from laborstation.cli import main
from laborstation.db import open_store
from laborstation.errors import UserError
from laborstation.idnumber import make_id
from laborstation.importing import run_import, write_error_report
from laborstation.importing.report import BadReportPath, ReportNotWritten, check_report_path
from laborstation.model import Person
from laborstation.progress import run_to_end
from laborstation.services.station import set_station

pytestmark = pytest.mark.sqlite_only  # the CLI and the locked file work on the SQLite file

HEADER = ["序号", "姓名", "身份证号码", "性别", "行政村"]


def pid(n: int) -> str:
    return make_id("410926", date(1980, 1, 1) + timedelta(days=n), 2 * n % 800, True)


@pytest.fixture
def db(store):
    """The store's file, with its station, closed: the CLI opens it itself."""
    set_station(store, name="城关镇", code="410926100000")
    store.close()
    return store.path


def _ledger(tmp_path, bad: int = 1, good: int = 3, name: str = "台账.xlsx"):
    rows = [[i + 1, f"人{i}", pid(i + 1), "男", "李庄村"] for i in range(good)]
    rows += [[good + i + 1, f"错{i}", pid(100 + i)[:-1] + "Z", "男", "李庄村"]
             for i in range(bad)]
    return write_xlsx(tmp_path / name, {"李庄村": [HEADER, *rows]})


def _persons(path) -> int:
    store = open_store(path)
    try:
        with store.reading() as session:
            return session.scalar(select(func.count()).select_from(Person))
    finally:
        store.close()


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(db, *args) -> int:
    return main(["--db", str(db), "import", "persons", "--quiet", *map(str, args)])


# -- 1. the report path is checked before anything is imported -------------------------------

@pytest.mark.parametrize("where", ["same", "dotted", "link"])
def test_a_report_over_the_ledger_itself_is_refused_before_importing(db, tmp_path, capsys,
                                                                    where):
    ledger = _ledger(tmp_path)
    before = _digest(ledger)
    report = {"same": ledger, "dotted": tmp_path / "sub" / ".." / ledger.name,
              "link": tmp_path / "link.xlsx"}[where]
    (tmp_path / "sub").mkdir()
    if where == "link":
        os.symlink(ledger, report)
    assert _cli(db, ledger, "--report", report) == 2
    err = capsys.readouterr().err
    assert "不能保存到正在导入的文件" in err and "没有导入任何数据" in err
    assert "程序内部错误" not in err
    assert _digest(ledger) == before and _persons(db) == 0


def test_a_report_that_is_a_folder_or_not_xlsx_is_refused(db, tmp_path, capsys):
    ledger = _ledger(tmp_path)
    folder = tmp_path / "报告.xlsx"
    folder.mkdir()
    assert _cli(db, ledger, "--report", folder) == 2
    assert "是一个文件夹" in capsys.readouterr().err
    for name in ["出错.xls", "出错.csv", "出错"]:
        assert _cli(db, ledger, "--report", tmp_path / name) == 2
        assert ".xlsx" in capsys.readouterr().err
        assert not (tmp_path / name).exists()
    assert _persons(db) == 0


def test_the_same_file_differently_cased_is_refused_on_windows(tmp_path, monkeypatch):
    ledger = _ledger(tmp_path, name="Ledger.xlsx")
    monkeypatch.setattr(os.path, "normcase", lambda p: os.fspath(p).lower())  # as ntpath
    with pytest.raises(BadReportPath, match="不能保存到正在导入的文件"):
        check_report_path(tmp_path / "LEDGER.XLSX", ledger)
    assert check_report_path(tmp_path / "ledger-出错的行.xlsx", ledger).name.endswith(".xlsx")


# -- 2. control characters ---------------------------------------------------------------

def test_control_characters_are_left_out_of_the_report_not_a_crash(db, tmp_path, capsys):
    csv = tmp_path / "台账.csv"
    lines = [",".join(HEADER), f"1,张\x0b三,{pid(1)}X,男,李庄村", f"2,李四,{pid(2)},男,李\x0c庄村"]
    csv.write_bytes("\r\n".join(lines).encode("utf-8"))
    report = tmp_path / "出错的行.xlsx"
    assert _cli(db, csv, "--report", report) == 1
    assert "程序内部错误" not in capsys.readouterr().err
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows[1][1] == "张三" and rows[1][2] == pid(1) + "X"
    assert "控制字符" in rows[1][-2] and rows[1][-1] == 2


# -- 3. a report that cannot be written --------------------------------------------------

@pytest.mark.parametrize("failure, why", [
    (PermissionError(13, "Permission denied"), "Excel"),
    (OSError(28, "No space left on device"), "磁盘空间已满"),
])
def test_a_report_not_written_says_the_import_was_saved(db, tmp_path, capsys, monkeypatch,
                                                        failure, why):
    from openpyxl import Workbook as Book

    ledger = _ledger(tmp_path, bad=1, good=3)
    report = tmp_path / "出错的行.xlsx"
    report.write_bytes(b"an older report")

    def fails(self, filename):
        with open(filename, "wb") as half:  # part of it written, then the error
            half.write(b"PK")
        raise failure

    monkeypatch.setattr(Book, "save", fails)
    assert _cli(db, ledger, "--report", report) == 1
    out, err = capsys.readouterr()
    assert "导入已经完成并保存（新增 3" in err and "出错的 1 行没能写入错误报告" in err
    assert why in err and str(report) in err and "程序内部错误" not in err
    assert report.read_bytes() == b"an older report"  # not replaced by half a file
    assert sorted(p.name for p in tmp_path.iterdir()
                  if p.name.endswith(".tmp") or p.name.startswith(("tmp", "~"))) == []
    assert _persons(db) == 3


def test_a_report_whose_folder_is_gone_says_why(store, tmp_path):
    set_station(store, name="城关镇", code="410926100000")
    result = run_to_end(run_import(store, _ledger(tmp_path), kind="persons"))
    blocker = tmp_path / "U盘"
    blocker.write_bytes(b"")  # (a file where the folder should be)
    with pytest.raises(ReportNotWritten, match="文件夹不存在"):
        write_error_report(result, blocker / "出错的行.xlsx")


# -- 4. the ID number column is text -----------------------------------------------------

def test_the_id_column_of_the_report_is_text_and_values_are_kept(store, tmp_path):
    set_station(store, name="城关镇", code="410926100000")
    book = Workbook()
    sheet = book.active
    sheet.title = "李庄村"
    sheet.append(["序号", "姓名", "性别", "身份证号码", "行政村"])
    sheet.append([1, "张三", "男", 4.10926e17, "李庄村"])  # Excel made it a number
    sheet.append([2, "李四", "男", pid(2)[:-1] + "Z", "李庄村"])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    result = run_to_end(run_import(store, path, kind="persons"))
    assert result.errors == 2
    report = load_workbook(write_error_report(result, tmp_path / "出错的行.xlsx")).active
    assert report.column_dimensions["D"].number_format == "@"
    first, second = report[2], report[3]
    assert first[3].value == 4.10926e17 and first[3].number_format == "@"
    assert second[3].value == pid(2)[:-1] + "Z" and second[3].number_format == "@"
    assert first[0].value == 1 and first[0].number_format == "General"  # kept as it was


# -- 5. a database another program is writing to -----------------------------------------

@pytest.fixture
def short_busy_timeout(monkeypatch):
    from laborstation.db import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)


@pytest.fixture
def writer_holding(db):
    """Another program in the middle of a write to the file."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.execute("ROLLBACK")
    other.close()


def test_a_database_another_program_writes_to_is_a_clear_message(
        db, tmp_path, capsys, short_busy_timeout, writer_holding):
    ledger = _ledger(tmp_path, bad=0)
    started = time.monotonic()
    assert _cli(db, ledger) == 2
    err = capsys.readouterr().err
    assert "正被另一个程序使用（正在写入）" in err and str(db) in err
    assert "程序内部错误" not in err
    assert time.monotonic() - started < 8
    assert _persons(db) == 0  # (WAL: read while the other program writes)


def test_the_store_turns_only_the_busy_error_into_a_user_error(db, short_busy_timeout,
                                                              writer_holding):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    store = open_store(db)
    try:
        with pytest.raises(UserError, match="正被另一个程序使用"), \
                store.session() as session:  # (as any service writes)
            session.execute(text("UPDATE area SET name = name"))
        with pytest.raises(OperationalError, match="no such table"), \
                store.session() as session:
            session.execute(text("SELECT * FROM no_such_table"))
    finally:
        store.close()


# -- 6. a run that wrote nothing says what it would have done ----------------------------

def _counts_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("读取 "))


def test_a_dry_run_says_what_it_would_add_and_that_nothing_was_written(db, tmp_path, capsys):
    ledger = _ledger(tmp_path, bad=1, good=3)
    report = tmp_path / "出错的行.xlsx"
    assert _cli(db, ledger, "--dry-run", "--report", report) == 1
    out = capsys.readouterr().out
    assert "没有写入任何数据" in out and "将新增 3" in _counts_line(out)
    assert not re.search(r"(?<!将)新增", out) and "将新建地区" in out
    assert "正式导入时出错的行不导入" in out
    assert _persons(db) == 0


def test_all_or_nothing_with_errors_says_nothing_was_written(db, tmp_path, capsys):
    ledger = _ledger(tmp_path, bad=1, good=3)
    report = tmp_path / "出错的行.xlsx"
    assert _cli(db, ledger, "--all-or-nothing", "--report", report) == 1
    out = capsys.readouterr().out
    assert out.count("没有写入任何数据") == 1 and "将新增 3" in _counts_line(out)
    assert not re.search(r"(?<![将])新增|(?<![将])新建", out)
    assert "请在原文件中改正出错的行，再导入原文件" in out
    assert _persons(db) == 0
    assert _cli(db, ledger) == 1  # the real import, for comparison: done, and said so
    out = capsys.readouterr().out
    assert "新增 3" in _counts_line(out) and "将新增" not in out and _persons(db) == 3


@pytest.mark.parametrize(("name", "sheet"), [("'李庄村'.csv", "李庄村"), ("History.csv", "History_")])
def test_a_csv_named_as_excel_forbids_gives_a_report_excel_opens(db, tmp_path, name, sheet):
    ledger = tmp_path / name
    ledger.write_text("姓名,身份证号码,行政村\n张三,410926,李庄村\n", encoding="utf-8")
    report = tmp_path / "出错的行.xlsx"
    assert main(["import", "persons", str(ledger), "--db", str(db), "--quiet",
                 "--report", str(report)]) == 1
    assert load_workbook(report).sheetnames == [sheet]


def test_a_refused_members_report_row_holds_the_places_it_took_from_the_row_above(
        store, tmp_path):
    """Members leave 行政村, 村民小组, 户编号 to the 户主's row: the report wrote a refused
    member's row as read (blank), so once its ID was fixed and the report imported alone,
    it was refused again for no village (the sixth review)."""
    set_station(store, name="城关镇", code="410926100000")
    header = ["姓名", "身份证号码", "行政村", "村民小组", "户编号", "与户主关系", "家庭住址"]
    bad = pid(3)[:-1] + ("1" if pid(3)[-1] != "1" else "2")
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [
        header, ["钱一", pid(1), "东河村", "一组", "QH001", "户主", "东河村一组"],
        ["钱二", pid(2), "", "", "", "配偶", "同上"], ["钱三", bad, None, None, None, "子", "同上"]]})
    result = run_to_end(run_import(store, path, kind="persons"))
    assert (result.added, result.errors) == (2, 1)
    report = write_error_report(result, tmp_path / "出错的行.xlsx")
    book = load_workbook(report)
    row = [cell.value for cell in book.active[2]][:7]
    assert row == ["钱三", bad, "东河村", "一组", "QH001", "子", "东河村一组"]
    book.active["B2"] = pid(3)  # the clerk fixes the ID number, and imports the report
    book.save(report)
    again = run_to_end(run_import(store, report, kind="persons"))
    assert (again.added, again.errors) == (1, 0)
    with store.reading() as session:
        homes = dict(session.execute(select(Person.name, Person.household_id)).all())
    assert homes["钱三"] == homes["钱一"] is not None
