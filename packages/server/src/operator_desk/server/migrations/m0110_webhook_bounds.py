"""Webhooks: the outbox's bounds and its retention (docs/webhooks.md, "Bounds and retention").

``webhook_outbox`` learns what each event carries and since when, so that the retention purge can take
out of an undelivered body what has outlived its period: ``purposes`` (the purposes of the sections in
its body, space-separated; for an event not built yet, those it may carry) and ``occurred_at`` (the
change it reports). It also keeps the fact an event was made from (``ref``, ``consent_seq``), so that an
event refused for space (a dead letter without a body) can be built when a supervisor retries it.

``webhook_queues`` counts, per receiver, the events not confirmed yet that hold a body, and their bytes,
kept by triggers whatever statement changes the outbox (foreign-key cascades of an erasure included):
the bound is checked without reading the bodies. ``full_since`` marks a receiver whose outbox is full
(its next events are dead letters until there is room again)."""

from __future__ import annotations

import json
from typing import Any

VERSION = 110

# What a row adds to its receiver's queue: one event and its bytes while it waits with a body.
_HELD = "(X.state IN ('pending', 'dead') AND X.body IS NOT NULL)"


def _held(row: str) -> str:
    return _HELD.replace("X.", f"{row}.")


def _count(row: str, sign: str) -> str:
    return (f"INSERT OR IGNORE INTO webhook_queues (receiver) VALUES ({row}.receiver); "
            f"UPDATE webhook_queues SET events = events {sign} 1, bytes = bytes {sign} length({row}.body) "
            f"WHERE receiver = {row}.receiver;")


COLUMNS = [
    "ALTER TABLE webhook_outbox ADD COLUMN purposes TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE webhook_outbox ADD COLUMN occurred_at TEXT",
    "ALTER TABLE webhook_outbox ADD COLUMN ref TEXT",
    "ALTER TABLE webhook_outbox ADD COLUMN consent_seq INTEGER",
    "CREATE INDEX webhook_outbox_unfinished ON webhook_outbox (state, occurred_at)",
]

QUEUES = [
    """CREATE TABLE webhook_queues (
        receiver TEXT PRIMARY KEY,
        events INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        full_since TEXT
    ) WITHOUT ROWID""",
    f"""CREATE TRIGGER webhook_queue_insert AFTER INSERT ON webhook_outbox WHEN {_held('NEW')}
        BEGIN {_count('NEW', '+')} END""",
    f"""CREATE TRIGGER webhook_queue_delete AFTER DELETE ON webhook_outbox WHEN {_held('OLD')}
        BEGIN {_count('OLD', '-')} END""",
    f"""CREATE TRIGGER webhook_queue_update_old AFTER UPDATE OF state, body ON webhook_outbox
        WHEN {_held('OLD')} BEGIN {_count('OLD', '-')} END""",
    f"""CREATE TRIGGER webhook_queue_update_new AFTER UPDATE OF state, body ON webhook_outbox
        WHEN {_held('NEW')} BEGIN {_count('NEW', '+')} END""",
]


def _encode(event: Any) -> bytes:
    # As ``webhooks.payloads.encode`` wrote it (a released migration does not follow later code).
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def apply(conn: Any) -> None:
    for statement in COLUMNS:
        conn.execute(statement)
    # Events already queued: what their bodies carry, and their receivers' counts.
    rows = conn.execute("SELECT seq, body FROM webhook_outbox WHERE body IS NOT NULL").fetchall()
    for seq, body in rows:
        event = json.loads(bytes(body))
        purposes = " ".join(sorted({s["purpose"] for s in event.get("sections", ())}))
        conn.execute("UPDATE webhook_outbox SET purposes = ?, occurred_at = ? WHERE seq = ?",
                     (purposes, event.get("occurred_at"), seq))
        if event["type"] == "subject.erased" and "reason" not in event:
            # Erasures queued before the reason was sent were all requests (schema: required now).
            event["reason"] = "request"
            conn.execute("UPDATE webhook_outbox SET body = ? WHERE seq = ?", (_encode(event), seq))
    conn.execute("UPDATE webhook_outbox SET occurred_at = created_at WHERE occurred_at IS NULL")
    for statement in QUEUES:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO webhook_queues (receiver, events, bytes) SELECT receiver, count(*), "
        f"coalesce(sum(length(body)), 0) FROM webhook_outbox o WHERE {_held('o')} GROUP BY receiver")
