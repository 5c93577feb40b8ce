"""A visitor whose browser tabs are connected to two nodes of one site (nginx spread them): both nodes
are their home (tests.kit.cluster: one PostgreSQL database, one real Redis). Every tab hears the
operator once; a tab closing on one node leaves the chat going on the other; a consent withdrawn in a
tab on one node holds on the other, whose pushes no longer carry what it covered."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.domain.model import ChatState
from operator_desk.server import repository
from tests.kit.clients import login
from tests.kit.visitors import arrive, consent, waiting_chat

pytestmark = [pytest.mark.asyncio, pytest.mark.postgresql_only]


async def test_a_chat_with_tabs_on_two_nodes_reaches_each_tab_once_and_outlives_one_of_them(site):
    a, b = site
    ann = await login(b, "ann")
    first, chat = await waiting_chat(a, name="Vera", message="Hello?")
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await first.push("chat.updated", lambda p: p["chat"]["state"] == "active")
    # A second tab, which nginx sent to node B: it is the same visitor, in the same chat.
    second = await arrive(b, token=first.token)
    assert second.visitor_id == first.visitor_id
    assert second.hello["chat"]["id"] == chat["id"]
    await site.until(lambda: b.hub.visitors[first.visitor_id].homes_elsewhere == {"a"}
                     and a.hub.visitors[first.visitor_id].homes_elsewhere == {"b"})

    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "o1", "text": "Ann here."})
    for tab in (first, second):
        await tab.push("chat.message", lambda p: p["message"]["text"] == "Ann here.")
    await second.ok("chat.send", {"client_msg_id": "v2", "text": "From my other tab."})
    await ann.push("chat.message", lambda p: p["message"]["client_msg_id"] == "v2")

    # The tab on node B closes (the visitor has no grace here): the chat goes on in the tab on A.
    await second.close()
    await site.until(lambda: b.hub.visitors[first.visitor_id].home == "a"
                     and not a.hub.visitors[first.visitor_id].homes_elsewhere)
    assert chat["id"] in a.hub.chats and chat["id"] in b.hub.chats
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "o2", "text": "Still here?"})
    await first.push("chat.message", lambda p: p["message"]["text"] == "Still here?")
    for tab in (first, second):   # each message reached each tab once
        assert [p["message"]["text"] for p in tab.pushes_of("chat.message")].count("Ann here.") == 1
    assert (await a.db.call(repository.chat_by_id, chat["id"])).state == ChatState.ACTIVE

    # The last tab closes: the visitor has left, and the chat is closed once.
    await first.close()
    await ann.push("chat.updated", lambda p: p["chat"]["state"] == "closed")
    await site.until(lambda: all(first.visitor_id not in node.hub.visitors for node in site))
    assert len([p for p in ann.pushes_of("chat.updated") if p["chat"]["state"] == "closed"]) == 1


async def test_a_withdrawal_in_a_tab_on_one_node_holds_on_the_other(site):
    a, b = site
    lee = await login(b, "lee")
    await lee.ok("visitors.subscribe")
    first = await arrive(a, ip="203.0.113.7")
    await consent(first, "visitor_insights", granted=True, method="widget_settings")
    await lee.push("visitor.upsert", lambda p: p["visitor"]["insights"] is not None)
    second = await arrive(b, token=first.token)
    await site.until(lambda: a.hub.visitors[first.visitor_id].homes_elsewhere == {"b"})

    await consent(second, "visitor_insights", granted=False, method="widget_settings")
    await site.until(lambda: a.hub.visitors[first.visitor_id].insights is None)
    # The tab on node A moves to another page: what its node tells every desk carries no insights.
    await first.ok("visitor.page", {"url": "http://shop.example/boots", "title": "Boots"})
    moved = await lee.push("visitor.upsert", lambda p: p["visitor"]["page"]["url"].endswith("/boots"))
    assert moved["visitor"]["insights"] is None
    assert moved["visitor"]["consent"]["visitor_insights"] is False
    assert "203.0.113.7" not in "".join(frame for frame in lee.raw[-3:])


async def test_tabs_on_two_nodes_closing_at_once_close_the_chat_once(site):
    """Both nodes hand the visitor to each other at the same moment: each then holds a copy whose home
    is the other, and the other's word that its tabs are gone too makes one of them (a claim) say
    that the visitor left."""
    a, b = site
    ann = await login(b, "ann")
    first, chat = await waiting_chat(a, message="Hello?")
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    second = await arrive(b, token=first.token)
    await site.until(lambda: a.hub.visitors[first.visitor_id].homes_elsewhere == {"b"}
                     and b.hub.visitors[first.visitor_id].homes_elsewhere == {"a"})
    await asyncio.gather(first.close(), second.close())
    await ann.push("chat.updated", lambda p: p["chat"]["state"] == "closed")
    await site.until(lambda: all(first.visitor_id not in node.hub.visitors
                                 and chat["id"] not in node.hub.chats for node in site))
    for node in site:   # the close is written behind, as a visitor's leaving is: queued by now
        await node.db.call(repository.chat_by_id, chat["id"])
    assert (await a.db.call(repository.chat_by_id, chat["id"])).state == ChatState.CLOSED
    assert len([p for p in ann.pushes_of("chat.updated") if p["chat"]["state"] == "closed"]) == 1
