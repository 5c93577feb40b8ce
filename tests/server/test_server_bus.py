"""The bus between nodes (server/bus.py, server/redis_bus.py): two nodes on one real Redis hear every
event once and in one order, a claim is decided once, a lost history is never silent (the epoch
changes and each node is told), an erasure leaves nothing about the person in Redis, and a Redis that
would write events to disk is refused. ``LocalBus``, one node, hands events over at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import msgspec
import pytest
import pytest_asyncio

from operator_desk.server import cli
from operator_desk.server.bus import (
    BUS_VARIABLE,
    Erasure,
    Event,
    LocalBus,
    OperatorPush,
    bus_location,
    decode_event,
    encode_event,
    open_bus,
)
from operator_desk.server.config import ConfigError
from operator_desk.server.redis_bus import BusUnavailable, RedisBus
from tests.kit.redis import RedisServer
from tests.kit.servers import start
from tests.kit.timing import WAIT

# Losing Redis on purpose logs warnings.
pytestmark = [pytest.mark.asyncio, pytest.mark.allow_log_warnings]


class Node:
    """A bus as one node holds it: what it was handed, and each history loss it was told of."""

    def __init__(self, bus: RedisBus) -> None:
        self.bus = bus
        self.events: list[Event] = []
        self.losses: list[str] = []
        self._changed = asyncio.Event()

    async def start(self) -> Node:
        await self.bus.start(self._deliver, self._lost)
        return self

    def _deliver(self, event: Event) -> None:
        self.events.append(event)
        self._changed.set()

    def _lost(self, reason: str) -> None:
        self.losses.append(reason)
        self._changed.set()

    async def until(self, predicate) -> None:
        async def wait() -> None:
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(wait(), WAIT)


def push(action: str, n: int, *subjects: str) -> OperatorPush:
    return OperatorPush(action=action, payload=msgspec.Raw(msgspec.json.encode({"n": n})), subjects=subjects)


@pytest_asyncio.fixture
async def nodes(redis_server) -> AsyncIterator[tuple[Node, Node]]:
    started = [await Node(RedisBus(redis_server.url, node_id=name, block_ms=100)).start() for name in "ab"]
    yield started[0], started[1]
    for node in started:
        await node.bus.close()


def numbers(events: list[Event]) -> list[tuple[str, int]]:
    return [(e.action, msgspec.json.decode(e.payload)["n"]) for e in events if isinstance(e, OperatorPush)]


async def test_every_node_hears_every_event_once_in_one_order(nodes):
    a, b = nodes
    for n in range(50):
        a.bus.publish(push("from.a", n))
        b.bus.publish(push("from.b", n))
    await a.bus.flush()
    await b.bus.flush()
    await a.until(lambda: len(a.events) == 100)
    await b.until(lambda: len(b.events) == 100)
    assert numbers(a.events) == numbers(b.events)
    # Each node's own events keep the order it published them in.
    assert [n for action, n in numbers(a.events) if action == "from.a"] == list(range(50))
    assert [n for action, n in numbers(a.events) if action == "from.b"] == list(range(50))
    assert a.losses == b.losses == []


async def test_a_claim_is_decided_once_across_nodes(nodes):
    a, b = nodes
    names = [f"chat.accept:chat_{i}" for i in range(40)]
    results = await asyncio.gather(*(node.bus.claim(name, node.bus.node_id, 30) for name in names
                                     for node in (a, b)))
    for i in range(len(names)):
        from_a, from_b = results[2 * i], results[2 * i + 1]
        assert from_a == from_b and from_a in ("a", "b")
    # A later claim of a held name is told the holder; once it expires, the name is free again.
    holder = results[0]
    assert await b.bus.claim(names[0], "c", 30) == holder
    assert await a.bus.claim("short", "a", 0.05) == "a"
    await asyncio.sleep(0.1)  # the claim's own lifetime is what is tested
    assert await b.bus.claim("short", "b", 30) == "b"


async def test_a_redis_restarted_empty_is_a_new_epoch_that_every_node_is_told_of(nodes, redis_server):
    a, b = nodes
    a.bus.publish(push("before", 1))
    await a.until(lambda: len(a.events) == 1)
    await b.until(lambda: len(b.events) == 1)
    epoch = a.bus.epoch
    assert epoch == b.bus.epoch

    redis_server.restart()   # persistence is off: the stream, its count and its epoch are gone
    await a.until(lambda: a.losses)
    await b.until(lambda: b.losses)
    assert a.bus.epoch == b.bus.epoch != epoch
    # And the bus goes on: events of the new epoch reach both.
    b.bus.publish(push("after", 2))
    await a.until(lambda: numbers(a.events)[-1:] == [("after", 2)])
    await b.until(lambda: numbers(b.events)[-1:] == [("after", 2)])


async def test_a_node_that_missed_events_is_told(redis_server):
    """The stream was trimmed past what a node had read (it fell behind its bound): it is told."""
    a = await Node(RedisBus(redis_server.url, node_id="a", block_ms=100)).start()
    try:
        a.bus.publish(push("seen", 0))
        await a.until(lambda: len(a.events) == 1)
        client = redis_server.client()
        try:
            # Entries a was never handed, numbered as the bus numbers them, and trimmed away at once
            # (one transaction: a's reader sees the stream only after it).
            with client.pipeline(transaction=True) as pipe:
                for n in (2, 3):
                    pipe.xadd("operator-desk:events", {"epoch": a.bus.epoch, "node": "x", "subjects": "",
                                                       "body": encode_event(push("missed", n))}, id=f"{n}-0")
                pipe.set("operator-desk:events:n", 3)
                pipe.xtrim("operator-desk:events", minid="3-0", approximate=False)
                pipe.execute()
        finally:
            client.close()
        await a.until(lambda: a.losses)
        assert "1 bus events were dropped" in a.losses[0]
        assert numbers(a.events)[-1] == ("missed", 3)
    finally:
        await a.bus.close()


async def test_an_erasure_leaves_nothing_about_the_person_in_redis(nodes, redis_server):
    a, b = nodes
    a.bus.publish(OperatorPush(action="chat.message", subjects=("v_erased",),
                               payload=msgspec.Raw(b'{"text":"my name is Erika Mustermann"}')))
    a.bus.publish(push("other", 1, "v_other"))
    await b.until(lambda: len(b.events) == 2)
    dropped = await a.bus.forget_subject("v_erased")
    assert dropped == 1
    client = redis_server.client()
    try:
        held = b"".join(b"".join(fields.values()) for _, fields in client.xrange("operator-desk:events"))
    finally:
        client.close()
    assert b"Erika" not in held and b"v_erased" not in held
    assert b"v_other" in held   # what follows the person's last event stays, gapless
    # The next event still follows: no node loses history over an erasure it had read past.
    b.bus.publish(Erasure(visitor_id="v_erased"))
    await a.until(lambda: isinstance(a.events[-1], Erasure))
    assert a.losses == b.losses == []


@pytest.mark.parametrize("persistence", [("--save", "60 1"), ("--appendonly", "yes")])
async def test_a_redis_that_keeps_events_on_disk_is_refused(tmp_path, persistence):
    server = RedisServer(tmp_path, *persistence).start()
    bus = RedisBus(server.url)
    try:
        with pytest.raises(BusUnavailable, match="persists to disk"):
            await bus.start(lambda event: None, lambda reason: None)
    finally:
        await bus.close()
        server.stop()


async def test_an_unreachable_redis_is_a_clear_error(tmp_path):
    bus = RedisBus(f"unix://{tmp_path}/nobody.sock")
    try:
        with pytest.raises(BusUnavailable, match="unreachable"):
            await bus.start(lambda event: None, lambda reason: None)
    finally:
        await bus.close()


async def test_one_node_hands_events_over_at_once():
    bus = LocalBus()
    heard: list[Event] = []
    await bus.start(heard.append, lambda reason: None)
    event = Erasure(visitor_id="v_1", chat_ids=("c_1",))
    bus.publish(event)
    assert heard == [event]   # in the caller's step, as the hub does today without a bus
    assert await bus.claim("x", "a", 30) == "a"
    assert await bus.claim("x", "b", 30) == "a"
    await bus.close()
    with pytest.raises(RuntimeError):
        bus.publish(event)


async def test_an_event_survives_the_wire_and_garbage_is_refused():
    event = push("chat.message", 7, "v_1", "v_2")
    assert decode_event(encode_event(event)) == event
    with pytest.raises(msgspec.DecodeError):
        decode_event(b'{"kind":"nonsense"}')


@pytest.mark.sqlcipher_only
async def test_several_nodes_on_sqlcipher_files_are_refused(tmp_path, redis_server):
    """A SQLCipher file is one node's: nodes on files of their own would each hold part of the site."""
    with pytest.raises(ConfigError, match="must share one PostgreSQL database"):
        await start(tmp_path, demo=True, bus_url=redis_server.url)
    assert not (tmp_path / "data" / "server.db").exists()   # refused before anything was opened


async def test_the_bus_is_found_as_the_database_is():
    """``--bus`` first, then OPERATOR_DESK_BUS, then ``[bus] url``; none: this node alone."""
    environ = {BUS_VARIABLE: "redis://env:6379"}
    assert bus_location(explicit="redis://cli:6379", configured="redis://toml", environ=environ) == \
        "redis://cli:6379"
    assert bus_location(configured="redis://toml", environ=environ) == "redis://env:6379"
    assert bus_location(configured="redis://toml", environ={}) == "redis://toml"
    assert bus_location(environ={}) is None
    assert isinstance(open_bus("unix:///run/redis.sock"), RedisBus)
    with pytest.raises(BusUnavailable, match="redis://"):
        open_bus("nats://localhost:4222")


@pytest.mark.sqlcipher_only
async def test_serve_with_a_bus_on_a_sqlcipher_file_says_why_it_does_not_start(tmp_path, redis_server,
                                                                                capsys):
    code = await asyncio.to_thread(cli.main, ["serve", "--data", str(tmp_path / "data"), "--port", "0",
                                              "--demo", "--bus", redis_server.url])
    assert code == 1
    assert "several nodes (--bus) must share one PostgreSQL database" in capsys.readouterr().err
