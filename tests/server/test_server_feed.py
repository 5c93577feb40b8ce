"""Visitor feeds (issue 16): ``visitors.subscribe`` with a filter and a coalescing interval. A desk gets
at most one ``visitors.feed`` push per interval with each visitor's latest state, a consent change at
once (its fields gone at once), and only the visitors its filter lets through. The feed's clock is in
the test's hand (``tests.kit.feeds``): nothing here depends on how fast the machine is."""

from __future__ import annotations

import pytest

from tests.kit.clients import login
from tests.kit.cluster import across
from tests.kit.feeds import HeldFeedClock, hold_feed_clock
from tests.kit.visitors import arrive, consent

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too


def feeds_of(client) -> list[dict]:
    return client.pushes_of("visitors.feed")


async def page(visitor, url: str, title: str = "Shop") -> None:
    await visitor.ok("visitor.page", {"url": url, "title": title})


async def tick(server, clock: HeldFeedClock) -> None:
    """The feeds' next tick, once the visitors' changes so far have reached the operators' node (of two
    nodes: conftest.py)."""
    await across(server)
    clock.tick()


async def settled(client) -> None:
    """Every push the server queued for ``client`` before now has arrived: a ping's answer comes after
    them on the same connection."""
    await client.ok("ping")


@pytest.fixture
def clock(server) -> HeldFeedClock:
    return hold_feed_clock(server)


