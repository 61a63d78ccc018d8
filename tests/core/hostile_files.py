"""Malformed files for the importer and the return reader, generated deterministically.

``importer_files(seed)`` lists ``Hostile`` cases (``hostile_returns.return_files`` the
return reader's); a case's ``build(path, base)`` writes the file (``base`` is a valid
return workbook for the return cases to damage, unused by the importer cases). Nothing here is checked in:
every file is made from the seed, so a failure names a case that can be rebuilt.

The data rows of the importer files are built so that no row can be written: ID
numbers that fail the check digit for persons, and for placements/trainings valid
ID numbers of people not in the register and no village column (the row is then
refused). A hostile file may be refused as a whole or row by row, never written.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter
from workbooks import write_xlsx

ALL = ("persons", "placements", "trainings")
MEGABYTE = 1 << 20
MILLION = 1_000_000

PERSONS = ["序号", "姓名", "身份证号码", "性别", "出生日期", "民族", "行政村", "联系电话"]
PLACEMENTS = ["序号", "姓名", "身份证号码", "外出时间", "返乡时间", "务工地点", "用工单位", "月收入",
              "劳动合同"]
TRAININGS = ["序号", "姓名", "身份证号码", "培训班名称", "开班时间", "结业时间", "培训机构", "证书",
             "培训结果"]
HEADERS = {"persons": PERSONS, "placements": PLACEMENTS, "trainings": TRAININGS}
GOOD_ID = "410926198001010012"  # passes GB 11643: used only where nobody is in the register
BAD_ID = "410926198001010011"  # wrong check digit
FORMULAS = ["=1+1", '=HYPERLINK("http://example.com/x","点我")', "=cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-1+1", '=WEBSERVICE("http://x")']


@dataclass(frozen=True)
class Hostile:
    name: str  # the file name, unique; its suffix is the type the file claims
    group: str  # what is wrong with it, for the figures
    kinds: tuple[str, ...]  # importer kinds to run it through, or ("return",)
    build: Callable[[Path, Path | None], None]


# ---------------------------------------------------------------- writers


def workbook_bytes(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    out = write_xlsx(io.BytesIO(), sheets, merges)
    return fixed_zip(out.getvalue())


_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def fixed_zip(data: bytes, parts: dict[str, bytes] | None = None) -> bytes:
    """The zip again with fixed entry times and document dates: the same bytes every run."""
    if parts is None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            if name == "docProps/core.xml":
                part = _STAMP.sub(b"2026-01-01T00:00:00Z", part)
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), part,
                             zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _cell_xml(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows, dimension: str = "") -> bytes:
    """A worksheet part from rows (lists of values); ``(number, raw_xml)`` items are written
    as they are, so that millions of rows cost no Python lists."""
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for number, row in enumerate(rows, start=1):
        if isinstance(row, str):
            parts.append(row)
            continue
        cells = "".join(_cell_xml(f"{get_column_letter(c)}{number}", v)
                        for c, v in enumerate(row, start=1))
        parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode("utf-8")


def package(sheets: list[tuple[str, bytes]], *, drop: tuple[str, ...] = (),
            extra: dict[str, bytes] | None = None, workbook: bytes | None = None) -> bytes:
    """A minimal .xlsx zip written part by part (so parts can be left out or damaged)."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    sheet_list = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" '
                         f'r:id="rId{i}"/>' for i, (name, _x) in enumerate(sheets, start=1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1))
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>").encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": workbook or (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships"><sheets>{sheet_list}</sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>').encode(),
    }
    for i, (_name, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    parts.update(extra or {})
    return fixed_zip(b"", {name: data for name, data in parts.items() if name not in drop})


def file_of(data: bytes | Callable[[], bytes]) -> Callable[[Path, Path | None], None]:
    def build(path: Path, _base: Path | None) -> None:
        path.write_bytes(data() if callable(data) else data)

    return build


def _csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _rows(kind: str, count: int = 3) -> list[list]:
    """Data rows that are never written (see the module docstring)."""
    if kind == "persons":
        return [[n, f"张{n}", BAD_ID, "男", "1980-01-01", "汉族", "李庄村", "13800000000"]
                for n in range(1, count + 1)]
    if kind == "placements":
        return [[n, "王五", GOOD_ID, "2026-03-01", "", "广东省深圳市", "某厂", 4500, "是"]
                for n in range(1, count + 1)]
    return [[n, "李四", GOOD_ID, "电工班", "2026-03-01", "2026-03-10", "职校", "是", "结业"]
            for n in range(1, count + 1)]


def ledger_bytes(kind: str, rows: list[list] | None = None) -> bytes:
    return workbook_bytes({"台账": [HEADERS[kind], *(_rows(kind) if rows is None else rows)]})


# ---------------------------------------------------------------- the importer's cases


def _format_cases(rng: random.Random, good: bytes) -> list[Hostile]:
    cases = [Hostile(f"empty{s}", "empty file", ALL, file_of(b""))
             for s in (".xlsx", ".xls", ".ods", ".csv")]
    for n, size in enumerate((1, 17, 600, 5000, 70000)):
        for suffix in (".xlsx", ".xls", ".ods", ".csv", ".xlsm"):
            data = rng.randbytes(size)
            cases.append(Hostile(f"random{n}{suffix}", "random bytes", ALL, file_of(data)))
    for n in range(3):
        tail = rng.randbytes(rng.randrange(100, 4000))
        cases.append(Hostile(f"pk_random{n}.xlsx", "random bytes", ALL,
                             file_of(b"PK\x03\x04" + tail)))
        cases.append(Hostile(f"ole_random{n}.xls", "random bytes", ALL,
                             file_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + tail)))
    offsets = sorted({1, 4, 30, 100, 512, len(good) // 2, len(good) - 22, len(good) - 1,
                      *(rng.randrange(2, len(good) - 1) for _ in range(12))})
    for at in offsets:
        cases.append(Hostile(f"truncated_at_{at}.xlsx", "truncated zip", ALL,
                             file_of(good[:at])))
    for n in range(5):
        damaged = bytearray(good)
        start = rng.randrange(200, len(good) - 200)
        damaged[start:start + 40] = rng.randbytes(40)
        cases.append(Hostile(f"damaged_bytes{n}.xlsx", "damaged zip", ALL, file_of(bytes(damaged))))
    for name in ("persons_wps.ods", "persons_wps.xls"):
        source = Path(__file__).parent.parent / "data" / name
        for fraction in (0.1, 0.5, 0.9):
            def build(path: Path, _base, source=source, fraction=fraction) -> None:
                data = source.read_bytes()
                path.write_bytes(data[:int(len(data) * fraction)])

            suffix = Path(name).suffix
            cases.append(Hostile(f"truncated_{int(fraction * 100)}pct{suffix}",
                                 "truncated ods/xls", ALL, build))
    return cases


