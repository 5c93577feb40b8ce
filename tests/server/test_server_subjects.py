"""Finding, exporting and erasing a data subject; the audit log keeps only a pseudonymous tombstone."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from tests.kit.cases import erase_with_approval
from tests.kit.clients import AsyncClient, login
from tests.kit.cluster import visitors_node
from tests.kit.servers import database_text, raw_stored
from tests.kit.timing import WAIT
from tests.kit.visitors import arrive, consent, details_given

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too

PHONE = "+49 30 9876543"
NAME = "Erika Mustermann"
EMAIL = "erika@example.com"
MESSAGE = "Please call me about order 4711"


async def person_with_history(server, ann: AsyncClient, *, name: str = NAME, email: str = EMAIL,
                              message: str = MESSAGE, phone: str = PHONE, page: str = "Grinders",
                              ip: str = "192.0.2.77") -> tuple[AsyncClient, str]:
    """A visitor who browsed with insights, chatted and gave a phone number (values of their own for a
    test that reads PostgreSQL's files: those hold other tests' dead rows and WAL too)."""
    visitor = await arrive(server, ip=ip)
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    await visitor.ok("visitor.page", {"url": f"http://shop.example/{page.lower()}", "title": page})
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": name, "email": email, "message": message}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "Sure, which number?"})
    await details_given(ann, visitor, chat["id"], {"phone": phone})
    await ann.push("details.received")
    return visitor, chat["id"]


def unique_person() -> dict[str, str]:
    """``person_with_history``'s values, none of them in any other test's rows."""
    tag = secrets.token_hex(4)
    return {"name": f"Erika Muster-{tag}", "email": f"erika-{tag}@example.com",
            "message": f"Please call me about order {tag}", "phone": f"+49 30 {int(tag, 16) % 10**8:08d}",
            "page": f"Grinders-{tag}", "ip": f"198.51.100.{int(tag, 16) % 250 + 1}"}


@pytest.mark.asyncio
async def test_find_by_email_name_id_or_detail(server):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    visitor, _ = await person_with_history(server, ann)
    for query in (EMAIL.upper(), "mustermann", visitor.visitor_id, PHONE):
        found = (await sue.ok("subjects.find", {"query": query}))["subjects"]
        assert [(s["visitor_id"], s["name"], s["email"], s["chats"]) for s in found] == [
            (visitor.visitor_id, NAME, EMAIL, 1)
        ], query
    assert (await sue.ok("subjects.find", {"query": "nobody@example.com"}))["subjects"] == []
    for client in (ann, sue, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_export_holds_everything_about_the_person(server):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    visitor, chat_id = await person_with_history(server, ann)
    await sue.ok("transcripts.get", {"chat_id": chat_id})
    export = (await sue.ok("subjects.export", {"visitor_id": visitor.visitor_id}))["export"]
    assert export["visitor"]["name"] == NAME and export["visitor"]["email"] == EMAIL
    assert export["insights"]["company"] == "Spreewald Logistik GmbH"
    assert [p["title"] for p in export["page_views"]] == ["Shop", "Grinders"]
    purposes = [(c["purpose"], c["granted"]) for c in export["consents"]]
    assert purposes == [("visitor_insights", True), ("chat", True), ("contact_details", True)]
    assert all(c["notice"]["body"] for c in export["consents"])
    assert "Visitor insights" in export["consents"][0]["notice"]["body"]
    [chat] = export["chats"]
    assert [m["text"] for m in chat["messages"]] == [MESSAGE, "Sure, which number?"]
    assert chat["details"][0]["values"] == {"phone": PHONE}
    # The export's own view is recorded before it is read, and listed with the others.
    assert [(a["action"], a["subject"]) for a in export["audit"]] == [
        ("transcripts.get", visitor.visitor_id),
        ("subjects.export", visitor.visitor_id),
    ]
    assert await sue.refused("subjects.export", {"visitor_id": "v_unknown"}) == "not_found"
    audit = (await sue.ok("audit.list", {"limit": 5}))["entries"]
    assert audit[0]["action"] == "subjects.export" and audit[0]["actor"] == sue.login["operator"]["id"]
    for client in (ann, sue, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_erase_reaches_every_operator_and_leaves_only_a_tombstone(server):
    ann, ben, sue = await login(server, "ann"), await login(server, "ben"), await login(server, "sue")
    sam = await login(server, "sam")
    visitor, chat_id = await person_with_history(server, ann)
    await sue.ok("transcripts.get", {"chat_id": chat_id})
    erased = await erase_with_approval(sue, sam, visitor.visitor_id, "Art. 17 request")
    assert erased == {"chats": 1, "messages": 2, "consents": 3, "details": 1}
    for operator in (ann, ben, sue):
        push = await operator.push("subject.erased")
        assert push == {"visitor_id": visitor.visitor_id, "chat_ids": [chat_id]}
    assert await asyncio.wait_for(visitor.closed, WAIT) == 1000

    stored = await database_text(server)
    for trace in (
        visitor.visitor_id,
        chat_id,
        NAME,
        EMAIL,
        PHONE,
        MESSAGE,
        "192.0.2.77",
        "Grinders",
        visitor.hello["visitor_token"],
    ):
        assert trace not in stored, trace
    entries = (await sue.ok("audit.list", {}))["entries"]
    about = [e for e in entries if e["subject"] and e["subject"].startswith("erased:")]
    assert [e["action"] for e in about] == [
        "cases.close", "subjects.erase", "approvals.approve", "approvals.request", "cases.open",
        "transcripts.get"]
    assert len({e["subject"] for e in about}) == 1
    assert about[1]["detail"]["erased"]["messages"] == 2
    assert await sue.refused("subjects.export", {"visitor_id": visitor.visitor_id}) == "not_found"
    for client in (ann, ben, sue, sam):
        await client.close()


@pytest.mark.postgresql_only
@pytest.mark.asyncio
async def test_an_erased_person_cannot_be_read_back_from_postgresqls_own_files(server, tmp_path):
    """What a copy of PostgreSQL's disk (or a backup, or a replica) holds after the erasure: the raw
    pages of the database, dead rows included. SQLCipher's file is encrypted as a whole and overwrites
    what an erasure deletes (secure_delete, the WAL truncated): test_server_masking reads its bytes."""
    ann, sue, sam = await login(server, "ann"), await login(server, "sue"), await login(server, "sam")
    person = unique_person()
    visitor, _ = await person_with_history(server, ann, **person)
    await erase_with_approval(sue, sam, visitor.visitor_id, "Art. 17 request")
    pages = raw_stored(tmp_path / "data").decode("latin-1")
    for trace in person.values():
        assert trace not in pages, trace
    for client in (ann, sue, sam):
        await client.close()


@pytest.mark.asyncio
async def test_forget_me_erases_the_visitor_themselves(server):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    visitor, chat_id = await person_with_history(server, ann)
    other_tab = await arrive(server, token=visitor.hello["visitor_token"])
    assert other_tab.visitor_id == visitor.visitor_id
    assert await visitor.ok("subject.forget_me") == {}
    assert (await ann.push("subject.erased"))["chat_ids"] == [chat_id]
    assert await asyncio.wait_for(visitor.closed, WAIT) == 1000
    assert await asyncio.wait_for(other_tab.closed, WAIT) == 1000
    stored = await database_text(server)
    assert visitor.visitor_id not in stored and NAME not in stored and PHONE not in stored
    assert (await ann.ok("visitors.subscribe"))["visitors"] == []
    # The old token is worth nothing now: it names a new, empty visitor.
    back = await arrive(server, token=visitor.hello["visitor_token"])
    assert back.visitor_id != visitor.visitor_id
    assert not any(back.hello["consent"].values())
    for client in (ann, back):
        await client.close()


@pytest.mark.asyncio
async def test_an_erasure_during_a_returning_visitors_hello_does_not_bring_them_back(server):
    """The hello of a returning browser reads the person from the database; if they are erased while
    it waits, what it read must not be used: the erased person would be live (and shown) again."""
    from operator_desk.server import repository
    from operator_desk.server.subjects import erase_subject

    sue = await login(server, "sue")
    await sue.ok("visitors.subscribe")
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    await visitor.ok("chat.start", {"name": NAME, "email": EMAIL, "message": MESSAGE})
    token, old_id = visitor.hello["visitor_token"], visitor.visitor_id
    await visitor.close()
    await sue.push("visitor.left")

    hub = visitors_node(server).hub   # the hello reads the person on the visitor's node
    lookup = hub.db.call

    erased = []

    async def lookup_then_erase(fn, *args):
        result = await lookup(fn, *args)
        if fn is repository.visitor_by_token and not erased:
            # The supervisor's erasure completes while this hello is still waiting for its answer.
            erased.append(await erase_subject(hub, old_id, "sue", "request by e-mail"))
        return result

    hub.db.call = lookup_then_erase
    try:
        back = await arrive(server, token=token)
    finally:
        del hub.db.call
    assert erased[0] is not None
    assert back.visitor_id != old_id
    assert old_id not in hub.visitors
    assert not any(back.hello["consent"].values())
    online = (await sue.ok("visitors.subscribe"))["visitors"]
    assert [v["id"] for v in online] == [back.visitor_id]
    assert NAME not in repr(online)
    assert NAME not in await database_text(server)
    for client in (sue, back):
        await client.close()
