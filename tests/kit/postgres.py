"""A PostgreSQL cluster for the tests, started by the tests themselves (nothing starts services on
these machines): Debian's ``postgresql`` package, ``initdb`` in a temporary folder, ``pg_ctl`` on a free
loopback port, and one migrated database that each test gets emptied (a few milliseconds; a copy of a
template database takes half a second here).

PostgreSQL refuses to run as root, and CI runs as root: then the cluster runs as Debian's ``postgres``
user through ``runuser``. Without the package the PostgreSQL tests are skipped, unless
``OPERATOR_DESK_REQUIRE_POSTGRESQL=1`` (set by ``.ci/run``) makes that a failure.

The tests' cluster trades durability for speed (``fsync=off``): the tests kill servers, never
PostgreSQL. A benchmark asks for PostgreSQL's defaults (``durable=True``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.kit.reaper import dismiss, stop_when_gone

REQUIRED = os.environ.get("OPERATOR_DESK_REQUIRE_POSTGRESQL") == "1"
USER = "operator_desk"
DATABASE = "operator_desk_test"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's ``bin`` folder (Debian keeps one per major version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


def missing(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"OPERATOR_DESK_REQUIRE_POSTGRESQL=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One ``initdb`` + ``pg_ctl start`` for the test session; ``database()`` gives a fresh database."""

    def __init__(self, bin_dir: Path, *, durable: bool = False) -> None:
        self.bin_dir = bin_dir
        # PostgreSQL's defaults (every commit flushed to disk) for figures; the tests trade them for speed.
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="operator-desk-pg-"))
        self.data = self.folder / "data"
        self.port = 0
        self._reset = ""
        self._watcher: subprocess.Popen[bytes] | None = None
        # As root, the cluster belongs to Debian's postgres user (PostgreSQL refuses root).
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as, *command], check=True, capture_output=True, timeout=60)

    def start(self) -> Cluster:
        if self._as:
            shutil.chown(self.folder, "postgres")
        # Stopped and removed even if the test session is killed (tests.kit.reaper).
        self._watcher = stop_when_gone(
            ["sh", "-c", '"$@"; rm -rf "$0"', str(self.folder),
             *self._as, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", USER, "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
        # A port taken between the probe and the start fails the start: try another.
        for _attempt in range(5):
            self.port = _free_port()
            try:
                self._run(
                    str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                    "-w", "-t", "30", "start", "-o",
                    f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=200"
                    + ("" if self.durable else
                       " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
                )
                break
            except subprocess.CalledProcessError:
                continue
        else:
            raise RuntimeError("PostgreSQL did not start: " + (self.folder / "log").read_text())
        with self._connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        return self

    def url(self, name: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def _connect(self, name: str) -> Any:
        return _connect_url(self.url(name))

    def migrate(self) -> None:
        """The test database holds the server's schema once; each test empties it (``fresh``)."""
        from operator_desk.server.db import Database

        Database.open(self.folder, database=self.url(DATABASE)).close_sync()
        with self._connect(DATABASE) as conn:
            tables = [row[0] for row in conn.execute(
                "SELECT tablename FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> 'schema_version'")]
            sequences = [row[0] for row in conn.execute(
                "SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) "
                "FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'")]
        # Without triggers and foreign-key checks (replica mode), in any order; identities from 1 again.
        self._reset = (
            "BEGIN; SET LOCAL session_replication_role = replica; "
            + " ".join(f"DELETE FROM {table};" for table in tables)
            + " ".join(f"SELECT setval('{sequence}', 1, false);" for sequence in sequences)
            + " COMMIT;"
        )

    def fresh(self) -> str:
        """The test database, emptied as a new one is (its schema kept): its URL. A few milliseconds,
        where creating a database from a template takes half a second here."""
        with self._connect(DATABASE) as conn:
            # Whatever a killed or leaked server left connected is cut off first.
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            conn.execute(self._reset)
        return self.url(DATABASE)

    def stop(self) -> None:
        dismiss(self._watcher)
        self._watcher = None
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def raw_pages(url: str, *, wal: bool = False) -> bytes:
    """The database's files as PostgreSQL wrote them (read as root or as the cluster's owner), after a
    checkpoint has written every changed page out: rows deleted but not yet vacuumed are still in
    there, as in a copy of the disk or a backup. With ``wal``, the write-ahead log too."""
    with _connect_url(url) as conn:
        conn.execute("CHECKPOINT")
        oid = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]
        data = Path(conn.execute("SHOW data_directory").fetchone()[0])
    folders = [data / "base" / str(oid), *([data / "pg_wal"] if wal else [])]
    return b"".join(path.read_bytes() for folder in folders for path in sorted(folder.iterdir())
                    if path.is_file())


class ReadOnly:
    """A fault of PostgreSQL for the storage tests: the database turns read-only, as a standby does
    (after a failover, say), and every connection to it is cut, so that the server's next connection
    reads but every write fails (SQLSTATE 25006). ``fill`` and ``free`` as ``faults.Disk``'s."""

    def __init__(self, url: str, root: Path) -> None:
        self.url = url
        self.root = root
        self.name = url.rsplit("/", 1)[1]

    def _set(self, read_only: bool) -> None:
        with _connect_url(self.url.rsplit("/", 1)[0] + "/postgres") as conn:
            conn.execute(f"ALTER DATABASE {self.name} SET default_transaction_read_only = "
                         + ("on" if read_only else "off"))
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                         (self.name,))

    def fill(self) -> None:
        self._set(True)

    def free(self) -> None:
        self._set(False)


def _connect_url(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def start_cluster(*, durable: bool = False) -> Cluster:
    bin_dir = binaries()
    if bin_dir is None:
        missing("Debian's postgresql package is not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing("psycopg is not installed (the test extra has it)")
    assert bin_dir is not None
    cluster = Cluster(bin_dir, durable=durable)
    try:
        cluster.start()
        cluster.migrate()
    except BaseException:
        cluster.stop()
        raise
    return cluster
