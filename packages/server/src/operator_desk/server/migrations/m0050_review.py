"""Transcript review and the team's figures (issue 12).

- ``chats.accepted_at``: when an operator took the chat (time to accept, chat length). Chats stored
  before this version have none and count in no duration.
- ``chats.consent_seq_at_start`` / ``consent_seq_at_close``: the highest ``seq`` of the visitor's consent
  events when the chat was stored as started and as closed. With them a transcript says which consents
  were in force during the chat, in the order they were recorded, never by the clock.
- ``reviews``: a lead's rating and note about a transcript, append-only; they go with their chat.
- indexes for the filters of the transcript search (by operator) and the audit viewer (by action and
  by actor, newest first along ``id``).
"""

from __future__ import annotations

from typing import Any

VERSION = 50

STATEMENTS = [
    "ALTER TABLE chats ADD COLUMN accepted_at TEXT",
    "ALTER TABLE chats ADD COLUMN consent_seq_at_start INTEGER",
    "ALTER TABLE chats ADD COLUMN consent_seq_at_close INTEGER",
    "CREATE INDEX chats_by_operator ON chats (operator_id, started_at DESC, id DESC)",
    """CREATE TABLE reviews (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        author_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
        author_name TEXT NOT NULL,
        rating INTEGER CHECK (rating BETWEEN 1 AND 5),
        note TEXT NOT NULL,
        at TEXT NOT NULL,
        CHECK (rating IS NOT NULL OR note != '')
    )""",
    "CREATE INDEX reviews_by_chat ON reviews (chat_id, seq)",
    """CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END""",
    "CREATE INDEX audit_log_by_action ON audit_log (action, id)",
    "CREATE INDEX audit_log_by_actor ON audit_log (actor, id)",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
