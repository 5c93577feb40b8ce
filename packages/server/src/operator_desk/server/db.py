"""The server's database: one worker thread that owns its connection to the engine (a SQLCipher file,
``sqlcipher_engine.py``; or PostgreSQL through a pool, ``postgresql.py``).

The event loop never touches SQLite. Coroutines hand a function to the worker and get a future:

- ``call``: a read, or a write whose result is needed at once: the worker runs it without waiting;
- ``write``: a change a request answers for ("an ok answer means it is stored"): it joins the next
  group commit (within ``COMMIT_DELAY``), and its future is resolved once that commit is done;
- ``submit``: a write nobody answers for (a page view, a last-seen time): fire and forget.

The worker runs jobs in order, so a read sees every write submitted before it, and it commits whatever
is queued in one transaction (group commit: a burst of changes costs one commit, not hundreds). Every
future resolves only after the commit: a result is never handed out for a transaction that might still
roll back. A failure of the machine (a full disk, a read-only or damaged file, a lost connection to
PostgreSQL) resolves the futures of the failed transaction with ``StorageUnavailable``; the next
transaction tries again, so the server recovers by itself once space (or the database server) is back.

What differs between the engines (how a transaction begins, which driver errors are the machine's, what
follows an erasure) is the ``Engine``'s; the SQL of the repository modules is written once for both
(docs/server.md, "Storage engines").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from pathlib import Path
from typing import Any, Protocol, TypeVar

from operator_desk.server.db_errors import DatabaseError, StorageError
from operator_desk.server.sqlcipher_engine import CHECKPOINT_INTERVAL, SQLCipherEngine

logger = logging.getLogger(__name__)

T = TypeVar("T")
Connection = Any
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


def is_postgresql_url(database: str) -> bool:
    """``--database`` names PostgreSQL (a URL) rather than a SQLCipher file (a path)."""
    return database.startswith(("postgresql://", "postgres://"))


class Engine(Protocol):
    """What the worker needs of a storage engine. Its connections have ``execute(sql, params)``
    returning a cursor (``fetchone``, ``fetchall``, ``rowcount``, iteration), with ``?`` and ``:name``
    placeholders whatever the engine."""

    # "sqlcipher" or "postgresql": for the few statements that must differ (``Database.dialect``).
    dialect: str
    # The driver's base exception.
    Error: type[Exception]

    def acquire(self) -> Connection:
        """A connection for one transaction (the worker's own; may raise ``Error``)."""

    def release(self, conn: Connection) -> None:
        """Give back what ``acquire`` gave, outside any transaction."""

    def begin(self, conn: Connection) -> None: ...

    def in_transaction(self, conn: Connection) -> bool: ...

    def is_environment_error(self, exc: BaseException) -> bool:
        """True for a driver error that the machine causes (disk, permissions, damage, a lost
        connection), not our SQL."""

    def translate(self, exc: BaseException) -> StorageError:
        """The server's error for a driver error raised while it runs."""

    def after_erasure(self, conn: Connection) -> None:
        """After the commit of a job marked ``checkpoint_after``: leave no erased row behind."""

    def close(self) -> None:
        """On the worker, once it is done: close every connection."""


class Database:
    """The worker thread and its engine. Build with ``Database.open`` (blocking: call it from a
    thread or before the loop runs, e.g. ``await asyncio.to_thread(Database.open, ...)``)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.dialect = engine.dialect
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        # Set when a job someone awaits at once is queued: the worker stops waiting for company and commits.
        self._urgent = threading.Event()
        self._thread = threading.Thread(target=self._run, name="server-db", daemon=True)
        self._closed = False
        # Read by the load figures (stats.py): transactions committed, and the longest since last read.
        self.batches = 0
        self.batch_max = 0.0
        # Transactions that failed for a reason of the machine (full disk, ...), for stats and tests.
        self.failed_batches = 0
        self._thread.start()

    @classmethod
    def open(
        cls, data_dir: Path, key_file: Path | None = None, database: str | None = None,
        checkpoint_interval: float = CHECKPOINT_INTERVAL,
    ) -> Database:
        """Open the database ``database`` names: a ``postgresql://`` URL, else a SQLCipher file (that
        path, or ``DATA/server.db`` when none is given, created on first run) with the key in
        ``key_file`` (default ``DATA/server.key``). A ``StorageError`` (``db_errors``) names whatever is
        wrong."""
        if database is not None and is_postgresql_url(database):
            try:
                from operator_desk.server.postgresql import PostgresEngine  # only here: an extra
            except ImportError:
                raise DatabaseError(
                    "PostgreSQL needs the server's postgresql extra (psycopg and psycopg_pool): "
                    "pip install 'operator-desk-server[postgresql]'"
                ) from None
            return cls(PostgresEngine.open(database, data_dir, key_file))
        return cls(SQLCipherEngine.open(data_dir, key_file, Path(database) if database else None,
                                        checkpoint_interval))

    # -- the loop's side ----------------------------------------------------------------------------

    @property
    def queued(self) -> int:
        """Jobs waiting for the worker (approximate)."""
        return self._jobs.qsize()

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(conn, *args)`` on the worker now, and return its result once committed."""
        return await asyncio.wrap_future(self.call_future(fn, *args))

    def call_future(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        return self._queue(fn, args, urgent=True)

    def write(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Queue ``fn(conn, *args)`` for the next group commit; the future resolves once it is committed
        (with ``fn``'s result), or fails with ``StorageUnavailable`` if it could not be stored."""
        return self._queue(fn, args, urgent=False)

    def _queue(self, fn: Callable[..., T], args: tuple[Any, ...], urgent: bool) -> Future[T]:
        if self._closed:
            raise DatabaseError("the database is closed")
        future: Future[T] = Future()
        self._jobs.put(_Job(fn, args, future, urgent))
        if urgent:
            self._urgent.set()
        return future

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue a write whose result nobody waits for. A failure is logged, never lost silently."""
        if self._closed:
            raise DatabaseError("the database is closed")
        self._jobs.put(_Job(fn, args, None, False))

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
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    break
                if not job.urgent and not self._urgent.is_set():
                    # Only jobs that may wait so far: let more arrive (a caller that needs a result at
                    # once cuts this short), so that one commit carries them all.
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
                self._run_acquired(batch)
                self.batches += 1
                self.batch_max = max(self.batch_max, time.perf_counter() - started)
                if stop:
                    break
        finally:
            self._engine.close()

    def _run_acquired(self, batch: list[_Job]) -> None:
        engine = self._engine
        try:
            conn = engine.acquire()
        except engine.Error as exc:
            self._fail_batch(batch, exc)
            return
        try:
            self._run_batch(conn, batch)
        finally:
            engine.release(conn)

    def _run_batch(self, conn: Connection, batch: list[_Job]) -> None:
        engine = self._engine
        try:
            engine.begin(conn)
        except engine.Error as exc:
            self._fail_batch(batch, exc)
            return
        # The common case: every job succeeds, and the batch costs one statement per job and a commit.
        # Savepoints would triple the statements, and each statement takes the GIL back from the loop.
        outcomes: list[tuple[_Job, bool, Any]] = []
        try:
            for job in batch:
                outcomes.append((job, True, job.fn(conn, *job.args)))
        except Exception as exc:
            self._rollback(conn)
            if isinstance(exc, engine.Error) and engine.is_environment_error(exc):
                # The machine, not a job: a full disk fails them all alike, and a rerun would only
                # fail again. Nothing of the batch is stored; the next batch tries afresh.
                self._fail_batch(batch, exc)
                return
            # A job failed: undo the whole batch and run it again, each job in its own savepoint, so that
            # the failing job undoes only itself. Jobs are functions of the database and their arguments.
            try:
                engine.begin(conn)
                outcomes = self._run_isolated(conn, batch)
            except engine.Error as again:
                self._rollback(conn)
                self._fail_batch(batch, again)
                return
        try:
            conn.execute("COMMIT")
        except engine.Error as exc:
            self._rollback(conn)
            self._fail_batch(batch, exc)
            return
        if any(getattr(job.fn, "checkpoint_after", False) for job in batch):
            try:
                engine.after_erasure(conn)
            except engine.Error as exc:
                logger.error("checkpoint after erasure failed: %s", engine.translate(exc))
        for job, succeeded, value in outcomes:
            if job.future is None:
                continue
            # A caller that stopped waiting (a task cancelled at shutdown) cancelled its future: the
            # job is committed all the same, and nobody is left to tell.
            with contextlib.suppress(InvalidStateError):
                if succeeded:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(value)

    def _rollback(self, conn: Connection) -> None:
        """Roll back the open transaction, if the engine has not already done so after an error."""
        engine = self._engine
        if engine.in_transaction(conn):
            try:
                conn.execute("ROLLBACK")
            except engine.Error as exc:
                logger.error("rollback failed: %s", engine.translate(exc))

    def _fail_batch(self, batch: list[_Job], exc: BaseException) -> None:
        """Nothing of the batch was stored: every future learns why, and the log says so once a minute."""
        error = self._engine.translate(exc) if isinstance(exc, self._engine.Error) else exc
        self.failed_batches += 1
        lost = sum(1 for job in batch if job.future is None)
        logger.error("a transaction of %d jobs was not stored (%d unanswered writes lost): %s",
                     len(batch), lost, error)
        for job in batch:
            if job.future is not None and not job.future.done():
                job.future.set_exception(error)

    def _run_isolated(self, conn: Connection, batch: list[_Job]) -> list[tuple[_Job, bool, Any]]:
        outcomes: list[tuple[_Job, bool, Any]] = []
        for job in batch:
            conn.execute("SAVEPOINT job")
            try:
                result = job.fn(conn, *job.args)
            except Exception as exc:
                conn.execute("ROLLBACK TO job")
                conn.execute("RELEASE job")
                if isinstance(exc, self._engine.Error) and self._engine.is_environment_error(exc):
                    raise
                if job.future is None:
                    name = getattr(job.fn, "__name__", job.fn)
                    logger.error("database write %s failed: %s", name, type(exc).__name__)
                outcomes.append((job, False, exc))
                continue
            conn.execute("RELEASE job")
            outcomes.append((job, True, result))
        return outcomes


class _Job:
    __slots__ = ("args", "fn", "future", "urgent")

    def __init__(
        self, fn: Callable[..., Any], args: tuple[Any, ...], future: Future[Any] | None, urgent: bool
    ) -> None:
        self.fn = fn
        self.args = args
        self.future = future
        self.urgent = urgent
