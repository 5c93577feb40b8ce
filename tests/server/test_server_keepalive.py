"""Keepalive pings per endpoint: the server pings visitors (``[limits] visitor_ping_interval``, 60 s by
default; the widget pings the server itself every 25 s) less often than desks
(``operator_ping_interval``, 20 s). At 10,000 visitors a ping every 20 s was 500 a second, 7.4 % of the
server's CPU (docs/performance.md)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.frames import Frame, Opcode
from websockets.protocol import Event

from tests.kit.accounts import PASSWORD
from tests.kit.clients import AsyncClient
from tests.kit.closing import ClosedAtEnd
from tests.kit.servers import start_site
from tests.kit.timing import WAIT

OFTEN, NEVER = 0.05, 1000.0


class CountsPings(ClientConnection):
    """A client connection that counts the server's pings (websockets answers each with a pong)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pings = 0
        self.pinged = asyncio.Event()

    def process_event(self, event: Event) -> None:
        if isinstance(event, Frame) and event.opcode is Opcode.PING:
            self.pings += 1
            self.pinged.set()
        super().process_event(event)


@contextlib.asynccontextmanager
async def pinged_clients(
    tmp_path: Path, visitor_every: float, operator_every: float
) -> AsyncIterator[tuple[AsyncClient, AsyncClient]]:
    """A server with these keepalive intervals, a desk signed in and a visitor who said hello."""
    server = await start_site(
        tmp_path,
        f"[limits]\nvisitor_ping_interval = {visitor_every}\noperator_ping_interval = {operator_every}\n",
        {"ann": "operator"},
    )
    clients: ClosedAtEnd[AsyncClient] = ClosedAtEnd()
    try:
        operator = clients.keep(await AsyncClient.connect(server.operator_url, create_connection=CountsPings))
        await operator.ok("auth.login", {"username": "ann", "password": PASSWORD})
        visitor = clients.keep(await AsyncClient.connect(server.visitor_url, create_connection=CountsPings))
        await visitor.ok("visitor.hello", {"page": {"url": "http://shop.example/", "title": "Shop"}})
        yield operator, visitor
    finally:
        await clients.close()
        await server.close()


async def pinged(client: AsyncClient, times: int) -> None:
    connection = client.connection
    assert isinstance(connection, CountsPings)

    async def enough() -> None:
        while connection.pings < times:
            connection.pinged.clear()
            await connection.pinged.wait()
    await asyncio.wait_for(enough(), WAIT)


def pings(client: AsyncClient) -> int:
    connection = client.connection
    assert isinstance(connection, CountsPings)
    return connection.pings


@pytest.mark.asyncio
async def test_visitors_are_pinged_at_their_own_interval_not_the_operators(tmp_path: Path) -> None:
    async with pinged_clients(tmp_path, visitor_every=OFTEN, operator_every=NEVER) as (operator, visitor):
        await pinged(visitor, 3)
        assert pings(operator) == 0


@pytest.mark.asyncio
async def test_operators_are_pinged_at_their_own_interval_not_the_visitors(tmp_path: Path) -> None:
    async with pinged_clients(tmp_path, visitor_every=NEVER, operator_every=OFTEN) as (operator, visitor):
        await pinged(operator, 3)
        assert pings(visitor) == 0
