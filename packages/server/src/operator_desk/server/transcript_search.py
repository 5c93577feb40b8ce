"""The transcript search: chats filtered by text, operator, visitor, time, state and collected details,
ordered and paged by a keyset cursor, each with a snippet of the newest message that matched.

Runs on the database thread. The text matches when every word of it is in one message of the chat
(case-insensitive substrings: ``LIKE``, which SQLite folds for ASCII letters only); the snippet marks
the words with the same rule (``domain.highlight``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from operator_desk.domain.highlight import search_words, snippet
from operator_desk.protocol.messages import MAX_HIGHLIGHTS, TranscriptsSearchRequest, TranscriptSummary

Connection = Any

# Each order: its ORDER BY and the keyset comparison with the cursor. By start time it is the chats
# themselves (the chats_by_start index walks them in order); by messages it is the outer query's
# columns (the count is computed for every filtered chat).
_ORDERS: dict[str, tuple[str, str]] = {
    "newest": ("c.started_at DESC, c.id DESC", "(c.started_at, c.id) < (?, ?)"),
    "oldest": ("c.started_at ASC, c.id ASC", "(c.started_at, c.id) > (?, ?)"),
    "most_messages": ("message_count DESC, started_at DESC, id DESC",
                      "(message_count, started_at, id) < (?, ?, ?)"),
    "fewest_messages": ("message_count ASC, started_at ASC, id ASC",
                        "(message_count, started_at, id) > (?, ?, ?)"),
}
_BY_MESSAGES = ("most_messages", "fewest_messages")


class BadCursor(ValueError):
    """The cursor is not one this search gave for this order."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    chats: list[TranscriptSummary]
    next_cursor: str | None


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _cursor_values(order: str, cursor: str) -> list[Any]:
    parts = cursor.split("|")
    if order in _BY_MESSAGES:
        if len(parts) != 3 or not parts[0].isdigit():
            raise BadCursor(cursor)
        return [int(parts[0]), parts[1], parts[2]]
    if len(parts) != 2:
        raise BadCursor(cursor)
    return parts


def search(conn: Connection, query: TranscriptsSearchRequest) -> SearchResult:
    words = search_words(query.text)
    word_match = " AND ".join("m.text LIKE ? ESCAPE '\\'" for _ in words)
    where: list[str] = []
    args: list[Any] = []
    if query.operator_id:
        where.append("c.operator_id = ?")
        args.append(query.operator_id)
    if query.visitor:
        where.append("(c.visitor_id = ? OR lower(v.name) LIKE lower(?) ESCAPE '\\' "
                     "OR lower(v.email) LIKE lower(?) ESCAPE '\\')")
        args.extend([query.visitor, _like(query.visitor), _like(query.visitor)])
    if query.since:
        where.append("c.started_at >= ?")
        args.append(query.since)
    if query.until:
        where.append("c.started_at < ?")
        args.append(query.until)
    if query.state is not None:
        where.append("c.state = ?")
        args.append(query.state.value)
    if query.details is not None:
        exists = "EXISTS (SELECT 1 FROM detail_requests r WHERE r.chat_id = c.id AND r.status = 'received')"
        where.append(exists if query.details else "NOT " + exists)
    if words:
        where.append(f"EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.id AND {word_match})")
        args.extend(_like(w) for w in words)
    order_by, after = _ORDERS[query.order]
    inner = (
        "SELECT c.id AS id, c.visitor_id, c.state, c.operator_id, c.started_at AS started_at, c.closed_at, "
        "o.name, v.name, (SELECT count(*) FROM messages m WHERE m.chat_id = c.id) AS message_count, "
        "EXISTS (SELECT 1 FROM detail_requests r WHERE r.chat_id = c.id AND r.status = 'received') "
        "FROM chats c JOIN visitors v ON v.id = c.visitor_id LEFT JOIN operators o ON o.id = c.operator_id"
    )
    cursor_args = _cursor_values(query.order, query.cursor) if query.cursor else []
    if query.order in _BY_MESSAGES:
        sql = inner + (" WHERE " + " AND ".join(where) if where else "")
        sql = f"SELECT * FROM ({sql}) AS found" + (f" WHERE {after}" if cursor_args else "")
    else:
        if cursor_args:
            where.append(after)
        sql = inner + (" WHERE " + " AND ".join(where) if where else "")
    sql += f" ORDER BY {order_by} LIMIT ?"
    rows = conn.execute(sql, [*args, *cursor_args, query.limit + 1]).fetchall()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    chats = [_summary(conn, row, words, word_match) for row in rows]
    next_cursor = None
    if more:
        last = rows[-1]
        parts = [last[4], last[0]] if query.order not in _BY_MESSAGES else [str(last[8]), last[4], last[0]]
        next_cursor = "|".join(parts)
    return SearchResult(chats, next_cursor)


def _summary(conn: Connection, row: Any, words: list[str], word_match: str) -> TranscriptSummary:
    text, spans = None, ()
    if words:
        found = conn.execute(
            f"SELECT m.text FROM messages m WHERE m.chat_id = ? AND {word_match} "
            "ORDER BY m.at DESC, m.id DESC LIMIT 1",
            [row[0], *(_like(w) for w in words)],
        ).fetchone()
        if found is not None:
            text, found_spans = snippet(found[0], words, max_spans=MAX_HIGHLIGHTS)
            spans = tuple(found_spans)
    return TranscriptSummary(
        id=row[0],
        visitor_id=row[1],
        state=row[2],
        operator_id=row[3],
        started_at=row[4],
        closed_at=row[5],
        operator_name=row[6],
        visitor_name=row[7],
        message_count=row[8],
        details_collected=bool(row[9]),
        snippet=text,
        highlights=spans,
    )
