"""Small checks shared by the register services: who may write, clean text, codes."""

from __future__ import annotations

from datetime import datetime

from laborstation.codes import code_list
from laborstation.errors import ValidationError
from laborstation.services.authz import require_writer

__all__ = ["check_code", "clean_notes", "clean_text", "code_name", "now", "require_writer"]


def now() -> datetime:
    """The time stamp of a soft delete: one value for everything deleted together.

    Kept to the microsecond: a household's members are told apart from those
    deleted on their own by an equal stamp, so two deletions must not share one.
    """
    return datetime.now()


def clean_text(value, field: str, label: str, *, max_len: int, required: bool = False) -> str:
    """Trimmed text; inner runs of white space become one space. Too long or missing: refused."""
    text = " ".join(str(value).split()) if value is not None else ""
    if required and not text:
        raise ValidationError(f"{label}不能为空。", field)
    if len(text) > max_len:
        raise ValidationError(f"{label}太长：最多 {max_len} 个字，现在有 {len(text)} 个。", field)
    return text


def clean_notes(value, field: str = "notes", label: str = "备注", max_len: int = 2000) -> str:
    """Free text that may have line breaks: only trimmed at the ends."""
    text = str(value).strip() if value is not None else ""
    if len(text) > max_len:
        raise ValidationError(f"{label}太长：最多 {max_len} 个字。", field)
    return text


def check_code(
    list_name: str, value, field: str, label: str, *, required: bool = False
) -> str | None:
    """A code of ``list_name``; a name or alias is accepted and turned into its code."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"{label}不能为空。", field)
        return None
    found = code_list(list_name).lookup(str(value))
    if found is None:
        raise ValidationError(f"{label}「{value}」不在代码表中。", field)
    return found.code


def code_name(list_name: str, code: str | None) -> str:
    return code_list(list_name).name_of(code) if code else ""
