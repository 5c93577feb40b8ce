"""The desk takes a feed it can take (issue 16): against the real server in-process, it subscribes as a
coalesced feed of what its visitor list shows. Many changes of a visitor reach it as one push with the
latest state; a consent withdrawal reaches it at once and takes the fields at once; the list's state
filter is the server's filter. The server's feed clock is in the test's hand: nothing is timed."""

from __future__ import annotations

import pytest

from operator_desk.domain.model import VisitorState
from operator_desk.protocol.messages import VisitorFilter
from operator_desk.services.events import VisitorsChanged
from tests.kit.desks import Events, signed_in
from tests.kit.feeds import hold_feed_clock
from tests.kit.visitors import consent


def session_of(server, desk):
    return server.hub.sessions[desk.session.session_id]


@pytest.mark.asyncio
async def test_the_desk_takes_a_coalesced_feed_and_a_withdrawal_at_once(
        server, store, memory_keyring, desks, visitors):
    clock = hold_feed_clock(server)
    events = Events()
    desk = desks(server.url, events, store)
    await signed_in(desk, events)
    feed = session_of(server, desk).feed
    assert feed is not None and feed.filter is None and feed.interval == desk.timing.visitor_feed

    visitor = await visitors(server, ip="203.0.113.9")
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    # A consent change is not held for the tick: the insights it allows are on the desk at once.
    await events.until(lambda: visitor.visitor_id in desk.visitors
                       and desk.visitors[visitor.visitor_id].insights is not None)
    sent_before = session_of(server, desk).next_seq
    for n in range(8):
        await visitor.ok("visitor.page", {"url": f"https://shop.example/p{n}", "title": f"page {n}"})
    assert session_of(server, desk).next_seq == sent_before   # held for the tick

    clock.tick()
    await events.until(lambda: desk.visitors[visitor.visitor_id].page.title == "page 7")
    assert session_of(server, desk).next_seq == sent_before + 1   # eight changes, one push
    pages = [v.page.title for e in events.of(VisitorsChanged) for v in e.upserts
             if v.id == visitor.visitor_id]
    assert "page 3" not in pages and pages[-1] == "page 7"

    await visitor.ok("visitor.page", {"url": "https://shop.example/held", "title": "held"})
    await consent(visitor, "visitor_insights", granted=False, method="widget_settings")
    # No tick: the withdrawal and the visitor's latest state came at once, without the insights.
    await events.until(lambda: desk.visitors[visitor.visitor_id].insights is None)
    assert desk.visitors[visitor.visitor_id].page.title == "held"
    sent = session_of(server, desk).next_seq
    clock.tick()   # nothing was left for the tick: the visitor is not sent again
    assert session_of(server, desk).next_seq == sent


@pytest.mark.asyncio
async def test_the_list_state_filter_is_what_the_server_sends(server, supervisor, visitors):
    desk, events = supervisor
    browsing = await visitors(server)
    waiting = await visitors(server)
    await consent(waiting, "chat", granted=True, method="prechat_form")
    await waiting.ok("chat.start", {"name": "Ada", "message": "Hello"})
    await events.until(lambda: browsing.visitor_id in desk.visitors
                       and desk.visitors.get(waiting.visitor_id) is not None
                       and desk.visitors[waiting.visitor_id].state is VisitorState.WAITING)

    await desk.show_visitor_states([VisitorState.WAITING])
    assert session_of(server, desk).feed.filter == VisitorFilter(states=(VisitorState.WAITING,))
    assert set(desk.visitors) == {waiting.visitor_id}   # a new snapshot of what the list shows
    await browsing.ok("visitor.page", {"url": "https://shop.example/elsewhere", "title": "elsewhere"})
    await waiting.ok("visitor.page", {"url": "https://shop.example/help", "title": "help"})
    await events.until(lambda: desk.visitors[waiting.visitor_id].page.title == "help")
    assert browsing.visitor_id not in desk.visitors   # its change came before the waiting one's: none

    await desk.show_visitor_states([])   # all states again
    assert session_of(server, desk).feed.filter is None
    assert desk.visitors[browsing.visitor_id].page.title == "elsewhere"
