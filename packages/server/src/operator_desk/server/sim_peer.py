"""What the demo's simulated parties share: one WebSocket connection to a real endpoint of this server,
requests answered by id, pushes handed to ``_on_push``, and the tasks they start owned and cancelled.
The simulated visitors (``simulator.py``) and colleagues (``colleagues.py``) are written on it."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

# msgspec rather than the json module: a simulator process speaks for thousands of visitors.
_encoder = msgspec.json.Encoder()
_decode = msgspec.json.Decoder(dict[str, Any]).decode


def _encode(message: dict[str, Any]) -> str:
    return _encoder.encode(message).decode()


class SimulatedPeer:
    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._connection: ClientConnection | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._reader_stopped = False

    async def request(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The whole response frame (``ok`` says whether it was refused)."""
        assert self._connection is not None
        if self._reader_stopped:   # nobody would read the answer: waiting for it would never end
            raise ConnectionClosed(None, None)
        request_id = str(next(self._ids))
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        await self._connection.send(
            _encode({"v": 1, "type": "req", "id": request_id, "action": action, "payload": payload})
        )
        return await future

    async def _read(self) -> None:
        assert self._connection is not None
        try:
            async for frame in self._connection:
                message = _decode(frame)
                if message.get("type") == "res":
                    future = self._pending.pop(str(message.get("id")), None)
                    if future is not None and not future.done():
                        future.set_result(message)
                elif message.get("type") == "push":
                    self._on_push(message["action"], message.get("payload", {}))
        except ConnectionClosed:
            pass
        finally:
            self._reader_stopped = True
            for future in self._pending.values():
                future.cancel()

    def _on_push(self, action: str, payload: dict[str, Any]) -> None:
        """What the peer does on a push (none by default)."""

    def _later(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _stop_tasks(self, reader: asyncio.Task[Any]) -> None:
        for task in (reader, *self._tasks):
            task.cancel()
        await asyncio.gather(reader, *self._tasks, return_exceptions=True)
