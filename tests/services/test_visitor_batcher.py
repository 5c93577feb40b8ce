"""Visitor changes reach the UI in batches: at most one event per window, latest state only."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.domain.model import Page, Visitor, VisitorState
from operator_desk.services.events import VisitorsChanged
from operator_desk.services.roster import VisitorBatcher


def visitor(n: int, page: str = "/") -> Visitor:
    return Visitor(id=f"v{n}", state=VisitorState.BROWSING, page=Page(url=f"https://s.example{page}"),
                   on_site_since="2026-11-29T10:00:00.123Z")


@pytest.mark.asyncio
async def test_a_thousand_updates_in_one_window_are_one_event():
    events: list[VisitorsChanged] = []
    arrived = asyncio.Event()
    batcher = VisitorBatcher(lambda e: (events.append(e), arrived.set()), window=0.02)
    for n in range(1000):
        batcher.upsert(visitor(n % 100, page=f"/{n}"))
    batcher.remove("v5")
    await asyncio.wait_for(arrived.wait(), 2)
    assert len(events) == 1
    (event,) = events
    assert len(event.upserts) == 99 and event.removed == ("v5",) and not event.reset
    assert {v.id: v.page.url for v in event.upserts}["v7"] == "https://s.example/907"


@pytest.mark.asyncio
async def test_reset_replaces_pending_changes_at_once():
    events: list[VisitorsChanged] = []
    batcher = VisitorBatcher(events.append, window=0.02)
    batcher.upsert(visitor(1))
    batcher.reset({"v2": visitor(2)})
    assert events == [VisitorsChanged(upserts=(visitor(2),), reset=True)]
    assert events[0].by_id == {"v2": visitor(2)}   # the list need not index the snapshot again
    await asyncio.sleep(0.05)  # the cancelled window must not fire with the superseded change
    assert len(events) == 1
