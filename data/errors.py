"""Errors of the product, drawn at the top: one root, the user's errors, and ours.

``KmdashError`` is the root. ``ImportRefused`` and ``RowProblem`` are the user's
errors (a file or a value the person can fix); ``DatabaseBusy`` means the DuckDB
file stayed locked by another process for longer than the wait allowed. Anything
else that escapes is a bug and is raised as it is.
"""
from __future__ import annotations


class KmdashError(Exception):
    """Root of every error this product raises on purpose."""


class ImportRefused(KmdashError):
    """A whole file is refused: nothing of it is loaded.

    Attributes:
        file: the file's name as given.
        reason_code: a short stable code (``not_a_spreadsheet``, ``unknown_kind``,
            ``missing_columns``, ``empty``, ``too_large``, ``encrypted``, ...).
        message: one line a person can act on.
    """

    def __init__(self, file: str, reason_code: str, message: str):
        super().__init__(f"{file}: {message} [{reason_code}]")
        self.file = file
        self.reason_code = reason_code
        self.message = message


class RowProblem(KmdashError):
    """One value of one row cannot be used; the row is rejected, not the file.

    Attributes:
        reason_code: ``bad_nip``, ``missing_nip``, ``bad_date``, ``unknown_action``, ...
        column: the canonical column the value came from (set by the caller).
        value: the raw value as text.
    """

    def __init__(self, reason_code: str, message: str, *, column: str = "", value: object = None):
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message
        self.column = column
        self.value = value


class DatabaseBusy(KmdashError):
    """The database file stayed locked by another process past the wait allowed."""


class StoreUnusable(KmdashError):
    """The database file cannot be used at all: it is not a DuckDB database, or it cannot be
    opened for writing (a read-only file, folder or file system) or for reading. The message
    is one line naming the file and the reason."""


class ConfigError(KmdashError):
    """A setting (environment variable or TOML file, see ``data.config``) cannot be used."""


class SchemaTooNew(KmdashError):
    """The database was written by a newer release than this code: refused, never downgraded.

    Attributes:
        path: the database file.
        found: the database's schema version.
        supported: the newest schema version this code knows.
    """

    def __init__(self, path: str, found: int, supported: int):
        super().__init__(f"database {path} has schema version {found}, but this release knows versions up to "
                         f"{supported}: run the newer release, or restore a backup made by this one")
        self.path = path
        self.found = found
        self.supported = supported


class BackupError(KmdashError):
    """A backup or restore cannot be made (the target exists, the source is not a KM dashboard database, ...)."""
