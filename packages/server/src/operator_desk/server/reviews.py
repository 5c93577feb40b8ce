"""Reviews of transcripts: a lead's rating and note, kept for the team, append-only, audited.

Runs on the database thread. A review goes with its chat (retention, erasure: foreign key cascade). Its
note is about the chat's visitor as much as about the operator: on PostgreSQL it is sealed under the
visitor's key (``sealing``), so that the copies PostgreSQL keeps of it go with the person's erasure.
"""

from __future__ import annotations

from typing import Any

from operator_desk.protocol.messages import Review
from operator_desk.server import repository, sealing

Connection = Any
# Reviews one chat may collect: a bound on what a (trusted) lead can make grow.
MAX_PER_CHAT = 100

_COLUMNS = "seq, id, chat_id, author_id, author_name, rating, note, at"


def _review(conn: Connection, row: Any) -> Review:
    note = sealing.of(conn).open_in_chat(conn, row[2], "reviews.note", row[6]) or ""
    return Review(id=row[1], chat_id=row[2], author_id=row[3], author_name=row[4], rating=row[5],
                  note=note, at=row[7])


def add(conn: Connection, review: Review) -> str | None:
    """Store the review with its audit entry, in one transaction. Returns why not: ``"not_found"`` (no
    such chat) or ``"full"`` (the chat has its maximum of reviews); None when stored."""
    chat = repository.chat_by_id(conn, review.chat_id)
    if chat is None:
        return "not_found"
    (count,) = conn.execute("SELECT count(*) FROM reviews WHERE chat_id = ?", (review.chat_id,)).fetchone()
    if count >= MAX_PER_CHAT:
        return "full"
    conn.execute(
        "INSERT INTO reviews (id, chat_id, author_id, author_name, rating, note, at) VALUES (?,?,?,?,?,?,?)",
        (review.id, review.chat_id, review.author_id, review.author_name, review.rating,
         sealing.of(conn).seal_in_chat(conn, review.chat_id, "reviews.note", review.note), review.at),
    )
    # The entry names the chat and the review, never the note (it may say anything).
    repository.audit(conn, review.at, review.author_id or "", "reviews.add", chat.visitor_id,
                     {"chat_id": review.chat_id, "review_id": review.id, "rating": review.rating})
    return None


def reviews_after(conn: Connection, chat_id: str, after: Any, limit: int) -> list[tuple[Any, Review]]:
    """A page of a chat's reviews in the order written (a ``paging.Section`` reader)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM reviews WHERE chat_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        (chat_id, after or 0, limit),
    ).fetchall()
    return [(row[0], _review(conn, row)) for row in rows]
