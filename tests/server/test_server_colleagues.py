"""The demo's simulated colleagues: four operators of the demo team sign in through the real operator
endpoint, say they are available, and take the chats routing offers them, fairly."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.server.colleagues import COLLEAGUES, ColleaguePacing
from operator_desk.server.embedded import DEMO_TEAM
from tests.kit.clients import login
from tests.kit.servers import fast_settings, start
from tests.kit.visitors import arrive, consent

QUICK = ColleaguePacing(accept_min=0.0, accept_max=0.05, answer_delay=0.05, chat_min=30.0, chat_max=30.0,
                        let_pass=0.0)


@pytest.mark.asyncio
async def test_the_demo_team_of_five_gets_chats_routed_fairly(tmp_path):
    server = await start(tmp_path, demo=True, colleagues=True, colleague_pacing=QUICK,
                         settings=fast_settings())
    visitors = []
    try:
        sam = await login(server, "supervisor", "demo")
        olu = await login(server, "operator", "demo")   # the fifth: the person trying the demo
        await olu.ok("presence.set", {"status": "available"})
        names = {name for _, name in COLLEAGUES}

        # Each colleague says "available" once signed in: heard by the supervisor, or already listed.
        listed = {p["operator"]["name"] for p in (await sam.ok("presence.list"))["operators"]
                  if p["status"] == "available"}
        for name in names - listed:
            await sam.push("presence.changed", where=lambda p, n=name: p["operator"]["name"] == n
                           and p["status"] == "available")
        team = {m["name"]: m for m in (await sam.ok("team.status"))["operators"]}
        assert all(team[name]["status"] == "available" for name in names)
        assert {(await olu.ok("canned.list"))["team"]["id"]} == {DEMO_TEAM[0]}

        # Ten chats, one after the other: routing spreads them over the five, two each; Olu accepts
        # whatever is offered to them, the colleagues take theirs by themselves.
        for _ in range(10):
            visitor = await arrive(server)
            visitors.append(visitor)
            await consent(visitor, "chat", granted=True, method="prechat_form")
            chat_id = (await visitor.ok("chat.start", {"message": "Hello"}))["chat"]["id"]
            while server.hub.chats[chat_id].chat.state.value == "waiting":
                if any(p["chat_id"] == chat_id for p in olu.pushes_of("chat.offered")):
                    await olu.ok("chat.accept", {"chat_id": chat_id})
                    await olu.ok("chat.send", {"chat_id": chat_id, "client_msg_id": chat_id, "text": "Hi!"})
                await asyncio.sleep(0.01)
            # The visitor is greeted by whoever took it.
            greeting = await visitor.push("chat.message")
            assert greeting["message"]["author"] == "operator"
        counts = {p.operator.name: p.open_chats for p in server.hub.router.everyone()
                  if p.operator.name in names | {"Olu Operator"}}
        assert sorted(counts.values()) == [2, 2, 2, 2, 2], counts
    finally:
        await server.close()
