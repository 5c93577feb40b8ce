"""The erasure journal: what desks that were offline must purge from their caches.

Every erasure (``subjects.erase``, a visitor's "Forget me") and every retention purge of chats writes
tombstones here, in the same transaction as the deletion. A desk asks ``subjects.erased_since`` with the
cursor it kept, at every sign-in and resync, and applies what it missed before it shows anything.

A tombstone holds no personal data and no id: ``subject`` is HMAC-SHA256 of the visitor id and
``chats`` the same of each chat id, under the journal's key (a server secret that signed-in desks
receive, so that they can match the ids they hold, and no one else can test ids against the journal),
with a sequence number and the time. Entries are
kept for ``retention.erasure_journal_days`` (longer than any transcript); a cursor older than the
oldest kept entry, or from another server's journal, is answered ``expired``.

The SQL functions run on the database thread.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from operator_desk.domain.erasure import id_hash
from operator_desk.protocol.messages import (
    MAX_JOURNAL_CHATS,
    ErasedSinceResponse,
    Erasure,
)
from operator_desk.server import repository

Connection = Any

KEY_SETTING = "erasure_journal_key"
ID_SETTING = "erasure_journal_id"
PRUNED_SETTING = "erasure_journal_pruned_through"


def subject_key(conn: Connection) -> bytes:
    return repository.secret(conn, KEY_SETTING)


def _journal_id(conn: Connection) -> str:
    # Names this journal in every cursor: a cursor from another server (or a database started afresh)
    # is not mistaken for a position in this one.
    return repository.secret(conn, ID_SETTING)[:8].hex()


def _pruned_through(conn: Connection) -> int:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (PRUNED_SETTING,)).fetchone()
    return int(bytes(row[0]).decode()) if row is not None else 0


def _head(conn: Connection) -> int:
    # Sequence numbers are never given twice (AUTOINCREMENT, an identity column), and only ``prune``
    # deletes entries, from the oldest: the head is the newest entry kept, else the last one pruned.
    row = conn.execute("SELECT max(seq) FROM erasure_journal").fetchone()
    return int(row[0]) if row[0] is not None else _pruned_through(conn)


def record_erasure(conn: Connection, at: str, visitor_id: str, chat_ids: Sequence[str]) -> None:
    key = subject_key(conn)
    subject = id_hash(key, visitor_id)
    for chunk in _hashed_chunks(key, chat_ids) or [[]]:
        conn.execute("INSERT INTO erasure_journal (at, cause, subject, chats) VALUES (?, 'erasure', ?, ?)",
                     (at, subject, json.dumps(chunk)))


def record_retention(conn: Connection, at: str, chat_ids: Sequence[str]) -> None:
    for chunk in _hashed_chunks(subject_key(conn), chat_ids):
        conn.execute("INSERT INTO erasure_journal (at, cause, chats) VALUES (?, 'retention', ?)",
                     (at, json.dumps(chunk)))


def _hashed_chunks(key: bytes, ids: Sequence[str]) -> list[list[str]]:
    hashes = sorted(id_hash(key, i) for i in ids)
    return [hashes[i:i + MAX_JOURNAL_CHATS] for i in range(0, len(hashes), MAX_JOURNAL_CHATS)]


def prune(conn: Connection, before: str) -> int:
    """Forget entries recorded before ``before``; a cursor before them is expired from now on."""
    row = conn.execute("SELECT max(seq) FROM erasure_journal WHERE at < ?", (before,)).fetchone()
    if row is None or row[0] is None:
        return 0
    through = int(row[0])
    removed = conn.execute("DELETE FROM erasure_journal WHERE seq <= ?", (through,)).rowcount
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (PRUNED_SETTING, str(max(through, _pruned_through(conn))).encode()))
    return removed


def _parse(cursor: str, journal_id: str) -> int | None:
    name, _, seq = cursor.partition(":")
    if name != journal_id or not seq.isdigit():
        return None
    return int(seq)


def erased_since(conn: Connection, cursor: str | None, limit: int) -> ErasedSinceResponse:
    journal_id = _journal_id(conn)
    key = subject_key(conn).hex()
    head = _head(conn)

    def answer(after: int, **fields: Any) -> ErasedSinceResponse:
        return ErasedSinceResponse(next_cursor=f"{journal_id}:{after}", subject_key=key, **fields)

    if cursor is None:
        return answer(head, erasures=())
    after = _parse(cursor, journal_id)
    if after is None or after > head or after < _pruned_through(conn):
        return answer(head, erasures=(), expired=True)
    rows = conn.execute(
        "SELECT seq, at, cause, subject, chats FROM erasure_journal WHERE seq > ? ORDER BY seq LIMIT ?",
        (after, limit + 1),
    ).fetchall()
    more = len(rows) > limit
    erasures = tuple(
        Erasure(seq=r[0], at=r[1], cause=r[2], subject=r[3], chats=tuple(json.loads(r[4])))
        for r in rows[:limit]
    )
    return answer(erasures[-1].seq if erasures else after, erasures=erasures, more=more)
