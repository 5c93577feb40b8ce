"""The server's database: one SQLCipher connection owned by one worker thread.

The event loop never touches SQLite. Coroutines hand a function to the worker (``call``: awaited for its
result; ``submit``: fire and forget, for writes whose outcome the caller already knows). The worker runs
the jobs in order, so a read always sees every write submitted before it, and it commits whatever is
queued in one transaction (group commit: a burst of page views costs one commit, not hundreds). A batch
that holds only such writes waits up to ``COMMIT_DELAY`` for more; an awaited job is run at once, with
whatever is queued before it.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from sqlcipher3 import dbapi2 as sqlcipher

from operator_desk.server.db_errors import DatabaseError
from operator_desk.server.dbfile import DB_FILE, open_connection, prepare_data_dir

logger = logging.getLogger(__name__)

T = TypeVar("T")
Connection = sqlcipher.Connection
MAX_BATCH = 1024
# How long a write nobody awaits may wait for others to share its commit. Bounds what a crash can lose
# beyond what was already queued, and keeps the worker from committing (and taking the GIL from the loop)
# hundreds of times a second under load.
COMMIT_DELAY = 0.025


def checkpoint_after(fn: Callable[..., T]) -> Callable[..., T]:
    """Mark a job after whose commit the WAL is checkpointed and truncated: an erasure must not leave
    the erased rows behind in the write-ahead log."""
    fn.checkpoint_after = True  # type: ignore[attr-defined]
    return fn


class Database:
    """The worker thread and its connection. Build with ``Database.open`` (blocking: call it from a
    thread or before the loop runs, e.g. ``await asyncio.to_thread(Database.open, ...)``)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._jobs: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...], Future[Any] | None] | None]
        self._jobs = queue.SimpleQueue()
        # Set when a job someone awaits is queued: the worker stops waiting for company and commits.
        self._urgent = threading.Event()
        self._thread = threading.Thread(target=self._run, name="server-db", daemon=True)
        self._closed = False
        # Read by the load figures (stats.py): transactions committed, and the longest since last read.
        self.batches = 0
        self.batch_max = 0.0
        self._thread.start()

    @classmethod
    def open(cls, data_dir: Path, key_file: Path | None = None) -> Database:
        """Open (creating on first run) ``DATA/server.db`` with the key in ``key_file`` (default
        ``DATA/server.key``); a ``DatabaseError`` names whatever is wrong."""
        key = prepare_data_dir(data_dir, key_file)
        return cls(open_connection(Path(data_dir) / DB_FILE, key))

    # -- the loop's side ----------------------------------------------------------------------------

    @property
    def queued(self) -> int:
        """Jobs waiting for the worker (approximate)."""
        return self._jobs.qsize()

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(conn, *args)`` in its own savepoint on the worker and return its result."""
        return await asyncio.wrap_future(self.call_future(fn, *args))

    def call_future(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        if self._closed:
            raise DatabaseError("the database is closed")
        future: Future[T] = Future()
        self._jobs.put((fn, args, future))
        self._urgent.set()
        return future

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue a write whose result nobody waits for. A failure is logged, never lost silently."""
        if self._closed:
            raise DatabaseError("the database is closed")
        self._jobs.put((fn, args, None))

    def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """Blocking ``call`` for code outside the loop (the command line's add-operator)."""
        return self.call_future(fn, *args).result()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        self._urgent.set()
        await asyncio.to_thread(self._thread.join)

    def close_sync(self) -> None:
        if not self._closed:
            self._closed = True
            self._jobs.put(None)
            self._urgent.set()
            self._thread.join()

    # -- the worker's side --------------------------------------------------------------------------

    def _run(self) -> None:
        conn = self._conn
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    break
                if job[2] is None and not self._urgent.is_set():
                    # Only writes nobody awaits so far: let more arrive (a caller that awaits a result
                    # cuts this short), so that one commit carries them all.
                    self._urgent.wait(COMMIT_DELAY)
                self._urgent.clear()
                batch = [job]
                stop = False
                while len(batch) < MAX_BATCH:
                    try:
                        more = self._jobs.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True
                        break
                    batch.append(more)
                started = time.perf_counter()
                self._run_batch(conn, batch)
                self.batches += 1
                self.batch_max = max(self.batch_max, time.perf_counter() - started)
                if stop:
                    break
        finally:
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher.Error:
                logger.exception("checkpoint at close failed")
            conn.close()

    @staticmethod
    def _begin(conn: Connection, batch: list[Any]) -> bool:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlcipher.Error as exc:
            for _, _, future in batch:
                if future is not None:
                    future.set_exception(DatabaseError(str(exc)))
            logger.exception("cannot begin a transaction")
            return False
        return True

    def _run_batch(self, conn: Connection, batch: list[Any]) -> None:
        if not self._begin(conn, batch):
            return
        # The common case: every job succeeds, and the batch costs one statement per job and a commit.
        # Savepoints would triple the statements, and each statement takes the GIL back from the loop.
        done: list[tuple[Future[Any], bool, Any]] = []
        try:
            for fn, args, future in batch:
                result = fn(conn, *args)
                if future is not None:
                    done.append((future, True, result))
        except Exception:
            # A job failed: undo the whole batch and run it again, each job in its own savepoint, so that
            # the failing job undoes only itself. Jobs are functions of the database and their arguments.
            _rollback(conn)
            if not self._begin(conn, batch):
                return
            done = self._run_isolated(conn, batch)
        try:
            conn.execute("COMMIT")
        except sqlcipher.Error as exc:
            logger.exception("commit failed")
            _rollback(conn)
            done = [(future, False, DatabaseError(str(exc))) for future, _, _ in done]
        if any(getattr(fn, "checkpoint_after", False) for fn, _, _ in batch):
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher.Error:
                logger.exception("checkpoint after erasure failed")
        for future, succeeded, value in done:
            if succeeded:
                future.set_result(value)
            else:
                future.set_exception(value)

    @staticmethod
    def _run_isolated(conn: Connection, batch: list[Any]) -> list[tuple[Future[Any], bool, Any]]:
        done: list[tuple[Future[Any], bool, Any]] = []
        for fn, args, future in batch:
            conn.execute("SAVEPOINT job")
            try:
                result = fn(conn, *args)
            except Exception as exc:
                conn.execute("ROLLBACK TO job")
                conn.execute("RELEASE job")
                if future is None:
                    logger.error(
                        "database write %s failed: %s", getattr(fn, "__name__", fn), type(exc).__name__
                    )
                else:
                    done.append((future, False, exc))
                continue
            conn.execute("RELEASE job")
            if future is not None:
                done.append((future, True, result))
        return done


def _rollback(conn: Connection) -> None:
    """Roll back the open transaction, if SQLite has not already done so after an error."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlcipher.Error:
            logger.exception("rollback failed")
