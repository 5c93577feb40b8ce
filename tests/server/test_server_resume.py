"""Gapless push numbering and resume after a dropped connection."""

from __future__ import annotations

import asyncio

import pytest

from tests.kit.accounts import PASSWORD
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import fast_settings, start
from tests.kit.timing import WAIT
from tests.kit.visitors import arrive


async def drop(client: AsyncClient) -> None:
    """Cut the TCP connection without a closing handshake, as a network failure would."""
    client.connection.transport.abort()
    await asyncio.wait_for(client.closed, WAIT)


@pytest.mark.asyncio
async def test_resume_replays_missed_pushes_without_gaps_or_duplicates(server):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    watcher = await login(server, "lee")  # tells us when the server has produced the pushes
    await watcher.ok("visitors.subscribe")
    visitor = await arrive(server)
    for index in range(3):
        await visitor.ok("visitor.page", {"url": f"http://shop.example/{index}", "title": f"before {index}"})
    await ann.push("visitor.upsert", lambda p: p["visitor"]["page"]["title"] == "before 2")
    seen = [p["seq"] for p in ann.pushes]
    assert seen == list(range(1, len(seen) + 1))
    await drop(ann)

    for index in range(4):
        await visitor.ok("visitor.page", {"url": f"http://shop.example/m{index}", "title": f"missed {index}"})
    await watcher.push("visitor.upsert", lambda p: p["visitor"]["page"]["title"] == "missed 3")

    again = await AsyncClient.connect(server.operator_url)
    response = await again.ok(
        "auth.login",
        {
            "token": ann.login["token"],
            "resume": {"session_id": ann.login["session_id"], "last_seq": seen[-1]},
        },
    )
    assert response["resumed"] is True and response["session_id"] == ann.login["session_id"]
    await again.push("visitor.upsert", lambda p: p["visitor"]["page"]["title"] == "missed 3")
    await visitor.ok("visitor.page", {"url": "http://shop.example/after", "title": "after"})
    await again.push("visitor.upsert", lambda p: p["visitor"]["page"]["title"] == "after")

    all_seqs = seen + [p["seq"] for p in again.pushes]
    assert all_seqs == list(range(1, len(all_seqs) + 1))
    titles = [
        p["payload"]["visitor"]["page"]["title"]
        for p in ann.pushes + again.pushes
        if p["action"] == "visitor.upsert"
    ]
    assert titles[-5:] == ["missed 0", "missed 1", "missed 2", "missed 3", "after"]
    # The response came before any replayed push.
    assert '"type":"res"' in again.raw[0]


@pytest.mark.asyncio
async def test_sessions_share_a_push_in_memory_and_each_resumes_with_its_own_seqs(server):
    ann = await login(server, "ann")
    await ann.ok("visitors.subscribe")
    early = await arrive(server)
    await ann.push("visitor.upsert", lambda p: p["visitor"]["id"] == early.visitor_id)
    lee = await login(server, "lee")   # subscribes later: its seqs run behind ann's
    await lee.ok("visitors.subscribe")
    clients = {"ann": ann, "lee": lee}
    last_seen = {name: client.pushes[-1]["seq"] if client.pushes else 0 for name, client in clients.items()}
    for client in clients.values():
        await drop(client)
    visitor = await arrive(server)
    for index in range(3):
        await visitor.ok("visitor.page", {"url": f"http://shop.example/{index}", "title": f"missed {index}"})

    sessions = [server.hub.sessions[client.login["session_id"]] for client in clients.values()]
    # One copy of each push the two sessions were both sent (the memory of twenty desks is one).
    assert sessions[0].replay.pushes[-1] is sessions[1].replay.pushes[-1]
    assert sessions[0].next_seq != sessions[1].next_seq
    for name, client in clients.items():
        again = await AsyncClient.connect(server.operator_url)
        response = await again.ok("auth.login", {"token": client.login["token"], "resume": {
            "session_id": client.login["session_id"], "last_seq": last_seen[name]}})
        assert response["resumed"] is True
        await again.push("visitor.upsert", lambda p: p["visitor"]["page"]["title"] == "missed 2")
        seqs = [p["seq"] for p in again.pushes]
        assert seqs == list(range(last_seen[name] + 1, last_seen[name] + 1 + len(seqs))), name
        titles = [p["payload"]["visitor"]["page"]["title"] for p in again.pushes
                  if p["payload"].get("visitor", {}).get("id") == visitor.visitor_id]
        assert titles[-3:] == ["missed 0", "missed 1", "missed 2"], name
        await again.close()


@pytest.mark.asyncio
async def test_resume_is_refused_when_the_buffer_no_longer_holds_the_pushes(tmp_path):
    async with await start(tmp_path, settings=fast_settings(replay_limit=2)) as server:
        await server.add_operator("ann", PASSWORD, "operator")
        ann = await login(server, "ann")
        await ann.ok("visitors.subscribe")
        await drop(ann)
        visitor = await arrive(server)
        for index in range(5):
            await visitor.ok("visitor.page", {"url": f"http://shop.example/{index}", "title": str(index)})
        again = await AsyncClient.connect(server.operator_url)
        response = await again.ok(
            "auth.login",
            {
                "token": ann.login["token"],
                "resume": {"session_id": ann.login["session_id"], "last_seq": 0},
            },
        )
        assert response["resumed"] is False
        assert response["session_id"] != ann.login["session_id"]
        assert (await again.ok("visitors.subscribe"))["visitors"][0]["page"]["title"] == "4"
        # A fresh session numbers from 1 again, and gets no stale pushes.
        await visitor.ok("visitor.page", {"url": "http://shop.example/new", "title": "new"})
        await again.push("visitor.upsert")
        assert [p["seq"] for p in again.pushes] == [1]


@pytest.mark.asyncio
async def test_resume_of_someone_elses_session_is_refused(server):
    ann = await login(server, "ann")
    ben = await AsyncClient.connect(server.operator_url)
    response = await ben.ok(
        "auth.login",
        {
            "username": "ben",
            "password": PASSWORD,
            "resume": {"session_id": ann.login["session_id"], "last_seq": 0},
        },
    )
    assert response["resumed"] is False and response["session_id"] != ann.login["session_id"]
    assert await ann.ok("ping") == {}


@pytest.mark.asyncio
async def test_shutdown_tells_sessions_to_reconnect_with_backoff(tmp_path):
    server = await start(tmp_path)
    await server.add_operator("ann", PASSWORD, "operator")
    ann = await login(server, "ann")
    await server.close()
    assert (await ann.push("session.closing"))["reconnect"] == "backoff"
    assert await asyncio.wait_for(ann.closed, WAIT) == 1001
