"""The local audit log as the audit viewer reads it: filters, pages newest first by sequence, details
that are references only, and tombstones of erased people."""

from __future__ import annotations

import json

import msgspec
import pytest
from store_helpers import BlockingStore, Clock, make_chat, make_message

from operator_desk.store import CacheAuditQuery


def _fill(db: BlockingStore, clock: Clock) -> None:
    for n in range(30):
        clock.advance(minutes=1)
        db.record_audit("transcripts.get" if n % 3 else "export", actor=f"op{n % 2}",
                        visitor_id=f"v{n % 5}", detail={"chat_id": f"c{n}"})


def test_entries_are_filtered_by_action_actor_and_time_and_paged_newest_first(db, clock) -> None:
    _fill(db, clock)
    everything = db.audit_page(CacheAuditQuery(limit=500)).entries
    assert [e.detail["chat_id"] for e in everything] == [f"c{n}" for n in range(29, -1, -1)]
    assert [e.seq for e in everything] == sorted((e.seq for e in everything), reverse=True)

    views = db.audit_page(CacheAuditQuery(action="transcripts.get", limit=500)).entries
    assert views and {e.action for e in views} == {"transcripts.get"}
    assert len(views) == 20
    mine = db.audit_page(CacheAuditQuery(actor="op1", limit=500)).entries
    assert mine and {e.actor for e in mine} == {"op1"} and len(mine) == 15
    window = db.audit_page(CacheAuditQuery(since=everything[-2].at, until=everything[-12].at, limit=500))
    assert [e.detail["chat_id"] for e in window.entries] == [f"c{n}" for n in range(10, 0, -1)]

    pages, cursor = [], None
    while True:
        page = db.audit_page(CacheAuditQuery(action="transcripts.get", limit=7, cursor=cursor))
        pages.append(page.entries)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert [len(p) for p in pages] == [7, 7, 6]
    assert [e for p in pages for e in p] == list(views)


def test_order_is_the_order_written_not_the_clock(db, clock) -> None:
    db.record_audit("first", actor="op1")
    clock.advance(hours=-2)   # the clock steps back
    db.record_audit("second", actor="op1")
    assert [e.action for e in db.audit_page(CacheAuditQuery()).entries] == ["second", "first"]


def test_a_bad_cursor_is_refused(db) -> None:
    with pytest.raises(ValueError, match="cursor"):
        db.audit_page(CacheAuditQuery(cursor="not-a-seq"))


def test_actions_and_actors_list_what_the_log_holds(db, clock) -> None:
    _fill(db, clock)
    assert db.audit_actions() == ["export", "transcripts.get"]
    assert db.audit_actors() == ["op0", "op1"]


def test_an_erased_persons_entries_show_their_tombstone(db, clock) -> None:
    db.upsert_chats([make_chat("c1", "v1"), make_chat("c2", "v2")])
    db.upsert_messages([make_message("m1", "hello", "c1"), make_message("m2", "hi", "c2")])
    db.record_audit("transcripts.get", actor="op1", visitor_id="v1", detail={"chat_id": "c1"})
    db.record_audit("transcripts.get", actor="op1", visitor_id="v2", detail={"chat_id": "c2"})
    db.erase_subject("v1", actor="op9")
    entries = db.audit_page(CacheAuditQuery()).entries
    by_action = {(e.action, e.detail.get("chat_id")): e for e in entries}
    erased_view = by_action[("transcripts.get", "c1")]
    other_view = by_action[("transcripts.get", "c2")]
    tombstone = by_action[("erase", None)]
    assert erased_view.subject_erased and tombstone.subject_erased
    assert erased_view.subject == tombstone.subject == db.subject_pseudonym("v1")
    assert not other_view.subject_erased
    # No visitor id anywhere: hex pseudonyms cannot spell "v1" or "v2".
    dumped = json.dumps(msgspec.to_builtins(entries))
    assert "v1" not in dumped and "v2" not in dumped
