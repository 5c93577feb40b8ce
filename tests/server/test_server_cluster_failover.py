"""Failover: two ``operator-desk-server serve --bus redis://...`` processes on one PostgreSQL database and
one real Redis. The node an operator is connected to is killed with SIGKILL in the middle of a chat with
a visitor connected to the other node; the operator signs in on the surviving node, is told
``resumed: false`` (that node never held the session: no silent gap), resyncs, and finds every message
once: what was acknowledged is stored, and the message whose answer the kill swallowed, sent again with
its ``client_msg_id``, is stored once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from operator_desk.server.embedded import DEMO_PASSWORD
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import ServerProcess
from tests.kit.visitors import arrive, waiting_chat

# A desk whose node is killed logs nothing here, but the surviving node may warn of the lost peer's
# half-open connections.
pytestmark = [pytest.mark.asyncio, pytest.mark.postgresql_only, pytest.mark.allow_log_warnings]


@pytest_asyncio.fixture
async def processes(tmp_path, redis_server) -> AsyncIterator[tuple[ServerProcess, ServerProcess]]:
    # One key file for the site, as on every node of docs/scaling.md's example.
    site_key = ("--key-file", str(tmp_path / "site.key"))
    nodes = [ServerProcess(tmp_path / f"{name}-data", args=("--bus", redis_server.url, *site_key))
             for name in "ab"]
    try:
        for node in nodes:
            await node.start()
        yield nodes[0], nodes[1]
    finally:
        for node in nodes:
            await node.stop()


def texts(messages: list[dict]) -> list[str]:
    return [m["text"] for m in messages]


async def test_an_operator_whose_node_is_killed_mid_chat_resumes_on_the_other_with_every_message_once(
    processes,
):
    a, b = processes
    desk = await login(b, "operator", DEMO_PASSWORD)
    await desk.ok("visitors.subscribe")
    visitor, chat = await waiting_chat(a, name="Vera", message="v1")
    await desk.push("chat.incoming", lambda p: p["chat"]["id"] == chat["id"])
    assert texts((await desk.ok("chat.accept", {"chat_id": chat["id"]}))["messages"]) == ["v1"]
    await desk.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "m1", "text": "m1"})
    assert (await visitor.push("chat.message"))["message"]["text"] == "m1"
    await visitor.ok("chat.send", {"client_msg_id": "v2", "text": "v2"})
    await desk.push("chat.message", lambda p: p["message"]["client_msg_id"] == "v2")

    # m2 is on its way when node B dies: its answer never comes, whether or not it was stored.
    await desk.send_raw('{"v":1,"type":"req","id":"m2-request","action":"chat.send","payload":'
                        f'{{"chat_id":"{chat["id"]}","client_msg_id":"m2","text":"m2"}}}}')
    await b.kill()
    await desk.closed
    await visitor.ok("chat.send", {"client_msg_id": "v3", "text": "v3"})   # said while no desk listens

    again = await AsyncClient.connect(a.operator_url)
    answer = await again.ok("auth.login", {"token": desk.login["token"], "resume": {
        "session_id": desk.login["session_id"], "last_seq": desk.pushes[-1]["seq"]}})
    assert answer["resumed"] is False   # node A never held that session: the desk resyncs
    mine = [c for c in (await again.ok("chats.list"))["chats"] if c["id"] == chat["id"]]
    assert [c["state"] for c in mine] == ["active"]
    # The desk's outbox sends m2 again, with its client_msg_id: stored once, whatever B did with it.
    await again.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "m2", "text": "m2"})
    resynced = texts((await again.ok("chat.accept", {"chat_id": chat["id"]}))["messages"])
    # m2 comes before v3 if node B stored it before it died, after v3 if node A stored it: once either way.
    assert Counter(resynced) == Counter(["v1", "m1", "v2", "m2", "v3"])
    assert [text for text in resynced if text != "m2"] == ["v1", "m1", "v2", "v3"]

    # The chat goes on across the surviving node, and the visitor heard each answer once.
    await again.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "m3", "text": "m3"})
    await visitor.push("chat.message", lambda p: p["message"]["text"] == "m3")
    await visitor.ok("chat.send", {"client_msg_id": "v4", "text": "v4"})
    await again.push("chat.message", lambda p: p["message"]["client_msg_id"] == "v4")
    await asyncio.sleep(0)
    heard = Counter(p["message"]["text"] for p in visitor.pushes_of("chat.message"))
    assert heard == Counter({"m1": 1, "m2": 1, "m3": 1})


async def test_a_visitor_whose_node_is_killed_mid_chat_carries_on_from_the_other(processes):
    """The visitor's own node dies: the widget reconnects (through nginx, to another node) with its
    token, finds its chat and what was said, and the chat goes on with the same operator."""
    a, b = processes
    desk = await login(b, "operator", DEMO_PASSWORD)
    await desk.ok("visitors.subscribe")
    visitor, chat = await waiting_chat(a, name="Vera", message="v1")
    await desk.push("chat.incoming", lambda p: p["chat"]["id"] == chat["id"])
    await desk.ok("chat.accept", {"chat_id": chat["id"]})
    await desk.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "m1", "text": "m1"})
    await visitor.push("chat.message", lambda p: p["message"]["text"] == "m1")

    await a.kill()
    await visitor.closed
    back = await arrive(b, token=visitor.hello["visitor_token"])
    assert back.hello["chat"]["id"] == chat["id"] and back.hello["chat"]["state"] == "active"
    assert texts(back.hello["messages"]) == ["v1", "m1"]
    await back.ok("chat.send", {"client_msg_id": "v2", "text": "v2"})
    await desk.push("chat.message", lambda p: p["message"]["client_msg_id"] == "v2")
    await desk.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "m2", "text": "m2"})
    assert (await back.push("chat.message"))["message"]["text"] == "m2"
    stored = texts((await desk.ok("chat.accept", {"chat_id": chat["id"]}))["messages"])
    assert stored == ["v1", "m1", "v2", "m2"]
