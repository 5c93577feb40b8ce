"""Fixtures of the services tests: the real server in-process (the demo's accounts), a real encrypted
cache, desks closed at the end of the test, and one signed in as the supervisor. Visitors come from
the kit's ``visitors`` fixture, an in-memory keyring from its ``memory_keyring`` (tests.kit.fixtures)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest_asyncio

from operator_desk.server.embedded import RunningServer
from operator_desk.services.desk import Desk
from operator_desk.store import Store
from tests.kit.closing import ClosedAtEnd
from tests.kit.desks import Events, make_desk, open_store, signed_in
from tests.kit.keyrings import MemoryKeyring
from tests.kit.servers import start_demo


@pytest_asyncio.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    running = await start_demo(tmp_path / "server")
    yield running
    await running.close()


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened, _ = await open_store(tmp_path / "cache.db")
    yield opened
    await opened.close()


@pytest_asyncio.fixture
async def desks() -> AsyncIterator[Callable[..., Desk]]:
    """``desks(server_url, events, store, profile=...)``: ``tests.kit.desks.make_desk``, closed when the
    test ends."""
    made = ClosedAtEnd[Desk]()

    def make(*args: Any, **kwargs: Any) -> Desk:
        return made.keep(make_desk(*args, **kwargs))

    yield make
    await made.close()


@pytest_asyncio.fixture
async def supervisor(server: RunningServer, store: Store, memory_keyring: MemoryKeyring,
                     desks: Callable[..., Desk]) -> tuple[Desk, Events]:
    """A desk on ``server`` with the cache ``store``, signed in as the demo's supervisor (its token in
    the in-memory keyring), and the events it has sent: ``desk, events = supervisor``. A test that
    must do something before the desk signs in (hold a clock, capture its logs) builds its own."""
    events = Events()
    return await signed_in(desks(server.url, events, store), events), events
