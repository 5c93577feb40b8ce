"""The store's own errors, and the one place that translates ``sqlcipher3`` errors into them.

``sqlcipher3.dbapi2`` exceptions are not subclasses of the stdlib ``sqlite3`` ones, so nothing above the
store can catch them sensibly. Callers see two families: :class:`StoreEnvironmentError` (the machine or
the file is in a state the user can act on: wrong key, corrupt file, full disk, ...) and
:class:`StoreInternalError` (a bug in this code; the stack trace goes to the log).
"""

from __future__ import annotations

# No import of sqlcipher3 here: services catch these types without pulling in the database driver.
# SQLite primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


class StoreError(Exception):
    """Base of every error the store raises."""


class StoreEnvironmentError(StoreError):
    """The file or the machine is in a state the user can do something about."""


class WrongKey(StoreEnvironmentError):
    """The key does not decrypt this file (or the file is not a cache at all)."""


class CorruptDatabase(StoreEnvironmentError):
    """The file decrypts in part but is damaged. ``move_aside`` it and start a fresh cache."""


class UnencryptedDatabase(CorruptDatabase):
    """The file is a plain SQLite database: never opened as a cache, never silently used."""


class NewerSchema(StoreEnvironmentError):
    """The cache was written by a newer version of the app."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(f"cache schema {found} is newer than this version supports ({supported})")
        self.found = found
        self.supported = supported


class DiskFull(StoreEnvironmentError):
    """The disk (or the database's page limit) is full."""


class ReadOnlyDatabase(StoreEnvironmentError):
    """The cache file or its folder cannot be written."""


class DatabaseLocked(StoreEnvironmentError):
    """Another process holds the cache (a second copy of the app on the same profile?)."""


class StorageUnavailable(StoreEnvironmentError):
    """The file cannot be opened or read at all (I/O error, permissions, missing SQLCipher)."""


class StoreInternalError(StoreError):
    """A programming error inside the store (bad SQL, a violated constraint)."""


class StoreClosed(StoreError):
    """The store was used after ``close()``."""


class ConsentMissing(StoreError):
    """The visitor's consents do not allow storing this data; nothing was written."""


def translate(exc: Exception) -> StoreError:
    """The store error for a ``sqlcipher3.dbapi2.Error``, read by its result code. ``SQLITE_NOTADB``
    maps to :class:`CorruptDatabase` here; only the open path can tell a wrong key from a damaged file,
    and does so itself."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    message = f"{type(exc).__name__}: {exc}"
    if primary in (SQLITE_NOTADB, SQLITE_CORRUPT):
        return CorruptDatabase(message)
    if primary == SQLITE_FULL:
        return DiskFull(message)
    if primary == SQLITE_READONLY:
        return ReadOnlyDatabase(message)
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseLocked(message)
    if primary in (SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_PERM):
        return StorageUnavailable(message)
    return StoreInternalError(message)
