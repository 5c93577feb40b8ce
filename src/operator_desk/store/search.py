"""Full-text search over cached messages: newest first, filtered, paged by cursor, with snippets.

Newest first is the FTS index's own rowid order (seq is time-ordered, see ``seq.py``), so a search
walks the index backwards and stops after one page instead of ranking every hit. The date range is a
rowid range, which FTS5 also applies inside the index.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.store.messages import MESSAGE_COLUMNS, Row, message_from_row
from operator_desk.store.records import SearchHit, SearchPage
from operator_desk.store.seq import seq_base

MAX_PAGE = 200
SNIPPET_TOKENS = 12
# Private-use characters mark the matched terms in FTS5's snippet; they are turned into offsets.
OPEN_MARK, CLOSE_MARK = "\ue000", "\ue001"
_NO_UPPER_BOUND = (1 << 63) - 1

_FILTERS = """
    AND (:operator_id IS NULL OR c.operator_id = :operator_id)
    AND (:visitor_id IS NULL OR c.visitor_id = :visitor_id)
"""

_TEXT_SEARCH = f"""
SELECT {MESSAGE_COLUMNS}, m.seq, c.visitor_id, c.operator_id,
       snippet(messages_fts, 0, '{OPEN_MARK}', '{CLOSE_MARK}', '…', {SNIPPET_TOKENS})
FROM messages_fts
JOIN messages AS m ON m.seq = messages_fts.rowid
JOIN chats AS c ON c.id = m.chat_id
WHERE messages_fts MATCH :query
  AND messages_fts.rowid >= :low AND messages_fts.rowid < :high
  {_FILTERS}
ORDER BY messages_fts.rowid DESC
LIMIT :limit
"""

# Filters without words: the same newest-first walk, along the seq index instead.
_FILTER_ONLY = f"""
SELECT {MESSAGE_COLUMNS}, m.seq, c.visitor_id, c.operator_id, NULL
FROM messages AS m
JOIN chats AS c ON c.id = m.chat_id
WHERE m.seq >= :low AND m.seq < :high
  {_FILTERS}
ORDER BY m.seq DESC
LIMIT :limit
"""


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must match, each one quoted so that FTS5 syntax
    (``OR``, ``NEAR``, ``-``, ``:`` ...) in it is taken literally. A trailing ``*`` asks for a prefix."""
    terms = []
    # FTS5 reads a query as a C string: a NUL would cut a quoted term short and break the syntax.
    for word in text.replace("\x00", " ").split():
        prefix = len(word) > 1 and word.endswith("*")
        core = word[:-1] if prefix else word
        if core.strip("*"):
            terms.append('"' + core.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


class SearchFilters(TypedDict, total=False):
    """What narrows a search besides its words (the keyword arguments of :func:`search`)."""

    operator_id: str | None
    visitor_id: str | None
    since: datetime | str | None
    until: datetime | str | None
    limit: int
    cursor: str | None


def search(
    conn: sqlcipher.Connection,
    text: str = "",
    *,
    operator_id: str | None = None,
    visitor_id: str | None = None,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> SearchPage:
    """Messages matching every word of ``text`` (all messages if it has none), newest first, at most
    ``limit`` per page; ``since`` inclusive, ``until`` exclusive; ``cursor`` from the previous page."""
    limit = max(1, min(limit, MAX_PAGE))
    high = seq_base(until) if until is not None else _NO_UPPER_BOUND
    if cursor is not None:
        high = min(high, _parse_cursor(cursor))
    params = {
        "low": seq_base(since) if since is not None else 0,
        "high": high,
        "operator_id": operator_id,
        "visitor_id": visitor_id,
        "limit": limit + 1,  # one more tells whether there is a next page
    }
    query = fts_query(text)
    if query:
        rows = conn.execute(_TEXT_SEARCH, {**params, "query": query}).fetchall()
    else:
        rows = conn.execute(_FILTER_ONLY, params).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    hits = tuple(_hit(row) for row in rows)
    return SearchPage(hits=hits, next_cursor=str(rows[-1][7]) if more else None)


def _parse_cursor(cursor: str) -> int:
    try:
        return int(cursor)
    except ValueError:
        raise ValueError("not a search cursor") from None


def _hit(row: Row) -> SearchHit:
    message = message_from_row(row)
    snippet, highlights = split_snippet(row[10]) if row[10] is not None else (_shorten(message.text), ())
    return SearchHit(
        message=message, visitor_id=row[8], operator_id=row[9], snippet=snippet, highlights=highlights
    )


def split_snippet(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for char in marked:
        if char == OPEN_MARK:
            start = length
        elif char == CLOSE_MARK:
            if start is not None:
                spans.append((start, length))
            start = None
        else:
            plain.append(char)
            length += 1
    return "".join(plain), tuple(spans)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
