"""A chat from both sides over real sockets: incoming, accept, messages both ways, idempotent send,
typing, close, and what is stored."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.server import repository
from tests.kit.clients import AsyncClient, login
from tests.kit.visitors import arrive, consent

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too


async def start_chat(visitor: AsyncClient, name: str = "Vera Visitor",
                     email: str = "vera@example.com") -> dict:
    await consent(visitor, "chat", granted=True, method="prechat_form")
    return (await visitor.ok("chat.start", {"name": name, "email": email, "message": "Hello there"}))["chat"]


@pytest.mark.asyncio
async def test_chat_both_ways(server):
    ann = await login(server, "ann")
    ben = await login(server, "ben")
    visitor = await arrive(server)
    chat = await start_chat(visitor)
    assert chat["state"] == "waiting"

    incoming = await ann.push("chat.incoming")
    assert incoming["chat"]["id"] == chat["id"]
    assert incoming["visitor"]["name"] == "Vera Visitor"
    assert incoming["visitor"]["insights"] is None
    await ben.push("chat.incoming")
    first = await ann.push("chat.message")
    assert first["message"]["text"] == "Hello there"
    assert [c["id"] for c in (await ann.ok("chats.list"))["chats"]] == [chat["id"]]

    accepted = await ann.ok("chat.accept", {"chat_id": chat["id"]})
    assert accepted["chat"]["state"] == "active"
    assert [m["text"] for m in accepted["messages"]] == ["Hello there"]
    assert (await visitor.push("chat.updated"))["chat"]["state"] == "active"
    taken = await ben.push("chat.updated", lambda p: p["chat"]["state"] == "active")
    assert taken["chat"]["operator_id"] == ann.login["operator"]["id"]
    assert await ben.refused("chat.accept", {"chat_id": chat["id"]}) == "conflict"
    assert (
        await ben.refused("chat.send", {"chat_id": chat["id"], "client_msg_id": "x", "text": "hi"})
        == "conflict"
    )
    assert (await ben.ok("chats.list"))["chats"] == []

    sent = await ann.ok(
        "chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "How can I help?"}
    )
    pushed = await visitor.push("chat.message")
    assert pushed["message"] == sent["message"]
    assert pushed["message"]["author"] == "operator" and pushed["message"]["author_name"] == "Ann"

    await ann.ok("chat.typing", {"chat_id": chat["id"], "typing": True})
    assert (await visitor.push("chat.typing")) == {"typing": True}

    reply = await visitor.ok("chat.send", {"client_msg_id": "v1", "text": "Where is my order?"})
    assert (await ann.push("chat.message", lambda p: p["message"]["client_msg_id"] == "v1"))[
        "message"
    ] == reply["message"]
    # Once accepted, the chat's messages go to its operator only.
    assert all(p["message"]["client_msg_id"] != "v1" for p in ben.pushes_of("chat.message"))

    await ann.ok("chat.close", {"chat_id": chat["id"]})
    assert (await visitor.push("chat.closed"))["chat_id"] == chat["id"]
    assert (await ann.push("chat.updated", lambda p: p["chat"]["state"] == "closed"))["chat"]["closed_at"]
    assert await visitor.refused("chat.send", {"client_msg_id": "v2", "text": "still there?"}) == "conflict"

    transcript = await ann.ok("transcripts.get", {"chat_id": chat["id"]})
    assert [m["text"] for m in transcript["messages"]] == [
        "Hello there",
        "How can I help?",
        "Where is my order?",
    ]
    assert transcript["chat"]["state"] == "closed"
    assert [c["purpose"] for c in transcript["consents"]] == ["chat"]


@pytest.mark.asyncio
async def test_chat_send_is_idempotent_on_both_sides(server):
    ann = await login(server, "ann")
    visitor = await arrive(server)
    chat = await start_chat(visitor)
    await ann.ok("chat.accept", {"chat_id": chat["id"]})

    payload = {"chat_id": chat["id"], "client_msg_id": "same", "text": "Once only"}
    first = await ann.ok("chat.send", payload)
    again = await ann.ok("chat.send", payload)
    assert first == again
    v_first = await visitor.ok("chat.send", {"client_msg_id": "same", "text": "Mine once"})
    v_again = await visitor.ok("chat.send", {"client_msg_id": "same", "text": "Mine once"})
    assert v_first == v_again
    assert v_first["message"]["id"] != first["message"]["id"]  # same client id, different authors

    stored = await server.db.call(repository.messages_of, chat["id"])
    assert sorted(m.text for m in stored) == ["Hello there", "Mine once", "Once only"]
    assert len(visitor.pushes_of("chat.message")) == 1


@pytest.mark.asyncio
async def test_chat_start_needs_chat_consent_and_stores_nothing(server):
    visitor = await arrive(server)
    assert await visitor.refused("chat.start", {"name": "No Consent", "message": "hi"}) == "consent_required"
    found = await server.db.call(lambda conn: conn.execute("SELECT count(*) FROM chats").fetchone()[0])
    rows = await server.db.call(lambda conn: conn.execute("SELECT count(*) FROM visitors").fetchone()[0])
    assert found == 0
    assert rows == 0   # present on a page, asked for nothing that is kept: no visitor row either


@pytest.mark.asyncio
async def test_visitor_leaving_closes_the_chat_and_is_announced(server):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    visitor = await arrive(server)
    chat = await start_chat(visitor)
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await visitor.close()
    assert (await ann.push("visitor.left"))["visitor_id"] == visitor.visitor_id
    closed = await ann.push("chat.updated", lambda p: p["chat"]["state"] == "closed")
    assert closed["chat"]["id"] == chat["id"]
    assert (await ann.ok("visitors.subscribe"))["visitors"] == []


@pytest.mark.asyncio
async def test_visitor_chat_end_and_notices_and_ping(server):
    ann = await login(server, "ann")
    notices = (await ann.ok("notices.list"))["notices"]
    assert {n["id"] for n in notices} >= {"prechat-en", "prechat-de", "details-en", "typing-de"}
    assert await ann.ok("ping") == {}
    visitor = await arrive(server, language="de-DE")
    assert {n["language"] for n in visitor.hello["notices"]} == {"de"}
    assert visitor.hello["consent"] == {
        "chat": False,
        "visitor_insights": False,
        "contact_details": False,
        "typing_preview": False,
    }
    chat = await start_chat(visitor)
    await visitor.ok("chat.end")
    assert (await visitor.push("chat.closed"))["chat_id"] == chat["id"]
    assert (await ann.push("chat.updated", lambda p: p["chat"]["state"] == "closed"))["chat"]["id"] == chat[
        "id"
    ]
    assert await visitor.ok("ping") == {}


@pytest.mark.asyncio
async def test_tabs_opened_at_once_by_a_returning_visitor_are_one_visitor(server):
    """A browser restores two tabs of a returning visitor at once: both hellos look the token up in the
    database, and they must still join one live visitor, so that either tab hears the operator."""
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    first = await arrive(server)
    # A visitor the server keeps (one who asked for nothing is not).
    await consent(first, "chat", granted=True, method="prechat_form")
    token = first.hello["visitor_token"]
    await first.close()
    await ann.push("visitor.left")
    tabs = [await AsyncClient.connect(server.visitor_url) for _ in range(2)]
    hello = {"page": {"url": "http://shop.example/", "title": "Shop"}, "visitor_token": token}
    answers = await asyncio.gather(*(tab.ok("visitor.hello", hello) for tab in tabs))
    assert {answer["visitor_id"] for answer in answers} == {first.visitor_id}
    for tab, answer in zip(tabs, answers, strict=True):
        tab.hello = answer
    chat = await start_chat(tabs[0])
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "How can I help?"})
    for tab in tabs:
        assert (await tab.push("chat.message"))["message"]["client_msg_id"] == "a1"
        await tab.close()
