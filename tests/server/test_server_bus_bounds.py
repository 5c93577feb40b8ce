"""What the bus leaves in Redis, and for how long (docs/scaling.md, "What Redis holds"): a withdrawal of
consent drops from the stream what that consent covered, read back with a raw Redis client; every key
the nodes write is bounded, by a lifetime or by being one of a fixed few; the stream keeps at most its
number of entries, and none older than its age."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import msgspec
import pytest
import pytest_asyncio

from operator_desk.server.bus import OperatorPush
from operator_desk.server.redis_bus import STALE_READER_MS, RedisBus
from tests.kit.clients import login
from tests.kit.cluster import Site, started_nodes
from tests.kit.timing import WAIT
from tests.kit.visitors import arrive, consent, waiting_chat

pytestmark = [pytest.mark.asyncio, pytest.mark.postgresql_only]

PREFIX = "operator-desk"
IP = "203.0.113.58"


@pytest_asyncio.fixture
async def site(tmp_path, redis_server) -> AsyncIterator[Site]:
    async with started_nodes(tmp_path, redis_server.url) as nodes:
        yield nodes


def stream_text(redis_server) -> bytes:
    """Every field of every entry of the bus's stream, as Redis holds it."""
    client = redis_server.client()
    try:
        return b"".join(b"".join(fields.values()) for _, fields in client.xrange(f"{PREFIX}:events"))
    finally:
        client.close()


async def test_a_withdrawal_of_insights_leaves_no_address_in_redis(site, redis_server):
    a, b = site
    ben = await login(b, "ben")
    await ben.ok("visitors.subscribe")
    visitor = await arrive(a, ip=IP)
    await consent(visitor, "visitor_insights", granted=True, method="widget_settings")
    await ben.push("visitor.upsert", lambda p: p["visitor"]["insights"] is not None)
    assert IP.encode() in stream_text(redis_server)   # the stream carried it to node B

    await consent(visitor, "visitor_insights", granted=False, method="widget_settings")
    gated = await ben.push("visitor.upsert", lambda p: p["visitor"]["id"] == visitor.visitor_id
                           and p["visitor"]["insights"] is None)
    assert gated["visitor"]["consent"]["visitor_insights"] is False
    assert IP.encode() not in stream_text(redis_server)
    # No node lost its history over it: ben's desk was not told to resync.
    await ben.ok("ping")
    assert not ben.closed.done()
    await visitor.close()


async def test_a_withdrawal_of_chat_consent_leaves_no_name_or_message_in_redis(site, redis_server):
    a, b = site
    ben = await login(b, "ben")
    await ben.ok("visitors.subscribe")
    visitor, chat = await waiting_chat(a, name="Wanda Withdrawn", email="wanda@example.com",
                                       message="Call me on my mobile")
    await ben.ok("chat.accept", {"chat_id": chat["id"]})
    assert b"Wanda Withdrawn" in stream_text(redis_server)

    await consent(visitor, "chat", granted=False, method="widget_settings")
    await ben.push("consent.changed", lambda p: p["visitor_id"] == visitor.visitor_id)
    held = stream_text(redis_server)
    for covered in (b"Wanda Withdrawn", b"wanda@example.com", b"Call me on my mobile"):
        assert covered not in held
    await visitor.close()


