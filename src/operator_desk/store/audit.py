"""The local audit log: who did what to whose data, when, and how much. No personal data.

The subject is a pseudonym: HMAC-SHA256 of the visitor id under a random 256-bit salt created with the
database (setting ``audit.subject_salt``), first 32 hex digits. Someone holding the cache key and a
visitor id can check whether that visitor was erased; the log alone reveals no id, and the same visitor
gets unrelated pseudonyms in two profiles' caches.

An entry says what it did (``action``), who did it (``actor``: an operator id, or ``system``), about
whom (``subject``), how much (``counts``) and what it touched (``detail``: references such as a chat id
or a case id, never names, texts or addresses). Any use case of the desk records with :func:`record`;
the audit viewer reads with :func:`page`, newest first along ``seq`` (the order entries were written,
never the clock), a page at a time with a cursor, so a million entries stay quick.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.store.records import AuditDetail, CacheAuditEntry, CacheAuditPage, CacheAuditQuery

SALT_SETTING = "audit.subject_salt"
# The action of a local erasure: its subject is the tombstone of the person erased.
ERASE_ACTION = "erase"
MAX_PAGE = 500


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
    detail: AuditDetail | None = None,
) -> None:
    """Append one entry. ``subject`` must already be a pseudonym (or None)."""
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, subject, counts, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (
            at,
            actor,
            action,
            subject,
            json.dumps(dict(counts or {}), sort_keys=True),
            json.dumps(dict(detail or {}), sort_keys=True),
        ),
    )


_COLUMNS = f"""
    a.seq, a.at, a.actor, a.action, a.subject, a.counts, a.detail,
    a.subject IS NOT NULL AND EXISTS (
        SELECT 1 FROM audit_log AS e WHERE e.subject = a.subject AND e.action = '{ERASE_ACTION}')
"""


def page(conn: sqlcipher.Connection, query: CacheAuditQuery) -> CacheAuditPage:
    """Entries newest first (by ``seq``) that match every filter given, at most ``query.limit``; pass
    ``next_cursor`` back as ``cursor`` for the next (older) page. ``since`` is inclusive, ``until``
    exclusive. An entry whose subject was erased later says so (``subject_erased``): its subject is
    then the tombstone."""
    limit = max(1, min(query.limit, MAX_PAGE))
    where: list[str] = []
    params: list[object] = []
    # Only the filters given: "(? IS NULL OR ...)" would keep SQLite from using the indexes.
    for clause, value in (
        ("a.action = ?", query.action),
        ("a.actor = ?", query.actor),
        ("a.subject = ?", query.subject),
        ("a.at >= ?", query.since),
        ("a.at < ?", query.until),
        ("a.seq < ?", _parse_cursor(query.cursor) if query.cursor else None),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    sql = f"SELECT {_COLUMNS} FROM audit_log AS a"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.seq DESC LIMIT ?"
    rows = conn.execute(sql, (*params, limit + 1)).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    return CacheAuditPage(
        entries=tuple(_entry(row) for row in rows), next_cursor=str(rows[-1][0]) if more else None
    )


def about(conn: sqlcipher.Connection, subject: str) -> list[CacheAuditEntry]:
    """Every entry about one person (``subject`` is their pseudonym), oldest first."""
    found: list[CacheAuditEntry] = []
    cursor = None
    while True:
        listed = page(conn, CacheAuditQuery(subject=subject, limit=MAX_PAGE, cursor=cursor))
        found.extend(listed.entries)
        cursor = listed.next_cursor
        if cursor is None:
            return found[::-1]


def entries(
    conn: sqlcipher.Connection, *, since: str | None = None, limit: int = 100
) -> list[CacheAuditEntry]:
    """Newest first (the first page of :func:`page`)."""
    return list(page(conn, CacheAuditQuery(since=since, limit=limit)).entries)


def actions(conn: sqlcipher.Connection) -> list[str]:
    """Every action the log holds, for a filter (the action index answers it)."""
    return [row[0] for row in conn.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]


def actors(conn: sqlcipher.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT DISTINCT actor FROM audit_log ORDER BY actor")]


def _parse_cursor(cursor: str) -> int:
    try:
        return int(cursor)
    except ValueError:
        raise ValueError("not an audit cursor") from None


def _entry(row: tuple[Any, ...]) -> CacheAuditEntry:
    return CacheAuditEntry(
        seq=row[0],
        at=row[1],
        actor=row[2],
        action=row[3],
        subject=row[4],
        counts=json.loads(row[5]),
        detail=json.loads(row[6]),
        subject_erased=bool(row[7]),
    )
