"""A connection's send queue over a real WebSocket on loopback: frames queued without awaiting arrive in
the order they were queued, whether written at the end of a loop step or by the task that waits on a
full socket; a close queued after them comes after them; a peer that stops reading is closed (1008)
once its queue is over its bound, and the memory of what it did not read goes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from operator_desk.server.send_queue import SendQueue
from tests.kit.timing import WAIT


@asynccontextmanager
async def pair(
    use: Callable[[ServerConnection], Awaitable[None]], **client_options: object
) -> AsyncIterator[ClientConnection]:
    """A server that runs ``use`` on its side of the connection, and the client's side."""
    done = asyncio.Event()

    async def handler(connection: ServerConnection) -> None:
        try:
            await use(connection)
        finally:
            done.set()

    async with serve(handler, "127.0.0.1", 0, compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}", **client_options) as client:
            yield client
            await asyncio.wait_for(done.wait(), WAIT)


async def read_all(client: ClientConnection) -> list[str]:
    frames = []
    try:
        while True:
            frames.append(await asyncio.wait_for(client.recv(), WAIT))
    except ConnectionClosed:
        return frames


@pytest.mark.asyncio
async def test_frames_arrive_in_the_order_queued_and_the_close_after_them():
    async def use(connection: ServerConnection) -> None:
        queue = SendQueue(connection)
        for step in range(20):
            for n in range(step):   # a step queues several frames: written together at its end
                queue.send(f"{step}.{n}")
            await asyncio.sleep(0)
        queue.close_after(1000, "done")
        queue.send("after the close")   # not taken: nothing follows a close
        await queue.drained()

    async with pair(use) as client:
        frames = await read_all(client)
        assert frames == [f"{step}.{n}" for step in range(20) for n in range(step)]
        assert (client.close_code, client.close_reason) == (1000, "done")


@pytest.mark.asyncio
async def test_a_peer_that_stops_reading_is_closed_once_its_queue_is_full():
    frame = "x" * 65_536
    outcome: dict[str, object] = {}
    filled = asyncio.Event()

    async def use(connection: ServerConnection) -> None:
        queue = SendQueue(connection, limit=50)
        sent = 0
        while not queue.closed and sent < 2_000:   # the socket's buffers fill, then the queue
            queue.send(frame)
            sent += 1
            if sent % 10 == 0:
                await asyncio.sleep(0)
        outcome.update(closed=queue.closed, queued=queue.queued)
        filled.set()
        await queue.drained()

    # The client takes one frame into its queue and then reads no more from the socket.
    async with pair(use, max_queue=1) as client:
        await asyncio.wait_for(filled.wait(), WAIT)
        assert outcome["closed"] is True
        assert outcome["queued"] <= 1   # what it did not read was let go, only the close is left
        frames = await read_all(client)
        assert frames and all(f == frame for f in frames)
        assert (client.close_code, client.close_reason) == (1008, "too slow")
