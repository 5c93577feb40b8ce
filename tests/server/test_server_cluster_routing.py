"""Routing across the nodes of one site (two nodes, one PostgreSQL database, one real Redis:
tests.kit.cluster): a new chat is offered once, by its visitor's node, to an available operator on any
node, and moves on across nodes; a status said on one node is what every node's routing, colleague
lists and widget see; a chat is handed to a colleague on another node; a team's canned responses and a
lead's observing reach every node."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from operator_desk.server import accounts
from tests.kit.clients import AsyncClient, login
from tests.kit.cluster import Site, started_nodes
from tests.kit.servers import fast_settings
from tests.kit.visitors import accepted_chat, arrive, waiting_chat

pytestmark = [pytest.mark.asyncio, pytest.mark.postgresql_only]

ROUTING = """
[routing]
offer_seconds = {offer}
chat_limit = 2
"""


@pytest_asyncio.fixture
async def site(tmp_path, redis_server) -> AsyncIterator[Site]:
    async with routed_nodes(tmp_path, redis_server, offer=30.0) as nodes:   # no offer times out
        yield nodes


def routed_nodes(tmp_path, redis_server, offer: float):
    config = tmp_path / "site.toml"
    config.write_text(ROUTING.format(offer=offer), encoding="utf-8")
    return started_nodes(tmp_path, redis_server.url, config_path=config)


def offers(client: AsyncClient) -> list[str]:
    return [p["chat_id"] for p in client.pushes_of("chat.offered")]


async def available(site: Site, client: AsyncClient) -> None:
    """The operator says they are available, and every node has heard it."""
    await client.ok("presence.set", {"status": "available"})
    operator_id = client.login["operator"]["id"]
    await site.until(lambda: all(node.hub.router.status.get(operator_id) == "available" for node in site))


async def test_a_new_chat_is_offered_once_to_an_available_operator_on_the_other_node(site):
    a, b = site
    ann = await login(b, "ann")
    await available(site, ann)
    visitor, chat = await waiting_chat(a, name="Vera", message="Hello?")
    offered = await ann.push("chat.offered", lambda p: p["chat_id"] == chat["id"])
    assert offered["seconds"] == 30.0
    # Offered by the visitor's node alone: node B holds no offer of its own for it.
    assert chat["id"] in a.hub.router._offers and chat["id"] not in b.hub.router._offers
    accepted = await ann.ok("chat.accept", {"chat_id": chat["id"]})
    assert accepted["chat"]["operator_id"] == ann.login["operator"]["id"]
    await site.until(lambda: chat["id"] not in a.hub.router._offers)
    await visitor.push("chat.updated", lambda p: p["chat"]["state"] == "active")
    assert offers(ann) == [chat["id"]]


async def test_chats_of_one_node_are_offered_in_turn_to_operators_on_both(site):
    """Two chats started on node A, two available operators, one on each node: one chat each (the
    operator holding an offer counts as busier), each offered once."""
    a, b = site
    ann, ben = await login(a, "ann"), await login(b, "ben")
    for desk in (ann, ben):
        await available(site, desk)
    chats = [(await waiting_chat(a, message=f"chat {n}"))[1]["id"] for n in range(2)]
    await ann.push("chat.offered")
    await ben.push("chat.offered")
    assert sorted(offers(ann) + offers(ben)) == sorted(chats)
    assert len(offers(ann)) == len(offers(ben)) == 1
    # Node B counted ann's offer too (the tie-breaks of its own chats see it).
    assert b.hub.router._held_elsewhere[ann.login["operator"]["id"]] == 1


async def test_an_offer_not_taken_moves_on_to_an_operator_on_the_other_node(tmp_path, redis_server):
    async with routed_nodes(tmp_path, redis_server, offer=0.3) as site:
        a, b = site
        ann, ben = await login(a, "ann"), await login(b, "ben")
        await available(site, ann)
        _, chat = await waiting_chat(a, message="Anyone?")
        await ann.push("chat.offered", lambda p: p["chat_id"] == chat["id"])
        await available(site, ben)
        # Ann lets it pass: the offer goes to ben on node B (who has had no turn yet).
        await ben.push("chat.offered", lambda p: p["chat_id"] == chat["id"])
        await ben.ok("chat.accept", {"chat_id": chat["id"]})
        await site.until(lambda: chat["id"] not in a.hub.router._offers)


async def test_a_status_said_on_one_node_is_what_every_node_sees(site):
    """Presence across nodes: a lead on node A sees ann (on B) available, then away, in
    ``presence.changed``, ``presence.list`` and ``team.status``; a visitor's widget on A hears that
    someone can answer only while ann is available; a limit set on A holds on B; ann signing out of B
    is offline on A."""
    a, b = site
    visitor = await arrive(a)
    assert visitor.hello["available"] is False    # nobody is signed in yet
    await visitor.close()
    lee, sue = await login(a, "lee"), await login(a, "sue")
    for desk in (lee, sue):   # they do not answer chats now (a desk that says nothing would)
        await desk.ok("presence.set", {"status": "away"})
    ann = await login(b, "ann")
    ann_id = ann.login["operator"]["id"]
    await available(site, ann)
    changed = await lee.push("presence.changed", lambda p: p["operator"]["id"] == ann_id)
    assert changed["status"] == "available"
    listed = {p["operator"]["id"]: p for p in (await lee.ok("presence.list"))["operators"]}
    assert listed[ann_id]["status"] == "available"
    members = {m["id"]: m for m in (await sue.ok("team.status"))["operators"]}
    assert (members[ann_id]["sessions"], members[ann_id]["status"]) == (1, "available")
    assert (await arrive(a)).hello["available"] is True

    await ann.ok("presence.set", {"status": "away"})
    changed = await lee.push("presence.changed", lambda p: p["operator"]["id"] == ann_id
                             and p["status"] == "away")
    await site.until(lambda: a.hub.router.status.get(ann_id) == "away")
    assert (await arrive(a)).hello["available"] is False

    # A supervisor on A sets ann's own limit: B's routing and accepts use it, and B's desks hear it.
    await sue.ok("team.set_limit", {"operator_id": ann_id, "chat_limit": 1})
    heard = await ann.push("presence.changed", lambda p: p["operator"]["id"] == ann_id
                           and p["chat_limit"] == 1)
    assert heard["status"] == "away"
    await site.until(lambda: b.hub.router.limit_of(b.hub.router.signed_in()[ann_id]) == 1)

    await ann.ok("auth.logout")
    gone = await lee.push("presence.changed", lambda p: p["operator"]["id"] == ann_id
                          and p["status"] == "offline")
    assert gone["operator"]["name"] == "Ann"
    await site.until(lambda: ann_id not in a.hub.router.elsewhere)
    assert ann_id not in {p["operator"]["id"] for p in (await lee.ok("presence.list"))["operators"]}


async def test_two_desks_of_one_operator_on_two_nodes_end_with_one_status(site):
    """Ann signed in on both nodes says two statuses at once, one on each: both nodes end with the
    same one, whichever the bus ordered last."""
    a, b = site
    on_a, on_b = await login(a, "ann"), await login(b, "ann")
    ann_id = on_a.login["operator"]["id"]
    await site.until(lambda: all(ann_id in node.hub.router.elsewhere for node in site))
    for _ in range(3):
        await on_a.ok("presence.set", {"status": "busy"})
        await on_b.ok("presence.set", {"status": "available"})
    await site.until(lambda: all(not node.hub.router._saying for node in site))
    assert a.hub.router.status[ann_id] == b.hub.router.status[ann_id]
    # Signed out of one node, ann is still online on the other: nobody is told she is offline.
    await on_b.ok("auth.logout")
    await site.until(lambda: ann_id not in a.hub.router.elsewhere)
    assert a.hub.router.presence_of(a.hub.router.signed_in()[ann_id]).status != "offline"


async def test_a_chat_handed_to_a_colleague_on_the_other_node_goes_on_there(site):
    a, b = site
    ann, ben = await login(a, "ann"), await login(b, "ben")
    ben_id = ben.login["operator"]["id"]
    await site.until(lambda: ben_id in a.hub.router.elsewhere)
    visitor, chat = await accepted_chat(a, ann, consents=("chat", "visitor_insights"), name="Ada",
                                        message="Hello")
    answer = await ann.ok("chat.transfer", {"chat_id": chat["id"], "to_operator_id": ben_id,
                                            "note": "for you"})
    assert answer["chat"]["operator_id"] == ben_id
    pushed = await ben.push("chat.transferred")
    assert pushed["note"] == "for you" and pushed["visitor"]["name"] == "Ada"
    assert {c["purpose"]: c["granted"] for c in pushed["consents"]} == {"chat": True,
                                                                       "visitor_insights": True}
    # At once, as the desk does on the push: the chat is ben's on node B already.
    accepted = await ben.ok("chat.accept", {"chat_id": chat["id"]})
    assert [m["text"] for m in accepted["messages"]] == ["Hello"]
    await ben.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "b1", "text": "Ben here."})
    assert (await visitor.push("chat.transferred")) == {}
    await visitor.push("chat.message", lambda p: p["message"]["text"] == "Ben here.")
    await visitor.ok("chat.send", {"client_msg_id": "v1", "text": "Thanks"})
    await ben.push("chat.message", lambda p: p["message"]["client_msg_id"] == "v1")
    assert await ann.refused("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1",
                                           "text": "x"}) == "conflict"
    # Refused, as on one node, to someone signed in nowhere.
    lee_id = next(account.id for account in await a.db.call(accounts.list_accounts)
                  if account.username == "lee")
    assert await ben.refused("chat.transfer", {"chat_id": chat["id"], "to_operator_id": lee_id}) == \
        "recipient_offline"
    # Handed back from node B, which holds a copy of the visitor: ann hears their consents all the same.
    await ben.ok("chat.transfer", {"chat_id": chat["id"], "to_operator_id": ann.login["operator"]["id"]})
    back = await ann.push("chat.transferred")
    assert back["from_operator"]["name"] == "Ben" and back["visitor"]["name"] == "Ada"
    assert {c["purpose"]: c["granted"] for c in back["consents"]} == {"chat": True, "visitor_insights": True}
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a2", "text": "Ann again."})
    await visitor.push("chat.message", lambda p: p["message"]["text"] == "Ann again.")


async def test_a_teams_canned_responses_and_a_leads_observing_reach_every_node(site):
    a, b = site
    for username in ("ann", "ben", "lee"):   # the demo's team
        await a.db.call(accounts.set_team, username, "support")
    ann, lee, ben = await login(a, "ann"), await login(a, "lee"), await login(b, "ben")
    await lee.ok("canned.put", {"keyword": "hi", "text": "Hello, how can I help?"})
    changed = await ben.push("canned.changed")
    assert (changed["team_id"], changed["keyword"]) == ("support", "hi")
    assert changed["response"]["text"] == "Hello, how can I help?"
    await ann.push("canned.changed")
    await lee.ok("canned.delete", {"keyword": "hi"})
    assert (await ben.push("canned.changed"))["response"] is None

    # Ben (node B) observes ann's chat with a visitor on node A: he hears both sides, then its end.
    lead = await login(b, "lee")
    visitor, chat = await accepted_chat(a, ann, message="Hello")
    watched = await lead.ok("chat.observe", {"chat_id": chat["id"]})
    assert [m["text"] for m in watched["messages"]] == ["Hello"]
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "Hi, Ann here."})
    await visitor.ok("chat.send", {"client_msg_id": "v1", "text": "My parcel is late."})
    for text in ("Hi, Ann here.", "My parcel is late."):
        await lead.push("chat.message", lambda p, t=text: p["message"]["text"] == t)
    await ann.ok("chat.close", {"chat_id": chat["id"]})
    await lead.push("chat.updated", lambda p: p["chat"]["state"] == "closed")
    await site.until(lambda: not any(s.observing for s in b.hub.sessions.values()))


async def test_an_operator_whose_desk_lost_its_connection_is_offered_nothing_from_the_other_node(site):
    a, b = site
    ann = await login(b, "ann")
    ann_id = ann.login["operator"]["id"]
    await available(site, ann)
    await ann.close()   # the connection drops; the session waits for a resume
    await site.until(lambda: a.hub.router.elsewhere[ann_id]["b"].connected == 0)
    _, chat = await waiting_chat(a, message="Anyone?")
    assert a.hub.router._offers[chat["id"]].operator_id is None   # waits for someone connected


async def test_a_nodes_operators_are_offline_once_it_died_and_its_waiting_chats_are_offered_anew(
        tmp_path, redis_server):
    """Node A dies (it neither hears nor speaks on the bus): its operators are offline on node B, and
    a waiting chat whose visitor comes back on B is offered by B."""
    settings = fast_settings(node_heartbeat=0.05, node_timeout=0.5, visitor_grace=30.0)
    config = tmp_path / "site.toml"
    config.write_text(ROUTING.format(offer=30.0), encoding="utf-8")
    async with started_nodes(tmp_path, redis_server.url, config_path=config, settings=settings) as site:
        a, b = site
        ben, ann = await login(a, "ben"), await login(b, "ann")
        for desk in (ben, ann):
            await available(site, desk)
        ben_id, ann_id = ben.login["operator"]["id"], ann.login["operator"]["id"]
        visitor, chat = await waiting_chat(a, message="Anyone?")
        await site.until(lambda: a.hub.router._offers[chat["id"]].operator_id is not None)
        offered_before = offers(ann).count(chat["id"])
        await a.hub.bus.close()
        # The visitor's widget reconnects to node B at once: B is their home too, but A made the
        # offers, and may still be alive for all B knows.
        back = await arrive(b, token=visitor.token)
        assert back.visitor_id == visitor.visitor_id
        assert b.hub.visitors[visitor.visitor_id].homes_elsewhere == {"a"}
        gone = await ann.push("presence.changed", lambda p: p["operator"]["id"] == ben_id
                              and p["status"] == "offline")
        assert gone["operator"]["name"] == "Ben"
        # A is not heard of: B is their one home now, and offers their chat.
        await site.until(lambda: offers(ann).count(chat["id"]) == offered_before + 1)
        assert b.hub.router._offers[chat["id"]].operator_id == ann_id
