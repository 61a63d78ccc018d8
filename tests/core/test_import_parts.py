"""A big .xlsx sheet read in parts (xlsx_parts + sheet_rows) gives exactly the rows of a whole read."""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from workbooks import calamine_rows, trimmed

from laborstation.bench.shared_strings import write_shared_strings_copy
from laborstation.importing import headers, xlsx_books, xlsx_parts
from laborstation.importing.reading import UnreadableFile, read_file
from laborstation.importing.sheet_rows import SheetRows, read_in_background


@pytest.fixture
def small_parts(monkeypatch):
    """Cut every sheet over 4 KB of XML into parts of ~3 KB."""
    monkeypatch.setattr(xlsx_parts, "SPLIT_FROM", 4096)
    monkeypatch.setattr(xlsx_parts, "FIRST_PART", 1024)
    monkeypatch.setattr(xlsx_parts, "PART", 3072)


def _whole(path: Path, sheet: str) -> list[list]:
    return calamine_rows(path, sheet)


def _ledger(path: Path, *, write_only: bool, date1904: bool = False) -> Path:
    """Title row, header, 600 rows with gaps of blank rows and an empty column A below row 300."""
    book = Workbook(write_only=write_only)
    if date1904:
        book.epoch = datetime(1904, 1, 1)
    sheet = book.create_sheet("台账") if write_only else book.active
    if not write_only:
        sheet.title = "台账"
    sheet.append(["某镇实名制台账"])
    sheet.append(["序号", "姓名", "身份证号", "出生日期", "月收入", "备注"])
    for n in range(1, 601):
        if n % 97 == 0:
            for _ in range(n % 5):
                sheet.append([])  # a stretch of blank rows
            continue
        serial = None if n > 300 else n
        sheet.append([serial, f"张{n}", f"41092619800101{n:04d}", date(1980, 1, 1 + n % 28),
                      3000 + n * 1.5, "备注" * (n % 3)])
    sheet.append(["填表人：李四"])
    book.save(path)
    return path


def _shared(path: Path) -> Path:
    """The workbook with its text in a table of shared strings, as Excel and WPS save it
    (openpyxl writes every text cell inline)."""
    target = path.with_name(f"{path.stem}-shared.xlsx")
    write_shared_strings_copy(path, target)
    return target


@pytest.mark.parametrize("shared", [False, True], ids=["inline-strings", "shared-strings"])
def test_parts_give_the_rows_of_a_whole_read(tmp_path, small_parts, shared):
    path = _ledger(tmp_path / "big.xlsx", write_only=True)
    if shared:
        path = _shared(path)
    assert xlsx_parts.sheets(path) == {"台账": ("xl/worksheets/sheet1.xml", True)}  # (big)
    with zipfile.ZipFile(path) as book, tempfile.TemporaryDirectory() as folder:
        assert ("xl/sharedStrings.xml" in book.namelist()) == shared
        books = list(xlsx_parts.split_sheet(path, "xl/worksheets/sheet1.xml", Path(folder)))
        # One part a workbook while they grow (1, 2, then 3 KB = PART), then two.
        sizes = [len(b.parts) for b in books]
        assert sizes[:3] == [1, 1, 1] and set(sizes[3:-1]) == {2}
        assert sum(len(b.parts) for b in books) > 5, "the test must cut into many parts"
        assert book.getinfo("xl/worksheets/sheet1.xml").file_size > 4096
    [raw] = read_file(path)
    assert isinstance(raw.rows, SheetRows)
    assert trimmed(raw.rows) == trimmed(_whole(path, "台账"))
    assert raw.rows.complete


def _book_sizes(books) -> list[tuple[int, int]]:
    """(bytes of sheet XML, bytes of shared strings) of each workbook of parts."""
    sizes = []
    for split in books:
        with zipfile.ZipFile(split.path) as book:
            sizes.append((sum(book.getinfo(f"xl/worksheets/{p}.xml").file_size
                              for p in split.parts),
                          book.getinfo("xl/sharedStrings.xml").file_size))
    return sizes


def _read_here(path: Path) -> SheetRows:
    """The sheet read in parts, failing should it fall back to a whole read."""
    def whole():
        raise AssertionError("read whole: a workbook of parts could not be read")
    return read_in_background(path, "xl/worksheets/sheet1.xml", "台账", whole)


