"""A desk that keeps the 256 KiB frame limit reads a chat of thirty 10,000-character messages: it
accepts the chat, and signs in again (its resync accepts its open chats), without being disconnected,
and has every message. Before, ``chat.accept`` answered 305 KB: the desk was disconnected and could
not even sign in."""

from __future__ import annotations

import desk_harness
import pytest
from desk_harness import Events, VisitorClient, signed_in

from operator_desk.services.events import ChatArrived, ConnectionChanged, ConnectionState

desks, memory_keyring, server, store = (
    desk_harness.desks, desk_harness.memory_keyring, desk_harness.server, desk_harness.store,
)

LONG = "\U0001f600" * 9998  # four UTF-8 bytes each: about 40 KB a message


@pytest.mark.asyncio
async def test_a_desk_reads_a_long_chat_in_pages_and_stays_connected(server, store, memory_keyring, desks):
    visitor = await VisitorClient.open(server.visitor_url)
    try:
        events = Events()
        desk = desks(server.url, events, store)
        await signed_in(desk, events, user="operator")
        await visitor.consent("chat")
        chat_id = (await visitor.request("chat.start", {"name": "Ada"}))["chat"]["id"]
        await events.wait_for(ChatArrived)
        for n in range(30):
            await visitor.request("chat.send", {"client_msg_id": f"v{n}", "text": f"{n:02d}{LONG}"})
        expected = [f"{n:02d}" for n in range(30)]

        await desk.accept_chat(chat_id)
        assert [m.text[:2] for m in desk.messages_of(chat_id)] == expected

        again_events = Events()
        again = desks(server.url, again_events, store, profile="second")
        await signed_in(again, again_events, user="operator")
        await again_events.until(lambda: len(again.messages_of(chat_id)) == 30)
        assert [m.text[:2] for m in again.messages_of(chat_id)] == expected
        for log in (events, again_events):
            assert not [e for e in log.of(ConnectionChanged) if e.state is ConnectionState.RECONNECTING]
    finally:
        await visitor.close()
