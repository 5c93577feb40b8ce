"""Transcript review through the desk against the real server and a real encrypted cache: a search
merges the server's results and the cache's without duplicates and says where each came from; with the
server down it searches the cache; every opening leaves an entry in both audit logs (a cache reading
reaches the server's log when it is back); an operator is refused what is for leads; a lead watches a
live chat read-only."""

from __future__ import annotations

import msgspec
import pytest

from operator_desk.domain.model import ChatState, Message
from operator_desk.protocol.messages import AuditListRequest
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import (
    ChatArrived,
    ConnectionChanged,
    ConnectionState,
    ObservedChatChanged,
    SignedIn,
)
from operator_desk.services.review import ReviewQuery, Source
from operator_desk.store import CacheAuditQuery
from tests.kit.desks import Events, signed_in
from tests.kit.servers import start_demo
from tests.kit.visitors import consent

pytestmark = pytest.mark.asyncio


async def chat_on(desk, events, visitors, server, text: str, *, close: bool = True) -> str:
    """A visitor's chat that ``desk`` accepts (and so caches), answered once; closed unless told not."""
    visitor = await visitors(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    mark = len(events.log)
    chat_id = (await visitor.ok("chat.start", {"name": "Ada Lovelace", "message": text}))["chat"]["id"]
    await events.wait_for(ChatArrived, lambda e: e.chat.id == chat_id, after=mark)
    await desk.accept_chat(chat_id)
    await desk.send_message(chat_id, "Let me look into it")
    if close:
        await desk.close_chat(chat_id)
    await desk.flush()
    return chat_id


async def everything(search) -> list:
    rows = []
    while True:
        page = await search.next_page()
        rows.extend(page.rows)
        if not search.more:
            return rows


async def cache_only_chat(store, chat_id: str, text: str) -> None:
    """A chat this desk holds that the server does not (any more): kept here longer, say."""
    from operator_desk.domain.model import Author, Chat

    await store.upsert_chats([Chat(id=chat_id, visitor_id="v-gone", state=ChatState.CLOSED, operator_id=None,
                                   started_at="2026-11-20T09:00:00.000Z",
                                   closed_at="2026-11-20T09:10:00.000Z")])
    await store.upsert_messages([Message(id=f"{chat_id}-m1", chat_id=chat_id, author=Author.VISITOR,
                                         author_name="", text=text, at="2026-11-20T09:00:01.000Z")])


async def server_audit(desk, action: str) -> list:
    return list((await desk.review.server_audit(AuditListRequest(action=action))).entries)


async def local_openings(store) -> list[tuple[str, str]]:
    """(chat id, action) of this desk's audit entries about openings, oldest first."""
    found = []
    for action in ("transcripts.get", "transcripts.read_cached"):
        entries = (await store.audit_page(CacheAuditQuery(action=action))).entries
        found.extend((entry.seq, entry.detail["chat_id"], action, entry.subject) for entry in entries)
    return [(chat_id, action) for _, chat_id, action, _ in sorted(found)]


async def local_subjects(store) -> list[str | None]:
    entries = (await store.audit_page(CacheAuditQuery())).entries
    return [e.subject for e in entries if e.action in ("transcripts.get", "transcripts.read_cached")]


async def test_a_search_merges_server_and_cache_once_each_and_every_opening_is_audited_twice(
        server, store, memory_keyring, desks, visitors):
    events, other_events = Events(), Events()
    operator = desks(server.url, other_events, None, profile="operator")
    await signed_in(operator, other_events, "operator")
    # Before the lead signs in: the lead's desk never saw it waiting, so only the server has it.
    theirs = await chat_on(operator, other_events, visitors, server, "I want a refund")
    lead = desks(server.url, events, store)
    await signed_in(lead, events, "lead")
    mine = await chat_on(lead, events, visitors, server, "A refund for my tent")
    await cache_only_chat(store, "c-kept-here", "refund for the old order")
    await chat_on(lead, events, visitors, server, "Do the boots come in 46?")

    rows = await everything(lead.review.search(ReviewQuery(text="refund", limit=2)))
    sources = {row.summary.id: row.source for row in rows}
    assert sources == {theirs: Source.SERVER, mine: Source.BOTH, "c-kept-here": Source.CACHE}
    assert len(rows) == 3
    merged = {row.summary.id: row.summary for row in rows}
    assert merged[mine].operator_name == "Lee Lead"   # the server's summary, not the cache's
    assert [merged[theirs].snippet[a:b] for a, b in merged[theirs].highlights] == ["refund"]

    opened = await lead.review.open(theirs)
    assert opened.source is Source.SERVER
    assert [m.text for m in opened.transcript.messages][:1] == ["I want a refund"]
    kept = await lead.review.open("c-kept-here", Source.CACHE)
    assert kept.source is Source.CACHE and kept.transcript.messages[0].text == "refund for the old order"

    supervisor = desks(server.url, Events(), None, profile="supervisor")
    await signed_in(supervisor, supervisor._sink, "supervisor")
    served = [e.detail["chat_id"] for e in await server_audit(supervisor, "transcripts.get")]
    assert theirs in served
    read_here = [e.detail["chat_id"] for e in await server_audit(supervisor, "transcripts.read_cached")]
    assert read_here == ["c-kept-here"]
    assert await local_openings(store) == [(theirs, "transcripts.get"),
                                           ("c-kept-here", "transcripts.read_cached")]
    # No personal data in the local entries: the subject is a pseudonym, not the visitor id.
    subjects = await local_subjects(store)
    assert len(subjects) == 2 and all(s and not s.startswith("v") for s in subjects)


async def test_offline_the_cache_answers_and_the_server_hears_of_the_reading_when_back(
        tmp_path, store, memory_keyring, desks, visitors):
    data = tmp_path / "server-data"
    running = await start_demo(data)
    port = running.port
    events = Events()
    lead = desks(running.url, events, store)
    await signed_in(lead, events, "lead")
    mine = await chat_on(lead, events, visitors, running, "The refund never came")
    other = await chat_on(lead, events, visitors, running, "Where is my parcel?")

    await running.close()
    await events.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.RECONNECTING)
    search = lead.review.search(ReviewQuery(text="refund"))
    page = await search.next_page()
    assert page.offline
    assert [(row.summary.id, row.source) for row in page.rows] == [(mine, Source.CACHE)]
    everything_here = await lead.review.search(ReviewQuery()).next_page()
    assert {row.summary.id for row in everything_here.rows} == {mine, other}
    opened = await lead.review.open(mine)
    assert opened.source is Source.CACHE
    assert [m.text for m in opened.transcript.messages] == ["The refund never came", "Let me look into it"]
    assert await local_openings(store) == [(mine, "transcripts.read_cached")]

    mark = len(events.log)
    running = await start_demo(data, port=port)
    try:
        await events.wait_for(SignedIn, after=mark)
        supervisor = desks(running.url, Events(), None, profile="supervisor")
        await signed_in(supervisor, supervisor._sink, "supervisor")
        reported = await server_audit(supervisor, "transcripts.read_cached")
        assert [e.detail["chat_id"] for e in reported] == [mine]
        assert reported[0].actor_name == "Lee Lead"
        # Reported once: another sign-in does not report it again.
        assert await lead.review.report_cache_views() == 0
    finally:
        await lead.close()
        await running.close()


