"""The bench ledger as Excel and WPS save it: text in a table of shared strings.

openpyxl's write-only mode writes every text cell inline (``t="inlineStr"``); a
ledger saved by Excel or WPS keeps each distinct text once in ``xl/sharedStrings.xml``
and the cells point at it (``t="s"``). Both are .xlsx, read differently: the bench
imports both. The copy is made by streaming the sheet's XML, in a process of its
own, so its table of strings does not count in the bench's peak memory.
"""

from __future__ import annotations

import multiprocessing
import re
import zipfile
from pathlib import Path

_INLINE = re.compile(
    rb'(<c r="[A-Z]+[0-9]+"[^>]*?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is>')
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_CHUNK = 4 * 2**20


def make_shared_strings_copy(source: Path, target: Path) -> Path:
    """``target``: ``source`` (a workbook of inline strings) with shared strings."""
    process = multiprocessing.get_context("spawn").Process(
        target=write_shared_strings_copy, args=(str(source), str(target)))
    process.start()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"could not write {target.name} (exit code {process.exitcode})")
    return target


def write_shared_strings_copy(source: str | Path, target: str | Path) -> None:
    """As ``make_shared_strings_copy``, in this process (its table of strings is held here)."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        index = strings.setdefault(match.group(2), len(strings))
        return match.group(1) + b' t="s"><v>' + str(index).encode() + b"</v>"

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(
            target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/"):
                with old.open(name) as sheet, new.open(name, "w", force_zip64=True) as out:
                    rest = b""
                    while chunk := sheet.read(_CHUNK):
                        text = rest + chunk
                        cut = text.rfind(b"</row>") + len(b"</row>")
                        if cut < len(b"</row>"):
                            rest = text
                            continue
                        out.write(_INLINE.sub(shared, text[:cut]))
                        rest = text[cut:]
                    out.write(_INLINE.sub(shared, rest))
            elif name == "[Content_Types].xml":
                types = old.read(name).decode()
                new.writestr(name, types.replace(
                    "</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                f'ContentType="{_TYPE}"/></Types>'))
            elif name == "xl/_rels/workbook.xml.rels":
                rels = old.read(name).decode()
                new.writestr(name, rels.replace(
                    "</Relationships>", f'<Relationship Id="rIdShared" Type="{_REL}" '
                                        f'Target="sharedStrings.xml"/></Relationships>'))
            else:
                new.writestr(info, old.read(name))
        with new.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      f'<sst xmlns="{_MAIN}" count="{len(strings)}" '
                      f'uniqueCount="{len(strings)}">'.encode())
            for text in strings:  # (in the order of their indexes; already XML-escaped)
                out.write(b"<si><t>" + text + b"</t></si>")
            out.write(b"</sst>")
