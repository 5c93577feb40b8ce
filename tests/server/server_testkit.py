"""A small protocol v1 client for server tests, and fixtures that start the server in-process.

Test modules import what they need from here (``from server_testkit import ...``); the fixtures live in
this folder's conftest.py.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import itertools
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from faults import skip_or_fail  # noqa: F401 - re-exported for the server tests
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from operator_desk.server import cli
from operator_desk.server.config import Limits
from operator_desk.server.embedded import RunningServer, ServerOptions, start_server
from operator_desk.server.hub import Settings

TIMEOUT = 5.0
PASSWORD = "correct horse battery staple"


class Client:
    """A connection that records every frame it receives. Responses are matched to requests; pushes
    are kept in arrival order and awaited with ``push(action, where=...)``."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.raw: list[str] = []
        self.pushes: list[dict[str, Any]] = []
        self._consumed: set[int] = set()
        self._responses: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._arrived = asyncio.Condition()
        self.closed = asyncio.get_running_loop().create_future()
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def connect(cls, url: str, **kwargs: Any) -> Client:
        return cls(await connect(url, open_timeout=TIMEOUT, **kwargs))

    async def _read(self) -> None:
        try:
            async for frame in self.connection:
                self.raw.append(frame)
                message = json.loads(frame)
                if message.get("type") == "res":
                    future = self._responses.pop(str(message.get("id")), None)
                    if future is None:
                        future = self._responses.setdefault(
                            "<unmatched>", asyncio.get_running_loop().create_future()
                        )
                    if not future.done():
                        future.set_result(message)
                elif message.get("type") == "push":
                    async with self._arrived:
                        self.pushes.append(message)
                        self._arrived.notify_all()
        except ConnectionClosed:
            pass
        finally:
            if not self.closed.done():
                self.closed.set_result(self.connection.close_code)
            async with self._arrived:
                self._arrived.notify_all()

    async def send_raw(self, frame: str | bytes) -> None:
        await self.connection.send(frame)

    async def unmatched_response(self) -> dict[str, Any]:
        """The next response whose id matched no request (e.g. ``null`` for an unreadable frame)."""
        future = self._responses.setdefault("<unmatched>", asyncio.get_running_loop().create_future())
        result = await asyncio.wait_for(future, TIMEOUT)
        del self._responses["<unmatched>"]
        return result

    async def response_to(self, request_id: str) -> dict[str, Any]:
        future = self._responses.setdefault(request_id, asyncio.get_running_loop().create_future())
        return await asyncio.wait_for(future, TIMEOUT)

    async def request(
        self, action: str, payload: dict[str, Any] | None = None, **envelope: Any
    ) -> dict[str, Any]:
        request_id = envelope.pop("id", None) or f"r{next(self._ids)}"
        future = asyncio.get_running_loop().create_future()
        self._responses[request_id] = future
        frame = {"v": 1, "type": "req", "id": request_id, "action": action, "payload": payload or {}}
        frame.update(envelope)
        await self.connection.send(json.dumps(frame))
        return await asyncio.wait_for(future, TIMEOUT)

    async def ok(self, action: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.request(action, payload)
        assert response["ok"], f"{action} refused: {response.get('error')}"
        return response["payload"]

    async def refused(self, action: str, payload: dict[str, Any] | None = None) -> str:
        response = await self.request(action, payload)
        assert not response["ok"], f"{action} was accepted: {response.get('payload')}"
        return response["error"]["code"]

    async def push(
        self, action: str, where: Callable[[dict[str, Any]], bool] | None = None, within: float = TIMEOUT
    ) -> dict[str, Any]:
        """The payload of the next not yet consumed push with that action (and matching ``where``)."""

        def find() -> dict[str, Any] | None:
            for index, push in enumerate(self.pushes):
                if index in self._consumed:
                    continue
                if push["action"] == action and (where is None or where(push["payload"])):
                    self._consumed.add(index)
                    return push
            return None

        async def wait() -> dict[str, Any]:
            async with self._arrived:
                while True:
                    found = find()
                    if found is not None:
                        return found
                    if self.closed.done():
                        raise AssertionError(f"connection closed before push {action}")
                    await self._arrived.wait()

        push = await asyncio.wait_for(wait(), within)
        return push["payload"]

    def pushes_of(self, action: str) -> list[dict[str, Any]]:
        return [p["payload"] for p in self.pushes if p["action"] == action]

    async def close(self) -> None:
        await self.connection.close()
        await asyncio.gather(self._reader, return_exceptions=True)


async def login(server: RunningServer, username: str, password: str = PASSWORD, **extra: Any) -> Client:
    client = await Client.connect(server.operator_url)
    payload = {"username": username, "password": password, **extra}
    client.login = await client.ok("auth.login", payload)  # type: ignore[attr-defined]
    return client


async def erase_with_approval(requester: Client, approver: Client, visitor_id: str, reason: str) -> dict:
    """An erasure as a site with four eyes (the default) makes it: an erasure case, a request by one
    supervisor, the approval of another (which erases). Returns the counts erased."""
    case = (await requester.ok("cases.open", {
        "kind": "erasure", "received_on": datetime.date.today().isoformat(), "identity_check": "other",
        "visitor_id": visitor_id}))["case"]
    approval = (await requester.ok("approvals.request", {
        "action": "subjects.erase", "case_id": case["id"], "visitor_id": visitor_id, "reason": reason,
    }))["approval"]
    decided = await approver.ok("approvals.decide", {"approval_id": approval["id"], "approve": True})
    return decided["erased"]


async def arrive(
    server: RunningServer,
    *,
    ip: str | None = None,
    language: str = "en",
    url: str = "http://shop.example/",
    token: str | None = None,
) -> Client:
    """A visitor who said hello (from ``ip`` via X-Forwarded-For when given; the server must trust
    loopback as a proxy, i.e. demo mode)."""
    headers = {"X-Forwarded-For": ip} if ip else {}
    client = await Client.connect(server.visitor_url, additional_headers=headers)
    payload: dict[str, Any] = {"page": {"url": url, "title": "Shop"}, "language": language}
    if token:
        payload["visitor_token"] = token
    client.hello = await client.ok("visitor.hello", payload)  # type: ignore[attr-defined]
    client.visitor_id = client.hello["visitor_id"]  # type: ignore[attr-defined]
    return client


def notice_for(visitor: Client, purpose: str) -> dict[str, Any]:
    return next(n for n in visitor.hello["notices"] if purpose in n["purposes"])  # type: ignore[attr-defined]


async def consent(visitor: Client, purpose: str, granted: bool = True, method: str = "prechat_form") -> dict:
    notice = notice_for(visitor, purpose)
    return await visitor.ok(
        "consent.set",
        {
            "purpose": purpose,
            "granted": granted,
            "notice_id": notice["id"],
            "notice_version": notice["version"],
            "method": method,
        },
    )


# For tests that send a lot quickly on purpose (not about the limits): every rate far above them.
GENEROUS = Limits(
    requests_per_second=10_000, requests_burst=10_000, address_requests_per_second=10_000,
    address_requests_burst=10_000, messages_per_second=10_000, messages_burst=10_000,
    changes_per_second=10_000, changes_burst=10_000, new_visitors_per_minute=10_000,
    new_visitors_burst=10_000,
)


def fast_settings(**overrides: Any) -> Settings:
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


def with_controller(tmp_path: Path, config: Path | None) -> Path:
    """``config`` (or none) with the test site's [controller] added unless it names one."""
    text = config.read_text(encoding="utf-8") if config is not None else ""
    if "[controller]" not in text:
        text += TEST_CONTROLLER
    named = tmp_path / f"site-with-controller-{abs(hash(text))}.toml"
    named.write_text(text, encoding="utf-8")
    return named


async def start(tmp_path: Path, **options: Any) -> RunningServer:
    settings = options.pop("settings", None) or fast_settings()
    if not options.get("demo"):
        options["config_path"] = with_controller(tmp_path, options.get("config_path"))
    return await start_server(ServerOptions(data_dir=tmp_path / "data", settings=settings, **options))


def raw_database(data: Path) -> Any:
    """A new data folder's database opened raw (key, foreign keys, no migration), in a transaction:
    for building a database as an older schema left it, before a migration test opens it."""
    from operator_desk.server import db as server_db
    from operator_desk.server import dbfile

    key = dbfile.prepare_data_dir(data)
    conn = server_db.sqlcipher.connect(str(data / "server.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    return conn


def _all_rows(conn: Any) -> str:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    lines = []
    for table in tables:
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            lines.append(f"{table}: {row!r}")
    return "\n".join(lines)


async def database_text(server: RunningServer) -> str:
    """Every row of every table, as text: for asserting that something is (not) stored anywhere."""
    return await server.db.call(_all_rows)


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


# -- the server as a process (SIGKILL, faketime, a lowered file limit) --------------------------------


def server_command() -> list[str]:
    script = Path(sys.executable).with_name("operator-desk-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "operator_desk.server.cli"]


class ServerProcess:
    """``operator-desk-server serve --demo`` as a child process on a fixed data folder and port, so that
    it can be killed and started again on the same data with the same address."""

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
