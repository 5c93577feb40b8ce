"""The bus of several nodes: one Redis stream (``--bus redis://...``; docs/scaling.md, "The bus").

Keys, below the site's prefix:

- ``PREFIX:events``: the stream. Entry ``N-0`` is the N-th event of the current epoch, with fields
  ``epoch``, ``node`` (who published it), ``subjects`` (the visitors it is about, space-separated) and
  ``body`` (the event, JSON). At most about ``max_events`` entries are kept (``MAXLEN ~``), none older
  than about ``max_age`` seconds, and the stream goes when nobody published for twice that.
- ``PREFIX:events:ages``: what cuts the stream by age: at most one mark a second (``N:MS``, entries up to
  N were in by Redis's time MS), at most ``max_age`` seconds of them; it goes with the stream.
- ``PREFIX:events:n``: the count that numbers the entries.
- ``PREFIX:epoch``: the epoch. Set when missing, so a Redis that restarted empty (persistence is off)
  gets a new one; a node that could not publish sets a new one too, since the others missed its events.
- ``PREFIX:readers``: how far each node has read (``node: N:MS``), so that ``forget_subject`` drops only
  what every node has read; a node not heard of for ``STALE_READER_MS`` is left out (and removed).
- ``PREFIX:claim:NAME``: a claim (``SET NX PX``), held for its seconds.
- ``PREFIX:rate:NAME``: a bucket of the site's rate limits (``shared_limits.py``), until it is full again.
- ``PREFIX:conns:NODE``, ``PREFIX:conns``: each node's connections per address (digests), and the nodes
  that count (``shared_limits.py``); a node's counts live ``counts_live`` seconds unless refreshed.

A reader follows the stream from where it joined. An entry of another epoch, or one that does not
follow the last by one (the stream was trimmed past it, or an erasure dropped it), means events may have
been missed: ``history_lost`` is called, and the reader goes on from the first entry of the new epoch.
Publishing numbers, stamps and appends in one script, so entries are numbered in the order they are
in the stream.

Redis must not persist (no RDB snapshots, no append-only file): the events carry what operators see
(names, messages), and the bus is no place to keep them; the database is. ``start`` refuses a Redis
that would write them to disk, or that does not say.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import deque

import msgspec
import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError, ResponseError

from operator_desk.server.bus import (
    BusUnavailable,
    ChatLimitSet,
    Deliver,
    Erasure,
    Event,
    HistoryLost,
    LoginAttempt,
    NodeAlive,
    NodeJoined,
    Presence,
    TabsLeft,
    decode_event,
    encode_event,
    new_epoch,
)
from operator_desk.server.shared_limits import SharedLimits

logger = logging.getLogger(__name__)

# Numbers, stamps and appends a batch of events, in their order, then cuts what is older than the max
# age. KEYS: stream, counter, epoch, ages. ARGV: max entries, an epoch to set if there is none, node id,
# max age in ms, then subjects and body of each event. One call per batch: a call per event cost Redis
# most of a core at a few thousand events a second. Returns the last number.
_PUBLISH = """
redis.call('SET', KEYS[3], ARGV[2], 'NX')
local epoch = redis.call('GET', KEYS[3])
local n = 0
for i = 5, #ARGV, 2 do
  n = redis.call('INCR', KEYS[2])
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], n .. '-0',
             'epoch', epoch, 'node', ARGV[3], 'subjects', ARGV[i], 'body', ARGV[i + 1])
end
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local max_age = tonumber(ARGV[4])
local newest = redis.call('LINDEX', KEYS[4], -1)
if not newest or ms - tonumber(string.match(newest, ':(%d+)$')) >= 1000 then
  redis.call('RPUSH', KEYS[4], n .. ':' .. ms)
end
local cut = 0
while true do
  local oldest = redis.call('LINDEX', KEYS[4], 0)
  if not oldest then break end
  local number, at = string.match(oldest, '^(%d+):(%d+)$')
  if ms - tonumber(at) <= max_age then break end
  cut = tonumber(number)
  redis.call('LPOP', KEYS[4])
