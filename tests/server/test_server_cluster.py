"""Two nodes of one site on one PostgreSQL database and one real Redis (tests.kit.cluster): a visitor
connected to node A chats with an operator connected to node B; a ``chat.accept`` race across the nodes
is won once; a withdrawal of consent on A takes the insights off B's desks with the same pushes; a
node that starts late hears of the visitors already there."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.domain.model import ChatState
from operator_desk.server import repository
from tests.kit.accounts import PASSWORD
from tests.kit.clients import AsyncClient, login
from tests.kit.cluster import started_nodes
from tests.kit.servers import fast_settings
from tests.kit.visitors import arrive, consent, waiting_chat

pytestmark = [pytest.mark.asyncio, pytest.mark.postgresql_only]


async def test_a_visitor_on_one_node_chats_with_an_operator_on_the_other(site):
    a, b = site
    ben = await login(b, "ben")
    await ben.ok("visitors.subscribe")
    visitor, chat = await waiting_chat(a, name="Vera", message="Is my order on its way?")
    incoming = await ben.push("chat.incoming", lambda p: p["chat"]["id"] == chat["id"])
    assert incoming["visitor"]["name"] == "Vera"
    listed = (await ben.ok("chats.list"))["chats"]
    assert [c["id"] for c in listed] == [chat["id"]]

    accepted = await ben.ok("chat.accept", {"chat_id": chat["id"]})
    assert [m["text"] for m in accepted["messages"]] == ["Is my order on its way?"]
    updated = await visitor.push("chat.updated", lambda p: p["chat"]["state"] == "active")
    assert updated["chat"]["operator_id"] == accepted["chat"]["operator_id"]

    await ben.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "b1", "text": "It left today."})
    assert (await visitor.push("chat.message"))["message"]["text"] == "It left today."
    await visitor.ok("chat.send", {"client_msg_id": "v2", "text": "Thank you!"})
    heard = await ben.push("chat.message", lambda p: p["message"]["client_msg_id"] == "v2")
    assert heard["message"]["text"] == "Thank you!"
    # On node A, the chat is ben's: ann (on A) does not hear its messages, and cannot answer in it.
    ann = await login(a, "ann")
    assert await ann.refused("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1",
                                           "text": "Me too"}) == "conflict"

    await ben.ok("chat.close", {"chat_id": chat["id"]})
    await visitor.push("chat.closed")
    assert (await visitor.push("chat.updated", lambda p: p["chat"]["state"] == "closed"))
    # Each message reached the visitor once.
    assert [p["message"]["text"] for p in visitor.pushes_of("chat.message")] == ["It left today."]
    assert chat["id"] not in a.hub.chats and chat["id"] not in b.hub.chats


async def test_a_chat_accept_race_across_nodes_is_won_once(site):
    a, b = site
    ann, ben = await login(a, "ann"), await login(b, "ben")
    await ann.ok("visitors.subscribe")
    await ben.ok("visitors.subscribe")
    _, chat = await waiting_chat(a, message="Hello?")
    await ben.push("chat.incoming", lambda p: p["chat"]["id"] == chat["id"])
    answers = await asyncio.gather(ann.request("chat.accept", {"chat_id": chat["id"]}),
                                   ben.request("chat.accept", {"chat_id": chat["id"]}))
    won = [answer for answer in answers if answer["ok"]]
    lost = [answer for answer in answers if not answer["ok"]]
    assert len(won) == 1 and [answer["error"]["code"] for answer in lost] == ["conflict"]
    owner = won[0]["payload"]["chat"]["operator_id"]
    for node in (a, b):
        await site.until(lambda n=node: n.hub.chats[chat["id"]].chat.operator_id == owner)


async def test_a_withdrawal_on_one_node_takes_the_insights_off_every_nodes_desks(site):
    a, b = site
    ann, ben = await login(a, "ann"), await login(b, "ben")
    for desk in (ann, ben):
        await desk.ok("visitors.subscribe")
    visitor = await arrive(a, ip="203.0.113.7")
    await consent(visitor, "visitor_insights", granted=True, method="widget_settings")
    for desk in (ann, ben):
        seen = await desk.push("visitor.upsert", lambda p: p["visitor"]["id"] == visitor.visitor_id
                               and p["visitor"]["insights"] is not None)
        assert seen["visitor"]["insights"]["ip"] == "203.0.113.7"

    await consent(visitor, "visitor_insights", granted=False, method="widget_settings")
    for desk in (ann, ben):
        changed = await desk.push("consent.changed", lambda p: p["consent"]["granted"] is False)
        assert changed["visitor_id"] == visitor.visitor_id
        gated = await desk.push("visitor.upsert", lambda p: p["visitor"]["id"] == visitor.visitor_id)
        assert gated["visitor"]["insights"] is None
        assert gated["visitor"]["consent"]["visitor_insights"] is False
    # Node B's copy of the visitor holds no address either, and its visitor list shows no insights.
    assert b.hub.visitors[visitor.visitor_id].ip == ""
    listed = (await (await login(b, "lee")).ok("visitors.subscribe"))["visitors"]
    assert [v["insights"] for v in listed if v["id"] == visitor.visitor_id] == [None]
    # The visitor leaving A leaves B's list too.
    await visitor.close()
    await ben.push("visitor.left", lambda p: p["visitor_id"] == visitor.visitor_id)
    await site.until(lambda: visitor.visitor_id not in b.hub.visitors)


async def test_a_node_that_starts_later_hears_of_the_visitors_and_chats_already_there(tmp_path, redis_server):
    async with started_nodes(tmp_path, redis_server.url, names=("a",)) as first:
        a = first[0]
        browsing = await arrive(a)
        _, chat = await waiting_chat(a, message="Anyone?")
        late = started_nodes(tmp_path / "late", redis_server.url, names=("c",), add_accounts=False,
                             key_file=tmp_path / "site.key")
        async with late as joined:
            c = joined[0]
            await joined.until(lambda: chat["id"] in c.hub.chats)
            ben = await login(c, "ben")
            listed = {v["id"] for v in (await ben.ok("visitors.subscribe"))["visitors"]}
            assert browsing.visitor_id in listed
            assert [x["id"] for x in (await ben.ok("chats.list"))["chats"]] == [chat["id"]]


async def test_failed_logins_spread_over_the_nodes_meet_one_limit(site):
    """Guesses that a load balancer spreads over the nodes count against the same limits on each: after
    five wrong passwords for ann from one address, three on A and two on B, neither node lets that
    address try ann's password, not even the right one."""
    a, b = site
    for attempt in range(5):
        guess = await AsyncClient.connect(site[attempt % 2].operator_url)
        assert await guess.refused("auth.login", {"username": "ann", "password": f"guess {attempt}"}) == \
            "invalid_credentials"
        await guess.close()
    limiters = [node.hub.cluster.login_limiter for node in site]
    await site.until(lambda: all(limiter.locked_for("ann", "127.0.0.1") > 0 for limiter in limiters))
    for node in (a, b):
        right = await AsyncClient.connect(node.operator_url)
        assert await right.refused("auth.login", {"username": "ann", "password": PASSWORD}) == "rate_limited"
        await right.close()
    # Another account from the same address is not locked out by ann's guesses.
    assert (await login(b, "ben")).login["operator"]["name"] == "Ben"


