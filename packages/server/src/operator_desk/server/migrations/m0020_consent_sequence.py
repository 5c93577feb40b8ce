"""Consent events get a sequence number, ``seq``, and are ordered by it.

For each purpose the latest event decides. "Latest" was ``at``, the server's clock: stepped back two
hours between a grant and its withdrawal, the clock stamped the withdrawal earlier, and the grant won
again. ``seq`` counts up with every event recorded (AUTOINCREMENT: never reused, even after the newest
rows are erased). Existing events keep the order they were recorded in (their rowid).
"""

from __future__ import annotations

from typing import Any

VERSION = 20

STATEMENTS = [
    """CREATE TABLE consent_events_by_seq (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL,
        granted INTEGER NOT NULL,
        notice_id TEXT NOT NULL,
        notice_version INTEGER NOT NULL,
        method TEXT NOT NULL,
        at TEXT NOT NULL,
        FOREIGN KEY (notice_id, notice_version) REFERENCES notices(id, version)
    )""",
    """INSERT INTO consent_events_by_seq
        (seq, id, visitor_id, purpose, granted, notice_id, notice_version, method, at)
        SELECT rowid, id, visitor_id, purpose, granted, notice_id, notice_version, method, at
        FROM consent_events ORDER BY rowid""",
    """DROP TABLE consent_events""",
    """ALTER TABLE consent_events_by_seq RENAME TO consent_events""",
    """CREATE INDEX consent_events_by_visitor ON consent_events (visitor_id, seq)""",
    """CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events
        BEGIN SELECT RAISE(ABORT, 'consent events are append-only'); END""",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
