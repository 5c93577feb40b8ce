"""Data-subject requests: find a person, export everything held about them, erase them.

The SQL functions run on the database thread. After an erasure only a tombstone is left: audit entries
about the person keep their actor, action and time, with the visitor id replaced by a pseudonym (an HMAC
of the id under a server secret, so two erasures of one id cannot be told apart from two people without
that secret, and the secret never leaves the encrypted database).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

import msgspec

from operator_desk.domain.clock import now_ts
from operator_desk.protocol import to_builtins
from operator_desk.protocol.export import CHAT_LISTS, LISTS
from operator_desk.protocol.messages import ErasedCounts, SubjectSummary
from operator_desk.server import cases, journal, paging, repository, sealing
from operator_desk.server.config import ServerConfig
from operator_desk.server.db import checkpoint_after
from operator_desk.server.hub import Hub
from operator_desk.server.send_queue import SendQueue
from operator_desk.server.webhooks import outbox as webhook_outbox

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
    if sealing.of(conn).seals:
        return [_summary(conn, row) for row in _find_sealed(conn, needle)]
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
    return [_summary(conn, (*row[:9], (row[9] or "").split(",") if row[9] else ())) for row in rows]


def _summary(conn: Connection, row: Any) -> SubjectSummary:
    """From ``id, name, email, last_seen, chats, created_at``, whether the id, the e-mail and the name
    matched, and the keys of the details that did."""
    return SubjectSummary(
        visitor_id=row[0], name=row[1], email=row[2], last_seen=row[3], chats=row[4], first_seen=row[5],
        matched_on=(*(what for what, hit in (("id", row[6]), ("email", row[7]), ("name", row[8])) if hit),
                    *sorted(row[9])),
        receivers=tuple(webhook_outbox.holders(conn, row[0])),
    )


def _find_sealed(conn: Connection, needle: str) -> list[tuple[Any, ...]]:
    """``find`` where names, e-mails and details are sealed: the id and the e-mail's keyed hash found in
    SQL; names (a part of one) and details' values opened and compared in Python, every one of them
    (a supervisor's search, not a request of the live path: docs/scaling.md, "What it costs")."""
    seal = sealing.of(conn)
    folded = needle.lower()
    details: dict[str, set[str]] = {}
    for visitor_id, fields in conn.execute("SELECT visitor_id, fields FROM received_details").fetchall():
        opened = seal.open(conn, visitor_id, "received_details.fields", fields)
        for key, value in (json.loads(opened) if opened else {}).items():
            if isinstance(value, str) and value.lower() == folded:
                details.setdefault(visitor_id, set()).add(key)
    candidates = {row[0] for row in conn.execute(
        "SELECT id FROM visitors WHERE id = ? OR email_index = ?", (needle, seal.email_index(needle)))}
    for visitor_id, name in conn.execute("SELECT id, name FROM visitors WHERE name IS NOT NULL").fetchall():
        opened = seal.open(conn, visitor_id, "visitors.name", name)
        if opened is not None and folded in opened.lower():
            candidates.add(visitor_id)
    candidates.update(details)
    found = []
    for visitor_id in candidates:
        row = conn.execute(
            "SELECT v.id, v.name, v.email, v.last_seen, "
            "(SELECT count(*) FROM chats c WHERE c.visitor_id = v.id), v.created_at FROM visitors v "
            "WHERE v.id = ?", (visitor_id,)).fetchone()
        if row is None:
            continue
        name = seal.open(conn, visitor_id, "visitors.name", row[1])
        email = seal.open(conn, visitor_id, "visitors.email", row[2])
        found.append((row[0], name, email, *row[3:], row[0] == needle,
                      email is not None and email.lower() == folded,
                      name is not None and folded in name.lower(), details.get(visitor_id, ())))
    found.sort(key=lambda row: row[3], reverse=True)
    return found[:MAX_FOUND]


def processing(config: ServerConfig) -> dict[str, Any]:
    """What the first page of an export says about the processing itself, so that a report for the
    person can tell who is responsible, why each purpose, who receives it, and how long each kind of data
    is kept (the same configuration the notices are written from)."""
    retention = config.retention
    return {
        "controller": dataclasses.asdict(config.controller),
        "purposes": {
            purpose.value: {language: dataclasses.asdict(text)
                            for (p, language), text in config.purpose_texts.items() if p is purpose}
            for purpose in dict.fromkeys(p for p, _ in config.purpose_texts)
        },
        "retention": {
            "transcripts_days": retention.transcripts_days,
            "received_details_days": retention.received_details_days,
            "visitor_insights_days": retention.visitor_insights_days,
            # A visitor with no chat left is forgotten after the transcript period (retention.purge).
            "visitors_days": retention.transcripts_days,
        },
    }


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


# Checked and recorded in the transaction of an export's first page, before its audit entry: the
# approval it spends, the case it is a step of. Raises to refuse; returns what the audit entry adds.
FirstPage = Callable[[Connection, str], dict[str, Any] | None]


def export_page(
    conn: Connection, visitor_id: str, position: Any, actor: str, on_first_page: FirstPage | None = None,
    *, action: str = "subjects.export",
) -> tuple[dict[str, Any], Any] | None:
    """One page of everything held about a person, and the position of the next (``None`` on the last);
    ``None`` if nothing is stored. The first page has every key of the export (docs/protocol.md §7): the
    visitor and their insights, and the lists (page views, consents with the notice text agreed to,
    chats, audit entries) as far as they fit; a chat's messages and details come after the chats, each
    in an entry of ``chats`` with the chat's ``id`` (``protocol.export.merge_export_pages`` puts pages
    together). Reading the first page writes the audit entry of the export, in the same transaction
    (after ``on_first_page``)."""
    row = conn.execute(
        "SELECT id, created_at, last_seen, language, name, email FROM visitors WHERE id = ?", (visitor_id,)
    ).fetchone()
    if row is None:
        return None
    sections = (
        paging.Section("page_views", _page_views_after, visitor_id),
        paging.Section("consents", _consents_with_notices_after, visitor_id),
        paging.Section("chats", _chats_after, visitor_id),
        paging.Section("messages", _messages_after, visitor_id),
        paging.Section("details", _details_after, visitor_id),
        paging.Section("audit", _audit_after, visitor_id),
    )
    first = position is None
    if first:
        detail = on_first_page(conn, visitor_id) if on_first_page is not None else None
        # Written first, so that the export lists its own view among the audit entries.
        repository.audit(conn, now_ts(), actor, action, visitor_id, detail)
    found, following = paging.read_page(conn, sections, position)
    document: dict[str, Any] = {}
    if first:
        insights = repository.insights_of(conn, visitor_id)
        document = {
            "exported_at": now_ts(),
            "visitor": dict(
                zip(("id", "created_at", "last_seen", "language", "name", "email"), (
                    *row[:4], sealing.of(conn).open(conn, visitor_id, "visitors.name", row[4]),
                    sealing.of(conn).open(conn, visitor_id, "visitors.email", row[5])), strict=True)
            ),
            "insights": to_builtins(insights) if insights else None,
            # An addition: the staff the export names by id (chats' operators, audit actors), by name.
            "operators": operators_named(conn, visitor_id),
            **{name: [] for name in LISTS},
        }
    for name in ("page_views", "consents", "audit"):
        if name in found:
            document.setdefault(name, []).extend(found[name])
    chats: list[dict[str, Any]] = document.setdefault("chats", [])
    for chat in found.get("chats", ()):
        chats.append({**chat, "messages": [], "details": []})
    for name in CHAT_LISTS:
        for item in found.get(name, ()):
            if not chats or chats[-1]["id"] != item["chat_id"]:
                chats.append({"id": item["chat_id"], "messages": [], "details": []})
            chats[-1][name].append(item)
    return document, following


def _page_views_after(conn: Connection, visitor_id: str, after: Any, limit: int) -> list[tuple[Any, Any]]:
    rows = conn.execute(
        "SELECT id, url, title, at FROM page_views WHERE visitor_id = ? AND id > ? ORDER BY id LIMIT ?",
        (visitor_id, after or 0, limit),
    ).fetchall()
    seal = sealing.of(conn)
    return [(r[0], {"url": seal.open(conn, visitor_id, "page_views.url", r[1]),
                    "title": seal.open(conn, visitor_id, "page_views.title", r[2]), "at": r[3]})
            for r in rows]


def _consents_with_notices_after(
    conn: Connection, visitor_id: str, after: Any, limit: int
) -> list[tuple[Any, Any]]:
    found = []
    for seq, event in repository.consents_after(conn, visitor_id, after, limit):
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
        found.append((seq, entry))
    return found


def _chats_after(conn: Connection, visitor_id: str, after: Any, limit: int) -> list[tuple[Any, Any]]:
    started_at, chat_id = after if after is not None else ("", "")
    rows = conn.execute(
        "SELECT id, started_at FROM chats WHERE visitor_id = ? AND (started_at, id) > (?, ?) "
        "ORDER BY started_at, id LIMIT ?",
        (visitor_id, started_at, chat_id, limit),
    ).fetchall()
    return [([r[1], r[0]], to_builtins(repository.chat_by_id(conn, r[0]))) for r in rows]


def _in_chats(conn: Connection, visitor_id: str, after: Any, limit: int, read: Any) -> list[tuple[Any, Any]]:
    """Items of every chat of the visitor, chat by chat (in the order of ``_chats_after``), each chat's
    in its own key order: the key is ``[chat started_at, chat id, the item's key]``."""
    chats = conn.execute(
        "SELECT started_at, id FROM chats WHERE visitor_id = ? ORDER BY started_at, id", (visitor_id,)
    ).fetchall()
    found: list[tuple[Any, Any]] = []
    for started_at, chat_id in chats:
        if after is not None and [started_at, chat_id] < after[:2]:
            continue
        within = after[2] if after is not None and [started_at, chat_id] == after[:2] else None
        for key, item in read(conn, chat_id, within, limit - len(found)):
            found.append(([started_at, chat_id, key], to_builtins(item)))
        if len(found) >= limit:
            break
    return found


def _messages_after(conn: Connection, visitor_id: str, after: Any, limit: int) -> list[tuple[Any, Any]]:
    return _in_chats(conn, visitor_id, after, limit, repository.messages_after)


def _details_after(conn: Connection, visitor_id: str, after: Any, limit: int) -> list[tuple[Any, Any]]:
    return _in_chats(conn, visitor_id, after, limit, repository.details_after)


def _audit_after(conn: Connection, visitor_id: str, after: Any, limit: int) -> list[tuple[Any, Any]]:
    rows = conn.execute(
        "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE subject = ? AND id > ? "
        "ORDER BY id LIMIT ?",
        (visitor_id, after or 0, limit),
    ).fetchall()
    return [(r[0], to_builtins(repository.audit_entry(conn, r[1:]))) for r in rows]


def export_page_for_visitor(conn: Connection, visitor_id: str, position: Any) -> tuple[dict[str, Any], Any]:
    """A page of what a visitor downloads about themselves ("Download my data"): the export's page
    without its audit entries (they name the staff who read the chats); the first page is recorded in
    the audit log in the same transaction. A visitor of whom nothing is stored gets an empty document."""
    found = export_page(conn, visitor_id, position, "visitor", action="subject.export_me")
    if found is None:
        repository.audit(conn, now_ts(), "visitor", "subject.export_me", visitor_id, None)
        return {"exported_at": now_ts(), "visitor": {"id": visitor_id}, "insights": None,
                **{name: [] for name in LISTS if name != "audit"}}, None
    document, following = found
    document.pop("audit", None)
    return document, following


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
    at = now_ts()
    tombstone = pseudonym(conn, visitor_id)
    # The site's receivers that were sent data about the person are sent the erasure (their events
    # still queued about the person go with the person's rows).
    receivers = webhook_outbox.record_erasure(conn, visitor_id, tombstone, at)
    if receivers:
        counts = msgspec.structs.replace(counts, unconfirmed_receivers=tuple(receivers))
    # Foreign keys cascade from the visitor to page views, insights, consents, chats, messages,
    # detail requests and received details, and to their key where fields are sealed (person_keys):
    # then every copy of those rows that the database keeps (dead rows, WAL, backups) is shredded.
    sealing.of(conn).forget(conn, [visitor_id])
    conn.execute("DELETE FROM visitors WHERE id = ?", (visitor_id,))
    # For desks that are offline now: they purge their caches from the journal when they sign in.
    journal.record_erasure(conn, at, visitor_id, chat_ids)
    # Earlier audit entries keep who did what and when, but no longer name the person, nor the chats
    # that were theirs.
    conn.execute("UPDATE audit_log SET subject = ?, detail = NULL WHERE subject = ?", (tombstone, visitor_id))
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
    hub: Hub, visitor_id: str, actor: str, reason: str, spare: SendQueue | None = None,
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
