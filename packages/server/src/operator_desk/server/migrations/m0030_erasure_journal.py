"""The erasure journal: a tombstone per erasure (and per batch of chats a retention purge removed), so
that a desk that was offline learns what to purge from its cache when it signs in again.

An entry holds no personal data and no id: keyed hashes of the visitor id and of the chat ids (under
the journal's own key, which signed-in desks receive so they can match the ids they hold), its sequence
number and time. ``seq`` never goes back or is reused (AUTOINCREMENT), so a desk's cursor is a seq."""

from __future__ import annotations

from typing import Any

VERSION = 30

STATEMENTS = [
    """CREATE TABLE erasure_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        cause TEXT NOT NULL CHECK (cause IN ('erasure', 'retention')),
        subject TEXT CHECK (subject IS NULL OR length(subject) = 64),
        chats TEXT NOT NULL DEFAULT '[]',
        CHECK (subject IS NOT NULL OR cause = 'retention')
    )""",
    "CREATE INDEX erasure_journal_by_at ON erasure_journal (at)",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
