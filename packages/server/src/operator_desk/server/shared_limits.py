"""Rate limits shared by the nodes of one site (docs/scaling.md, "Limits across nodes"): token buckets
in Redis, each node taking tokens from them a lease at a time.

Every node keeps its own buckets (``guard.py``) as it does alone: the first check, decided in memory.
A request they admit then takes a token from its lease, the tokens this node took from the site's
bucket in Redis and has not used yet; only when the lease is empty does the node ask Redis for more
(``_TAKE``: one atomic script; up to ``lease_size`` tokens, as many as the site's bucket holds). So a
party spread over N nodes by a load balancer meets one limit: every request admitted on any node spent
a token the site's bucket granted. A lease is a small part of its bucket's burst (the guard's
``LEASE_PARTS``), and what it changes is bounded by it: tokens leased on one node and not spent there
are missing on the others (the limit is stricter by at most a lease per node), and a node may spend
them after the site's bucket refilled (looser by at most a lease per node, ``lease_size - 1``).

The buckets are named by the guard (``Guard``): an address's by a digest of it (Redis holds no address),
a visitor's by their pseudonymous id and the class of action. Each key lives only until its bucket would
be full again (``PEXPIRE``), when a missing key means the same: a full bucket. Memory in Redis is
bounded by the parties active in that time; on each node by ``MAX_TRACKED`` leases (least recently used
dropped first).

Redis unreachable (or slower than ``timeout``): the node goes on alone, on its own buckets, for
``retry_after`` seconds before it asks again. So a Redis outage makes the limits per node (a party
spread over N nodes meets N times them, each node still bounding what it holds), never unbounded and
never a refusal of everyone: the bus is down too then, and the site is degraded anyway.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError

from operator_desk.server.auth import address_digest

logger = logging.getLogger(__name__)

# For each bucket KEYS[i], takes up to ARGV[3i] tokens (rate ARGV[3i-2] a second, up to ARGV[3i-1]), by
# Redis's own clock (the nodes' clocks need not agree); returns how many it took of each. Each key
# expires when its bucket would be full again.
_TAKE = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local taken = {}
for i = 1, #KEYS do
  local rate, burst, wanted = tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  local held = redis.call('HMGET', KEYS[i], 't', 'at')
  local tokens = tonumber(held[1]) or burst
  local at = tonumber(held[2]) or ms
  tokens = math.min(burst, tokens + math.max(0, ms - at) * rate / 1000)
  taken[i] = math.min(wanted, math.floor(tokens))
  tokens = tokens - taken[i]
  redis.call('HSET', KEYS[i], 't', tostring(tokens), 'at', ms)
  redis.call('PEXPIRE', KEYS[i], math.ceil((burst - tokens) * 1000 / rate) + 1000)
end
return taken
"""
# Counts one more connection of a client address (field ARGV[2], "ENDPOINT:DIGEST") on node ARGV[1]
# unless the site's nodes hold ARGV[3] of them already; returns 1 if counted. KEYS[1]: the set of nodes
# that count; each node's counts are the hash ARGV[5] .. NODE, which lives ARGV[4] ms unless refreshed
# (a node that died stops counting with it).
_ENTER = """
local held = 0
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local counts = ARGV[5] .. node
  if redis.call('EXISTS', counts) == 0 then
    redis.call('SREM', KEYS[1], node)
  else
    held = held + (tonumber(redis.call('HGET', counts, ARGV[2])) or 0)
  end
end
if held >= tonumber(ARGV[3]) then return 0 end
local own = ARGV[5] .. ARGV[1]
redis.call('HINCRBY', own, ARGV[2], 1)
redis.call('PEXPIRE', own, ARGV[4])
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
"""
# One connection less: KEYS[1] the node's counts, ARGV[1] the field.
_LEAVE = """
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1
"""
# The node's counts as it holds them (KEYS[1], replaced whole: whatever a lost call left wrong is right
# again), kept ARGV[1] ms more; KEYS[2] the set of nodes; ARGV[2] the node; then field, count pairs.
_REFRESH = """
redis.call('DEL', KEYS[1])
if #ARGV > 2 then
  for first = 3, #ARGV, 1000 do   -- unpack takes a bounded number of values at a time
    redis.call('HSET', KEYS[1], unpack(ARGV, first, math.min(first + 999, #ARGV)))
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('SADD', KEYS[2], ARGV[2])
end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
"""
MAX_TRACKED = 100_000
# At most this many buckets in one call to Redis.
MAX_ASKED = 500


