"""The SQL the server runs: plain functions of a connection, called on the database worker thread
through ``Database.call``/``submit``. No asyncio here, no live state.

Personal fields go through the connection's sealer (``sealing.of(conn)``): sealed under their person's
key as they are written and opened as they are read on PostgreSQL, as they are on SQLCipher. A field is
named ``table.column`` wherever it is sealed or opened (``migrations/m0120_person_keys.SEALED``)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import msgspec

from operator_desk.domain.clock import now_ts
from operator_desk.domain.consent import notice_digest
from operator_desk.domain.model import (
    Author,
    Chat,
    ChatState,
    ConsentEvent,
    Insights,
    Location,
    Message,
    Notice,
    OperatorInfo,
    Purpose,
    Role,
    TeamRef,
)
from operator_desk.protocol.messages import (
    FIRST_LINE_CHARS,
    HELLO_MESSAGES,
    AuditEntry,
    DetailRecord,
    EarlierChat,
    LeftMessage,
)
from operator_desk.server import sealing
from operator_desk.server.config import NoticeText

Connection = Any


class AlreadyExists(Exception):
    """A row with that unique key is already stored."""


# -- settings -----------------------------------------------------------------------------------------


def secret(conn: Connection, key: str) -> bytes:
    """A random 32-byte server secret, created on first use and kept in the encrypted database (on
    PostgreSQL wrapped under the key file: ``sealing.wrap_secret``)."""
    seal = sealing.of(conn)
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    if row is not None:
        return seal.unwrap_secret(key, bytes(row[0]))
    value = secrets.token_bytes(32)
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, seal.wrap_secret(key, value)))
    return value


# -- operators and tokens -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredOperator:
    info: OperatorInfo
    password_hash: str


def add_operator(conn: Connection, info: OperatorInfo, username: str, password_hash: str, at: str) -> None:
    if conn.execute("SELECT 1 FROM operators WHERE username = ?", (username,)).fetchone():
        raise AlreadyExists(username)
    conn.execute(
        "INSERT INTO operators (id, username, name, role, password_hash, created_at) VALUES (?,?,?,?,?,?)",
        (info.id, username, info.name, info.role.value, password_hash, at),
    )


# An operator with their team: SELECT ... FROM operators o LEFT JOIN teams m ON m.id = o.team_id.
_OPERATOR_COLUMNS = "o.id, o.name, o.role, m.id, m.name, o.chat_limit"


def _operator_info(row: Any) -> OperatorInfo:
    team = TeamRef(id=row[3], name=row[4]) if row[3] is not None else None
    return OperatorInfo(id=row[0], name=row[1], role=Role(row[2]), team=team, chat_limit=row[5])


def operator_by_username(conn: Connection, username: str) -> StoredOperator | None:
    row = conn.execute(
        # A disabled account signs in as no account does (operator-desk-server disable).
        f"SELECT {_OPERATOR_COLUMNS}, o.password_hash FROM operators o LEFT JOIN teams m ON m.id = o.team_id "
        "WHERE o.username = ? AND o.disabled_at IS NULL",
        (username,),
    ).fetchone()
    if row is None:
        return None
    return StoredOperator(_operator_info(row), row[6])


def operator_by_id(conn: Connection, operator_id: str) -> OperatorInfo | None:
    """An enabled account, with its team and own chat limit."""
    row = conn.execute(
        f"SELECT {_OPERATOR_COLUMNS} FROM operators o LEFT JOIN teams m ON m.id = o.team_id "
        "WHERE o.id = ? AND o.disabled_at IS NULL",
        (operator_id,),
    ).fetchone()
    return _operator_info(row) if row else None


def store_token(conn: Connection, digest: str, operator_id: str, at: str, expires_at: str) -> None:
    conn.execute(
        "INSERT INTO tokens (token_sha256, operator_id, created_at, expires_at) VALUES (?,?,?,?)",
        (digest, operator_id, at, expires_at),
    )


def operator_by_token(conn: Connection, digest: str, now: str) -> OperatorInfo | None:
    # Timestamps are fixed-width RFC 3339 UTC strings, so they compare as text.
    conn.execute("DELETE FROM tokens WHERE expires_at <= ?", (now,))
    row = conn.execute(
        f"SELECT {_OPERATOR_COLUMNS} FROM tokens t JOIN operators o ON o.id = t.operator_id "
        "LEFT JOIN teams m ON m.id = o.team_id WHERE t.token_sha256 = ? AND o.disabled_at IS NULL",
        (digest,),
    ).fetchone()
    return _operator_info(row) if row else None


def token_expiries(conn: Connection, digests: list[str]) -> dict[str, str]:
    """Of these tokens, the ones still stored with an enabled account, each with its expiry time."""
    found: dict[str, str] = {}
    for start in range(0, len(digests), 500):  # SQLite's limit on bound parameters is far above this
        chunk = digests[start : start + 500]
        rows = conn.execute(
            "SELECT t.token_sha256, t.expires_at FROM tokens t JOIN operators o ON o.id = t.operator_id "
            f"WHERE t.token_sha256 IN ({','.join('?' * len(chunk))}) AND o.disabled_at IS NULL",
            chunk,
        ).fetchall()
        found.update(dict(rows))
    return found


def revoke_token(conn: Connection, digest: str) -> None:
    conn.execute("DELETE FROM tokens WHERE token_sha256 = ?", (digest,))


def operator_names(conn: Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT id, name FROM operators").fetchall())


# -- notices ------------------------------------------------------------------------------------------


def _notice(row: Any) -> Notice:
    return Notice(
        id=row[0],
        version=row[1],
        language=row[2],
        title=row[3],
        body=row[4],
        purposes=tuple(Purpose(p) for p in json.loads(row[5])),
        sha256=row[6],
        fresh_consent=bool(row[7]),
        summary=row[8],
    )


_NOTICE_COLUMNS = "id, version, language, title, body, purposes, sha256, fresh_consent, summary"


def publish_notices(conn: Connection, texts: list[NoticeText], at: str) -> list[Notice]:
    """Store each configured text as the latest version of its notice: unchanged texts keep their
    version, an edited text becomes a new version. Returns every stored version."""
    for text in texts:
        purposes = json.dumps([p.value for p in text.purposes])
        latest = conn.execute(
            f"SELECT {_NOTICE_COLUMNS} FROM notices WHERE id = ? ORDER BY version DESC LIMIT 1",
            (text.notice_id,),
        ).fetchone()
        if latest is not None and (latest[2], latest[3], latest[4], latest[5], latest[8]) == (
            text.language,
            text.title,
            text.body,
            purposes,
            text.summary,
        ):
            continue
        version = latest[1] + 1 if latest else 1
        conn.execute(
            "INSERT INTO notices (id, version, language, title, body, purposes, sha256, published_at, "
            "fresh_consent, summary) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                text.notice_id,
                version,
                text.language,
                text.title,
                text.body,
                purposes,
                notice_digest(text.body),
                at,
                # The first version asks by definition: nobody agreed to anything before it.
                int(text.fresh_consent or version == 1),
                text.summary,
            ),
        )
    rows = conn.execute(f"SELECT {_NOTICE_COLUMNS} FROM notices ORDER BY id, version").fetchall()
    return [_notice(row) for row in rows]


# -- visitors -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredVisitor:
    id: str
    name: str | None
    email: str | None
    consents: list[ConsentEvent]
    insights: Insights | None


_CONSENT_COLUMNS = "id, visitor_id, purpose, granted, notice_id, notice_version, method, at, seq"


def consents_of(conn: Connection, visitor_id: str) -> list[ConsentEvent]:
    rows = conn.execute(
        f"SELECT {_CONSENT_COLUMNS} FROM consent_events WHERE visitor_id = ? ORDER BY seq",
        (visitor_id,),
    ).fetchall()
    return [ConsentEvent.from_row(row) for row in rows]


def insights_of(conn: Connection, visitor_id: str) -> Insights | None:
    row = conn.execute(
        "SELECT ip, country, country_code, city, company, visits, first_seen FROM visitor_insights "
        "WHERE visitor_id = ?",
        (visitor_id,),
    ).fetchone()
    if row is None:
        return None
    seal = sealing.of(conn)
    ip, country, country_code, city, company = (
        seal.open(conn, visitor_id, f"visitor_insights.{field}", value)
        for field, value in zip(_INSIGHT_FIELDS, row[:5], strict=True))
    if ip is None:
        return None  # erased meanwhile (their key is gone)
    location = Location(country=country, country_code=country_code, city=city) if any(
        (country, country_code, city)) else None
    return Insights(ip=ip, location=location, company=company, visits=row[5], first_seen=row[6])


_INSIGHT_FIELDS = ("ip", "country", "country_code", "city", "company")


def _stored_visitor(conn: Connection, visitor_id: str, name: str | None, email: str | None) -> StoredVisitor:
    """The visitor from their row's id and (sealed) name and e-mail."""
    seal = sealing.of(conn)
    return StoredVisitor(visitor_id, seal.open(conn, visitor_id, "visitors.name", name),
                         seal.open(conn, visitor_id, "visitors.email", email),
                         consents_of(conn, visitor_id), insights_of(conn, visitor_id))


