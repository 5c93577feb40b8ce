"""The limits of one address and of one visitor hold across the nodes of a site (docs/scaling.md,
"Limits across nodes"): two nodes on one PostgreSQL database and one real Redis, a party spread over
both meets the limit one node sets, not twice it (rates, new visitors, connections); with Redis gone
each node limits alone.

The limits here refill almost never (a rate of one token in 100 s), so what is admitted is the burst,
whatever the machine's load makes of the test's pace: per node it would be twice the burst."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import redis.asyncio as redis_asyncio

from operator_desk.server.config import Limits
from operator_desk.server.shared_limits import SharedLimits, connection_field
from operator_desk.server.sockets import TRY_AGAIN_LATER
from tests.kit.clients import AsyncClient
from tests.kit.cluster import Site, started_nodes
from tests.kit.timing import WAIT
from tests.kit.visitors import arrive, consent

pytestmark = [pytest.mark.asyncio, pytest.mark.postgresql_only]

SLOW = 0.01   # tokens a second: the bursts below are what a test gets
LIMITS = Limits(pages_per_second=SLOW, pages_burst=20, new_visitors_per_minute=60 * SLOW,
                new_visitors_burst=10, address_requests_per_second=SLOW, address_requests_burst=40)
ADDRESS = "198.51.100.23"


@pytest_asyncio.fixture
async def site(tmp_path, redis_server) -> AsyncIterator[Site]:
    async with started_nodes(tmp_path, redis_server.url, limits=LIMITS) as nodes:
        yield nodes


def answer_codes(answers: list[dict]) -> list[str]:
    return ["ok" if answer["ok"] else answer["error"]["code"] for answer in answers]


async def new_visitors(node, count: int) -> list[str]:
    """``count`` browsers from ADDRESS saying hello to ``node`` without a token: the codes of the
    answers."""
    codes = []
    for n in range(count):
        client = await AsyncClient.connect(node.visitor_url, additional_headers={"X-Forwarded-For": ADDRESS})
        codes += answer_codes([await client.request("visitor.hello",
                                                    {"page": {"url": f"http://shop.example/{n}"}})])
        await client.close()
    return codes


async def test_a_visitor_flooding_page_views_from_tabs_on_both_nodes_meets_the_limit_of_one(site):
    a, b = site
    here = await arrive(a, ip=ADDRESS)
    # A visitor with a stored row (a consent) is found by their token on any node: a tab on B.
    await consent(here, "chat", granted=True, method="prechat_form")
    there = await arrive(b, ip=ADDRESS, token=here.hello["visitor_token"])
    assert there.visitor_id == here.visitor_id
    codes: list[str] = []
    for n in range(25):   # both tabs at once, 50 page views: the visitor's budget is 20
        codes += answer_codes(await asyncio.gather(
            *(tab.request("visitor.page", {"url": f"http://shop.example/p{n}", "title": "Page"})
              for tab in (here, there))))
    assert LIMITS.pages_burst <= codes.count("ok") <= LIMITS.pages_burst + 1   # per node it was 40
    assert codes.count("rate_limited") == len(codes) - codes.count("ok")
    for tab in (here, there):
        await tab.close()


async def test_new_visitors_from_one_address_over_both_nodes_are_capped_once(site):
    a, b = site
    codes = []
    for _ in range(10):   # 20 new visitors from one address, one node then the other
        codes += await new_visitors(a, 1) + await new_visitors(b, 1)
    assert LIMITS.new_visitors_burst <= codes.count("ok") <= LIMITS.new_visitors_burst + 1   # per node: 20
    assert set(codes) == {"ok", "rate_limited"}
    # Another address is not affected.
    other = await arrive(b, ip="192.0.2.201")
    assert other.visitor_id
    await other.close()


async def test_frames_from_one_address_spread_over_both_nodes_meet_the_address_limit_once(site):
    headers = {"X-Forwarded-For": ADDRESS}
    sockets = [await AsyncClient.connect(node.visitor_url, additional_headers=headers) for node in site]
    codes: list[str] = []
    for _ in range(35):   # 70 frames from one address: its budget is 40 (each socket's own is 60)
        codes += answer_codes(await asyncio.gather(*(s.request("ping") for s in sockets)))
    # Before a hello every request is refused; over the address's rate, with rate_limited.
    admitted = len(codes) - codes.count("rate_limited")
    lease = LIMITS.address_requests_burst // 20
    assert LIMITS.address_requests_burst - lease <= admitted <= LIMITS.address_requests_burst + 1
    for s in sockets:
        await s.close()


@pytest.mark.allow_log_warnings   # the bus and the shared limits say that Redis went away
async def test_with_redis_gone_each_node_limits_alone(site, redis_server):
    redis_server.stop()
    # Nobody is turned away for Redis's sake, and each node's own limit still holds.
    made = {node.hub.bus.node_id: (await new_visitors(node, 15)).count("ok") for node in site}
    assert made == {"a": LIMITS.new_visitors_burst, "b": LIMITS.new_visitors_burst}


async def test_connections_of_one_address_over_both_nodes_meet_one_cap(tmp_path, redis_server):
    cap = 3
    async with started_nodes(tmp_path, redis_server.url, limits=Limits(connections_per_address=cap)) as site:
        a, b = site
        headers = {"X-Forwarded-For": ADDRESS}
        held = [await AsyncClient.connect(node.visitor_url, additional_headers=headers) for node in (a, b, a)]
        for client in held:
            await client.request("ping")   # answered: each connection is counted by now
        extra = await AsyncClient.connect(b.visitor_url, additional_headers=headers)
        assert await asyncio.wait_for(extra.closed, WAIT) == TRY_AGAIN_LATER   # per node B held one
        # A node that stops takes its connections' counts with it: room again on B.
        await a.close()
        again = await AsyncClient.connect(b.visitor_url, additional_headers=headers)
        await again.request("ping")
        assert not again.closed.done()
        for client in (*held, again):
            await client.close()


async def test_the_sites_connection_counts_heal_and_go_with_their_node(redis_server):
    client = redis_asyncio.Redis.from_url(redis_server.url)
    a, b = (SharedLimits(client, "operator-desk", node, counts_live=15.0) for node in ("a", "b"))
    try:
        assert [await a.enter("visitor", ADDRESS, 2) for _ in range(2)] == [True, True]
        assert await b.enter("visitor", ADDRESS, 2) is False
        assert await b.enter("operator", ADDRESS, 2) is True       # each endpoint has its own cap
        await a.leave("visitor", ADDRESS)
        assert await b.enter("visitor", ADDRESS, 2) is True
        # Counts a lost call left wrong are right again at the node's next refresh.
        await client.hset("operator-desk:conns:a", connection_field("visitor", ADDRESS), 99)
        assert await b.enter("visitor", ADDRESS, 3) is False
        await a.refresh({"visitor": {ADDRESS: 1, **{f"10.0.{n // 256}.{n % 256}": 1 for n in range(5000)}}})
        assert await b.enter("visitor", ADDRESS, 3) is True
        assert await client.hlen("operator-desk:conns:a") == 5001   # a site's worth of addresses at once
        # A node's counts live a while unless refreshed: a node that died stops counting with them.
        assert 0 < await client.pttl("operator-desk:conns:a") <= 15_000
        await client.delete("operator-desk:conns:a")               # what their expiry does
        assert await b.enter("visitor", ADDRESS, 3) is True
        assert await client.smembers("operator-desk:conns") == {b"b"}
        # Nothing in Redis names the address.
        held = [await client.dump(key) for key in await client.keys("operator-desk:*")]
        assert held and not any(ADDRESS.encode() in value for value in held)
        # Closed (with its node's bus), a node's counts go, and it asks Redis nothing more.
        await b.close()
        assert not await client.exists("operator-desk:conns:b")
        assert await b.enter("visitor", ADDRESS, 3) is None
        assert await b.renew("pages:v_1", 2.0, 20, 4) and b.asked == 0
    finally:
        await client.aclose()