async def test_an_operator_reviews_only_their_own_chats_and_gets_no_team_report(
        server, store, memory_keyring, desks, visitors):
    lead_events, events = Events(), Events()
    lead = desks(server.url, lead_events, None, profile="lead")
    await signed_in(lead, lead_events, "lead")
    theirs = await chat_on(lead, lead_events, visitors, server, "refund for the lead's chat")
    operator = desks(server.url, events, store, profile="operator")
    await signed_in(operator, events, "operator")
    own = await chat_on(operator, events, visitors, server, "refund for the operator's chat")

    rows = await everything(operator.review.search(ReviewQuery(text="refund")))
    assert [row.summary.id for row in rows] == [own]
    with pytest.raises(DeskError) as refused:
        await operator.review.open(theirs)
    assert refused.value.code is FailureCode.FORBIDDEN
    for call in (operator.review.team_status(), operator.review.daily_report(
            ("2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z")), operator.review.reviews(own),
            operator.review.observe(own)):
        with pytest.raises(DeskError) as refused:
            await call
        assert refused.value.code is FailureCode.FORBIDDEN


async def test_reviews_are_shared_by_the_team(server, memory_keyring, desks, visitors):
    events, other = Events(), Events()
    lead = desks(server.url, events, None, profile="lead")
    await signed_in(lead, events, "lead")
    chat_id = await chat_on(lead, events, visitors, server, "My tent leaks")
    review = await lead.review.add_review(chat_id, 4, "Friendly <b>and</b> quick")
    assert review.rating == 4
    with pytest.raises(DeskError) as refused:
        await lead.review.add_review(chat_id, None, "   ")
    assert refused.value.code is FailureCode.BAD_REQUEST
    supervisor = desks(server.url, other, None, profile="supervisor")
    await signed_in(supervisor, other, "supervisor")
    assert [(r.author_name, r.rating, r.note) for r in await supervisor.review.reviews(chat_id)] == [
        ("Lee Lead", 4, "Friendly <b>and</b> quick")]


