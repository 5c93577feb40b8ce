"""The server database's errors, and the one place that reads ``sqlcipher3`` errors into them.

Two families, as in the desk's store: what is wrong with the file or the machine (a wrong key, a damaged
or read-only file, a newer schema, a full disk: an administrator can act on it, and the message says
what, in one sentence), and everything else (a bug; the stack trace goes to the log).
"""

from __future__ import annotations

# SQLite primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


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
    return primary_code(exc) in (
        SQLITE_FULL,
        SQLITE_IOERR,
        SQLITE_READONLY,
        SQLITE_CANTOPEN,
        SQLITE_PERM,
        SQLITE_CORRUPT,
        SQLITE_NOTADB,
        SQLITE_BUSY,
        SQLITE_LOCKED,
        SQLITE_NOMEM,
    )


def translate(exc: BaseException) -> DatabaseError:
    """The database error for a ``sqlcipher3.dbapi2.Error`` raised while the server runs."""
    primary = primary_code(exc)
    if primary == SQLITE_FULL:
        return DiskFull("the disk holding the database is full")
    if primary == SQLITE_READONLY:
        return StorageUnavailable("the database file cannot be written (read-only)")
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return CorruptDatabase("the database file is damaged")
    return StorageUnavailable(f"the database cannot be written just now ({type(exc).__name__})")


def primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None