def visitor_by_token(conn: Connection, digest: str) -> StoredVisitor | None:
    row = conn.execute("SELECT id, name, email FROM visitors WHERE token_sha256 = ?", (digest,)).fetchone()
    if row is None:
        return None
    return _stored_visitor(conn, row[0], row[1], row[2])


def create_visitor(conn: Connection, visitor_id: str, digest: str, at: str, language: str | None) -> None:
    conn.execute(
        "INSERT INTO visitors (id, token_sha256, created_at, last_seen, language) VALUES (?,?,?,?,?)",
        (visitor_id, digest, at, at, language),
    )


def touch_visitor(conn: Connection, visitor_id: str, at: str, language: str | None) -> None:
    conn.execute("UPDATE visitors SET last_seen = ?, language = ? WHERE id = ?", (at, language, visitor_id))


def set_contact(conn: Connection, visitor_id: str, name: str | None, email: str | None) -> None:
    seal = sealing.of(conn)
    sealed = (seal.seal(conn, visitor_id, "visitors.name", name),
              seal.seal(conn, visitor_id, "visitors.email", email))
    if seal.seals:
        conn.execute("UPDATE visitors SET name = ?, email = ?, email_index = ? WHERE id = ?",
                     (*sealed, seal.email_index(email), visitor_id))
    else:
        conn.execute("UPDATE visitors SET name = ?, email = ? WHERE id = ?", (*sealed, visitor_id))


