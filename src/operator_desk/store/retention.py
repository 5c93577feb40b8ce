"""Deleting what has been kept long enough: per category, by age, with counts in the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.clock import format_ts
from operator_desk.store.messages import delete_chats
from operator_desk.store.records import CacheRetention

# A chat's age is that of its latest activity: start, close, or last message. Only chats that started
# before the cutoff can qualify, so the started_at index keeps this cheap on a large cache (an hourly
# purge must not read every chat); their last message is one step along the primary key.
_EXPIRED_CHATS = """
SELECT id FROM chats AS c
WHERE c.started_at < :cutoff
  AND max(c.started_at, coalesce(c.closed_at, ''),
          coalesce((SELECT max(m.at) FROM messages AS m WHERE m.chat_id = c.id), '')) < :cutoff
"""


def purge_expired(conn: sqlcipher.Connection, now: datetime, limits: CacheRetention) -> dict[str, int]:
    """Delete expired rows (the caller holds a transaction). Returns rows removed per table."""

    def cutoff(days: int) -> str:
        return format_ts(now - timedelta(days=days))

    transcripts_cutoff = cutoff(limits.transcripts_days)
    expired = [row[0] for row in conn.execute(_EXPIRED_CHATS, {"cutoff": transcripts_cutoff})]
    counts = delete_chats(conn, expired)
    counts["received_details"] += conn.execute(
        "DELETE FROM received_details WHERE received_at < ?", (cutoff(limits.received_details_days),)
    ).rowcount
    counts["visitor_snapshots"] = conn.execute(
        "DELETE FROM visitor_snapshots WHERE seen_at < ?", (cutoff(limits.visitor_snapshots_days),)
    ).rowcount
    # Consent records are kept as long as anything they cover is; then they go too.
    counts["consent_events"] = conn.execute(
        """DELETE FROM consent_events
           WHERE at < :cutoff
             AND visitor_id NOT IN (SELECT visitor_id FROM chats)
             AND visitor_id NOT IN (SELECT visitor_id FROM visitor_snapshots)""",
        {"cutoff": transcripts_cutoff},
    ).rowcount
    counts["audit_log"] = conn.execute(
        "DELETE FROM audit_log WHERE at < ?", (cutoff(limits.audit_days),)
    ).rowcount
    return counts
