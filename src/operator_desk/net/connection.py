"""One WebSocket connection speaking protocol v1 on ``/v1/operator``: requests and their answers, and
pushes handed on in the order they arrive.

A reader task owns the socket's receive side. Each frame is decoded with the map of pending request ids
(so a response's payload comes back typed); a response resolves its request's future, a push goes to
``on_push`` synchronously, in order. Unknown pushes are ignored (protocol v1 grows by adding them);
malformed frames are logged without their content and dropped. When the socket closes, every pending
request fails with :class:`ConnectionLost` and ``closed`` completes.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import ssl
from collections.abc import Callable
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect

from operator_desk.domain.model import Struct
from operator_desk.net.errors import (
    CertificateFailed,
    ConnectionLost,
    NetError,
    NotConnected,
    RequestFailed,
    RequestTimeout,
    Unreachable,
)
from operator_desk.net.security import ServerAddress, check_url, tls_context
from operator_desk.protocol import MAX_FRAME_BYTES, ErrorCode, ProtocolError, Push, Response, decode
from operator_desk.protocol import request as encode_request
from operator_desk.protocol.messages import Endpoint

logger = logging.getLogger(__name__)

PushHandler = Callable[[Push], None]
# Requests given up on (timed out, or their caller cancelled: a typing indicator at close) whose answer
# may still come: remembered so that a late answer is dropped quietly, not taken for a malformed frame.
ABANDONED_KEPT = 256


class Connection:
    """An open connection. Build it with ``await Connection.open(url, on_push=...)``."""

    def __init__(self, ws: ClientConnection, on_push: PushHandler, request_timeout: float) -> None:
        self._ws = ws
        self._on_push = on_push
        self._request_timeout = request_timeout
        self._ids = itertools.count(1)
        self._pending_actions: dict[str, str] = {}
        self._waiters: dict[str, asyncio.Future[Response]] = {}
        self._abandoned: collections.deque[str] = collections.deque(maxlen=ABANDONED_KEPT)
        self._closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read(), name="operator-desk-net-reader")

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        on_push: PushHandler,
        allow_insecure: bool = False,
        ca_file: str | None = None,
        open_timeout: float = 10.0,
        request_timeout: float = 30.0,
        close_timeout: float = 2.0,
    ) -> Connection:
        address = check_url(url, allow_insecure=allow_insecure)
        ws = await _connect(address, ca_file, open_timeout, close_timeout)
        return cls(ws, on_push, request_timeout)

    # -- requests ---------------------------------------------------------------------------------

    async def request(self, action: str, payload: Struct, *, answer_within: float | None = None) -> Any:
        """Send a request and return the response's typed payload. Raises :class:`RequestFailed` with
        the server's error code, :class:`RequestTimeout`, or :class:`ConnectionLost`."""
        if self._closed.done():
            raise NotConnected("the connection is closed")
        request_id = f"r{next(self._ids)}"
        waiter: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        self._pending_actions[request_id] = action
        self._waiters[request_id] = waiter
        try:
            try:
                await self._ws.send(encode_request(request_id, action, payload))
            except websockets.ConnectionClosed as exc:
                raise ConnectionLost("the connection closed while sending") from exc
            limit = answer_within if answer_within is not None else self._request_timeout
            try:
                async with asyncio.timeout(limit):
                    response = await waiter
            except TimeoutError:
                raise RequestTimeout(f"no answer to {action} in time") from None
        finally:
            self._pending_actions.pop(request_id, None)
            self._waiters.pop(request_id, None)
            if not waiter.done() or waiter.cancelled():   # given up on before its answer came
                self._abandoned.append(request_id)
        if not response.ok:
            error = response.error
            raise RequestFailed(error.code if error else ErrorCode.INTERNAL, error.message if error else "")
        return response.payload

    # -- receiving --------------------------------------------------------------------------------

    async def _read(self) -> None:
        try:
            while True:
                # As bytes: the decoder checks UTF-8 as it parses (websockets' own decoding to str was a
                # second pass over every frame, a tenth of the receive path at a busy site's feed).
                self._receive(await self._ws.recv(decode=False))
        except websockets.ConnectionClosed:
            pass
        except Exception:
            logger.exception("the connection's reader failed")
        finally:
            self._finish()

    def _receive(self, frame: bytes) -> None:
        try:
            message = decode(frame, Endpoint.OPERATOR, pending=self._pending_actions)
        except ProtocolError as exc:
            if exc.request_id is not None and exc.request_id in self._abandoned:
                logger.debug("dropped the late answer to an abandoned request")
            elif exc.code is ErrorCode.UNKNOWN_ACTION:
                # A push this version does not know: forward compatible, ignored.
                logger.debug("ignored an unknown push")
            else:
                # The frame's content may be personal data: log the reason's code and size only.
                logger.warning("dropped a malformed frame (%s, %d bytes)", exc.code.value, len(frame))
            return
        if isinstance(message, Response):
            waiter = self._waiters.get(message.id) if message.id is not None else None
            if waiter is None:
                logger.warning("dropped an error response to no pending request")
            elif not waiter.done():
                waiter.set_result(message)
            return
        if isinstance(message, Push):
            try:
                self._on_push(message)
            except Exception:
                # A bug in a handler must not take the connection down with it.
                logger.exception("a push handler failed on %s", message.action)
            return
        logger.warning("dropped a request frame from the server")

    def _finish(self) -> None:
        for waiter in self._waiters.values():
            if not waiter.done():
                waiter.set_exception(ConnectionLost("the connection closed"))
        if not self._closed.done():
            self._closed.set_result(None)

    # -- lifetime ---------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return not self._closed.done()

    @property
    def close_code(self) -> int | None:
        return self._ws.close_code

    async def wait_closed(self) -> None:
        await asyncio.shield(self._closed)

    def abort(self) -> None:
        """Drop the connection at once (a dead peer would never finish a closing handshake)."""
        transport = self._ws.transport
        if transport is not None:
            transport.abort()

    async def close(self) -> None:
        try:
            await self._ws.close()
        finally:
            self._reader.cancel()  # a no-op once the closed socket has ended it
            await asyncio.gather(self._reader, return_exceptions=True)
            self._finish()


async def _connect(
    address: ServerAddress, ca_file: str | None, open_timeout: float, close_timeout: float
) -> ClientConnection:
    options: dict[str, Any] = {
        "max_size": MAX_FRAME_BYTES,
        "open_timeout": open_timeout,
        "close_timeout": close_timeout,
        # The desk sends its own ``ping`` requests (see session.py), with timings tests can inject.
        "ping_interval": None,
        # A local server is never reached through a proxy from the environment.
        "proxy": None if address.loopback else True,
    }
    context = tls_context(address, ca_file)
    if context is not None:
        options["ssl"] = context
    try:
        return await connect(address.url, **options)
    except ssl.SSLCertVerificationError as exc:
        raise CertificateFailed("the server's certificate did not verify") from exc
    except NetError:
        raise
    except (OSError, TimeoutError, websockets.InvalidHandshake, websockets.InvalidURI) as exc:
        # The exception type only: messages can carry the address.
        logger.info("could not reach the server (%s)", type(exc).__name__)
        raise Unreachable("the server could not be reached") from exc