def forget_contact(conn: Connection, visitor_id: str) -> None:
    """chat consent withdrawn: the name and e-mail go, from the visitor and from the author name of
    every message the visitor wrote (team leads read those in transcripts)."""
    set_contact(conn, visitor_id, None, None)
    conn.execute(
        "UPDATE messages SET author_name = '' WHERE author = 'visitor' AND author_name != '' "
        "AND chat_id IN (SELECT id FROM chats WHERE visitor_id = ?)",
        (visitor_id,),
    )


def add_page_view(conn: Connection, visitor_id: str, url: str, title: str, at: str) -> None:
    seal = sealing.of(conn)
    conn.execute(
        "INSERT INTO page_views (visitor_id, url, title, at) VALUES (?,?,?,?)",
        (visitor_id, seal.seal(conn, visitor_id, "page_views.url", url),
         seal.seal(conn, visitor_id, "page_views.title", title), at),
    )


def store_insights(conn: Connection, visitor_id: str, insights: Insights, at: str) -> None:
    """Store the visitor's insights with the returning-visitor history the hub counted."""
    location = insights.location or Location()
    seal = sealing.of(conn)
    ip, country, country_code, city, company = (
        seal.seal(conn, visitor_id, f"visitor_insights.{field}", value)
        for field, value in zip(_INSIGHT_FIELDS, (insights.ip, location.country, location.country_code,
                                                  location.city, insights.company), strict=True))
    conn.execute(
        "INSERT INTO visitor_insights (visitor_id, ip, country, country_code, city, company, "
        "visits, first_seen, updated_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (visitor_id) DO UPDATE SET "
        "ip = excluded.ip, country = excluded.country, country_code = excluded.country_code, "
        "city = excluded.city, company = excluded.company, visits = excluded.visits, "
        "first_seen = excluded.first_seen, updated_at = excluded.updated_at",
        (
            visitor_id,
            ip,
            country,
            country_code,
            city,
            company,
            insights.visits,
            insights.first_seen or at,
            at,
        ),
    )


