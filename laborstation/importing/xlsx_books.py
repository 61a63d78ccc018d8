"""The temporary workbooks a big sheet's parts are written into, for calamine to parse
(``xlsx_parts`` cuts the parts): each sheet of one a part, with the source's styles, date
system and shared strings (all of them, or the start a first part uses: ``_Strings``)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from laborstation.importing import error_cells

if TYPE_CHECKING:
    from laborstation.importing.xlsx_parts import _Strings

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."

@dataclass(slots=True)
class SplitSheet:
    path: Path  # the temporary workbook
    parts: list[str]  # its sheet names, in the order of the rows
    # When the workbook holds only the start of the shared strings: the whole table
    strings: _Strings | None = None
    size: int = 0  # bytes of the sheet's XML in its parts
    read_to: float | None = None  # the share of the sheet's XML cut up to its end
    errors: error_cells.Errors | None = None  # its parts' cells of an Excel error value


def write_parts(target: Path, head: bytes, parts: Iterable[bytes | bytearray], extra: dict,
           date1904: bool, strings: _Strings | None = None, *, cut: bool = False
           ) -> SplitSheet:
    """A workbook whose sheets p1, p2 … are the parts, written as they come, with the
    shared strings of ``strings`` when given: with ``cut``, of one part and the start
    of the table it uses.

    What follows ``</sheetData>`` in the sheet (merged cells, page set-up, …) holds no
    values and is left out."""
    names: list[str] = []
    table = None
    size = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for part in parts:
            names.append(f"p{len(names) + 1}")
            size += len(part)
            with out.open(f"xl/worksheets/{names[-1]}.xml", "w", force_zip64=True) as sheet:
                sheet.write(head)
                sheet.write(part)
                sheet.write(b"</sheetData></worksheet>")
            if strings is not None and cut:
                table = strings.cut_for(part)
        if cut and len(names) != 1:
            raise ValueError("a cut table of strings is for a workbook of one part")
        was_cut = table is not None
        if strings is not None and table is None:
            table = strings.whole()
        write_rest(out, names, extra, date1904, table)
    return SplitSheet(target, names, strings if was_cut else None, size)


def write_rest(out: zipfile.ZipFile, names: list[str], extra: dict, date1904: bool,
                table: bytes | None) -> None:
    """All of a workbook but its sheets; ``table``: the shared strings, if not in ``extra``."""
    out.writestr("[Content_Types].xml", _content_types(names, extra))
    out.writestr("_rels/.rels", _package_rels())
    out.writestr("xl/workbook.xml", _workbook(names, date1904))
    out.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(names, extra))
    for kind, data in extra.items():
        out.writestr(f"xl/{kind}.xml",
                     table if kind == "sharedStrings" and table is not None else data)


def with_whole_strings(split: SplitSheet) -> SplitSheet:
    """A copy of the workbook of ``split`` (beside it) with the whole table of shared
    strings, for when the cut one lacks a string; the workbooks cut after it get the
    whole table too."""
    if split.strings is None:
        raise ValueError("the workbook has the whole table already")
    split.strings.given_up = True
    target = split.path.with_suffix(".whole.xlsx")
    with zipfile.ZipFile(split.path) as book, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for info in book.infolist():
            data = book.read(info)
            if info.filename.endswith("/sharedStrings.xml"):
                data = split.strings.whole()
            out.writestr(info, data)
    return SplitSheet(target, split.parts)


def _content_types(names: list[str], extra: dict) -> str:
    overrides = [f'<Override PartName="/xl/worksheets/{n}.xml" ContentType="{_CT}worksheet+xml"/>'
                 for n in names]
    overrides += [f'<Override PartName="/xl/{kind}.xml" ContentType="{_CT}{kind}+xml"/>'
                  for kind in extra]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}sheet.main+xml"/>'
            + "".join(overrides) + "</Types>")


def _package_rels() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>")


def _workbook(names: list[str], date1904: bool) -> str:
    sheets = "".join(f'<sheet name="{n}" sheetId="{k}" r:id="rId{k}"/>'
                     for k, n in enumerate(names, 1))
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{pr}<sheets>{sheets}</sheets></workbook>')


def _workbook_rels(names: list[str], extra: dict) -> str:
    rels = [f'<Relationship Id="rId{k}" Type="{REL}/worksheet" Target="worksheets/{n}.xml"/>'
            for k, n in enumerate(names, 1)]
    rels += [f'<Relationship Id="rId{kind}" Type="{REL}/{kind}" Target="{kind}.xml"/>'
             for kind in extra]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{PKG}">' + "".join(rels) + "</Relationships>")
