"""Subjects: export everything about one visitor; erase it all, leaving no residue and a pseudonymous
tombstone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from store_helpers import BlockingStore, make_chat, make_consent, make_message, make_visitor

from operator_desk.domain.model import Author, Purpose
from operator_desk.store import DetailRequest
from operator_desk.store.keys import TEST_ONLY_PLAINTEXT

UNIQUE_WORD = "quetzalcoatlpancake"
UNIQUE_PHONE = "+44 29 2018 7777"
UNIQUE_NAME = "Zebulon Quillfeather"
UNIQUE_OUTBOX = "marmaladeairship"


def _fill(db: BlockingStore) -> None:
    """The subject v1 with one of everything, and a bystander v2 with plenty of ordinary chat."""
    db.put_visitor(make_visitor("v1", name=UNIQUE_NAME, email="zq@example.org"))
    db.put_visitor(make_visitor("v2", name="Bea Bystander", email="bea@example.org"))
    for event in (
        make_consent("e1", Purpose.CHAT, True, minutes=-5),
        make_consent("e2", Purpose.CONTACT_DETAILS, True, minutes=-5),
        make_consent("e3", Purpose.CHAT, True, visitor_id="v2", minutes=-5),
    ):
        db.add_consent_event(event)
    db.upsert_chats([make_chat("c1", visitor_id="v1"), make_chat("c2", visitor_id="v2")])
    db.upsert_messages(
        [
            make_message(f"v2-{i}", f"bystander question {i} about shipping", chat_id="c2", seconds=i)
            for i in range(300)
        ]
        + [
            make_message("s1", f"my {UNIQUE_WORD} recipe", author_name=UNIQUE_NAME, seconds=1),
            make_message("s2", "call me please", author_name=UNIQUE_NAME, seconds=2),
            make_message("s3", "sure, what number?", author=Author.OPERATOR, author_name="Op", seconds=3),
        ]
    )
    db.add_detail_request(
        DetailRequest(
            id="r1", chat_id="c1", notice_id="n1", notice_version=1, fields=("phone",), requested_at="t"
        )
    )
    db.add_received_details("c1", "r1", {"phone": UNIQUE_PHONE})
    db.outbox_add("c1", "cm-1", f"thanks, {UNIQUE_OUTBOX} noted")


def test_export_holds_everything_about_the_subject_and_nothing_else(db: BlockingStore) -> None:
    _fill(db)
    export = db.export_subject("v1", actor="op1")
    json.dumps(export)  # plain data
    assert export["visitor_snapshot"]["name"] == UNIQUE_NAME
    assert [e["id"] for e in export["consent_events"]] == ["e1", "e2"]
    [chat] = export["chats"]
    assert chat["chat"]["id"] == "c1"
    assert [m["id"] for m in chat["messages"]] == ["s1", "s2", "s3"]
    assert chat["received_details"][0]["value"] == UNIQUE_PHONE
    assert chat["detail_requests"][0]["id"] == "r1"
    assert chat["outbox"][0]["client_msg_id"] == "cm-1"
    assert "Bea Bystander" not in json.dumps(export)
    entry = db.audit_entries()[0]
    assert (entry.action, entry.actor, entry.counts) == ("export", "op1", {"chats": 1, "messages": 3})


def test_erase_removes_every_row_and_leaves_a_pseudonymous_tombstone(db: BlockingStore) -> None:
    _fill(db)
    counts = db.erase_subject("v1", actor="op1")
    assert counts == {
        "outbox": 1,
        "received_details": 1,
        "detail_requests": 1,
        "messages": 3,
        "chats": 1,
        "consent_events": 2,
        "visitor_snapshots": 1,
    }
    empty = db.export_subject("v1")
    assert (empty["visitor_snapshot"], empty["consent_events"], empty["chats"]) == (None, [], [])
    assert db.search(UNIQUE_WORD).hits == ()
    assert db.outbox_pending() == []
    assert len(db.search("bystander", limit=200).hits) == 200  # the bystander is untouched
    tombstone = next(e for e in db.audit_entries() if e.action == "erase")
    assert tombstone.subject == db.subject_pseudonym("v1") != "v1"
    # Hex pseudonyms cannot spell "v1": any occurrence would be the visitor id itself.
    assert "v1" not in json.dumps(msgspec.to_builtins(db.audit_entries()))


@pytest.fixture
def plain_db(tmp_path: Path) -> Iterator[BlockingStore]:
    """Same schema, NO encryption, so that leftovers are visible in the raw bytes."""
    database = BlockingStore.open(tmp_path / "plain" / "cache.sqlite3", TEST_ONLY_PLAINTEXT)
    yield database
    database.close()


def test_erase_leaves_no_residue_in_database_wal_or_shm(plain_db: BlockingStore) -> None:
    _fill(plain_db)
    folder = plain_db.path.parent
    raw_before = b"".join(p.read_bytes() for p in folder.iterdir())
    # The check below would pass trivially if the words never reached the disk.
    assert UNIQUE_WORD.encode() in raw_before and UNIQUE_PHONE.encode() in raw_before

    plain_db.erase_subject("v1")

    assert plain_db.search(UNIQUE_WORD).hits == ()
    files = sorted(folder.iterdir())
    assert {p.name for p in files} >= {"cache.sqlite3"}
    for path in files:
        raw = path.read_bytes()
        for secret in (UNIQUE_WORD, UNIQUE_PHONE, UNIQUE_NAME, UNIQUE_OUTBOX, "zq@example.org"):
            assert secret.encode() not in raw, (path.name, secret)
    assert b"bystander" in (folder / "cache.sqlite3").read_bytes()  # the search still sees real data