def forget_insights(conn: Connection, visitor_id: str) -> None:
    """visitor_insights withdrawn: the insights and the returning-visitor history go."""
    conn.execute("DELETE FROM visitor_insights WHERE visitor_id = ?", (visitor_id,))
    conn.execute("DELETE FROM page_views WHERE visitor_id = ?", (visitor_id,))


def add_consent(conn: Connection, event: ConsentEvent) -> ConsentEvent:
    """Record the event; returns it with the ``seq`` it was given."""
    row = conn.execute(
        "INSERT INTO consent_events (id, visitor_id, purpose, granted, notice_id, notice_version, method, "
        "at) VALUES (?,?,?,?,?,?,?,?) RETURNING seq",
        (
            event.id,
            event.visitor_id,
            event.purpose.value,
            int(event.granted),
            event.notice_id,
            event.notice_version,
            event.method.value,
            event.at,
        ),
    ).fetchone()
    return msgspec.structs.replace(event, seq=row[0])


# -- chats and messages -------------------------------------------------------------------------------


_CHAT_COLUMNS = "id, visitor_id, state, operator_id, started_at, closed_at, team_id, left_message"
_MESSAGE_COLUMNS = "id, chat_id, client_msg_id, author, author_name, text, at"


def _chat(row: Any) -> Chat:
    return Chat(
        id=row[0],
        visitor_id=row[1],
        state=ChatState(row[2]),
        operator_id=row[3],
        started_at=row[4],
        closed_at=row[5],
        team_id=row[6],
        left_message=bool(row[7]),
    )


def _message(conn: Connection, row: Any) -> Message:
    seal = sealing.of(conn)
    return Message(
        id=row[0],
        chat_id=row[1],
        client_msg_id=row[2],
        author=Author(row[3]),
        # None (shown as "") only where the person's key is gone: a copy of rows of someone erased.
        author_name=seal.open_in_chat(conn, row[1], "messages.author_name", row[4]) or "",
        text=seal.open_in_chat(conn, row[1], "messages.text", row[5]) or "",
        at=row[6],
    )


# The highest seq among the visitor's consent events: where a chat stands in their recorded order.
_LATEST_CONSENT = "(SELECT COALESCE(max(seq), 0) FROM consent_events WHERE visitor_id = ?)"


