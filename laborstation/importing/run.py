"""``run_import``: the import as a progress generator, all valid rows in one transaction.

Every data row below a header ends up counted once: added, updated, unchanged,
error or blank (blank rows, rows with only a 序号, note rows such as 填表人/注, the
header again further down).

A field found in two columns (two 联系电话) takes the second's value in a row whose
first is empty; when both hold different values, the first is kept and the row is
given a warning (``_fill_from_duplicates``).

With ``dry_run``, or ``all_or_nothing`` and any error, the transaction is rolled
back; closing the generator (cancel) rolls back too.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Generator
from datetime import date
from functools import partial
from pathlib import Path

from laborstation.importing import error_cells, wages
from laborstation.importing import rows as convert
from laborstation.importing.apply import Env, check_township_column
from laborstation.importing.apply_persons import PersonsWriter
from laborstation.importing.apply_placements import apply_placements
from laborstation.importing.apply_trainings import apply_trainings
from laborstation.importing.headers import KIND_NAMES, normalise_header
from laborstation.importing.letting_go import let_go
from laborstation.importing.plan import (
    ImportPlan,
    NoStation,
    SheetPlan,
    fill_merged_cells,
    own_township,
    plan_import,
)
from laborstation.importing.result import ERROR, ImportResult, Item
from laborstation.importing.sheet_rows import SheetRows
from laborstation.importing.sheet_titles import course_from_title, group_section
from laborstation.importing.values import BadValue, Codes
from laborstation.importing.xlsx_parts import column_letter
from laborstation.progress import Progress
from laborstation.services import authz

APPLY = {"placements": apply_placements, "trainings": apply_trainings}
_NOTE_STARTS = ("注", "说明", "备注", "填表", "审核", "制表", "负责人", "合计", "总计", "小计",
                "共计", "统计", "填报", "单位", "联系电话", "经办人", "签字", "签名", "盖章",
                "日期", "以上", "以下")
_COUNTED = re.compile(r"共\s*\d+\s*[人户名位个]")  # 共2人, written where a name would be
# A sign-off anywhere in a cell: a stamp or a signature (村委会（盖章）, 村支书签字：), a role
# with its name (所长：王某某, 村协理员 张某某); and a date beside it (2026年11月20日, 年 月 日).
_SIGN_OFF = re.compile(
    r"盖章|签字|签名|签章|[(（]\s*公?章\s*[)）]|(?:经办人|负责人|审核人|审批人|填表人|制表人|填报人"
    r"|所长|站长|书记|村支书|主任|村长|协理员|联系人|联系电话|日期)\s*(?:[:：]|\s\S|[\u4e00-\u9fff]{2,4}$)")
_DATE = re.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}\s*(?:月|[月.\-/]\s*\d{1,2}\s*日?)?|年\s*月\s*日")
PROGRESS_EVERY = 20000
# _NO_GC: the cycle collector is paused while rows are converted and written. A ledger
# makes millions of lists and dicts (none of them cyclic); every full collection would
# walk them all again, which cost ~2 s of a 250,000-row import. It is back on at the end,
# also on an error or a cancel, once the import's own rows and records are freed (else the
# first collection walks them all once more: ~0.4 s for 250,000 rows).


class _Discard(Exception):
    """Raised inside the session to roll the whole import back."""


def _is_blank(cells: list, sheet: SheetPlan) -> bool:
    """Blank rows, rows with only a 序号, repeated header rows and notes under the table."""
    header = sheet.header
    id_column = header.columns["id_number"]
    if id_column < len(cells):
        id_cell = cells[id_column]
        if isinstance(id_cell, str) and len(id_cell) >= 15 and id_cell[:6].isdigit():
            return False  # the common case: an ID number is there
    filled = [i for i, value in enumerate(cells) if value is not None and str(value).strip()]
    if not filled:
        return True
    if _repeats_header(cells, filled, header):
        return True
    name_column = header.columns.get("name")
    id_cell = cells[id_column] if id_column < len(cells) else ""
    name_cell = cells[name_column] if name_column is not None and name_column < len(cells) else ""
    id_text, name = str(id_cell).strip(), str(name_cell).strip()
    if id_text:
        if id_text.startswith(_NOTE_STARTS) and ("：" in id_text or ":" in id_text or not name):
            return True  # a signature line under the table: 审核人：王所长 under 身份证号
        if not name and id_text.endswith(("：", ":")) and not _id_attempt(id_text):
            return True  # 审核： | | 村支书签字： (a label waiting for its signature)
        if name.startswith(_NOTE_STARTS) and not _id_attempt(id_text):
            return True  # 合计 | 3人, 负责人： | 王所长, 填表人 | 张三 under 姓名 and 身份证号
        return normalise_header(id_cell) == normalise_header(header.titles[id_column]) \
            or _signs_off(cells, filled, sheet)
    if not name and set(filled) <= sheet.prefilled_columns:
        return True  # only its 序号 (and a template's places) filled in: no person
    first = str(cells[filled[0]]).strip()
    if name:
        if name.startswith(_NOTE_STARTS) or _COUNTED.fullmatch(name):
            return True  # 合计, 以下空白, 共2人, 填表人：… under 姓名, no ID number: no person
        if filled[0] != name_column and first.startswith(_NOTE_STARTS):
            return True  # a total under the table: 合计 in the 序号 column, 4人 under 姓名
        return normalise_header(name_cell) == normalise_header(header.titles[name_column]) \
            or _signs_off(cells, filled, sheet)
    return len(filled) <= 2 or first.startswith(_NOTE_STARTS) or _signs_off(cells, filled, sheet)


def _signs_off(cells: list, filled: list[int], sheet: SheetPlan) -> bool:
    """Sign-off lines under the table (村委会（盖章） | 2026年11月20日, 所长：王某某 | 经办人：
    李某): each filled cell a sign-off, a date, the name after a label (所长： | 王某某) or a
    template's 序号 or place. A name of its own (张伟 under 姓名, no ID number) is a person's
    row, refused, not a note."""
    prefilled = sheet.prefilled_columns
    signed = label = False
    for column in filled:
        value = cells[column]
        cell = str(value).strip()
        if _SIGN_OFF.search(cell):
            signed, label = True, cell.endswith((":", "：", "签字", "签名"))
            continue
        if not (label or column in prefilled or isinstance(value, date) or _DATE.fullmatch(cell)):
            return False
        label = False
    return signed


def _id_attempt(text: str) -> bool:
    """A 身份证号 cell that tries to be one (refused when wrong): six digits or more."""
    return sum(char.isdigit() for char in text) >= 6


def _repeats_header(cells: list, filled: list[int], header) -> bool:
    """The header again under the table (printed pages pasted together): each filled
    cell is the header's text of its column, in one of its rows. (The lower row of a
    two-row header has no 身份证号 or 姓名 to tell it by.)"""
    keys = header.row_keys
    if not keys:
        return False
    for column in filled:
        key = normalise_header(cells[column])
        if not any(column < len(row) and row[column] == key for row in keys):
            return False
    return True


def _duplicate_columns(header) -> list[tuple[int, list[int], str, dict]]:
    """(first column, its repeats, the header text, the repeats whose numbers are in
    another unit) of each field found in more than one column; [] when there are none
    (the common case: nothing is done per row). A wage's unit is in its header: 月收入
    （元） and 年收入（万元） (``wages.wage_column``)."""
    found = []
    for name, others in header.extra_columns.items():
        first = header.columns[name]
        units = {}
        if name == "wage":
            unit = wages.wage_column(header.titles[first])
            units = {other: wage_column for other in others
                     if (wage_column := wages.wage_column(header.titles[other])) != unit}
        found.append((first, others, header.titles[first], units))
    return found


def _cell_key(value: object) -> str:
    """A cell's value as compared between two columns ('' when empty; 1.0 is 1)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _fill_from_duplicates(cells: list, duplicates: list[tuple[int, list[int], str, dict]]
                          ) -> tuple[list, list[str]]:
    """The row with each empty first column of a repeated field given the value of its
    next filled repeat (a copy; the row as read stays for the error report; a number in
    another unit written with it), and the warnings for repeats whose value differs from
    the first's (not imported)."""
    row, warnings, size = cells, [], len(cells)
    for first, others, title, units in duplicates:
        kept = _cell_key(cells[first]) if first < size else ""
        title = " ".join(title.split())
        for other in others:
            value = _cell_key(cells[other]) if other < size else ""
            if not value or value == kept:
                continue
            if not kept:
                if row is cells:
                    row = list(cells) + [""] * (first + 1 - size)
                row[first] = units[other].written(cells[other]) if other in units \
                    else cells[other]
                kept = value
                continue
            warnings.append(
                f"“{title}”列重复：{column_letter(other)} 列的“{value}”没有导入"
                f"（与 {column_letter(first)} 列的“{kept}”不同，只导入 "
                f"{column_letter(first)} 列）")
    return row, warnings


