"""Data-subject requests: find a person, export everything held about them, erase them.

The SQL functions run on the database thread. After an erasure only a tombstone is left: audit entries
about the person keep their actor, action and time, with the visitor id replaced by a pseudonym (an HMAC
of the id under a server secret, so two erasures of one id cannot be told apart from two people without
that secret, and the secret never leaves the encrypted database).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from typing import Any

from operator_desk.domain.clock import now_ts
from operator_desk.protocol import to_builtins
from operator_desk.protocol.messages import ErasedCounts, SubjectSummary
from operator_desk.server import cases, repository
from operator_desk.server.db import checkpoint_after
from operator_desk.server.hub import Hub
from operator_desk.server.outbox import Outbox

Connection = Any
logger = logging.getLogger(__name__)
PSEUDONYM_KEY = "pseudonym_key"
MAX_FOUND = 50


def pseudonym(conn: Connection, visitor_id: str) -> str:
    key = repository.secret(conn, PSEUDONYM_KEY)
    return "erased:" + hmac.new(key, visitor_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def find(conn: Connection, query: str) -> list[SubjectSummary]:
    """People matching an e-mail, a name (a part of it), a visitor id or a received detail's value, with
    what matched, so that a supervisor can tell two matches apart."""
    needle = query.strip()
    rows = conn.execute(
        """
        SELECT v.id, v.name, v.email, v.last_seen,
               (SELECT count(*) FROM chats c WHERE c.visitor_id = v.id), v.created_at,
               v.id = :q, lower(v.email) = lower(:q),
               v.name IS NOT NULL AND instr(lower(v.name), lower(:q)) > 0,
               (SELECT group_concat(DISTINCT f.key) FROM received_details d, json_each(d.fields) f
                WHERE d.visitor_id = v.id AND lower(f.value) = lower(:q))
        FROM visitors v
        WHERE v.id = :q
           OR lower(v.email) = lower(:q)
           OR (v.name IS NOT NULL AND instr(lower(v.name), lower(:q)) > 0)
           OR EXISTS (SELECT 1 FROM received_details d, json_each(d.fields) f
                      WHERE d.visitor_id = v.id AND lower(f.value) = lower(:q))
        ORDER BY v.last_seen DESC LIMIT :limit
        """,
        {"q": needle, "limit": MAX_FOUND},
    ).fetchall()
    return [
        SubjectSummary(
            visitor_id=row[0], name=row[1], email=row[2], last_seen=row[3], chats=row[4], first_seen=row[5],
            matched_on=(*(what for what, hit in (("id", row[6]), ("email", row[7]), ("name", row[8])) if hit),
                        *sorted((row[9] or "").split(",") if row[9] else ())),
        )
        for row in rows
    ]


def operators_named(conn: Connection, visitor_id: str) -> dict[str, str]:
    """The display name of every staff member an export about the person names by id (the chats'
    operators, the actors of audit entries): the export speaks of people by name."""
    rows = conn.execute(
        """
        SELECT o.id, o.name FROM operators o WHERE o.id IN (
            SELECT operator_id FROM chats WHERE visitor_id = :v
            UNION SELECT actor FROM audit_log WHERE subject = :v)
        """,
        {"v": visitor_id},
    ).fetchall()
    return dict(rows)


def export(conn: Connection, visitor_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT id, created_at, last_seen, language, name, email FROM visitors WHERE id = ?", (visitor_id,)
    ).fetchone()
    if row is None:
        return None
    consents = []
    for event in repository.consents_of(conn, visitor_id):
        notice = conn.execute(
            "SELECT language, title, body, sha256 FROM notices WHERE id = ? AND version = ?",
            (event.notice_id, event.notice_version),
        ).fetchone()
        entry = to_builtins(event)
        entry["notice"] = (
            {"language": notice[0], "title": notice[1], "body": notice[2], "sha256": notice[3]}
            if notice
            else None
        )
        consents.append(entry)
    chats = []
    chat_rows = conn.execute(
        "SELECT id FROM chats WHERE visitor_id = ? ORDER BY started_at", (visitor_id,)
    ).fetchall()
    for (chat_id,) in chat_rows:
        chat = to_builtins(repository.chat_by_id(conn, chat_id))
        chat["messages"] = to_builtins(repository.messages_of(conn, chat_id))
        chat["details"] = to_builtins(repository.details_of_chat(conn, chat_id))
        chats.append(chat)
    page_views = [
        {"url": url, "title": title, "at": at}
        for url, title, at in conn.execute(
            "SELECT url, title, at FROM page_views WHERE visitor_id = ? ORDER BY at", (visitor_id,)
        ).fetchall()
    ]
    insights = repository.insights_of(conn, visitor_id)
    return {
        "exported_at": now_ts(),
        "visitor": dict(
            zip(("id", "created_at", "last_seen", "language", "name", "email"), row, strict=True)
        ),
        "insights": to_builtins(insights) if insights else None,
        "page_views": page_views,
        "consents": consents,
        "chats": chats,
        "audit": to_builtins(repository.audit_about(conn, visitor_id)),
        # An addition: staff named by id above, by display name.
        "operators": operators_named(conn, visitor_id),
    }


# Checked and recorded in the erasure's own transaction before anything is deleted (an approval, four
# eyes: ``approvals.approve_erasure``); raises to refuse; returns what the erasure's audit entry adds.
Authorize = Callable[[Connection, str], dict[str, Any]]


@checkpoint_after
def erase(
    conn: Connection, visitor_id: str, actor: str, reason: str, authorize: Authorize | None = None
) -> tuple[ErasedCounts, list[str]] | None:
    if conn.execute("SELECT 1 FROM visitors WHERE id = ?", (visitor_id,)).fetchone() is None:
        return None
    approved = authorize(conn, visitor_id) if authorize is not None else {}

    def count(sql: str) -> int:
        return conn.execute(sql, (visitor_id,)).fetchone()[0]

    chat_ids = [r[0] for r in conn.execute("SELECT id FROM chats WHERE visitor_id = ?", (visitor_id,))]
    counts = ErasedCounts(
        chats=len(chat_ids),
        messages=count(
            "SELECT count(*) FROM messages m JOIN chats c ON c.id = m.chat_id WHERE c.visitor_id = ?"
        ),
        consents=count("SELECT count(*) FROM consent_events WHERE visitor_id = ?"),
        details=count(
            "SELECT count(*) FROM detail_requests r JOIN chats c ON c.id = r.chat_id WHERE c.visitor_id = ?"
        ),
    )
    # Foreign keys cascade from the visitor to page views, insights, consents, chats, messages,
    # detail requests and received details.
    conn.execute("DELETE FROM visitors WHERE id = ?", (visitor_id,))
    tombstone = pseudonym(conn, visitor_id)
    # Earlier audit entries keep who did what and when, but no longer name the person, nor the chats
    # that were theirs.
    conn.execute("UPDATE audit_log SET subject = ?, detail = NULL WHERE subject = ?", (tombstone, visitor_id))
    at = now_ts()
    repository.audit(
        conn,
        at,
        actor,
        "subjects.erase",
        tombstone,
        {"reason": reason, "erased": to_builtins(counts), **approved},
    )
    # The person's cases record the erasure and keep only their tombstone; an erasure request is done.
    cases.erased(conn, visitor_id, tombstone, actor, at, to_builtins(counts))
    return counts, chat_ids


async def erase_subject(
    hub: Hub, visitor_id: str, actor: str, reason: str, spare: Outbox | None = None,
    authorize: Authorize | None = None,
) -> ErasedCounts | None:
    """Erase a person everywhere: the database first (under the person's lock, with no further write
    about them queued meanwhile), then live state, then tell every connected operator. ``None`` if
    nobody by that id is stored. If the erasure cannot be stored, or ``authorize`` refuses it, nothing
    changes (``StorageUnavailable``, or what ``authorize`` raised)."""
    async with hub.changes.about(visitor_id):
        live = hub.erasure_begins(visitor_id)
        try:
            result = await hub.db.call(erase, visitor_id, actor, reason, authorize)
        except BaseException:
            hub.erasure_failed(live)
            raise
        live_chat_ids = hub.forget_live_visitor(visitor_id, spare)
        if result is None:
            return None
        counts, chat_ids = result
        logger.info(
            "erased a data subject on request of %s: %d chats, %d messages",
            actor,
            counts.chats,
            counts.messages,
        )
        hub.announce_erasure(visitor_id, [*chat_ids, *live_chat_ids])
        return counts
