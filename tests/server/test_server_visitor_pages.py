"""The visitor snapshot in pages: ``visitors.subscribe`` answers the first page, ``visitors.list`` the
next ones, in id order, each frame well under the 256 KiB limit however long the URLs and titles."""

from __future__ import annotations

import json

import pytest

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Page
from operator_desk.protocol import MAX_FRAME_BYTES
from operator_desk.server.hub import LiveVisitor
from tests.kit.clients import login

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too


def _online(server, count: int, *, start: int = 0, long_every: int = 0) -> list[str]:
    """Visitors put straight into the hub's live state (thousands of sockets would only be slower).
    Every ``long_every``-th has a URL and title at their limits, with characters JSON must escape."""
    ids = []
    for n in range(start, start + count):
        long = long_every and n % long_every == 0
        page = Page(
            url="https://shop.example/" + ('"' * 2000 if long else f"p{n}"),
            title="\u0001" * 512 if long else "Tents",
        )
        visitor = LiveVisitor(
            id=f"v_{n:06d}",
            token_digest=f"t{n}",
            ip="192.0.2.1",
            language="en",
            on_site_since=now_ts(),
            page=page,
        )
        server.hub.visitors[visitor.id] = visitor
        ids.append(visitor.id)
    return ids


@pytest.mark.asyncio
async def test_a_large_site_comes_in_pages_without_gaps_or_duplicates(server):
    expected = _online(server, 2_400, long_every=7)
    ann = await login(server, "ann")

    first = await ann.ok("visitors.subscribe", {"limit": 1000})
    pages = [first]
    while pages[-1]["next_cursor"] is not None:
        if len(pages) == 2:
            # Meanwhile: one changes behind the cursor, one arrives ahead of it, and one ahead leaves.
            hub = server.hub
            _online(server, 1, start=999_999)
            hub.upsert_visitor(hub.visitors["v_999999"])
            hub.visitors["v_000000"].pages_viewed += 1
            hub.upsert_visitor(hub.visitors["v_000000"])
            hub._visitor_left(hub.visitors["v_002399"])
        pages.append(await ann.ok("visitors.list", {"cursor": pages[-1]["next_cursor"], "limit": 1000}))

    listed = [v["id"] for page in pages for v in page["visitors"]]
    assert listed == sorted(listed)
    assert len(listed) == len(set(listed))  # no duplicates
    assert set(listed) == set(expected) - {"v_002399"} | {"v_999999"}  # no gaps, and the changes
    # Every change after visitors.subscribe was pushed, in order (the page read later agrees).
    assert [
        (p["action"], p["payload"].get("visitor", {}).get("id") or p["payload"].get("visitor_id"))
        for p in ann.pushes
    ] == [("visitor.upsert", "v_999999"), ("visitor.upsert", "v_000000"), ("visitor.left", "v_002399")]
    # The long visitors make the byte cap, not the limit, end the pages.
    assert any(0 < len(page["visitors"]) < 1000 and page["next_cursor"] for page in pages)
    frames = [f for f in ann.raw if '"type":"res"' in f and '"visitors":' in f]
    assert len(frames) == len(pages)
    assert max(len(f.encode()) for f in frames) < MAX_FRAME_BYTES * 0.85
    await ann.close()


@pytest.mark.asyncio
async def test_small_sites_fit_in_one_page_and_limits_are_checked(server):
    _online(server, 3)
    ann = await login(server, "ann")
    answer = await ann.ok("visitors.subscribe")
    assert [v["id"] for v in answer["visitors"]] == ["v_000000", "v_000001", "v_000002"]
    assert answer["next_cursor"] is None
    two = await ann.ok("visitors.subscribe", {"limit": 2})
    assert [v["id"] for v in two["visitors"]] == ["v_000000", "v_000001"]
    rest = await ann.ok("visitors.list", {"cursor": two["next_cursor"], "limit": 2})
    assert [v["id"] for v in rest["visitors"]] == ["v_000002"] and rest["next_cursor"] is None
    assert await ann.refused("visitors.subscribe", {"limit": 1001}) == "bad_request"
    assert await ann.refused("visitors.list", {"limit": 5}) == "bad_request"  # the cursor is required
    assert json.loads(ann.raw[-1])["error"]["code"] == "bad_request"
    await ann.close()
