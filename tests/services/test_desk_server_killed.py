"""The server process killed mid-chat (SIGKILL: no goodbye, no last commit) and started again.

The operator keeps typing while it is gone. When it is back, every message arrives once: in the
visitor's transcript, in the server's, in the desk's and in the local cache. Nothing the server had
acknowledged before the kill is lost with it.
"""

from __future__ import annotations

import pytest

from operator_desk.services.events import (
    ConnectionChanged,
    ConnectionState,
    DeliveryState,
    MessageDelivered,
    SignedIn,
)
from tests.kit.desks import Events, desk_accepts, signed_in
from tests.kit.servers import ServerProcess
from tests.kit.visitors import arrive, transcript_after_return


def texts(messages) -> list[str]:
    return [m["text"] if isinstance(m, dict) else m.text for m in messages]


@pytest.mark.asyncio
async def test_operator_messages_typed_while_the_server_was_killed_arrive_once(
        tmp_path, store, memory_keyring, desks):
    process = await ServerProcess(tmp_path / "server-data").start()
    url = process.url
    client = await arrive(process)
    try:
        events = Events()
        desk = desks(url, events, store)
        await signed_in(desk, events)
        chat_id = await desk_accepts(desk, events, client, name="Ada", message="Hi")
        await desk.send_message(chat_id, "before the kill")
        await events.wait_for(MessageDelivered)
        # The kill comes right after the answer: an acknowledged message must already be committed.
        await process.kill()
        await client.close()

        await events.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.RECONNECTING)
        offline = [await desk.send_message(chat_id, f"while killed {n}") for n in range(3)]
        assert [m.state for m in desk.messages_of(chat_id) if m.client_msg_id in offline] == [
            DeliveryState.SENDING] * 3
        assert [e.text for e in await store.outbox_pending()] == [f"while killed {n}" for n in range(3)]

        mark = len(events.log)
        await process.start()   # on the same data and port
        # The visitor's browser comes back as the widget does: visitor.hello with its token.
        client = await arrive(process, token=client.token)
        assert client.hello["chat"]["id"] == chat_id
        await events.wait_for(SignedIn, after=mark)
        await events.until(lambda: all(m.state is not DeliveryState.SENDING
                                       for m in desk.messages_of(chat_id)))
        assert [m.state for m in desk.messages_of(chat_id) if m.client_msg_id in offline] == [
            DeliveryState.DELIVERED] * 3
        assert await store.outbox_pending() == []

        expected = ["Hi", "before the kill", "while killed 0", "while killed 1", "while killed 2"]
        # The visitor: what its hello showed, then what was pushed after; each message once.
        assert await transcript_after_return(client, len(expected)) == expected

        assert texts((await desk.get_transcript(chat_id)).messages) == expected
        assert texts(desk.messages_of(chat_id)) == expected
        await desk.flush()
        assert sorted(texts(await store.chat_messages(chat_id))) == sorted(expected)
    finally:
        await client.close()
        await process.kill()

