"""Visitor snapshots, consent events, notices, detail requests and received details.

Consent is applied here, at write time, with the rules from ``domain.consent``: what a visitor has not
consented to never reaches the disk, and a withdrawal removes what the purpose had allowed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import msgspec
import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.consent import granted_purposes, may_receive_details, redact_by_flags
from operator_desk.domain.model import (
    ConsentEvent,
    ConsentFlags,
    Insights,
    Notice,
    Page,
    Purpose,
    Visitor,
    VisitorState,
)
from operator_desk.store.errors import ConsentMissing
from operator_desk.store.records import DetailRequest, ReceivedDetail

# -- visitor snapshots -------------------------------------------------------------------------------

_SNAPSHOT_COLUMNS = (
    "visitor_id, seen_at, state, page_url, page_title, pages_viewed, on_site_since, name, email, "
    "consent_chat, consent_visitor_insights, consent_contact_details, consent_typing_preview, insights"
)


def put_visitor(conn: sqlcipher.Connection, visitor: Visitor, seen_at: str) -> Visitor:
    """Store the latest snapshot of a visitor, redacted by its own consent flags first (a server that
    sent too much must not make us keep it). Returns what was stored."""
    kept = redact_by_flags(visitor)
    conn.execute(
        f"INSERT OR REPLACE INTO visitor_snapshots ({_SNAPSHOT_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kept.id,
            seen_at,
            kept.state.value,
            kept.page.url,
            kept.page.title,
            kept.pages_viewed,
            kept.on_site_since,
            kept.name,
            kept.email,
            int(kept.consent.chat),
            int(kept.consent.visitor_insights),
            int(kept.consent.contact_details),
            int(kept.consent.typing_preview),
            msgspec.json.encode(kept.insights).decode() if kept.insights is not None else None,
        ),
    )
    return kept


def visitor_snapshot(conn: sqlcipher.Connection, visitor_id: str) -> Visitor | None:
    row = conn.execute(
        f"SELECT {_SNAPSHOT_COLUMNS} FROM visitor_snapshots WHERE visitor_id = ?", (visitor_id,)
    ).fetchone()
    if row is None:
        return None
    return Visitor(
        id=row[0],
        state=VisitorState(row[2]),
        page=Page(url=row[3], title=row[4]),
        pages_viewed=row[5],
        on_site_since=row[6],
        name=row[7],
        email=row[8],
        consent=ConsentFlags(
            chat=bool(row[9]),
            visitor_insights=bool(row[10]),
            contact_details=bool(row[11]),
            typing_preview=bool(row[12]),
        ),
        insights=msgspec.json.decode(row[13], type=Insights) if row[13] is not None else None,
    )


# -- consent events ----------------------------------------------------------------------------------

_CONSENT_COLUMNS = "id, visitor_id, purpose, granted, notice_id, notice_version, method, at, seq"


def consent_events(conn: sqlcipher.Connection, visitor_id: str) -> list[ConsentEvent]:
    """A visitor's consent events in the order the server recorded them: by its ``seq``, never by ``at``
    (clocks step). Events cached without one (before m0040) come first, in the order they were cached."""
    rows = conn.execute(
        f"SELECT {_CONSENT_COLUMNS} FROM consent_events WHERE visitor_id = ? "
        "ORDER BY seq IS NOT NULL, seq, rowid",
        (visitor_id,),
    ).fetchall()
    return [ConsentEvent.from_row(row) for row in rows]


def add_consent_event(conn: sqlcipher.Connection, event: ConsentEvent) -> frozenset[Purpose]:
    """Record a consent event (idempotent on its id) and, if the purpose is now withdrawn, remove what it
    had allowed. Returns the visitor's granted purposes afterwards."""
    conn.execute(
        f"INSERT OR IGNORE INTO consent_events ({_CONSENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event.id,
            event.visitor_id,
            event.purpose.value,
            int(event.granted),
            event.notice_id,
            event.notice_version,
            event.method.value,
            event.at,
            event.seq,
        ),
    )
    granted = granted_purposes(consent_events(conn, event.visitor_id))
    # A late-arriving old withdrawal does not undo a newer grant: the latest event decides.
    if event.purpose not in granted:
        _apply_withdrawal(conn, event.visitor_id, event.purpose)
    return granted


def _apply_withdrawal(conn: sqlcipher.Connection, visitor_id: str, purpose: Purpose) -> None:
    chats_of_visitor = "SELECT id FROM chats WHERE visitor_id = ?"
    if purpose is Purpose.VISITOR_INSIGHTS:
        conn.execute(
            "UPDATE visitor_snapshots SET insights = NULL, consent_visitor_insights = 0 WHERE visitor_id = ?",
            (visitor_id,),
        )
    elif purpose is Purpose.CHAT:
        conn.execute(
            "UPDATE visitor_snapshots SET name = NULL, email = NULL, consent_chat = 0 WHERE visitor_id = ?",
            (visitor_id,),
        )
        # The name the visitor gave also sits on each of their messages.
        conn.execute(
            "UPDATE messages SET author_name = '' "
            f"WHERE author = 'visitor' AND author_name != '' AND chat_id IN ({chats_of_visitor})",
            (visitor_id,),
        )
    elif purpose is Purpose.CONTACT_DETAILS:
        conn.execute(
            "UPDATE visitor_snapshots SET consent_contact_details = 0 WHERE visitor_id = ?", (visitor_id,)
        )
        conn.execute(f"DELETE FROM received_details WHERE chat_id IN ({chats_of_visitor})", (visitor_id,))
    elif purpose is Purpose.TYPING_PREVIEW:
        conn.execute(
            "UPDATE visitor_snapshots SET consent_typing_preview = 0 WHERE visitor_id = ?", (visitor_id,)
        )


