"""What a SQLite error says about its cause, read from the result code it carries.

The desk's cache (``store/``) and the server's database (``server/``) use the same driver (sqlcipher3),
whose errors carry SQLite's result code, and may not import each other (the layer contracts): how a
code is read is written once, here, one layer below both. Each of them translates the failure into the
errors both share (``storage_errors.py``) or its own (``store/errors.py``, ``server/db_errors.py``). No
driver is imported: only the code an error carries is read, so this is plain rules like the rest of
the domain.
"""

from __future__ import annotations

import enum

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


class SqliteFailure(enum.Enum):
    """A failure of the machine or of the file, not of our SQL: someone can act on it."""

    DISK_FULL = "disk_full"          # the disk (or the database's page limit) is full
    READ_ONLY = "read_only"          # the file or its folder cannot be written
    DAMAGED = "damaged"              # the file is damaged, or the key does not decrypt it
    LOCKED = "locked"                # another connection or process holds the database
    UNAVAILABLE = "unavailable"      # the file cannot be opened or read (I/O error, permissions)
    OUT_OF_MEMORY = "out_of_memory"


_FAILURES = {
    SQLITE_FULL: SqliteFailure.DISK_FULL,
    SQLITE_READONLY: SqliteFailure.READ_ONLY,
    SQLITE_CORRUPT: SqliteFailure.DAMAGED,
    SQLITE_NOTADB: SqliteFailure.DAMAGED,
    SQLITE_BUSY: SqliteFailure.LOCKED,
    SQLITE_LOCKED: SqliteFailure.LOCKED,
    SQLITE_CANTOPEN: SqliteFailure.UNAVAILABLE,
    SQLITE_IOERR: SqliteFailure.UNAVAILABLE,
    SQLITE_PERM: SqliteFailure.UNAVAILABLE,
    SQLITE_NOMEM: SqliteFailure.OUT_OF_MEMORY,
}


def primary_code(exc: BaseException) -> int | None:
    """The primary result code of a driver error (``sqlite_errorcode``), or None if it has none."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def failure_of(exc: BaseException) -> SqliteFailure | None:
    """The machine's or the file's failure a driver error reports; None for anything else (bad SQL, a
    violated constraint: a bug, whose stack trace belongs in the log)."""
    code = primary_code(exc)
    return _FAILURES.get(code) if code is not None else None
