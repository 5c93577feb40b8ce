"""The retention purge: transcripts, received details and visitor insights older than configured are
deleted (the purged chats tombstoned in the erasure journal for the desks' caches), and journal entries
older than the journal's own period; what was removed is written to the audit log as counts only.
The webhook outbox follows: undelivered bodies lose what outlived its period, and a person removed is
an erasure event to every receiver that was sent data about them (docs/webhooks.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from operator_desk.domain.clock import format_ts
from operator_desk.domain.model import Purpose
from operator_desk.server import journal, repository, sealing, subjects
from operator_desk.server.config import Retention
from operator_desk.server.db import checkpoint_after
from operator_desk.server.webhooks import outbox as webhook_outbox
from operator_desk.server.webhooks import payloads

Connection = Any


@checkpoint_after
def purge(conn: Connection, retention: Retention, now: datetime | None = None) -> dict[str, int]:
    now = now or datetime.now(UTC)

    def cutoff(days: float) -> str:
        return format_ts(now - timedelta(days=days))

    transcripts = cutoff(retention.transcripts_days)
    details = cutoff(retention.received_details_days)
    insights = cutoff(retention.visitor_insights_days)
    expired_chats = [row[0] for row in conn.execute(
        "SELECT id FROM chats WHERE state = 'closed' AND closed_at < ?", (transcripts,))]
    # Desks purge the same chats from their caches (now, or when they next sign in): a desk never keeps
    # a transcript longer than the server does.
    journal.record_retention(conn, format_ts(now), expired_chats)
    counts = {
        # Messages, detail requests and received details of a chat go with it (foreign keys).
        "chats": conn.execute(
            "DELETE FROM chats WHERE state = 'closed' AND closed_at < ?", (transcripts,)
        ).rowcount,
        "received_details": conn.execute(
            "DELETE FROM received_details WHERE received_at < ?", (details,)
        ).rowcount,
        "visitor_insights": conn.execute(
            "DELETE FROM visitor_insights WHERE updated_at < ?", (insights,)
        ).rowcount,
        "page_views": conn.execute("DELETE FROM page_views WHERE at < ?", (insights,)).rowcount,
    }
    # A visitor with no chat left and not seen for the transcript period: their token and consent record
    # serve nothing any more. The site's receivers that were sent data about them are told, as after an
    # erasure request (an erasure event, recorded until they confirm it).
    gone = "last_seen < ? AND NOT EXISTS (SELECT 1 FROM chats c WHERE c.visitor_id = visitors.id)"
    held = [row[0] for row in conn.execute(
        f"SELECT id FROM visitors WHERE {gone} AND id IN (SELECT visitor_id FROM webhook_holders)",
        (transcripts,))]
    told = sum(len(webhook_outbox.record_erasure(conn, visitor_id, subjects.pseudonym(conn, visitor_id),
                                                 format_ts(now), payloads.ERASED_BY_RETENTION))
               for visitor_id in held)
    # Their keys go with them (person_keys, where fields are sealed): shredded as an erasure does.
    sealing.of(conn).forget(conn, [row[0] for row in conn.execute(f"SELECT id FROM visitors WHERE {gone}",
                                                                  (transcripts,))])
    counts["visitors"] = conn.execute(f"DELETE FROM visitors WHERE {gone}", (transcripts,)).rowcount
    counts["webhook_erasures"] = told
    # Nor does the outbox keep what has outlived its period, in events not confirmed yet.
    expired = webhook_outbox.expire(conn, {
        Purpose.CHAT: transcripts, Purpose.CONTACT_DETAILS: details, Purpose.VISITOR_INSIGHTS: insights,
    }, transcripts)
    counts["webhook_sections_expired"] = expired["redacted"]
    counts["webhook_events_expired"] = expired["dropped"]
    # What receivers confirmed (bodies are not kept) is shown for as long as a transcript is kept.
    counts["webhook_deliveries"] = webhook_outbox.prune(conn, transcripts)
    counts["erasure_journal"] = journal.prune(conn, cutoff(retention.erasure_journal_days))
    repository.audit(conn, format_ts(now), "system", "retention.purge", None, counts)
    return counts
