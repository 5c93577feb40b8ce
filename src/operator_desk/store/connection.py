"""Opening one encrypted connection safely, and moving a damaged cache aside.

Open order matters: nothing is written until the key is proven right and the schema is known to be
ours, so that a wrong key, a damaged file or a newer schema leave the file exactly as it was.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.sqlite_failures import SQLITE_NOTADB, primary_code
from operator_desk.store import migrations
from operator_desk.store.errors import (
    CacheUnusable,
    CorruptDatabase,
    NewerSchema,
    ReadOnlyDatabase,
    StoreError,
    UnencryptedDatabase,
    WrongKey,
    translate,
)
from operator_desk.store.keys import CacheKey, Passphrase, RawKey

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SIDE_FILES = ("-wal", "-shm")
PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
# 32 MiB of page cache: a chat's pages and the FTS index's hot pages stay decrypted in memory.
CACHE_SIZE_KIB = 32 * 1024


def open_connection(path: Path, key: CacheKey, *, busy_timeout_ms: int = 5000) -> sqlcipher.Connection:
    """An open, keyed, migrated connection in autocommit mode (``isolation_level=None``).

    Raises :class:`WrongKey`, :class:`CorruptDatabase`, :class:`NewerSchema`, :class:`ReadOnlyDatabase`,
    :class:`DiskFull`, :class:`DatabaseLocked` or :class:`CacheUnusable`.
    """
    path = Path(path)
    try:
        _ensure_folder(path.parent)
        _check_existing_file(path, key)
        if not path.exists():
            # Create the empty file ourselves so that it, and the -wal/-shm files SQLite later creates
            # with the same mode, are never readable by anyone else, not even for a moment.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except PermissionError as exc:
        raise ReadOnlyDatabase(f"the cache location is not writable ({type(exc).__name__})") from exc
    except OSError as exc:
        raise CacheUnusable(f"the cache location cannot be used ({type(exc).__name__})") from exc
    try:
        conn = sqlcipher.connect(
            str(path), isolation_level=None, timeout=busy_timeout_ms / 1000, check_same_thread=True
        )
    except sqlcipher.Error as exc:
        raise translate(exc) from exc
    try:
        _unlock(conn, key)
        _verify_readable(conn, path, key)
        _check_schema_version(conn)
        _apply_pragmas(conn)
        migrations.migrate(conn)
    except StoreError:
        conn.close()
        raise
    except sqlcipher.Error as exc:
        conn.close()
        raise translate(exc) from exc
    _restrict_file_modes(path)
    return conn


def _ensure_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(mode=FOLDER_MODE, parents=True)
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def _check_existing_file(path: Path, key: CacheKey) -> None:
    if not path.exists():
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabase("the cache folder is not writable")
        return
    if not path.is_file():
        raise CacheUnusable("the cache path is not a regular file")
    mode = path.stat().st_mode
    # The owner-write bit is checked as well as access(): root may write anything, but a cache the
    # user made read-only must stay untouched even then.
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise ReadOnlyDatabase("the cache file is read-only")
    if isinstance(key, RawKey | Passphrase):
        with path.open("rb") as handle:
            if handle.read(len(PLAIN_SQLITE_HEADER)) == PLAIN_SQLITE_HEADER:
                raise UnencryptedDatabase("the cache file is a plain, unencrypted SQLite database")


def _unlock(conn: sqlcipher.Connection, key: CacheKey) -> None:
    # SQLCipher logs HMAC failures to stderr itself; we report them as typed errors instead.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if isinstance(key, RawKey | Passphrase):
        conn.execute(f"PRAGMA key = {key.pragma_value()}")
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if not version or not version[0]:
            raise CacheUnusable("this SQLite library has no SQLCipher: refusing to run unencrypted")


def _verify_readable(conn: sqlcipher.Connection, path: Path, key: CacheKey) -> None:
    """Read the schema at once, so a wrong key fails here and not at some later query."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        if primary_code(exc) != SQLITE_NOTADB:
            raise
        if isinstance(key, RawKey | Passphrase) and not _some_page_authenticates(conn, path):
            raise WrongKey("the key does not open this cache") from exc
        raise CorruptDatabase("the cache file is damaged") from exc


def _some_page_authenticates(conn: sqlcipher.Connection, path: Path) -> bool:
    """Whether any page's HMAC checks out with this key. A wrong key fails every page; a damaged file
    fails only the damaged ones. Runs only on the error path: it reads the whole file."""
    try:
        failures = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        page_size = int(conn.execute("PRAGMA cipher_page_size").fetchone()[0])
    except sqlcipher.Error:
        return False
    pages = path.stat().st_size // page_size
    failed_pages = sum(1 for (text,) in failures if "HMAC" in str(text))
    return failed_pages < pages


def _check_schema_version(conn: sqlcipher.Connection) -> None:
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > migrations.LATEST_VERSION:
        supported = migrations.LATEST_VERSION
        raise NewerSchema(found, supported,
                          f"cache schema {found} is newer than this version supports ({supported})")


def _apply_pragmas(conn: sqlcipher.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise CacheUnusable(f"the cache cannot use write-ahead logging (journal mode {mode})")
    for pragma in (
        "foreign_keys = ON",
        "secure_delete = ON",
        # NORMAL in WAL mode: a committed transaction survives a crash of the app; only a power cut
        # may lose the last few, and never corrupts the file.
        "synchronous = NORMAL",
        "temp_store = MEMORY",  # no temporary files on disk, encrypted or not
        f"cache_size = -{CACHE_SIZE_KIB}",
    ):
        conn.execute(f"PRAGMA {pragma}")


def _restrict_file_modes(path: Path) -> None:
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILES)):
        try:
            if stat.S_IMODE(candidate.stat().st_mode) != FILE_MODE:
                os.chmod(candidate, FILE_MODE)
        except FileNotFoundError:
            continue


@contextmanager
def transaction(conn: sqlcipher.Connection) -> Iterator[sqlcipher.Connection]:
    """An explicit ``BEGIN IMMEDIATE ... COMMIT`` (``with conn:`` is not enough in this driver)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def move_aside(path: Path, *, now: datetime | None = None) -> Path:
    """Rename a cache that cannot be opened (and its -wal/-shm files) to ``<name>.broken-<UTC time>``,
    so the app can start a fresh cache without deleting anything. Returns the new path of the file."""
    path = Path(path)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S.%fZ")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    if target.exists():
        raise FileExistsError(target)
    # Side files first: a -wal next to a fresh file of the old name would be replayed into it.
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    if path.exists():
        os.replace(path, target)
    logger.warning("moved an unreadable cache aside to %s", target.name)
    return target