def test_with_many_shared_strings_the_first_workbooks_hold_the_start_of_them(
        tmp_path, small_parts, monkeypatch):
    """Each workbook parses its shared strings: those of the first parts (one a workbook,
    growing up to SHARED_BOOK) hold the start of the table their rows use; the rest
    hold all of it, in workbooks growing ×4 from 4 × SHARED_BOOK."""
    monkeypatch.setattr(xlsx_parts, "SMALL_STRINGS", 0)  # every table of strings counts as big
    monkeypatch.setattr(xlsx_parts, "SHARED_BOOK", 2048)
    monkeypatch.setattr(xlsx_parts._Strings, "TAIL", 512)  # the parts are small
    monkeypatch.setattr(xlsx_parts._Strings, "_STEP", 256)  # (the table too)
    monkeypatch.setattr(xlsx_parts._Strings, "HEAD", 1024)  # its start read first
    path = _shared(_ledger(tmp_path / "big.xlsx", write_only=True))
    with zipfile.ZipFile(path) as book:
        table = book.getinfo("xl/sharedStrings.xml").file_size
    with tempfile.TemporaryDirectory() as folder:
        books = list(xlsx_parts.split_sheet(path, "xl/worksheets/sheet1.xml", Path(folder)))
        sizes = _book_sizes(books)
    growing = [k for k, split in enumerate(books) if split.strings is not None]
    assert growing == [0, 1], sizes  # 1 KB, then 2 KB (≥ SHARED_BOOK)
    assert [len(books[k].parts) for k in growing] == [1, 1]
    strings = [sizes[k][1] for k in growing]
    assert strings == sorted(strings) and strings[-1] < table / 2, (strings, table)
    later = sizes[len(growing):]
    assert len(later) >= 2 and all(kept == table for _, kept in later), sizes
    for k, (held, _) in enumerate(later[:-1]):  # (a part ends at a row: a little over)
        assert 8192 * 4**k <= held < 8192 * 4**k * 2, sizes
    monkeypatch.setattr(xlsx_books, "with_whole_strings", None)  # (the cut tables suffice)
    rows = _read_here(path)
    assert trimmed(rows) == trimmed(_whole(path, "台账"))


def _strings_reversed(path: Path, target: Path) -> Path:
    """A copy whose table of shared strings is in reverse order (cells follow): the
    first rows use its end."""
    with zipfile.ZipFile(path) as book:
        table = book.read("xl/sharedStrings.xml")
    head, rest = table.split(b"<si>", 1)
    items = (b"<si>" + rest[:-len(b"</sst>")]).split(b"</si>")[:-1]
    last = len(items) - 1
    reversed_table = head + b"".join(item + b"</si>" for item in reversed(items)) + b"</sst>"

    def change(xml: bytes) -> bytes:
        return re.sub(rb'( t="s"><v>)(\d+)(</v>)',
                      lambda m: m[1] + str(last - int(m[2])).encode() + m[3], xml)

    return _members_changed(path, target, {"xl/worksheets/sheet1.xml": change,
                                           "xl/sharedStrings.xml": lambda _: reversed_table})


def test_shared_strings_in_another_order_are_read_whole_for_the_first_parts(
        tmp_path, small_parts, monkeypatch):
    """A table not in the order of first use: a cut one lacks strings the first parts
    use, calamine says so, and their workbooks are written again with all of it."""
    monkeypatch.setattr(xlsx_parts, "SMALL_STRINGS", 0)
    monkeypatch.setattr(xlsx_parts, "SHARED_BOOK", 2048)
    monkeypatch.setattr(xlsx_parts._Strings, "TAIL", 512)
    monkeypatch.setattr(xlsx_parts._Strings, "HEAD", 1024)
    path = _strings_reversed(_shared(_ledger(tmp_path / "big.xlsx", write_only=True)),
                             tmp_path / "reversed.xlsx")
    rewritten = []
    with_whole = xlsx_books.with_whole_strings

    def watched(split):
        rewritten.append(split.parts)
        return with_whole(split)

    monkeypatch.setattr(xlsx_books, "with_whole_strings", watched)
    rows = _read_here(path)
    assert trimmed(rows) == trimmed(_whole(path, "台账"))
    assert rewritten[:1] == [["p1"]]  # the first part's workbook (its title is the last string)
    # Once a cut table lacked a string, the workbooks cut after it hold the whole table.
    with tempfile.TemporaryDirectory() as folder:
        books = xlsx_parts.split_sheet(path, "xl/worksheets/sheet1.xml", Path(folder))
        first = next(books)
        assert first.strings is not None
        whole = with_whole(first)
        assert whole.strings is None and whole.path != first.path
        later = list(books)
        assert later and all(split.strings is None for split in later)
        with zipfile.ZipFile(whole.path) as book, zipfile.ZipFile(path) as source:
            assert book.read("xl/sharedStrings.xml") == source.read("xl/sharedStrings.xml")


