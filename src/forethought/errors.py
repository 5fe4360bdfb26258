"""One exception family. Every message is written for the person at the keyboard and says what to
do next; the CLI prints it as `Error: <message>` and exits non-zero."""

from __future__ import annotations


class ForethoughtError(Exception):
    """Base of every error a user can cause. Anything else is a bug."""

    exit_code = 1


class InvalidInput(ForethoughtError):
    """A value typed by the user cannot be understood."""


class InvalidProbability(InvalidInput):
    pass


class InvalidDate(InvalidInput):
    pass


class InvalidGrade(InvalidInput):
    pass


class NotFound(ForethoughtError):
    pass


class QuestionNotFound(NotFound):
    pass


class AmbiguousPrefix(ForethoughtError):
    pass


class ClaimNotFound(NotFound):
    pass


class SourceNotFound(NotFound):
    pass


class AlreadyExists(ForethoughtError):
    pass


class AlreadyResolved(ForethoughtError):
    pass


class QuestionClosed(ForethoughtError):
    """The question was annulled: it takes no more forecasts."""


class InvalidOutcome(InvalidInput):
    pass


class WorkspaceNotFound(ForethoughtError):
    pass


class DatabaseError(ForethoughtError):
    """The database cannot be opened or reached."""


class CorruptDatabase(DatabaseError):
    """The database file is damaged; nothing more is written to it."""


class SchemaOutdated(DatabaseError):
    pass


class SchemaTooNew(DatabaseError):
    pass


class Unauthorized(ForethoughtError):
    """No valid credentials: a wrong name or password, an unknown, expired or revoked token or
    session, a disabled account."""


class Forbidden(ForethoughtError):
    """The account is known but its role (or a read-only token) does not allow this."""


class TooManyRequests(ForethoughtError):
    """Too many failed logins from this address for this name; try again later."""

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ImportRejected(ForethoughtError):
    """A file to import is malformed or contradicts the database; nothing was written."""


class IntegrityViolation(ForethoughtError):
    """`verify` found a record that the ledger does not vouch for."""
