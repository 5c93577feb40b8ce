"""What an event may carry: only what a consent in force covers (docs/webhooks.md, "Payloads").

An event is built on the database thread from what is stored, under the consents in force when the
change it reports was committed (the fact's ``consent_seq``), for one receiver: a field goes only in the
section of its purpose, a section only if the visitor granted that purpose (``domain.consent``, the
rules operators' views follow) and the receiver serves it, and each section names the consent receipt it
rests on. An event left with no section is not sent. The schema is ``docs/webhooks.schema.json``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from typing import Any

from operator_desk.domain.consent import granted_purposes, recorded_order
from operator_desk.domain.model import ConsentEvent, Purpose
from operator_desk.server import repository, sealing
from operator_desk.server.webhooks.settings import Receiver

Connection = Any
VERSION = 1
PERSON_KEY_SETTING = "webhook_person_key"
# Why a person was erased: a request (a supervisor's, with four eyes, or the visitor's "Forget me") or the
# retention purge (the person's last data outlived its period).
ERASED_ON_REQUEST = "request"
ERASED_BY_RETENTION = "retention"


def new_event_id() -> str:
    return "evt_" + secrets.token_hex(16)


def encode(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def person(conn: Connection, receiver: str, visitor_id: str) -> str:
    """The receiver's pseudonym of a visitor: stable for that receiver, different for each receiver,
    and not the server's visitor id (receivers cannot match their ids with each other or with ours)."""
    key = repository.secret(conn, PERSON_KEY_SETTING)
    return "p_" + hmac.new(key, f"{receiver}\0{visitor_id}".encode(), hashlib.sha256).hexdigest()[:32]


def envelope(event_id: str, kind: str, occurred_at: str, person_id: str, **fields: Any) -> dict[str, Any]:
    return {"version": VERSION, "id": event_id, "type": kind, "occurred_at": occurred_at,
            "person": person_id, **fields}


class Consents:
    """A visitor's consents as they were when a fact was written."""

    def __init__(self, conn: Connection, visitor_id: str, consent_seq: int,
                 counts_from: Mapping[str, int]) -> None:
        self._conn = conn
        self.events = [e for e in repository.consents_of(conn, visitor_id) if (e.seq or 0) <= consent_seq]
        self.granted = granted_purposes(self.events, counts_from)

    def receipt(self, purpose: Purpose) -> dict[str, Any]:
        """The grant a section rests on: the notice read (id, version, the sha256 of its text) and when."""
        event = [e for e in recorded_order(self.events) if e.purpose is purpose][-1]
        return _receipt(self._conn, event)


def _receipt(conn: Connection, event: ConsentEvent) -> dict[str, Any]:
    row = conn.execute("SELECT sha256 FROM notices WHERE id = ? AND version = ?",
                       (event.notice_id, event.notice_version)).fetchone()
    return {"consent_id": event.id, "notice_id": event.notice_id, "notice_version": event.notice_version,
            "notice_sha256": row[0] if row else "", "recorded_at": event.at, "method": event.method.value}


def _section(consents: Consents, purpose: Purpose, data: dict[str, Any]) -> dict[str, Any]:
    return {"purpose": purpose.value, "receipt": consents.receipt(purpose), "data": data}


def _details(conn: Connection, where: str, value: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT d.request_id, r.chat_id, d.fields, d.received_at, d.visitor_id FROM received_details d "
        f"JOIN detail_requests r ON r.id = d.request_id WHERE {where} = ? "
        "ORDER BY d.received_at, d.request_id",
        (value,),
    ).fetchall()
    seal = sealing.of(conn)
    return [{"request_id": r[0], "chat_id": r[1], "received_at": r[3],
             "values": json.loads(seal.open(conn, r[4], "received_details.fields", r[2]) or "{}")}
            for r in rows]


