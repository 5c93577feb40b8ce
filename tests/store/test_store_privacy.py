"""Consent applied at write time: what the visitor did not consent to never reaches the disk."""

from __future__ import annotations

import pytest
from store_helpers import BlockingStore, make_chat, make_consent, make_message, make_visitor

from operator_desk.domain.consent import notice_digest
from operator_desk.domain.model import Author, Notice, Purpose
from operator_desk.store import ConsentMissing, DetailRequest, Store


def _raw_snapshot(db: BlockingStore, visitor_id: str = "v1") -> tuple:
    [row] = db.sql("SELECT name, email, insights FROM visitor_snapshots WHERE visitor_id = ?", (visitor_id,))
    return row


def test_insights_without_consent_never_reach_the_disk(db: BlockingStore) -> None:
    stored = db.put_visitor(make_visitor(granted=(Purpose.CHAT,)))
    assert stored.insights is None
    assert db.visitor_snapshot("v1").insights is None
    assert _raw_snapshot(db) == ("Ada Lovelace", "ada@example.org", None)


def test_a_burst_of_snapshots_is_redacted_one_by_one(db: BlockingStore) -> None:
    stored = db.put_visitors([make_visitor("v1"), make_visitor("v2", granted=(Purpose.CHAT,))])
    assert [v.insights is not None for v in stored] == [True, False]
    assert _raw_snapshot(db, "v2")[2] is None
    assert db.visitor_snapshot("v1").insights is not None


def test_name_and_email_without_chat_consent_are_dropped(db: BlockingStore) -> None:
    db.put_visitor(make_visitor(granted=()))
    assert _raw_snapshot(db) == (None, None, None)


def test_insights_with_consent_are_kept(db: BlockingStore) -> None:
    visitor = make_visitor()
    db.put_visitor(visitor)
    assert db.visitor_snapshot("v1") == visitor


def test_insights_withdrawal_clears_the_stored_snapshot(db: BlockingStore) -> None:
    db.add_consent_event(make_consent("e1", Purpose.VISITOR_INSIGHTS, True, minutes=-10))
    db.put_visitor(make_visitor())
    granted = db.add_consent_event(make_consent("e2", Purpose.VISITOR_INSIGHTS, False))
    assert Purpose.VISITOR_INSIGHTS not in granted
    snapshot = db.visitor_snapshot("v1")
    assert snapshot.insights is None
    assert not snapshot.consent.visitor_insights
    assert snapshot.name == "Ada Lovelace"  # the chat consent still stands


def test_chat_withdrawal_clears_name_email_and_message_author_names(db: BlockingStore) -> None:
    db.put_visitor(make_visitor())
    db.upsert_chats([make_chat()])
    db.upsert_messages(
        [
            make_message("m1", "hello", author_name="Ada Lovelace"),
            make_message("m2", "hi Ada", author=Author.OPERATOR, author_name="Grace", seconds=1),
        ]
    )
    db.add_consent_event(make_consent("e1", Purpose.CHAT, False))
    assert _raw_snapshot(db)[:2] == (None, None)
    assert [m.author_name for m in db.chat_messages("c1")] == ["", "Grace"]


def test_an_old_withdrawal_arriving_late_does_not_undo_a_newer_grant(db: BlockingStore) -> None:
    """Older by the server's sequence, though its clock says it is newer (the clock stepped)."""
    db.add_consent_event(make_consent("grant", Purpose.VISITOR_INSIGHTS, True, seq=9, hours=-1))
    db.put_visitor(make_visitor())
    granted = db.add_consent_event(make_consent("old", Purpose.VISITOR_INSIGHTS, False, seq=8))
    assert Purpose.VISITOR_INSIGHTS in granted
    assert db.visitor_snapshot("v1").insights is not None


def test_consent_events_are_kept_once_in_order(db: BlockingStore) -> None:
    events = [
        make_consent("e2", Purpose.CHAT, False, seq=2),
        make_consent("e1", Purpose.CHAT, True, seq=1, minutes=1),
    ]
    for event in events + events:
        db.add_consent_event(event)
    assert [e.id for e in db.consent_events("v1")] == ["e1", "e2"]  # by seq, not by the clock
    assert Purpose.CHAT not in db.add_consent_event(events[0])


def test_a_withdrawal_stamped_before_its_grant_still_wins(db: BlockingStore) -> None:
    """The clock stepped back two hours between grant and withdrawal: the withdrawal was lost."""
    db.put_visitor(make_visitor())
    db.add_consent_event(make_consent("grant", Purpose.VISITOR_INSIGHTS, True, seq=1))
    granted = db.add_consent_event(make_consent("withdraw", Purpose.VISITOR_INSIGHTS, False, seq=2, hours=-2))
    assert Purpose.VISITOR_INSIGHTS not in granted
    assert db.visitor_snapshot("v1").insights is None


def test_details_need_contact_details_consent(db: BlockingStore) -> None:
    db.upsert_chats([make_chat()])
    db.put_visitor(make_visitor(granted=(Purpose.CHAT,)))
    with pytest.raises(ConsentMissing):
        db.add_received_details("c1", "r1", {"phone": "+44 20 7946 0000"})
    assert db.received_details("c1") == []

    db.add_consent_event(make_consent("e1", Purpose.CONTACT_DETAILS, True))
    db.add_detail_request(
        DetailRequest(
            id="r1", chat_id="c1", notice_id="n1", notice_version=1, fields=("phone",), requested_at="t"
        )
    )
    assert db.add_received_details("c1", "r1", {"phone": "+44 20 7946 0000"}) == 1
    [detail] = db.received_details("c1")
    assert (detail.field, detail.value, detail.purpose) == (
        "phone",
        "+44 20 7946 0000",
        Purpose.CONTACT_DETAILS,
    )
    assert db.detail_requests("c1")[0].state == "received"


def test_contact_details_withdrawal_deletes_received_details(db: BlockingStore) -> None:
    db.upsert_chats([make_chat()])
    db.add_consent_event(make_consent("e1", Purpose.CONTACT_DETAILS, True, minutes=-1))
    db.add_received_details("c1", "r1", {"phone": "+44 20 7946 0000", "company": "ACME"})
    db.add_consent_event(make_consent("e2", Purpose.CONTACT_DETAILS, False))
    assert db.received_details("c1") == []


def test_declined_request_is_recorded(db: BlockingStore) -> None:
    db.upsert_chats([make_chat()])
    db.add_detail_request(
        DetailRequest(
            id="r1", chat_id="c1", notice_id="n1", notice_version=1, fields=("phone",), requested_at="t"
        )
    )
    assert db.mark_details_declined("r1")
    assert db.detail_requests("c1")[0].state == "declined"


def test_typing_previews_have_no_place_in_the_cache(db: BlockingStore) -> None:
    names = [row[0] for row in db.sql("SELECT name FROM sqlite_master")]
    assert not [name for name in names if "typing" in name or "draft" in name or "preview" in name]
    assert not [name for name in dir(Store) if "typing" in name or "preview" in name or "draft" in name]


def test_notices_are_kept_once_per_version(db: BlockingStore) -> None:
    body = "We keep your chat for 30 days."
    notice = Notice(
        id="n1",
        version=1,
        language="en",
        title="Chat",
        body=body,
        purposes=(Purpose.CHAT,),
        sha256=notice_digest(body),
    )
    assert db.add_notice(notice)
    assert not db.add_notice(notice)
    assert db.notices() == [notice]
