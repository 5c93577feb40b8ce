"""The desk's services for tests and benchmarks: an event recorder for its sink, the desk built with the
kit's timing, a real encrypted cache, and what that cache holds, decrypted."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

from operator_desk.platform.keystore import TokenStore
from operator_desk.services.desk import Desk
from operator_desk.services.events import ChatArrived, SignedIn
from operator_desk.store import RawKey, Store
from tests.kit.accounts import DEMO_PASSWORD
from tests.kit.clients import AsyncClient
from tests.kit.timing import FAST, WAIT
from tests.kit.visitors import consent


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


def make_desk(server_url: str, sink: Callable[[Any], None], store: Store | None, profile: str = "test",
              **options: Any) -> Desk:
    """A desk on ``server_url`` with the kit's ``FAST`` timing and its token in the keyring under
    ``profile``; ``options`` go to ``Desk`` (``timing``, ``ca_file``, ``tokens``)."""
    options.setdefault("timing", FAST)
    options.setdefault("tokens", TokenStore(profile))
    return Desk(server_url=server_url, profile=profile, sink=sink, store=store, **options)


async def signed_in(desk: Desk, events: Events, user: str = "supervisor") -> Desk:
    """``desk`` signed in as one of the demo's accounts."""
    await desk.sign_in(user, DEMO_PASSWORD)
    await events.wait_for(SignedIn)
    return desk


async def desk_accepts(desk: Desk, events: Events, visitor: AsyncClient, **start: Any) -> str:
    """``visitor`` consents to chat in the pre-chat form and asks for a chat (``start``: the
    ``chat.start`` payload), which ``desk`` (signed in, its events in ``events``) hears of and
    accepts: the chat's id."""
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat_id = (await visitor.ok("chat.start", start))["chat"]["id"]
    await events.wait_for(ChatArrived, lambda e: e.chat.id == chat_id)
    await desk.accept_chat(chat_id)
    return chat_id


async def open_store(path: Path, key: bytes | None = None) -> tuple[Store, bytes]:
    """The real encrypted cache at ``path`` (a new random key unless given), and its key."""
    key = key or os.urandom(32)
    return await Store.open(path, RawKey(key)), key


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
