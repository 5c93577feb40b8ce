"""Consent enforced at the source: what operators receive about a visitor never goes beyond what the
visitor granted, and a withdrawal takes effect for every operator at once and in the database."""

from __future__ import annotations

import json

import pytest

from operator_desk.server import repository
from tests.kit.clients import login
from tests.kit.servers import database_text
from tests.kit.visitors import accepted_chat, arrive, consent

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too

INSIGHTS_IP = "192.0.2.10"  # Berlin, Spreewald Logistik GmbH in the bundled directory
PLAIN_IP = "203.0.113.200"


def visitors_in(frame: str) -> list[dict]:
    """Every visitor object in a frame, wherever it sits."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            if "on_site_since" in value and "consent" in value:
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(frame))
    return found


async def insights_row(server, visitor_id):
    return await server.db.call(repository.insights_of, visitor_id)


@pytest.mark.asyncio
async def test_no_operator_frame_carries_insights_without_consent(server):
    operators = [await login(server, name) for name in ("ann", "lee", "sue")]
    for operator in operators:
        await operator.ok("visitors.subscribe")
    shy = await arrive(server, ip=PLAIN_IP)
    open_ = await arrive(server, ip=INSIGHTS_IP)
    await consent(open_, "visitor_insights", granted=True, method="prechat_form")
    await consent(shy, "chat", granted=True, method="prechat_form")
    await shy.ok("chat.start", {"name": "Shy", "email": "shy@example.com", "message": "hi"})
    await shy.ok("visitor.page", {"url": "http://shop.example/cart", "title": "Cart"})
    for operator in operators:
        await operator.push("visitor.upsert", lambda p: p["visitor"]["page"]["title"] == "Cart")
        seen = await operator.push(
            "visitor.upsert", lambda p: p["visitor"]["id"] == open_.visitor_id and p["visitor"]["insights"]
        )
        assert seen["visitor"]["insights"]["company"] == "Spreewald Logistik GmbH"
        assert seen["visitor"]["insights"]["location"]["city"] == "Berlin"
        assert seen["visitor"]["insights"]["ip"] == INSIGHTS_IP
    snapshot = await operators[0].ok("visitors.subscribe")
    assert {v["id"]: v["insights"] is not None for v in snapshot["visitors"]} == {
        shy.visitor_id: False,
        open_.visitor_id: True,
    }
    for operator in operators:
        assert operator.raw, "the operator received nothing"
        for frame in operator.raw:
            assert PLAIN_IP not in frame
            for visitor in visitors_in(frame):
                if visitor["id"] == shy.visitor_id:
                    assert visitor["insights"] is None
                    assert visitor["consent"]["visitor_insights"] is False
    assert await insights_row(server, shy.visitor_id) is None


@pytest.mark.asyncio
async def test_withdrawing_insights_reaches_every_operator_and_deletes_history(server):
    ann, lee = await login(server, "ann"), await login(server, "lee")
    for operator in (ann, lee):
        await operator.ok("visitors.subscribe")
    visitor = await arrive(server, ip=INSIGHTS_IP)
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    await visitor.ok("visitor.page", {"url": "http://shop.example/beans", "title": "Beans"})
    assert (await insights_row(server, visitor.visitor_id)).company == "Spreewald Logistik GmbH"

    withdrawal = await consent(visitor, "visitor_insights", granted=False, method="widget_settings")
    for operator in (ann, lee):
        changed = await operator.push("consent.changed", lambda p: p["consent"]["granted"] is False)
        assert changed == {"visitor_id": visitor.visitor_id, "consent": withdrawal["consent"]}
        upsert = await operator.push(
            "visitor.upsert", lambda p: not p["visitor"]["consent"]["visitor_insights"]
        )
        assert upsert["visitor"]["insights"] is None
        # consent.changed and the redacted upsert follow each other directly
        actions = [p["action"] for p in operator.pushes]
        index = actions.index("consent.changed", len(actions) - 2)
        assert actions[index + 1] == "visitor.upsert"
    assert await insights_row(server, visitor.visitor_id) is None
    page_views = await server.db.call(
        lambda conn: conn.execute(
            "SELECT count(*) FROM page_views WHERE visitor_id = ?", (visitor.visitor_id,)
        ).fetchone()[0]
    )
    assert page_views == 0
    events = await server.db.call(repository.consents_of, visitor.visitor_id)
    assert [(e.purpose, e.granted) for e in events] == [
        ("visitor_insights", True),
        ("visitor_insights", False),
    ]


@pytest.mark.asyncio
async def test_returning_visitor_history_only_with_insights(server):
    first = await arrive(server, ip=INSIGHTS_IP)
    await consent(first, "visitor_insights", granted=True, method="prechat_form")
    token = first.hello["visitor_token"]
    await first.close()
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    again = await arrive(server, ip=INSIGHTS_IP, token=token)
    assert again.visitor_id == first.visitor_id
    assert again.hello["consent"]["visitor_insights"] is True
    upsert = await ann.push("visitor.upsert", lambda p: p["visitor"]["id"] == again.visitor_id)
    assert upsert["visitor"]["insights"]["visits"] == 2

    other = await arrive(server, ip=PLAIN_IP)
    other_token = other.hello["visitor_token"]
    await other.close()
    back = await arrive(server, ip=PLAIN_IP, token=other_token)
    # A visitor who consented to nothing was present on that page only: not recognised, nothing kept.
    assert back.visitor_id != other.visitor_id
    assert await insights_row(server, back.visitor_id) is None


@pytest.mark.asyncio
async def test_name_and_email_go_with_chat_consent(server):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    await visitor.ok("chat.start", {"name": "Vera", "email": "vera@example.com"})
    shown = await ann.push("visitor.upsert", lambda p: p["visitor"]["name"] == "Vera")
    assert shown["visitor"]["email"] == "vera@example.com"
    await consent(visitor, "chat", granted=False, method="widget_settings")
    hidden = await ann.push("visitor.upsert", lambda p: not p["visitor"]["consent"]["chat"])
    assert hidden["visitor"]["name"] is None and hidden["visitor"]["email"] is None
    assert (await visitor.push("chat.closed"))["chat_id"]
    stored = await server.db.call(
        lambda conn: conn.execute(
            "SELECT name, email FROM visitors WHERE id = ?", (visitor.visitor_id,)
        ).fetchone()
    )
    assert tuple(stored) == (None, None)


@pytest.mark.asyncio
async def test_typing_preview_only_with_its_consent_and_never_stored(server):
    ann = await login(server, "ann")
    visitor, chat = await accepted_chat(server, ann, name="Vera", message="hi")
    await visitor.ok("chat.typing", {"typing": True, "draft": "secret draft one"})
    assert (await ann.push("chat.typing")) == {"chat_id": chat["id"], "typing": True, "preview": None}
    await consent(visitor, "typing_preview", granted=True, method="prechat_form")
    await visitor.ok("chat.typing", {"typing": True, "draft": "draft two"})
    assert (await ann.push("chat.typing"))["preview"] == "draft two"
    assert all("secret draft one" not in frame for frame in ann.raw)
    dump = await database_text(server)
    assert "draft two" not in dump and "secret draft one" not in dump


@pytest.mark.asyncio
async def test_details_need_contact_details_consent(server):
    ann = await login(server, "ann")
    visitor, chat = await accepted_chat(server, ann, name="Vera", message="hi")
    notice = next(n for n in (await ann.ok("notices.list"))["notices"] if n["id"] == "details-en")
    request = {
        "chat_id": chat["id"],
        "notice_id": notice["id"],
        "notice_version": notice["version"],
        "fields": ["phone", "order_reference"],
        "purpose": "contact_details",
    }
    assert await ann.refused("details.request", {**request, "fields": ["shoe_size"]}) == "bad_request"
    prechat = next(n for n in (await ann.ok("notices.list"))["notices"] if n["id"] == "prechat-en")
    wrong_notice = {**request, "notice_id": prechat["id"], "notice_version": prechat["version"]}
    assert await ann.refused("details.request", wrong_notice) == "bad_request"
    request_id = (await ann.ok("details.request", request))["request_id"]
    asked = await visitor.push("details.requested")
    assert asked["request_id"] == request_id and asked["fields"] == ["phone", "order_reference"]
    assert asked["notice"]["body"] == notice["body"]

    submit = {"request_id": request_id, "fields": {"phone": "+49 30 1234567"}}
    assert await visitor.refused("details.submit", submit) == "consent_required"
    stored = await server.db.call(
        lambda conn: conn.execute("SELECT count(*) FROM received_details").fetchone()[0]
    )
    assert stored == 0
    await consent(visitor, "contact_details", granted=True, method="details_prompt")
    assert (
        await visitor.refused("details.submit", {**submit, "fields": {"postal_address": "x"}})
        == "bad_request"
    )
    await visitor.ok("details.submit", submit)
    received = await ann.push("details.received")
    assert received == {
        "chat_id": chat["id"],
        "request_id": request_id,
        "fields": {"phone": "+49 30 1234567"},
    }
    assert await visitor.refused("details.submit", submit) == "not_found"  # answered once

    second = (await ann.ok("details.request", request))["request_id"]
    await visitor.push("details.requested", lambda p: p["request_id"] == second)
    await visitor.ok("details.decline", {"request_id": second})
    assert (await ann.push("details.declined")) == {"chat_id": chat["id"], "request_id": second}

    transcript = await ann.ok("transcripts.get", {"chat_id": chat["id"]})
    by_id = {d["request_id"]: d for d in transcript["details"]}
    assert by_id[request_id]["status"] == "received" and by_id[request_id]["values"] == {
        "phone": "+49 30 1234567"
    }
    assert by_id[second]["status"] == "declined"


@pytest.mark.asyncio
async def test_consent_set_refuses_a_notice_that_does_not_cover_the_purpose(server):
    visitor = await arrive(server)
    typing = next(n for n in visitor.hello["notices"] if n["id"] == "typing-en")
    bad = {
        "purpose": "chat",
        "granted": True,
        "notice_id": typing["id"],
        "notice_version": typing["version"],
        "method": "prechat_form",
    }
    assert await visitor.refused("consent.set", bad) == "bad_request"
    assert await visitor.refused("consent.set", {**bad, "notice_id": "nope"}) == "not_found"
    assert await server.db.call(repository.consents_of, visitor.visitor_id) == []


@pytest.mark.asyncio
async def test_withdrawing_contact_details_deletes_the_details_received(server):
    ann = await login(server, "ann")
    visitor, chat = await accepted_chat(server, ann, name="Vera", message="hi")
    await consent(visitor, "contact_details", granted=True, method="details_prompt")
    notice = next(n for n in (await ann.ok("notices.list"))["notices"] if n["id"] == "details-en")
    request = {
        "chat_id": chat["id"],
        "notice_id": notice["id"],
        "notice_version": notice["version"],
        "fields": ["phone"],
    }
    request_id = (await ann.ok("details.request", request))["request_id"]
    await visitor.push("details.requested")
    await visitor.ok("details.submit", {"request_id": request_id, "fields": {"phone": "+49 30 7654321"}})
    await ann.push("details.received")

    def received(conn):
        return conn.execute("SELECT count(*) FROM received_details").fetchone()[0]

    assert await server.db.call(received) == 1
    await consent(visitor, "contact_details", granted=False, method="widget_settings")
    assert await server.db.call(received) == 0
    assert "7654321" not in await database_text(server)


@pytest.mark.asyncio
async def test_withdrawing_chat_consent_removes_the_name_from_every_message(server):
    """The name stayed in each message's ``author_name``, which team leads read in transcripts."""
    ann, lee = await login(server, "ann"), await login(server, "lee")
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Vera Visitor", "email": "vera@example.com",
                                            "message": "first"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await visitor.ok("chat.send", {"client_msg_id": "v1", "text": "second"})
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "answer"})
    before = await lee.ok("transcripts.get", {"chat_id": chat["id"]})
    assert {m["author_name"] for m in before["messages"] if m["author"] == "visitor"} == {"Vera Visitor"}

    await consent(visitor, "chat", granted=False, method="widget_settings")
    after = await lee.ok("transcripts.get", {"chat_id": chat["id"]})
    assert [(m["author"], m["author_name"]) for m in after["messages"]] == [
        ("visitor", ""), ("visitor", ""), ("operator", "Ann")
    ]
    # The whole name: "Vera" alone is in the German notices' "Verantwortlicher".
    assert "Vera Visitor" not in await database_text(server)
    # Nor is it kept in memory for a resume to send again.
    for session in server.hub.sessions.values():
        assert not any("Vera Visitor" in frame for frame in session.replay.frames)
