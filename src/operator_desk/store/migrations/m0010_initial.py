"""Chats, messages clustered per chat, and the full-text index over message text.

Messages are a ``WITHOUT ROWID`` table keyed ``(chat_id, at, id)``: one chat's messages sit together
in a few pages, so opening a chat decrypts few pages. FTS5 external content needs an integer key, so
each message also has ``seq``, unique, derived from its time: ``epoch_ms << 12`` plus a counter for
messages in the same millisecond. The index's rowid order is therefore time order, and a newest-first
search is FTS5's own ``ORDER BY rowid DESC ... LIMIT``, which stops early instead of sorting every hit.
``secure-delete`` makes FTS5 remove a deleted message's terms from the index rather than only marking
them, so an erased word leaves no trace in the index pages.
"""

VERSION = 10

STATEMENTS = (
    """
    CREATE TABLE chats (
        id          TEXT NOT NULL PRIMARY KEY,
        visitor_id  TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'closed')),
        operator_id TEXT,
        started_at  TEXT NOT NULL,
        closed_at   TEXT
    )
    """,
    "CREATE INDEX chats_by_visitor ON chats (visitor_id)",
    "CREATE INDEX chats_by_started ON chats (started_at)",
    """
    CREATE TABLE messages (
        chat_id       TEXT NOT NULL REFERENCES chats (id),
        at            TEXT NOT NULL,
        id            TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        client_msg_id TEXT,
        author        TEXT NOT NULL CHECK (author IN ('visitor', 'operator', 'system')),
        author_name   TEXT NOT NULL DEFAULT '',
        text          TEXT NOT NULL,
        PRIMARY KEY (chat_id, at, id)
    ) WITHOUT ROWID
    """,
    "CREATE UNIQUE INDEX messages_by_id ON messages (id)",
    "CREATE UNIQUE INDEX messages_by_seq ON messages (seq)",
    """
    CREATE VIRTUAL TABLE messages_fts USING fts5 (
        text, content = 'messages', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    "INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1)",
    """
    CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
    END
    """,
    """
    CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    END
    """,
    """
    CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF text, seq ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
        INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
    END
    """,
)
