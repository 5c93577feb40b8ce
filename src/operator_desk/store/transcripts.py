"""Transcript review over this desk's cache: chats filtered as the server's ``transcripts.search``
filters them, a page at a time, each with a snippet of its newest matching message.

Without words it walks the chats newest first along ``chats_by_started`` with a keyset cursor. With
words it walks the full-text index newest first (its own rowid order, see ``search.py``) and lists each
chat at its newest match, checking the chat's filters once per chat; the walk looks at a bounded number
of hits per page, so a common word over a million messages costs one page, not a ranking of every hit.
The words match as the cache's full-text search matches them (whole words, ``word*`` a prefix); the
snippet marks them as the server does (``domain.highlight``).
"""

from __future__ import annotations

from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.highlight import search_words, snippet
from operator_desk.store.messages import CHAT_COLUMNS, chat_from_row
from operator_desk.store.records import CachedTranscript, CachedTranscriptPage, CachedTranscriptQuery
from operator_desk.store.search import fts_query
from operator_desk.store.seq import seq_base

MAX_PAGE = 100
MAX_HIGHLIGHTS = 32
_WALK_BATCH = 200
# Index hits looked at for one page at most; a page cut short by it still has a cursor to go on.
_WALK_LIMIT = 20_000

_WALK = """
SELECT m.chat_id, m.seq, m.text FROM messages_fts JOIN messages AS m ON m.seq = messages_fts.rowid
WHERE messages_fts MATCH ? AND messages_fts.rowid >= ? AND messages_fts.rowid < ?
ORDER BY messages_fts.rowid DESC LIMIT ?
"""
_DETAILS_COLLECTED = "EXISTS (SELECT 1 FROM received_details AS r WHERE r.chat_id = c.id)"
_CHAT = f"SELECT {', '.join('c.' + name for name in CHAT_COLUMNS.split(', '))} FROM chats AS c"


def _like(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(query: CachedTranscriptQuery) -> tuple[list[str], list[Any]]:
    """The chat-level conditions (on ``chats AS c``) of every filter given, and their arguments."""
    where: list[str] = []
    args: list[Any] = []
    if query.operator_id is not None:
        where.append("c.operator_id = ?")
        args.append(query.operator_id)
    if query.visitor:
        # A visitor id, or part of the name or e-mail address of a visitor snapshot this cache kept.
        where.append("(c.visitor_id = ? OR c.visitor_id IN (SELECT v.visitor_id FROM visitor_snapshots AS v"
                     " WHERE lower(v.name) LIKE ? ESCAPE '\\' OR lower(v.email) LIKE ? ESCAPE '\\'))")
        args.extend([query.visitor, _like(query.visitor), _like(query.visitor)])
    if query.since is not None:
        where.append("c.started_at >= ?")
        args.append(query.since)
    if query.until is not None:
        where.append("c.started_at < ?")
        args.append(query.until)
    if query.state is not None:
        where.append("c.state = ?")
        args.append(query.state.value)
    if query.details is not None:
        where.append(_DETAILS_COLLECTED if query.details else "NOT " + _DETAILS_COLLECTED)
    return where, args


def search_transcripts(conn: sqlcipher.Connection, query: CachedTranscriptQuery) -> CachedTranscriptPage:
    """A page of the cached chats that match every filter of ``query``; pass ``next_cursor`` back as
    ``cursor`` for the next page. With words, a chat listed on one page can come again on a later one
    (at an older match): the caller drops chats it listed already."""
    limit = max(1, min(query.limit, MAX_PAGE))
    if fts_query(query.text):
        return _by_newest_match(conn, query, limit)
    return _by_start(conn, query, limit)


def _by_start(conn: sqlcipher.Connection, query: CachedTranscriptQuery, limit: int) -> CachedTranscriptPage:
    where, args = _filters(query)
    if query.cursor is not None:
        started_at, chat_id = _start_cursor(query.cursor)
        where.append("(c.started_at, c.id) < (?, ?)")
        args.extend([started_at, chat_id])
    sql = _CHAT + (" WHERE " + " AND ".join(where) if where else "")
    rows = conn.execute(sql + " ORDER BY c.started_at DESC, c.id DESC LIMIT ?", [*args, limit + 1]).fetchall()
    listed = [_transcript(conn, row, None, []) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = listed[-1].chat
        next_cursor = f"s|{last.started_at}|{last.id}"
    return CachedTranscriptPage(transcripts=tuple(listed), next_cursor=next_cursor)


def _by_newest_match(conn: sqlcipher.Connection, query: CachedTranscriptQuery, limit: int
                     ) -> CachedTranscriptPage:
    words = search_words(query.text)
    where, args = _filters(query)
    chat_sql = _CHAT + " WHERE " + " AND ".join(["c.id = ?", *where])
    # A chat's messages come after its start: "since" bounds the walk too.
    low = seq_base(query.since) if query.since is not None else 0
    high = _match_cursor(query.cursor) if query.cursor is not None else (1 << 63) - 1
    checked: set[str] = set()
    listed: list[CachedTranscript] = []
    looked_at = 0
    while looked_at < _WALK_LIMIT:
        hits = conn.execute(_WALK, (fts_query(query.text), low, high, _WALK_BATCH)).fetchall()
        for chat_id, seq, text in hits:
            high = seq   # the walk goes on below this hit
            if chat_id in checked:
                continue
            checked.add(chat_id)
            row = conn.execute(chat_sql, [chat_id, *args]).fetchone()
            if row is None:
                continue
            if len(listed) == limit:
                # One more chat matches: the next page starts at this hit.
                return CachedTranscriptPage(transcripts=tuple(listed), next_cursor=f"m|{seq + 1}")
            listed.append(_transcript(conn, row, text, words))
        looked_at += len(hits)
        if len(hits) < _WALK_BATCH:
            return CachedTranscriptPage(transcripts=tuple(listed), next_cursor=None)
    return CachedTranscriptPage(transcripts=tuple(listed), next_cursor=f"m|{high}")


def _transcript(conn: sqlcipher.Connection, row: tuple[Any, ...], matched: str | None, words: list[str]
                ) -> CachedTranscript:
    chat = chat_from_row(row)
    count, collected = conn.execute(
        "SELECT (SELECT count(*) FROM messages WHERE chat_id = :id), "
        "EXISTS (SELECT 1 FROM received_details WHERE chat_id = :id)", {"id": chat.id}).fetchone()
    # The name only while this cache keeps the visitor's snapshot (and with it their chat consent).
    name = conn.execute("SELECT name FROM visitor_snapshots WHERE visitor_id = ?",
                        (chat.visitor_id,)).fetchone()
    text, spans = (snippet(matched, words, max_spans=MAX_HIGHLIGHTS) if matched is not None else (None, []))
    return CachedTranscript(chat=chat, message_count=count, visitor_name=name[0] if name else None,
                            details_collected=bool(collected), snippet=text, highlights=tuple(spans))


def _start_cursor(cursor: str) -> tuple[str, str]:
    kind, _, rest = cursor.partition("|")
    started_at, _, chat_id = rest.partition("|")
    if kind != "s" or not started_at or not chat_id:
        raise ValueError("not a transcript cursor")
    return started_at, chat_id


def _match_cursor(cursor: str) -> int:
    kind, _, seq = cursor.partition("|")
    if kind != "m" or not seq.isdigit():
        raise ValueError("not a transcript cursor")
    return int(seq)