def test_dates_follow_the_1904_date_system(tmp_path, small_parts):
    path = _ledger(tmp_path / "mac.xlsx", write_only=False, date1904=True)
    [raw] = read_file(path)
    whole = _whole(path, "台账")
    assert trimmed(raw.rows) == trimmed(whole)
    assert isinstance(list(raw.rows)[5][3], date)


def test_rows_arrive_in_parts_and_can_be_indexed_before_the_end(tmp_path, small_parts):
    path = _ledger(tmp_path / "big.xlsx", write_only=True)
    [raw] = read_file(path)
    rows = raw.rows
    assert rows[1][1] == "姓名"  # the header, from the first part
    spans = list(rows.parts())
    assert len(spans) > 1 and spans[0][0] == 0
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert spans[-1][1] == len(rows) and rows[-1] == ["填表人：李四"] + [""] * (len(rows[-1]) - 1)


def _members_changed(path: Path, target: Path, changes: dict) -> Path:
    """A copy of the workbook with ``changes[member](data) -> data`` applied to those members."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in changes:
                data = changes[info.filename](data)
            out.writestr(info, data)
    return target


def _sheet_changed(path: Path, target: Path, change) -> Path:
    """A copy of the workbook with ``change(xml) -> xml`` applied to its sheet."""
    return _members_changed(path, target, {"xl/worksheets/sheet1.xml": change})


def test_a_sheet_that_cannot_be_cut_is_read_whole(tmp_path, small_parts):
    """Rows without an r attribute: cells would lose their place, so no cut is made."""
    path = _ledger(tmp_path / "big.xlsx", write_only=True)
    plain = _sheet_changed(path, tmp_path / "no-r.xlsx",
                           lambda xml: re.sub(rb'<row r="\d+"', b"<row ", xml).replace(
                               b"<row >", b"<row>"))
    with tempfile.TemporaryDirectory() as folder, pytest.raises(xlsx_parts.Cannot):
        list(xlsx_parts.split_sheet(plain, "xl/worksheets/sheet1.xml", Path(folder)))
    [raw] = read_file(plain)
    assert trimmed(raw.rows) == trimmed(_whole(plain, "台账"))


def test_a_damaged_sheet_gives_the_usual_message(tmp_path, small_parts):
    def damage(xml: bytes) -> bytes:
        middle = xml.index(b'<row r="400"')
        return xml[:middle] + b'<row r="400"><c r="A400" t="n"><v>x<<' + xml[middle:]

    broken = _sheet_changed(_ledger(tmp_path / "big.xlsx", write_only=True),
                            tmp_path / "broken.xlsx", damage)
    [raw] = read_file(broken)
    with pytest.raises(UnreadableFile, match="已损坏或不完整"):
        len(raw.rows)


def test_the_temporary_workbook_is_removed(tmp_path, small_parts, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    path = _ledger(tmp_path / "big.xlsx", write_only=True)
    [raw] = read_file(path)
    assert len(raw.rows) > 600
    assert _emptied(tmp_path / "tmp")


def _emptied(folder: Path) -> bool:
    """The reading thread removes its folder just after the last part: wait for it."""
    import time

    for _ in range(100):
        if not any(folder.iterdir()):
            return True
        time.sleep(0.02)
    return False


def test_a_workbook_of_parts_that_cannot_be_deleted_yet_does_not_stop_the_reading(
        tmp_path, small_parts, monkeypatch):
    """On Windows a virus scanner may hold a new file open: deleting a parsed workbook
    of parts then fails. The reading goes on (not a second, whole read of the sheet),
    and the folder goes at the end."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    unlink = Path.unlink

    def held_open(self, missing_ok=False):
        if self.suffix == ".xlsx" and self.parent.name.startswith("laborstation-read-"):
            raise PermissionError(32, "另一个程序正在使用此文件", str(self))
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", held_open)
    path = _ledger(tmp_path / "big.xlsx", write_only=True)
    rows = _read_here(path)
    assert trimmed(rows[:]) == trimmed(_whole(path, "台账"))
    assert _emptied(tmp_path / "tmp")