def _total(plan: ImportPlan) -> int | None:
    """The rows to check, once every sheet has been read (a big one arrives in parts)."""
    if all(getattr(sheet.rows, "complete", True) for sheet in plan.usable_sheets):
        return plan.rows
    return None


def _about(plan: ImportPlan) -> int | None:
    """The rows to check, guessed while a big sheet is still being read (progress only)."""
    total = 0
    for sheet in plan.usable_sheets:
        rows = sheet.rows
        guess = rows.estimated_total if isinstance(rows, SheetRows) else len(rows)
        if guess is None:
            return None
        total += max(guess - sheet.header.data_start, 0)
    return total


class _Checked(Progress):
    """Rows checked so far (``_one_bar``: the first half of the bar)."""

    __slots__ = ()


def _checking(seen: int, plan: ImportPlan) -> Progress:
    total = _total(plan)
    if total is not None:
        return _Checked(seen, total, f"检查第 {seen} 行（共 {total} 行）…")
    about = _about(plan)
    if about is None:
        return _Checked(seen, None, f"检查第 {seen} 行…")
    return _Checked(seen, max(about, seen), f"检查第 {seen} 行（共约 {max(about, seen)} 行）…")


_BAR = 1000  # steps of the import's one bar


def _one_bar(work: Generator[Progress, None, None]) -> Generator[Progress, None, None]:
    """The import's progress as one bar that never goes back: checking the rows fills its
    first half and writing them its second. (Each counted from 0 to all the rows, the bar
    went back from 100 % to 0 when a small sheet, checked whole, began to be written, and
    a big one's went back and forth as its parts were checked and written in turn.) A
    step of unknown share keeps the bar where it is."""
    checked = written = 0.0
    try:
        for step in work:
            fraction = step.fraction
            if fraction is not None:
                if isinstance(step, _Checked):
                    checked = max(checked, fraction)
                else:
                    written = max(written, fraction)
            elif not (checked or written):
                yield step  # (nothing known yet: a busy bar)
                continue
            yield Progress(round((checked + written) * _BAR / 2), _BAR, step.message, step.final)
    finally:
        work.close()  # (a cancel closes this generator: the import's is closed, rolled back)


