"""The PostgreSQL engine (``serve --database postgresql://...``): psycopg 3 connections from a pool
(psycopg_pool), handed to the database worker one transaction at a time.

The worker is still one thread that runs the jobs in order and commits them in groups (``db.py``): the
order of writes and "an ok answer means it is stored" are the same as on SQLite. The pool gives it a
checked connection for each transaction, so a connection lost to a restart of PostgreSQL fails one
transaction (``StorageUnavailable``) and the next one runs on a new connection.

The repository's SQL is SQLite's, written once: ``PostgresConnection`` turns its placeholders (``?``,
``:name``) into psycopg's and SQLite's case-insensitive ``LIKE`` into ``ILIKE``, and sends Python's
booleans as the 0 and 1 that the schema keeps (as SQLite does); the schema
(``migrations/p0110_postgresql.py``) defines the few SQLite functions the SQL calls.

Personal fields are sealed per person (``sealing.PersonKeys``, crypto-shredding: PostgreSQL keeps what
it deletes in dead rows, its WAL and backups), under the server's key file: the same file, found the
same way, as the SQLCipher engine's key (``DATA/server.key`` or ``--key-file``). A database that has
sealed fields refuses another key file, or none, at open, before anything is written.

A URL holds a password: it is never logged nor shown; errors name the host, port, database and user.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
from psycopg import pq
from psycopg.adapt import Dumper
from psycopg.conninfo import conninfo_to_dict

from operator_desk.server import sealing
from operator_desk.server.db_errors import (
    DatabaseError,
    NewerSchema,
    StorageError,
    StorageUnavailable,
    WrongKey,
)
from operator_desk.server.dbfile import load_key
from operator_desk.server.migrations import POSTGRESQL, m0120_person_keys, m0130_seal_staff_texts

logger = logging.getLogger(__name__)

# The worker uses one connection at a time; the second is for a command (accounts ...) or a node's
# short jobs beside it, and lets the pool replace a broken connection without waiting.
POOL_MAX = 2
# How long a transaction waits for a connection before it fails (the database server is down).
CONNECT_TIMEOUT = 5.0
# Two servers starting at once on one database migrate one after the other.
_MIGRATION_LOCK = 0x6F_70_64_6B  # "opdk"

# SQLSTATE classes that are the machine's, not our SQL: connection exceptions, insufficient resources
# (a full disk), operator intervention (a shutdown), system errors, and a read-only (standby) server.
_ENVIRONMENT_CLASSES = ("08", "53", "57", "58", "XX")
_READ_ONLY = "25006"

# Outside quoted text and dollar-quoted bodies: a placeholder, a cast (kept), a percent sign, or LIKE.
_TOKENS = re.compile(
    r"'(?:[^']|'')*'|\"[^\"]*\"|\$\$.*?\$\$|::|\?|(?<![\w:]):([A-Za-z_]\w*)|%|\bLIKE\b",
    re.DOTALL | re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def translate_sql(sql: str) -> str:
    """The repository's SQL (SQLite's placeholders and ``LIKE``) as psycopg sends it to PostgreSQL."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if match.group(1) is not None:
            return f"%({match.group(1)})s"
        if token == "%":
            return "%%"
        if token.upper() == "LIKE":
            return "ILIKE"  # SQLite's LIKE ignores the case of ASCII letters
        return token.replace("%", "%%") if token.startswith(("'", '"', "$")) else token

    return _TOKENS.sub(replace, sql)


class FlagDumper(Dumper):
    """Python's booleans as SQLite takes them: the schema keeps flags as 0/1 integers, where PostgreSQL
    refuses a boolean, and a comparison such as ``(closed_at IS NULL) = ?`` wants a boolean. Sent as
    ``1``/``0`` of no stated type, PostgreSQL reads them as whichever the context needs."""

    oid = 0

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_dumper(bool, FlagDumper)


# The statements that end a transaction (or part of one) as the worker (``db.py``) sends them: the person
# keys learnt in it are kept once it commits, forgotten if it rolls back (``PersonKeys.ended``).
_COMMIT = "COMMIT"
_ROLLBACKS = frozenset({"ROLLBACK", "ROLLBACK TO job"})


class PostgresConnection:
    """A psycopg connection with the ``execute`` the repository's functions call, and the sealer of
    its personal fields (``sealing.of``)."""

    __slots__ = ("raw", "sealer")

    def __init__(self, raw: psycopg.Connection[Any], sealer: sealing.Plain) -> None:
        self.raw = raw
        self.sealer = sealer

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> psycopg.Cursor[Any]:
        if sql in _ROLLBACKS:
            self.sealer.ended(committed=False)
        cursor = self.raw.execute(translate_sql(sql), params)
        if sql == _COMMIT:
            self.sealer.ended(committed=True)
        return cursor