def _persons(path: Path) -> Path:
    from laborstation.idnumber import make_id

    book = Workbook(write_only=True)
    sheet = book.create_sheet("实名制台账")
    sheet.append(["某镇实名制台账"])
    sheet.append(["序号", "姓名", "身份证号", "行政村", "户编号", "与户主关系"])
    for n in range(1, 401):
        if n == 250:
            sheet.append([])
            sheet.append([None, "错号", "41092619700101123", "东村"])
        number = make_id("410926", date(1970, 1, 1 + n % 28), n, n % 2 == 0)
        sheet.append([n, f"王{n}", number, "东村", f"H{n // 4}", "户主" if n % 4 == 0 else "子"])
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["persons", "placements"])
def test_merged_cells_of_a_sheet_read_in_parts_are_filled_in(store, tmp_path, small_parts,
                                                            kind):
    """A big sheet's merged ranges follow its rows in the XML: known only once it is read,
    they make the import run again with them filled in (行政村 and 户编号 merged down)."""
    from sqlalchemy import func, select

    from laborstation.idnumber import make_id
    from laborstation.importing import run_import
    from laborstation.model import Household, Person, Placement
    from laborstation.progress import run_to_end
    from laborstation.services.station import set_station

    set_station(store, name="城关镇", code="410926100000")
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "姓名", "身份证号", "行政村", "户编号", "外出时间", "务工地点"])
    for n in range(1, 301):
        number = make_id("410926", date(1970, 1, 1 + n % 28), n, n % 2 == 0)
        first = n % 3 == 1  # households of three, their 户编号 merged down
        sheet.append([n, f"王{n}", number, "东村" if n == 1 else None,
                      f"H{n}" if first else None, "2026-03-01", "郑州"])
        if first:
            sheet.merge_cells(f"E{n + 1}:E{n + 3}")
    sheet.merge_cells("D2:D301")  # 行政村 merged down the whole table
    path = tmp_path / "merged.xlsx"
    book.save(path)
    assert xlsx_parts.sheets(path)[sheet.title][1]  # (read in parts)
    result = run_to_end(run_import(store, path, kind=kind))
    assert (result.read, result.added, result.errors) == (300, 300, 0) and result.accounted
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 300
        if kind == "persons":
            assert session.scalar(select(func.count()).select_from(Household)) == 100
            assert session.scalar(select(func.count()).select_from(Person).where(
                Person.household_id.is_(None))) == 0
        else:
            assert session.scalar(select(func.count()).select_from(Placement)) == 300


def test_an_import_read_in_parts_accounts_for_every_row(store, tmp_path, small_parts):
    from sqlalchemy import func, select

    from laborstation.importing import run_import
    from laborstation.model import Person
    from laborstation.progress import run_to_end
    from laborstation.services.station import set_station

    set_station(store, name="城关镇", code="410926100000")
    path = _persons(tmp_path / "persons.xlsx")
    result = run_to_end(run_import(store, path, kind="persons"))
    assert (result.read, result.added, result.errors, result.blank) == (402, 400, 1, 1)
    assert [f.row for f in result.error_findings] == [253] and result.accounted
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 400
        assert session.scalar(select(Person.name).where(Person.name == "王400")) == "王400"


