"""The reference server, started the three ways tests need it:

- ``start``: in-process on the test's own asyncio loop (most tests);
- ``ThreadedServer``: in-process on a loop of its own in a thread, for synchronous tests (selenium, a
  subprocess such as nginx) that need it running beside them;
- ``ServerProcess``: ``operator-desk-server serve`` as a child process, for what only a process can
  show (SIGKILL, faketime, a lowered file limit, the command line itself).

All listen on 127.0.0.1, port 0.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any

import pytest

from operator_desk.server import cli, dbfile, migrations
from operator_desk.server import db as server_db
from operator_desk.server.config import Limits
from operator_desk.server.embedded import RunningServer, ServerOptions, start_server
from operator_desk.server.hub import Settings
from tests.kit.accounts import PASSWORD, TEAM
from tests.kit.postgres import raw_pages

# For tests that send a lot quickly on purpose (not about the limits): every rate far above them.
GENEROUS = Limits(
    requests_per_second=10_000, requests_burst=10_000, address_requests_per_second=10_000,
    address_requests_burst=10_000, messages_per_second=10_000, messages_burst=10_000,
    changes_per_second=10_000, changes_burst=10_000, new_visitors_per_minute=10_000,
    new_visitors_burst=10_000,
)


def fast_settings(**overrides: Any) -> Settings:
    """The server's timings for tests: a visitor who disconnects has left at once (no grace period),
    unless ``overrides`` say otherwise (``visitor_grace=30.0`` where a desk reconnects)."""
    values = {"login_deadline": 10.0, "visitor_grace": 0.0} | overrides
    return Settings(**values)


# The server refuses notices that do not name the controller; --demo fills in the demo shop's. A test
# server that is not a demo is a site of its own, and names one.
TEST_CONTROLLER = """
[controller]
name = "Test Site Ltd"
address = "1 Test Street, Testville"
email = "privacy@test.example"
"""


def with_controller(folder: Path, config: Path | None) -> Path:
    """``config`` (or none) with the test site's [controller] added unless it names one, written to a
    new file in ``folder``."""
    text = config.read_text(encoding="utf-8") if config is not None else ""
    if "[controller]" not in text:
        text += TEST_CONTROLLER
    named = folder / f"site-with-controller-{abs(hash(text))}.toml"
    named.write_text(text, encoding="utf-8")
    return named


# What a trigger that refuses an update raises, on either engine (an append-only table).
REFUSED_UPDATE: tuple[type[Exception], ...] = (dbfile.sqlcipher.IntegrityError,)
try:
    import psycopg

    REFUSED_UPDATE += (psycopg.IntegrityError,)
except ImportError:  # the PostgreSQL tests skip (tests.kit.postgres)
    pass


def database_of_test() -> str | None:
    """The database the test runs on: the PostgreSQL URL the ``database`` fixture of tests/server
    put in ``OPERATOR_DESK_DATABASE`` (which ``serve`` and the account commands read too), else None
    for the SQLCipher file in the data folder."""
    return os.environ.get(dbfile.DATABASE_VARIABLE) or None


def open_database(data: Path) -> server_db.Database:
    """The server's database for the test's engine (blocking), with its data folder ``data``."""
    return server_db.Database.open(data, database=database_of_test())


async def start(folder: Path, **options: Any) -> RunningServer:
    """A server in-process with its data in ``folder``/data, on the test's database engine;
    ``options`` are ``ServerOptions`` fields (``settings`` defaults to ``fast_settings()``; a server
    that is not a demo gets a controller)."""
    options.setdefault("database", database_of_test())
    settings = options.pop("settings", None) or fast_settings()
    if not options.get("demo"):
        options["config_path"] = with_controller(folder, options.get("config_path"))
    return await start_server(ServerOptions(data_dir=folder / "data", settings=settings, **options))


async def start_demo(data_dir: Path, **options: Any) -> RunningServer:
    """``serve --demo`` in-process on ``data_dir``: the demo's accounts (supervisor, lead, operator, ...;
    ``accounts.DEMO_PASSWORD``), loopback trusted as a proxy, and visitors kept 30 s after their
    connection drops, as a desk or a browser that reconnects needs (``settings`` to change that)."""
    options.setdefault("settings", fast_settings(visitor_grace=30.0))
    return await start_server(ServerOptions(data_dir=data_dir, demo=True, **options))


async def add_accounts(server: RunningServer, accounts: Mapping[str, str]) -> RunningServer:
    """Adds each of ``accounts`` (username -> role), named after its username ("ann": "Ann"), all with
    ``PASSWORD``."""
    for username, role in accounts.items():
        await server.add_operator(username, PASSWORD, role, username.title())
    return server


async def add_team(server: RunningServer) -> RunningServer:
    """Adds ``accounts.TEAM`` (ann, ben, lee, sue, sam), all with ``PASSWORD``."""
    return await add_accounts(server, TEAM)


async def start_site(folder: Path, config: str, accounts: Mapping[str, str], **options: Any) -> RunningServer:
    """A demo server (``start``) with a site's settings, ``config`` (TOML, written to
    ``folder``/site.toml), and ``accounts`` (``add_accounts``); ``options`` are more ``ServerOptions``."""
    config_path = folder / "site.toml"
    config_path.write_text(config, encoding="utf-8")
    server = await start(folder, demo=True, config_path=config_path, **options)
    try:
        return await add_accounts(server, accounts)
    except BaseException:
        await server.close()
        raise


def raw_database(data: Path) -> Any:
    """A new data folder's database opened raw (key, foreign keys, no migration), in a transaction:
    for building a database as an older schema left it, before a migration test opens it."""
    key = dbfile.prepare_data_dir(data)
    conn = dbfile.sqlcipher.connect(str(data / "server.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    return conn


def schema_at(path: Path, version: int) -> Any:
    """A new database file (no key) with the migrations up to ``version`` applied, foreign keys on, in
    an open transaction: a migration test adds rows as that schema held them, commits, and runs the
    next step."""
    conn = dbfile.sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    for step_version, step in migrations.MIGRATIONS:
        if step_version <= version:
            step(conn)
    return conn


_TABLES = {
    "sqlcipher": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}


def tables(server: RunningServer) -> str:
    """The statement that lists the tables of the server's database."""
    return _TABLES[server.db.dialect]


