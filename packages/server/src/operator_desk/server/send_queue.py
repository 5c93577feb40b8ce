"""One connection's frames waiting to be written: queued without awaiting, sent in order.

Fan-out code (a visitor event reaching every operator) must not await each socket, and responses and
pushes on one connection must keep their order: a queue per connection does both. A peer that does not
read is disconnected when its queue overflows; an operator session keeps its replay buffer and can
resume.

The frames queued in one step of the loop are written at the end of that step, together, without a
task: a writer task per connection woken for every frame cost a coroutine, a future and a task switch
per frame, and at 2,000 visitors those were most of the young objects the collector walked. Only when
the socket cannot take more (the peer reads slowly: websockets' flow control says so) or the connection
is to be closed does a task take over, and it awaits the socket as long as it must.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 10_000
DEFAULT_BYTES = 16 * 1024 * 1024
# Frames joined into one socket write at most.
MAX_WRITE = 256
# send_context() is websockets' own write path (asyncio implementation, 13 and later) but not documented:
# without it, one send per frame, always by the task.
_CAN_JOIN_WRITES = hasattr(ServerConnection, "send_context")


class SendQueue:
    """One connection's frames waiting to be written (not to be confused with an outbox: the desk's and
    the widget's unacknowledged messages, the webhook events not yet delivered)."""

    def __init__(
        self, connection: ServerConnection, limit: int = DEFAULT_LIMIT, max_bytes: int = DEFAULT_BYTES
    ) -> None:
        self.connection = connection
        self._loop = asyncio.get_running_loop()
        self._limit = limit
        # Queued frames in characters (a close enough measure of bytes, and never less): a peer that
        # reads nothing must not make the server hold gigabytes of large frames.
        self._max_bytes = max_bytes
        self._bytes = 0
        self._frames: deque[str | tuple[int, str]] = deque()
        self._closed = False      # no more frames are taken (a close is queued, or the socket is gone)
        self._stopped = False     # nothing more is written (aclose)
        self._flush_due = False   # a write at the end of this loop step is scheduled
        # The task that writes while the socket is full or the connection closes; None the rest of the time.
        self._writer: asyncio.Task[None] | None = None

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
        self._wake()

    def close_after(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection once the frames queued so far are sent."""
        if self._closed:
            return
        self._frames.append((code, reason))
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        if not self._flush_due and self._writer is None and not self._stopped:
            self._flush_due = True
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        """Write what is queued now, if the socket takes it; else hand over to the writer task."""
        self._flush_due = False
        if self._writer is not None or self._stopped:
            return
        frames = self._frames
        connection = self.connection
        while frames:
            if (not _CAN_JOIN_WRITES or isinstance(frames[0], tuple) or connection.paused
                    or connection.protocol.state is not State.OPEN or connection.transport.is_closing()):
                # A close to send, a peer that reads slowly, a connection closing: these wait on the
                # socket, which only a task can.
                self._writer = self._loop.create_task(self._run(), name="send-queue")
                return
            protocol = connection.protocol
            for frame in self._take_batch():
                protocol.send_text(frame.encode())
            _write_out(connection)

    def _take_batch(self) -> list[str]:
        frames = self._frames
        batch: list[str] = []
        while frames and len(batch) < MAX_WRITE and not isinstance(frames[0], tuple):
            batch.append(frames.popleft())  # type: ignore[arg-type]
        self._bytes -= sum(len(frame) for frame in batch)
        return batch

    async def _run(self) -> None:
        frames = self._frames
        try:
            while frames and not self._stopped:
                if isinstance(frames[0], tuple):
                    code, reason = frames.popleft()  # type: ignore[misc]
                    await self.connection.close(code, reason)
                    self._stopped = True
                    return
                await self._write(self._take_batch())
        except ConnectionClosed:
            self._closed = self._stopped = True
            self._frames.clear()
            self._bytes = 0
        finally:
            self._writer = None
        if frames and not self._stopped:
            self._wake()   # queued meanwhile, by the step that ended our last await

    async def _write(self, batch: list[str]) -> None:
        """Send frames in one socket write, with websockets' flow control and errors (``send_context``
        waits for the buffer to drain and raises ConnectionClosed)."""
        connection = self.connection
        if len(batch) == 1 or not _CAN_JOIN_WRITES:
            for frame in batch:
                await connection.send(frame)
            return
        async with connection.send_context():
            protocol = connection.protocol
            for frame in batch:
                protocol.send_text(frame.encode())
            _write_out(connection)

    async def aclose(self) -> None:
        """Stop writing (the connection is gone or being torn down)."""
        self._closed = self._stopped = True
        writer = self._writer
        if writer is not None and not writer.done():
            writer.cancel()
            try:
                await writer
            except asyncio.CancelledError:
                pass

    async def drained(self) -> None:
        """Wait until everything queued is sent and, if a close was queued, the connection closed."""
        while (self._frames or self._writer is not None) and not self._stopped:
            if self._writer is None:
                self._flush_due = False
                self._writer = self._loop.create_task(self._run(), name="send-queue")
            await asyncio.shield(self._writer)


def _write_out(connection: ServerConnection) -> None:
    """What websockets' protocol has to send, in one socket write: under load a loop step queues several
    pushes to each operator, and a system call per frame was the largest cost of fan-out."""
    chunks = connection.protocol.data_to_send()
    if all(chunks):
        connection.transport.write(b"".join(chunks))
        return
    for chunk in chunks:   # an end-of-stream marker (never after send_text alone): websockets' own way
        if chunk:
            connection.transport.write(chunk)
        elif connection.transport.can_write_eof():
            connection.transport.write_eof()
