"""A visitor takes their own data ("Download my data"): their chats, consents with the notice texts they
agreed to, and details, by their own token alone; rate limited; written to the audit log."""

from __future__ import annotations

import pytest

from operator_desk.server.download_limit import DownloadLimit
from tests.kit.clients import login
from tests.kit.visitors import accepted_chat, arrive, details_given, waiting_chat

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too


@pytest.mark.asyncio
async def test_a_visitor_downloads_their_own_chats_consents_and_details(server):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    other, _ = await waiting_chat(server, name="Someone Else", message="not yours")
    visitor, chat = await accepted_chat(server, ann, ip="192.0.2.77", name="Erika Mustermann",
                                        message="my order 4711")
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "Which number?"})
    await details_given(ann, visitor, chat["id"], {"phone": "+49 30 9876543"})

    export = (await visitor.ok("subject.export_me"))["export"]
    assert export["visitor"]["id"] == visitor.visitor_id and export["visitor"]["name"] == "Erika Mustermann"
    [mine] = export["chats"]
    assert [m["text"] for m in mine["messages"]] == ["my order 4711", "Which number?"]
    assert mine["details"][0]["values"] == {"phone": "+49 30 9876543"}
    purposes = [(c["purpose"], c["granted"], c["notice"]["title"]) for c in export["consents"]]
    assert purposes == [("chat", True, "Before we chat"),
                        ("contact_details", True, "Sharing contact details")]
    assert all(c["notice"]["body"] and c["notice"]["sha256"] for c in export["consents"])
    assert "audit" not in export   # the staff who read the chat are not the visitor's to know
    assert "not yours" not in str(export) and "Someone Else" not in str(export)
    entries = (await sue.ok("audit.list", {"limit": 5}))["entries"]
    assert (entries[0]["action"], entries[0]["actor"], entries[0]["subject"]) == (
        "subject.export_me", "visitor", visitor.visitor_id)
    for client in (ann, sue, other, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_downloads_are_rate_limited_per_visitor(server):
    visitor = await arrive(server)
    for _ in range(3):
        await visitor.ok("subject.export_me")
    assert await visitor.refused("subject.export_me") == "rate_limited"
    fresh = await arrive(server)
    assert (await fresh.ok("subject.export_me"))["export"]["chats"] == []
    for client in (visitor, fresh):
        await client.close()


def test_the_limit_counts_per_visitor_and_per_address_and_forgets_after_the_window():
    now = [0.0]
    limit = DownloadLimit(per_visitor=2, per_address=3, window=60, max_keys=4, clock=lambda: now[0])
    assert limit.refuse_for("v1", "a") == 0 and limit.refuse_for("v1", "a") == 0
    assert limit.refuse_for("v1", "a") == 60
    assert limit.refuse_for("v2", "a") == 0
    assert limit.refuse_for("v3", "a") > 0          # the address has had three
    now[0] = 61
    assert limit.refuse_for("v1", "a") == 0
    for n in range(10):
        limit.refuse_for(f"w{n}", f"b{n}")
    assert len(limit._seen) <= 4                    # bounded, whatever a client sends
