"""At DEBUG, the store logs no message text, names, e-mails, addresses or details."""

from __future__ import annotations

import logging

import pytest
from store_helpers import BlockingStore, make_chat, make_consent, make_message, make_visitor

from operator_desk.domain.model import Purpose


def test_store_logs_no_personal_data(db: BlockingStore, clock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    db.put_visitor(make_visitor(name="Orla Private", email="orla@example.org", ip="198.51.100.23"))
    db.upsert_chats([make_chat(days=-45), make_chat("c2")])
    db.upsert_messages([make_message("m1", "my secret parcel code", chat_id="c2")])
    db.add_consent_event(make_consent("e1", Purpose.CONTACT_DETAILS, True))
    db.add_received_details("c2", "r1", {"phone": "+44 1632 960001"})
    db.search("secret")
    db.purge_expired()
    db.export_subject("v1")
    db.erase_subject("v1")
    assert any(r.name.startswith("operator_desk.store") for r in caplog.records)  # it did log
    for secret in ("Orla", "orla@example.org", "198.51.100.23", "secret parcel", "1632 960001", "v1"):
        assert secret not in caplog.text
