"""The store's errors, and the one place that translates ``sqlcipher3`` errors into them.

``sqlcipher3.dbapi2`` exceptions are not subclasses of the stdlib ``sqlite3`` ones, so nothing above the
store can catch them sensibly. Callers see two families: :class:`StoreEnvironmentError` (the machine or
the file is in a state the user can act on: wrong key, corrupt file, full disk, ...) and
:class:`StoreInternalError` (a bug in this code; the stack trace goes to the log).

The errors any encrypted SQLite database can have (``WrongKey``, ``CorruptDatabase``, ``NewerSchema``,
``ReadOnlyDatabase``, ``DiskFull``) are the domain's (``domain/storage_errors.py``), shared with the
server's database; so are the two bases, under the store's names: ``StoreError`` is
``StorageError``, ``StoreEnvironmentError`` is ``StorageEnvironmentError``. What only the cache can
have is defined here.
"""

from __future__ import annotations

# No import of sqlcipher3 here: services catch these types without pulling in the database driver.
from operator_desk.domain.sqlite_failures import SqliteFailure, failure_of
from operator_desk.domain.storage_errors import (
    CorruptDatabase,
    DiskFull,
    NewerSchema,
    ReadOnlyDatabase,
    StorageEnvironmentError,
    StorageError,
    WrongKey,
)

StoreError = StorageError  # base of every error the store raises
StoreEnvironmentError = StorageEnvironmentError  # the file or the machine; the user can act on it

__all__ = [
    "CacheUnusable", "ConsentMissing", "CorruptDatabase", "DatabaseLocked", "DiskFull", "NewerSchema",
    "ReadOnlyDatabase", "StoreClosed", "StoreEnvironmentError", "StoreError", "StoreInternalError",
    "UnencryptedDatabase", "WrongKey", "translate",
]


class UnencryptedDatabase(CorruptDatabase):
    """The file is a plain SQLite database: never opened as a cache, never silently used."""


class DatabaseLocked(StoreEnvironmentError):
    """Another process holds the cache (a second copy of the app on the same profile?)."""


class CacheUnusable(StoreEnvironmentError):
    """The file cannot be opened or read at all (I/O error, permissions, missing SQLCipher). Not the
    server's ``StorageUnavailable`` (a write it could not store just now)."""


class StoreInternalError(StoreError):
    """A programming error inside the store (bad SQL, a violated constraint)."""


class StoreClosed(StoreError):
    """The store was used after ``close()``."""


class ConsentMissing(StoreError):
    """The visitor's consents do not allow storing this data; nothing was written."""


_BY_FAILURE: dict[SqliteFailure, type[StoreEnvironmentError]] = {
    SqliteFailure.DAMAGED: CorruptDatabase,
    SqliteFailure.DISK_FULL: DiskFull,
    SqliteFailure.READ_ONLY: ReadOnlyDatabase,
    SqliteFailure.LOCKED: DatabaseLocked,
    SqliteFailure.UNAVAILABLE: CacheUnusable,
}


def translate(exc: Exception) -> StoreError:
    """The store error for a ``sqlcipher3.dbapi2.Error``, read by its result code. ``SQLITE_NOTADB``
    maps to :class:`CorruptDatabase` here; only the open path can tell a wrong key from a damaged file,
    and does so itself. Out of memory, and anything that is not the machine's or the file's failure,
    is a :class:`StoreInternalError`."""
    failure = failure_of(exc)
    kind = _BY_FAILURE.get(failure) if failure is not None else None
    return (kind or StoreInternalError)(f"{type(exc).__name__}: {exc}")