def save_chat(conn: Connection, chat: Chat, accepted_at: str | None = None) -> None:
    """Store a chat as it is now. The first time it is stored active, ``accepted_at`` (default: now) is
    kept as when it was accepted; stored as started and as closed, it keeps the latest ``seq`` of the
    visitor's consent events at that point (docs/server.md, "Transcript review")."""
    closed = chat.state is ChatState.CLOSED
    conn.execute(
        f"INSERT INTO chats ({_CHAT_COLUMNS}, accepted_at, consent_seq_at_start, consent_seq_at_close) "
        f"VALUES (?,?,?,?,?,?,?,?,?,{_LATEST_CONSENT},CASE WHEN ? = 1 THEN {_LATEST_CONSENT} END) "
        "ON CONFLICT (id) DO UPDATE SET "
        "state = excluded.state, operator_id = excluded.operator_id, closed_at = excluded.closed_at, "
        "accepted_at = COALESCE(chats.accepted_at, excluded.accepted_at), "
        "consent_seq_at_close = COALESCE(chats.consent_seq_at_close, excluded.consent_seq_at_close)",
        (
            chat.id,
            chat.visitor_id,
            chat.state.value,
            chat.operator_id,
            chat.started_at,
            chat.closed_at,
            chat.team_id,
            int(chat.left_message),
            (accepted_at or now_ts()) if chat.state is ChatState.ACTIVE else None,
            chat.visitor_id,
            int(closed),
            chat.visitor_id,
        ),
    )


def messages_left(conn: Connection, after: tuple[str, str] | None, limit: int) -> list[LeftMessage]:
    """Messages left while nobody was available, newest first, after ``(started_at, id)``: each with
    the visitor's name and e-mail as they are stored now (gone once chat consent is withdrawn) and the
    first message (there is one: a message left always has its text)."""
    bound = "AND (c.started_at, c.id) < (?, ?)" if after is not None else ""
    rows = conn.execute(
        f"SELECT {', '.join('c.' + column for column in _CHAT_COLUMNS.split(', '))}, v.name, v.email, "
        "(SELECT m.text FROM messages m WHERE m.chat_id = c.id ORDER BY m.at, m.id LIMIT 1) "
        f"FROM chats c JOIN visitors v ON v.id = c.visitor_id WHERE c.left_message = 1 {bound} "
        "ORDER BY c.started_at DESC, c.id DESC LIMIT ?",
        (*(after or ()), limit),
    ).fetchall()
    seal = sealing.of(conn)
    return [LeftMessage(chat=_chat(row), visitor_name=seal.open(conn, row[1], "visitors.name", row[8]),
                        email=seal.open(conn, row[1], "visitors.email", row[9]),
                        text=seal.open(conn, row[1], "messages.text", row[10]) or "")
            for row in rows]


