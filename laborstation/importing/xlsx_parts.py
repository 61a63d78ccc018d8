"""Cut one big .xlsx sheet into parts, so its rows can be used while the rest is parsed.

python-calamine parses a whole sheet before it gives back any row (it releases the
GIL while it parses). For a 250,000-row ledger that is ~5 s during which the import
could already be checking rows. Here the sheet's XML is cut at row boundaries into
several sheets of one temporary workbook (the same shared strings, styles and date
system), which a background thread parses one after the other (``reading``).

Each part keeps its cells' own references (``C125001``), so a part's rows start at
``CalamineSheet.start``: ``part_rows`` puts them back at their place. Anything not
as expected (a namespace prefix, rows without ``r``, strict OOXML) gives ``None``
and the sheet is read whole, as before.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

SPLIT_FROM = 24 * 2**20  # bytes of sheet XML; smaller sheets are read whole
FIRST_PART = 2 * 2**20  # a small first part, so the rows start coming soon
PART = 16 * 2**20

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_SHEET_DATA = re.compile(rb"<sheetData\s*>")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")


@dataclass(slots=True)
class SplitSheet:
    path: Path  # the temporary workbook
    parts: list[str]  # its sheet names, in the order of the rows


def _sheet_members(book: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str], bool] | None:
    """(sheet name → zip member, other parts by relationship type, date1904) or None."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    if workbook.tag != f"{{{_MAIN}}}workbook":
        return None  # strict OOXML or something else: read whole
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else str(
            PurePosixPath("xl") / target)
        targets[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], member)
    sheets = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        found = targets.get(sheet.get(f"{{{_REL}}}id"))
        if found and found[0] == "worksheet":
            sheets[sheet.get("name")] = found[1]
    others = {kind: member for kind, member in targets.values()
              if kind in ("styles", "sharedStrings")}
    pr = workbook.find(f"{{{_MAIN}}}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    return sheets, others, date1904


def big_sheets(path: Path) -> dict[str, str]:
    """Sheet name → zip member, for the sheets big enough to be read in parts."""
    try:
        with zipfile.ZipFile(path) as book:
            found = _sheet_members(book)
            if found is None:
                return {}
            return {name: member for name, member in found[0].items()
                    if book.getinfo(member).file_size >= SPLIT_FROM}
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return {}


def _cuts(xml: bytes, start: int, end: int) -> list[int] | None:
    """Offsets of ``<row `` tags that cut ``xml[start:end]`` into parts; None if a row has no r."""
    cuts = [start]
    goal = start + FIRST_PART
    while goal < end - PART // 4:
        cut = xml.find(b"<row ", goal, end)
        if cut < 0:
            break
        close = xml.find(b">", cut)
        if b' r="' not in xml[cut:close]:
            return None
        cuts.append(cut)
        goal = cut + PART
    cuts.append(end)
    return cuts


def split_sheet(path: Path, member: str, folder: Path) -> SplitSheet | None:
    """Write a workbook of the parts of ``member`` into ``folder``; None when it can't be cut."""
    with zipfile.ZipFile(path) as book:
        found = _sheet_members(book)
        if found is None:
            return None
        _sheets, others, date1904 = found
        xml = book.read(member)
        extra = {kind: book.read(m) for kind, m in others.items()}
    opened = _SHEET_DATA.search(xml, 0, 1 << 20)
    end = xml.rfind(b"</sheetData>")
    if opened is None or end < 0 or b"<row " not in xml[opened.end():opened.end() + 4096]:
        return None
    cuts = _cuts(xml, opened.end(), end)
    if cuts is None or len(cuts) < 3:
        return None
    head = _DIMENSION.sub(b"", xml[:opened.end()])
    tail = xml[end:]
    names = [f"p{k}" for k in range(1, len(cuts))]
    target = folder / "parts.xlsx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        out.writestr("[Content_Types].xml", _content_types(names, extra))
        out.writestr("_rels/.rels", _package_rels())
        out.writestr("xl/workbook.xml", _workbook(names, date1904))
        out.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(names, extra))
        for kind, data in extra.items():
            out.writestr(f"xl/{kind}.xml", data)
        last = len(names) - 1
        view = memoryview(xml)
        for k, name in enumerate(names):
            with out.open(f"xl/worksheets/{name}.xml", "w", force_zip64=True) as part:
                part.write(head)
                part.write(view[cuts[k]:cuts[k + 1]])
                part.write(tail if k == last else b"</sheetData></worksheet>")
        view.release()
    return SplitSheet(target, names)


def part_rows(rows: list[list], start: tuple[int, int] | None, done: int,
              width: int) -> list[list]:
    """A later part's rows (``to_python(skip_empty_area=True)``) put back at their place:
    blank rows for the gap after the ``done`` rows before it, and blank cells for its
    empty columns on the left."""
    if start is None or not rows:
        return []
    row, column = start
    if row < done:
        raise ValueError(f"part starts at row {row}, before row {done}")
    gap = [[""] * width for _ in range(row - done)]
    if column:
        pad = [""] * column
        rows = [pad + cells for cells in rows]
    return gap + rows if gap else rows


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
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>")


def _workbook(names: list[str], date1904: bool) -> str:
    sheets = "".join(f'<sheet name="{n}" sheetId="{k}" r:id="rId{k}"/>'
                     for k, n in enumerate(names, 1))
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">{pr}<sheets>{sheets}</sheets></workbook>')


def _workbook_rels(names: list[str], extra: dict) -> str:
    rels = [f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" Target="worksheets/{n}.xml"/>'
            for k, n in enumerate(names, 1)]
    rels += [f'<Relationship Id="rId{kind}" Type="{_REL}/{kind}" Target="{kind}.xml"/>'
             for kind in extra]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{_PKG}">' + "".join(rels) + "</Relationships>")
