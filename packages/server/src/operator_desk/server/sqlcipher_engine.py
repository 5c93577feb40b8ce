"""The SQLCipher engine: one encrypted file (``DATA/server.db``), one connection, owned by the database
worker. Opening it (``dbfile.open_connection``) names whatever is wrong with the file at start.

Commits only append to the write-ahead log; a thread of its own (``Checkpointer``, on a second
connection) copies the log into the database file every second. SQLite's automatic checkpoint ran
inside the commit that took the log past 1,000 pages, and synced both files there: that commit took
40-55 ms instead of 0.6 ms on this loaded machine, and every answer waiting for its group commit (an ok
means stored) waited with it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from operator_desk.server.db_errors import StorageError, is_environment_error, translate
from operator_desk.server.dbfile import DB_FILE, keyed_connection, open_connection, prepare_data_dir

logger = logging.getLogger(__name__)

# Seconds between two checkpoints: the log holds at most about a second of writes beyond the file.
CHECKPOINT_INTERVAL = 1.0
# Pages in the log past which a checkpoint also starts it afresh (about 16 MiB).
MAX_LOG_PAGES = 4096


class Checkpointer:
    """Copies the write-ahead log into the database file every ``interval`` seconds, on its own thread
    and connection (a passive checkpoint: it never waits for the worker's transaction, nor holds it
    up). A failure (a full disk) is logged and the next checkpoint tries again.

    The log starts afresh only when a commit finds all of it copied; under steady writes one may land
    during every checkpoint, and the log would grow. Past ``max_log_pages`` a checkpoint therefore
    waits for the worker's transaction to end, copies everything and truncates the log (the worker
    waits that long for its next transaction: rare, and the log stays bounded)."""

    def __init__(self, conn: sqlcipher.Connection, interval: float, max_log_pages: int) -> None:
        self._conn = conn
        self._interval = interval
        self._max_log_pages = max_log_pages
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="server-db-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.checkpoint()

    def checkpoint(self) -> None:
        try:
            _, log_pages, _ = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if log_pages > self._max_log_pages:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlcipher.Error as exc:
            logger.error("checkpoint of the write-ahead log failed: %s", translate(exc))

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._conn.close()


class SQLCipherEngine:
    dialect = "sqlcipher"
    Error = sqlcipher.Error

    def __init__(self, conn: sqlcipher.Connection, checkpointer: Checkpointer) -> None:
        self._conn = conn
        self.checkpointer = checkpointer

    @classmethod
    def open(
        cls, data_dir: Path, key_file: Path | None = None, path: Path | None = None,
        checkpoint_interval: float = CHECKPOINT_INTERVAL, max_log_pages: int = MAX_LOG_PAGES,
    ) -> SQLCipherEngine:
        """Open (creating on first run) the file ``path`` (default ``DATA/server.db``) with the key in
        ``key_file`` (default ``DATA/server.key``)."""
        path = Path(path) if path is not None else Path(data_dir) / DB_FILE
        key = prepare_data_dir(data_dir, key_file, path)
        conn = open_connection(path, key)
        try:
            conn.execute("PRAGMA wal_autocheckpoint = 0")   # the checkpointer's job, not a commit's
            # Once the checkpointer has copied all of it, the next commit starts the log afresh and
            # truncates it: the file keeps no stale frames (older versions of rows) behind the new ones.
            conn.execute("PRAGMA journal_size_limit = 0")
            checkpointer = Checkpointer(keyed_connection(path, key), checkpoint_interval, max_log_pages)
            return cls(conn, checkpointer)
        except BaseException:
            conn.close()
            raise

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
        self.checkpointer.close()
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlcipher.Error as exc:
            logger.error("checkpoint at close failed: %s", translate(exc))
        self._conn.close()
