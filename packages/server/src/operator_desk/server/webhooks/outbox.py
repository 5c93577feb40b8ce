"""The durable outbox of webhook events: SQL run on the database thread (docs/webhooks.md, "Delivery").

A change and the fact that reports it are committed together (triggers, migration m0080). ``fan_out``
turns facts into events, one per receiver that may have it, each with its body fixed once (every attempt
sends the same bytes and the same id). Events of one person go to a receiver one at a time, in the order
of their ``seq``: ``due`` offers only the oldest unfinished event of each person, so a later event waits
behind an earlier one that is still being retried or that is dead (a dead letter, until a supervisor
retries or drops it).

A body about a person (every event but an erasure's) is sealed under the person's key on PostgreSQL
(``sealing``, crypto-shredding), so that the copies PostgreSQL keeps of an event not sent yet go with
the person's erasure; it is opened to be sent (the receiver gets the plaintext, signed). An erasure event
names the receiver's pseudonym of the person and the reason only, and is kept in clear. The outbox's
byte bound counts what is stored: a sealed body is 28 bytes longer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from operator_desk.domain.model import Purpose
from operator_desk.protocol.messages import SubjectReceiver, WebhookDelivery, WebhookQueue
from operator_desk.server import sealing
from operator_desk.server.webhooks import payloads
from operator_desk.server.webhooks.settings import Receiver

Connection = Any
logger = logging.getLogger(__name__)
ENABLED_SETTING = "webhooks_enabled"
FACTS_PER_JOB = 200
# The last error of an event refused because its receiver's outbox is full (``Receiver.queue_max_*``).
OUTBOX_FULL = "outbox full"
# The last error of an event dropped because a retried dead letter had nothing left to carry (the data
# it was to carry was deleted meanwhile: a withdrawal, the retention period).
NOTHING_LEFT = "nothing left to send"
PAST_RETENTION = "past its retention period"


def set_enabled(conn: Connection, enabled: bool) -> None:
    """Whether changes write facts (the triggers look at this): only while receivers are configured."""
    if enabled:
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
                     (ENABLED_SETTING, b"\x01"))
    else:
        conn.execute("DELETE FROM settings WHERE key = ?", (ENABLED_SETTING,))
        conn.execute("DELETE FROM webhook_facts")


def _holds(conn: Connection, visitor_id: str, receiver: str) -> frozenset[Purpose]:
    rows = conn.execute("SELECT purpose FROM webhook_holders WHERE visitor_id = ? AND receiver = ?",
                        (visitor_id, receiver))
    return frozenset(Purpose(r[0]) for r in rows)


BODY = "webhook_outbox.body"


def stored_body(conn: Connection, visitor_id: str | None, encoded: bytes) -> bytes:
    """A body as it is stored: sealed under the key of the person it is about (not an erasure's)."""
    if visitor_id is None:
        return encoded
    sealed = sealing.of(conn).seal_bytes(conn, visitor_id, BODY, encoded)
    assert sealed is not None
    return sealed


def opened_body(conn: Connection, visitor_id: str | None, stored: Any) -> bytes | None:
    if stored is None or visitor_id is None:
        return None if stored is None else bytes(stored)
    return sealing.of(conn).open_bytes(conn, visitor_id, BODY, bytes(stored))


def _add(conn: Connection, receiver: str, body: Mapping[str, Any], visitor_id: str | None,
         tombstone: str | None, at: str, fact: Sequence[Any] | None = None,
         refused: str | None = None, stored: bytes | None = None) -> int:
    """Queue one event (``stored``: its body as ``stored_body`` made it, if made already); ``refused``:
    a dead letter at once, without its body (the reason why), to be built from ``fact`` when a
    supervisor retries it."""
    if not refused and stored is None:
        stored = stored_body(conn, visitor_id, payloads.encode(body))
    row = conn.execute(
        "INSERT INTO webhook_outbox (event_id, receiver, kind, person, visitor_id, tombstone, body, "
        "created_at, purposes, occurred_at, ref, consent_seq, state, last_error) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING seq",
        (body["id"], receiver, body["type"], body["person"], visitor_id, tombstone,
         None if refused else stored, at, " ".join(payloads.purposes_of(body)),
         body["occurred_at"], fact[3] if fact else None, fact[4] if fact else None,
         "dead" if refused else "pending", refused),
    ).fetchone()
    return int(row[0])


def _add_holders(conn: Connection, receiver: str, visitor_id: str, body: Mapping[str, Any]) -> None:
    for purpose in payloads.purposes_of(body):
        conn.execute("INSERT INTO webhook_holders (receiver, visitor_id, purpose, person) "
                     "VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                     (receiver, visitor_id, purpose, body["person"]))


@dataclass(slots=True)
class Queue:
    """A receiver's unconfirmed events that hold a body (``webhook_queues``, kept by triggers)."""

    receiver: str
    events: int = 0
    bytes: int = 0
    full_since: str | None = None

    def accepts(self, receiver: Receiver, size: int) -> bool:
        # Once full, there is room again only below 90 % of the bounds: the mark does not flap.
        share = 0.9 if self.full_since is not None else 1.0
        return (self.events + 1 <= receiver.queue_max_events * share
                and self.bytes + size <= receiver.queue_max_bytes * share)


def queue_of(conn: Connection, receiver: str) -> Queue:
    row = conn.execute("SELECT events, bytes, full_since FROM webhook_queues WHERE receiver = ?",
                       (receiver,)).fetchone()
    return Queue(receiver) if row is None else Queue(receiver, row[0], row[1], row[2])


def queues(conn: Connection, receivers: Sequence[Receiver]) -> list[WebhookQueue]:
    """Each receiver's outbox against its bound, as supervisors see it: full only while an event
    would still be refused (the mark itself goes with the next event that fits)."""
    shown = []
    for receiver in receivers:
        queue = queue_of(conn, receiver.name)
        full = queue.full_since is not None and not queue.accepts(receiver, 0)
        shown.append(WebhookQueue(receiver=receiver.name, events=queue.events, bytes=queue.bytes,
                                  max_events=receiver.queue_max_events, max_bytes=receiver.queue_max_bytes,
                                  full_since=queue.full_since if full else None))
    return shown


def _mark_full(conn: Connection, queue: Queue, full: bool, at: str) -> None:
    """The receiver's outbox is full (its next events are dead letters) or has room again."""
    if full == (queue.full_since is not None):
        return
    queue.full_since = at if full else None
    conn.execute("INSERT INTO webhook_queues (receiver) VALUES (?) ON CONFLICT DO NOTHING", (queue.receiver,))
    conn.execute("UPDATE webhook_queues SET full_since = ? WHERE receiver = ?",
                 (queue.full_since, queue.receiver))
    if full:
        logger.warning("webhook %s: the outbox is full (%d events, %d bytes): further events are dead "
                       "letters until there is room", queue.receiver, queue.events, queue.bytes)
    else:
        logger.info("webhook %s: the outbox has room again", queue.receiver)


def fan_out(conn: Connection, receivers: Sequence[Receiver], counts_from: Mapping[str, int], at: str) -> int:
    """Turn up to ``FACTS_PER_JOB`` facts into events; returns how many facts were taken."""
    facts = conn.execute(
        "SELECT seq, kind, visitor_id, ref, consent_seq, at FROM webhook_facts ORDER BY seq LIMIT ?",
        (FACTS_PER_JOB,),
    ).fetchall()
    queues = {r.name: queue_of(conn, r.name) for r in receivers}
    for fact in facts:
        visitor_id = fact[2]
        for receiver in receivers:
            body = payloads.build(conn, fact, receiver, _holds(conn, visitor_id, receiver.name), counts_from)
            if body is None:
                continue
            queue = queues[receiver.name]
            stored = stored_body(conn, visitor_id, payloads.encode(body))
            size = len(stored)
            if not queue.accepts(receiver, size):
                # Never dropped in silence: a dead letter the supervisor sees, built again on a retry.
                _mark_full(conn, queue, True, at)
                _add(conn, receiver.name, body, visitor_id, None, at, fact, refused=OUTBOX_FULL)
                continue
            _mark_full(conn, queue, False, at)
            _add(conn, receiver.name, body, visitor_id, None, at, fact, stored=stored)
            queue.events += 1
            queue.bytes += size
            _add_holders(conn, receiver.name, visitor_id, body)
    if facts:
        conn.execute("DELETE FROM webhook_facts WHERE seq <= ?", (facts[-1][0],))
    return len(facts)


def record_erasure(conn: Connection, visitor_id: str, tombstone: str, at: str,
                   reason: str = payloads.ERASED_ON_REQUEST) -> list[str]:
    """In an erasure's transaction (a request's, or the retention purge's: ``reason``), before the
    person's rows go: an erasure event to every receiver that was sent data about them (its events still
    queued go with the person: they are not sent). Returns the receivers' names. An erasure is never
    refused for space: it is small, one per person and receiver, and it must arrive."""
    rows = conn.execute("SELECT DISTINCT receiver, person FROM webhook_holders WHERE visitor_id = ? "
                        "ORDER BY receiver", (visitor_id,)).fetchall()
    for receiver, person_id in rows:
        body = payloads.erasure(payloads.new_event_id(), at, person_id, reason)
        _add(conn, receiver, body, None, tombstone, at)
    return [r[0] for r in rows]


@dataclass(frozen=True, slots=True)
class Due:
    seq: int
    event_id: str
    body: bytes | None  # opened; None: refused for space, and retried: to be built now (``build_refused``)
    attempts: int


def due(conn: Connection, receiver: str, now: float, limit: int) -> list[Due]:
    """The events ``receiver`` is to be sent now: the oldest unfinished event of each person, if its
    wait is over, oldest first."""
    rows = conn.execute(
        "SELECT o.seq, o.event_id, o.body, o.attempts, o.visitor_id FROM webhook_outbox o "
        "WHERE o.receiver = ? AND o.state = 'pending' AND o.next_at <= ? AND NOT EXISTS ("
        "  SELECT 1 FROM webhook_outbox e WHERE e.receiver = o.receiver AND e.state IN ('pending', 'dead') "
        "  AND e.person = o.person AND e.seq < o.seq) "
        "ORDER BY o.seq LIMIT ?",
        (receiver, now, limit),
    ).fetchall()
    return [Due(r[0], r[1], opened_body(conn, r[4], r[2]), r[3]) for r in rows]


def build_refused(conn: Connection, seq: int, receiver: Receiver,
                  counts_from: Mapping[str, int]) -> bytes | None:
    """A dead letter refused for space and retried: its body is built now, from its fact, under the
    consents in force then, with what is still stored (what was deleted meanwhile is not sent), and kept
    (every later attempt sends these bytes). None, and the event dropped, if nothing is left to send."""
    row = conn.execute("SELECT event_id, kind, visitor_id, ref, consent_seq, occurred_at FROM webhook_outbox "
                       "WHERE seq = ? AND state = 'pending' AND body IS NULL", (seq,)).fetchone()
    if row is None:
        return None
    event_id, kind, visitor_id, ref, consent_seq, occurred_at = row
    fact_kind = "consent.changed" if kind.startswith("consent.") else kind
    fact = (seq, fact_kind, visitor_id, ref, consent_seq, occurred_at)
    body = payloads.build(conn, fact, receiver, _holds(conn, visitor_id, receiver.name), counts_from)
    if body is None:
        conn.execute("UPDATE webhook_outbox SET state = 'dropped', last_error = ? WHERE seq = ?",
                     (NOTHING_LEFT, seq))
        return None
    body = {**body, "id": event_id}
    encoded = payloads.encode(body)
    conn.execute("UPDATE webhook_outbox SET body = ?, purposes = ? WHERE seq = ?",
                 (stored_body(conn, visitor_id, encoded), " ".join(payloads.purposes_of(body)), seq))
    _add_holders(conn, receiver.name, visitor_id, body)
    return encoded


def next_wait(conn: Connection, receiver: str, now: float) -> float | None:
    """Seconds until the receiver's next pending event is due (0: now); None if none is pending."""
    row = conn.execute("SELECT min(next_at) FROM webhook_outbox WHERE receiver = ? AND state = 'pending'",
                       (receiver,)).fetchone()
    return None if row[0] is None else max(0.0, row[0] - now)


def delivered(conn: Connection, seq: int, at: str) -> None:
    # The body is not kept: what the receiver confirmed is the row itself (an erasure's confirmation).
    conn.execute("UPDATE webhook_outbox SET state = 'delivered', body = NULL, delivered_at = ?, "
                 "attempts = attempts + 1, last_error = NULL WHERE seq = ?", (at, seq))


def failed(conn: Connection, seq: int, error: str, retry_at: float | None) -> None:
    """An attempt failed: wait until ``retry_at``, or (None) a dead letter."""
    if retry_at is None:
        conn.execute("UPDATE webhook_outbox SET state = 'dead', attempts = attempts + 1, last_error = ? "
                     "WHERE seq = ?", (error, seq))
    else:
        conn.execute("UPDATE webhook_outbox SET attempts = attempts + 1, last_error = ?, next_at = ? "
                     "WHERE seq = ?", (error, retry_at, seq))


_DELIVERY = ("seq, event_id, receiver, kind, state, attempts, last_error, created_at, delivered_at, "
             "tombstone, person")


def _delivery(row: Sequence[Any]) -> WebhookDelivery:
    return WebhookDelivery(id=row[0], event_id=row[1], receiver=row[2], type=row[3], state=row[4],
                           attempts=row[5], last_error=row[6], created_at=row[7], delivered_at=row[8],
                           erasure=row[9], person=row[10])


def deliveries(conn: Connection, states: Sequence[str], limit: int, after: int = 0,
               erasure: str | None = None) -> tuple[list[WebhookDelivery], int | None]:
    """Events in the given states, oldest first, after ``after`` (a seq); only the erasure events of
    one erasure pseudonym with ``erasure``. Returns a page and the ``after`` of the next (or None)."""
    marks = ",".join("?" * len(states))
    where = f"state IN ({marks}) AND seq > ?" + (" AND tombstone = ?" if erasure is not None else "")
    rows = conn.execute(f"SELECT {_DELIVERY} FROM webhook_outbox WHERE {where} ORDER BY seq LIMIT ?",
                        (*states, after, *((erasure,) if erasure is not None else ()), limit + 1)).fetchall()
    found = [_delivery(r) for r in rows[:limit]]
    return found, (found[-1].id if len(rows) > limit else None)


def holders(conn: Connection, visitor_id: str) -> list[SubjectReceiver]:
    """Per receiver that was sent data about a visitor: the purposes, and how many events about them
    are not confirmed yet (pending or dead)."""
    rows = conn.execute(
        "SELECT h.receiver, group_concat(h.purpose), (SELECT count(*) FROM webhook_outbox o "
        " WHERE o.visitor_id = h.visitor_id AND o.receiver = h.receiver AND o.state IN ('pending', 'dead')) "
        "FROM webhook_holders h WHERE h.visitor_id = ? GROUP BY h.receiver, h.visitor_id ORDER BY h.receiver",
        (visitor_id,),
    ).fetchall()
    return [SubjectReceiver(receiver=r[0], purposes=tuple(sorted(Purpose(p) for p in r[1].split(","))),
                            unconfirmed=r[2]) for r in rows]


def retry(conn: Connection, seq: int) -> bool:
    """A dead letter is tried again from the start (now); False if there is no such dead letter."""
    return conn.execute("UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_at = 0 "
                        "WHERE seq = ? AND state = 'dead'", (seq,)).rowcount == 1


def drop(conn: Connection, seq: int) -> bool:
    """A dead letter is given up: its body goes; the row stays, so an erasure never confirmed shows."""
    return conn.execute("UPDATE webhook_outbox SET state = 'dropped', body = NULL "
                        "WHERE seq = ? AND state = 'dead'", (seq,)).rowcount == 1


def expire(conn: Connection, cutoffs: Mapping[Purpose, str], consent_cutoff: str) -> dict[str, int]:
    """Retention reaches the outbox: an event not confirmed yet loses each section whose purpose's
    period is over (counted from the change it reports, ``occurred_at``); an event left with nothing to
    carry is dropped, its body deleted. Consent events (a receipt) last as long as a consent record:
    ``consent_cutoff``. An erasure never expires: it carries no data and must arrive. The body keeps
    its id: a receiver that stored an earlier attempt applies the event once; one that did not gets
    what is still in force. Returns how many events lost sections and how many were dropped."""
    terms = " OR ".join("(' ' || purposes || ' ' LIKE ? AND occurred_at < ?)" for _ in cutoffs)
    params = [value for purpose, cutoff in cutoffs.items() for value in (f"% {purpose.value} %", cutoff)]
    rows = conn.execute(
        "SELECT seq, kind, body, purposes, occurred_at, visitor_id FROM webhook_outbox "
        "WHERE state IN ('pending', 'dead') AND kind <> 'subject.erased' "
        f"AND ({terms} OR (kind LIKE 'consent.%' AND occurred_at < ?))",
        (*params, consent_cutoff),
    ).fetchall()
    counts = {"redacted": 0, "dropped": 0}
    for seq, kind, body, purposes, occurred_at, visitor_id in rows:
        keep = [] if kind.startswith("consent.") else [
            p for p in purposes.split() if occurred_at >= cutoffs.get(Purpose(p), consent_cutoff)]
        if not keep:
            conn.execute("UPDATE webhook_outbox SET state = 'dropped', body = NULL, purposes = '', "
                         "last_error = ? WHERE seq = ?", (PAST_RETENTION, seq))
            counts["dropped"] += 1
            continue
        opened = opened_body(conn, visitor_id, body)
        if opened is not None:
            event = json.loads(opened)
            event["sections"] = [s for s in event["sections"] if s["purpose"] in keep]
            body = stored_body(conn, visitor_id, payloads.encode(event))
        conn.execute("UPDATE webhook_outbox SET body = ?, purposes = ? WHERE seq = ?",
                     (body, " ".join(keep), seq))
        counts["redacted"] += 1
    return counts


def prune(conn: Connection, before: str) -> int:
    """Confirmed events recorded before ``before`` are forgotten."""
    return conn.execute("DELETE FROM webhook_outbox WHERE state IN ('delivered', 'dropped') "
                        "AND created_at < ?", (before,)).rowcount