def _chat_sections(conn: Connection, chat_id: str, visitor_id: str, allowed: frozenset[Purpose],
                   consents: Consents) -> list[dict[str, Any]]:
    sections = []
    if Purpose.CHAT in allowed:
        chat = conn.execute("SELECT started_at, closed_at FROM chats WHERE id = ?", (chat_id,)).fetchone()
        contact = conn.execute("SELECT name, email FROM visitors WHERE id = ?", (visitor_id,)).fetchone()
        if chat is not None:
            messages = conn.execute(
                "SELECT at, author, text FROM messages WHERE chat_id = ? ORDER BY at, id", (chat_id,)
            ).fetchall()
            seal = sealing.of(conn)
            data: dict[str, Any] = {
                "chat": {"id": chat_id, "started_at": chat[0], "closed_at": chat[1],
                         "messages": [{"at": m[0], "author": m[1],
                                       "text": seal.open(conn, visitor_id, "messages.text", m[2])}
                                      for m in messages]},
            }
            data.update({k: v for k, v in (
                ("name", seal.open(conn, visitor_id, "visitors.name", contact[0])),
                ("email", seal.open(conn, visitor_id, "visitors.email", contact[1]))) if v})
            sections.append(_section(consents, Purpose.CHAT, data))
    if Purpose.CONTACT_DETAILS in allowed:
        details = _details(conn, "r.chat_id", chat_id)
        if details:
            sections.append(_section(consents, Purpose.CONTACT_DETAILS, {"details": details}))
    if Purpose.VISITOR_INSIGHTS in allowed:
        insights = repository.insights_of(conn, visitor_id)
        if insights is not None:
            location = insights.location
            sections.append(_section(consents, Purpose.VISITOR_INSIGHTS, {"insights": {
                "country": location.country if location else None,
                "city": location.city if location else None,
                "company": insights.company, "visits": insights.visits, "first_seen": insights.first_seen,
            }}))
    return sections


def build(conn: Connection, fact: tuple[Any, ...], receiver: Receiver, holds: frozenset[Purpose],
          counts_from: Mapping[str, int]) -> dict[str, Any] | None:
    """The event for ``receiver`` of one fact ``(seq, kind, visitor_id, ref, consent_seq, at)``, or
    ``None`` if it may not have it. ``holds``: the purposes of which the receiver was sent data about
    this visitor (they get a withdrawal of those whatever events they asked for)."""
    _, kind, visitor_id, ref, consent_seq, at = fact
    consents = Consents(conn, visitor_id, consent_seq, counts_from)
    allowed = consents.granted & receiver.purposes
    who = person(conn, receiver.name, visitor_id)
    if kind == "consent.changed":
        event = next((e for e in consents.events if e.id == ref), None)
        if event is None or event.purpose not in receiver.purposes:
            return None
        if event.granted and "consent.changed" not in receiver.events:
            return None
        if not event.granted and event.purpose not in holds and "consent.changed" not in receiver.events:
            return None
        consent = {"purpose": event.purpose.value, "granted": event.granted, "receipt": _receipt(conn, event)}
        return envelope(new_event_id(), "consent.withdrawn" if not event.granted else "consent.granted",
                        at, who, consent=consent)
    if kind not in receiver.events:
        return None
    if kind == "chat.ended":
        sections = _chat_sections(conn, ref, visitor_id, allowed, consents)
    elif Purpose.CONTACT_DETAILS in allowed:
        details = _details(conn, "d.request_id", ref)
        sections = [_section(consents, Purpose.CONTACT_DETAILS, {"details": details})] if details else []
    else:
        sections = []
    if not sections:
        return None
    return envelope(new_event_id(), kind, at, who, sections=sections)


def erasure(event_id: str, at: str, person_id: str, reason: str) -> dict[str, Any]:
    """``reason``: why the person was erased (``ERASURE_REASONS``), never a supervisor's words."""
    return envelope(event_id, "subject.erased", at, person_id, reason=reason)


def purposes_of(body: Mapping[str, Any]) -> list[str]:
    """The purposes of the sections an event carries, sorted."""
    return sorted({section["purpose"] for section in body.get("sections", ())})


def sample(event_id: str, at: str) -> dict[str, Any]:
    """``operator-desk-server webhooks test``: an event that carries no one's data."""
    return envelope(event_id, "webhook.test", at, "p_" + "0" * 32)
