"""Crypto-shredding (docs/scaling.md, "Erasure on PostgreSQL"): a key per person, and every personal
field already stored sealed under it.

PostgreSQL: the table ``person_keys`` (one wrapped key per visitor, deleted with the visitor; in 64
parts, so that an erasure rewrites one of them), the column
``visitors.email_index`` (the keyed hash that finds a person by e-mail) and its index; then every row
stored before this version is sealed in place (``sealing.PersonKeys``; the connection carries it). The
plaintext those rows held stays in PostgreSQL's dead rows until a vacuum (the server runs
``VACUUM FULL`` of these tables once this migration is committed: ``postgresql.after_migration``), and
in WAL segments and backups taken before the upgrade: docs/scaling.md says what to do about those.

SQLCipher: nothing. The file is encrypted as a whole under the key file and overwrites what an erasure
deletes; its fields stay as they are (``sealing.PLAIN``). The step is listed all the same, so that both
engines number their schema alike.
"""

from __future__ import annotations

from typing import Any

from operator_desk.server import sealing

VERSION = 120

# Each table of personal fields: its key columns, the visitor they belong to (a column, or via the chat),
# and the fields sealed. The repository seals the same fields under the same names.
SEALED: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    ("visitors", ("id",), "visitor:id", ("name", "email")),
    ("visitor_insights", ("visitor_id",), "visitor:visitor_id", ("ip", "country", "country_code", "city",
                                                                  "company")),
    ("page_views", ("id",), "visitor:visitor_id", ("url", "title")),
    ("received_details", ("request_id",), "visitor:visitor_id", ("fields",)),
    ("messages", ("chat_id", "at", "id"), "chat:chat_id", ("author_name", "text")),
)
# The tables whose old plaintext is left in dead rows once sealed: rewritten after the commit.
REWRITTEN = tuple(table for table, *_ in SEALED)

# person_keys in parts by a hash of the visitor id: an erasure rewrites the one part that held the key
# (VACUUM FULL, which locks it while it runs), not the whole table.
PARTS = 64
POSTGRESQL = [
    """CREATE TABLE person_keys (
        visitor_id TEXT PRIMARY KEY REFERENCES visitors(id) ON DELETE CASCADE,
        wrapped BYTEA NOT NULL
    ) PARTITION BY HASH (visitor_id)""",
    *(f"CREATE TABLE person_keys_{n:02d} PARTITION OF person_keys FOR VALUES WITH (MODULUS {PARTS}, "
      f"REMAINDER {n})" for n in range(PARTS)),
    "ALTER TABLE visitors ADD COLUMN email_index TEXT",
    "CREATE INDEX visitors_by_email_index ON visitors (email_index) WHERE email_index IS NOT NULL",
]


def apply(conn: Any) -> None:
    """SQLCipher: nothing to seal (see above)."""


def apply_postgresql(conn: Any) -> None:
    for statement in POSTGRESQL:
        conn.execute(statement)
    seal = sealing.of(conn)
    seal.check(conn)  # records which key file the keys made below are wrapped under
    for table, keys, owner, fields in SEALED:
        kind, column = owner.split(":")
        columns = ", ".join((*keys, column, *fields))
        for row in conn.execute(f"SELECT {columns} FROM {table}").fetchall():
            key, who, values = row[:len(keys)], row[len(keys)], row[len(keys) + 1:]
            sealed = [
                seal.seal(conn, who, f"{table}.{field}", value) if kind == "visitor"
                else seal.seal_in_chat(conn, who, f"{table}.{field}", value)
                for field, value in zip(fields, values, strict=True)
            ]
            assignments = ", ".join(f"{field} = ?" for field in fields)
            match = " AND ".join(f"{k} = ?" for k in keys)
            conn.execute(f"UPDATE {table} SET {assignments} WHERE {match}", (*sealed, *key))
    emails = conn.execute("SELECT id, email FROM visitors WHERE email IS NOT NULL").fetchall()
    for visitor_id, email in emails:
        conn.execute("UPDATE visitors SET email_index = ? WHERE id = ?",
                     (seal.email_index(seal.open(conn, visitor_id, "visitors.email", email)), visitor_id))
