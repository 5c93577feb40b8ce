"""The server's erasure journal applied to the cache: entries name visitors and chats by keyed hashes;
the cache hashes the ids it holds to find them. A cache that cannot follow the journal keeps nothing
personal but the operator's unsent messages."""

from __future__ import annotations

import os

from store_helpers import BlockingStore, make_chat, make_consent, make_message, make_visitor

from operator_desk.domain.erasure import id_hash
from operator_desk.domain.model import Purpose
from operator_desk.protocol.messages import Erasure
from operator_desk.store import DetailRequest

KEY = os.urandom(32)
AT = "2026-11-29T10:00:00.000Z"


def _fill(db: BlockingStore) -> None:
    """v1 with a chat c1 (messages, details, an unsent reply), v2 with chats c2 and c3."""
    db.put_visitor(make_visitor("v1", name="Zebulon Quillfeather", email="zq@example.org"))
    db.put_visitor(make_visitor("v2", name="Bea Bystander", email="bea@example.org"))
    db.add_consent_event(make_consent("e1", Purpose.CHAT, True, minutes=-5))
    db.add_consent_event(make_consent("e2", Purpose.CONTACT_DETAILS, True, minutes=-5))
    db.add_consent_event(make_consent("e3", Purpose.CHAT, True, visitor_id="v2", minutes=-5))
    db.upsert_chats([make_chat("c1", visitor_id="v1"), make_chat("c2", visitor_id="v2"),
                     make_chat("c3", visitor_id="v2")])
    db.upsert_messages([make_message("m1", "my quetzalcoatl recipe", chat_id="c1", seconds=1),
                        make_message("m2", "an old question about tents", chat_id="c2", seconds=2),
                        make_message("m3", "a newer question about boots", chat_id="c3", seconds=3)])
    db.add_detail_request(DetailRequest(id="r1", chat_id="c1", notice_id="n1", notice_version=1,
                                        fields=("phone",), requested_at=AT))
    db.add_received_details("c1", "r1", {"phone": "+44 29 2018 7777"})
    db.outbox_add("c1", "cm-1", "thanks, noted")
    db.outbox_add("c3", "cm-2", "boots are in aisle 4")


def test_an_erasure_entry_erases_the_visitor_it_names_and_moves_the_cursor(db: BlockingStore) -> None:
    _fill(db)
    assert db.journal_cursor() is None
    erasure = Erasure(seq=7, at=AT, cause="erasure", subject=id_hash(KEY, "v1"), chats=(id_hash(KEY, "c1"),))
    erased, removed = db.apply_erasures(KEY, [erasure], "j:7")
    assert (erased, removed) == ({"v1"}, {"c1"})
    assert db.journal_cursor() == "j:7"
    empty = db.export_subject("v1")
    assert (empty["visitor_snapshot"], empty["consent_events"], empty["chats"]) == (None, [], [])
    assert db.search("quetzalcoatl").hits == ()
    assert [e.client_msg_id for e in db.outbox_pending()] == ["cm-2"]
    assert len(db.export_subject("v2")["chats"]) == 2   # nobody else is touched
    # Applying it again (a crash before the cursor moved) changes nothing.
    assert db.apply_erasures(KEY, [erasure], "j:7") == (set(), set())


def test_a_retention_entry_removes_only_the_chats_it_names(db: BlockingStore) -> None:
    _fill(db)
    erasure = Erasure(seq=8, at=AT, cause="retention", chats=(id_hash(KEY, "c2"), id_hash(KEY, "zz")))
    assert db.apply_erasures(KEY, [erasure], "j:8") == (set(), {"c2"})
    assert db.get_chat("c2") is None and db.chat_messages("c2") == []
    assert db.search("tents").hits == () and len(db.search("boots").hits) == 1
    assert db.visitor_snapshot("v2") is not None


def test_a_hash_under_another_key_matches_nothing(db: BlockingStore) -> None:
    _fill(db)
    erasure = Erasure(seq=9, at=AT, cause="erasure", subject=id_hash(b"other" * 7, "v1"))
    assert db.apply_erasures(KEY, [erasure], "j:9") == (set(), set())
    assert db.visitor_snapshot("v1") is not None


def test_a_cache_that_cannot_follow_the_journal_keeps_only_the_unsent_messages(db: BlockingStore) -> None:
    _fill(db)
    assert db.holds_personal_data()
    db.forget_unvouched("j:40")
    assert not db.holds_personal_data()
    assert db.journal_cursor() == "j:40"
    for visitor_id in ("v1", "v2"):
        export = db.export_subject(visitor_id)
        assert export["visitor_snapshot"] is None and export["consent_events"] == []
    assert db.search("question").hits == () and db.search("quetzalcoatl").hits == ()
    assert db.received_details("c1") == [] and db.detail_requests("c1") == []
    # What the operator typed and the server has not acknowledged is never lost.
    assert [e.client_msg_id for e in db.outbox_pending()] == ["cm-1", "cm-2"]
    assert db.get_chat("c2") is None
