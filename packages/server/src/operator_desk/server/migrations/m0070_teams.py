"""Teams (departments): each operator in at most one; a team's canned responses, edited by its team
leads and used by everyone in it (issue 14). The canned responses hold no personal data: answers a
team gives, written by staff."""

from __future__ import annotations

from typing import Any

VERSION = 70

STATEMENTS = (
    """CREATE TABLE teams (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        created_at TEXT NOT NULL
    )""",
    # A team that still has operators cannot be dropped by mistake: remove them from it first.
    "ALTER TABLE operators ADD COLUMN team_id TEXT REFERENCES teams(id)",
    """CREATE TABLE team_canned_responses (
        team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        keyword TEXT NOT NULL CHECK (length(keyword) BETWEEN 1 AND 32),
        text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
        updated_at TEXT NOT NULL,
        -- who wrote it last: an operator id, kept as text (the account may be removed later)
        updated_by TEXT,
        PRIMARY KEY (team_id, keyword)
    ) WITHOUT ROWID""",
)


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
