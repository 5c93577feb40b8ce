"""Earlier chats of a returning visitor (issue 14, item 7): listed and opened only while the visitor
grants visitor_insights, at the moment of each request; paged and bounded; audited; never in any frame
without that consent."""

from __future__ import annotations

import pytest

from operator_desk.server import repository
from tests.kit.clients import login
from tests.kit.visitors import arrive, consent

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too

NO_CONSENT = "consent_required"


async def a_chat(server, visitor, operator, first: str, answer: str) -> str:
    """One chat of ``visitor`` (who has chat consent), answered by ``operator`` and ended."""
    chat = (await visitor.ok("chat.start", {"name": "Ada", "message": first}))["chat"]
    await operator.ok("chat.accept", {"chat_id": chat["id"]})
    await operator.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": f"k-{chat['id']}",
                                    "text": answer})
    await visitor.ok("chat.end")
    return chat["id"]


async def returning_visitor(server, ann, chats: int = 2):
    """A visitor who chatted ``chats`` times with Ann (once per visit) and is back on the site."""
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    ids = []
    for n in range(chats):
        ids.append(await a_chat(server, visitor, ann, f"Question {n}\nmore words {n}", f"Answer {n}"))
        token = visitor.hello["visitor_token"]
        await visitor.close()
        visitor = await arrive(server, token=token)
    return visitor, ids


@pytest.mark.asyncio
async def test_with_insights_consent_the_earlier_chats_are_listed_newest_first_and_open(server):
    ann, ben = await login(server, "ann"), await login(server, "ben")
    visitor, ids = await returning_visitor(server, ann, chats=3)
    assert await ben.refused("visitor.earlier_chats", {"visitor_id": visitor.visitor_id}) == NO_CONSENT

    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    listed = await ben.ok("visitor.earlier_chats", {"visitor_id": visitor.visitor_id, "limit": 2})
    assert [c["chat_id"] for c in listed["chats"]] == [ids[2], ids[1]]   # newest first, two a page
    first = listed["chats"][0]
    assert first["operator_name"] == ann.login["operator"]["name"] and first["first_line"] == "Question 2"
    assert first["closed_at"] is not None
    rest = await ben.ok("visitor.earlier_chats", {"visitor_id": visitor.visitor_id,
                                                  "cursor": listed["next_cursor"], "limit": 2})
    assert [c["chat_id"] for c in rest["chats"]] == [ids[0]] and rest["next_cursor"] is None

    opened = await ben.ok("visitor.earlier_chat", {"visitor_id": visitor.visitor_id, "chat_id": ids[0]})
    assert [m["text"] for m in opened["messages"]] == ["Question 0\nmore words 0", "Answer 0"]
    # Only this visitor's closed chats: another's, or a made-up cursor, are refused.
    other, other_ids = await returning_visitor(server, ann, chats=1)
    assert await ben.refused("visitor.earlier_chat", {"visitor_id": visitor.visitor_id,
                                                      "chat_id": other_ids[0]}) == "not_found"
    assert await ben.refused("visitor.earlier_chats", {"visitor_id": other.visitor_id,
                                                       "cursor": listed["next_cursor"]}) == "bad_request"
    # Who read whose earlier chats is in the audit log (ids and counts: nothing the visitor wrote).
    entries = await server.db.call(repository.audit_about, visitor.visitor_id)
    mine = [e for e in entries if e.action.startswith("visitor.earlier_chat")]
    assert [(e.action, e.actor) for e in mine] == [
        ("visitor.earlier_chats", ben.login["operator"]["id"]),
        ("visitor.earlier_chats", ben.login["operator"]["id"]),
        ("visitor.earlier_chat", ben.login["operator"]["id"])]
    assert all("Question" not in str(e.detail) for e in mine)
    for client in (ann, ben, visitor, other):
        await client.close()


@pytest.mark.asyncio
async def test_a_withdrawal_stops_them_at_once_and_no_frame_without_consent_carries_them(server):
    ann, lee = await login(server, "ann"), await login(server, "lee")
    await lee.ok("visitors.subscribe")
    visitor, ids = await returning_visitor(server, ann, chats=2)
    # Without the consent: nothing, whichever way asked.
    assert await lee.refused("visitor.earlier_chats", {"visitor_id": visitor.visitor_id}) == NO_CONSENT
    assert await lee.refused("visitor.earlier_chat", {"visitor_id": visitor.visitor_id,
                                                      "chat_id": ids[0]}) == "consent_required"
    before = len(lee.raw)

    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    listed = await lee.ok("visitor.earlier_chats", {"visitor_id": visitor.visitor_id, "limit": 1})
    assert listed["next_cursor"] is not None
    await consent(visitor, "visitor_insights", granted=False, method="widget_settings")
    # The withdrawal reaches the desks at once (visitor.upsert without insights), and the next page,
    # the next listing and the next opening are refused.
    pushed = await lee.push("visitor.upsert", lambda p: p["visitor"]["id"] == visitor.visitor_id
                            and not p["visitor"]["consent"]["visitor_insights"])
    assert pushed["visitor"]["insights"] is None
    assert await lee.refused("visitor.earlier_chats", {"visitor_id": visitor.visitor_id,
                                                       "cursor": listed["next_cursor"]}) == "consent_required"
    assert await lee.refused("visitor.earlier_chats", {"visitor_id": visitor.visitor_id}) == NO_CONSENT
    assert await lee.refused("visitor.earlier_chat", {"visitor_id": visitor.visitor_id,
                                                      "chat_id": ids[0]}) == "consent_required"
    # Since the chats (whose messages every desk heard while they waited), the operator received a first
    # line in the one answer given under the consent, and in no other frame.
    carrying = [frame for frame in lee.raw[before:] if "Question" in frame]
    assert len(carrying) == 1 and '"first_line":"Question 1"' in carrying[0]
    for client in (ann, lee, visitor):
        await client.close()
