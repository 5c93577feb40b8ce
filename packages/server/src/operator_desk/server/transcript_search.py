"""The transcript search: chats filtered by text, operator, visitor, time, state and collected details,
ordered and paged by a keyset cursor, each with a snippet of the newest message that matched.

Runs on the database thread. The text matches when every word of it is in one message of the chat
(case-insensitive substrings: ``LIKE``, which SQLite folds for ASCII letters only); the snippet marks
the words with the same rule (``domain.highlight``).

Where the engine seals personal fields (PostgreSQL, ``sealing``), SQL cannot read the text, the
visitor's name or e-mail: the search then filters by everything else in SQL, in the page's order, and
opens and matches the text and the visitor in Python, batch by batch, until the page is full. That
reads every chat the other filters let through up to the page's last match: a rare word over a large
history costs a scan (docs/scaling.md, "What it costs").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from operator_desk.domain.highlight import search_words, snippet
from operator_desk.protocol.messages import MAX_HIGHLIGHTS, TranscriptsSearchRequest, TranscriptSummary
from operator_desk.server import sealing

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
# Where fields are sealed: how many chats one query hands to the matching in Python.
SEALED_BATCH = 256


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
    sealed = sealing.of(conn).seals
    word_match = " AND ".join("m.text LIKE ? ESCAPE '\\'" for _ in words)
    where: list[str] = []
    args: list[Any] = []
    if query.operator_id:
        where.append("c.operator_id = ?")
        args.append(query.operator_id)
    if query.visitor and not sealed:
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
    if words and not sealed:
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
    if sealed:
        found = _matching_sealed(conn, sql, [*args, *cursor_args], query, words)
        more = len(found) > query.limit
        found = found[: query.limit]
        rows = [row for row, _ in found]
        chats = [_summary(conn, row, matched) for row, matched in found]
    else:
        rows = conn.execute(sql, [*args, *cursor_args, query.limit + 1]).fetchall()
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        chats = [_summary(conn, row, _newest_match(conn, row[0], words, word_match)) for row in rows]
    next_cursor = None
    if more:
        last = rows[-1]
        parts = [last[4], last[0]] if query.order not in _BY_MESSAGES else [str(last[8]), last[4], last[0]]
        next_cursor = "|".join(parts)
    return SearchResult(chats, next_cursor)


def _newest_match(
    conn: Connection, chat_id: str, words: list[str], word_match: str
) -> tuple[str | None, list[str]]:
    """The text of the chat's newest message with every word (``None`` when no words are searched)."""
    if not words:
        return None, words
    found = conn.execute(
        f"SELECT m.text FROM messages m WHERE m.chat_id = ? AND {word_match} "
        "ORDER BY m.at DESC, m.id DESC LIMIT 1",
        [chat_id, *(_like(w) for w in words)],
    ).fetchone()
    return (found[0] if found is not None else None), words


def _has_every_word(text: str, folded_words: list[str]) -> bool:
    folded = text.lower()
    return all(word in folded for word in folded_words)


def _matching_sealed(
    conn: Connection, sql: str, args: list[Any], query: TranscriptsSearchRequest, words: list[str]
) -> list[tuple[Any, tuple[str | None, list[str]]]]:
    """The first ``limit + 1`` rows of ``sql`` (every filter but the sealed ones) whose visitor and text
    match, each with the text of its newest message with every word."""
    seal = sealing.of(conn)
    folded_words = [word.lower() for word in words]
    visitor = query.visitor.lower() if query.visitor else None
    found: list[tuple[Any, tuple[str | None, list[str]]]] = []
    offset = 0
    while len(found) <= query.limit:
        rows = conn.execute(sql + " OFFSET ?", [*args, SEALED_BATCH, offset]).fetchall()
        for row in rows:
            if visitor is not None and row[1] != query.visitor and not _visitor_has(conn, row[1], visitor):
                continue
            text = None
            if words:
                for (sealed_text,) in conn.execute(
                    "SELECT m.text FROM messages m WHERE m.chat_id = ? ORDER BY m.at DESC, m.id DESC",
                    (row[0],),
                ):
                    opened = seal.open(conn, row[1], "messages.text", sealed_text)
                    if opened and _has_every_word(opened, folded_words):
                        text = opened
                        break
                if text is None:
                    continue
            found.append((row, (text, words)))
            if len(found) > query.limit:
                break
        if len(rows) < SEALED_BATCH:
            break
        offset += SEALED_BATCH
    return found


def _visitor_has(conn: Connection, visitor_id: str, folded: str) -> bool:
    """The visitor's name or e-mail holds ``folded`` (as ``lower(v.name) LIKE`` finds it in SQL)."""
    seal = sealing.of(conn)
    row = conn.execute("SELECT name, email FROM visitors WHERE id = ?", (visitor_id,)).fetchone()
    if row is None:
        return False
    opened = (seal.open(conn, visitor_id, "visitors.name", row[0]),
              seal.open(conn, visitor_id, "visitors.email", row[1]))
    return any(value and folded in value.lower() for value in opened)


def _summary(conn: Connection, row: Any, matched: tuple[str | None, list[str]]) -> TranscriptSummary:
    text, spans = None, ()
    found, words = matched
    if found is not None:
        text, found_spans = snippet(found, words, max_spans=MAX_HIGHLIGHTS)
        spans = tuple(found_spans)
    return TranscriptSummary(
        id=row[0],
        visitor_id=row[1],
        state=row[2],
        operator_id=row[3],
        started_at=row[4],
        closed_at=row[5],
        operator_name=row[6],
        visitor_name=sealing.of(conn).open(conn, row[1], "visitors.name", row[7]),
        message_count=row[8],
        details_collected=bool(row[9]),
        snippet=text,
        highlights=spans,
    )