def describe(url: str) -> str:
    """The URL as errors and logs may show it: no password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "PostgreSQL (the URL does not parse)"
    host = parts.get("host") or "localhost"
    where = f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or parts.get('user') or ''}"
    return f"PostgreSQL at {where}" + (f" as {parts['user']}" if parts.get("user") else "")


class PostgresEngine:
    dialect = "postgresql"
    Error = psycopg.Error

    def __init__(
        self, pool: psycopg_pool.ConnectionPool[Any], where: str, sealer: sealing.Plain
    ) -> None:
        self._pool = pool
        self.where = where
        self.sealer = sealer

    @classmethod
    def open(cls, url: str, data_dir: Path, key_file: Path | None = None) -> PostgresEngine:
        """Connect, check the key file (``key_file``, default ``DATA/server.key``, made on first use of
        an empty database) and migrate. Raises a ``StorageError`` that names the problem (never the
        password nor the key)."""
        where = describe(url)
        pool: psycopg_pool.ConnectionPool[Any] = psycopg_pool.ConnectionPool(
            url, min_size=1, max_size=POOL_MAX, open=False, timeout=CONNECT_TIMEOUT,
            kwargs={"autocommit": True}, configure=_configure, name="operator-desk",
            check=psycopg_pool.ConnectionPool.check_connection,
        )
        try:
            pool.open(wait=True, timeout=CONNECT_TIMEOUT * 2)
        except psycopg.Error as exc:
            pool.close()
            raise DatabaseError(f"cannot connect to {where} ({type(exc).__name__})") from None
        try:
            with pool.connection() as raw:
                sealer = sealing.PersonKeys(load_key(data_dir, key_file, needed_by=_sealed_by(raw, where)))
                conn = PostgresConnection(raw, sealer)
                before = _migrate(conn, POSTGRESQL, where)
                after_migration(conn, [table for step in (m0120_person_keys, m0130_seal_staff_texts)
                                       if before < step.VERSION for table in step.REWRITTEN])
        except psycopg.Error as exc:
            pool.close()
            reason = exc.diag.message_primary or type(exc).__name__
            raise DatabaseError(f"cannot use {where}: {reason}") from None
        except BaseException:
            pool.close()
            raise
        return cls(pool, where, sealer)

    def acquire(self) -> PostgresConnection:
        return PostgresConnection(self._pool.getconn(), self.sealer)

    def release(self, conn: PostgresConnection) -> None:
        # A connection left broken is discarded by the pool, which opens another in the background.
        self._pool.putconn(conn.raw)

    def begin(self, conn: PostgresConnection) -> None:
        # Whatever a transaction that ended without a ROLLBACK of ours (a failed COMMIT, a lost
        # connection) learnt is not kept.
        conn.sealer.ended(committed=False)
        conn.raw.execute("BEGIN")

    def in_transaction(self, conn: PostgresConnection) -> bool:
        status = conn.raw.info.transaction_status
        return status in (pq.TransactionStatus.INTRANS, pq.TransactionStatus.INERROR)

    def is_environment_error(self, exc: BaseException) -> bool:
        if isinstance(exc, psycopg.OperationalError) and not isinstance(exc, psycopg.errors.QueryCanceled):
            return True
        state = getattr(exc, "sqlstate", None) or ""
        return state.startswith(_ENVIRONMENT_CLASSES) or state == _READ_ONLY

    def translate(self, exc: BaseException) -> StorageError:
        # While serving, a full disk is a write not stored (DiskFull is the error at open).
        if isinstance(exc, psycopg.errors.DiskFull):
            return StorageUnavailable(f"the disk of {self.where} is full")
        return StorageUnavailable(f"{self.where} cannot be written just now ({type(exc).__name__})")

    def after_erasure(self, conn: PostgresConnection) -> None:
        # The erased rows' copies (dead rows, WAL, backups) are sealed under a key that is gone with
        # them; the dead row of the key itself is left in its part of person_keys until a vacuum (a
        # plain one leaves its bytes in the page's free space): that part is rewritten now, 1/64 of
        # the table (docs/scaling.md says what it costs).
        for part in self.sealer.take_shredded():
            conn.raw.execute(f"VACUUM FULL {part}")

    def close(self) -> None:
        self._pool.close()


def schema_version(conn: PostgresConnection) -> int:
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _sealed_by(raw: psycopg.Connection[Any], where: str) -> str | None:
    """``where`` if the database holds fields sealed under a key file (so that a missing one is an
    error, not a reason to make one), else None."""
    if raw.execute("SELECT to_regclass('settings') IS NOT NULL").fetchone()[0]:
        row = raw.execute("SELECT 1 FROM settings WHERE key = %s", (sealing.CHECK_SETTING,)).fetchone()
        if row is not None:
            return where
    return None


def after_migration(conn: PostgresConnection, tables: Sequence[str]) -> None:
    """After the migration that sealed the rows stored before it: their plaintext is left in the
    tables' dead rows; rewritten (outside the migration's transaction: VACUUM runs alone)."""
    if not tables:
        return
    for table in dict.fromkeys(tables):
        conn.raw.execute(f"VACUUM FULL {table}")
    logger.info("rewrote %d tables after sealing their personal fields", len(tables))


def _migrate(conn: PostgresConnection, steps: Sequence[tuple[int, Any]], where: str) -> int:
    """Apply every pending step in one transaction, after any other server's migration of this
    database, and check the key file against the person keys; return the schema version found
    before (every step is applied then)."""
    latest = steps[-1][0]
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        current = schema_version(conn)
        if current > latest:
            raise NewerSchema(current, latest, f"{where} has schema {current}, newer than this server's "
                              f"{latest}: run a newer server")
        for version, step in steps:
            if version > current:
                step(conn)
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        conn.sealer.check(conn)
        conn.execute("COMMIT")
    except sealing.WrongKeyFile:
        conn.execute("ROLLBACK")
        raise WrongKey(f"the key file does not open the person keys of {where}: wrong key file, or "
                       "another site's database") from None
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    if current < latest:
        logger.info("database migrated from schema %d to %d", current, latest)
    return current
