"""The outbox: operator messages not yet acknowledged survive a restart, in the order written."""

from __future__ import annotations

from pathlib import Path

from store_helpers import BlockingStore, Clock, make_chat

from operator_desk.store import RawKey


def test_outbox_survives_reopen_in_order(cache_file: Path, key: RawKey, clock: Clock) -> None:
    db = BlockingStore.open(cache_file, key, clock=clock)
    db.upsert_chats([make_chat("c1"), make_chat("c2", visitor_id="v2")])
    for client_msg_id, chat_id in [("a", "c1"), ("b", "c2"), ("c", "c1"), ("d", "c1")]:
        assert db.outbox_add(chat_id, client_msg_id, f"reply {client_msg_id}")
        clock.advance(seconds=1)
    assert not db.outbox_add("c1", "a", "reply a")  # the same client_msg_id is queued once
    assert db.outbox_ack("c")
    assert not db.outbox_ack("c")
    db.close()

    db = BlockingStore.open(cache_file, key, clock=clock)
    try:
        assert [(e.client_msg_id, e.text) for e in db.outbox_pending()] == [
            ("a", "reply a"),
            ("b", "reply b"),
            ("d", "reply d"),
        ]
        assert [e.client_msg_id for e in db.outbox_pending("c1")] == ["a", "d"]
        assert db.outbox_pending()[0].created_at == "2026-11-29T10:00:00.000Z"
    finally:
        db.close()
