"""``records.json``: everything the server and this desk's cache hold about one person, merged into one
document that follows a versioned schema (``records-v1.schema.json``, described in
docs/export-schema.md).

Merged without duplicates: a chat, message, consent event or detail request held by both is listed
once, with ``sources`` saying where it was found (``"server"``, ``"desk_cache"``). Staff are named by
their display names, never by internal ids. Pure data in, pure data out: no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from operator_desk.domain.cases import SubjectCase

SCHEMA_VERSION = 1
SCHEMA_ID = "https://operator-desk.org/schemas/records-v1.schema.json"
SERVER = "server"
DESK_CACHE = "desk_cache"


@dataclass(frozen=True, slots=True)
class BundleContext:
    """What the records say about themselves: when, in which language, by whom, for which case."""

    generated_at: str
    language: str
    application_version: str
    server_name: str
    exported_by: str                       # the staff member's display name
    case: SubjectCase | None = None
    # The desk cache's limits in days (``store.CacheRetention`` as a dict), None without a cache.
    desk_retention: Mapping[str, int] | None = None


def build_records(server: Mapping[str, Any], desk: Mapping[str, Any] | None,
                  context: BundleContext) -> dict[str, Any]:
    """``server`` is the merged ``subjects.export`` (docs/protocol.md §7); ``desk`` the cache's own
    export (``store.Store.export_subject``) or None when this desk has no cache."""
    operators: Mapping[str, str] = server.get("operators") or {}
    visitor = server.get("visitor") or {}
    snapshot = (desk or {}).get("visitor_snapshot") or {}
    consents = _consents(server.get("consents", ()), (desk or {}).get("consent_events", ()))
    chats = _chats(server.get("chats", ()), (desk or {}).get("chats", ()), operators)
    audit = [_server_audit(entry, operators) for entry in server.get("audit", ())]
    audit += [_desk_audit(entry, operators) for entry in (desk or {}).get("audit", ())]
    audit.sort(key=lambda entry: entry["at"])
    page_views = [{"url": v["url"], "title": v.get("title", ""), "at": v["at"]}
                  for v in server.get("page_views", ())]
    processing = server.get("processing") or {}
    records: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generated_at": context.generated_at,
        "language": context.language,
        "generator": {"application": "operator-desk", "version": context.application_version},
        "exported_by": context.exported_by,
        "server": {"name": context.server_name, "exported_at": server.get("exported_at")},
        "desk_cache": {"included": desk is not None},
        "case": _case(context.case),
        "controller": processing.get("controller"),
        "purposes": _purposes(processing.get("purposes") or {}, context.language),
        "retention": {"server": processing.get("retention"),
                      "desk_cache": dict(context.desk_retention) if context.desk_retention else None},
        "subject": {
            "visitor_id": visitor.get("id") or (desk or {}).get("visitor_id"),
            "name": visitor.get("name") or snapshot.get("name"),
            "email": visitor.get("email") or snapshot.get("email"),
            "language": visitor.get("language") or snapshot.get("language"),
            "first_seen": visitor.get("created_at"),
            "last_seen": visitor.get("last_seen"),
        },
        "insights": _insights(server.get("insights")),
        "page_views": page_views,
        "consents": consents,
        "chats": chats,
        "audit": audit,
    }
    records["counts"] = {
        "chats": len(chats),
        "messages": sum(len(chat["messages"]) for chat in chats),
        "unsent_messages": sum(len(chat["unsent_messages"]) for chat in chats),
        "consents": len(consents),
        "details": sum(len(chat["details"]) for chat in chats),
        "page_views": len(page_views),
        "audit": len(audit),
    }
    return records


def _case(case: SubjectCase | None) -> dict[str, Any] | None:
    if case is None:
        return None
    return {"id": case.id, "kind": case.kind.value, "received_on": case.received_on, "due_on": case.due_on,
            "reference": case.reference}


def _purposes(described: Mapping[str, Mapping[str, Mapping[str, str]]],
              language: str) -> list[dict[str, Any]]:
    """What the server says of each purpose, in the bundle's language (else English, else any)."""
    found = []
    for purpose, languages in described.items():
        text = languages.get(language) or languages.get("en") or next(iter(languages.values()), None)
        if text is not None:
            found.append({"purpose": purpose, **{key: text.get(key, "") for key in
                                                 ("data", "why", "legal_basis", "recipients")}})
    return found