def _convert(plan: ImportPlan, result: ImportResult,
             write: Callable | None = None) -> Generator[Progress, None, list[Item]]:
    """Check every row; ``write(items, total)`` (a generator) gets each part's items as
    soon as they are checked, while the next part is still being read."""
    codes = Codes()
    items: list[Item] = []
    append = items.append
    seen = blank = 0
    for sheet in plan.usable_sheets:
        header = sheet.header
        result.headers[sheet.name] = header.titles
        result.shared[sheet.name] = [(written, value) for written, value
                                     in sheet.title_fields.values()]
        if sheet.course_from_title:
            result.shared[sheet.name].append((CLASS_COLUMN, sheet.course_from_title[0]))
        result.header_rows[sheet.name] = header.rows
        shared = {f: value for f, (_name, value) in sheet.title_fields.items()}
        if sheet.course_from_title:
            shared["course"] = sheet.course_from_title[0]
        reader = convert.RowReader(header.columns, sheet.village_from_name, header.titles,
                                   sheet.group_from_name, sheet.township_from_name, shared)
        converter = convert.converter(plan.kind, reader, codes)
        id_column, name = header.columns["id_number"], sheet.name
        duplicates = _duplicate_columns(header)
        dropped: list[str] = []
        # A training roster's class from its title: a title of another class further down
        # (a second block: title, header, rows) names the class of the rows below it.
        titled = plan.kind == "trainings" and sheet.course_from_title is not None
        own = own_township(plan.station) if titled else ""
        persons = plan.kind == "persons"
        rows, errors = sheet.rows, sheet.errors
        parts = rows.parts() if isinstance(rows, SheetRows) else [(0, len(rows))]
        for start, stop in parts:  # a big sheet's rows are checked while the rest is read
            first = len(items)
            start = max(start, header.data_start)
            # One slice a part: indexing a SheetRows row by row costs a method call each.
            for index, cells in enumerate(rows[start:stop], start):
                seen += 1
                if seen % PROGRESS_EVERY == 0:
                    yield _checking(seen, plan)
                read = cells  # (as read: kept for the error report)
                if duplicates:
                    cells, dropped = _fill_from_duplicates(read, duplicates)
                # The common case inline: an ID number is there (``_is_blank`` would say False).
                id_cell = cells[id_column] if id_column < len(cells) else None
                if not (id_cell.__class__ is str and len(id_cell) >= 15
                        and id_cell[:6].isdigit()) and _is_blank(cells, sheet):
                    blank += 1
                    if titled and (title := _class_title(cells, own)):
                        shared["course"] = title
                    elif persons and (group := group_section(cells)):
                        reader.section_group = group  # (一组（2户）: the rows below are in it)
                    continue
                item = Item(name, index + 1, read)
                if titled and shared["course"] != sheet.course_from_title[0]:
                    item.shared = {CLASS_COLUMN: shared["course"]}
                if duplicates and dropped:
                    item.warnings = dropped
                if errors and index in errors:
                    error_cells.check(item, errors[index], header)
                    if item.outcome == ERROR:
                        append(item)
                        continue
                try:
                    item.record = converter(cells, item)
                except BadValue as error:
                    item.refuse(str(error))
                append(item)
            if write is not None and len(items) > first:
                yield from write(items[first:], _total(plan))
        result.read += len(rows) - header.data_start
        if reader.carried is not None:
            result.carried_down += reader.carried.rows
        result.section_grouped += reader.section_rows
    result.blank += blank
    for sheet in plan.sheets:
        if not sheet.usable and not sheet.hidden and any(
                any(str(c).strip() for c in r) for r in sheet.rows):
            result.skipped_sheets.append(sheet.name)
    return items


