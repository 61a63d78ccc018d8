"""The register (实名制台账) in one import: persons, households, duplicate checks.

The GUI and the CLI call these; each call is one session (one transaction) and
returns plain dataclasses. The work is done in ``persons``, ``households`` and
``duplicates``; the recycle bin listing is in ``recycle``.
"""

from laborstation.services.duplicates import duplicate_candidates
from laborstation.services.households import (
    create_household,
    delete_household,
    get_household,
    household_number_suggestion,
    households_in,
    move_person,
    restore_household,
    set_head,
    update_household,
)
from laborstation.services.persons import (
    create_person,
    delete_person,
    find_by_id_number,
    get_person,
    restore_person,
    update_person,
)
from laborstation.services.register_types import (
    HEAD_RELATION,
    DuplicateCandidate,
    HouseholdInput,
    HouseholdRecord,
    PersonInput,
    PersonRecord,
)

__all__ = [
    "HEAD_RELATION",
    "DuplicateCandidate",
    "HouseholdInput",
    "HouseholdRecord",
    "PersonInput",
    "PersonRecord",
    "create_household",
    "create_person",
    "delete_household",
    "delete_person",
    "duplicate_candidates",
    "find_by_id_number",
    "get_household",
    "get_person",
    "household_number_suggestion",
    "households_in",
    "move_person",
    "restore_household",
    "restore_person",
    "set_head",
    "update_household",
    "update_person",
]
