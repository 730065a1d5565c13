"""Errors a user sees. Each carries a plain-English message and the CLI's exit status."""

from __future__ import annotations

from pathlib import Path


class BvdeskError(Exception):
    """A known problem, worded for the person at the desk; never a bug."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputRefused(BvdeskError):
    """The input was understood but refused; nothing was written."""

    exit_code = 1


class FileProblem(BvdeskError):
    """A file could not be read or written (missing, unreadable, not what it claims to be)."""

    exit_code = 2


class DatabaseProblem(FileProblem):
    """The database cannot be used: locked, newer, corrupt, read-only, disk full."""


class DamagedDatabase(DatabaseProblem):
    """The database file is damaged; a backup restores it."""


class BackupNotChanged(InputRefused):
    """Something would have changed a backup: it stays as it was taken. Carries the backup and
    the database it is a backup of, to say how to restore it."""

    def __init__(self, message: str, *, backup: Path, source: Path) -> None:
        super().__init__(message)
        self.backup = backup
        self.source = source


class RoleMissing(DatabaseProblem):
    """The team server refused a change this login's role does not allow."""


class NotOnServer(InputRefused):
    """Something only a team server does was asked of a database file."""


class NoIndicatorValues(InputRefused):
    """A landlord has no indicator values (or none for the indicators asked) to benchmark."""


class NoSuchReview(InputRefused):
    """No review has the id asked for."""

    def __init__(self, review_id: object) -> None:
        super().__init__(f"There is no review {review_id}.")
        self.review_id = review_id


class RecordChanged(InputRefused):
    """A colleague saved the same record between this save's read and its write (the row's
    version moved); nothing of this save was written."""


class EditConflict(InputRefused):
    """A colleague saved a different value while this one was being edited; nothing of this
    edit was saved. Carries both values, so the user can keep either."""

    def __init__(self, message: str, *, entity: str, row_id: int, field: str, theirs: object,
                 mine: object, by: str | None = None) -> None:
        super().__init__(message)
        self.entity = entity
        self.row_id = row_id
        self.field = field
        self.theirs = theirs
        self.mine = mine
        self.by = by


class ReviewLocked(InputRefused):
    """The review is signed off and read-only."""

    def __init__(self, message: str, review_id: int | None = None) -> None:
        super().__init__(message)
        self.review_id = review_id


class Cancelled(BvdeskError):
    """The person cancelled a long task; the message says what was left as it was."""

    exit_code = 1
