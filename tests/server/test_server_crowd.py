"""The demo's crowd (``operator-desk --demo --simulate N``): visitors held in the hub itself, which a desk
sees as any visitor (listed, browsing, leaving, replaced by newcomers), consenting to nothing and never
stored."""

from __future__ import annotations

import pytest

from operator_desk.server import crowd
from tests.kit.accounts import PASSWORD
from tests.kit.clients import login
from tests.kit.servers import start


@pytest.mark.asyncio
async def test_a_crowd_is_listed_browses_and_comes_and_goes(tmp_path, monkeypatch):
    monkeypatch.setattr(crowd, "STAY_SECONDS", 1.0)   # so that some leave and arrive within the test
    async with await start(tmp_path, demo=True, crowd=300, crowd_page_changes=500) as server:
        await server.add_operator("ann", PASSWORD, "operator")
        ann = await login(server, "ann")
        listed = await ann.ok("visitors.subscribe", {"limit": 1000})
        assert len(listed["visitors"]) == 300 and listed["next_cursor"] is None
        assert all(v["name"] is None and v["insights"] is None for v in listed["visitors"])
        known = {v["id"] for v in listed["visitors"]}
        await ann.push("visitor.upsert",
                       lambda p: p["visitor"]["id"] in known and p["visitor"]["pages_viewed"] > 1)
        gone = await ann.push("visitor.left", lambda p: p["visitor_id"] in known)
        assert gone["visitor_id"] not in server.hub.visitors
        await ann.push("visitor.upsert", lambda p: p["visitor"]["id"] not in known)   # a newcomer
        assert server.crowd is not None and server.crowd.visitors == 300
        stored = await server.db.call(lambda conn: conn.execute("SELECT count(*) FROM visitors").fetchone())
        assert stored == (0,)
