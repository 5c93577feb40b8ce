"""A SIGKILL of the server between the commit of a change and the delivery of its event loses
nothing, and duplicates nothing a receiver would apply twice: the event is sent again after the restart
with the same ``Webhook-Id`` (its idempotency key) and the same body."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.kit.servers import ServerProcess
from tests.kit.tls import TestCA
from tests.kit.visitors import arrive, consent
from tests.kit.webhooks import WebhookReceiver, receiver_config

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

SECRET = b"crm-shared-secret-0123456789abcdef"


async def test_a_kill_between_commit_and_delivery_loses_and_doubles_nothing(tmp_path):
    ca = TestCA(tmp_path / "ca")
    with WebhookReceiver(ca) as crm:
        config = tmp_path / "site.toml"
        config.write_text(receiver_config([{"name": "crm", "url": crm.url, "purposes": ["chat"],
                                            "secret": SECRET, "ca": ca.cafile}], tmp_path), encoding="utf-8")
        # The receiver takes the first event in and does not answer: the server is waiting for its
        # answer when it is killed, so it never records the delivery.
        crm.hold = threading.Event()
        server = await ServerProcess(tmp_path / "data", args=("--config", str(config))).start()
        try:
            visitor = await arrive(server)
            await consent(visitor, "chat", granted=True, method="prechat_form")
            await asyncio.to_thread(crm.wait_for, lambda events: len(events) == 1)
            # Committed (answered ok) while the first delivery hangs: their events wait in the outbox.
            await visitor.ok("chat.start", {"name": "Kim Kill", "message": "still there?"})
            await visitor.ok("chat.end")
            await server.kill()
            crm.hold.set()
            crm.hold = None
            await visitor.close()

            await server.start()
            events = await asyncio.to_thread(
                crm.wait_for, lambda events: [e["type"] for e in events][-1:] == ["chat.ended"])
        finally:
            await server.stop()

    ids = [e["id"] for e in events]
    assert [e["type"] for e in events] == ["consent.granted", "consent.granted", "chat.ended"]
    assert ids[0] == ids[1] and crm.received[0].body == crm.received[1].body  # the same event again
    applied = {e["id"]: e for e in events}  # what a receiver applying by idempotency key keeps
    assert [e["type"] for e in applied.values()] == ["consent.granted", "chat.ended"]
    assert "Kim Kill" in crm.received[-1].body.decode()
