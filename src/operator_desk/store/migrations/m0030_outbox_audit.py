"""The outbox of operator messages not yet acknowledged, the local audit log, and settings.

The audit log names its subject only by a pseudonym (an HMAC of the visitor id under a random
per-database salt, created here), never by anything personal.
"""

VERSION = 30

STATEMENTS = (
    """
    CREATE TABLE outbox (
        seq           INTEGER PRIMARY KEY,
        chat_id       TEXT NOT NULL REFERENCES chats (id),
        client_msg_id TEXT NOT NULL UNIQUE,
        text          TEXT NOT NULL,
        created_at    TEXT NOT NULL
    )
    """,
    "CREATE INDEX outbox_by_chat ON outbox (chat_id)",
    """
    CREATE TABLE audit_log (
        seq     INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT,
        counts  TEXT NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX audit_log_by_at ON audit_log (at)",
    """
    CREATE TABLE settings (
        key   TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    "INSERT INTO settings (key, value) VALUES ('audit.subject_salt', lower(hex(randomblob(32))))",
)
