"""The real stack for UI integration tests: the reference server in-process on port 0, a real encrypted
cache in tmp_path, the real desk, an in-memory keyring, and a visitor on the real /v1/visitor endpoint.
Everything runs on the qasync loop of the test; fixtures drive coroutines with ``run``."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import keyring
import pytest
from PySide6.QtCore import QSettings
from websockets.asyncio.client import ClientConnection, connect

from operator_desk.platform.keystore import TokenStore
from operator_desk.server.embedded import ServerOptions, start_server
from operator_desk.server.hub import Settings
from operator_desk.services.desk import Desk
from operator_desk.services.detect import detail_fields_asked_for
from operator_desk.services.timing import DeskTiming
from operator_desk.store import RawKey, Store
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.windows.main_window import MainWindow
from tests.kit.keyrings import MemoryKeyring

WAIT = 10.0
FAST = DeskTiming(heartbeat_interval=0.5, heartbeat_timeout=2.0, backoff_initial=0.02, backoff_max=0.2,
                  open_timeout=5.0, request_timeout=5.0, close_timeout=1.0, coalesce_window=0.02)




class VisitorClient:
    """A visitor's browser reduced to the protocol."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.pushes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.notices: list[dict[str, Any]] = []
        self.visitor_id = ""
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, url: str, language: str = "en") -> VisitorClient:
        client = cls(await connect(url, proxy=None))
        answer = await client.request("visitor.hello", {
            "page": {"url": "https://shop.example/tents", "title": "Tents"}, "language": language})
        client.visitor_id = answer["visitor_id"]
        client.notices = answer["notices"]
        return client

    async def _read(self) -> None:
        async for frame in self.ws:
            message = json.loads(frame)
            if message["type"] == "res":
                waiter = self._waiters.pop(message["id"], None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(message)
            else:
                self.pushes.put_nowait(message)

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

    async def consent(self, purpose: str, granted: bool = True) -> None:
        notice = self.notice_for(purpose)
        await self.request("consent.set", {
            "purpose": purpose, "granted": granted, "notice_id": notice["id"],
            "notice_version": notice["version"],
            "method": "prechat_form" if purpose in ("chat", "visitor_insights") else "widget_settings"})

    async def next_push(self, action: str) -> dict[str, Any]:
        while True:
            push = await asyncio.wait_for(self.pushes.get(), WAIT)
            if push["action"] == action:
                return push["payload"]

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)


@dataclass
class Stack:
    server: Any
    store: Store
    desk: Desk
    window: MainWindow
    visitors: list[VisitorClient]

    def visitor(self, run, language: str = "en") -> VisitorClient:
        client = run(VisitorClient.open(self.server.visitor_url, language))
        self.visitors.append(client)
        return client


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@contextlib.contextmanager
def real_stack(qtbot, run, tmp_path, **server_options: Any) -> Iterator[Stack]:
    """The real stack with the server's options (``ServerOptions``) overridden by ``server_options``."""
    options = {"data_dir": tmp_path / "server", "demo": True, "simulate": 0,
               "settings": Settings(visitor_grace=30.0)} | server_options
    server = run(start_server(ServerOptions(**options)))
    store = run(Store.open(tmp_path / "cache.db", RawKey(os.urandom(32))))
    bridge = EventBridge()
    settings = DeskSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    desk = Desk(server_url=server.url, profile="ui-test", sink=bridge, store=store,
                tokens=TokenStore("ui-test"), timing=FAST, status_memory=settings)
    window = MainWindow(desk, bridge, settings, detail_fields_asked_for)
    qtbot.addWidget(window)
    window.show()
    built = Stack(server, store, desk, window, [])
    try:
        yield built
    finally:
        for client in built.visitors:
            run(client.close())
        run(desk.close())
        run(store.close())
        run(server.close())


@pytest.fixture
def stack(qtbot, run, tmp_path, memory_keyring):
    with real_stack(qtbot, run, tmp_path) as built:
        yield built


__all__ = ["FAST", "WAIT", "MemoryKeyring", "Stack", "VisitorClient", "memory_keyring", "real_stack", "stack"]
