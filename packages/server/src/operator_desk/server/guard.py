"""What every request passes before an endpoint handles it: the bounds a remote party meets, in one
place, so that a new action or endpoint passes through here and gets them too.

- text frames only (a binary frame closes the connection with 1003: ``is_text_frame``);
- rates, as token buckets: per connection and per client address for every request; per visitor (all
  their tabs together) by the class of the action (``ACTION_CLASSES``: an action not listed counts as a
  change); new visitors per client address. Over a rate the request is answered ``rate_limited`` and
  nothing is done; ``refusals_before_close`` of those in a row close the connection (1008);
- of several nodes, the address's and the visitor's rates and the new visitors are the site's: what
  this node admits draws on buckets in Redis too (``shared_limits.py``), so a party spread over the
  nodes meets the limits of one.

One visitor on one socket used to store 32,295 messages in 50 s and take the server from 56 MB to
1,296 MB; 10,270 hellos in 10 s left 10,270 stored visitors. The memory of the buckets is bounded too:
at most ``MAX_TRACKED`` visitors and addresses are remembered, the least recently seen forgotten first.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from websockets.asyncio.server import ServerConnection

from operator_desk.protocol import ErrorCode, ProtocolError
from operator_desk.server.auth import address_digest, address_key
from operator_desk.server.config import IpNetwork, Limits
from operator_desk.server.send_queue import SendQueue
from operator_desk.server.sockets import Sockets, file_limit

if TYPE_CHECKING:
    from operator_desk.server.shared_limits import SharedLimits

logger = logging.getLogger(__name__)

# RFC 6455 close code 1003: "received a type of data it cannot accept (a text-only endpoint received
# binary data)". Protocol v1 is text frames only.
UNSUPPORTED_DATA = 1003


def is_text_frame(frame: str | bytes, send_queue: SendQueue) -> bool:
    """Whether a frame received is one to handle. A binary frame is not protocol v1: the connection is
    closed with 1003 after what is queued (the caller then waits for ``send_queue.drained()`` and reads
    nothing more)."""
    if isinstance(frame, str):
        return True
    logger.info("closing a connection that sent a binary frame")
    send_queue.close_after(UNSUPPORTED_DATA, "text frames only")
    return False


def forwarded_address(peer: str, forwarded_for: str | None, trusted: tuple[IpNetwork, ...]) -> str:
    """The client's address: the peer, or, when the peer is a trusted proxy, the nearest address in
    ``X-Forwarded-For`` that is not itself a trusted proxy."""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return peer
    if not forwarded_for:
        return str(address)
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        if not any(address in network for network in trusted if network.version == address.version):
            break
        try:
            address = ipaddress.ip_address(hop)
        except ValueError:
            break
    return str(address)


def client_address(connection: ServerConnection, trusted: tuple[IpNetwork, ...]) -> str:
    """The address of the party at the other end (a visitor's browser, an operator's desk)."""
    peer = connection.remote_address[0] if connection.remote_address else ""
    forwarded = connection.request.headers.get("X-Forwarded-For") if connection.request else None
    return forwarded_address(peer, forwarded, trusted)


# -- rates ---------------------------------------------------------------------------------------------

# Which per-visitor budget a visitor action draws on. Not listed: "changes" (so a new action is bounded
# from the start); None: only the connection's and the address's budgets.
ACTION_CLASSES: dict[str, str | None] = {
    "visitor.hello": None,  # new visitors are counted per address, in ``Guard.new_visitor``
    "ping": None,
    "visitor.page": "pages",
    "chat.typing": "typing",
    "chat.start": "messages",
    "chat.send": "messages",
}
DEFAULT_CLASS = "changes"
MAX_TRACKED = 100_000
# Of several nodes, a node takes tokens from the site's bucket (shared_limits.py) a lease at a time: this
# part of the bucket's burst (at least one token). It is what a party spread over the nodes may get
# beyond the limit of one (a lease per other node), and how many requests share one call to Redis: an
# address's frames 30 of 600, a visitor's page views 4 of 20, messages 3 of 15, new visitors 3 of 30.
LEASE_PARTS = {"requests": 20, "new_visitors": 10}
VISITOR_LEASE_PART = 5
# Close code 1008 (policy violation) with this reason, for a connection that keeps going over its rates.
RATE_LIMITED_CLOSE = "rate limited"


class TokenBucket:
    """``rate`` tokens a second up to ``burst``; a request takes one."""

    __slots__ = ("burst", "rate", "tokens", "updated")

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens, self.updated = float(burst), now

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class Budget:
    """One connection's budget: its own bucket, its client address (and the key its address budget is
    kept under, worked out once: parsing the address for every frame was a tenth of the cost of a
    visitor's request; of several nodes, the name of the site's bucket too), and its refusals in a
    row."""

    __slots__ = ("address", "address_key", "bucket", "refusals", "site_key")

    def __init__(self, address: str, bucket: TokenBucket, shared: bool = False) -> None:
        self.address = address
        self.address_key = address_key(address)
        self.bucket = bucket
        self.refusals = 0
        # What the site's buckets of this address are named after in Redis: a digest, never the address.
        self.site_key = address_digest(self.address_key) if shared else ""


class Guard:
    """The decisions. Each ``admit_*`` and ``new_visitor`` raises ``rate_limited`` over a rate, and
    returns None when it decided at once, or, of several nodes (``shared``), what to await when the
    site's bucket in Redis must be asked (``shared_limits.py``): the caller awaits it before it goes on.
    Alone, every decision is made at once, in memory."""

    def __init__(
        self, limits: Limits, sockets: Sockets | None = None, clock: Callable[[], float] = time.monotonic,
        shared: SharedLimits | None = None,
    ) -> None:
        self.limits = limits
        # The socket counts (sockets.py); the endpoints ask it for room for each connection.
        self.sockets = sockets or Sockets(limits, (), file_limit())
        self._clock = clock
        self._addresses: OrderedDict[str, dict[str, TokenBucket]] = OrderedDict()
        self._visitors: OrderedDict[str, dict[str, TokenBucket]] = OrderedDict()
        # Each action class's (rate, burst), read from the limits once.
        self._class_rates = {
            kind: (getattr(limits, f"{kind}_per_second"), getattr(limits, f"{kind}_burst"))
            for kind in {*ACTION_CLASSES.values(), DEFAULT_CLASS} if kind is not None
        }
        # Of several nodes: the site's buckets, which every request this node admits draws on as well.
        self.shared = shared
        self.refused = 0  # requests refused for their rate, for the load figures and tests

    def budget(self, address: str) -> Budget:
        limits = self.limits
        return Budget(address, TokenBucket(limits.requests_per_second, limits.requests_burst, self._clock()),
                      shared=self.shared is not None)

    def admit_frame(self, budget: Budget) -> Awaitable[None] | None:
        """Count a frame (any: a malformed one costs as much), or refuse it (``rate_limited``) if it is
        over the connection's or the address's rate."""
        now = self._clock()
        limits = self.limits
        place = self._buckets(self._addresses, budget.address_key)
        over = not budget.bucket.take(now)
        if not over:
            over = not self._bucket(
                place, "requests", limits.address_requests_per_second, limits.address_requests_burst, now
            ).take(now)
        if over or self.shared is None:
            return self._decide(budget, over)
        return self._on_site(budget, "requests", budget.site_key, limits.address_requests_per_second,
                             limits.address_requests_burst)

    def admit_action(self, budget: Budget, action: str, visitor_id: str) -> Awaitable[None] | None:
        """Count a visitor's request by the class of its action, or refuse it."""
        kind = ACTION_CLASSES.get(action, DEFAULT_CLASS)
        if kind is None:
            return None
        now = self._clock()
        rate, burst = self._class_rates[kind]
        visitor = self._buckets(self._visitors, visitor_id)
        over = not self._bucket(visitor, kind, rate, burst, now).take(now)
        if over or self.shared is None:
            return self._decide(budget, over)
        return self._on_site(budget, kind, visitor_id, rate, burst)

    def new_visitor(self, budget: Budget) -> Awaitable[None] | None:
        """Count a new visitor from the budget's address, or refuse it: every new visitor is a stored row."""
        now = self._clock()
        limits = self.limits
        place = self._buckets(self._addresses, budget.address_key)
        rate = limits.new_visitors_per_minute / 60.0
        over = not self._bucket(place, "new_visitors", rate, limits.new_visitors_burst, now).take(now)
        if over or self.shared is None:
            return self._decide(budget, over)
        return self._on_site(budget, "new_visitors", budget.site_key, rate, limits.new_visitors_burst)

    def should_close(self, budget: Budget) -> bool:
        return budget.refusals >= self.limits.refusals_before_close

    def _on_site(
        self, budget: Budget, kind: str, key: str, rate: float, burst: int
    ) -> Awaitable[None] | None:
        """Admitted here: the site's bucket ``kind`` of ``key`` decides too (a token of this node's lease,
        or a new lease)."""
        assert self.shared is not None
        name = f"{kind}:{key}"
        if self.shared.spend(name):
            return self._decide(budget, False)
        return self._renew(budget, name, rate, burst, burst // LEASE_PARTS.get(kind, VISITOR_LEASE_PART))

    async def _renew(self, budget: Budget, name: str, rate: float, burst: int, lease_size: int) -> None:
        assert self.shared is not None
        self._decide(budget, not await self.shared.renew(name, rate, burst, lease_size))

    def _decide(self, budget: Budget, over: bool) -> None:
        if not over:
            budget.refusals = 0
            return
        budget.refusals += 1
        self.refused += 1
        raise ProtocolError(ErrorCode.RATE_LIMITED, "too many requests: slow down")

    @staticmethod
    def _buckets(table: OrderedDict[str, dict[str, TokenBucket]], key: str) -> dict[str, TokenBucket]:
        buckets = table.get(key)
        if buckets is not None:
            table.move_to_end(key)  # most recently seen last
            return buckets
        while len(table) >= MAX_TRACKED:
            table.popitem(last=False)
        buckets = table[key] = {}
        return buckets

    @staticmethod
    def _bucket(
        buckets: dict[str, TokenBucket], kind: str, rate: float, burst: int, now: float
    ) -> TokenBucket:
        bucket = buckets.get(kind)
        if bucket is None:
            bucket = buckets[kind] = TokenBucket(rate, burst, now)
        return bucket
