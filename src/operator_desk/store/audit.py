"""The local audit log: who did what to whose data, when, and how much. No personal data.

The subject is a pseudonym: HMAC-SHA256 of the visitor id under a random 256-bit salt created with the
database (setting ``audit.subject_salt``), first 32 hex digits. Someone holding the cache key and a
visitor id can check whether that visitor was erased; the log alone reveals no id, and the same visitor
gets unrelated pseudonyms in two profiles' caches.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.store.records import CacheAuditEntry

SALT_SETTING = "audit.subject_salt"


def pseudonym(conn: sqlcipher.Connection, visitor_id: str) -> str:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (SALT_SETTING,)).fetchone()
    salt = bytes.fromhex(row[0])
    return hmac.new(salt, visitor_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def record(
    conn: sqlcipher.Connection,
    *,
    at: str,
    actor: str,
    action: str,
    subject: str | None = None,
    counts: Mapping[str, int] | None = None,
) -> None:
    """Append one entry. ``subject`` must already be a pseudonym (or None)."""
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, subject, counts) VALUES (?, ?, ?, ?, ?)",
        (at, actor, action, subject, json.dumps(dict(counts or {}), sort_keys=True)),
    )


def entries(
    conn: sqlcipher.Connection, *, since: str | None = None, limit: int = 100
) -> list[CacheAuditEntry]:
    """Newest first."""
    rows = conn.execute(
        "SELECT at, actor, action, subject, counts FROM audit_log "
        "WHERE (:since IS NULL OR at >= :since) ORDER BY seq DESC LIMIT :limit",
        {"since": since, "limit": limit},
    ).fetchall()
    return [CacheAuditEntry(at=r[0], actor=r[1], action=r[2], subject=r[3], counts=json.loads(r[4]))
            for r in rows]
