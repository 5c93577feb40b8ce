"""A full disk, for real: the data folder on a small tmpfs filled to the last byte (mounting needs root:
elsewhere these tests skip saying so, and CI, which runs as root with OPERATOR_DESK_REQUIRE_FAULTS=1,
fails instead of skipping). On PostgreSQL, whose disk is its own server's, the fault is the database
turning read-only under the server with its connections cut (as a standby after a failover):
``postgres.ReadOnly``. The rules are the same.

A write that fails is not half-done: the request is answered ``storage_unavailable``, nobody is told of
the change, the live state stays as it was (a retry really retries), and once space is back the server
stores again by itself. Before, ``chat.send`` answered ``internal``, operators had already been sent the
message, and a retry with the same ``client_msg_id`` answered ok from memory though nothing was stored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from operator_desk.server import repository
from tests.kit.accounts import PASSWORD
from tests.kit.clients import login
from tests.kit.faults import Disk, small_disk
from tests.kit.postgres import ReadOnly
from tests.kit.servers import fast_settings, start
from tests.kit.visitors import arrive, consent

pytestmark = [pytest.mark.asyncio, pytest.mark.allow_log_warnings]


@pytest.fixture
def disk(tmp_path: Path, database: str | None) -> Iterator[Disk | ReadOnly]:
    if database is not None:
        fault = ReadOnly(database, tmp_path)
        try:
            yield fault
        finally:
            fault.free()
        return
    with small_disk(tmp_path / "small-disk") as mounted:
        yield mounted


@pytest_asyncio.fixture
async def server(disk: Disk):
    # No checkpoint during a test: copying the write-ahead log into the file and starting it afresh
    # frees and reuses space, and a write after the fill could then really be stored.
    running = await start(disk.root, demo=True, settings=fast_settings(checkpoint_interval=3600.0))
    try:
        await running.add_operator("ann", PASSWORD, "operator", "Ann")
        yield running
    finally:
        await running.close()


async def chatting(server):
    ann = await login(server, "ann")
    ann_elsewhere = await login(server, "ann")  # ann's other device: hears of her messages by push
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Vera"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    return ann, ann_elsewhere, visitor, chat


async def stored_texts(server, chat_id: str) -> list[str]:
    """The chat's messages as stored (opened where the engine seals them)."""
    return [message.text for message in await server.db.call(repository.messages_of, chat_id)]


async def test_a_message_that_cannot_be_stored_is_refused_told_to_nobody_and_stored_once_later(server, disk):
    ann, elsewhere, visitor, chat = await chatting(server)
    disk.fill()
    send = {"chat_id": chat["id"], "client_msg_id": "m1", "text": "x" * 10_000}
    first = await ann.request("chat.send", send)
    assert first["ok"] is False and first["error"]["code"] == "storage_unavailable"
    retried = await ann.request("chat.send", send)  # the same client_msg_id: really tried again
    assert retried["ok"] is False and retried["error"]["code"] == "storage_unavailable"
    await visitor.ok("ping")
    await elsewhere.ok("ping")
    assert visitor.pushes_of("chat.message") == [] and elsewhere.pushes_of("chat.message") == []
    assert server.db.failed_batches >= 2

    disk.free()  # space is back: the server stores again by itself
    stored = await ann.ok("chat.send", send)
    again = await ann.ok("chat.send", send)
    assert stored["message"]["id"] == again["message"]["id"]
    assert (await visitor.push("chat.message"))["message"]["id"] == stored["message"]["id"]
    assert (await elsewhere.push("chat.message"))["message"]["id"] == stored["message"]["id"]
    assert await stored_texts(server, chat["id"]) == ["x" * 10_000]
    for client in (ann, elsewhere, visitor):
        await client.close()


async def test_a_withdrawal_that_cannot_be_stored_changes_nothing(server, disk):
    lead = await login(server, "ann")
    await lead.ok("visitors.subscribe")
    visitor = await arrive(server, ip="192.0.2.44")
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    await lead.push("visitor.upsert", lambda p: p["visitor"]["insights"] is not None)
    disk.fill()
    notice = next(n for n in visitor.hello["notices"] if "visitor_insights" in n["purposes"])
    withdrawal = {"purpose": "visitor_insights", "granted": False, "notice_id": notice["id"],
                  "notice_version": notice["version"], "method": "widget_settings"}
    assert await visitor.refused("consent.set", withdrawal) == "storage_unavailable"
    await lead.ok("ping")
    assert lead.pushes_of("consent.changed")[-1]["consent"]["granted"] is True  # no withdrawal was told
    live = server.hub.visitors[visitor.visitor_id]
    assert "visitor_insights" in live.granted and live.insights is not None  # as it was: a retry retries
    disk.free()
    assert (await visitor.ok("consent.set", withdrawal))["consent"]["granted"] is False
    assert (await lead.push("visitor.upsert", lambda p: p["visitor"]["insights"] is None))["visitor"]
    for client in (lead, visitor):
        await client.close()


async def test_a_full_disk_is_logged_as_a_summary_not_once_per_failure(server, disk, caplog):
    ann, elsewhere, visitor, chat = await chatting(server)
    disk.fill()
    caplog.set_level(logging.INFO)
    for n in range(30):
        send = {"chat_id": chat["id"], "client_msg_id": f"m{n}", "text": "x"}
        response = await ann.request("chat.send", send)
        assert response["error"]["code"] == "storage_unavailable"
    about_storage = [r for r in caplog.records if "not stored" in r.getMessage()]
    assert 1 <= len(about_storage) <= 4, [r.getMessage() for r in about_storage]
    assert not any(r.exc_info for r in about_storage)
    disk.free()
    for client in (ann, elsewhere, visitor):
        await client.close()