end
if cut > 0 then redis.call('XTRIM', KEYS[1], 'MINID', (cut + 1) .. '-0') end
redis.call('PEXPIRE', KEYS[1], 2 * max_age)
redis.call('PEXPIRE', KEYS[4], 2 * max_age)
return n
"""
# Claims KEYS[1] for ARGV[1] for ARGV[2] ms unless held; returns the holder.
_CLAIM = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
return redis.call('GET', KEYS[1])
"""
# Drops every entry up to the last one about ARGV[1] (a visitor id): what stays is still gapless up to
# the newest entry. Unless ARGV[3] is 1 (at once), only what every reader in KEYS[2] heard of within
# ARGV[2] ms has read. Returns {entries dropped, 1 if that was all of them}.
_FORGET = """
local needle = ' ' .. ARGV[1] .. ' '
local target = 0
local cursor = '+'
while target == 0 do
  local entries = redis.call('XREVRANGE', KEYS[1], cursor, '-', 'COUNT', 256)
  for _, entry in ipairs(entries) do
    local fields = entry[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'subjects' and string.find(' ' .. fields[i + 1] .. ' ', needle, 1, true) then
        target = tonumber(string.match(entry[1], '^(%d+)'))
      end
    end
    if target > 0 then break end
  end
  if target > 0 or #entries < 256 then break end
  cursor = (tonumber(string.match(entries[#entries][1], '^(%d+)')) - 1) .. '-0'
end
if target == 0 then return {0, 1} end
local upto = target
if ARGV[3] ~= '1' then
  local now = redis.call('TIME')
  local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  local readers = redis.call('HVALS', KEYS[2])
  for _, value in ipairs(readers) do
    local number, at = string.match(value, '^(%d+):(%d+)$')
    if number and ms - tonumber(at) <= tonumber(ARGV[2]) and tonumber(number) < upto then
      upto = tonumber(number)
    end
  end
end
local dropped = redis.call('XTRIM', KEYS[1], 'MINID', (upto + 1) .. '-0')
if upto < target then return {dropped, 0} end
return {dropped, 1}
"""
# Records that node ARGV[1] has read up to ARGV[2], by Redis's clock; removes the readers not heard of
# within ARGV[3] ms. KEYS[1]: the readers.
_READ_UP_TO = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ms)
local readers = redis.call('HGETALL', KEYS[1])
for i = 1, #readers, 2 do
  local at = tonumber(string.match(readers[i + 1], ':(%d+)$'))
  if at == nil or ms - at > tonumber(ARGV[3]) then redis.call('HDEL', KEYS[1], readers[i]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""
# A reader not heard of for this long has stopped (a node reads at least every ``block_ms``): a
# forget does not wait for it.
STALE_READER_MS = 5000
# How often at most a reader says how far it has read, in seconds.
TELL_POSITION_EVERY = 0.05
# How long a forget waits at most for every reader to read what it drops: past it, it drops at once,
# and a node still behind is told its history was lost (it resyncs; never a silent gap).
FORGET_WAIT = 5.0


def _subjects(event: Event) -> str:
    """The visitors whose data an event carries, as the stream's ``subjects`` field (``forget_subject``
    drops up to the last of these). Not an erasure's: it carries ids only, and it must stay in the stream
    for the nodes that have not read it yet."""
    if isinstance(event, (Erasure, NodeJoined, NodeAlive, LoginAttempt, Presence, ChatLimitSet, TabsLeft)):
        return ""   # an operator's presence and limit: about no visitor
    return " ".join(event.subjects)


def _settle(waiting: deque[tuple[int, asyncio.Future[None]]], reached: int | None) -> None:
    """Resolve the waits (oldest first, each for a count) that ``reached`` satisfies; every one for
    None."""
    while waiting and (reached is None or waiting[0][0] <= reached):
        _, done = waiting.popleft()
        if not done.done():
            done.set_result(None)


class RedisBus:
    alone = False

    def __init__(self, url: str, *, prefix: str = "operator-desk", node_id: str | None = None,
                 max_events: int = 20_000, max_age: float = 60.0, max_pending: int = 10_000,
                 block_ms: int = 1000) -> None:
        self.node_id = node_id or f"node_{secrets.token_hex(4)}"
        self._redis = redis_asyncio.Redis.from_url(url)
        self._prefix = prefix
        self._stream = f"{prefix}:events"
        self._counter = f"{prefix}:events:n"
        self._ages = f"{prefix}:events:ages"
        self._readers = f"{prefix}:readers"
        self._epoch_key = f"{prefix}:epoch"
        self._claim_prefix = f"{prefix}:claim:"
        self._max_events = max_events
        self._max_age_ms = max(1000, int(max_age * 1000))
        self._block_ms = block_ms
        # Events published and not yet in the stream: bounded; past it the node cannot keep up with the
        # bus, the events are dropped and the epoch changes (every node resyncs).
        self._pending: asyncio.Queue[Event] = asyncio.Queue(maxsize=max_pending)
        # Events put in ``_pending`` and events done with (in the stream, or dropped), counted: ``flush``
        # waits for the count it saw; ``caught_up`` for the stream's number it read.
        self._published = 0
        self._written = 0
        self._flushes: deque[tuple[int, asyncio.Future[None]]] = deque()
        self._catch_ups: deque[tuple[int, asyncio.Future[None]]] = deque()
        # The site's limits, as this node takes from them (made when the guard asks for them).
        self._shared: SharedLimits | None = None
        # The forgets under way (``forget_subject``).
        self._forgetting: set[asyncio.Task[None]] = set()
        # When this node last said how far it has read (loop time), and what it said.
        self._position_told = 0.0
        self._position = -1
        self._publish = self._redis.register_script(_PUBLISH)
        self._claim = self._redis.register_script(_CLAIM)
        self._forget = self._redis.register_script(_FORGET)
        self._read_up_to = self._redis.register_script(_READ_UP_TO)
        self._epoch = ""
        self._last = 0
        self._lost_publishing = False
        self._closing = False
        self._tasks: list[asyncio.Task[None]] = []
        self._deliver: Deliver | None = None
        self._history_lost: HistoryLost | None = None

    @property
    def epoch(self) -> str:
        return self._epoch

    async def start(self, deliver: Deliver, history_lost: HistoryLost) -> None:
        try:
            await self._refuse_persistence()
            await self._redis.set(self._epoch_key, new_epoch(), nx=True)
            # Join at the end of the stream: what came before is history this node never promised.
            epoch, last = await self._redis.mget(self._epoch_key, self._counter)
        except RedisError as exc:
            raise BusUnavailable(f"the bus at Redis is unreachable: {type(exc).__name__}") from exc
        self._epoch = epoch.decode()
        self._last = int(last or 0)
        self._deliver, self._history_lost = deliver, history_lost
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._read(), name="bus reader"),
                       loop.create_task(self._write(), name="bus writer")]

    async def _refuse_persistence(self) -> None:
        try:
            save = await self._redis.config_get("save")
            appendonly = await self._redis.config_get("appendonly")
        except ResponseError as exc:
            raise BusUnavailable("Redis does not say whether it persists (CONFIG GET refused): the bus "
                                 "needs one that keeps nothing on disk (save \"\", appendonly no)") from exc
        if save.get(b"save", save.get("save", b"")) not in (b"", "") or \
                appendonly.get(b"appendonly", appendonly.get("appendonly", b"no")) not in (b"no", "no"):
            raise BusUnavailable("Redis persists to disk (save or appendonly is on): the bus carries what "
                                 "operators see and must keep nothing on disk; run it with --save '' "
                                 "--appendonly no")

    def publish(self, event: Event) -> None:
        try:
            self._pending.put_nowait(event)
            self._published += 1
        except asyncio.QueueFull:
            if not self._lost_publishing:
                logger.error("the bus falls behind: %d events wait; dropping them, every node resyncs",
                             self._pending.qsize())
            self._lost_publishing = True
            self._drop_pending()

    async def flush(self) -> None:
        target = self._published
        if self._written >= target:
            return
        done = asyncio.get_running_loop().create_future()
        self._flushes.append((target, done))
        await done

    def _done_with(self, count: int) -> None:
        self._written += count
        _settle(self._flushes, self._written)

    async def caught_up(self) -> None:
        try:
            newest = int(await self._redis.get(self._counter) or 0)
        except RedisError:
            return   # the reader finds out too, and tells the hub if events were missed
        if self._last >= newest or not self._tasks:
            return
        done = asyncio.get_running_loop().create_future()
        self._catch_ups.append((newest, done))
        await done

    async def claim(self, name: str, owner: str, seconds: float) -> str:
        milliseconds = max(1, int(seconds * 1000))
        holder = await self._claim(keys=[self._claim_prefix + name], args=[owner, milliseconds])
        return holder.decode() if isinstance(holder, bytes) else str(holder)

    def forget_subject(self, visitor_id: str) -> asyncio.Future[int]:
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        task = asyncio.get_running_loop().create_task(self._drop_about(visitor_id, done), name="bus forget")
        self._forgetting.add(task)
        task.add_done_callback(self._forgetting.discard)
        return done

    async def _drop_about(self, visitor_id: str, done: asyncio.Future[int]) -> None:
        """Once what this node published is in the stream: drop every entry up to the newest about the
        visitor, as soon as every node has read it (at most ``FORGET_WAIT`` seconds, then at once), and
        look once more a moment later, for what another node published from its copy of the visitor
        before it heard of the change (a withdrawal)."""
        dropped = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + FORGET_WAIT
        looked_again = False
        try:
            await self.flush()
            while True:
                at_once = loop.time() >= deadline
                try:
                    count, whole = await self._forget(keys=[self._stream, self._readers],
                                                      args=[visitor_id, STALE_READER_MS, int(at_once)])
                    dropped += int(count)
                    if at_once or (int(whole) and looked_again):
                        return
                    looked_again = bool(int(whole))
                except RedisError as exc:
                    if at_once:
                        logger.warning("the bus could not drop what it holds about a visitor (%s): it "
                                       "goes with the stream's bounds", type(exc).__name__)
                        return
                await asyncio.sleep(TELL_POSITION_EVERY)
        finally:
            if not done.done():
                done.set_result(dropped)

    def shared_limits(self) -> SharedLimits:
        if self._shared is None:
            self._shared = SharedLimits(self._redis, self._prefix, self.node_id)
        return self._shared

    async def close(self) -> None:
        """Publish what waits (for at most a second), then stop. The reader is not cancelled in the
        middle of a command (redis-py's client then hangs on close): it stops after its current read,
        within ``block_ms``."""
        self._closing = True
        if self._shared is not None:
            # First: nothing of this node uses the client once it is closed below.
            await self._shared.close()
        if self._tasks:
            reader, writer = self._tasks
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.flush(), 1.0)
            writer.cancel()
            await asyncio.gather(reader, writer, return_exceptions=True)
            with contextlib.suppress(RedisError):
                await self._redis.hdel(self._readers, self.node_id)
        self._tasks = []
        for task in list(self._forgetting):
            task.cancel()
        await asyncio.gather(*self._forgetting, return_exceptions=True)
        _settle(self._flushes, None)
        _settle(self._catch_ups, None)
        await self._redis.aclose()

    # -- writing --------------------------------------------------------------------------------------

    def _drop_pending(self) -> None:
        dropped = 0
        while not self._pending.empty():
            self._pending.get_nowait()
            self._pending.task_done()
            dropped += 1
        self._done_with(dropped)

    async def _write(self) -> None:
        backoff = 0.05
        while True:
            batch = [await self._pending.get()]
            while not self._pending.empty() and len(batch) < 500:
                batch.append(self._pending.get_nowait())
            try:
                if self._lost_publishing:
                    # The other nodes missed what this one could not publish: a new epoch tells them.
                    await self._redis.set(self._epoch_key, new_epoch())
                    self._lost_publishing = False
                args: list[str | bytes | int] = [self._max_events, new_epoch(), self.node_id,
                                                 self._max_age_ms]
                for event in batch:
                    args += [_subjects(event), encode_event(event)]
                await self._publish(keys=[self._stream, self._counter, self._epoch_key, self._ages],
                                    args=args)
                backoff = 0.05
            except RedisError as exc:
                logger.warning("the bus could not publish %d events (%s); every node resyncs", len(batch),
                               type(exc).__name__)
                self._lost_publishing = True
                self._drop_pending()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
            finally:
                for _ in batch:
                    self._pending.task_done()
                self._done_with(len(batch))

    # -- reading --------------------------------------------------------------------------------------

    async def _read(self) -> None:
        backoff = 0.05
        while not self._closing:
            try:
                answer = await self._redis.xread({self._stream: f"{self._last}-0"}, count=500,
                                                 block=await self._tell_position())
                if not answer:
                    await self._check_epoch()
                for _stream, entries in answer:
                    for entry_id, fields in entries:
                        self._take(entry_id, fields)
                backoff = 0.05
            except RedisError as exc:
                logger.warning("the bus reader lost Redis (%s); retrying", type(exc).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
                try:
                    await self._check_epoch()
                except RedisError:
                    pass

    async def _tell_position(self) -> int:
        """Say how far this node has read, so that a forget drops only what every node has read: within
        ``TELL_POSITION_EVERY`` of reading more, and at least every ``block_ms`` (alive). Returns how long
        the next read may wait for events, in ms: until the next time to say it."""
        now = asyncio.get_running_loop().time()
        since = now - self._position_told
        if self._last != self._position or since >= self._block_ms / 1000:
            if since < TELL_POSITION_EVERY:
                return max(1, int((TELL_POSITION_EVERY - since) * 1000))
            self._position_told, self._position = now, self._last
            await self._read_up_to(keys=[self._readers], args=[self.node_id, self._last, STALE_READER_MS])
        return self._block_ms

    async def _check_epoch(self) -> None:
        """Between entries: has the stream been lost (Redis restarted empty) or renewed?"""
        await self._redis.set(self._epoch_key, new_epoch(), nx=True)
        current = (await self._redis.get(self._epoch_key) or b"").decode()
        if current != self._epoch:
            self._lose_history(current, 0, "the bus's stream began a new epoch")

    def _take(self, entry_id: bytes, fields: dict[bytes, bytes]) -> None:
        number = int(entry_id.split(b"-", 1)[0])
        epoch = fields.get(b"epoch", b"").decode()
        if epoch != self._epoch:
            # Entries of the new epoch before this one may be gone already: start the epoch over here.
            self._lose_history(epoch, number - 1, "the bus's stream began a new epoch")
        elif number != self._last + 1:
            self._lose_history(epoch, number - 1, f"{number - self._last - 1} bus events were dropped")
        self._last = number
        _settle(self._catch_ups, number)
        assert self._deliver is not None
        try:
            event = decode_event(fields.get(b"body", b""))
        except msgspec.DecodeError:
            logger.error("bus entry %s is not an event: skipped, this node resyncs", number)
            self._lose_history(self._epoch, number, "a bus event could not be read")
            return
        try:
            self._deliver(event)
        except Exception as exc:  # one event that fails to apply must not stop the node hearing the rest
            logger.error("bus event %s could not be applied (%s)", number, type(exc).__name__)

    def _lose_history(self, epoch: str, last: int, reason: str) -> None:
        # Logged by whoever is told (the hub, with what it does about it).
        self._epoch, self._last = epoch, last
        _settle(self._catch_ups, None)   # what they waited for is lost: the sessions resync
        assert self._history_lost is not None
        self._history_lost(reason)
