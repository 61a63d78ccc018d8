"""Import the ledgers clerks already keep (实名制台账, 转移就业花名册, 培训花名册).

``plan_import(store, kind, path)`` reads the file and shows the sheets, header rows,
mapping and unmatched columns before anything is written; ``run_import(store,
plan_or_path, kind=...)`` is a progress generator returning an ``ImportResult``;
``write_error_report(result, path)`` writes the refused rows for the clerk to fix.
"""

from laborstation.importing.headers import KIND_NAMES, KINDS
from laborstation.importing.plan import FIELD_NAMES, ImportPlan, NoStation, SheetPlan, plan_import
from laborstation.importing.reading import UnreadableFile
from laborstation.importing.report import write_error_report
from laborstation.importing.result import Finding, ImportResult
from laborstation.importing.run import run_import

__all__ = [
    "FIELD_NAMES", "KINDS", "KIND_NAMES", "Finding", "ImportPlan", "ImportResult", "NoStation",
    "SheetPlan", "UnreadableFile", "plan_import", "run_import", "write_error_report",
]
