"""Handing a chat on (issue 14, item 3) against the real server: to a colleague or a team, with a note
only the receiver hears; the visitor is told only that a colleague carries on; the receiver gets the
whole transcript and the consent state; audited with ids only; refused, changing nothing, to someone
signed out or at their limit."""

from __future__ import annotations

import pytest

from operator_desk.server import repository
from tests.kit.clients import login
from tests.kit.servers import database_text, start_site
from tests.kit.visitors import accepted_chat

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too

NOTE = "Wants a refund for order 4471; already checked the tracking."


async def chatting(server, operator, messages: int = 3):
    """A visitor (chat and insights consent) in a chat the operator accepted, with some messages."""
    visitor, chat = await accepted_chat(server, operator, consents=("chat", "visitor_insights"),
                                        name="Ada", message="Hello")
    for n in range(messages):
        await visitor.ok("chat.send", {"client_msg_id": f"v{n}", "text": f"visitor {n}"})
        await operator.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": f"o{n}", "text": f"ann {n}"})
    return visitor, chat["id"]


@pytest.mark.asyncio
async def test_a_chat_handed_to_a_colleague_reaches_them_whole_and_the_visitor_sees_a_neutral_line(server):
    ann, ben = await login(server, "ann"), await login(server, "ben")
    visitor, chat_id = await chatting(server, ann)
    ben_id = ben.login["operator"]["id"]

    answer = await ann.ok("chat.transfer", {"chat_id": chat_id, "to_operator_id": ben_id, "note": NOTE})
    assert answer["chat"]["operator_id"] == ben_id and answer["chat"]["state"] == "active"
    pushed = await ben.push("chat.transferred")
    assert pushed["note"] == NOTE and pushed["from_operator"]["name"] == "Ann"
    assert pushed["chat"]["id"] == chat_id and pushed["visitor"]["name"] == "Ada"
    consents = {c["purpose"]: c["granted"] for c in pushed["consents"]}
    assert consents == {"chat": True, "visitor_insights": True}
    # The receiver reads the whole transcript as from any chat of theirs; each message once.
    accepted = await ben.ok("chat.accept", {"chat_id": chat_id})
    texts = [m["text"] for m in accepted["messages"]]
    assert texts == ["Hello"] + [t for n in range(3) for t in (f"visitor {n}", f"ann {n}")]
    # The sender's desk hears the chat is a colleague's now, and can no longer write in it.
    updated = await ann.push("chat.updated", lambda p: p["chat"]["operator_id"] == ben_id)
    assert updated["chat"]["id"] == chat_id
    late = {"chat_id": chat_id, "client_msg_id": "late", "text": "x"}
    assert await ann.refused("chat.send", late) == "conflict"
    await ben.ok("chat.send", {"chat_id": chat_id, "client_msg_id": "b1", "text": "Ben here."})
    # The visitor: one neutral push, no note, no name; then the chat goes on.
    neutral = await visitor.push("chat.transferred")
    assert neutral == {}
    assert (await visitor.push("chat.message", lambda p: p["message"]["text"] == "Ben here."))
    assert all(NOTE not in frame for frame in visitor.raw)
    # Audited with ids; the note is stored nowhere.
    entries = await server.db.call(repository.audit_about, visitor.visitor_id)
    handed = [e for e in entries if e.action == "chat.transfer"]
    assert len(handed) == 1 and handed[0].actor == ann.login["operator"]["id"]
    assert handed[0].detail == {"chat_id": chat_id, "to": ben_id, "team": None}
    assert NOTE not in await database_text(server)
    for client in (ann, ben, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_refused_to_someone_signed_out_or_at_the_limit_and_nothing_changes(tmp_path):
    server = await start_site(tmp_path, "[routing]\nchat_limit = 1\n",
                              {"ann": "operator", "ben": "operator", "cat": "operator"})
    try:
        ann, ben = await login(server, "ann"), await login(server, "ben")
        visitor, chat_id = await chatting(server, ann, messages=1)
        cat_id = (await server.db.call(repository.operator_by_username, "cat")).info.id
        ben_id = ben.login["operator"]["id"]
        assert await ann.refused("chat.transfer", {"chat_id": chat_id, "to_operator_id": cat_id}) \
            == "recipient_offline"
        other, other_chat = await chatting(server, ben, messages=0)   # Ben is at the limit of 1 now
        assert await ann.refused("chat.transfer", {"chat_id": chat_id, "to_operator_id": ben_id}) \
            == "recipient_at_limit"
        assert await ann.refused("chat.transfer", {"chat_id": other_chat, "to_operator_id": cat_id}) \
            == "conflict"   # not Ann's chat
        assert await ann.refused("chat.transfer", {"chat_id": chat_id}) == "bad_request"
        assert await ann.refused("chat.transfer", {"chat_id": chat_id, "to_operator_id": ben_id,
                                                   "to_team_id": "support"}) == "bad_request"
        # Nothing changed: still Ann's, nobody told, no audit entry.
        stored = await server.db.call(repository.chat_by_id, chat_id)
        assert stored.operator_id == ann.login["operator"]["id"]
        assert ben.pushes_of("chat.transferred") == [] and visitor.pushes_of("chat.transferred") == []
        entries = await server.db.call(repository.audit_about, visitor.visitor_id)
        assert [e for e in entries if e.action == "chat.transfer"] == []
        for client in (ann, ben, visitor, other):
            await client.close()
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_a_chat_handed_to_a_team_goes_to_its_least_busy_member_signed_in(server, admin):
    for username in ("ben", "lee"):
        assert (await admin("set-team", username, "support"))[0] == 0
    ann, ben, lee = [await login(server, name) for name in ("ann", "ben", "lee")]
    assert await ann.refused("chat.transfer", {"chat_id": "nope", "to_team_id": "support"}) == "not_found"
    await chatting(server, ben, messages=0)   # Ben has one chat open, Lee none
    visitor, chat_id = await chatting(server, ann, messages=1)
    assert await ann.refused("chat.transfer", {"chat_id": chat_id, "to_team_id": "nowhere"}) == "not_found"
    answer = await ann.ok("chat.transfer", {"chat_id": chat_id, "to_team_id": "support", "note": "for you"})
    assert answer["chat"]["operator_id"] == lee.login["operator"]["id"]
    assert (await lee.push("chat.transferred"))["note"] == "for you"
    assert ben.pushes_of("chat.transferred") == []
    entries = await server.db.call(repository.audit_about, visitor.visitor_id)
    assert [e.detail["team"] for e in entries if e.action == "chat.transfer"] == ["support"]
    for client in (ann, ben, lee, visitor):
        await client.close()
