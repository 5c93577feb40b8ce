"""Routing (issue 14): each operator's own chat limit (NULL: the site's ``[routing] chat_limit``), and
the team a chat was started for (NULL: anyone's), so that a restart keeps routing it to that team (a
team removed later leaves its chats to everyone); and whether a chat is a message left while nobody
was available."""

from __future__ import annotations

from typing import Any

VERSION = 90

STATEMENTS = (
    "ALTER TABLE operators ADD COLUMN chat_limit INTEGER CHECK (chat_limit BETWEEN 1 AND 100)",
    "ALTER TABLE chats ADD COLUMN team_id TEXT REFERENCES teams(id) ON DELETE SET NULL",
    # A message left while nobody was available: a chat closed at once, listed for operators.
    "ALTER TABLE chats ADD COLUMN left_message INTEGER NOT NULL DEFAULT 0 CHECK (left_message IN (0, 1))",
    "CREATE INDEX chats_left_messages ON chats (started_at DESC, id DESC) WHERE left_message = 1",
)


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
