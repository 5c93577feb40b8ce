"""Where the database key lives, and opening the database file so that whatever is wrong with it is named
at start, in one sentence: a missing or malformed key file, a wrong key, damaged pages, a schema newer
than this server, a read-only file or folder, a full disk.

The key may live outside the data folder (``key_path``): then a copy of the data folder alone, a backup
say, cannot be decrypted. See "The database key" in docs/server.md.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from operator_desk.domain.clock import now_ts
from operator_desk.domain.sqlite_failures import SqliteFailure, failure_of
from operator_desk.server.db_errors import (
    CorruptDatabase,
    DatabaseError,
    DiskFull,
    KeyFileError,
    NewerSchema,
    ReadOnlyDatabase,
    StorageError,
    WrongKey,
)
from operator_desk.server.migrations import MIGRATIONS

logger = logging.getLogger(__name__)

Connection = sqlcipher.Connection
KEY_FILE = "server.key"
DB_FILE = "server.db"
KEY_FILE_VARIABLE = "OPERATOR_DESK_KEY_FILE"
DATABASE_VARIABLE = "OPERATOR_DESK_DATABASE"
# systemd's LoadCredential= puts credentials in the folder this variable names (a ramfs only the
# service can read): ``LoadCredential=server.key:/etc/...`` gives ``$CREDENTIALS_DIRECTORY/server.key``.
CREDENTIALS_VARIABLE = "CREDENTIALS_DIRECTORY"


def key_path(
    data_dir: Path,
    *,
    explicit: Path | None = None,
    configured: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The key file to use, the first of: ``explicit`` (``serve --key-file``), the environment variable
    ``OPERATOR_DESK_KEY_FILE``, ``configured`` (``[database] key_file``), a systemd credential
    ``$CREDENTIALS_DIRECTORY/server.key`` that exists, and ``DATA/server.key``. Named settings beat the
    credential found by convention; ``environ`` is given only by the command line (an embedded server,
    the desk's demo, ignores the environment)."""
    environ = environ or {}
    if explicit is not None:
        return Path(explicit)
    if environ.get(KEY_FILE_VARIABLE):
        return Path(environ[KEY_FILE_VARIABLE])
    if configured is not None:
        return Path(configured)
    credentials = environ.get(CREDENTIALS_VARIABLE)
    if credentials and (Path(credentials) / KEY_FILE).is_file():
        return Path(credentials) / KEY_FILE
    return Path(data_dir) / KEY_FILE


