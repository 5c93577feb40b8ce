"""Chats and messages as they arrive: idempotent upserts, a chat's last messages, the chat list."""

from __future__ import annotations

import msgspec
import pytest
from store_helpers import BlockingStore, make_chat, make_message

from operator_desk.domain.model import ChatState
from operator_desk.store import StoreInternalError


def test_same_message_twice_is_stored_once(db: BlockingStore) -> None:
    db.upsert_chats([make_chat()])
    batch = [make_message(f"m{i}", f"text {i}", seconds=i) for i in range(3)]
    assert db.upsert_messages(batch) == 3
    assert db.upsert_messages(batch) == 0
    assert db.upsert_messages([make_message("m1", "text 1", seconds=1)]) == 0
    assert [m.id for m in db.chat_messages("c1")] == ["m0", "m1", "m2"]


def test_chat_messages_gives_the_last_n_oldest_first(db: BlockingStore) -> None:
    db.upsert_chats([make_chat("c1"), make_chat("c2", visitor_id="v2")])
    # Arriving out of order, and interleaved with another chat's messages.
    db.upsert_messages([make_message(f"a{i}", f"a {i}", seconds=i) for i in reversed(range(120))])
    db.upsert_messages([make_message(f"b{i}", f"b {i}", chat_id="c2", seconds=i) for i in range(10)])
    last = db.chat_messages("c1", limit=50)
    assert [m.id for m in last] == [f"a{i}" for i in range(70, 120)]
    assert db.chat_messages("c2", limit=3)[-1].id == "b9"


def test_messages_in_the_same_millisecond_are_all_kept(db: BlockingStore) -> None:
    db.upsert_chats([make_chat()])
    assert db.upsert_messages([make_message(f"m{i}", f"same ms {i}") for i in range(20)]) == 20
    assert len(db.search("same", limit=50).hits) == 20


def test_chat_upsert_updates_state_and_keeps_one_row(db: BlockingStore) -> None:
    waiting = msgspec.structs.replace(make_chat(), state=ChatState.WAITING, operator_id=None)
    db.upsert_chats([waiting])
    closed = msgspec.structs.replace(
        make_chat(), state=ChatState.CLOSED, closed_at="2026-11-29T11:00:00.000Z"
    )
    db.upsert_chats([closed])
    assert db.list_chats() == [closed]
    assert db.get_chat("c1") == closed
    assert db.get_chat("nope") is None


def test_chat_list_is_newest_first_and_filters(db: BlockingStore) -> None:
    db.upsert_chats([make_chat("old", minutes=-10), make_chat("new"), make_chat("other", visitor_id="v2")])
    assert [c.id for c in db.list_chats(visitor_id="v1")] == ["new", "old"]
    assert [c.id for c in db.list_chats(limit=1, offset=1, visitor_id="v1")] == ["old"]


def test_message_for_an_unknown_chat_is_refused(db: BlockingStore) -> None:
    with pytest.raises(StoreInternalError):
        db.upsert_messages([make_message("m1", "orphan", chat_id="unknown")])
    db.upsert_chats([make_chat("unknown")])
    assert db.chat_messages("unknown") == []  # the refused batch left nothing behind
