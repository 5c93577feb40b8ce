"""What a closed connection leaves to the garbage collector: nothing it must find. The server collects
only its young generations often (``cli.py``); a full collection walks every object alive, which at
10,000 visitors stops the loop for a second or more. A connection that ends as a reference cycle lives
until such a collection: asyncio's socket transport keeps a bound method of itself, so every visitor
who left was one (five objects), piling up for the next full collection."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from operator_desk.server.config import Limits
from operator_desk.server.sockets import Sockets, file_limit, guarded_connection
from tests.kit.timing import WAIT

CONNECTIONS = 5


@contextmanager
def collector_off() -> Iterator[None]:
    """No collection runs until the test asks for one, and what it finds is kept to be looked at."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def cyclic_garbage() -> list[object]:
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.collect()
    return list(gc.garbage)


@pytest.mark.sqlcipher_only   # no database: a bare WebSocket server with the server's connection class
@pytest.mark.asyncio
async def test_a_closed_connection_is_freed_without_a_full_collection():
    sockets = Sockets(Limits(), (), file_limit())

    ended: list[ServerConnection] = []
    all_ended = asyncio.Event()

    async def handler(connection: ServerConnection) -> None:
        await connection.send("hello")
        await connection.wait_closed()   # returns once the server side has seen its connection lost
        ended.append(connection)
        if len(ended) == CONNECTIONS:
            all_ended.set()

    with collector_off():
        async with serve(handler, "127.0.0.1", 0, compression=None,
                         create_connection=guarded_connection(sockets)) as server:
            port = server.sockets[0].getsockname()[1]
            for _ in range(CONNECTIONS):
                async with connect(f"ws://127.0.0.1:{port}", compression=None) as client:
                    assert await asyncio.wait_for(client.recv(), WAIT) == "hello"
            await asyncio.wait_for(all_ended.wait(), WAIT)
            ended.clear()
            garbage = cyclic_garbage()
    server_sides = [o for o in garbage if isinstance(o, asyncio.Transport)
                    and (o.get_extra_info("sockname") or ("", 0))[1] == port]
    assert server_sides == []
