"""The SQLCipher engine: one encrypted file (``DATA/server.db``), one connection, owned by the database
worker. Opening it (``dbfile.open_connection``) names whatever is wrong with the file at start."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from operator_desk.server.db_errors import StorageError, is_environment_error, translate
from operator_desk.server.dbfile import DB_FILE, open_connection, prepare_data_dir

logger = logging.getLogger(__name__)


class SQLCipherEngine:
    dialect = "sqlcipher"
    Error = sqlcipher.Error

    def __init__(self, conn: sqlcipher.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, data_dir: Path, key_file: Path | None = None, path: Path | None = None) -> SQLCipherEngine:
        """Open (creating on first run) the file ``path`` (default ``DATA/server.db``) with the key in
        ``key_file`` (default ``DATA/server.key``)."""
        path = Path(path) if path is not None else Path(data_dir) / DB_FILE
        key = prepare_data_dir(data_dir, key_file, path)
        return cls(open_connection(path, key))

    def acquire(self) -> sqlcipher.Connection:
        return self._conn

    def release(self, conn: sqlcipher.Connection) -> None:
        pass

    def begin(self, conn: sqlcipher.Connection) -> None:
        # IMMEDIATE takes the write lock now: a busy file fails here, before any job has run.
        conn.execute("BEGIN IMMEDIATE")

    def in_transaction(self, conn: sqlcipher.Connection) -> bool:
        return bool(conn.in_transaction)

    def is_environment_error(self, exc: BaseException) -> bool:
        return is_environment_error(exc)

    def translate(self, exc: BaseException) -> StorageError:
        return translate(exc)

    def after_erasure(self, conn: sqlcipher.Connection) -> None:
        # secure_delete has overwritten the deleted rows in the file; the WAL still holds them until
        # it is checkpointed and truncated.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlcipher.Error as exc:
            logger.error("checkpoint at close failed: %s", translate(exc))
        self._conn.close()