@pytest.mark.asyncio
async def test_many_changes_of_a_visitor_are_one_push_per_interval_with_the_latest_state(server, clock):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe", {"coalesce_ms": 1000})
    visitor = await arrive(server, ip="203.0.113.7")
    for n in range(10):
        await page(visitor, f"http://shop.example/p{n}", f"page {n}")
    await settled(ann)
    # Ten changes (and the arrival): one tick asked for, a second away, and nothing sent yet.
    assert [delay for delay, _ in clock.asked] == [1.0]
    assert feeds_of(ann) == [] and ann.pushes_of("visitor.upsert") == []

    await tick(server, clock)
    await settled(ann)
    (feed,) = feeds_of(ann)
    assert [(v["id"], v["page"]["title"], v["pages_viewed"]) for v in feed["visitors"]] == [
        (visitor.visitor_id, "page 9", 11)]
    assert feed["unmatched"] == []

    # A subscriber without a feed still gets one visitor.upsert per change, as before.
    ben = await login(server, "ben")
    await ben.ok("visitors.subscribe", {})
    await page(visitor, "http://shop.example/last", "last")
    await ben.push("visitor.upsert", where=lambda p: p["visitor"]["page"]["title"] == "last")
    # The feed ends with its session: nothing of it stays in the hub.
    assert len(server.hub.feeds) == 1
    await ann.ok("auth.logout")
    assert len(server.hub.feeds) == 0
    for client in (ann, ben, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_a_consent_withdrawal_reaches_a_feed_at_once_and_takes_the_fields_at_once(server, clock):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe", {"coalesce_ms": 5000})
    visitor = await arrive(server, ip="203.0.113.8")
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    # The grant is a consent change too: sent at once, with the insights it allows.
    granted = await ann.push("visitors.feed", where=lambda p: p["visitors"][0]["insights"] is not None)
    assert granted["visitors"][0]["insights"]["ip"] == "203.0.113.8"
    await page(visitor, "http://shop.example/pending", "pending")   # held for the next tick

    await consent(visitor, "visitor_insights", granted=False, method="widget_settings")
    changed = await ann.push("consent.changed", where=lambda p: not p["consent"]["granted"])
    assert changed["visitor_id"] == visitor.visitor_id
    withdrawn = await ann.push("visitors.feed", where=lambda p: p["visitors"][0]["insights"] is None)
    # The latest state, the page included: the change held for the tick went with it.
    assert withdrawn["visitors"][0]["page"]["title"] == "pending"
    assert withdrawn["visitors"][0]["consent"]["visitor_insights"] is False
    frames = ann.raw.index(next(f for f in ann.raw if '"consent.changed"' in f and '"granted":false' in f))
    assert all("203.0.113.8" not in frame for frame in ann.raw[frames:])

    await tick(server, clock)   # nothing was left for the tick: no push repeats the visitor
    await settled(ann)
    assert feeds_of(ann)[-1] is withdrawn
    for client in (ann, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_a_filter_lets_through_only_its_visitors_and_says_when_one_stops_matching(server, clock):
    help_desk, shopper = await arrive(server, url="http://shop.example/help/"), await arrive(server)
    ann = await login(server, "ann")
    snapshot = await ann.ok("visitors.subscribe", {
        "coalesce_ms": 100, "filter": {"page_prefix": "http://shop.example/help/"}})
    assert [v["id"] for v in snapshot["visitors"]] == [help_desk.visitor_id]

    await page(shopper, "http://shop.example/cart")            # still outside: nothing
    await page(shopper, "http://shop.example/help/returns")    # comes in
    await page(help_desk, "http://shop.example/shoes")          # goes out
    await tick(server, clock)
    await settled(ann)
    (feed,) = feeds_of(ann)
    assert [v["id"] for v in feed["visitors"]] == [shopper.visitor_id]
    assert feed["unmatched"] == [help_desk.visitor_id]
    await page(help_desk, "http://shop.example/socks")          # out already: nothing more
    await tick(server, clock)
    await settled(ann)
    assert len(feeds_of(ann)) == 1

    # Leaving: only a session that held the visitor hears it.
    await help_desk.close()
    await shopper.close()
    await ann.push("visitor.left", where=lambda p: p["visitor_id"] == shopper.visitor_id)
    await settled(ann)
    assert [p["visitor_id"] for p in ann.pushes_of("visitor.left")] == [shopper.visitor_id]
    await ann.close()


@pytest.mark.asyncio
async def test_states_with_a_chat_and_team_filters(server, clock, admin):
    assert (await admin("add-team", "billing", "--name", "Billing"))[0] == 0
    assert (await admin("set-team", "ben", "billing"))[0] == 0
    browsing, chatting = await arrive(server), await arrive(server)
    await consent(chatting, "chat", granted=True, method="prechat_form")
    chat = (await chatting.ok("chat.start", {"name": "Ada", "message": "Hello"}))["chat"]
    ben = await login(server, "ben")
    await ben.ok("chat.accept", {"chat_id": chat["id"]})

    lee, sue, sam = [await login(server, name) for name in ("lee", "sue", "sam")]
    browsing_only = await lee.ok("visitors.subscribe", {"filter": {"states": ["browsing"]}})
    with_chat = await sue.ok("visitors.subscribe", {"filter": {"with_chat": True}})
    billing = await sam.ok("visitors.subscribe", {"filter": {"team": "billing"}})
    assert [v["id"] for v in browsing_only["visitors"]] == [browsing.visitor_id]
    assert [v["id"] for v in with_chat["visitors"]] == [chatting.visitor_id]
    assert [v["id"] for v in billing["visitors"]] == [chatting.visitor_id]
    # The operator of the chat always hears of its visitor, whatever their filter.
    mine = await ben.ok("visitors.subscribe", {"filter": {"states": ["browsing"]}})
    assert {v["id"] for v in mine["visitors"]} == {browsing.visitor_id, chatting.visitor_id}

    await ben.ok("chat.close", {"chat_id": chat["id"]})   # the chatting visitor browses again
    await page(chatting, "http://shop.example/after")
    await tick(server, clock)
    for client in (lee, sue, sam):
        await settled(client)
    assert feeds_of(lee)[-1]["visitors"][0]["id"] == chatting.visitor_id
    assert feeds_of(sue)[-1]["unmatched"] == [chatting.visitor_id]
    assert feeds_of(sam)[-1]["unmatched"] == [chatting.visitor_id]
    for client in (browsing, chatting, ben, lee, sue, sam):
        await client.close()


@pytest.mark.asyncio
async def test_an_erasure_forgets_the_feed_pushes_about_the_person(server, clock):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe", {"coalesce_ms": 100})
    leaving, staying = await arrive(server), await arrive(server)
    await page(leaving, "http://shop.example/a")
    await page(staying, "http://shop.example/b")
    await tick(server, clock)
    await settled(ann)
    assert {v["id"] for v in feeds_of(ann)[0]["visitors"]} == {leaving.visitor_id, staying.visitor_id}
    session = server.hub.sessions[ann.login["session_id"]]
    assert any(leaving.visitor_id in frame for frame in session.replay.frames)

    await consent(leaving, "chat", granted=True, method="prechat_form")
    await leaving.ok("subject.forget_me")
    assert not any(leaving.visitor_id in frame for frame in session.replay.frames
                   if '"subject.erased"' not in frame)
    for client in (ann, leaving, staying):
        await client.close()


@pytest.mark.asyncio
async def test_a_feed_ticks_by_itself(server):
    """The real clock: a change comes without anyone's hand on it (the other tests hold the clock)."""
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe", {"coalesce_ms": 20})
    visitor = await arrive(server)
    await page(visitor, "http://shop.example/by-itself", "by itself")
    await ann.push("visitors.feed", where=lambda p: any(v["page"]["title"] == "by itself"
                                                         for v in p["visitors"]))
    for client in (ann, visitor):
        await client.close()