CLASS_COLUMN = "培训班名称"  # (the report's column of a class taken from a title)


def _class_title(cells: list, own: str) -> str | None:
    """A row holding only a class's title (2025年城关镇焊工培训班花名册): that class."""
    texts = [cell for cell in cells if cell.__class__ is str and cell.strip()]
    return course_from_title([texts], 1, "", own)[0] if len(texts) == 1 else None


def _hand_over_rows(plan: ImportPlan) -> list[list]:
    """The rows of each sheet of a plan made by the import itself (nobody else holds it),
    taken out of it to be freed early (``letting_go``). A sheet still being read (one
    not imported, read only up to its first rows) keeps them, so it is cancelled at the
    end as before."""
    taken = []
    for sheet in plan.sheets:
        rows = sheet.rows
        if isinstance(rows, SheetRows):
            if not rows.complete:
                continue
            taken.append(rows.release())
        else:
            taken.append(rows)
            sheet.rows = []
    return taken


def run_import(
    store,
    plan_or_path: ImportPlan | str | Path,
    *,
    kind: str | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    overwrite: bool = False,
) -> Generator[Progress, None, ImportResult]:
    """Import a ledger; yields ``Progress``, returns the ``ImportResult``."""
    collecting = gc.isenabled()
    gc.disable()  # see _NO_GC (from the start: a big sheet is read while rows are checked)
    try:
        return (yield from _import(store, plan_or_path, kind=kind, dry_run=dry_run,
                                   all_or_nothing=all_or_nothing, overwrite=overwrite))
    finally:  # (_import's frame, with all the rows, is gone by now)
        if collecting:
            gc.enable()


