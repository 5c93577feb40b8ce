"""The visitor simulator drives the real visitor endpoint: distinct addresses, chats that answer."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from operator_desk.server.config import SimulatorPacing
from operator_desk.server.simulator import REPLIES, SimulatedVisitor, Simulator
from tests.kit.accounts import PASSWORD
from tests.kit.clients import login
from tests.kit.servers import start

BRISK = SimulatorPacing(think_min=0.2, think_max=0.4, reply_delay=0.05)


async def chat_with_someone(ann) -> dict:
    """Accept incoming simulated chats until one visitor answers (a simulated visitor may leave first)."""
    while True:
        incoming = await ann.push("chat.incoming", within=30)
        chat_id = incoming["chat"]["id"]
        assert incoming["visitor"]["name"]  # chat consent was granted, so the name is shown
        if not (await ann.request("chat.accept", {"chat_id": chat_id}))["ok"]:
            continue  # gone already
        sent = await ann.request("chat.send", {"chat_id": chat_id, "client_msg_id": "q1", "text": "Hello?"})
        if not sent["ok"]:
            continue
        try:
            return await ann.push(
                "chat.message",
                lambda p, chat_id=chat_id: (
                    p["chat_id"] == chat_id and p["message"]["client_msg_id"] is not None
                ),
                within=5,
            )
        except TimeoutError:
            continue


@pytest.mark.asyncio
async def test_simulated_visitors_browse_chat_and_answer(tmp_path):
    async with await start(tmp_path, demo=True, simulate=6, simulator_pacing=BRISK) as server:
        await server.add_operator("ann", PASSWORD, "operator")
        ann = await login(server, "ann")
        await ann.ok("visitors.subscribe")
        reply = await asyncio.wait_for(chat_with_someone(ann), 60)
        assert reply["message"]["author"] == "visitor" and reply["message"]["text"] in REPLIES
        with_insights = await ann.push(
            "visitor.upsert", lambda p: p["visitor"]["insights"] is not None, within=30
        )
        assert ipaddress_is_simulated(with_insights["visitor"]["insights"]["ip"])
        ips = {
            p["visitor"]["insights"]["ip"]
            for p in ann.pushes_of("visitor.upsert")
            if p["visitor"]["insights"]
        }
        assert "127.0.0.1" not in ips
        assert server.simulator.active <= 6
        await ann.close()
    assert server.simulator.active == 0  # stopped with the server


def ipaddress_is_simulated(ip: str) -> bool:
    import ipaddress

    from operator_desk.server.simulator import ADDRESS_POOLS

    return any(ipaddress.ip_address(ip) in ipaddress.ip_network(pool) for pool in ADDRESS_POOLS)


def test_simulator_refuses_a_remote_server():
    with pytest.raises(ValueError, match="loopback"):
        Simulator("ws://192.0.2.1:8765/v1/visitor", 5, BRISK)


class RepliesThenLeaves(SimulatedVisitor):
    """A visitor to whom an operator just wrote, who leaves while its reply waits out its delay."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.typing_answered = asyncio.Event()

    async def request(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        answer = await super().request(action, payload)
        if action == "chat.typing":   # the reply's first step: it waits out its delay next
            self.typing_answered.set()
        return answer

    async def _visit(self) -> None:
        await self.request("visitor.hello", {"page": {"url": "http://shop.example/", "title": "Shop"}})
        self._on_push("chat.message", {"message": {"author": "operator"}})
        await self.typing_answered.wait()


@pytest.mark.asyncio
async def test_a_simulated_visitor_that_leaves_stops_its_pending_reply(tmp_path):
    # Without it the reply, once its delay is over, sends a request no reader answers: the visitor's task
    # (and a demo's shutdown, which waits for it) waits forever.
    slow_reply = SimulatorPacing(think_min=1.0, think_max=1.0, reply_delay=3600.0)
    async with await start(tmp_path) as server:
        visitor = RepliesThenLeaves(server.visitor_url, 1, slow_reply, random.Random(1), None)
        await asyncio.wait_for(visitor.run(), 30)   # a guard against a hang, not a timing
        assert not visitor._tasks
