"""The server database's errors, and the one place that reads ``sqlcipher3`` errors into them (by their
result code, as ``domain/sqlite_failures.py`` reads it for the desk's store too).

Two families, as in the desk's store: what is wrong with the file or the machine (a wrong key, a damaged
or read-only file, a newer schema, a full disk: an administrator can act on it, and the message says
what, in one sentence), and everything else (a bug; the stack trace goes to the log).
"""

from __future__ import annotations

from operator_desk.domain.sqlite_failures import SqliteFailure, failure_of


class DatabaseError(Exception):
    """The database cannot be opened or used. ``str()`` is one sentence for an administrator."""


class KeyFileError(DatabaseError):
    """The key file is missing, unreadable or does not hold a key."""


class WrongKey(DatabaseError):
    """The key does not decrypt the database file (or the file is no Operator Desk database)."""


class CorruptDatabase(DatabaseError):
    """The key is right but pages of the file are damaged."""


class NewerSchema(DatabaseError):
    """The database was written by a newer server."""


class ReadOnlyDatabase(DatabaseError):
    """The database file or its folder cannot be written."""


class StorageUnavailable(DatabaseError):
    """A write could not be stored: the disk is full, or the file cannot be written or read just now.
    Nothing of the failed transaction is kept; the server goes on and recovers when the cause is gone."""


class DiskFull(StorageUnavailable):
    """The disk holding the database is full."""


def is_environment_error(exc: BaseException) -> bool:
    """True for a sqlcipher3 error that the machine causes (disk, permissions, damage), not our SQL."""
    return failure_of(exc) is not None


def translate(exc: BaseException) -> DatabaseError:
    """The database error for a ``sqlcipher3.dbapi2.Error`` raised while the server runs."""
    failure = failure_of(exc)
    if failure is SqliteFailure.DISK_FULL:
        return DiskFull("the disk holding the database is full")
    if failure is SqliteFailure.READ_ONLY:
        return StorageUnavailable("the database file cannot be written (read-only)")
    if failure is SqliteFailure.DAMAGED:
        return CorruptDatabase("the database file is damaged")
    return StorageUnavailable(f"the database cannot be written just now ({type(exc).__name__})")