def _package_cases(kind_rows: list[list]) -> list[Hostile]:
    sheet = sheet_xml(kind_rows)
    parts = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
             "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml")
    cases = [Hostile(f"missing_{p.replace('/', '_').strip('[]_')}.xlsx", "zip missing a part",
                     ALL, file_of(package([("台账", sheet)], drop=(p,)))) for p in parts]
    empty_zip = fixed_zip(b"", {})
    other_zip = fixed_zip(b"", {"word/document.xml": b"<w:document/>",
                                 "readme.txt": "这不是表格".encode()})
    cases += [
        Hostile("empty_zip.xlsx", "zip missing a part", ALL, file_of(empty_zip)),
        Hostile("docx_renamed.xlsx", "zip missing a part", ALL, file_of(other_zip)),
        Hostile("broken_workbook_xml.xlsx", "zip with a broken part", ALL,
                file_of(package([("台账", sheet)], workbook=b"<workbook><sheets><sheet name="))),
        Hostile("broken_sheet_xml.xlsx", "zip with a broken part", ALL,
                file_of(package([("台账", sheet[: len(sheet) // 2])]))),
        Hostile("sheet_not_xml.xlsx", "zip with a broken part", ALL,
                file_of(package([("台账", b"\x00\x01 not xml at all")]))),
        Hostile("shared_string_out_of_range.xlsx", "zip with a broken part", ALL,
                file_of(package([("台账", b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                                b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s">'
                                b'<v>99</v></c></row></sheetData></worksheet>')]))),
        Hostile("number_cell_not_a_number.xlsx", "zip with a broken part", ALL,
                file_of(package([("台账", sheet_xml([PERSONS, '<row r="2"><c r="A2"><v>abc</v>'
                                                   '</c><c r="C2"><v>1e99999</v></c></row>']))]))),
    ]
    return cases


def _disguised_cases() -> list[Hostile]:
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    ole += "EncryptedPackage".encode("utf-16-le") + bytes(2000)
    html = ("<html><head><meta charset='utf-8'></head><body><table><tr><th>姓名</th><th>身份证号码"
            "</th></tr><tr><td>张三</td><td>41092619800101001X</td></tr></table></body></html>")
    spreadsheet_2003 = ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
                        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
                        '<Worksheet ss:Name="台账"><Table/></Worksheet></Workbook>')
    return [
        Hostile("encrypted.xlsx", "password-protected", ALL, file_of(bytes(ole))),
        Hostile("encrypted.xls", "password-protected", ALL, file_of(bytes(ole))),
        Hostile("web_page.xls", "HTML/XML saved as .xls", ALL, file_of(html.encode())),
        Hostile("web_page_bom.xls", "HTML/XML saved as .xls", ALL,
                file_of(codecs.BOM_UTF8 + b"  \r\n" + html.encode())),
        Hostile("spreadsheet_2003.xls", "HTML/XML saved as .xls", ALL,
                file_of(spreadsheet_2003.encode())),
        Hostile("pdf_named.xlsx", "HTML/XML saved as .xls", ALL,
                file_of(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")),
    ]


def _csv_cases(rng: random.Random) -> list[Hostile]:
    persons = [PERSONS, *_rows("persons")]
    blank_lines = "\r\n".join([",".join(PERSONS)] + [""] * MILLION).encode()
    comma_lines = "\n".join([",".join(PLACEMENTS)] + [",,,,,,,,"] * (MILLION // 10)).encode()
    big_field = ",".join(PERSONS) + "\r\n" + f'1,"{"张" * (200_000)}",{BAD_ID}\r\n'
    unbalanced = ",".join(PERSONS) + '\r\n1,"张三,' + BAD_ID + "\r\n" * 50
    return [
        Hostile("utf16_le_bom.csv", "CSV encoding", ("persons",),
                file_of(_csv_bytes(persons, "utf-16"))),
        Hostile("utf16_be_bom.csv", "CSV encoding", ("persons",),
                file_of(codecs.BOM_UTF16_BE + _csv_bytes(persons, "utf-16-be"))),
        Hostile("utf16_le_no_bom.csv", "CSV encoding", ALL, file_of(_csv_bytes(persons, "utf-16-le"))),
        Hostile("utf32.csv", "CSV encoding", ALL, file_of(_csv_bytes(persons, "utf-32"))),
        Hostile("not_utf8_nor_gbk.csv", "CSV encoding", ALL,
                file_of(_csv_bytes(persons) + b"\xff\xfe\xfa\x80\x81\xff" * 50)),
        Hostile("nul_early.csv", "CSV with NUL bytes", ALL,
                file_of(_csv_bytes(persons).replace(b",", b"\x00,", 3))),
        Hostile("nul_late.csv", "CSV with NUL bytes", ("persons",),
                file_of(_csv_bytes([PERSONS, *_rows("persons", 400)]) + b"1,\x00\x00,\x00\r\n")),
        Hostile("million_blank_lines.csv", "1,000,000 empty rows", ("persons",),
                file_of(blank_lines)),
        Hostile("many_comma_lines.csv", "1,000,000 empty rows", ("placements",),
                file_of(comma_lines)),
        Hostile("field_over_csv_limit.csv", "huge cells", ("persons",), file_of(big_field.encode())),
        Hostile("megabyte_line.csv", "huge cells", ALL,
                file_of(("序号," * (MEGABYTE // 7)).encode())),
        Hostile("unbalanced_quote.csv", "CSV quoting", ("persons",), file_of(unbalanced.encode())),
        Hostile("header_only.csv", "header only", ALL, file_of(_csv_bytes([PERSONS]))),
        Hostile("formulas.csv", "formulas", ("persons",),
                file_of(_csv_bytes([PERSONS, *[[n, f, BAD_ID, f, f, f, f, f]
                                              for n, f in enumerate(FORMULAS, 1)]]))),
        Hostile("random_text.csv", "random bytes", ALL,
                file_of("".join(rng.choice("的一是,\n\"'\t 张王") for _ in range(5000)).encode())),
    ]


def _content_cases(rng: random.Random) -> list[Hostile]:
    cases = []
    for kind in ALL:
        header = HEADERS[kind]
        width = len(header)
        cases += [
            Hostile(f"{kind}_header_only.xlsx", "header only", (kind,),
                    file_of(ledger_bytes(kind, []))),
            Hostile(f"{kind}_no_header.xlsx", "no header", (kind,),
                    file_of(workbook_bytes({"台账": _rows(kind, 5)}))),
            Hostile(f"{kind}_booleans.xlsx", "wrong cell types", (kind,),
                    file_of(ledger_bytes(kind, [[True] * width, [False] * width]))),
            Hostile(f"{kind}_numbers.xlsx", "wrong cell types", (kind,),
                    file_of(ledger_bytes(kind, [[n * 1.5] * width for n in range(1, 6)]))),
            Hostile(f"{kind}_dates_everywhere.xlsx", "wrong cell types", (kind,),
                    file_of(ledger_bytes(kind, [[datetime(2026, 1, n)] * width
                                               for n in range(1, 4)]))),
            Hostile(f"{kind}_gibberish.xlsx", "wrong cell types", (kind,),
                    file_of(ledger_bytes(kind, [[rng.choice(["##", "三月", "2026-13-45", "0/0", "—",
                                                            "1e308", "-0", "NaN", "∞"])
                                                for _ in range(width)] for _ in range(8)]))),
            Hostile(f"{kind}_formulas.xlsx", "formulas", (kind,),
                    file_of(ledger_bytes(kind, [[n] + [f] * (width - 1)
                                               for n, f in enumerate(FORMULAS, 1)]))),
            Hostile(f"{kind}_megabyte_cells.xlsx", "huge cells", (kind,),
                    file_of(ledger_bytes(kind, [[1] + ["张" * (MEGABYTE // 3)] * 2
                                               + [r for r in _rows(kind, 1)[0][3:]]]))),
            Hostile(f"{kind}_megabyte_text.xlsx", "huge cells", (kind,),
                    file_of(ledger_bytes(kind, [_huge_text(_rows(kind, 1)[0])]))),
            Hostile(f"{kind}_formulas_beside_id.xlsx", "formulas", (kind,),
                    file_of(ledger_bytes(kind, [_rows(kind, 1)[0][:3] + [f] * (width - 3)
                                               for f in FORMULAS]))),
            Hostile(f"{kind}_merged_everywhere.xlsx", "merged cells", (kind,),
                    file_of(workbook_bytes(
                        {"台账": [header, *_rows(kind, 12)]},
                        {"台账": [f"A{r}:{get_column_letter(width)}{r + 1}"
                                  for r in range(1, 14, 2)]}))),
            Hostile(f"{kind}_merged_data.xlsx", "merged cells", (kind,),
                    file_of(workbook_bytes(
                        {"台账": [["台账"], header, *_rows(kind, 12)]},
                        {"台账": ["A1:E1", *(f"{get_column_letter(c)}{r}:{get_column_letter(c)}"
                                              f"{r + 2}" for c in range(1, width + 1)
                                              for r in range(3, 15, 3))]}))),
        ]
    cases[:0] = _typed_persons_cases()
    cases += _sheet_shape_cases()
    return cases


def _huge_text(row: list) -> list:
    """Every text cell but the ID number (column 3) one megabyte long."""
    return [("张" * (MEGABYTE // 3) if isinstance(v, str) and i != 2 else v)
            for i, v in enumerate(row)]


def _typed_persons_cases() -> list[Hostile]:
    """Persons rows whose ID cell is not text: a number (precision lost), a date, an error."""
    as_number = [[1, "张三", 410926198001010011, "男", "", "汉族", "李庄村", ""],
                 [2, "李四", 4.10926198001010e17, "女", "", "汉族", "李庄村", ""]]
    as_date = [[1, "张三", date(1980, 1, 1), "男", date(1980, 1, 1), "汉族", "李庄村", ""]]
    errors = sheet_xml([PERSONS, '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="e"><v>#N/A</v>'
                        '</c><c r="C2" t="e"><v>#REF!</v></c><c r="E2" t="e"><v>#DIV/0!</v></c>'
                        '</row>'])
    return [
        Hostile("persons_id_as_number.xlsx", "wrong cell types", ("persons",),
                file_of(ledger_bytes("persons", as_number))),
        Hostile("persons_id_as_date.xlsx", "wrong cell types", ("persons",),
                file_of(ledger_bytes("persons", as_date))),
        Hostile("persons_error_cells.xlsx", "wrong cell types", ("persons",),
                file_of(package([("台账", errors)]))),
    ]


def _sheet_shape_cases() -> list[Hostile]:
    empty_rows = (f'<row r="{n}" s="1" customFormat="1"/>' for n in range(2, MILLION + 2))
    last = f'<row r="{MILLION + 2}"><c r="A{MILLION + 2}" t="inlineStr"><is><t> </t></is></c></row>'

    def million_styled() -> bytes:
        return package([("台账", sheet_xml([PERSONS, *empty_rows, last],
                                           f"A1:H{MILLION + 2}"))])

    def serials_only() -> bytes:  # a template numbered down to row 100,001 and nothing else
        rows = (f'<row r="{n}"><c r="A{n}"><v>{n - 1}</v></c></row>'
                for n in range(2, MILLION // 10 + 2))
        return package([("台账", sheet_xml([TRAININGS, *rows]))])

    wide_header = PERSONS + [f"列{n}" for n in range(len(PERSONS), 16_384)]
    wide_row = [1, "张三", BAD_ID] + [""] * (16_384 - 4) + ["XFD"]
    odd_names = ["'", "历史 (2)", "😀台账", "a" * 31, "<&>\"", " ", "Sheet1", "合计"]
    return [
        Hostile("persons_million_styled_rows.xlsx", "1,000,000 empty rows", ("persons",),
                file_of(million_styled)),
        Hostile("trainings_serial_rows.xlsx", "1,000,000 empty rows", ("trainings",),
                file_of(serials_only)),
        Hostile("persons_16384_columns.xlsx", "extremely wide sheet", ("persons",),
                file_of(lambda: package([("台账", sheet_xml([wide_header, wide_row]))]))),
        Hostile("persons_header_at_xfd.xlsx", "extremely wide sheet", ("persons",),
                file_of(lambda: package([("台账", sheet_xml([[""] * 16_383 + ["身份证号码"]]))]))),
        Hostile("persons_odd_sheet_names.xlsx", "odd sheet names", ALL,
                file_of(lambda: package([(name, sheet_xml([PERSONS, *_rows("persons", 2)]))
                                        for name in odd_names]))),
        Hostile("persons_sheet_name_unescaped.xlsx", "odd sheet names", ALL,
                file_of(lambda: package([("台账", sheet_xml([PERSONS]))],
                                       workbook=b'<workbook><sheets><sheet name="a<b" sheetId="1"'
                                                b' r:id="rId1"/></sheets></workbook>'))),
    ]


def importer_files(seed: int = 1) -> list[Hostile]:
    """The importer's hostile files (> 100), the same for the same seed."""
    rng = random.Random(seed)
    good = ledger_bytes("persons", _rows("persons", 20))
    cases = (_format_cases(rng, good) + _package_cases([PERSONS, *_rows("persons")])
             + _disguised_cases() + _csv_cases(rng) + _content_cases(rng))
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "hostile file names must be unique"
    return cases
