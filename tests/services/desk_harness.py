"""What the services tests share: the real server in-process, a real encrypted cache, an in-memory
keyring, an event recorder for the desk's sink, and a visitor speaking to the real /v1/visitor endpoint.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import pytest
import pytest_asyncio
import sqlcipher3
from websockets.asyncio.client import ClientConnection, connect

from operator_desk.platform.keystore import TokenStore
from operator_desk.server.embedded import RunningServer, ServerOptions, start_server
from operator_desk.server.hub import Settings
from operator_desk.services.desk import Desk
from operator_desk.services.events import SignedIn
from operator_desk.services.timing import DeskTiming
from operator_desk.store import RawKey, Store
from tests.kit.keyrings import MemoryKeyring

WAIT = 10.0
FAST = DeskTiming(heartbeat_interval=0.5, heartbeat_timeout=1.0, backoff_initial=0.02, backoff_max=0.2,
                  open_timeout=5.0, request_timeout=5.0, close_timeout=1.0, coalesce_window=0.02)




class Events:
    """The desk's event sink: records every event and lets a test await one."""

    def __init__(self) -> None:
        self.log: list[Any] = []
        self._changed = asyncio.Event()

    def __call__(self, event: Any) -> None:
        self.log.append(event)
        self._changed.set()

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.log if isinstance(e, kind)]

    async def wait_for(self, kind: type, predicate: Callable[[Any], bool] = lambda e: True,
                       *, after: int = 0, within: float = WAIT) -> Any:
        """The first event of ``kind`` at index >= ``after`` that satisfies ``predicate``."""
        async def scan() -> Any:
            index = after
            while True:
                while index < len(self.log):
                    event = self.log[index]
                    index += 1
                    if isinstance(event, kind) and predicate(event):
                        return event
                self._changed.clear()
                await self._changed.wait()
        return await asyncio.wait_for(scan(), within)

    async def until(self, condition: Callable[[], bool], *, within: float = WAIT) -> None:
        async def scan() -> None:
            while not condition():
                self._changed.clear()
                await self._changed.wait()
        await asyncio.wait_for(scan(), within)


def decrypted_rows(path: Path, key: bytes) -> str:
    """Every row of every table of the cache file, FTS shadow tables included, as text (a second
    connection: the desk's own is busy)."""
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert "messages_fts_data" in tables
        return "\n".join(f"{t}: {row!r}" for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
    finally:
        conn.close()


async def open_server(data_dir: Path, port: int = 0) -> RunningServer:
    return await start_server(ServerOptions(
        data_dir=data_dir, host="127.0.0.1", port=port, demo=True, simulate=0,
        settings=Settings(visitor_grace=30.0),
    ))


async def open_store(path: Path, key: bytes | None = None) -> tuple[Store, bytes]:
    key = key or os.urandom(32)
    return await Store.open(path, RawKey(key)), key


def make_desk(server_url: str, events: Events, store: Any, profile: str = "test") -> Desk:
    return Desk(server_url=server_url, profile=profile, sink=events, store=store,
                tokens=TokenStore(profile), timing=FAST)


class VisitorClient:
    """A visitor's browser, reduced to the protocol: the real /v1/visitor endpoint."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.pushes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.notices: list[dict[str, Any]] = []
        self.visitor_id = ""
        self.token = ""
        self.hello: dict[str, Any] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, url: str, *, language: str = "en", token: str | None = None,
                   ip: str | None = None) -> VisitorClient:
        """``ip``: the visitor's address, as a trusted proxy would say it (the demo server trusts
        loopback)."""
        headers = {"X-Forwarded-For": ip} if ip else None
        client = cls(await connect(url, proxy=None, additional_headers=headers))
        hello: dict[str, Any] = {"page": {"url": "https://shop.example/tents", "title": "Tents"},
                                 "language": language}
        if token:
            hello["visitor_token"] = token
        answer = await client.request("visitor.hello", hello)
        client.hello = answer
        client.visitor_id, client.token = answer["visitor_id"], answer["visitor_token"]
        client.notices = answer["notices"]
        return client

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                message = json.loads(frame)
                if message["type"] == "res":
                    waiter = self._waiters.pop(message["id"], None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(message)
                else:
                    self.pushes.put_nowait(message)
        except Exception:
            pass

    async def request(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        request_id = f"q{next(self._ids)}"
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiters[request_id] = waiter
        await self.ws.send(json.dumps({"v": 1, "type": "req", "id": request_id, "action": action,
                                       "payload": payload}))
        answer = await asyncio.wait_for(waiter, WAIT)
        if not answer["ok"]:
            raise AssertionError(f"{action} refused: {answer['error']}")
        return answer["payload"]

    def notice_for(self, purpose: str) -> dict[str, Any]:
        return next(n for n in self.notices if purpose in n["purposes"])

    async def consent(self, purpose: str, granted: bool = True) -> dict[str, Any]:
        notice = self.notice_for(purpose)
        return await self.request("consent.set", {
            "purpose": purpose, "granted": granted, "notice_id": notice["id"],
            "notice_version": notice["version"],
            "method": "prechat_form" if purpose in ("chat", "visitor_insights") else "widget_settings",
        })

    async def next_push(self, action: str) -> dict[str, Any]:
        while True:
            push = await asyncio.wait_for(self.pushes.get(), WAIT)
            if push["action"] == action:
                return push["payload"]

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)


# -- fixtures (imported by the test modules) ------------------------------------------------------


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest_asyncio.fixture
async def server(tmp_path):
    running = await open_server(tmp_path / "server")
    yield running
    await running.close()


@pytest_asyncio.fixture
async def store(tmp_path):
    opened, _ = await open_store(tmp_path / "cache.db")
    yield opened
    await opened.close()


@pytest_asyncio.fixture
async def desks():
    made = []

    def make(*args, **kwargs):
        desk = make_desk(*args, **kwargs)
        made.append(desk)
        return desk

    yield make
    for desk in made:
        await desk.close()


@pytest_asyncio.fixture
async def visitors():
    opened: list[VisitorClient] = []

    async def open_visitor(url: str, **kwargs) -> VisitorClient:
        client = await VisitorClient.open(url, **kwargs)
        opened.append(client)
        return client

    yield open_visitor
    for client in opened:
        await client.close()


async def signed_in(desk, events, user="supervisor"):
    await desk.sign_in(user, "demo")
    await events.wait_for(SignedIn)
    return desk



__all__ = [
    "FAST",
    "WAIT",
    "Events",
    "MemoryKeyring",
    "VisitorClient",
    "decrypted_rows",
    "desks",
    "keyring",
    "make_desk",
    "memory_keyring",
    "open_server",
    "open_store",
    "server",
    "signed_in",
    "store",
    "visitors",
]
