"""Whatever a visitor can make grow is bounded: a flood of any action on one socket is answered
``rate_limited`` and then closed; new visitors per address are limited (each is a stored row); the
buffers that hold pushes are bounded in bytes as well as in number, and an open chat is not held whole.

Before, one visitor on one socket stored 32,295 messages in 50 s, took the server from 56 MB to 1,296 MB
and sent 5.8 GB to operators; 10,270 ``visitor.hello`` in 10 s left 10,270 stored visitors.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from operator_desk.domain.model import Author, Message
from operator_desk.protocol import PushFrames
from operator_desk.protocol.messages import Empty
from operator_desk.server.config import Limits
from operator_desk.server.guard import Guard
from operator_desk.server.hub import RECENT_SENDS, LiveChat, ReplayBuffer
from tests.kit.clients import AsyncClient, login
from tests.kit.frames import request_frame
from tests.kit.timing import WAIT
from tests.kit.visitors import arrive, consent


async def count(server, sql: str) -> int:
    return (await server.db.call(lambda conn: conn.execute(sql).fetchone()))[0]


async def flood(client: AsyncClient, frames: list[str]) -> list[str]:
    """Send every frame without waiting, then the codes of the answers that came before the close."""
    for frame in frames:
        try:
            await client.send_raw(frame)
        except Exception:  # closed under us: that is the point
            break
    await asyncio.wait_for(client.closed, WAIT)
    answers = [json.loads(f) for f in client.raw if '"type":"res"' in f]
    return [a["error"]["code"] if not a["ok"] else "ok" for a in answers if str(a["id"]).startswith("f")
            or a["id"] is None]


ADDRESS = "198.51.100.99"


def request(action: str, payload: dict, n: int) -> str:
    return request_frame(f"f{n}", action, payload)


@pytest.mark.asyncio
async def test_one_visitor_flooding_messages_is_refused_then_closed_and_stores_a_bounded_number(server):
    ann = await login(server, "ann")
    visitor = await arrive(server, ip="203.0.113.77")
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Flo"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    codes = await flood(visitor, [request("chat.send", {"client_msg_id": f"m{n}", "text": "x" * 5000}, n)
                                  for n in range(2000)])
    assert visitor.closed.result() == 1008
    assert codes.count("ok") <= Limits().messages_burst + 10  # the burst, and the trickle of its rate
    assert "rate_limited" in codes
    stored = await count(server, "SELECT count(*) FROM messages")
    assert stored == codes.count("ok") <= 30
    await ann.ok("ping")
    assert len(ann.pushes_of("chat.message")) == stored


@pytest.mark.asyncio
async def test_a_request_over_the_connections_rate_is_refused_with_its_id(server):
    """Refused before it is decoded, it used to be answered with ``"id": null``: a client waiting for
    that request could not tell the refusal was its answer and waited until its own timeout."""
    visitor = await AsyncClient.connect(server.visitor_url)
    await flood(visitor, [request("ping", {}, n) for n in range(2000)])
    refusals = [json.loads(f) for f in visitor.raw if '"rate_limited"' in f]
    assert len(refusals) == Limits().refusals_before_close
    assert all(str(refusal["id"]).startswith("f") for refusal in refusals)


@pytest.mark.asyncio
async def test_a_flood_of_malformed_frames_is_bounded_too(server):
    visitor = await AsyncClient.connect(server.visitor_url)
    codes = await flood(visitor, ["not json"] * 2000)
    assert visitor.closed.result() == 1008
    assert codes.count("bad_request") <= Limits().requests_burst + 10
    assert codes.count("rate_limited") == Limits().refusals_before_close


@pytest.mark.asyncio
async def test_new_visitors_per_address_are_bounded(server):
    made = 0
    refused = 0
    for n in range(60):
        forwarded = {"X-Forwarded-For": ADDRESS}
        client = await AsyncClient.connect(server.visitor_url, additional_headers=forwarded)
        response = await client.request("visitor.hello", {"page": {"url": f"http://shop.example/{n}"}})
        made += response["ok"]
        refused += not response["ok"] and response["error"]["code"] == "rate_limited"
        await client.close()
    assert made <= Limits().new_visitors_burst + 1 and refused >= 60 - made
    # Each would be live state, and a stored row with its first consent: bounded either way.
    assert await count(server, "SELECT count(*) FROM visitors") <= made
    other = await arrive(server, ip="192.0.2.200")  # another address is not affected
    assert other.visitor_id


def test_the_limits_remember_a_bounded_number_of_visitors_and_addresses(monkeypatch):
    from operator_desk.server import guard as guard_module

    monkeypatch.setattr(guard_module, "MAX_TRACKED", 1000)
    guard = Guard(Limits(), clock=lambda: 0.0)
    for n in range(20_000):
        budget = guard.budget(f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        guard.admit_frame(budget)
        guard.admit_action(budget, "chat.send", f"v{n}")
    assert len(guard._addresses) == 1000 and len(guard._visitors) == 1000


def test_a_replay_buffer_is_bounded_in_bytes():
    buffer = ReplayBuffer()
    push = PushFrames("ping", Empty())   # what the frames hold does not matter here: their size does
    for n in range(1000):
        buffer.append(push, n + 1, 10_000, float(n), "v1", limit=5000, horizon=0.0, max_bytes=1_000_000)
    assert buffer.bytes <= 1_000_000 and len(buffer) == 100
    buffer.append(push, 1001, 2_000_000, 1000.0, "v1", limit=5000, horizon=0.0, max_bytes=1_000_000)
    assert len(buffer) == 0 and buffer.bytes == 0  # one push larger than the bound is not kept


def test_an_open_chat_holds_its_last_messages_not_all():
    from operator_desk.domain.model import Chat, ChatState

    at = "2026-01-01T00:00:00.000Z"
    live = LiveChat(chat=Chat(id="c", visitor_id="v", state=ChatState.ACTIVE, started_at=at))
    for n in range(5000):
        live.remember(Message(id=f"m{n}", chat_id="c", client_msg_id=f"k{n}", author=Author.VISITOR,
                              text="x" * 100, at=at))
    assert len(live.messages) == 100 and len(live.sent) == RECENT_SENDS
    assert live.messages[-1].id == "m4999" and ("visitor", "k4999") in live.sent
