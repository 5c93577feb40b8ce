"""Visitor snapshots, consent events, privacy notices seen, detail requests and received details.

A snapshot holds only what the visitor's consents allow; the CHECK constraints repeat the rule so that
even a bug above the store cannot write insights without ``visitor_insights`` or a name without ``chat``.
"""

VERSION = 20

STATEMENTS = (
    """
    CREATE TABLE visitor_snapshots (
        visitor_id               TEXT NOT NULL PRIMARY KEY,
        seen_at                  TEXT NOT NULL,
        state                    TEXT NOT NULL,
        page_url                 TEXT NOT NULL,
        page_title               TEXT NOT NULL,
        pages_viewed             INTEGER NOT NULL,
        on_site_since            TEXT NOT NULL,
        name                     TEXT,
        email                    TEXT,
        consent_chat             INTEGER NOT NULL,
        consent_visitor_insights INTEGER NOT NULL,
        consent_contact_details  INTEGER NOT NULL,
        consent_typing_preview   INTEGER NOT NULL,
        insights                 TEXT,
        CHECK (insights IS NULL OR consent_visitor_insights = 1),
        CHECK ((name IS NULL AND email IS NULL) OR consent_chat = 1)
    )
    """,
    "CREATE INDEX visitor_snapshots_by_seen ON visitor_snapshots (seen_at)",
    """
    CREATE TABLE consent_events (
        id             TEXT NOT NULL PRIMARY KEY,
        visitor_id     TEXT NOT NULL,
        purpose        TEXT NOT NULL
                       CHECK (purpose IN ('chat', 'visitor_insights', 'contact_details', 'typing_preview')),
        granted        INTEGER NOT NULL CHECK (granted IN (0, 1)),
        notice_id      TEXT NOT NULL,
        notice_version INTEGER NOT NULL,
        method         TEXT NOT NULL,
        at             TEXT NOT NULL
    )
    """,
    "CREATE INDEX consent_events_by_visitor ON consent_events (visitor_id, at)",
    """
    CREATE TABLE notices_seen (
        id            TEXT NOT NULL,
        version       INTEGER NOT NULL,
        language      TEXT NOT NULL,
        title         TEXT NOT NULL,
        body          TEXT NOT NULL,
        purposes      TEXT NOT NULL,
        sha256        TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE detail_requests (
        id             TEXT NOT NULL PRIMARY KEY,
        chat_id        TEXT NOT NULL REFERENCES chats (id),
        notice_id      TEXT NOT NULL,
        notice_version INTEGER NOT NULL,
        fields         TEXT NOT NULL,
        purpose        TEXT NOT NULL,
        requested_at   TEXT NOT NULL,
        state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'received', 'declined')),
        answered_at    TEXT
    )
    """,
    "CREATE INDEX detail_requests_by_chat ON detail_requests (chat_id)",
    """
    CREATE TABLE received_details (
        request_id  TEXT NOT NULL,
        field       TEXT NOT NULL,
        chat_id     TEXT NOT NULL REFERENCES chats (id),
        value       TEXT NOT NULL,
        purpose     TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (request_id, field)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX received_details_by_chat ON received_details (chat_id)",
    "CREATE INDEX received_details_by_received ON received_details (received_at)",
)