async def test_every_key_the_nodes_write_in_redis_is_bounded(site, redis_server):
    a, b = site
    ann, ben = await login(a, "ann"), await login(b, "ben")
    visitor, chat = await waiting_chat(a, consents=("chat", "visitor_insights"), message="Hello?")
    await ben.ok("chat.accept", {"chat_id": chat["id"]})                 # a claim
    await visitor.ok("chat.send", {"client_msg_id": "v2", "text": "Still there?"})   # rate buckets
    await ben.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "b1", "text": "Yes."})
    await consent(visitor, "visitor_insights", granted=False, method="widget_settings")  # a forget
    await ann.ok("ping")
    client = redis_server.client()
    try:
        lifetimes = {key.decode(): client.pttl(key) for key in client.scan_iter(f"{PREFIX}:*")}
    finally:
        client.close()
    # One each, whatever the site does: no lifetime needed.
    fixed = {f"{PREFIX}:events:n", f"{PREFIX}:epoch"}
    bounds = {  # the longest each family of keys may live, in ms
        f"{PREFIX}:events": 2 * 60_000, f"{PREFIX}:events:ages": 2 * 60_000,
        f"{PREFIX}:readers": STALE_READER_MS, f"{PREFIX}:claim:": 30_000, f"{PREFIX}:rate:": 61_000,
        f"{PREFIX}:conns": 15_000, f"{PREFIX}:conns:": 15_000,
    }
    assert fixed <= set(lifetimes)
    assert any(key.startswith(f"{PREFIX}:claim:") for key in lifetimes)
    assert any(key.startswith(f"{PREFIX}:rate:") for key in lifetimes)
    assert any(key.startswith(f"{PREFIX}:conns:") for key in lifetimes)
    for key, lifetime in lifetimes.items():
        if key in fixed:
            continue
        family = key if key in bounds else key[:key.index(":", len(PREFIX) + 1) + 1]
        assert family in bounds, f"{key} has no bound"
        assert 0 < lifetime <= bounds[family], key
    await visitor.close()


def numbered(n: int) -> OperatorPush:
    return OperatorPush(action="chat.message", payload=msgspec.Raw(b'{"n":%d}' % n), subjects=("v_someone",))


async def test_the_stream_keeps_at_most_its_number_of_entries_and_none_older_than_its_age(redis_server):
    bus = RedisBus(redis_server.url, node_id="a", max_events=200, block_ms=100)
    await bus.start(lambda event: None, lambda reason: None)
    client = redis_server.client()
    try:
        for n in range(2000):
            bus.publish(numbered(n))
        await bus.flush()
        # MAXLEN ~ trims whole nodes of the stream (100 entries each): about the bound, never the 2,000.
        assert 200 <= client.xlen(f"{PREFIX}:events") <= 300
        # Entries up to the newest were in 10 minutes ago, by the ages' mark: the next publish cuts them.
        newest = int(client.get(f"{PREFIX}:events:n"))
        seconds, micros = client.time()
        client.lpush(f"{PREFIX}:events:ages", f"{newest}:{seconds * 1000 + micros // 1000 - 600_000}")
        bus.publish(numbered(2000))
        await bus.flush()
        assert [entry_id for entry_id, _ in client.xrange(f"{PREFIX}:events")] == [f"{newest + 1}-0".encode()]
    finally:
        client.close()
        await bus.close()


async def test_a_forget_waits_for_every_node_to_read_what_it_drops(redis_server):
    """Dropping entries a node has not read would cost that node its history (it resyncs every desk):
    a forget waits for every reader heard of lately, and leaves out one that is not."""
    bus = RedisBus(redis_server.url, node_id="a", block_ms=100)
    await bus.start(lambda event: None, lambda reason: None)
    client = redis_server.client()

    def reader_at(number: int, ago_ms: int = 0) -> None:
        seconds, micros = client.time()
        client.hset(f"{PREFIX}:readers", "laggard", f"{number}:{seconds * 1000 + micros // 1000 - ago_ms}")

    try:
        bus.publish(numbered(1))
        bus.publish(OperatorPush(action="chat.message", payload=msgspec.Raw(b"{}"), subjects=("v_other",)))
        await bus.flush()
        first = int(client.get(f"{PREFIX}:events:n")) - 1
        reader_at(first - 1)   # a node that has not read the entry about v_someone yet
        forgotten = bus.forget_subject("v_someone")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(asyncio.shield(forgotten), 0.3)
        assert client.xlen(f"{PREFIX}:events") >= 2
        reader_at(first)       # it has now
        assert await asyncio.wait_for(forgotten, WAIT) >= 1
        assert b"v_someone" not in b"".join(f[b"subjects"] for _, f in client.xrange(f"{PREFIX}:events"))
        # A reader not heard of for longer than STALE_READER_MS is not waited for.
        bus.publish(numbered(2))
        await bus.flush()
        reader_at(0, ago_ms=STALE_READER_MS + 1000)
        assert await asyncio.wait_for(bus.forget_subject("v_someone"), WAIT) >= 1
    finally:
        client.close()
        await bus.close()