async def test_the_visitors_of_a_node_that_died_leave_every_other_node(tmp_path, redis_server):
    """A node that is no longer heard of (it died) has its visitors leave: one surviving node closes their
    chats in the database and tells the others, whose desks drop them as after any visitor's leaving."""
    settings = fast_settings(node_heartbeat=0.05, node_timeout=0.5)
    async with started_nodes(tmp_path, redis_server.url, names=("a", "b", "c"), settings=settings) as site:
        a, b, c = site
        ben, cid = await login(b, "ben"), await login(c, "ann")
        for desk in (ben, cid):
            await desk.ok("visitors.subscribe")
        visitor, chat = await waiting_chat(a, message="Anyone?")
        for desk in (ben, cid):
            await desk.push("chat.incoming", lambda p: p["chat"]["id"] == chat["id"])
        await a.hub.bus.close()   # node A neither hears nor speaks on the bus any more: it died
        for desk in (ben, cid):
            await desk.push("chat.updated", lambda p: p["chat"]["id"] == chat["id"]
                            and p["chat"]["state"] == "closed")
            await desk.push("visitor.left", lambda p: p["visitor_id"] == visitor.visitor_id)
        await site.until(lambda: all(visitor.visitor_id not in node.hub.visitors
                                     and chat["id"] not in node.hub.chats for node in (b, c)))
        for node in (b, c):   # the close is written behind, as a visitor's leaving is: queued by now
            await node.db.call(repository.chat_by_id, chat["id"])
        assert (await b.db.call(repository.chat_by_id, chat["id"])).state == ChatState.CLOSED
        # Closed once: one node won the claim.
        assert len([p for p in ben.pushes_of("chat.updated") if p["chat"]["state"] == "closed"]) == 1