def database_location(
    *, explicit: str | None = None, configured: str | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The database to use, the first of: ``explicit`` (``serve --database``), the environment variable
    ``OPERATOR_DESK_DATABASE``, ``configured`` (``[database] url``); None means ``DATA/server.db``. A
    ``postgresql://`` URL runs on PostgreSQL, anything else is the path of a SQLCipher file."""
    environ = environ or {}
    return explicit or environ.get(DATABASE_VARIABLE) or configured or None


def prepare_data_dir(data_dir: Path, key_file: Path | None = None, db_file: Path | None = None) -> bytes:
    """Create the data folder (0700) and, on first run, the key file (0600, 32 random bytes as hex);
    return the key. A key file is only ever created for a database (``db_file``, default
    ``DATA/server.db``) that does not exist yet: a missing key next to an existing database is an error,
    not a reason to make a new key."""
    db_file = Path(db_file) if db_file is not None else Path(data_dir) / DB_FILE
    return load_key(data_dir, key_file, needed_by=str(db_file) if db_file.exists() else None)


def load_key(data_dir: Path, key_file: Path | None, *, needed_by: str | None) -> bytes:
    """The key in ``key_file`` (default ``DATA/server.key``), the data folder made (0700). A missing key
    file is made (0600, 32 random bytes as hex) unless ``needed_by`` names what was stored under it."""
    data_dir = Path(data_dir)
    key_file = Path(key_file) if key_file is not None else data_dir / KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    if not key_file.exists():
        if needed_by is not None:
            raise KeyFileError(f"the key file {key_file} does not exist, and {needed_by} needs it")
        # Written whole under a name of its own (0600, unique per call: two servers may be two threads
        # of one process), then linked into place: two servers starting at once on a new database
        # (PostgreSQL) both find the one key, never a half-written file.
        try:
            fd, draft_name = tempfile.mkstemp(dir=key_file.parent, prefix=f".{key_file.name}.", suffix=".new")
            draft = Path(draft_name)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            try:
                os.link(draft, key_file)
            except FileExistsError:
                pass  # made by another server at the same moment: that one is the key
            finally:
                os.unlink(draft)
        except OSError as exc:
            raise KeyFileError(f"cannot create the key file {key_file}: {exc.strerror}") from None
    try:
        if key_file.stat().st_uid == os.getuid() and key_file.stat().st_mode & 0o077:
            os.chmod(key_file, 0o600)  # ours and readable by others: no longer
        text = key_file.read_text().strip()
    except OSError as exc:
        raise KeyFileError(f"cannot read the key file {key_file}: {exc.strerror}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise KeyFileError(f"the key file {key_file} does not hold a hex key") from None
    if len(key) != 32:
        raise KeyFileError(f"the key file {key_file} does not hold a 32-byte key")
    return key


def keyed_connection(path: Path, key: bytes) -> Connection:
    """Another connection to a database ``open_connection`` has opened (checked and migrated): keyed,
    nothing more (the checkpointer's)."""
    conn = _connect(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.Error as exc:
        conn.close()
        raise _open_error(exc, path) from None
    return conn


def _connect(path: Path, key: bytes) -> Connection:
    """A connection to ``path`` given ``key``, nothing read yet."""
    try:
        conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlcipher.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from None
    try:
        # SQLCipher logs HMAC failures to stderr itself; they are reported as one sentence instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        # A raw key skips the passphrase KDF; its hex is all [0-9a-f], so the literal is safe.
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    except sqlcipher.Error as exc:
        conn.close()
        raise _open_error(exc, path) from None
    return conn


def open_connection(path: Path, key: bytes) -> Connection:
    """Open, check and migrate the database. Raises a ``StorageError`` that names the problem (``WrongKey``,
    ``NewerSchema``, ... or a ``DatabaseError`` of the server's own)."""
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    # The owner-write bit as well as access(): root may write anything, but a file an administrator
    # made read-only stays untouched even then.
    if existed and (not path.stat().st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)):
        raise ReadOnlyDatabase(f"the database file {path} is read-only")
    if not os.access(path.parent, os.W_OK):
        raise ReadOnlyDatabase(f"the data folder {path.parent} is not writable")
    conn = _connect(path, key)
    try:
        if not conn.execute("PRAGMA cipher_version").fetchone():
            raise DatabaseError("sqlcipher3 is not built with SQLCipher: refusing a plaintext database")
        if existed:
            _check_pages(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        migrate(conn)
        _check_writable(conn, path)
    except sqlcipher.Error as exc:
        conn.close()
        raise _open_error(exc, path) from None
    except BaseException:
        conn.close()
        raise
    for suffix in ("", "-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            os.chmod(side, 0o600)
    return conn


def _check_pages(conn: Connection, path: Path) -> None:
    """Every page's HMAC, then SQLite's own structure check. A wrong key fails every page; damage only
    some (page 1 among them, perhaps: that is what a wrong key and a damaged header share)."""
    failed = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    if failed:
        total = max(1, path.stat().st_size // _page_size(conn))
        if len(failed) >= total:
            raise WrongKey(f"the key does not decrypt {path}: wrong key, or not an Operator Desk database")
        raise CorruptDatabase(
            f"{path} is damaged: {len(failed)} of {total} pages fail their check (restore a backup)"
        )
    problems = conn.execute("PRAGMA quick_check(5)").fetchall()
    if problems != [("ok",)]:
        raise CorruptDatabase(f"{path} is damaged (SQLite reports: {problems[0][0]}): restore a backup")


def _page_size(conn: Connection) -> int:
    return int(conn.execute("PRAGMA cipher_page_size").fetchone()[0] or 4096)


def _check_writable(conn: Connection, path: Path) -> None:
    """Write once at start, so that a read-only file or a full disk is named now and not at the
    first visitor's request."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('last_start', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (now_ts().encode(),),
    )
    conn.execute("COMMIT")


def _open_error(exc: sqlcipher.Error, path: Path) -> StorageError:
    failure = failure_of(exc)
    if failure is SqliteFailure.READ_ONLY:
        return ReadOnlyDatabase(f"the database file {path} is read-only")
    if failure is SqliteFailure.DISK_FULL:
        return DiskFull(f"the disk holding {path} is full")
    text = str(exc)
    if "not a database" in text:
        return WrongKey(f"the key does not decrypt {path}: wrong key, or not an Operator Desk database")
    if "malformed" in text:
        return CorruptDatabase(f"{path} is damaged ({text})")
    return DatabaseError(f"cannot open {path}: {text}")


def migrate(conn: Connection) -> int:
    """Apply every pending migration in one transaction; return the schema version."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    latest = MIGRATIONS[-1][0]
    if current > latest:
        raise NewerSchema(
            current, latest,
            f"the database has schema {current}, newer than this server's {latest}: run a newer server",
        )
    pending = [(version, step) for version, step in MIGRATIONS if version > current]
    if not pending:
        return current
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version, step in pending:
            step(conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    logger.info("database migrated from schema %d to %d", current, latest)
    return latest
