"""The desk against the real server in-process and a real encrypted cache: signing in (password once,
then the token only), visitors in coalesced batches, consent gating, chats end to end."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.domain.model import ChatState
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import (
    CacheStatus,
    ChatArrived,
    ConnectionChanged,
    ConnectionState,
    DeliveryState,
    MessageDelivered,
    MessagesAdded,
    SignedIn,
    SignedOut,
    VisitorsChanged,
)
from tests.kit.desks import Events, signed_in
from tests.kit.timing import WAIT
from tests.kit.visitors import consent

# The shared fixtures, by name (pytest finds fixtures among a module's globals).


@pytest.mark.asyncio
async def test_password_once_then_token_only(server, store, memory_keyring, desks):
    events = Events()
    desk = desks(server.url, events, store)
    assert await desk.start() is False  # no token yet: the UI shows the login dialog
    await desk.sign_in("supervisor", "demo")
    signed = await events.wait_for(SignedIn)
    assert signed.operator.role == "supervisor" and desk.operator == signed.operator
    assert events.of(CacheStatus)[0] == CacheStatus(available=True, encrypted=True)
    # The keyring holds the server's token and nothing else; the password is nowhere in it.
    assert list(memory_keyring.secrets) == [("operator-desk", "test:token")]
    token = memory_keyring.secrets[("operator-desk", "test:token")]
    assert token == desk.session.token and "demo" not in token
    await desk.close()

    later = Events()
    again = desks(server.url, later, store)
    assert await again.start() is True
    await later.wait_for(SignedIn)
    assert again.operator.name == signed.operator.name
    await later.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.ONLINE)


@pytest.mark.asyncio
async def test_wrong_password_is_a_failure_code(server, store, memory_keyring, desks):
    desk = desks(server.url, Events(), store)
    with pytest.raises(DeskError) as caught:
        await desk.sign_in("supervisor", "not-it")
    assert caught.value.code is FailureCode.INVALID_CREDENTIALS
    assert memory_keyring.secrets == {}


@pytest.mark.asyncio
async def test_insecure_url_is_refused(store, memory_keyring, desks):
    desk = desks("ws://chat.example.org:8080", Events(), store)
    with pytest.raises(DeskError) as caught:
        await desk.sign_in("supervisor", "demo")
    assert caught.value.code is FailureCode.INSECURE_URL


@pytest.mark.asyncio
async def test_revoked_token_signs_out(server, store, memory_keyring, desks):
    first = Events()
    desk = desks(server.url, first, store)
    await signed_in(desk, first)
    await desk.close()
    # Another start with the same token signs out: the server revokes the token.
    other = Events()
    second = desks(server.url, other, None)
    assert await second.start() is True
    await other.wait_for(SignedIn)
    await second.sign_out()
    assert other.of(SignedOut)[-1] == SignedOut(failure=None)
    # The stored token is gone, so put the revoked one back as a stale keyring would hold it.
    memory_keyring.secrets[("operator-desk", "test:token")] = desk.session.token
    third_events = Events()
    third = desks(server.url, third_events, None)
    assert await third.start() is False
    assert third_events.of(SignedOut) == [SignedOut(failure=FailureCode.TOKEN_REVOKED)]
    assert ("operator-desk", "test:token") not in memory_keyring.secrets


@pytest.mark.asyncio
async def test_session_closing_never_leaves_the_desk_closed(server, memory_keyring, desks):
    events = Events()
    desk = desks(server.url, events, None)
    await signed_in(desk, events)
    # A second desk on the same token logs out: the server ends every session of that token, "never".
    other = desks(server.url, Events(), None)
    assert await other.start() is True
    await other.sign_out()
    await events.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.CLOSED)
    assert not any(isinstance(e, ConnectionChanged) and e.state is ConnectionState.RECONNECTING
                   for e in events.log)
    assert desk.session.state.value == "closed"


@pytest.mark.asyncio
async def test_visitor_updates_arrive_coalesced(server, supervisor, visitors):
    desk, events = supervisor
    await events.wait_for(VisitorsChanged, lambda e: e.reset)
    start = len(events.log)
    crowd = [await visitors(server) for _ in range(5)]
    pages = 0
    for round_ in range(10):
        for client in crowd:
            await client.ok("visitor.page", {"url": f"https://shop.example/p{round_}", "title": "P"})
            pages += 1
    def shown_pages() -> dict[str, str]:
        # What a model fed only by the events would show.
        shown = {}
        for event in events.log[start:]:
            if isinstance(event, VisitorsChanged):
                shown.update({v.id: v.page.url for v in event.upserts})
        return shown

    await events.until(lambda: all(
        shown_pages().get(c.visitor_id) == "https://shop.example/p9" for c in crowd))
    batches = [e for e in events.log[start:] if isinstance(e, VisitorsChanged)]
    upserts = sum(len(b.upserts) for b in batches)
    # 55 upserts on the wire (5 arrivals + 50 page views); far fewer events, each a batch.
    assert len(batches) < pages / 2
    assert upserts < pages + len(crowd)
    assert all(desk.visitors[c.visitor_id].page.url == "https://shop.example/p9" for c in crowd)


@pytest.mark.asyncio
async def test_no_insights_without_consent_in_any_event(server, store, supervisor, visitors):
    desk, events = supervisor
    client = await visitors(server)
    await consent(client, "chat", granted=True, method="prechat_form")
    await client.ok("chat.start", {"name": "Ada Lovelace", "email": "ada@example.org"})
    await events.wait_for(ChatArrived)
    await events.until(lambda: client.visitor_id in desk.visitors)
    seen = [v for e in events.of(VisitorsChanged) for v in e.upserts if v.id == client.visitor_id]
    seen += [e.visitor for e in events.of(ChatArrived)]
    assert seen and all(v.insights is None for v in seen)
    assert desk.visitors[client.visitor_id].name == "Ada Lovelace"
    await desk.flush()
    snapshot = await store.visitor_snapshot(client.visitor_id)
    assert snapshot is not None and snapshot.insights is None

    await consent(client, "visitor_insights", granted=True, method="prechat_form")
    await events.until(lambda: desk.visitors[client.visitor_id].insights is not None)
    assert desk.visitors[client.visitor_id].insights.ip
    await consent(client, "visitor_insights", granted=False, method="prechat_form")
    await events.until(lambda: desk.visitors[client.visitor_id].insights is None)
    await desk.flush()
    assert (await store.visitor_snapshot(client.visitor_id)).insights is None


@pytest.mark.asyncio
async def test_chat_accept_and_answer_both_ways(server, store, supervisor, visitors):
    desk, events = supervisor
    client = await visitors(server)
    await consent(client, "chat", granted=True, method="prechat_form")
    chat = (await client.ok("chat.start", {"name": "Ada", "message": "Hello, my tent leaks"}))["chat"]
    incoming = await events.wait_for(ChatArrived)
    assert incoming.chat.id == chat["id"] and incoming.chat.state is ChatState.WAITING
    await desk.accept_chat(chat["id"])
    assert desk.chats[chat["id"]].state is ChatState.ACTIVE
    assert [m.text for m in desk.messages_of(chat["id"])] == ["Hello, my tent leaks"]

    client_msg_id = await desk.send_message(chat["id"], "Sorry to hear that!")
    delivered = await events.wait_for(MessageDelivered, lambda e: e.client_msg_id == client_msg_id)
    assert delivered.message.text == "Sorry to hear that!"
    got = await client.push("chat.message")
    assert got["message"]["text"] == "Sorry to hear that!"
    await client.ok("chat.send", {"client_msg_id": "c-1", "text": "Thanks"})
    await events.wait_for(MessagesAdded, lambda e: any(m.text == "Thanks" for m in e.messages))
    shown = desk.messages_of(chat["id"])
    assert [(m.author, m.text, m.state) for m in shown] == [
        ("visitor", "Hello, my tent leaks", DeliveryState.DELIVERED),
        ("operator", "Sorry to hear that!", DeliveryState.DELIVERED),
        ("visitor", "Thanks", DeliveryState.DELIVERED),
    ]
    await desk.flush()
    cached = await store.chat_messages(chat["id"])
    assert [m.text for m in cached] == ["Hello, my tent leaks", "Sorry to hear that!", "Thanks"]
    assert await store.outbox_pending() == []

    await desk.close_chat(chat["id"])
    await events.until(lambda: desk.chats[chat["id"]].state is ChatState.CLOSED)
    await client.push("chat.closed")


@pytest.mark.asyncio
async def test_accepting_a_taken_chat_is_a_conflict(server, store, memory_keyring, desks, visitors):
    await server.add_operator("ann", "secret-pass", "operator", "Ann")
    events, other_events = Events(), Events()
    desk = desks(server.url, events, store)
    await signed_in(desk, events)
    other = desks(server.url, other_events, None, profile="ann")
    await other.sign_in("ann", "secret-pass")
    client = await visitors(server)
    await consent(client, "chat", granted=True, method="prechat_form")
    chat = (await client.ok("chat.start", {}))["chat"]
    await other_events.wait_for(ChatArrived)
    await other.accept_chat(chat["id"])
    with pytest.raises(DeskError) as caught:
        await desk.accept_chat(chat["id"])
    assert caught.value.code is FailureCode.CONFLICT
    await asyncio.wait_for(events.until(lambda: desk.chats[chat["id"]].state is ChatState.ACTIVE), WAIT)
