"""A clock stepped back between a grant and its withdrawal changes no decision: the latest consent
event is the latest recorded (its ``seq``), never the latest by the clock.

The server runs as a process under libfaketime (Debian's ``faketime``), its wall clock read from a
file the test rewrites: two hours back between grant and withdrawal. The monotonic clock is left
alone (asyncio's timers run on it). Before, the withdrawal was stamped before its grant and lost: after
a restart operators saw the visitor's IP and company again.
"""

from __future__ import annotations

import glob

import pytest

from tests.kit.clients import AsyncClient
from tests.kit.faults import skip_or_fail
from tests.kit.servers import ServerProcess
from tests.kit.visitors import notice_for

pytestmark = pytest.mark.asyncio

LIBFAKETIME = sorted(
    glob.glob("/usr/lib/*/faketime/libfaketime.so.1") + glob.glob("/usr/lib/faketime/libfaketime.so.1")
)
FROM = {"additional_headers": {"X-Forwarded-For": "192.0.2.5"}}


def faked_clock(tmp_path):
    if not LIBFAKETIME:
        skip_or_fail("libfaketime is not installed (Debian: apt install faketime)")
    offset = tmp_path / "faketime"
    offset.write_text("+0\n")
    env = {
        "LD_PRELOAD": LIBFAKETIME[0],
        "FAKETIME_TIMESTAMP_FILE": str(offset),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }
    return offset, env


async def test_a_withdrawal_stamped_before_its_grant_still_wins(tmp_path):
    offset, env = faked_clock(tmp_path)
    server = await ServerProcess(tmp_path / "data", env=env).start()
    clients = []
    try:
        operator = await AsyncClient.connect(server.operator_url)
        clients.append(operator)
        await operator.ok("auth.login", {"username": "operator", "password": "demo"})
        await operator.ok("visitors.subscribe")
        visitor = await AsyncClient.connect(server.visitor_url, **FROM)
        clients.append(visitor)
        visitor.hello = await visitor.ok("visitor.hello", {"page": {"url": "http://shop.example/"}})
        notice = notice_for(visitor, "visitor_insights")

        def consent(granted: bool) -> dict:
            return {"purpose": "visitor_insights", "granted": granted, "notice_id": notice["id"],
                    "notice_version": notice["version"], "method": "widget_settings"}

        grant = (await visitor.ok("consent.set", consent(True)))["consent"]
        await operator.push("visitor.upsert", lambda p: p["visitor"]["insights"] is not None)
        offset.write_text("-2h\n")  # the clock steps back two hours
        withdrawal = (await visitor.ok("consent.set", consent(False)))["consent"]
        assert withdrawal["at"] < grant["at"]  # the clock really stepped back
        assert withdrawal["seq"] > grant["seq"]
        hidden = await operator.push(
            "visitor.upsert", lambda p: not p["visitor"]["consent"]["visitor_insights"]
        )
        assert hidden["visitor"]["insights"] is None
        await visitor.ok("visitor.page", {"url": "http://shop.example/more"})
        moved = await operator.push("visitor.upsert", lambda p: p["visitor"]["page"]["url"].endswith("/more"))
        assert moved["visitor"]["insights"] is None  # live, the withdrawal holds

        # Read back from the database after a restart: still withdrawn.
        await server.restart()
        back = await AsyncClient.connect(server.visitor_url, **FROM)
        clients.append(back)
        hello = await back.ok("visitor.hello", {"page": {"url": "http://shop.example/"},
                                                "visitor_token": visitor.hello["visitor_token"]})
        assert hello["consent"]["visitor_insights"] is False
        lead = await AsyncClient.connect(server.operator_url)
        clients.append(lead)
        await lead.ok("auth.login", {"username": "lead", "password": "demo"})
        listed = (await lead.ok("visitors.subscribe"))["visitors"]
        assert [v["insights"] for v in listed if v["id"] == hello["visitor_id"]] == [None]
    finally:
        for client in clients:
            await client.close()
        await server.kill()