@pytest.mark.sqlite_only
def test_indexes_suspended_part_way_come_back_whole(store, tmp_path, small_parts, monkeypatch):
    """A register that had rows: the indexes stay while the rows added are fewer, are
    dropped once they reach the rows there were, and are all there after the commit."""
    from sqlalchemy import func, select, text

    from laborstation.importing import bulk_write, run_import
    from laborstation.model import Person
    from laborstation.progress import run_to_end
    from laborstation.services.station import set_station

    monkeypatch.setattr(bulk_write, "SUSPEND_INDEXES_FROM", 50)
    set_station(store, name="城关镇", code="410926100000")
    first = _persons(tmp_path / "first.xlsx")  # 400 persons
    run_to_end(run_import(store, first, kind="persons"))
    with store.reading() as session:
        indexes = set(session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person'")))
    from laborstation.idnumber import make_id

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["姓名", "身份证号", "行政村"])
    for n in range(900):
        sheet.append([f"李{n}", make_id("410926", date(1990, 1, 1) + timedelta(days=n), 500, n % 2 == 0),
                      "西村"])
    book.save(tmp_path / "second.xlsx")
    dropped_at = []  # rows added when the person indexes were dropped
    suspend = bulk_write.suspend_indexes

    def watched(session, table, adding, existing=None):
        found = suspend(session, table, adding, existing)
        if found and table == "person":
            dropped_at.append(adding)
        return found

    monkeypatch.setattr(bulk_write, "suspend_indexes", watched)
    result = run_to_end(run_import(store, tmp_path / "second.xlsx", kind="persons"))
    assert result.added == 900 and result.accounted
    assert len(dropped_at) == 1 and 400 <= dropped_at[0] < 900  # part way, once
    with store.reading() as session:
        after = set(session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person'")))
        assert session.scalar(select(func.count()).select_from(Person)) == 1300
        assert session.scalar(text("PRAGMA integrity_check")) == "ok"
    assert after == indexes and "ix_person_labour" in after


def test_heads_are_found_within_a_part_and_in_a_later_part(store, tmp_path, small_parts,
                                                           monkeypatch):
    """A household's 户主 after a member of it, in the same part or parts later (a big
    import: on SQLite, written with the household or set at the end, the foreign keys
    checked once; the connection enforces them again afterwards)."""
    from sqlalchemy import select, text
    from sqlalchemy.exc import IntegrityError

    from laborstation.idnumber import make_id
    from laborstation.importing import bulk_write, run_import
    from laborstation.model import Household, Person
    from laborstation.progress import run_to_end
    from laborstation.services.station import set_station

    monkeypatch.setattr(bulk_write, "SUSPEND_INDEXES_FROM", 50)  # 400 rows make a big import
    set_station(store, name="城关镇", code="410926100000")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["序号", "姓名", "身份证号", "行政村", "户编号", "与户主关系"])
    relation = {5: ("FAR", "子"), 300: ("FAR", "户主"), 10: ("NEAR", "子"), 11: ("NEAR", "户主")}
    for n in range(400):
        number, role = relation.get(n, (f"H{n}", "户主"))
        sheet.append([n, f"赵{n}", make_id("410926", date(1975, 1, 1 + n % 28), n, True),
                      "东村", number, role])
    book.save(tmp_path / "heads.xlsx")
    result = run_to_end(run_import(store, tmp_path / "heads.xlsx", kind="persons"))
    assert result.added == 400 and result.households_added == 398
    with store.reading() as session:
        heads = dict(session.execute(
            select(Household.number, Person.name).join(Person, Person.id == Household.head_id)
        ).all())
        assert heads["FAR"] == "赵300" and heads["NEAR"] == "赵11" and heads["H7"] == "赵7"
        assert len(heads) == 398
    if store.engine.dialect.name != "sqlite":
        return
    with store.session() as session:
        assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        assert session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    with pytest.raises(IntegrityError), store.session() as session:
        session.execute(text("UPDATE person SET household_id = 999999 WHERE name = '赵1'"))


@pytest.mark.sqlite_only
def test_a_missing_row_a_foreign_key_points_at_is_found_before_the_commit(store):
    from sqlalchemy import text

    from laborstation.importing.bulk_write import begin_bulk_write, check_foreign_keys

    with pytest.raises(RuntimeError, match="household"), store.session() as session:
        assert begin_bulk_write(session)
        session.execute(text("INSERT INTO household (id, village_id, address, phone, category, "
                             "notes, created_at, updated_at) VALUES (1, 424242, '', '', '0', '', "
                             "'2026-01-01', '2026-01-01')"))
        check_foreign_keys(session, ("person", "household"))
    with store.reading() as session:
        assert session.execute(text("SELECT count(*) FROM household")).scalar_one() == 0


def test_the_mapping_of_a_sheet_still_being_read_is_shown_without_waiting_for_it():
    """``describe`` names the columns at once; the row count comes with the result."""
    import queue
    import threading

    from laborstation.importing.headers import find_header
    from laborstation.importing.plan import ImportPlan, SheetPlan

    feed: queue.Queue = queue.Queue()
    feed.put([["姓名", "身份证号", "行政村"],
              *[[f"张{n}", f"4109261980010100{n:02d}", "李庄村"] for n in range(60)]])
    rows = SheetRows(feed=feed, stop=threading.Event())  # (the rest never comes)
    sheet = SheetPlan("台账", rows, find_header("persons", rows))
    plan = ImportPlan("persons", Path("big.xlsx"), [sheet])
    shown: list[str] = []
    waiting = threading.Thread(target=lambda: shown.append(plan.describe()), daemon=True)
    waiting.start()
    waiting.join(timeout=10)
    assert shown, "describe waited for the whole sheet"
    assert "表头在第 1 行，数据较多，边读取边导入" in shown[0] and "身份证号 → 身份证号" in shown[0]


