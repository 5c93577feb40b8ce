"""The server database's errors, and the one place that reads ``sqlcipher3`` errors into them (by their
result code, as ``domain/sqlite_failures.py`` reads it for the desk's store too).

Two families, as in the desk's store: what is wrong with the file or the machine (a wrong key, a damaged
or read-only file, a newer schema, a full disk: an administrator can act on it, and the message says
what, in one sentence), and everything else (a bug; the stack trace goes to the log). The errors any
encrypted SQLite database can have are the domain's (``domain/storage_errors.py``, shared with the
desk's store); what only the server's database has is defined here.
"""

from __future__ import annotations

from operator_desk.domain.sqlite_failures import SqliteFailure, failure_of
from operator_desk.domain.storage_errors import (
    CorruptDatabase,
    DiskFull,
    NewerSchema,
    ReadOnlyDatabase,
    StorageError,
    WrongKey,
)

__all__ = [
    "CorruptDatabase", "DatabaseError", "DiskFull", "KeyFileError", "NewerSchema", "ReadOnlyDatabase",
    "StorageError", "StorageUnavailable", "WrongKey", "is_environment_error", "translate",
]


class DatabaseError(StorageError):
    """The server's database cannot be opened or used, for a reason of its own (its key file, a closed
    database, a write not stored). ``str()`` is one sentence for an administrator. Catch
    ``StorageError`` for these and the shared ones (``WrongKey``, ...) alike."""


class KeyFileError(DatabaseError):
    """The key file is missing, unreadable or does not hold a key."""


class StorageUnavailable(DatabaseError):
    """A write could not be stored: the disk is full, or the file cannot be written or read just now.
    Nothing of the failed transaction is kept; the server goes on and recovers when the cause is gone."""


def is_environment_error(exc: BaseException) -> bool:
    """True for a sqlcipher3 error that the machine causes (disk, permissions, damage), not our SQL."""
    return failure_of(exc) is not None


def translate(exc: BaseException) -> StorageError:
    """The database error for a ``sqlcipher3.dbapi2.Error`` raised while the server runs."""
    failure = failure_of(exc)
    if failure is SqliteFailure.DISK_FULL:   # while serving: a write not stored (DiskFull is at open)
        return StorageUnavailable("the disk holding the database is full")
    if failure is SqliteFailure.READ_ONLY:
        return StorageUnavailable("the database file cannot be written (read-only)")
    if failure is SqliteFailure.DAMAGED:
        return CorruptDatabase("the database file is damaged")
    return StorageUnavailable(f"the database cannot be written just now ({type(exc).__name__})")
