"""What a viewer (查询) sees of ID numbers and phone numbers: masked, everywhere.

The register rows, the person page and the audit log's old/new values pass
through here; the head and clerks see the full numbers. ``should_mask`` reads
the role of ``store.actor``.
"""

from __future__ import annotations

import dataclasses
import re

from laborstation.idnumber import mask as mask_id_number
from laborstation.model.system import VIEWER

# An 18-character ID number (or a 15-digit old one) and an 11-digit mobile number, not
# inside a longer run of digits.
_ID_RE = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
_PHONE_RE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def should_mask(store_or_actor) -> bool:
    actor = getattr(store_or_actor, "actor", store_or_actor)
    return getattr(actor, "role", None) == VIEWER


def mask_id(number: str | None) -> str:
    return mask_id_number(number) if number else (number or "")


def mask_phone(phone: str | None) -> str:
    """'13812345678' → '138****5678'; a short number keeps its last 2 digits."""
    text = (phone or "").strip()
    if len(text) >= 11:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if len(text) > 2:
        return "*" * (len(text) - 2) + text[-2:]
    return text


def mask_text(text: str | None) -> str | None:
    """Any ID numbers and mobile numbers inside free text (audit values, JSON) masked."""
    if not text:
        return text
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)


def contains_id_number(text: str | None) -> bool:
    return bool(text) and _ID_RE.search(text) is not None


def _masked_row(row):
    """A browse row (PersonRow / HouseholdRow) with its ID and phone fields masked."""
    changes = {}
    for name in ("id_number", "head_id_number"):
        if hasattr(row, name):
            changes[name] = mask_id(getattr(row, name))
    if hasattr(row, "phone"):
        changes["phone"] = mask_phone(row.phone)
    return dataclasses.replace(row, **changes)


def rows_for(store, rows: list) -> list:
    """The rows as the current actor may see them."""
    if not should_mask(store):
        return rows
    return [_masked_row(row) for row in rows]
