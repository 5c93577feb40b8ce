"""What can be wrong with an encrypted SQLite database: one family for the desk's cache (``store/``)
and the server's database (``server/``), which may not import each other (the layer contracts), so
that each name (``WrongKey``, ``DiskFull``, ...) means one thing wherever it is caught.

The store's base error ``StoreError`` is ``StorageError`` itself: the services catch every store
error, these included, as ``StoreError``. The server's own ``DatabaseError`` is a ``StorageError`` too.
Which SQLite result code means which of these is read in ``sqlite_failures.py``; each layer raises
them with its own sentence (a path for an administrator, a cache for a user).
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every error of an encrypted SQLite database (the desk's cache, the server's database)."""


class StorageEnvironmentError(StorageError):
    """The file or the machine is in a state someone can act on (not a bug of ours). ``str()`` is one
    sentence saying what."""


class WrongKey(StorageEnvironmentError):
    """The key does not decrypt the file (or the file is no Operator Desk database at all)."""


class CorruptDatabase(StorageEnvironmentError):
    """The key is right but pages of the file are damaged."""


class NewerSchema(StorageEnvironmentError):
    """The database was written by a newer version: its schema ``found`` is past ``supported``, the
    newest this version knows."""

    def __init__(self, found: int, supported: int, sentence: str) -> None:
        super().__init__(sentence)
        self.found = found
        self.supported = supported


class ReadOnlyDatabase(StorageEnvironmentError):
    """The database file or its folder cannot be written."""


class DiskFull(StorageEnvironmentError):
    """The disk holding the database (or the database's page limit) is full."""
