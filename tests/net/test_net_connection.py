"""The connection's answers: a late answer to a request given up on is dropped quietly."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.server import ServerConnection, serve

from operator_desk.net.connection import Connection
from operator_desk.net.errors import RequestTimeout
from operator_desk.protocol.messages import Empty


@pytest.mark.asyncio
async def test_the_answer_to_a_request_given_up_on_is_no_malformed_frame(caplog) -> None:
    """A typing indicator cancelled at close, a ping timed out: its answer may still come. It must not
    be logged as a malformed frame (the autouse fixture fails the test on a warning)."""
    release = asyncio.Event()

    async def handle(ws: ServerConnection) -> None:
        async for frame in ws:
            request = json.loads(frame)
            if request["payload"].get("slow"):
                await release.wait()
            await ws.send(json.dumps({"v": 1, "type": "res", "id": request["id"], "ok": True, "payload": {}}))

    server = await serve(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    connection = await Connection.open(f"ws://127.0.0.1:{port}/v1/operator", on_push=lambda push: None)
    try:
        class Slow(Empty, frozen=True, kw_only=True):
            slow: bool = True

        with pytest.raises(RequestTimeout):
            await connection.request("ping", Slow(), answer_within=0.05)
        cancelled = asyncio.ensure_future(connection.request("ping", Slow()))
        await asyncio.sleep(0)   # sent, then its caller gives up
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        release.set()
        # Answered after the two late answers on the same socket: they have been read by now.
        assert isinstance(await connection.request("ping", Empty()), Empty)
    finally:
        await connection.close()
        server.close()
        await server.wait_closed()
    assert "malformed" not in caplog.text
