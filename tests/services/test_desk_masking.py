"""A card number a visitor types never reaches the operator's desk, nor its encrypted cache: the real
server masks it, and the cache file is read back decrypted, every row of every table."""

from __future__ import annotations

import pytest

from operator_desk.services.events import ChatArrived, MessagesAdded, SignedIn, TypingChanged
from tests.kit.desks import Events, decrypted_rows, make_desk, open_store
from tests.kit.visitors import consent

CARD, WRITTEN = "5555555555554444", "5555 5555 5555 4444"


@pytest.mark.asyncio
async def test_a_card_number_is_neither_shown_nor_cached(server, memory_keyring, visitors, tmp_path):
    store, key = await open_store(tmp_path / "cache.db")
    events = Events()
    desk = make_desk(server.url, events, store)
    try:
        await desk.sign_in("operator", "demo")
        await events.wait_for(SignedIn)
        visitor = await visitors(server)
        for purpose in ("chat", "typing_preview"):
            await consent(visitor, purpose, granted=True, method="widget_settings")
        chat = (await visitor.ok("chat.start", {"name": "Kim", "message": f"card {WRITTEN}"}))["chat"]
        await events.wait_for(ChatArrived, lambda e: e.chat.id == chat["id"])
        await desk.accept_chat(chat["id"])
        await visitor.ok("chat.send", {"client_msg_id": "v1", "text": f"again: {CARD}"})
        await events.wait_for(MessagesAdded, lambda e: any(m.text.startswith("again") for m in e.messages))
        await visitor.ok("chat.typing", {"typing": True, "draft": f"typing {WRITTEN}"})
        typing = await events.wait_for(TypingChanged, lambda e: e.preview is not None)
        assert typing.preview == "typing •••• •••• •••• 4444"
        await desk.send_message(chat["id"], f"do not send {CARD}")
        await desk.flush()
        shown = [m.text for m in desk.messages_of(chat["id"])]
        assert shown == ["card •••• •••• •••• 4444", "again: ••••••••••••4444",
                         "do not send ••••••••••••4444"]
        cached = decrypted_rows(tmp_path / "cache.db", key)
        assert "••••4444" in cached
        assert CARD not in cached and WRITTEN not in cached and CARD[:12] not in cached
        assert not any(CARD in repr(event) or WRITTEN in repr(event) for event in events.log)
    finally:
        await desk.close()
        await store.close()