def _all_rows(conn: Any, list_tables: str) -> str:
    tables = [r[0] for r in conn.execute(list_tables)]
    rows = (f"{table}: {row!r}" for table in tables for row in conn.execute(f'SELECT * FROM "{table}"'))
    return "\n".join(rows)


def raw_stored(data: Path) -> bytes:
    """What the test's database holds on disk, as bytes: the SQLCipher file in ``data`` with its -wal
    and -shm (encrypted), or PostgreSQL's files of the database (``postgres.raw_pages``): the belt to
    the braces of reading every row."""
    url = database_of_test()
    if url is not None:
        return raw_pages(url)
    files = [path for path in sorted(data.iterdir()) if path.name.startswith("server.db")]
    assert files and all(path.stat().st_size for path in files[:1])
    return b"".join(path.read_bytes() for path in files)


async def database_text(server: RunningServer) -> str:
    """Every row of every table of the server's database, as text: for asserting that something is
    (not) stored anywhere."""
    return await server.db.call(_all_rows, tables(server))


class ThreadedServer:
    """A server in-process on its own asyncio loop in a thread; ``with ThreadedServer(options) as
    served:`` or ``start()`` / ``stop()``. ``call`` runs a coroutine on that loop and returns its
    result."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="server-loop", daemon=True)
        self.running: RunningServer

    @property
    def operator_url(self) -> str:
        return self.running.operator_url

    @property
    def visitor_url(self) -> str:
        return self.running.visitor_url

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> ThreadedServer:
        if self.options.database is None:
            self.options = dataclasses.replace(self.options, database=database_of_test())
        self.thread.start()
        self.running = self.call(start_server(self.options))
        return self

    def stop(self) -> None:
        try:
            self.call(self.running.close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(30)
            self.loop.close()

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Admin:
    """The command line, run in a worker thread beside the server on the test's loop (as an admin runs
    it beside a live server), with standard input and output captured."""

    def __init__(self, data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.data = data
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    async def __call__(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        self.capsys.readouterr()
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = await asyncio.to_thread(cli.main, ["accounts", args[0], "--data", str(self.data), *args[1:]])
        out, err = self.capsys.readouterr()
        return code, out, err


def server_command() -> list[str]:
    """How to run ``operator-desk-server``: the installed script beside this Python, else the module."""
    script = Path(sys.executable).with_name("operator-desk-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "operator_desk.server.cli"]


class ServerProcess:
    """``operator-desk-server serve --demo`` as a child process on a fixed data folder; after the first
    start on the same port, so that it can be killed and started again on the same data at the same
    address. Its standard error goes to a log file beside the data folder (``log()``)."""

    def __init__(
        self,
        data: Path,
        *,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
        demo: bool = True,
        preexec_fn: Callable[[], None] | None = None,
    ) -> None:
        self.data = data
        self.env = env
        self.args = (*args, "--demo") if demo else args
        self.preexec_fn = preexec_fn
        self.port = 0
        self.process: asyncio.subprocess.Process | None = None
        self.stderr_path = data.parent / f"{data.name}-server.log"

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def operator_url(self) -> str:
        return self.url + "/v1/operator"

    @property
    def visitor_url(self) -> str:
        return self.url + "/v1/visitor"

    async def start(self) -> ServerProcess:
        stderr = self.stderr_path.open("ab")
        try:
            self.process = await asyncio.create_subprocess_exec(
                *server_command(), "serve", "--data", str(self.data), "--port", str(self.port),
                *self.args,
                stdout=asyncio.subprocess.PIPE, stderr=stderr,
                env={**os.environ, **(self.env or {})},
                preexec_fn=self.preexec_fn,
            )
        finally:
            stderr.close()
        assert self.process.stdout is not None
        while line := (await asyncio.wait_for(self.process.stdout.readline(), 30)).decode():
            if line.startswith("listening on "):
                self.port = int(line.strip().rsplit(":", 1)[1])
                return self
        raise AssertionError(f"the server ended without printing its address: {self.log()[-2000:]}")

    def log(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    async def kill(self) -> None:
        """SIGKILL: no goodbye, no last commit."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self) -> int:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            return await asyncio.wait_for(self.process.wait(), 30)
        return self.process.returncode if self.process is not None else 0

    async def restart(self) -> ServerProcess:
        await self.kill()
        return await self.start()