# -- notices -----------------------------------------------------------------------------------------


def add_notice(conn: sqlcipher.Connection, notice: Notice, seen_at: str) -> bool:
    """Keep a published notice version (they never change, so the first copy stays). True if new."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO notices_seen "
        "(id, version, language, title, body, purposes, sha256, first_seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            notice.id,
            notice.version,
            notice.language,
            notice.title,
            notice.body,
            json.dumps([p.value for p in notice.purposes]),
            notice.sha256,
            seen_at,
        ),
    )
    return cursor.rowcount == 1


def notices(conn: sqlcipher.Connection) -> list[Notice]:
    rows = conn.execute(
        "SELECT id, version, language, title, body, purposes, sha256 FROM notices_seen ORDER BY id, version"
    ).fetchall()
    return [
        Notice(
            id=r[0],
            version=r[1],
            language=r[2],
            title=r[3],
            body=r[4],
            purposes=tuple(Purpose(p) for p in json.loads(r[5])),
            sha256=r[6],
        )
        for r in rows
    ]


# -- detail requests and received details ------------------------------------------------------------

_REQUEST_COLUMNS = "id, chat_id, notice_id, notice_version, fields, purpose, requested_at, state, answered_at"


def add_detail_request(conn: sqlcipher.Connection, request: DetailRequest) -> None:
    conn.execute(
        f"INSERT OR IGNORE INTO detail_requests ({_REQUEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            request.id,
            request.chat_id,
            request.notice_id,
            request.notice_version,
            json.dumps(list(request.fields)),
            request.purpose.value,
            request.requested_at,
            request.state,
            request.answered_at,
        ),
    )


def mark_detail_request(conn: sqlcipher.Connection, request_id: str, state: str, at: str) -> bool:
    cursor = conn.execute(
        "UPDATE detail_requests SET state = ?, answered_at = ? WHERE id = ?", (state, at, request_id)
    )
    return cursor.rowcount == 1


def detail_requests(conn: sqlcipher.Connection, chat_id: str) -> list[DetailRequest]:
    rows = conn.execute(
        f"SELECT {_REQUEST_COLUMNS} FROM detail_requests WHERE chat_id = ? ORDER BY requested_at, id",
        (chat_id,),
    ).fetchall()
    return [
        DetailRequest(
            id=r[0],
            chat_id=r[1],
            notice_id=r[2],
            notice_version=r[3],
            fields=tuple(json.loads(r[4])),
            purpose=Purpose(r[5]),
            requested_at=r[6],
            state=r[7],
            answered_at=r[8],
        )
        for r in rows
    ]


def contact_details_allowed(conn: sqlcipher.Connection, visitor_id: str) -> bool:
    """Per the recorded consent events when there are any for this purpose, else per the consent flags
    of the visitor's latest snapshot. Nothing known means not granted."""
    events = [e for e in consent_events(conn, visitor_id) if e.purpose is Purpose.CONTACT_DETAILS]
    if events:
        return may_receive_details(granted_purposes(events))
    row = conn.execute(
        "SELECT consent_contact_details FROM visitor_snapshots WHERE visitor_id = ?", (visitor_id,)
    ).fetchone()
    return bool(row and row[0])


def add_received_details(
    conn: sqlcipher.Connection, chat_id: str, request_id: str, fields: Mapping[str, str], received_at: str
) -> int:
    """Store the details a visitor sent for a request. Raises :class:`ConsentMissing` (and stores nothing)
    unless the visitor has granted ``contact_details``. Returns the number of fields stored."""
    chat = conn.execute("SELECT visitor_id FROM chats WHERE id = ?", (chat_id,)).fetchone()
    if chat is None or not contact_details_allowed(conn, chat[0]):
        raise ConsentMissing("contact_details is not granted for this chat's visitor")
    purpose_row = conn.execute("SELECT purpose FROM detail_requests WHERE id = ?", (request_id,)).fetchone()
    purpose = purpose_row[0] if purpose_row else Purpose.CONTACT_DETAILS.value
    cursor = conn.executemany(
        "INSERT OR REPLACE INTO received_details (request_id, field, chat_id, value, purpose, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(request_id, field, chat_id, value, purpose, received_at) for field, value in fields.items()],
    )
    mark_detail_request(conn, request_id, "received", received_at)
    return cursor.rowcount


def received_details(conn: sqlcipher.Connection, chat_id: str) -> list[ReceivedDetail]:
    rows = conn.execute(
        "SELECT request_id, chat_id, field, value, purpose, received_at FROM received_details "
        "WHERE chat_id = ? ORDER BY received_at, request_id, field",
        (chat_id,),
    ).fetchall()
    return [
        ReceivedDetail(
            request_id=r[0], chat_id=r[1], field=r[2], value=r[3], purpose=Purpose(r[4]), received_at=r[5]
        )
        for r in rows
    ]