def consent_window(conn: Connection, chat_id: str) -> tuple[int | None, int | None]:
    """(consent_seq_at_start, consent_seq_at_close) of a chat: see ``save_chat``."""
    row = conn.execute(
        "SELECT consent_seq_at_start, consent_seq_at_close FROM chats WHERE id = ?", (chat_id,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def add_message(conn: Connection, message: Message) -> Message:
    """Store a message; returns the message stored. The UNIQUE key (chat, author, client_msg_id) makes a
    resent message a no-op that returns the message first stored with that id."""
    seal = sealing.of(conn)
    cursor = conn.execute(
        "INSERT INTO messages (chat_id, at, id, client_msg_id, author, author_name, text) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
        (
            message.chat_id,
            message.at,
            message.id,
            message.client_msg_id,
            message.author.value,
            seal.seal_in_chat(conn, message.chat_id, "messages.author_name", message.author_name),
            seal.seal_in_chat(conn, message.chat_id, "messages.text", message.text),
        ),
    )
    if cursor.rowcount == 0 and message.client_msg_id is not None:
        row = conn.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? AND author = ? AND client_msg_id = ?",
            (message.chat_id, message.author.value, message.client_msg_id),
        ).fetchone()
        if row is not None:
            return _message(conn, row)
    return message


@dataclass(frozen=True, slots=True)
class OpenChat:
    """A chat left open by the previous run, with what the hub needs to carry it on: its visitor as
    stored (the consent rules decide again what of it is used), its messages, and the details requests
    the visitor has not answered yet."""

    chat: Chat
    visitor: StoredVisitor
    token_digest: str
    language: str | None
    last_seen: str
    last_page: tuple[str, str] | None  # (url, title), kept only under visitor_insights
    messages: list[Message]
    pending_details: dict[str, tuple[str, ...]]


def open_chats(conn: Connection, at: str) -> list[OpenChat]:
    """At start: the chats a previous run left waiting or active, to be carried on. A visitor has one
    open chat; should there be more, the newest is kept and the others are closed at ``at``."""
    rows = conn.execute(
        f"SELECT {_CHAT_COLUMNS} FROM chats WHERE state != 'closed' ORDER BY started_at DESC, id DESC"
    ).fetchall()
    found: list[OpenChat] = []
    seen: set[str] = set()
    for row in rows:
        chat = _chat(row)
        if chat.visitor_id in seen:
            conn.execute("UPDATE chats SET state = 'closed', closed_at = ? WHERE id = ?", (at, chat.id))
            continue
        seen.add(chat.visitor_id)
        visitor = conn.execute(
            "SELECT id, name, email, token_sha256, language, last_seen FROM visitors WHERE id = ?",
            (chat.visitor_id,),
        ).fetchone()
        page = conn.execute(
            "SELECT url, title FROM page_views WHERE visitor_id = ? ORDER BY at DESC, id DESC LIMIT 1",
            (chat.visitor_id,),
        ).fetchone()
        pending = conn.execute(
            "SELECT id, fields FROM detail_requests WHERE chat_id = ? AND status = 'pending'", (chat.id,)
        ).fetchall()
        seal = sealing.of(conn)
        found.append(
            OpenChat(
                chat=chat,
                visitor=_stored_visitor(conn, visitor[0], visitor[1], visitor[2]),
                token_digest=visitor[3],
                language=visitor[4],
                last_seen=visitor[5],
                last_page=(seal.open(conn, chat.visitor_id, "page_views.url", page[0]) or "",
                           seal.open(conn, chat.visitor_id, "page_views.title", page[1]) or "")
                if page else None,
                messages=last_messages(conn, chat.id, HELLO_MESSAGES),
                pending_details={r[0]: tuple(json.loads(r[1])) for r in pending},
            )
        )
    found.reverse()  # oldest first, as they were opened
    return found


def chat_by_id(conn: Connection, chat_id: str) -> Chat | None:
    row = conn.execute(f"SELECT {_CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,)).fetchone()
    return _chat(row) if row else None


def messages_after(conn: Connection, chat_id: str, after: Any, limit: int) -> list[tuple[Any, Message]]:
    """A page of a chat's messages in the order they were sent, after the key ``[at, id]``."""
    at, message_id = after if after is not None else ("", "")
    rows = conn.execute(
        f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? AND (at, id) > (?, ?) "
        "ORDER BY at, id LIMIT ?",
        (chat_id, at, message_id, limit),
    ).fetchall()
    return [([row[6], row[0]], _message(conn, row)) for row in rows]


def last_messages(conn: Connection, chat_id: str, limit: int) -> list[Message]:
    """A chat's last ``limit`` messages, oldest first."""
    rows = conn.execute(
        f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? ORDER BY at DESC, id DESC LIMIT ?",
        (chat_id, limit),
    ).fetchall()
    return [_message(conn, row) for row in reversed(rows)]


def consents_after(
    conn: Connection, visitor_id: str, after: Any, limit: int
) -> list[tuple[Any, ConsentEvent]]:
    """A page of a visitor's consent events in the order recorded, after the ``seq`` ``after``."""
    rows = conn.execute(
        f"SELECT {_CONSENT_COLUMNS} FROM consent_events WHERE visitor_id = ? AND seq > ? "
        "ORDER BY seq LIMIT ?",
        (visitor_id, after or 0, limit),
    ).fetchall()
    return [(row[8], ConsentEvent.from_row(row)) for row in rows]


def messages_of(conn: Connection, chat_id: str) -> list[Message]:
    rows = conn.execute(
        f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? ORDER BY at, id", (chat_id,)
    ).fetchall()
    return [_message(conn, row) for row in rows]


# -- details ------------------------------------------------------------------------------------------


def add_detail_request(conn: Connection, record: DetailRecord, operator_id: str) -> None:
    conn.execute(
        "INSERT INTO detail_requests (id, chat_id, operator_id, notice_id, notice_version, fields, purpose, "
        "requested_at, status) VALUES (?,?,?,?,?,?,?,?, 'pending')",
        (
            record.request_id,
            record.chat_id,
            operator_id,
            record.notice_id,
            record.notice_version,
            json.dumps(list(record.fields)),
            record.purpose.value,
            record.requested_at,
        ),
    )


def answer_detail_request(
    conn: Connection, request_id: str, visitor_id: str, at: str, values: dict[str, str] | None
) -> None:
    status = "received" if values is not None else "declined"
    conn.execute(
        "UPDATE detail_requests SET status = ?, answered_at = ? WHERE id = ?", (status, at, request_id)
    )
    if values is not None:
        fields = sealing.of(conn).seal(conn, visitor_id, "received_details.fields", json.dumps(values))
        conn.execute(
            "INSERT INTO received_details (request_id, visitor_id, fields, received_at) VALUES (?,?,?,?)",
            (request_id, visitor_id, fields, at),
        )


def forget_received_details(conn: Connection, visitor_id: str) -> None:
    """Every detail the visitor sent (contact_details consent withdrawn); the requests stay."""
    conn.execute("DELETE FROM received_details WHERE visitor_id = ?", (visitor_id,))


_DETAIL_SELECT = (
    "SELECT r.id, r.chat_id, r.fields, r.purpose, r.notice_id, r.notice_version, r.requested_at, "
    "r.status, d.fields, r.answered_at FROM detail_requests r "
    "LEFT JOIN received_details d ON d.request_id = r.id "
)


def _detail(conn: Connection, row: Any) -> DetailRecord:
    values = sealing.of(conn).open_in_chat(conn, row[1], "received_details.fields", row[8])
    return DetailRecord(
        request_id=row[0],
        chat_id=row[1],
        fields=tuple(json.loads(row[2])),
        purpose=Purpose(row[3]),
        notice_id=row[4],
        notice_version=row[5],
        requested_at=row[6],
        status=row[7],
        values=json.loads(values) if values else None,
        answered_at=row[9],
    )


def details_of_chat(conn: Connection, chat_id: str) -> list[DetailRecord]:
    rows = conn.execute(_DETAIL_SELECT + "WHERE r.chat_id = ? ORDER BY r.requested_at, r.id", (chat_id,))
    return [_detail(conn, row) for row in rows.fetchall()]


def details_after(conn: Connection, chat_id: str, after: Any, limit: int) -> list[tuple[Any, DetailRecord]]:
    requested_at, request_id = after if after is not None else ("", "")
    rows = conn.execute(
        _DETAIL_SELECT + "WHERE r.chat_id = ? AND (r.requested_at, r.id) > (?, ?) "
        "ORDER BY r.requested_at, r.id LIMIT ?",
        (chat_id, requested_at, request_id, limit),
    ).fetchall()
    return [([row[6], row[0]], _detail(conn, row)) for row in rows]


# -- audit --------------------------------------------------------------------------------------------


def audit(
    conn: Connection, at: str, actor: str, action: str, subject: str | None, detail: dict[str, Any] | None
) -> None:
    """One entry. Its detail is sealed under the subject's key when the subject is a stored visitor (it
    may name their chats, cases, counts of what was read); about anyone else (an operator, a team, an
    erasure's pseudonym, nobody) it stays in clear (``sealing.seal_if_stored``)."""
    text = json.dumps(detail) if detail is not None else None
    stored = sealing.of(conn).seal_if_stored(conn, subject, "audit_log.detail", text)
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?,?,?,?,?)",
        (at, actor, action, subject, stored),
    )


