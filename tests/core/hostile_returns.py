"""Malformed return files for ``read_return``: damaged copies of a valid return workbook.

Each case's ``build(path, base)`` changes ``base`` (a return the test exports) one way:
a sheet dropped or renamed, ``_meta`` altered, a figure that is not a number, a part of
the zip cut short or not well-formed XML, the whole file truncated or replaced.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from hostile_files import MEGABYTE, Hostile, file_of, fixed_zip, ledger_bytes
from openpyxl import load_workbook


def _edit_return(change: Callable) -> Callable[[Path, Path | None], None]:
    """A case that loads the valid return, lets ``change(book)`` damage it and saves it."""
    def build(path: Path, base: Path | None) -> None:
        book = load_workbook(base)
        change(book)
        book.save(path)

    return build


def _set_meta(key: str, value) -> Callable:
    def change(book) -> None:
        sheet = book["_meta"]
        for row in sheet.iter_rows():
            if row[0].value == key:
                row[1].value = value
                return
        sheet.append([key, value])

    return change


def _figure(code: str, column: int, value) -> Callable:
    def change(book) -> None:
        for row in book["月报表"].iter_rows():
            if str(row[1].value) == code:
                row[2 + column].value = value
                return
        raise AssertionError(f"no row {code}")

    return change


def _zip_edit(change: Callable[[dict[str, bytes]], None]) -> Callable[[Path, Path | None], None]:
    def build(path: Path, base: Path | None) -> None:
        with zipfile.ZipFile(base) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        change(parts)
        path.write_bytes(fixed_zip(b"", parts))

    return build


def _truncated(fraction: float) -> Callable[[Path, Path | None], None]:
    def build(path: Path, base: Path | None) -> None:
        data = base.read_bytes()
        path.write_bytes(data[:int(len(data) * fraction)])

    return build


def _sheet_part(book_parts: dict[str, bytes], title: str) -> str:
    """The zip name of the worksheet called ``title``."""
    workbook = book_parts["xl/workbook.xml"].decode()
    order = workbook.split("<sheet ")[1:]
    index = next(i for i, s in enumerate(order, 1) if f'name="{title}"' in s)
    return f"xl/worksheets/sheet{index}.xml"


def return_files(seed: int = 1) -> list[Hostile]:
    """The return reader's hostile files (> 20): damaged copies of a valid return."""
    rng = random.Random(seed)
    r = ("return",)

    def drop_sheet(title: str) -> Callable:
        return lambda book: book.remove(book[title])

    def rename_sheet(title: str, new: str) -> Callable:
        def change(book) -> None:
            book[title].title = new

        return change

    def break_part(title: str, cut: bool) -> Callable:
        def change(parts: dict[str, bytes]) -> None:
            name = _sheet_part(parts, title)
            data = parts[name]
            parts[name] = data[: len(data) // 2] if cut else data.replace(b"<row", b"<row <", 1)

        return change

    cases = [
        Hostile("return_empty.xlsx", "empty file", r, file_of(b"")),
        Hostile("return_random.xlsx", "random bytes", r, file_of(rng.randbytes(3000))),
        Hostile("return_pk_random.xlsx", "random bytes", r,
                file_of(b"PK\x03\x04" + rng.randbytes(3000))),
        Hostile("return_html.xls", "HTML/XML saved as .xls", r,
                file_of(b"<html><table><tr><td>1</td></tr></table></html>")),
        Hostile("return_ole_encrypted.xlsx", "password-protected", r,
                file_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                       + "EncryptedPackage".encode("utf-16-le"))),
        Hostile("return_a_ledger.xlsx", "missing sheets", r, file_of(ledger_bytes("persons"))),
        Hostile("return_no_meta.xlsx", "missing sheets", r, _edit_return(drop_sheet("_meta"))),
        Hostile("return_no_figures.xlsx", "missing sheets", r, _edit_return(drop_sheet("月报表"))),
        Hostile("return_renamed_figures.xlsx", "missing sheets", r,
                _edit_return(rename_sheet("月报表", "Sheet1"))),
        Hostile("return_wrong_format.xlsx", "altered _meta", r,
                _edit_return(_set_meta("format", "Other-Return"))),
        Hostile("return_format_blank.xlsx", "altered _meta", r,
                _edit_return(_set_meta("format", None))),
        Hostile("return_format_number.xlsx", "altered _meta", r,
                _edit_return(_set_meta("format", 42))),
        Hostile("return_revision_text.xlsx", "altered _meta", r,
                _edit_return(_set_meta("revision", "第二版"))),
        Hostile("return_revision_float.xlsx", "altered _meta", r,
                _edit_return(_set_meta("revision", 1.5))),
        Hostile("return_huge_meta.xlsx", "huge cells", r,
                _edit_return(_set_meta("unit_name", "张" * (MEGABYTE // 3)))),
        Hostile("return_figure_text.xlsx", "non-numeric figures", r,
                _edit_return(_figure("201", 2, "十二"))),
        Hostile("return_figure_bool.xlsx", "non-numeric figures", r,
                _edit_return(_figure("201", 3, True))),
        Hostile("return_figure_date.xlsx", "non-numeric figures", r,
                _edit_return(_figure("101", 2, datetime(2026, 1, 1)))),
        Hostile("return_figure_formula.xlsx", "formulas", r,
                _edit_return(_figure("201", 2, "=cmd|' /C calc'!A0"))),
        Hostile("return_figure_infinite.xlsx", "non-numeric figures", r,
                _edit_return(_figure("201", 2, "1e999999"))),
        Hostile("return_no_code_header.xlsx", "missing sheets", r,
                _edit_return(lambda book: [setattr(c, "value", "编码") for row in
                                           book["月报表"].iter_rows(max_row=10)
                                           for c in row if c.value == "代码"])),
        Hostile("return_meta_sheet_cut.xlsx", "zip with a broken part", r,
                _zip_edit(break_part("_meta", cut=True))),
        Hostile("return_figures_sheet_cut.xlsx", "zip with a broken part", r,
                _zip_edit(break_part("月报表", cut=True))),
        Hostile("return_figures_bad_xml.xlsx", "zip with a broken part", r,
                _zip_edit(break_part("月报表", cut=False))),
        Hostile("return_no_workbook_part.xlsx", "zip missing a part", r,
                _zip_edit(lambda parts: parts.pop("xl/workbook.xml"))),
        Hostile("return_no_shared_strings.xlsx", "zip missing a part", r,
                _zip_edit(lambda parts: parts.pop("xl/sharedStrings.xml", None))),
        Hostile("return_no_styles.xlsx", "zip missing a part", r,
                _zip_edit(lambda parts: parts.pop("xl/styles.xml", None))),
    ]
    cases += [Hostile(f"return_truncated_{int(f * 100)}pct.xlsx", "truncated zip", r, _truncated(f))
              for f in (0.01, 0.2, 0.5, 0.8, 0.99)]
    return cases
