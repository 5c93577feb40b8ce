"""The database worker: jobs in order, group commit, and a failing job that undoes only itself."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.server.db import Database
from operator_desk.server.dbfile import DB_FILE
from operator_desk.server.sqlcipher_engine import SQLCipherEngine
from tests.kit.servers import open_database


class Boom(Exception):
    pass


def _create(conn) -> None:
    # PostgreSQL's test database is emptied between tests, not made anew: a table of a test's own goes.
    conn.execute("DROP TABLE IF EXISTS scratch")
    conn.execute("CREATE TABLE scratch (n INTEGER PRIMARY KEY)")


def _insert(conn, n: int) -> None:
    conn.execute("INSERT INTO scratch (n) VALUES (?)", (n,))


def _insert_then_fail(conn, n: int) -> None:
    conn.execute("INSERT INTO scratch (n) VALUES (?)", (n,))
    raise Boom


def _rows(conn) -> list[int]:
    return [row[0] for row in conn.execute("SELECT n FROM scratch ORDER BY n")]


@pytest.mark.asyncio
@pytest.mark.allow_log_warnings  # the failing write is logged (by name and exception type only)
async def test_a_failing_job_undoes_only_itself(tmp_path):
    db = await asyncio.to_thread(open_database, tmp_path / "data")
    try:
        await db.call(_create)
        batches = db.batches
        # Queued together: the first write waits for company, so they share one transaction.
        db.submit(_insert, 1)
        db.submit(_insert_then_fail, 2)
        db.submit(_insert, 3)
        failed = db.call_future(_insert_then_fail, 4)
        assert await db.call(_rows) == [1, 3]
        with pytest.raises(Boom):
            await asyncio.wrap_future(failed)
        assert db.batches - batches <= 2
        db.submit(_insert, 5)
        assert await db.call(_rows) == [1, 3, 5]
    finally:
        await db.close()


@pytest.mark.asyncio
async def test_writes_are_committed_at_close(tmp_path):
    db = await asyncio.to_thread(open_database, tmp_path / "data")
    await db.call(_create)
    for n in range(100):
        db.submit(_insert, n)
    await db.close()
    db = await asyncio.to_thread(open_database, tmp_path / "data")
    try:
        assert await db.call(_rows) == list(range(100))
    finally:
        await db.close()


@pytest.mark.asyncio
async def test_a_write_whose_caller_stopped_waiting_is_committed_and_the_worker_goes_on(tmp_path):
    """A task cancelled while it awaits a write (the webhook tasks at shutdown) cancels the write's
    future; the worker setting its result then raised InvalidStateError and the database thread died."""
    db = await asyncio.to_thread(open_database, tmp_path / "data")
    try:
        await db.call(_create)
        abandoned = db.write(_insert, 1)
        assert abandoned.cancel()
        # A dead worker would never answer: waited for with a deadline, so that the test fails instead.
        assert await asyncio.wait_for(db.call(_rows), 10) == [1]
        db.submit(_insert, 2)
        assert await asyncio.wait_for(db.call(_rows), 10) == [1, 2]
    finally:
        await db.close()


def _fill(conn, rows: int, start: int) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS filler (n INTEGER PRIMARY KEY, text TEXT)")
    for n in range(start, start + rows):
        conn.execute("INSERT INTO filler (n, text) VALUES (?, ?)", (n, "x" * 3000))


@pytest.mark.asyncio
@pytest.mark.sqlcipher_only  # the SQLCipher file's write-ahead log; PostgreSQL checkpoints by itself
async def test_commits_leave_the_write_ahead_log_to_the_checkpointer(tmp_path):
    """A commit only appends to the log: SQLite's own checkpoint ran inside the commit that took the log
    past 1,000 pages and synced both files there, holding that group commit (and every answer waiting
    for it) for 40-110 ms under load. The checkpointer's thread copies the log into the file instead."""
    data = tmp_path / "data"
    db = Database(SQLCipherEngine.open(data, checkpoint_interval=3600))   # it waits for the test
    try:
        database_file, log = data / DB_FILE, data / (DB_FILE + "-wal")
        size_at_start = database_file.stat().st_size
        for batch in range(20):   # about 1,500 pages of 4 KiB, in 20 commits
            await db.call(_fill, 100, batch * 100)
        assert log.stat().st_size > 1_000 * 4096
        assert database_file.stat().st_size == size_at_start   # no commit copied the log over
        await asyncio.to_thread(db_engine(db).checkpointer.checkpoint)
        assert database_file.stat().st_size > size_at_start + 1_000 * 4096
    finally:
        await db.close()
    reopened = await asyncio.to_thread(Database.open, data)
    try:
        assert await reopened.call(_count_filler) == 2000
    finally:
        await reopened.close()


@pytest.mark.asyncio
@pytest.mark.sqlcipher_only  # the SQLCipher file's write-ahead log
async def test_a_log_past_its_bound_is_copied_whole_and_truncated(tmp_path):
    """The log starts afresh only when a commit finds all of it copied, and under steady writes a
    commit can land during every passive checkpoint: past its bound a checkpoint copies all and
    truncates, so the log cannot grow for ever."""
    data = tmp_path / "data"
    db = Database(SQLCipherEngine.open(data, checkpoint_interval=3600, max_log_pages=100))
    try:
        await db.call(_fill, 600, 0)   # about 500 pages
        log = data / (DB_FILE + "-wal")
        assert log.stat().st_size > 100 * 4096
        await asyncio.to_thread(db_engine(db).checkpointer.checkpoint)
        assert log.stat().st_size == 0
    finally:
        await db.close()


def _count_filler(conn) -> int:
    return conn.execute("SELECT count(*) FROM filler").fetchone()[0]


def db_engine(db: Database) -> SQLCipherEngine:
    engine = db._engine
    assert isinstance(engine, SQLCipherEngine)
    return engine
