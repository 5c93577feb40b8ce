"""A chat handed from one desk to another (issue 14, item 3), against the real server in-process, two
real desks with their own encrypted caches: every message is on both desks once, and in each desk's
cache file once (read back decrypted); the receiver gets the note and the consent state; the sender's
desk stops hearing the chat; a refusal changes nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import sqlcipher3

from operator_desk.domain.model import Purpose
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import ChatArrived, ChatTransferredIn, MessagesAdded
from tests.kit.desks import Events, decrypted_rows, make_desk, open_store, signed_in
from tests.kit.visitors import consent

NOTE = "Returns a tent bought in May; I checked the order already."


def cached_message_ids(path: Path, key: bytes, chat_id: str) -> list[str]:
    """The message ids of a chat in the cache file, read with a connection of our own."""
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        return [row[0] for row in conn.execute("SELECT id FROM messages WHERE chat_id = ?", (chat_id,))]
    finally:
        conn.close()


@pytest.mark.asyncio
async def test_a_transfer_keeps_every_message_once_on_both_desks_and_in_both_caches(
        server, memory_keyring, visitors, tmp_path):
    store_a, key_a = await open_store(tmp_path / "a.db")
    store_b, key_b = await open_store(tmp_path / "b.db")
    events_a, events_b = Events(), Events()
    olu = make_desk(server.url, events_a, store_a, profile="olu")
    lee = make_desk(server.url, events_b, store_b, profile="lee")
    try:
        await signed_in(olu, events_a, "operator")
        await signed_in(lee, events_b, "lead")
        visitor = await visitors(server)
        await consent(visitor, "chat", granted=True, method="prechat_form")
        await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
        chat_id = (await visitor.ok("chat.start", {"name": "Ada", "message": "Hello"}))["chat"]["id"]
        await events_a.wait_for(ChatArrived, lambda e: e.chat.id == chat_id)
        await olu.accept_chat(chat_id)
        for n in range(3):
            await visitor.ok("chat.send", {"client_msg_id": f"v{n}", "text": f"visitor {n}"})
            await olu.send_message(chat_id, f"olu {n}")
        await events_a.until(lambda: len(olu.messages_of(chat_id)) == 7
                             and all(m.message_id for m in olu.messages_of(chat_id)))
        before = [m.text for m in olu.messages_of(chat_id)]

        # Someone not signed in: refused, and nothing changes.
        with pytest.raises(DeskError) as refused:
            await olu.transfer_chat(chat_id, to_operator_id="op-nobody")
        assert refused.value.code is FailureCode.RECIPIENT_OFFLINE
        assert olu.chats[chat_id].operator_id == olu.operator.id

        handed = await olu.transfer_chat(chat_id, to_operator_id=lee.operator.id, note=NOTE)
        assert handed.operator_id == lee.operator.id and olu.chats[chat_id].operator_id == lee.operator.id
        arrived = await events_b.wait_for(ChatTransferredIn)
        assert arrived.note == NOTE and arrived.from_operator.name == olu.operator.name
        await events_b.until(lambda: len(lee.messages_of(chat_id)) == 7)
        assert [m.text for m in lee.messages_of(chat_id)] == before
        granted = {e.purpose for e in lee.consents_of(visitor.visitor_id) if e.granted}
        assert granted == {Purpose.CHAT, Purpose.VISITOR_INSIGHTS}   # the consent state came along

        # The chat goes on between the visitor and Lee; Olu's desk hears no more of it.
        await visitor.ok("chat.send", {"client_msg_id": "v-after", "text": "after the hand-over"})
        await events_b.wait_for(MessagesAdded,
                                lambda e: any(m.text == "after the hand-over" for m in e.messages))
        await lee.send_message(chat_id, "Lee here")
        await events_b.until(lambda: all(m.message_id for m in lee.messages_of(chat_id)))
        await visitor.ok("ping", {})
        assert [m.text for m in olu.messages_of(chat_id)] == before
        assert [m.text for m in lee.messages_of(chat_id)] == [*before, "after the hand-over", "Lee here"]

        # Each message once on each desk, and once in each desk's cache file.
        await olu.flush()
        await lee.flush()
        sides = ((olu, tmp_path / "a.db", key_a, 7), (lee, tmp_path / "b.db", key_b, 9))
        for desk, path, key, count in sides:
            shown = [m.message_id for m in desk.messages_of(chat_id)]
            assert len(shown) == count and len(set(shown)) == count
            cached = cached_message_ids(path, key, chat_id)
            assert Counter(cached) == Counter(shown)
        # The note is the receiving operator's to read, not something either cache keeps.
        for path, key in ((tmp_path / "a.db", key_a), (tmp_path / "b.db", key_b)):
            assert NOTE not in decrypted_rows(path, key)
    finally:
        await olu.close()
        await lee.close()
        await store_a.close()
        await store_b.close()
