"""What the 县级汇总 page shows: one line per township file, the missing townships, and
writing the county workbook (through ``returns.consolidate``; no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from laborstation.errors import UserError
from laborstation.returns.consolidate import (
    DEFAULT_DUE_DAY,
    Consolidation,
    County,
    consolidate,
    county_in,
)
from laborstation.returns.reader import ReturnFileError, read_return


@dataclass(frozen=True)
class FileLine:
    """One township file as the page lists it."""

    path: Path
    township: str
    code: str
    period: str
    generated_at: datetime | None
    consolidated: bool
    on_time: bool | None
    checksum_ok: bool | None
    reason: str  # why it was refused ("" when summed)


@dataclass
class ConsolidationView:
    result: Consolidation
    files: list[FileLine]

    @property
    def missing(self) -> list[str]:
        """"name（code）" of each township of the county whose figures are not in the sums."""
        return [f"{s.name}（{s.code}）" for s in self.result.missing]


def store_county(store) -> County | None:
    """The county of the store's station (its known townships and targets), if it has one."""
    if store is None:
        return None
    try:
        with store.reading() as session:
            return county_in(session)
    except UserError:
        return None


def _period_of(path: Path) -> str:
    try:
        return read_return(path).period
    except ReturnFileError:
        return ""


def check_files(store, paths, *, period=None, due_day: int = DEFAULT_DUE_DAY,
                rosters: bool = False) -> ConsolidationView:
    """Read and check the township files; raises ``ConsolidationError`` when none is usable."""
    result = consolidate([Path(p) for p in paths], period=period or None, due_day=due_day,
                         county=store_county(store), rosters=rosters)
    lines = [
        FileLine(r.file.path, r.name, r.code, r.file.period, r.generated_at, True, r.on_time,
                 r.file.checksum_ok, "")
        for r in result.received
    ]
    lines += [
        FileLine(r.path, r.unit_name, r.unit_code, _period_of(r.path), r.generated_at, False,
                 None, r.checksum_ok, r.reason)
        for r in result.refused
    ]
    return ConsolidationView(result, lines)


def write_county_return(store, paths, out, *, period=None, due_day: int = DEFAULT_DUE_DAY,
                        preparer: str = "") -> tuple[ConsolidationView, str]:
    """Consolidate with the rosters and write the county workbook; (view, file SHA-256)."""
    from laborstation.returns.consolidate_workbook import write_consolidation

    view = check_files(store, paths, period=period, due_day=due_day, rosters=True)
    sha = write_consolidation(view.result, out, preparer=preparer)
    return view, sha


__all__ = ["ConsolidationView", "FileLine", "check_files", "store_county", "write_county_return"]