def audit_entry(conn: Connection, row: Any) -> AuditEntry:
    """An entry from ``at, actor, action, subject, detail`` (and the actor's name, when selected). A
    detail sealed under a key that is gone (the person was erased or purged) reads as none."""
    detail = row[4]
    if detail and not detail.startswith("{"):  # sealed (base64), not JSON
        detail = sealing.of(conn).open(conn, row[3], "audit_log.detail", detail)
    return AuditEntry(
        at=row[0],
        actor=row[1],
        action=row[2],
        subject=row[3],
        detail=json.loads(detail) if detail else None,
        actor_name=row[5] if len(row) > 5 else None,
    )


# Audit cursors are entry ids; a larger number cannot be one (SQLite integers are 64-bit).
MAX_AUDIT_CURSOR = 2**62


def audit_page(
    conn: Connection,
    *,
    since: str | None = None,
    until: str | None = None,
    action: str | None = None,
    actor: str | None = None,
    before: int | None = None,
    limit: int = 100,
) -> tuple[list[AuditEntry], int | None]:
    """Entries newest first by ``id`` (the order written), every filter given matching; ``before`` is
    the cursor (an id). Returns the page and the cursor of the next one (None after the last). With an
    action or an actor the walk follows its index (m0050) and stops once the page is full."""
    where: list[str] = []
    args: list[Any] = []
    # Only the filters given: "(? IS NULL OR ...)" would keep SQLite from using the indexes.
    for clause, value in (
        ("a.action = ?", action),
        ("a.actor = ?", actor),
        ("a.at >= ?", since),
        ("a.at < ?", until),
        ("a.id < ?", before),
    ):
        if value is not None:
            where.append(clause)
            args.append(value)
    sql = (
        "SELECT a.at, a.actor, a.action, a.subject, a.detail, o.name, a.id FROM audit_log a "
        "LEFT JOIN operators o ON o.id = a.actor"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.id DESC LIMIT ?"
    rows = conn.execute(sql, (*args, limit + 1)).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    return [audit_entry(conn, row) for row in rows], rows[-1][6] if more else None


def audit_about(conn: Connection, subject: str) -> list[AuditEntry]:
    rows = conn.execute(
        "SELECT at, actor, action, subject, detail FROM audit_log WHERE subject = ? ORDER BY id", (subject,)
    ).fetchall()
    return [audit_entry(conn, row) for row in rows]


# -- earlier chats of a returning visitor -------------------------------------------------------------


def earlier_chats_after(
    conn: Connection, visitor_id: str, after: Any, limit: int
) -> list[tuple[Any, EarlierChat]]:
    """A page of the visitor's closed chats, newest first: in the order they were stored (the table's
    ``rowid``, which an update keeps; PostgreSQL's chats have an identity column of that name), never
    by their clocks; after the ``rowid`` ``after``. Each with
    its operator's name and the first line of the visitor's first message."""
    rows = conn.execute(
        "SELECT c.rowid, c.id, c.started_at, c.closed_at, o.name, "
        "(SELECT m.text FROM messages m WHERE m.chat_id = c.id AND m.author = 'visitor' "
        " ORDER BY m.at, m.id LIMIT 1) "
        "FROM chats c LEFT JOIN operators o ON o.id = c.operator_id "
        "WHERE c.visitor_id = ? AND c.state = 'closed' AND c.rowid < ? ORDER BY c.rowid DESC LIMIT ?",
        (visitor_id, after if after is not None else 2**62, limit),
    ).fetchall()
    seal = sealing.of(conn)
    return [(row[0], EarlierChat(
                chat_id=row[1], started_at=row[2], closed_at=row[3], operator_name=row[4],
                first_line=first_line(seal.open(conn, visitor_id, "messages.text", row[5]) or "")))
            for row in rows]


def first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= FIRST_LINE_CHARS else line[:FIRST_LINE_CHARS - 1] + "…"
