"""One request loop for both endpoints (``/v1/operator``, ``/v1/visitor``): what happens to every frame
between the socket and an action's handler, written once.

For each text frame, in this order: the connection's and the address's rates (``Guard``), decoding by
the codec (an unknown action, a malformed payload: ``unknown_action``, ``bad_request``), the rates of
whom it speaks for (``RequestLoop.admit``), who the connection speaks for and whether it may ask this
(``RequestLoop.caller``: logged in, role, the protocol's ``ActionSpec.roles``), the action's handler
from the endpoint's handler table, the wait for every write the request queued when the action's ok
means stored (``ActionSpec.stores``, ``changes.py``), and the answer with the request's id. A refusal is
answered with its code and the connection stays open; a write that could not be stored is answered
``storage_unavailable``; anything else ``internal``, with the trace in the log.

Each endpoint subclasses ``RequestLoop`` with its connection state, its ``caller`` rule and its table
from action name to handler (``OPERATOR_HANDLERS``, ``VISITOR_HANDLERS``, at the end of each endpoint
module, the counterparts of the protocol's ``OPERATOR_ACTIONS`` and ``VISITOR_ACTIONS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from operator_desk.domain.model import Struct
from operator_desk.protocol import (
    Endpoint,
    ErrorCode,
    ProtocolError,
    Request,
    decode,
    error,
    error_for,
    ok,
    request_id_of,
)
from operator_desk.protocol.messages import ACTIONS, ActionSpec
from operator_desk.server.changes import NOT_STORED, handling
from operator_desk.server.db_errors import StorageUnavailable
from operator_desk.server.guard import RATE_LIMITED_CLOSE, Budget, Guard, client_address, is_text_frame
from operator_desk.server.hub import Hub
from operator_desk.server.send_queue import SendQueue

logger = logging.getLogger(__name__)
# Of several nodes: how long an answer waits at most for its events to be in the bus's stream.
BUS_FLUSH_SECONDS = 1.0

# An action's handler, as the endpoint class defines it: ``handler(endpoint, caller, payload)``, where
# ``caller`` is what ``RequestLoop.caller`` gives for the action and ``payload`` the action's request
# struct (``ActionSpec.request``), decoded by the codec; it returns the action's response struct.
Handler = Callable[[Any, Any, Any], Awaitable[Struct]]


class Connection:
    """One socket's state: where its frames go, its client's address and its rate budget."""

    __slots__ = ("address", "budget", "send_queue")

    def __init__(self, send_queue: SendQueue, address: str, budget: Budget) -> None:
        self.send_queue = send_queue
        self.address = address
        self.budget = budget


ConnectionT = TypeVar("ConnectionT", bound=Connection)


class RequestLoop(Generic[ConnectionT]):
    """Serve one endpoint's connections. A subclass gives the hooks below (its connection state,
    ``caller``, what follows an answer, the deadline to identify oneself) and its handler table."""

    # "an operator" / "a visitor": for the log lines.
    noun = "a client"

    def __init__(self, hub: Hub, guard: Guard, endpoint: Endpoint, handlers: Mapping[str, Handler]) -> None:
        self.hub = hub
        self.guard = guard
        self.endpoint = endpoint
        self._actions: Mapping[str, ActionSpec] = ACTIONS[endpoint]
        self._handlers = handlers

    # -- hooks ----------------------------------------------------------------------------------------

    def connected(self, send_queue: SendQueue, address: str, budget: Budget) -> ConnectionT:
        """The state of a new connection."""
        raise NotImplementedError

    def identify_within(self) -> float:
        """Seconds a new connection has to send the action that opens it (a login, a hello)."""
        raise NotImplementedError

    def deadline_passed(self, state: ConnectionT) -> None:
        """The deadline to identify passed: close the connection if it has not."""
        raise NotImplementedError

    def admit(self, state: ConnectionT, action: str) -> Awaitable[None] | None:
        """Count the request against the rates of whom the connection speaks for (``Guard``), or refuse
        it (``rate_limited``); what to await when the site's buckets must be asked, or None."""
        return None

    def caller(self, state: ConnectionT, action: str, spec: ActionSpec) -> Any:
        """Whom the handler of ``action`` is called for (the session, the visitor, or the connection
        itself for the action that opens it); raise ``ProtocolError`` to refuse the request."""
        raise NotImplementedError

    def who(self, state: ConnectionT) -> str:
        """Ids only, for the debug log: never names, addresses or payloads."""
        raise NotImplementedError

    def answered(self, state: ConnectionT) -> None:
        """After an ok answer is queued."""

    def refused(self, state: ConnectionT) -> None:
        """After a request failed, whatever the reason, and its error answer is queued."""

    async def disconnected(self, state: ConnectionT) -> None:
        """The socket is gone (its send queue is closed after this)."""

    # -- the loop -------------------------------------------------------------------------------------

    async def serve(self, connection: ServerConnection) -> None:
        address = client_address(connection, self.hub.config.trusted_proxies)
        await self.guard.sockets.serve_within_limits(self.endpoint.value, connection, address, self._serve)

    async def _serve(self, connection: ServerConnection, address: str) -> None:
        limits = self.guard.limits
        send_queue = SendQueue(connection, self.hub.settings.send_queue_limit, limits.send_queue_bytes)
        state = self.connected(send_queue, address, self.guard.budget(address))
        # A socket that never says who it is is closed: idle sockets must not pile up.
        deadline = asyncio.get_running_loop().call_later(self.identify_within(), self.deadline_passed, state)
        try:
            # recv() in a loop, not ``async for``: each frame waited for through an async generator
            # left more objects alive until the next frame, for the collector to walk (2,000 visitors
            # are 2,000 such waits at any time).
            while True:
                frame = await connection.recv()
                if send_queue.closed:
                    # Closing: read on, so that the peer's close is seen behind its flood (a flood's
                    # frames that arrive behind the close store nothing), but do nothing.
                    continue
                if not is_text_frame(frame, send_queue):
                    await send_queue.drained()  # the close is sent before we return (which closes 1000)
                    return
                await self.handle(state, frame)
        except ConnectionClosed:
            pass
        finally:
            deadline.cancel()
            await self.disconnected(state)
            await send_queue.aclose()

    async def handle(self, state: ConnectionT, frame: str) -> None:
        """Answer one frame."""
        request_id = None
        self.hub.requests_handled += 1
        try:
            admitting = self.guard.admit_frame(state.budget)
            if admitting is not None:
                await admitting
            request = decode(frame, self.endpoint)
            if not isinstance(request, Request):
                raise ProtocolError(ErrorCode.BAD_REQUEST, "only requests are accepted here")
            request_id = request.id
            if logger.isEnabledFor(logging.DEBUG):   # who() builds a string: not for every request
                # Ids and action names only: never payloads (message text, names, details, passwords).
                logger.debug("%s request %s from %s", self.endpoint.value, request.action, self.who(state))
            spec = self._actions[request.action]
            admitting = self.admit(state, request.action)
            if admitting is not None:
                await admitting
            caller = self.caller(state, request.action, spec)
            handler = self._handlers[request.action]
            # An ok answer means stored: the answer waits for every write the request queued.
            with handling(spec.stores) as pending:
                answer = await handler(self, caller, request.payload)
                await pending.committed()
            if pending.stores:
                self.hub.changes_committed()
                if not self.hub.bus.alone:
                    # What it told the other nodes is in the bus's stream before the answer: whoever
                    # is answered finds it on any node (docs/scaling.md, "Read what was answered").
                    # Bounded: it is stored already, and a bus that hangs must not hold the answer.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.hub.bus.flush(), BUS_FLUSH_SECONDS)
            state.send_queue.send(ok(request.id, answer))
            self.answered(state)
        except ProtocolError as exc:
            if exc.request_id is None and request_id is not None:
                exc.request_id = request_id
            elif exc.request_id is None and exc.code is ErrorCode.RATE_LIMITED:
                # A frame refused before it was decoded (over a rate) is still answered with its id.
                exc.request_id = request_id_of(frame)
            logger.debug("%s request refused: %s", self.endpoint.value, exc.code.value)
            state.send_queue.send(error_for(exc))
            self.refused(state)
            if exc.code is ErrorCode.RATE_LIMITED and self.guard.should_close(state.budget):
                logger.info("closing %s connection that keeps going over its rates", self.noun)
                state.send_queue.close_after(1008, RATE_LIMITED_CLOSE)
        except StorageUnavailable as exc:
            logger.warning("%s request was not stored: %s", self.noun, exc)
            state.send_queue.send(error(request_id, ErrorCode.STORAGE_UNAVAILABLE, NOT_STORED))
            self.refused(state)
        except Exception as exc:
            logger.exception("%s request failed: %s", self.endpoint.value, type(exc).__name__)
            state.send_queue.send(error(request_id, ErrorCode.INTERNAL, "internal error"))
            self.refused(state)