async def test_a_lead_watches_a_live_chat_read_only_until_it_closes(server, store, memory_keyring, desks,
                                                                     visitors):
    events, lead_events = Events(), Events()
    operator = desks(server.url, events, None, profile="operator")
    await signed_in(operator, events, "operator")
    chat_id = await chat_on(operator, events, visitors, server, "Hello there", close=False)
    lead = desks(server.url, lead_events, store, profile="lead")
    await signed_in(lead, lead_events, "lead")

    watched = await lead.review.observe(chat_id)
    assert [m.text for m in watched.messages] == ["Hello there", "Let me look into it"]
    await operator.send_message(chat_id, "Found it: here is the link")
    arrived = await lead_events.wait_for(ObservedChatChanged, lambda e: e.messages)
    assert [m.text for m in arrived.messages] == ["Found it: here is the link"]
    await operator.close_chat(chat_id)
    closed = await lead_events.wait_for(ObservedChatChanged, lambda e: e.chat is not None
                                        and e.chat.state is ChatState.CLOSED)
    assert closed.chat_id == chat_id
    assert chat_id not in lead.review.observing
    # Watching is no part of the lead's own desk: not their chat, not in their cache.
    assert chat_id not in lead.chats and await store.get_chat(chat_id) is None
    supervisor = desks(server.url, Events(), None, profile="supervisor")
    await signed_in(supervisor, supervisor._sink, "supervisor")
    watches = await server_audit(supervisor, "chat.observe")
    assert [(e.actor_name, e.detail["chat_id"]) for e in watches] == [("Lee Lead", chat_id)]


async def test_the_team_status_and_the_daily_report_count_the_day(server, memory_keyring, desks, visitors):
    events = Events()
    lead = desks(server.url, events, None, profile="lead")
    await signed_in(lead, events, "lead")
    await chat_on(lead, events, visitors, server, "First")
    await chat_on(lead, events, visitors, server, "Second", close=False)
    status = await lead.review.team_status()
    me = next(m for m in status.operators if m.name == "Lee Lead")
    assert me.sessions == 1 and len(me.open_chats) == 1
    report = await lead.review.daily_report(("2000-01-01T00:00:00.000Z", "2100-01-01T00:00:00.000Z"))
    assert report.total.chats == 2 and report.total.accepted == 2
    assert msgspec.to_builtins(report.operators[0])["name"] == "Lee Lead"
