"""Webhooks (docs/webhooks.md): what the site's receivers (a CRM) are to be told, kept until they
confirm it.

``webhook_facts`` are written by triggers, in the transaction of the change they report (a chat closed,
details received, a consent event recorded), and only while receivers are configured (the
``webhooks_enabled`` setting, which the server sets at start). A fact holds ids only; the delivery task
turns each into one event per receiver that may have it (``webhook_outbox``), built from the database
under the consents in force when the fact was written (``consent_seq``: the newest consent event then),
and deletes the fact. Facts and undelivered events about a person go with the person (foreign keys
cascade from ``visitors``); an erasure adds its own event, which names only the receiver's pseudonym.

``webhook_holders`` remembers which receiver was sent data about whom, for which purpose: they get the
withdrawal of that purpose and the erasure of that person."""

from __future__ import annotations

from typing import Any

VERSION = 80

_ENABLED = "EXISTS (SELECT 1 FROM settings WHERE key = 'webhooks_enabled')"
_CONSENT_SEQ = "(SELECT coalesce(max(seq), 0) FROM consent_events)"

STATEMENTS = [
    """CREATE TABLE webhook_facts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('chat.ended', 'details.received', 'consent.changed')),
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        ref TEXT NOT NULL,
        consent_seq INTEGER NOT NULL,
        at TEXT NOT NULL
    )""",
    f"""CREATE TRIGGER webhook_fact_chat_ended AFTER UPDATE OF state ON chats
        WHEN NEW.state = 'closed' AND OLD.state <> 'closed' AND {_ENABLED}
        BEGIN INSERT INTO webhook_facts (kind, visitor_id, ref, consent_seq, at)
              VALUES ('chat.ended', NEW.visitor_id, NEW.id, {_CONSENT_SEQ}, coalesce(NEW.closed_at, ''));
        END""",
    f"""CREATE TRIGGER webhook_fact_details_received AFTER INSERT ON received_details
        WHEN {_ENABLED}
        BEGIN INSERT INTO webhook_facts (kind, visitor_id, ref, consent_seq, at)
              VALUES ('details.received', NEW.visitor_id, NEW.request_id, {_CONSENT_SEQ}, NEW.received_at);
        END""",
    f"""CREATE TRIGGER webhook_fact_consent_changed AFTER INSERT ON consent_events
        WHEN {_ENABLED}
        BEGIN INSERT INTO webhook_facts (kind, visitor_id, ref, consent_seq, at)
              VALUES ('consent.changed', NEW.visitor_id, NEW.id, NEW.seq, NEW.at);
        END""",
    # One row per event and receiver. ``person`` is the receiver's pseudonym of the visitor (the only
    # id it is sent); ``visitor_id`` is NULL for an erasure (the person is gone) so that it outlives
    # them, with ``tombstone`` (the audit log's pseudonym) to show supervisors which receivers confirmed.
    # ``body`` is the exact JSON sent at every attempt (the idempotency key is ``event_id``); it is
    # emptied once delivered.
    """CREATE TABLE webhook_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        receiver TEXT NOT NULL,
        kind TEXT NOT NULL,
        person TEXT NOT NULL,
        visitor_id TEXT REFERENCES visitors(id) ON DELETE CASCADE,
        tombstone TEXT,
        body BLOB,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead', 'dropped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at REAL NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        CHECK (visitor_id IS NOT NULL OR kind = 'subject.erased')
    )""",
    "CREATE INDEX webhook_outbox_queue ON webhook_outbox (receiver, state, person, seq)",
    "CREATE INDEX webhook_outbox_by_visitor ON webhook_outbox (visitor_id)",
    "CREATE INDEX webhook_outbox_by_tombstone ON webhook_outbox (tombstone)",
    """CREATE TABLE webhook_holders (
        receiver TEXT NOT NULL,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL,
        person TEXT NOT NULL,
        PRIMARY KEY (visitor_id, receiver, purpose)
    ) WITHOUT ROWID""",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
