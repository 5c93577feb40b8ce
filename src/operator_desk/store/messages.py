"""Chats and messages as they arrive from the server: idempotent upserts and the reads a chat view needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.model import Author, Chat, ChatState, Message
from operator_desk.store.seq import SEQ_PER_MS, seq_base

# A row as sqlcipher3 returns it (the driver has no types of its own).
Row = tuple[Any, ...]

MESSAGE_COLUMNS = "m.id, m.chat_id, m.client_msg_id, m.author, m.author_name, m.text, m.at"
CHAT_COLUMNS = "id, visitor_id, state, operator_id, started_at, closed_at"

UPSERT_CHAT = """
INSERT INTO chats (id, visitor_id, state, operator_id, started_at, closed_at)
VALUES (:id, :visitor_id, :state, :operator_id, :started_at, :closed_at)
ON CONFLICT (id) DO UPDATE SET
    state = excluded.state, operator_id = excluded.operator_id, closed_at = excluded.closed_at
WHERE (state, operator_id, closed_at) IS NOT (excluded.state, excluded.operator_id, excluded.closed_at)
"""

# The seq is chosen inside the statement: the next free slot in the message's millisecond.
# Positional parameters (?1 ... ?7): tuples bind faster than dicts, and ingest binds one per message.
INSERT_MESSAGE = f"""
INSERT INTO messages (chat_id, at, id, seq, client_msg_id, author, author_name, text)
VALUES (
    ?1, ?2, ?3,
    coalesce((SELECT max(seq) + 1 FROM messages WHERE seq >= ?4 AND seq < ?4 + {SEQ_PER_MS}), ?4),
    ?5, ?6, ?7, ?8
)
ON CONFLICT (id) DO NOTHING
"""


def chat_params(c: Chat) -> dict[str, str | None]:
    return {
        "id": c.id,
        "visitor_id": c.visitor_id,
        "state": c.state.value,
        "operator_id": c.operator_id,
        "started_at": c.started_at,
        "closed_at": c.closed_at,
    }


def message_params(m: Message) -> tuple[object, ...]:
    return (m.chat_id, m.at, m.id, seq_base(m.at), m.client_msg_id, m.author.value, m.author_name, m.text)


def upsert_chats(conn: sqlcipher.Connection, chats: Iterable[Chat]) -> int:
    """Insert new chats, update state/operator/closed time of known ones. Returns rows changed."""
    rows = [chat_params(c) for c in chats]
    return conn.executemany(UPSERT_CHAT, rows).rowcount if rows else 0


def upsert_messages(conn: sqlcipher.Connection, messages: Iterable[Message]) -> int:
    """Insert messages not stored yet (a repeated message id is ignored). Their chat must exist.
    Returns the number of new messages."""
    rows = [message_params(m) for m in messages]
    return conn.executemany(INSERT_MESSAGE, rows).rowcount if rows else 0


def message_from_row(row: Row) -> Message:
    return Message(
        id=row[0],
        chat_id=row[1],
        client_msg_id=row[2],
        author=Author(row[3]),
        author_name=row[4],
        text=row[5],
        at=row[6],
    )


def chat_from_row(row: Row) -> Chat:
    return Chat(
        id=row[0],
        visitor_id=row[1],
        state=ChatState(row[2]),
        operator_id=row[3],
        started_at=row[4],
        closed_at=row[5],
    )


def chat_messages(conn: sqlcipher.Connection, chat_id: str, limit: int = 50) -> list[Message]:
    """The last ``limit`` messages of a chat, oldest first (a walk backwards along the primary key)."""
    rows = conn.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages AS m WHERE m.chat_id = ? "
        "ORDER BY m.at DESC, m.id DESC LIMIT ?",
        (chat_id, limit),
    ).fetchall()
    return [message_from_row(row) for row in reversed(rows)]


def get_chat(conn: sqlcipher.Connection, chat_id: str) -> Chat | None:
    row = conn.execute(f"SELECT {CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,)).fetchone()
    return chat_from_row(row) if row else None


def list_chats(
    conn: sqlcipher.Connection,
    *,
    visitor_id: str | None = None,
    state: ChatState | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Chat]:
    """Chats, most recently started first."""
    rows = conn.execute(
        f"""SELECT {CHAT_COLUMNS} FROM chats
            WHERE (:visitor_id IS NULL OR visitor_id = :visitor_id) AND (:state IS NULL OR state = :state)
            ORDER BY started_at DESC, id DESC LIMIT :limit OFFSET :offset""",
        {
            "visitor_id": visitor_id,
            "state": state.value if state else None,
            "limit": limit,
            "offset": offset,
        },
    ).fetchall()
    return [chat_from_row(row) for row in rows]


def delete_chats(conn: sqlcipher.Connection, chat_ids: list[str]) -> dict[str, int]:
    """Remove chats and everything hanging off them (children first: foreign keys are on). The FTS
    entries go with the messages through the delete trigger. Returns rows removed per table."""
    counts = {"outbox": 0, "received_details": 0, "detail_requests": 0, "messages": 0, "chats": 0}
    if not chat_ids:
        return counts
    params = [(chat_id,) for chat_id in chat_ids]
    for table in ("outbox", "received_details", "detail_requests", "messages"):
        counts[table] = conn.executemany(f"DELETE FROM {table} WHERE chat_id = ?", params).rowcount
    counts["chats"] = conn.executemany("DELETE FROM chats WHERE id = ?", params).rowcount
    return counts
