"""Operator messages written locally but not yet acknowledged by the server, in the order written.

After a crash or a reconnect the client re-sends them with the same ``client_msg_id``; the server
stores each once, so re-sending is safe.
"""

from __future__ import annotations

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.store.records import OutboxEntry


def add(conn: sqlcipher.Connection, chat_id: str, client_msg_id: str, text: str, created_at: str) -> bool:
    """Queue a message; the same ``client_msg_id`` twice is queued once. True if it was new."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO outbox (chat_id, client_msg_id, text, created_at) VALUES (?, ?, ?, ?)",
        (chat_id, client_msg_id, text, created_at),
    )
    return cursor.rowcount == 1


def pending(conn: sqlcipher.Connection, chat_id: str | None = None) -> list[OutboxEntry]:
    rows = conn.execute(
        "SELECT chat_id, client_msg_id, text, created_at FROM outbox "
        "WHERE (:chat_id IS NULL OR chat_id = :chat_id) ORDER BY seq",
        {"chat_id": chat_id},
    ).fetchall()
    return [OutboxEntry(chat_id=r[0], client_msg_id=r[1], text=r[2], created_at=r[3]) for r in rows]


def ack(conn: sqlcipher.Connection, client_msg_id: str) -> bool:
    """The server has the message: drop it from the outbox. True if it was there."""
    return conn.execute("DELETE FROM outbox WHERE client_msg_id = ?", (client_msg_id,)).rowcount == 1