def connection_field(endpoint: str, address: str) -> str:
    """What a node's connection counts are kept under: the endpoint and a digest of the address (Redis
    holds no address)."""
    return f"{endpoint}:{address_digest(address)}"


class Lease:
    """Tokens this node took from one site bucket and has not spent; ``renewing`` while it asks for more
    (other requests of the same party wait for that answer instead of asking too)."""

    __slots__ = ("renewing", "tokens")

    def __init__(self) -> None:
        self.tokens = 0
        self.renewing: asyncio.Future[None] | None = None


class SharedLimits:
    """The site's buckets, as one node takes from them. Runs on the event loop only."""

    def __init__(self, redis: Any, prefix: str, node_id: str, *, timeout: float = 0.25,
                 retry_after: float = 5.0, counts_live: float = 15.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:rate:"
        self._take = redis.register_script(_TAKE)
        self.node_id = node_id
        self._nodes_key = f"{prefix}:conns"
        self._counts_prefix = f"{prefix}:conns:"
        self._counts_key = self._counts_prefix + node_id
        self._counts_live_ms = int(counts_live * 1000)
        self._enter = redis.register_script(_ENTER)
        self._leave = redis.register_script(_LEAVE)
        self._refresh = redis.register_script(_REFRESH)
        self._timeout = timeout
        self._retry_after = retry_after
        self._clock = clock
        self._leases: OrderedDict[str, Lease] = OrderedDict()
        # The leases asked for in this loop step (bucket, then rate, burst and lease size), sent in one
        # call at its end (a call to Redis costs the node far more CPU than the script costs Redis), and
        # the answers of that call; the calls under way.
        self._asking: dict[str, tuple[float, int, int]] = {}
        self._answers: asyncio.Future[dict[str, int]] | None = None
        self._calls: set[asyncio.Task[None]] = set()
        # While Redis does not answer: the monotonic time until which this node decides alone.
        self._alone_until = 0.0
        # Closed with the bus: from then on the node decides alone and never calls Redis again.
        self._closed = False
        self.asked = 0  # calls to Redis, for the figures and tests

    @property
    def alone(self) -> bool:
        return self._closed or self._clock() < self._alone_until

    def spend(self, name: str) -> bool:
        """A token of the lease of bucket ``name``, if it holds one (or Redis is away: this node decides
        alone); False: ask for more (``renew``)."""
        lease = self._leases.get(name)
        if lease is not None and lease.tokens > 0:
            lease.tokens -= 1
            self._leases.move_to_end(name)
            return True
        return self.alone

    async def renew(self, name: str, rate: float, burst: int, lease_size: int) -> bool:
        """Take a new lease (up to ``lease_size`` tokens) from the site's bucket ``name`` and spend a token
        of it: False when the site's bucket is empty (the request is over the site's rate)."""
        while True:
            lease = self._lease(name)
            if lease.tokens > 0:
                lease.tokens -= 1
                return True
            if lease.renewing is None:
                break
            await asyncio.shield(lease.renewing)   # another request of this party asked: its answer
        if self.alone:
            return True
        lease.renewing = asyncio.get_running_loop().create_future()
        try:
            taken = await self._ask(name, (rate, burst, max(1, lease_size)))
        except (RedisError, TimeoutError) as exc:
            self._away(exc)
            return True
        finally:
            lease.renewing.set_result(None)
            lease.renewing = None
        if taken <= 0:
            return False
        lease.tokens += taken - 1
        return True

    async def _ask(self, name: str, bucket: tuple[float, int, int]) -> int:
        """Tokens taken from the site's bucket ``name``: what this loop step asks goes in one call."""
        self._asking[name] = bucket
        answers = self._answers
        if answers is None:
            answers = self._answers = asyncio.get_running_loop().create_future()
            # Read here if nobody waits any more (their requests were cancelled): never "not retrieved".
            answers.add_done_callback(lambda done: done.cancelled() or done.exception())
            asyncio.get_running_loop().call_soon(self._send)
        if len(self._asking) >= MAX_ASKED:
            self._send()
        return (await asyncio.shield(answers))[name]

    def _send(self) -> None:
        asking, answers = self._asking, self._answers
        if answers is None:
            return   # sent already, when it was full
        self._asking, self._answers = {}, None
        call = asyncio.get_running_loop().create_task(self._call(asking, answers), name="shared limits")
        self._calls.add(call)
        call.add_done_callback(self._calls.discard)

    async def _call(self, asking: dict[str, tuple[float, int, int]],
                    answers: asyncio.Future[dict[str, int]]) -> None:
        if self._closed:   # closed while this call waited for its loop step: decided alone
            answers.set_exception(RedisError("the shared limits are closed"))
            return
        self.asked += 1
        try:
            async with asyncio.timeout(self._timeout):
                taken = await self._take(keys=[self._prefix + name for name in asking],
                                         args=[value for bucket in asking.values() for value in bucket])
            answers.set_result({name: int(count) for name, count in zip(asking, taken, strict=True)})
        except (RedisError, TimeoutError) as exc:
            answers.set_exception(exc)
        except asyncio.CancelledError:
            answers.cancel()   # the node is closing: its requests end with it
            raise

    # -- connections --------------------------------------------------------------------------------

    async def enter(self, endpoint: str, address: str, cap: int) -> bool | None:
        """One more connection of the address on ``endpoint``, if the site's nodes hold fewer than
        ``cap``: True (counted), False (the site holds ``cap``: refuse it), None (Redis away: this node
        decides alone, and the connection is not counted on the site)."""
        if self.alone:
            return None
        try:
            async with asyncio.timeout(self._timeout):
                counted = await self._enter(
                    keys=[self._nodes_key],
                    args=[self.node_id, connection_field(endpoint, address), cap, self._counts_live_ms,
                          self._counts_prefix])
        except (RedisError, TimeoutError) as exc:
            self._away(exc)
            return None
        return bool(int(counted))

    async def leave(self, endpoint: str, address: str) -> None:
        """A connection ``enter`` counted is gone (a failure here is healed by the next ``refresh``)."""
        if self._closed:
            return
        try:
            async with asyncio.timeout(self._timeout):
                await self._leave(keys=[self._counts_key], args=[connection_field(endpoint, address)])
        except (RedisError, TimeoutError) as exc:
            self._away(exc)

    async def refresh(self, counts: dict[str, dict[str, int]]) -> None:
        """Write this node's connection counts whole (``counts``: endpoint, then address, then count)
        and keep them ``counts_live`` seconds more: called every few seconds while the node runs."""
        pairs: list[str | int] = []
        for endpoint, per_address in counts.items():
            for address, count in per_address.items():
                if count > 0:
                    pairs += [connection_field(endpoint, address), count]
        if self._closed:
            return
        try:
            async with asyncio.timeout(self._timeout):
                await self._refresh(keys=[self._counts_key, self._nodes_key],
                                    args=[self._counts_live_ms, self.node_id, *pairs])
        except (RedisError, TimeoutError) as exc:
            self._away(exc)

    async def close(self) -> None:
        """This node stops: its counts go at once, and it calls Redis no more."""
        if self._closed:
            return
        self._closed = True
        for call in list(self._calls):
            call.cancel()
        await asyncio.gather(*self._calls, return_exceptions=True)
        try:
            async with asyncio.timeout(self._timeout):
                await self._redis.delete(self._counts_key)
        except (RedisError, TimeoutError):
            pass

    def _away(self, exc: BaseException) -> None:
        if not self.alone:
            logger.warning("the shared limits in Redis failed (%s): this node limits alone for %.0f s",
                           type(exc).__name__, self._retry_after)
        self._alone_until = self._clock() + self._retry_after

    def _lease(self, name: str) -> Lease:
        lease = self._leases.get(name)
        if lease is not None:
            self._leases.move_to_end(name)
            return lease
        while len(self._leases) >= MAX_TRACKED:
            self._leases.popitem(last=False)
        lease = self._leases[name] = Lease()
        return lease
