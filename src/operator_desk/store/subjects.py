"""Everything the cache holds about one visitor: export it as plain data, or erase it."""

from __future__ import annotations

from typing import Any

import msgspec
import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.store import outbox, privacy
from operator_desk.store.messages import CHAT_COLUMNS, chat_from_row, delete_chats, message_from_row

_ALL_MESSAGES_OF_CHAT = (
    "SELECT m.id, m.chat_id, m.client_msg_id, m.author, m.author_name, m.text, m.at "
    "FROM messages AS m WHERE m.chat_id = ? ORDER BY m.at, m.id"
)


def chat_ids_of(conn: sqlcipher.Connection, visitor_id: str) -> list[str]:
    return [row[0] for row in conn.execute("SELECT id FROM chats WHERE visitor_id = ?", (visitor_id,))]


def export_subject(conn: sqlcipher.Connection, visitor_id: str) -> dict[str, Any]:
    """Plain dicts, lists and strings (JSON-ready): the snapshot, consent events, and each chat with its
    messages, detail requests, received details and unsent outbox messages."""
    chats = []
    for row in conn.execute(
        f"SELECT {CHAT_COLUMNS} FROM chats WHERE visitor_id = ? ORDER BY started_at, id", (visitor_id,)
    ).fetchall():
        chat = chat_from_row(row)
        chats.append(
            {
                "chat": msgspec.to_builtins(chat),
                "messages": [
                    msgspec.to_builtins(message_from_row(m))
                    for m in conn.execute(_ALL_MESSAGES_OF_CHAT, (chat.id,)).fetchall()
                ],
                "detail_requests": msgspec.to_builtins(privacy.detail_requests(conn, chat.id)),
                "received_details": msgspec.to_builtins(privacy.received_details(conn, chat.id)),
                "outbox": msgspec.to_builtins(outbox.pending(conn, chat.id)),
            }
        )
    snapshot = privacy.visitor_snapshot(conn, visitor_id)
    return {
        "visitor_id": visitor_id,
        "visitor_snapshot": msgspec.to_builtins(snapshot) if snapshot else None,
        "consent_events": msgspec.to_builtins(privacy.consent_events(conn, visitor_id)),
        "chats": chats,
    }


def erase_subject(conn: sqlcipher.Connection, visitor_id: str) -> dict[str, int]:
    """Delete every row about the visitor (the caller holds a transaction). Returns rows per table."""
    counts = delete_chats(conn, chat_ids_of(conn, visitor_id))
    counts["consent_events"] = conn.execute(
        "DELETE FROM consent_events WHERE visitor_id = ?", (visitor_id,)
    ).rowcount
    counts["visitor_snapshots"] = conn.execute(
        "DELETE FROM visitor_snapshots WHERE visitor_id = ?", (visitor_id,)
    ).rowcount
    return counts
