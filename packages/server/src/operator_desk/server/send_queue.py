"""One writer task per connection: frames are queued without awaiting and sent in order.

Fan-out code (a visitor event reaching every operator) must not await each socket, and responses and
pushes on one connection must keep their order: a queue per connection does both. A peer that does not
read is disconnected when its queue overflows; an operator session keeps its replay buffer and can
resume.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 10_000
DEFAULT_BYTES = 16 * 1024 * 1024
# Frames joined into one socket write at most.
MAX_WRITE = 256
# send_context() is websockets' own write path (asyncio implementation, 13 and later) but not documented:
# without it, one send per frame.
_CAN_JOIN_WRITES = hasattr(ServerConnection, "send_context")


class SendQueue:
    """One connection's frames waiting to be written, and the task that writes them (not to be confused
    with an outbox: the desk's and the widget's unacknowledged messages, the webhook events not yet
    delivered)."""

    def __init__(
        self, connection: ServerConnection, limit: int = DEFAULT_LIMIT, max_bytes: int = DEFAULT_BYTES
    ) -> None:
        self.connection = connection
        self._limit = limit
        # Queued frames in characters (a close enough measure of bytes, and never less): a peer that
        # reads nothing must not make the server hold gigabytes of large frames.
        self._max_bytes = max_bytes
        self._bytes = 0
        self._frames: deque[str | tuple[int, str]] = deque()
        self._ready = asyncio.Event()
        self._closed = False
        self._task = asyncio.get_running_loop().create_task(self._run(), name="send-queue")

    @property
    def queued(self) -> int:
        return len(self._frames)

    @property
    def closed(self) -> bool:
        return self._closed

    def send(self, frame: str) -> None:
        if self._closed:
            return
        if len(self._frames) >= self._limit or self._bytes + len(frame) > self._max_bytes:
            logger.info("closing a connection that does not read its frames")
            self._frames.clear()  # they will never be read: the memory goes now
            self._bytes = 0
            self.close_after(1008, "too slow")
            return
        self._frames.append(frame)
        self._bytes += len(frame)
        self._ready.set()

    def close_after(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection once the frames queued so far are sent."""
        if self._closed:
            return
        self._frames.append((code, reason))
        self._closed = True
        self._ready.set()

    async def _run(self) -> None:
        frames = self._frames
        try:
            while True:
                await self._ready.wait()
                self._ready.clear()
                while frames:
                    if isinstance(frames[0], tuple):
                        code, reason = frames.popleft()  # type: ignore[misc]
                        await self.connection.close(code, reason)
                        return
                    batch: list[str] = []
                    while frames and len(batch) < MAX_WRITE and not isinstance(frames[0], tuple):
                        batch.append(frames.popleft())  # type: ignore[arg-type]
                    self._bytes -= sum(len(frame) for frame in batch)
                    await self._write(batch)
        except ConnectionClosed:
            self._closed = True
            self._frames.clear()
            self._bytes = 0

    async def _write(self, batch: list[str]) -> None:
        """Send the frames queued since the last write in one socket write: under load a loop step
        queues several pushes to each operator, and a system call per frame was the largest cost of
        fan-out. Flow control and errors are websockets' own (``send_context`` waits for the buffer
        to drain and raises ConnectionClosed)."""
        connection = self.connection
        if len(batch) == 1 or not _CAN_JOIN_WRITES:
            for frame in batch:
                await connection.send(frame)
            return
        async with connection.send_context():
            protocol = connection.protocol
            for frame in batch:
                protocol.send_text(frame.encode())
            chunks = protocol.data_to_send()
            if all(chunks):
                connection.transport.write(b"".join(chunks))
            else:  # an end-of-stream marker (never after send_text alone): websockets' own way
                for chunk in chunks:
                    if chunk:
                        connection.transport.write(chunk)
                    elif connection.transport.can_write_eof():
                        connection.transport.write_eof()

    async def aclose(self) -> None:
        """Stop the writer (the connection is gone or being torn down)."""
        self._closed = True
        if not self._task.done():
            self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass

    async def drained(self) -> None:
        """Wait until the writer has sent everything and, if asked, closed the connection."""
        await asyncio.shield(self._task)
