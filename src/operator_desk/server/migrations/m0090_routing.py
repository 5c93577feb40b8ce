"""Routing (issue 14): each operator's own chat limit (NULL: the site's ``[routing] chat_limit``), and
the team a chat was started for (NULL: anyone's), so that a restart keeps routing it to that team. A
team removed later leaves its chats to everyone."""

from __future__ import annotations

from typing import Any

VERSION = 90

STATEMENTS = (
    "ALTER TABLE operators ADD COLUMN chat_limit INTEGER CHECK (chat_limit BETWEEN 1 AND 100)",
    "ALTER TABLE chats ADD COLUMN team_id TEXT REFERENCES teams(id) ON DELETE SET NULL",
)


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
