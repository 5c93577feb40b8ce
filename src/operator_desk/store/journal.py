"""The server's erasure journal applied to the cache, and the cursor the desk keeps into it.

Journal entries name visitors and chats only by keyed hashes (``domain.erasure.id_hash``): the ids the
cache holds are hashed under the journal's key and matched. A matched visitor is erased as by
``subjects.erase_subject``; a matched chat goes with everything hanging off it. A cache that cannot
follow the journal (its cursor is older than the journal, or it has data and no cursor at all) keeps
nothing it cannot vouch for: everything personal goes, except the operator's unsent messages.

All functions run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.erasure import id_hash
from operator_desk.protocol.messages import Erasure
from operator_desk.store import settings, subjects
from operator_desk.store.messages import delete_chats

CURSOR_SETTING = "erasure_journal.cursor"
_PERSONAL_TABLES = ("visitor_snapshots", "consent_events", "messages", "received_details")

# Every place the cache keeps a visitor id.
_HELD_VISITORS = """
    SELECT visitor_id FROM chats UNION SELECT visitor_id FROM visitor_snapshots
    UNION SELECT visitor_id FROM consent_events
"""


def cursor(conn: sqlcipher.Connection) -> str | None:
    return settings.get(conn, CURSOR_SETTING)


def set_cursor(conn: sqlcipher.Connection, value: str) -> None:
    settings.put(conn, CURSOR_SETTING, value)


def holds_personal_data(conn: sqlcipher.Connection) -> bool:
    """Anything about a person: a snapshot, a consent, a message or a detail (a bare chat row, kept for
    an unsent message, holds ids and times only)."""
    return any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in _PERSONAL_TABLES)


def apply(conn: sqlcipher.Connection, key: bytes, erasures: Iterable[Erasure]) -> tuple[set[str], set[str]]:
    """Erase what the entries name. Returns (visitor ids erased, chat ids removed)."""
    visitors = {id_hash(key, row[0]): row[0] for row in conn.execute(_HELD_VISITORS)}
    chats = {id_hash(key, row[0]): row[0] for row in conn.execute("SELECT id FROM chats")}
    erased: set[str] = set()
    removed: set[str] = set()
    for erasure in erasures:
        visitor_id = visitors.get(erasure.subject) if erasure.subject else None
        if visitor_id is not None and visitor_id not in erased:
            removed.update(subjects.chat_ids_of(conn, visitor_id))
            subjects.erase_subject(conn, visitor_id)
            erased.add(visitor_id)
        gone = [chats[h] for h in erasure.chats if h in chats and chats[h] not in removed]
        delete_chats(conn, gone)
        removed.update(gone)
    return erased, removed


def forget_unvouched(conn: sqlcipher.Connection) -> dict[str, int]:
    """Everything personal goes, except the operator's unsent messages (outbox) and the bare chat rows
    they belong to (ids and times: the server refuses the message if the chat is gone)."""
    kept = {row[0] for row in conn.execute("SELECT DISTINCT chat_id FROM outbox")}
    all_chats = [row[0] for row in conn.execute("SELECT id FROM chats")]
    counts = delete_chats(conn, [c for c in all_chats if c not in kept])
    params = [(c,) for c in kept]
    for table in ("received_details", "detail_requests", "messages"):
        counts[table] += conn.executemany(f"DELETE FROM {table} WHERE chat_id = ?", params).rowcount
    for table in ("consent_events", "visitor_snapshots"):
        counts[table] = conn.execute(f"DELETE FROM {table}").rowcount
    return counts
