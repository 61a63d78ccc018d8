"""An import's audit entry for a run of records it added (see ``AuditEntry``).

The records with ids ``first … last`` (consecutive, from one sheet) get one entry:
``row_id = first``, ``last_row_id = last`` and ``new`` =
``{"file": …, "sheet": …, "rows": [[3, 1200], [1202, 250002]], "count": 249999}``:
the spreadsheet rows of the records in id order, as inclusive ranges. Records made
for the file rather than for a row (households, courses) have no sheet and rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable


def row_ranges(rows: Iterable[int]) -> list[list[int]]:
    """[[first, last], …] of runs of consecutive row numbers, in the order given."""
    ranges: list[list[int]] = []
    for row in rows:
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    return ranges


def run_text(file_name: str, sheet: str | None, rows: list[int] | None, count: int) -> str:
    values: dict = {"file": file_name}
    if sheet is not None:
        values["sheet"] = sheet
    if rows is not None:
        values["rows"] = row_ranges(rows)
    values["count"] = count
    return json.dumps(values, ensure_ascii=False)


def row_of(new: str | None, first_id: int, row_id: int) -> int | None:
    """The spreadsheet row the record ``row_id`` came from, per a run's ``new``."""
    try:
        ranges = json.loads(new or "{}").get("rows")
    except (ValueError, AttributeError):
        return None
    if not ranges:
        return None
    offset = row_id - first_id
    for first, last in ranges:
        if offset <= last - first:
            return first + offset if offset >= 0 else None
        offset -= last - first + 1
    return None


def describe_rows(ranges: list) -> str:
    """'第 3–1200、1202–250002 行' (the first few ranges)."""
    shown = "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in ranges[:6])
    return f"第 {shown}{' 等' if len(ranges) > 6 else ''} 行"
