"""Retention: each category expires after its own limit, on open and on demand, with audited counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import BlockingStore, Clock, make_chat, make_consent, make_message, make_visitor

from operator_desk.domain.model import Purpose
from operator_desk.store import CacheRetention, RawKey


def test_defaults_are_30_7_and_1_days(db: BlockingStore) -> None:
    limits = db.retention()
    assert (limits.transcripts_days, limits.received_details_days, limits.visitor_snapshots_days) == (
        30,
        7,
        1,
    )


def test_old_transcripts_go_with_their_index_entries(db: BlockingStore, clock: Clock) -> None:
    db.upsert_chats([make_chat("old", visitor_id="v-old", days=-40), make_chat("recent", days=-40)])
    db.upsert_messages(
        [
            make_message("o1", "walrus shipment", chat_id="old", days=-40),
            make_message("r1", "walrus again", chat_id="recent", days=-40),
            make_message("r2", "still talking", chat_id="recent", days=-2),  # keeps its chat alive
        ]
    )
    counts = db.purge_expired()
    assert (counts["chats"], counts["messages"]) == (1, 1)
    assert db.get_chat("old") is None
    assert [h.message.id for h in db.search("walrus").hits] == ["r1"]
    [entry] = db.audit_entries()
    assert (entry.action, entry.actor, entry.counts) == ("purge", "system", {"chats": 1, "messages": 1})


def test_details_and_snapshots_expire_on_their_own_limits(db: BlockingStore, clock: Clock) -> None:
    db.upsert_chats([make_chat()])
    db.add_consent_event(make_consent("e1", Purpose.CONTACT_DETAILS, True))
    db.put_visitor(make_visitor())
    db.add_received_details("c1", "r1", {"phone": "+44 20 7946 0000"})
    clock.advance(hours=25)
    assert db.purge_expired()["visitor_snapshots"] == 1
    assert db.visitor_snapshot("v1") is None
    assert len(db.received_details("c1")) == 1
    clock.advance(days=7)
    assert db.purge_expired()["received_details"] == 1
    assert db.received_details("c1") == []


def test_nothing_to_purge_writes_no_audit_entry(db: BlockingStore) -> None:
    assert not any(db.purge_expired().values())
    assert db.audit_entries() == []


def test_limits_are_configurable_and_kept(cache_file: Path, key: RawKey, clock: Clock) -> None:
    db = BlockingStore.open(cache_file, key, clock=clock)
    db.set_retention(CacheRetention(transcripts_days=90))
    db.upsert_chats([make_chat(days=-60)])
    db.close()
    db = BlockingStore.open(cache_file, key, clock=clock)  # purges on open with the kept limits
    try:
        assert db.retention().transcripts_days == 90
        assert db.get_chat("c1") is not None
    finally:
        db.close()


def test_open_purges_expired_rows(cache_file: Path, key: RawKey, clock: Clock) -> None:
    db = BlockingStore.open(cache_file, key, clock=clock)
    db.upsert_chats([make_chat(days=-20)])
    db.close()
    clock.advance(days=15)
    db = BlockingStore.open(cache_file, key, clock=clock)
    try:
        assert db.get_chat("c1") is None
        assert db.audit_entries()[0].action == "purge"
    finally:
        db.close()


def test_a_limit_below_one_day_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        CacheRetention(visitor_snapshots_days=0)
