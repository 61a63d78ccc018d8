"""Errors a person can cause. Each carries a message in Chinese for the clerk.

The GUI shows ``str(error)`` in a message box; the CLI prints it and exits 2.
Anything that is not a ``UserError`` is a bug and is reported as such.
"""


class UserError(Exception):
    """Something the clerk can fix: bad input, a refused action, a locked period."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidIdNumber(UserError):
    """An ID number that fails GB 11643 (length, region, birth date or check digit)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


class DuplicateRecord(UserError):
    """A write that would create a second live record with the same key."""

    def __init__(self, message: str, existing_id: int | None = None):
        super().__init__(message)
        self.existing_id = existing_id


class NotFound(UserError):
    pass


class ValidationError(UserError):
    """A field value the store refuses; ``field`` names it (code name)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class PeriodLocked(UserError):
    """A change to a record counted in a submitted period."""


class PermissionDenied(UserError):
    pass


class StoreError(UserError):
    """The database cannot be opened, is damaged, or is at an unknown schema."""
