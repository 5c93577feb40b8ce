"""The initial schema: operators and tokens, visitors and what their consents allow, notices, chats,
messages, details, and the audit log."""

from __future__ import annotations

from typing import Any

VERSION = 10

STATEMENTS = [
    # Server-wide secrets (the pseudonymisation key of erased subjects), encrypted with the database.
    """CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL)""",
    """CREATE TABLE operators (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('operator', 'team_lead', 'supervisor')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    # Only the sha256 of a token is kept: a copy of the database logs nobody in.
    """CREATE TABLE tokens (
        token_sha256 TEXT PRIMARY KEY,
        operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
    # name/email are given in the pre-chat form, under chat consent.
    """CREATE TABLE visitors (
        id TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        language TEXT,
        name TEXT,
        email TEXT
    )""",
    # Kept only while visitor_insights is granted: deleted on withdrawal and after its retention.
    """CREATE TABLE visitor_insights (
        visitor_id TEXT PRIMARY KEY REFERENCES visitors(id) ON DELETE CASCADE,
        ip TEXT NOT NULL,
        country TEXT,
        country_code TEXT,
        city TEXT,
        company TEXT,
        visits INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    # Page-view history is returning-visitor history: recorded only under visitor_insights.
    """CREATE TABLE page_views (
        id INTEGER PRIMARY KEY,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    """CREATE INDEX page_views_by_visitor ON page_views (visitor_id, at)""",
    """CREATE INDEX page_views_by_time ON page_views (at)""",
    """CREATE TABLE notices (
        id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        purposes TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        published_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
    )""",
    """CREATE TRIGGER notices_never_change BEFORE UPDATE ON notices
        BEGIN SELECT RAISE(ABORT, 'a published notice never changes'); END""",
    """CREATE TABLE consent_events (
        id TEXT PRIMARY KEY,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL,
        granted INTEGER NOT NULL,
        notice_id TEXT NOT NULL,
        notice_version INTEGER NOT NULL,
        method TEXT NOT NULL,
        at TEXT NOT NULL,
        FOREIGN KEY (notice_id, notice_version) REFERENCES notices(id, version)
    )""",
    """CREATE INDEX consent_events_by_visitor ON consent_events (visitor_id, at)""",
    """CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events
        BEGIN SELECT RAISE(ABORT, 'consent events are append-only'); END""",
    """CREATE TABLE chats (
        id TEXT PRIMARY KEY,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'closed')),
        operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
        started_at TEXT NOT NULL,
        closed_at TEXT
    )""",
    """CREATE INDEX chats_by_visitor ON chats (visitor_id)""",
    """CREATE INDEX chats_by_start ON chats (started_at DESC, id DESC)""",
    """CREATE INDEX chats_by_close ON chats (closed_at)""",
    # A chat's messages are clustered by the primary key: opening a chat reads few pages. The same
    # client_msg_id from the same author in a chat is the same message (idempotent send); the author is
    # part of the key so that a visitor's and an operator's client ids cannot collide.
    """CREATE TABLE messages (
        chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        id TEXT NOT NULL,
        client_msg_id TEXT,
        author TEXT NOT NULL CHECK (author IN ('visitor', 'operator', 'system')),
        author_name TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (chat_id, at, id),
        UNIQUE (chat_id, author, client_msg_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE detail_requests (
        id TEXT PRIMARY KEY,
        chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
        notice_id TEXT NOT NULL,
        notice_version INTEGER NOT NULL,
        fields TEXT NOT NULL,
        purpose TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'received', 'declined')),
        answered_at TEXT,
        FOREIGN KEY (notice_id, notice_version) REFERENCES notices(id, version)
    )""",
    """CREATE INDEX detail_requests_by_chat ON detail_requests (chat_id)""",
    """CREATE TABLE received_details (
        request_id TEXT PRIMARY KEY REFERENCES detail_requests(id) ON DELETE CASCADE,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        fields TEXT NOT NULL,
        received_at TEXT NOT NULL
    )""",
    """CREATE INDEX received_details_by_visitor ON received_details (visitor_id)""",
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT
    )""",
    """CREATE INDEX audit_log_by_subject ON audit_log (subject)""",
    """CREATE INDEX audit_log_by_time ON audit_log (at)""",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