def _insights(insights: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not insights:
        return None
    location = insights.get("location") or {}
    return {"ip": insights.get("ip"), "country": location.get("country"),
            "country_code": location.get("country_code"), "city": location.get("city"),
            "company": insights.get("company"), "visits": insights.get("visits"),
            "first_seen": insights.get("first_seen")}


class _Merged:
    """Items by key in first-seen order, each with the sources it was found in."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def add(self, key: str, item: dict[str, Any], source: str) -> dict[str, Any]:
        known = self.items.get(key)
        if known is None:
            known = self.items[key] = {**item, "sources": [source]}
        elif source not in known["sources"]:
            known["sources"].append(source)
            for name, value in item.items():   # what one source lacks, the other may have
                if known.get(name) in (None, "") and value not in (None, ""):
                    known[name] = value
        return known

    def values(self) -> list[dict[str, Any]]:
        return list(self.items.values())


def _consents(server: Iterable[Mapping[str, Any]], desk: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    merged = _Merged()
    for source, events in ((SERVER, server), (DESK_CACHE, desk)):
        for event in events:
            merged.add(event["id"], {
                "id": event["id"], "purpose": event["purpose"], "granted": event["granted"],
                "method": event["method"], "at": event["at"], "seq": event.get("seq"),
                "notice_id": event["notice_id"], "notice_version": event["notice_version"],
                "notice": _notice(event.get("notice"), event["notice_id"], event["notice_version"]),
            }, source)
    # The order the server recorded them in (its seq), never the clock; the cache's own after.
    return sorted(merged.values(), key=lambda e: (e["seq"] is None, e["seq"] or 0))


def _notice(notice: Mapping[str, Any] | None, notice_id: str, version: int) -> dict[str, Any] | None:
    """The exact text agreed to, with its SHA-256 as published and whether the text still matches it."""
    if not notice:
        return None
    body = notice.get("body", "")
    return {"id": notice_id, "version": version, "language": notice.get("language"),
            "title": notice.get("title", ""), "summary": notice.get("summary", ""), "body": body,
            "sha256": notice.get("sha256"),
            "sha256_matches": hashlib.sha256(body.encode("utf-8")).hexdigest() == notice.get("sha256")}


def _chats(server: Iterable[Mapping[str, Any]], desk: Iterable[Mapping[str, Any]],
           operators: Mapping[str, str]) -> list[dict[str, Any]]:
    chats = _Merged()
    messages: dict[str, _Merged] = {}
    details: dict[str, _Merged] = {}
    unsent: dict[str, list[dict[str, Any]]] = {}

    def chat_entry(chat: Mapping[str, Any], source: str) -> str:
        operator_id = chat.get("operator_id")
        chats.add(chat["id"], {
            "id": chat["id"], "state": chat.get("state"), "started_at": chat.get("started_at"),
            "closed_at": chat.get("closed_at"),
            "operator": operators.get(operator_id, "") if operator_id else None,
        }, source)
        return str(chat["id"])

    for chat in server:
        chat_id = chat_entry(chat, SERVER)
        for message in chat.get("messages", ()):
            messages.setdefault(chat_id, _Merged()).add(message["id"], _message(message), SERVER)
        for record in chat.get("details", ()):
            details.setdefault(chat_id, _Merged()).add(record["request_id"], _detail(record), SERVER)
    for held in desk:
        chat_id = chat_entry(held["chat"], DESK_CACHE)
        for message in held.get("messages", ()):
            messages.setdefault(chat_id, _Merged()).add(message["id"], _message(message), DESK_CACHE)
        values = _received_values(held.get("received_details", ()))
        for request in held.get("detail_requests", ()):
            details.setdefault(chat_id, _Merged()).add(request["id"], {
                "request_id": request["id"], "fields": list(request["fields"]), "purpose": request["purpose"],
                "notice_id": request["notice_id"], "notice_version": request["notice_version"],
                "requested_at": request["requested_at"], "status": request.get("state", "pending"),
                "values": values.get(request["id"]), "answered_at": request.get("answered_at"),
            }, DESK_CACHE)
        unsent[chat_id] = [{"client_msg_id": e["client_msg_id"], "text": e["text"],
                            "written_at": e["created_at"]} for e in held.get("outbox", ())]
    found = []
    for chat in sorted(chats.values(), key=lambda c: (c["started_at"] or "", c["id"])):
        chat["messages"] = sorted(messages.get(chat["id"], _Merged()).values(),
                                  key=lambda m: (m["at"], m["id"]))
        chat["details"] = sorted(details.get(chat["id"], _Merged()).values(),
                                 key=lambda d: (d["requested_at"] or "", d["request_id"]))
        chat["unsent_messages"] = unsent.get(chat["id"], [])
        found.append(chat)
    return found


def _message(message: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": message["id"], "at": message["at"], "author": message["author"],
            "author_name": message.get("author_name", ""), "text": message["text"]}


def _detail(record: Mapping[str, Any]) -> dict[str, Any]:
    return {"request_id": record["request_id"], "fields": list(record["fields"]),
            "purpose": record["purpose"], "notice_id": record["notice_id"],
            "notice_version": record["notice_version"],
            "requested_at": record["requested_at"], "status": record["status"],
            "values": dict(record["values"]) if record.get("values") else None,
            "answered_at": record.get("answered_at")}


def _received_values(received: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    values: dict[str, dict[str, str]] = {}
    for item in received:
        values.setdefault(item["request_id"], {})[item["field"]] = item["value"]
    return values


def _server_audit(entry: Mapping[str, Any], operators: Mapping[str, str]) -> dict[str, Any]:
    actor = entry.get("actor", "")
    return {"at": entry["at"], "actor": operators.get(actor, actor), "action": entry["action"],
            "source": SERVER}


def _desk_audit(entry: Mapping[str, Any], operators: Mapping[str, str]) -> dict[str, Any]:
    actor = entry.get("actor", "")
    return {"at": entry["at"], "actor": operators.get(actor, actor), "action": entry["action"],
            "source": DESK_CACHE}
