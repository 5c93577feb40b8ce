"""Presence is per page load and held in memory only: a visitor who asks for nothing gets a fresh id on
each page, linked to no other page or visit, and no row in the database; the visitor row comes with the
first thing that must be kept (a consent, a chat)."""

from __future__ import annotations

import pytest

from tests.kit.clients import login
from tests.kit.servers import database_text
from tests.kit.visitors import arrive, consent


@pytest.mark.asyncio
async def test_a_visitor_who_asks_for_nothing_is_present_in_memory_only(server):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    first = await arrive(server, url="http://shop.example/boots")
    seen = await ann.push("visitor.upsert", lambda p: p["visitor"]["id"] == first.visitor_id)
    assert seen["visitor"]["page"]["url"] == "http://shop.example/boots"
    assert first.hello["recognition_days"] == 30
    await first.close()
    # The next page load (the widget stores nothing, so it says hello without a token): someone new.
    second = await arrive(server, url="http://shop.example/tents")
    assert second.visitor_id != first.visitor_id
    stored = await database_text(server)
    assert first.visitor_id not in stored and second.visitor_id not in stored
    count = await server.db.call(lambda conn: conn.execute("SELECT count(*) FROM visitors").fetchone()[0])
    assert count == 0
    # Asking for something that must be kept brings the row, under this page's id.
    await consent(second, "chat", granted=True, method="prechat_form")
    assert second.visitor_id in await database_text(server)
