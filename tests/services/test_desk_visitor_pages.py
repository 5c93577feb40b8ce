"""A desk resyncs a site too large for one frame: every page of the visitor snapshot, then one reset,
then the pushes that arrived while it paged, in order."""

from __future__ import annotations

import pytest

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Page
from operator_desk.server.hub import LiveVisitor
from operator_desk.services.events import VisitorsChanged
from tests.kit.desks import Events, signed_in


def _online(server, numbers) -> None:
    """Visitors put straight into the server's live state (as many sockets would, only faster)."""
    for n in numbers:
        visitor = LiveVisitor(id=f"v_{n:06d}", token_digest=f"t{n}", ip="192.0.2.1", language="en",
                              on_site_since=now_ts(),
                              page=Page(url=f"https://shop.example/tents/{n}", title="Tents " * 20))
        server.hub.visitors[visitor.id] = visitor


@pytest.mark.asyncio
async def test_a_desk_resyncs_2500_visitors(server, store, memory_keyring, desks):
    _online(server, range(2_500))
    hub = server.hub
    events = Events()
    desk = desks(server.url, events, store)
    request = desk.session.request
    pages = []

    async def paging_request(action, payload):
        answer = await request(action, payload)
        if action in ("visitors.subscribe", "visitors.list"):
            pages.append(len(answer.visitors))
        if action == "visitors.subscribe":
            # While the desk pages: one arrives, one already listed leaves. Pushed, held, applied after.
            _online(server, [999_999])
            hub.upsert_visitor(hub.visitors["v_999999"])
            hub._visitor_left(hub.visitors["v_000001"])
        return answer

    desk.session.request = paging_request
    await signed_in(desk, events)
    # The desk's feed sends the arrival at its next tick, the departure at once: wait for both.
    await events.until(lambda: any("v_000001" in e.removed for e in events.of(VisitorsChanged))
                       and any(v.id == "v_999999" for e in events.of(VisitorsChanged)[1:] for v in e.upserts))

    # v_000001 was in the first page, v_999999 arrived ahead of the cursor: both in the snapshot.
    assert len(pages) >= 3 and sum(pages) == 2_501
    changes = events.of(VisitorsChanged)
    resets = [e for e in changes if e.reset]
    assert len(resets) == 1 and changes[0] is resets[0]
    assert len({v.id for v in resets[0].upserts}) == len(resets[0].upserts) == 2_501
    after = changes[1:]
    assert [v.id for e in after for v in e.upserts] == ["v_999999"]
    assert [r for e in after for r in e.removed] == ["v_000001"]
    assert len(desk.visitors) == 2_500 and "v_000001" not in desk.visitors and "v_999999" in desk.visitors
