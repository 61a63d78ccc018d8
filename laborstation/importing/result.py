"""What an import found and did: counts, and the rows worth telling the clerk about."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

ADDED, UPDATED, UNCHANGED, ERROR, BLANK = "added", "updated", "unchanged", "error", "blank"
NOTE_ERROR, NOTE_WARNING, NOTE_CHANGE = "错误", "提示", "更新"


@dataclass(slots=True)
class Item:
    """One data row of the file on its way to the store."""

    sheet: str
    row: int  # 1-based row number as the spreadsheet shows it
    cells: list
    record: dict | None = None
    outcome: str = ""
    reason: str = ""
    warnings: list[str] | None = None
    changes: list[str] | None = None
    # Cells left to the row above (blank, 同上) → the value taken: the error report writes
    # it, so a row fixed there and imported alone is placed as it was (column → value).
    filled: dict[int, str] | None = None
    # What the row took from outside the table where it differs from the rest of its sheet
    # (a second class's title in the sheet): report column → value (``report``).
    shared: dict[str, str] | None = None

    def took(self, column: int, value: str) -> None:
        """The row's cell ``column`` took ``value`` from the row above (``filled``)."""
        if self.filled is None:
            self.filled = {}
        self.filled[column] = value

    def warn(self, message: str) -> None:
        if self.warnings is None:
            self.warnings = []
        self.warnings.append(message)

    def warnings_list(self) -> list[str]:
        if self.warnings is None:
            self.warnings = []
        return self.warnings

    def refuse(self, reason: str) -> None:
        self.outcome = ERROR
        self.reason = reason


@dataclass(slots=True)
class Finding:
    sheet: str
    row: int
    values: list
    outcome: str
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    shared: dict[str, str] | None = None  # (``Item.shared``)


@dataclass
class ImportResult:
    kind: str
    file: Path
    dry_run: bool = False
    written: bool = False
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    blank: int = 0
    households_added: int = 0
    persons_added: int = 0  # persons created by placement/training rows
    findings: list[Finding] = field(default_factory=list)
    headers: dict[str, list[str]] = field(default_factory=dict)  # sheet -> column titles
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> rows of header
    # sheet -> (a column's title, its value) of what every row took from outside the table
    # (the title above it, the sheet's name): the error report's rows keep them as columns
    shared: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    created_areas: list[str] = field(default_factory=list)
    created_courses: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    discarded_reason: str = ""
    carried_down: int = 0  # rows whose blank or 同上 place cells took the row above's
    section_grouped: int = 0  # rows whose 村民小组 is a row above's naming it (一组（2户）)
    missing: int = 0  # persons of the ledger's villages not in it (``missing_persons``)
    missing_names: list[str] = field(default_factory=list)  # the first of them
    groups_unkept: int = 0  # rows naming a 村民小组 but no household (no 户编号, no 户主)
    # A file the plan found more like another kind: told again with the result, its
    # columns of that kind not imported (the hint was only on the plan).
    likelier_note: str = ""

    @property
    def accounted(self) -> bool:
        return self.added + self.updated + self.unchanged + self.errors + self.blank == self.read

    def notes(self) -> Iterator[tuple[str, int, str, str]]:
        """(sheet, row, 错误/提示/更新, text) of every finding, in the file's order."""
        for finding in self.findings:
            if finding.reason:
                yield finding.sheet, finding.row, NOTE_ERROR, finding.reason
            for warning in finding.warnings:
                yield finding.sheet, finding.row, NOTE_WARNING, warning
            if finding.changes:
                yield finding.sheet, finding.row, NOTE_CHANGE, "；".join(finding.changes)

    @property
    def error_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.outcome == ERROR]

    def count_all(self, items: list[Item]) -> None:
        """Add up the items' outcomes and keep those worth telling the clerk about
        (errors, warnings, changes); one pass over the outcomes (a ledger has 250,000)."""
        tally = Counter(map(attrgetter("outcome"), items))
        self.added += tally[ADDED]
        self.updated += tally[UPDATED]
        self.unchanged += tally[UNCHANGED]
        self.errors += tally[ERROR]
        for item in items:
            if item.warnings or item.changes or item.outcome == ERROR:
                self.findings.append(
                    Finding(item.sheet, item.row, _as_taken(item), item.outcome, item.reason,
                            item.warnings or [], item.changes or [], item.shared))

    def summary(self) -> str:
        lines = [
            f"读取 {self.read} 行：新增 {self.added}，更新 {self.updated}，无变化 {self.unchanged}，"
            f"错误 {self.errors}，空行/说明行 {self.blank}。"
        ]
        if self.dry_run:
            lines.append("试导入（--dry-run）：没有写入任何数据。")
        elif not self.written:
            lines.append(f"没有写入任何数据：{self.discarded_reason}")
        if self.carried_down:
            lines.append(f"有 {self.carried_down} 行空着或写“同上”的乡镇、行政村、村民小组、户编号、"
                         "户主姓名已按上一行填写。")
        if self.section_grouped:
            lines.append(f"有 {self.section_grouped} 行没有写村民小组，已按表中上方单独成行的分组"
                         "（如“一组（2户）”）填写。")
        if self.groups_unkept:
            lines.append(f"有 {self.groups_unkept} 行填写了村民小组，但没有归入户（没有户编号或户主姓名）："
                         "村民小组记在户上，这些人的村民小组没有记录（补上户编号或户主姓名后可再导入）。")
        return "\n".join(lines + self.made_lines(future=not self.written))

    def made_lines(self, *, future: bool = False) -> list[str]:
        """The areas and courses the import made (将新建 … for a run that wrote nothing),
        and the sheets it left."""
        will = "将" if future else ""
        lines = []
        if self.created_areas:
            lines.append(f"{will}新建地区：" + _listed(self.created_areas))
        if self.created_courses:
            lines.append(f"{will}新建培训班：" + _listed(self.created_courses))
        if self.skipped_sheets:
            lines.append("未导入的工作表（没有可识别的表头）：" + "、".join(self.skipped_sheets))
        if self.likelier_note:
            lines.append(self.likelier_note)
        if self.missing:
            more = f" 等 {self.missing} 人" if self.missing > len(self.missing_names) else ""
            lines.append(f"台账中这些村另有 {self.missing} 人不在这个文件中："
                         + "、".join(self.missing_names) + more
                         + "。导入没有改动他们；已故、迁出的请在程序中登记")
        return lines


def _as_taken(item: Item) -> list:
    """A refused row's cells with those it took from the row above filled in."""
    if not item.filled or item.outcome != ERROR:
        return item.cells
    cells = list(item.cells)
    cells += [""] * (max(item.filled) + 1 - len(cells))
    for column, value in item.filled.items():
        cells[column] = value
    return cells


def _listed(names: list[str], shown: int = 12) -> str:
    text = "、".join(names[:shown])
    return text + (f" 等 {len(names)} 个" if len(names) > shown else "")
