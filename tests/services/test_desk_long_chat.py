"""A desk that keeps the 256 KiB frame limit reads a chat of thirty 10,000-character messages: it
accepts the chat, and signs in again (its resync accepts its open chats), without being disconnected,
and has every message. Before, ``chat.accept`` answered 305 KB: the desk was disconnected and could
not even sign in."""

from __future__ import annotations

import pytest
import pytest_asyncio

from operator_desk.server.config import Limits
from operator_desk.services.events import ChatArrived, ConnectionChanged, ConnectionState
from tests.kit.desks import Events, signed_in
from tests.kit.servers import start_demo
from tests.kit.visitors import arrive, consent


@pytest_asyncio.fixture
async def server(tmp_path):
    """Thirty messages at once are over a visitor's message rate: this server allows them."""
    limits = Limits(messages_per_second=100, messages_burst=100)
    running = await start_demo(tmp_path / "server", limits=limits)
    yield running
    await running.close()

LONG = "\U0001f600" * 9998  # four UTF-8 bytes each: about 40 KB a message


@pytest.mark.asyncio
async def test_a_desk_reads_a_long_chat_in_pages_and_stays_connected(server, store, memory_keyring, desks):
    visitor = await arrive(server)
    try:
        events = Events()
        desk = desks(server.url, events, store)
        await signed_in(desk, events, user="operator")
        await consent(visitor, "chat", granted=True, method="prechat_form")
        chat_id = (await visitor.ok("chat.start", {"name": "Ada"}))["chat"]["id"]
        await events.wait_for(ChatArrived)
        for n in range(30):
            await visitor.ok("chat.send", {"client_msg_id": f"v{n}", "text": f"{n:02d}{LONG}"})
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
