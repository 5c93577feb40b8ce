"""Open chats survive a restart of the server, and a returning browser sees the chat it is in.

After a restart the visitor of a chat left open counts as having just disconnected: back within the
grace period (with its visitor token), the chat goes on with the same operator; not back, the chat is
closed as after any disconnect. ``visitor.hello`` returns the open chat and its last messages."""

from __future__ import annotations

import asyncio
import socket

import pytest

from operator_desk.protocol.messages import HELLO_MESSAGES
from tests.kit.accounts import PASSWORD
from tests.kit.clients import login
from tests.kit.servers import GENEROUS, fast_settings, start
from tests.kit.visitors import arrive, consent


async def _chat_with_ann(server):
    ann = await login(server, "ann")
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Vera", "message": "Hello there"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "How can I help?"})
    await visitor.push("chat.message")
    return ann, visitor, chat


@pytest.mark.asyncio
async def test_an_open_chat_goes_on_after_a_restart(tmp_path):
    server = await start(tmp_path, demo=True)
    await server.add_operator("ann", PASSWORD, "operator", "Ann")
    ann, visitor, chat = await _chat_with_ann(server)
    token = visitor.hello["visitor_token"]
    await server.close()  # the server stops with everyone still connected
    await ann.close()
    await visitor.close()

    server = await start(tmp_path, demo=True)
    try:
        ann = await login(server, "ann")
        mine = (await ann.ok("chats.list"))["chats"]
        assert [(c["id"], c["state"]) for c in mine] == [(chat["id"], "active")]
        # Carried over: subscribed operators see the visitor (waiting for their browser to come back).
        listed = (await ann.ok("visitors.subscribe"))["visitors"]
        assert [(v["id"], v["state"], v["name"]) for v in listed] == [
            (chat["visitor_id"], "chatting", "Vera")
        ]

        # Sent again by a desk flushing its outbox, before the visitor is back: stored once.
        resent = await ann.ok(
            "chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "How can I help?"}
        )
        assert resent["message"]["text"] == "How can I help?"
        await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a2", "text": "Still here?"})

        back = await arrive(server, token=token)
        assert back.hello["visitor_id"] == chat["visitor_id"]
        assert back.hello["consent"]["chat"] is True
        assert back.hello["chat"]["id"] == chat["id"] and back.hello["chat"]["state"] == "active"
        assert [m["text"] for m in back.hello["messages"]] == [
            "Hello there",
            "How can I help?",
            "Still here?",
        ]

        await back.ok("chat.send", {"client_msg_id": "v1", "text": "Yes!"})
        assert (await ann.push("chat.message"))["message"]["text"] == "Yes!"
        await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a3", "text": "Good."})
        assert (await back.push("chat.message"))["message"]["text"] == "Good."
        accepted = await ann.ok("chat.accept", {"chat_id": chat["id"]})
        assert [m["text"] for m in accepted["messages"]] == [
            "Hello there",
            "How can I help?",
            "Still here?",
            "Yes!",
            "Good.",
        ]
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_a_carried_over_chat_closes_when_its_visitor_does_not_come_back(tmp_path):
    server = await start(tmp_path, demo=True)
    await server.add_operator("ann", PASSWORD, "operator", "Ann")
    ann, visitor, chat = await _chat_with_ann(server)
    await server.close()
    await ann.close()
    await visitor.close()

    server = await start(tmp_path, demo=True, settings=fast_settings(restart_grace=0.2))
    try:
        ann = await login(server, "ann")
        listed = (await ann.ok("visitors.subscribe"))["visitors"]
        if chat["visitor_id"] in server.hub.visitors:  # the grace was still running: ann hears the close
            closed = await ann.push("chat.updated", lambda p: p["chat"]["state"] == "closed")
            assert closed["chat"]["id"] == chat["id"]
        # (on a loaded machine the grace can end before ann's sign-in: what follows holds either way)
        if any(v["id"] == chat["visitor_id"] for v in listed):  # the grace ended after the subscription
            assert (await ann.push("visitor.left"))["visitor_id"] == chat["visitor_id"]
        assert chat["visitor_id"] not in server.hub.visitors
        assert (await ann.ok("chats.list"))["chats"] == []
        assert await ann.refused(
            "chat.send", {"chat_id": chat["id"], "client_msg_id": "a9", "text": "x"}
        ) == ("not_found")
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_a_reloaded_widget_gets_its_open_chat_and_the_last_messages(tmp_path):
    server = await start(tmp_path, demo=True, limits=GENEROUS)  # 105 messages at once: over the rate
    await server.add_operator("ann", PASSWORD, "operator", "Ann")
    try:
        await _reloaded_widget(server)
    finally:
        await server.close()


async def _reloaded_widget(server):
    ann, visitor, chat = await _chat_with_ann(server)
    for n in range(HELLO_MESSAGES + 5):
        await visitor.ok("chat.send", {"client_msg_id": f"v{n}", "text": f"line {n}"})
    # Another tab (or the same page reloaded) with the same visitor token.
    again = await arrive(server, token=visitor.hello["visitor_token"])
    assert again.hello["chat"]["id"] == chat["id"]
    texts = [m["text"] for m in again.hello["messages"]]
    assert len(texts) == HELLO_MESSAGES
    assert texts[-1] == f"line {HELLO_MESSAGES + 4}" and texts[0] == "line 5"
    ats = [m["at"] for m in again.hello["messages"]]
    assert ats == sorted(ats) and len(set(ats)) == len(ats)  # in the order sent, even within one ms

    await visitor.ok("chat.end")
    await visitor.close()
    await again.close()
    later = await arrive(server, token=visitor.hello["visitor_token"])
    assert later.hello["chat"] is None and later.hello["messages"] == []
    first = await arrive(server)
    assert first.hello["chat"] is None and first.hello["messages"] == []
    await ann.close()


@pytest.mark.asyncio
async def test_a_stopping_server_accepts_nobody_once_it_tells_sessions_to_go(tmp_path):
    """A desk told "server shutting down, back off" may come straight back: the listener is shut
    before anyone is told, so that nothing is accepted while the server drains and closes."""
    server = await start(tmp_path, demo=True)
    await server.add_operator("ann", PASSWORD, "operator", "Ann")
    ann = await login(server, "ann")
    stopping = asyncio.create_task(server.close())
    try:
        await ann.push("session.closing")
        # The server runs on this loop, so it cannot move on while this call blocks: whatever the
        # listener does now, it did when the session was told.
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    finally:
        await stopping
        await ann.close()