class _Merged(Exception):
    """Raised inside the session: a big sheet's data rows have merged cells, known only
    once it was read; rolled back, to be imported again with them filled in."""


def _filled_merges(plan: ImportPlan) -> bool:
    """Fill the merged cells in the data rows of the big sheets (read in parts: their
    ranges come after their rows); True when there were any."""
    filled = False
    for sheet in plan.usable_sheets:
        rows = sheet.rows
        if isinstance(rows, SheetRows) and rows.merges:
            merges, rows.merges = rows.merges, []  # (filled once)
            filled |= fill_merged_cells(rows, merges, sheet.header.data_start,
                                        sheet.header.serial_column)
    return filled


def _write(store, plan: ImportPlan, result: ImportResult, *, hand_over: bool, again: bool,
           overwrite: bool, dry_run: bool, all_or_nothing: bool
           ) -> Generator[Progress, None, None]:
    """Check and write every row in one transaction: committed, or rolled back by
    ``_Discard`` (a trial; errors with all-or-nothing) or ``_Merged``. A big import's
    pages are copied into the database file after its commit (``db.checkpoint``)."""
    with store.session() as session:
        env = Env(session, plan.station, result, overwrite=overwrite)
        # Persons are written part by part, as the rows are checked; the rest after.
        writer = PersonsWriter(env) if plan.kind == "persons" else None
        items = yield from _convert(plan, result, writer.add if writer else None)
        if not again and _filled_merges(plan):
            raise _Merged()
        check_township_column(items, env)
        if writer is not None:
            yield from writer.finish(partial(let_go, items, _hand_over_rows(plan)
                                             if hand_over else []))
        else:
            yield from APPLY[plan.kind](env, items)
        env.flush_audit()
        yield Progress(result.read, result.read, "试导入：核对完毕，不写入…" if dry_run else "提交…",
                       final=True)
        for item in items:
            if not item.outcome:  # a path of apply that forgot the row: never lose it
                item.refuse("未能处理此行")
        result.count_all(items)
        if dry_run:
            raise _Discard("试导入")
        if all_or_nothing and result.errors:
            raise _Discard(f"有 {result.errors} 行错误，按“有任何一行出错就整批不导入”的要求整批不导入")
    if session.info.get("checkpoint"):
        store.checkpoints.start()


def _import(store, plan_or_path, *, kind, dry_run, all_or_nothing, overwrite):
    plan = plan_or_path if isinstance(plan_or_path, ImportPlan) else None
    try:
        authz.require_writer(store)  # (a trial import too: it holds the write lock as long)
        if plan is None:
            if kind is None:
                raise ValueError("kind is needed when a path is given")
            yield Progress(0, None, "读取文件…")
            plan = plan_import(store, kind, plan_or_path)
        if plan.station is None:
            raise NoStation()
        for again in (False, True):  # (again: with a big sheet's merged cells filled in)
            result = ImportResult(plan.kind, plan.path, dry_run=dry_run)
            if plan.likelier:
                other = KIND_NAMES[plan.likelier[0]]
                result.likelier_note = (f"这个文件更像{other}：按{KIND_NAMES[plan.kind]}只导入了"
                                        f"其中{KIND_NAMES[plan.kind]}有的列；{other}的内容要按“{other}”"
                                        "再导入一次")
            try:
                yield from _one_bar(_write(
                    store, plan, result, hand_over=plan is not plan_or_path, again=again,
                    overwrite=overwrite, dry_run=dry_run, all_or_nothing=all_or_nothing))
            except _Merged:
                yield Progress(0, None, "表中有合并单元格：按合并单元格的值重新检查…")
                continue
            except _Discard as discard:
                result.discarded_reason = str(discard)
                result.written = False
                return result
            break
    finally:
        if plan is not None:  # a cancel, or an error, while a big sheet is still being read
            plan.close()
    result.written = True
    return result
