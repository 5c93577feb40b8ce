"""Transcript review over the cache: every filter keeps a chat that must match and drops one that must
not, with and without words; pages go on from their cursor; snippets mark the matched words."""

from __future__ import annotations

import msgspec
import pytest
from store_helpers import BlockingStore, make_chat, make_message, make_visitor, ts

from operator_desk.domain.model import ChatState, Purpose
from operator_desk.store.records import CachedTranscriptQuery, DetailRequest


def listed(db: BlockingStore, **query) -> list[str]:
    return [t.chat.id for t in db.search_transcripts(CachedTranscriptQuery(**query)).transcripts]


@pytest.fixture
def three_chats(db: BlockingStore) -> BlockingStore:
    """refund: Ada's closed chat with op1 (details collected); boots: Bob's chat with op2; open: Cleo's
    active chat with op1 that mentions a refund too."""
    db.put_visitors([make_visitor("va", name="Ada Lovelace", email="ada@example.org"),
                     make_visitor("vb", name="Bob Byte", email="bob@example.net"),
                     make_visitor("vc", name="Cleo", email="cleo@example.com")])
    refund = msgspec.structs.replace(make_chat("refund", "va", "op1", hours=-30), state=ChatState.CLOSED,
                                     closed_at=ts(hours=-29))
    boots = msgspec.structs.replace(make_chat("boots", "vb", "op2", hours=-5), state=ChatState.CLOSED,
                                    closed_at=ts(hours=-4))
    db.upsert_chats([refund, boots, make_chat("open", "vc", "op1", hours=-1)])
    db.upsert_messages([
        make_message("r1", "My tent has a hole", "refund", hours=-30),
        make_message("r2", "I want a refund please", "refund", hours=-29.9),
        make_message("b1", "Do the boots come in size 46?", "boots", hours=-5),
        make_message("o1", "Is the refund policy 30 days?", "open", hours=-1),
    ])
    db.add_detail_request(DetailRequest(id="q1", chat_id="refund", notice_id="details-en", notice_version=1,
                                        fields=("phone",), requested_at=ts(hours=-29.8)))
    db.add_received_details("refund", "q1", {"phone": "+44 20 7946 0000"})
    return db


def test_every_filter_keeps_what_must_match_and_drops_what_must_not(three_chats: BlockingStore) -> None:
    db = three_chats
    assert listed(db) == ["open", "boots", "refund"]   # newest start first
    assert set(listed(db, text="refund")) == {"refund", "open"}
    assert listed(db, text="boots") == ["boots"]
    assert listed(db, text="refund boots") == []
    assert set(listed(db, operator_id="op1")) == {"refund", "open"}
    assert listed(db, text="refund", operator_id="op2") == []
    assert listed(db, visitor="lovelace") == ["refund"]
    assert listed(db, visitor="EXAMPLE.NET") == ["boots"]
    assert listed(db, visitor="vc") == ["open"]
    assert listed(db, visitor="nobody") == []
    assert listed(db, since=ts(hours=-6)) == ["open", "boots"]
    assert listed(db, until=ts(hours=-6)) == ["refund"]
    assert listed(db, text="refund", since=ts(hours=-6)) == ["open"]
    assert listed(db, state=ChatState.CLOSED) == ["boots", "refund"]
    assert listed(db, state=ChatState.ACTIVE, text="boots") == []
    assert listed(db, details=True) == ["refund"]
    assert listed(db, details=False) == ["open", "boots"]
    assert listed(db, text="refund", details=False) == ["open"]


def test_a_search_lists_each_chat_once_with_its_newest_match_marked(three_chats: BlockingStore) -> None:
    db = three_chats
    db.upsert_messages([make_message("r3", "Still waiting for the refund", "refund", hours=-29.5)])
    page = db.search_transcripts(CachedTranscriptQuery(text="refund"))
    by_id = {t.chat.id: t for t in page.transcripts}
    assert len(page.transcripts) == 2
    refund = by_id["refund"]
    assert refund.snippet == "Still waiting for the refund"
    assert [refund.snippet[a:b] for a, b in refund.highlights] == ["refund"]
    assert refund.message_count == 3
    assert refund.details_collected and not by_id["open"].details_collected
    assert refund.visitor_name == "Ada Lovelace"
    assert db.search_transcripts(CachedTranscriptQuery()).transcripts[0].snippet is None


def test_a_name_is_listed_only_while_the_snapshot_keeps_it(three_chats: BlockingStore) -> None:
    db = three_chats
    db.put_visitor(make_visitor("va", granted=(Purpose.VISITOR_INSIGHTS,)))   # no chat consent: no name
    found = db.search_transcripts(CachedTranscriptQuery(text="tent")).transcripts
    assert [t.visitor_name for t in found] == [None]


@pytest.mark.parametrize("text", ["", "note"])
def test_pages_go_on_from_their_cursor_to_the_last_chat(db: BlockingStore, text: str) -> None:
    chats = [make_chat(f"c{i:02d}", f"v{i}", "op1", minutes=i) for i in range(25)]
    db.upsert_chats(chats)
    db.upsert_messages([make_message(f"m{i}", f"note {i}", f"c{i:02d}", minutes=i, seconds=1)
                        for i in range(25)])
    seen: list[str] = []
    cursor = None
    while True:
        page = db.search_transcripts(CachedTranscriptQuery(text=text, limit=10, cursor=cursor))
        seen.extend(t.chat.id for t in page.transcripts)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"c{i:02d}" for i in reversed(range(25))]


def test_a_cursor_from_elsewhere_is_refused(db: BlockingStore) -> None:
    with pytest.raises(ValueError, match="not a transcript cursor"):
        db.search_transcripts(CachedTranscriptQuery(cursor="nonsense"))
    with pytest.raises(ValueError, match="not a transcript cursor"):
        db.search_transcripts(CachedTranscriptQuery(text="x", cursor="s|2026|c1"))
