"""Sockets, before and after their WebSocket handshake, bounded per address and in all, so that idle
sockets can neither take every file descriptor nor crowd operators out.

1,014 idle sockets from one address used to make operator sign-in and ``/healthz`` time out under the
common limit of 1,024 open files, and the log grew by 450 MB of "Too many open files" in 90 s. Now:

- at start the soft file limit is raised to the hard one (``raise_file_limit``, the command line);
- a socket is refused at once (aborted as it is accepted) when the server holds ``max_sockets``
  (the file limit less ``RESERVED_FILES`` for the database, logs and listening sockets), or when its
  peer already has ``pending_per_address`` sockets in their opening handshake (a trusted proxy: the
  whole ``max_pending``), or when ``max_pending`` sockets are in their handshake in all;
- the handshake must be done within ``Limits.open_timeout``; a visitor must say hello within
  ``first_message_deadline``, an operator log in within ``login_deadline``;
- at most ``connections_per_address`` WebSocket connections per client address on each endpoint, and
  visitors together never more than leaves ``OPERATOR_RESERVE`` sockets for operators; of several nodes
  (``shared``), at most that many on all the site's nodes together (``shared_limits.py``: counts in
  Redis, this node's own cap still the first check). The other bounds are the node's own: they keep its
  file descriptors and memory, which no other node shares;
- every connection is pinged (``operator_ping_interval``, ``visitor_ping_interval``) and closed when its
  pong does not come within ``ping_timeout``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import resource
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import ServerConnection

from operator_desk.server.config import IpNetwork, Limits
from operator_desk.server.http import VISITOR_PATH

if TYPE_CHECKING:
    from operator_desk.server.shared_limits import SharedLimits

logger = logging.getLogger(__name__)

# File descriptors kept for what is not a client socket: the database and its WAL, the log, the
# listening sockets, the enrichment database, the event loop's own.
RESERVED_FILES = 64
# Sockets visitors can never take: operators can always sign in.
OPERATOR_RESERVE = 64
# RFC 6455 1013: try again later.
TRY_AGAIN_LATER = 1013


def raise_file_limit() -> int:
    """Raise the soft limit of open files to the hard limit; returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError) as exc:
            logger.warning("could not raise the open-file limit from %d: %s", soft, exc)
    return soft


def file_limit() -> int:
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Sockets:
    """The counts, and the decisions. Runs on the event loop only."""

    def __init__(self, limits: Limits, trusted: tuple[IpNetwork, ...], files: int,
                 shared: SharedLimits | None = None) -> None:
        self.limits = limits
        self.shared = shared
        self._trusted = trusted
        self.max_sockets = max(32, files - RESERVED_FILES)
        self.max_pending = max(limits.pending_per_address, self.max_sockets // 4)
        self.max_visitor_connections = max(1, self.max_sockets - self.max_pending - OPERATOR_RESERVE)
        self.open = 0
        self.pending: Counter[str] = Counter()
        self.pending_total = 0
        self.connections: dict[str, Counter[str]] = {"visitor": Counter(), "operator": Counter()}
        self.refused = 0  # sockets aborted as they were accepted, for the figures and tests

    def accept(self, peer: str) -> bool:
        """A socket was accepted from ``peer``: keep it (counted as pending) or refuse it."""
        cap = self.max_pending if self._is_trusted(peer) else self.limits.pending_per_address
        full = self.open >= self.max_sockets or self.pending_total >= self.max_pending
        if full or self.pending[peer] >= cap:
            self.refused += 1
            return False
        self.open += 1
        self.pending[peer] += 1
        self.pending_total += 1
        return True

    def handshaken(self, peer: str) -> None:
        self._unpend(peer)

    def closed(self, peer: str, pending: bool) -> None:
        self.open -= 1
        if pending:
            self._unpend(peer)

    def enter(self, endpoint: str, address: str) -> bool:
        """A WebSocket connection to ``endpoint`` ("visitor" or "operator") from the client ``address``:
        room for it, or not (then it is closed with 1013, try again later)."""
        counts = self.connections[endpoint]
        if counts[address] >= self.limits.connections_per_address:
            return False
        if endpoint == "visitor" and sum(counts.values()) >= self.max_visitor_connections:
            return False
        counts[address] += 1
        return True

    async def serve_within_limits(
        self,
        endpoint: str,
        connection: ServerConnection,
        address: str,
        serve: Callable[[ServerConnection, str], Awaitable[None]],
    ) -> None:
        """Run an endpoint's ``serve`` for a connection there is room for; close one there is not with
        1013 (try again later)."""
        if not self.enter(endpoint, address):
            logger.info("refused a %s connection: too many from one address, or in all", endpoint)
            await connection.close(TRY_AGAIN_LATER, "too many connections")
            return
        on_site = None
        try:
            if self.shared is not None:
                on_site = await self.shared.enter(endpoint, address, self.limits.connections_per_address)
                if on_site is False:
                    logger.info("refused a %s connection: too many from one address on the site", endpoint)
                    await connection.close(TRY_AGAIN_LATER, "too many connections")
                    return
            await serve(connection, address)
        finally:
            self.leave(endpoint, address)
            if on_site and self.shared is not None:
                await self.shared.leave(endpoint, address)

    def leave(self, endpoint: str, address: str) -> None:
        counts = self.connections[endpoint]
        counts[address] -= 1
        if counts[address] <= 0:
            del counts[address]

    def _unpend(self, peer: str) -> None:
        self.pending[peer] -= 1
        self.pending_total -= 1
        if self.pending[peer] <= 0:
            del self.pending[peer]

    def _is_trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self._trusted if network.version == address.version)


def guarded_connection(sockets: Sockets) -> type[ServerConnection]:
    """websockets' connection class, counting its socket from the moment it is accepted (websockets'
    ``create_connection``): a socket over the limits is aborted before a byte is read."""

    class GuardedConnection(ServerConnection):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            peername = transport.get_extra_info("peername")
            self._guard_peer = peername[0] if peername else ""
            self._guard_pending = sockets.accept(self._guard_peer)
            self._guard_counted = self._guard_pending
            super().connection_made(transport)
            if not self._guard_counted:
                transport.abort()

        async def handshake(self, *args: Any, **kwargs: Any) -> None:
            try:
                await super().handshake(*args, **kwargs)
            finally:
                if self._guard_pending:
                    self._guard_pending = False
                    sockets.handshaken(self._guard_peer)

        def start_keepalive(self) -> None:
            # Called once the handshake is done, so the path is known: visitors are pinged less often.
            if self.request is not None and self.request.path.split("?", 1)[0] == VISITOR_PATH:
                self.ping_interval = sockets.limits.visitor_ping_interval
            super().start_keepalive()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._guard_counted:
                self._guard_counted = False
                sockets.closed(self._guard_peer, self._guard_pending)
                self._guard_pending = False
            super().connection_lost(exc)
            _break_transport_cycle(self.transport)

    return GuardedConnection


def _break_transport_cycle(transport: asyncio.BaseTransport | None) -> None:
    """asyncio's selector transport keeps a bound method of itself (``_read_ready_cb``, CPython 3.11 to
    3.13), so every closed connection left a reference cycle (the transport, its dict, that method and
    two socket objects) that only a full collection frees: with visitors coming and going, garbage for a
    full collection to find, which at 10,000 visitors stops the loop for seconds (cli.py). The reader
    is gone once the connection is lost, so the method is never called again."""
    if getattr(transport, "_read_ready_cb", None) is not None:
        transport._read_ready_cb = None  # type: ignore[union-attr]