def test_a_plan_whose_reading_was_cancelled_is_refused_not_cut_short(store, tmp_path,
                                                                     small_parts, monkeypatch):
    """A plan used again after its import was cancelled part-way through reading: the
    rows not read are not taken for the end of the sheet; nothing is written."""
    import threading

    from sqlalchemy import func, select

    from laborstation.importing import run_import
    from laborstation.importing.plan import plan_import
    from laborstation.importing.sheet_rows import ReadingCancelled
    from laborstation.model import Person
    from laborstation.progress import run_to_end
    from laborstation.services.station import set_station

    set_station(store, name="城关镇", code="410926100000")
    path = _persons(tmp_path / "persons.xlsx")
    go_on = threading.Event()  # the reading waits after its first workbook until set
    split_sheet = xlsx_parts.split_sheet

    def held_up(*args):
        books = split_sheet(*args)
        yield next(books)
        go_on.wait(10)
        yield from books

    monkeypatch.setattr(xlsx_parts, "split_sheet", held_up)
    # The header is looked for in the first workbook's rows alone (else finding it would
    # wait for the held-up rest, and the whole sheet could be read before the close).
    monkeypatch.setattr(headers, "SCAN_ROWS", 2)
    plan = plan_import(store, "persons", path)
    [sheet] = plan.sheets
    assert sheet.header.first_row == 1 and not sheet.rows.complete
    plan.close()  # (as cancelling its import, or a window dropping the plan, does)
    go_on.set()
    for thread in threading.enumerate():  # the reading stops: nothing more is parsed
        if thread.name.startswith(("read ", "cut sheet")):
            thread.join(10)
            assert not thread.is_alive()
    with pytest.raises(ReadingCancelled, match="读取已经取消"):
        run_to_end(run_import(store, plan))
    assert not sheet.rows.complete
    with pytest.raises(ReadingCancelled):
        len(sheet.rows)  # (again, not a silent end)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_a_plan_read_in_parts_serves_a_trial_import_and_then_the_import(store, tmp_path,
                                                                        small_parts):
    """试导入 then 导入 with the same plan (as a window would): the second run gets every row."""
    from sqlalchemy import func, select

    from laborstation.importing import run_import
    from laborstation.importing.plan import plan_import
    from laborstation.model import Person
    from laborstation.progress import run_to_end
    from laborstation.services.station import set_station

    set_station(store, name="城关镇", code="410926100000")
    plan = plan_import(store, "persons", _persons(tmp_path / "persons.xlsx"))
    trial = run_to_end(run_import(store, plan, dry_run=True))
    real = run_to_end(run_import(store, plan))
    assert (trial.read, trial.added, trial.written) == (402, 400, False)
    assert (real.read, real.added, real.errors, real.written) == (402, 400, 1, True)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 400


def test_progress_guesses_the_rows_of_a_sheet_still_being_read(store, tmp_path, small_parts,
                                                               monkeypatch):
    """共约 N 行 while a big sheet is read in parts: from the share of its XML cut so far
    and the rows that share gave; within 5% of the 402 rows from the first guess."""
    from laborstation.importing import run as run_module
    from laborstation.importing.plan import plan_import
    from laborstation.services.station import set_station

    set_station(store, name="城关镇", code="410926100000")
    monkeypatch.setattr(run_module, "PROGRESS_EVERY", 40)
    plan = plan_import(store, "persons", _persons(tmp_path / "persons.xlsx"))
    steps = [step for step in run_module.run_import(store, plan)
             if step.message.startswith("检查")]
    guessed = [int(re.search(r"共约 (\d+) 行", step.message).group(1)) for step in steps
               if "共约" in step.message]
    assert len(guessed) >= 5 and all(abs(total - 402) <= 20 for total in guessed)
    assert steps[0].message == f"检查第 40 行（共约 {guessed[0]} 行）…"
