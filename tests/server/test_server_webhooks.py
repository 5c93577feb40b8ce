"""Webhooks (docs/webhooks.md): real HTTPS receivers (``http.server`` on loopback, a test CA) get
what the visitor's consents cover, signed, in order, and the withdrawal and erasure that follow it."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from webhook_site import (
    EMAIL,
    NAME,
    PHONE,
    QUESTION,
    SECRET,
    chat_with_details,
    kinds,
    section,
    started,
    until,
)

from operator_desk.server.embedded import RunningServer
from operator_desk.server.webhooks import outbox, signing
from tests.kit.cases import erase_with_approval
from tests.kit.clients import login
from tests.kit.servers import database_text, server_command
from tests.kit.visitors import arrive, consent
from tests.kit.webhooks import WebhookReceiver

pytestmark = pytest.mark.asyncio

@dataclass
class Site:
    server: RunningServer
    crm: WebhookReceiver  # serves chat and contact_details
    newsletter: WebhookReceiver  # serves chat only
    analytics: WebhookReceiver  # serves visitor_insights only


@pytest_asyncio.fixture
async def site(tmp_path: Path, webhook_receivers: Callable[..., WebhookReceiver]) -> AsyncIterator[Site]:
    crm, news, stats = webhook_receivers("crm"), webhook_receivers("news"), webhook_receivers("stats")
    running = await started(tmp_path, [
        crm.entry("crm", ["chat", "contact_details"], SECRET),
        news.entry("newsletter", ["chat"], SECRET + b"n"),
        stats.entry("analytics", ["visitor_insights"], SECRET + b"a", events=["chat.ended"]),
    ])
    try:
        yield Site(running, crm, news, stats)
    finally:
        await running.close()


async def test_consented_fields_arrive_signed_and_unconsented_ones_never_do(site):
    visitor, _ann, chat_id = await chat_with_details(site.server)
    crm = await until(site.crm, lambda e: "chat.ended" in kinds(e))
    news = await until(site.newsletter, lambda e: "chat.ended" in kinds(e))

    # The CRM serves chat and contact_details: the consents, the details, and the transcript with them.
    # In the order they were committed: chat consent, contact_details consent, the details, the end.
    assert kinds(crm) == ["consent.granted", "consent.granted", "details.received", "chat.ended"]
    ended = crm[-1]
    chat = section(ended, "chat")
    assert chat["data"]["name"] == NAME and chat["data"]["email"] == EMAIL
    assert chat["data"]["chat"]["id"] == chat_id
    assert chat["data"]["chat"]["messages"][0]["text"] == QUESTION
    receipt = chat["receipt"]
    assert receipt["notice_id"] == "prechat-en" and len(receipt["notice_sha256"]) == 64
    assert section(ended, "contact_details")["data"]["details"][0]["values"] == {"phone": PHONE}
    assert section(crm[2], "contact_details")["data"]["details"][0]["values"] == {"phone": PHONE}

    # The newsletter serves chat only: never the phone number, nor the contact_details consent.
    assert kinds(news) == ["consent.granted", "chat.ended"]
    assert all(PHONE not in r.body.decode() for r in site.newsletter.received)
    assert section(news[-1], "contact_details") is None and section(news[-1], "chat") is not None
    # Each receiver knows the person by its own pseudonym, never the server's visitor id.
    assert news[-1]["person"] != ended["person"]
    bodies = [r.body.decode() for r in site.crm.received + site.newsletter.received]
    assert all(visitor.visitor_id not in body for body in bodies)

    # The analytics receiver serves visitor_insights, which the visitor never granted: nothing at all.
    assert site.analytics.received == []

    # Signed over the timestamp and the body, with the event id as the idempotency key.
    for got in site.crm.received:
        assert got.headers["Webhook-Id"] == got.event["id"]
        assert signing.verify(SECRET, got.headers["Webhook-Timestamp"], got.headers["Webhook-Signature"],
                              got.body, time.time())
        assert not signing.verify(SECRET + b"x", got.headers["Webhook-Timestamp"],
                                  got.headers["Webhook-Signature"], got.body, time.time())


async def test_a_withdrawal_stops_later_data_and_is_sent_to_those_who_had_it(site):
    visitor, ann, _ = await chat_with_details(site.server)
    await until(site.crm, lambda e: "chat.ended" in kinds(e))
    await consent(visitor, "contact_details", granted=False, method="widget_settings")
    crm = await until(site.crm, lambda e: "consent.withdrawn" in kinds(e))
    withdrawn = crm[-1]
    assert withdrawn["consent"]["purpose"] == "contact_details" and withdrawn["consent"]["granted"] is False
    # The newsletter never had contact details: it hears nothing of their withdrawal.
    await until(site.newsletter, lambda e: "chat.ended" in kinds(e))

    # A later chat: the CRM still gets the transcript (chat is granted), never details again.
    chat = (await visitor.ok("chat.start", {"message": "one more question"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await visitor.ok("chat.end")
    crm = await until(site.crm, lambda e: kinds(e).count("chat.ended") == 2)
    assert section(crm[-1], "chat") is not None and section(crm[-1], "contact_details") is None

    # Withdrawing chat consent: the CRM and the newsletter are told; later no chat reaches them.
    await consent(visitor, "chat", granted=False, method="widget_settings")
    await until(site.crm, lambda e: kinds(e).count("consent.withdrawn") == 2)
    news = await until(site.newsletter, lambda e: "consent.withdrawn" in kinds(e))
    assert news[-1]["consent"]["purpose"] == "chat"
    assert "consent.withdrawn" not in kinds(site.newsletter.events()[:-1])


async def test_an_erasure_reaches_every_receiver_that_had_data_and_is_confirmed(site):
    visitor, _ann, _ = await chat_with_details(site.server)
    crm = await until(site.crm, lambda e: "chat.ended" in kinds(e))
    news = await until(site.newsletter, lambda e: "chat.ended" in kinds(e))
    sue, sam = await login(site.server, "sue"), await login(site.server, "sam")
    # The subject's record names the receivers that hold data about them, and what they serve.
    found = (await sue.ok("subjects.find", {"query": EMAIL}))["subjects"][0]
    assert found["receivers"] == [
        {"receiver": "crm", "purposes": ["chat", "contact_details"], "unconfirmed": 0},
        {"receiver": "newsletter", "purposes": ["chat"], "unconfirmed": 0}]

    erased = await erase_with_approval(sue, sam, visitor.visitor_id, "the person asked")
    assert erased["unconfirmed_receivers"] == ["crm", "newsletter"]

    crm = await until(site.crm, lambda e: "subject.erased" in kinds(e))
    news = await until(site.newsletter, lambda e: "subject.erased" in kinds(e))
    assert crm[-1]["person"] == crm[0]["person"] and news[-1]["person"] == news[0]["person"]
    # No data, only who, and why.
    assert set(crm[-1]) == {"version", "id", "type", "occurred_at", "person", "reason"}
    assert crm[-1]["reason"] == "request"
    assert site.analytics.received == []

    def confirmed(conn: Any) -> list[tuple[str, str]]:
        rows = conn.execute("SELECT receiver, state FROM webhook_outbox WHERE kind = 'subject.erased'")
        return sorted(rows)

    async def all_confirmed() -> bool:
        return await site.server.db.call(confirmed) == [("crm", "delivered"), ("newsletter", "delivered")]

    await asyncio.wait_for(site.server.hub.webhooks.until(all_confirmed), 20)
    # Supervisors see which receivers confirmed the erasure, under its pseudonym (the erasure case's).
    case = (await sue.ok("cases.list", {"state": "closed"}))["cases"][0]
    confirmations = (await sue.ok("webhooks.deliveries", {"erasure": case["visitor_id"]}))["deliveries"]
    assert [(d["receiver"], d["type"], d["state"]) for d in confirmations] == [
        ("crm", "subject.erased", "delivered"), ("newsletter", "subject.erased", "delivered")]
    assert all(d["delivered_at"] and d["erasure"] == case["visitor_id"] for d in confirmations)
    # Nothing about the person is left, the outbox included: no body, no visitor id, nothing queued.
    text = await database_text(site.server)
    assert "webhook_outbox" in text
    assert visitor.visitor_id not in text and NAME not in text and PHONE not in text


async def test_a_receiver_down_for_the_first_tries_gets_everything_once_in_order(tmp_path, webhook_receivers):
    crm = webhook_receivers()
    crm.refuse_next = [503, 503, 500, 503, 502]
    server = await started(tmp_path, [crm.entry("crm", ["chat", "contact_details"], SECRET)])
    try:
        _visitor, _ann, _ = await chat_with_details(server)
        expected = ["consent.granted", "consent.granted", "details.received", "chat.ended"]
        # Five refusals of the first event, then each event once.
        events = await until(crm, lambda e: len(e) == 9)
        accepted = [r.event for r in crm.received[5:]]
        assert kinds(accepted) == expected  # each once, in the order committed
        assert len(events) == 9 and len({e["id"] for e in events}) == 4
    finally:
        await server.close()


async def test_an_event_the_receiver_refuses_is_a_dead_letter_a_supervisor_retries_or_drops(
        tmp_path, webhook_receivers):
    crm = webhook_receivers()
    crm.refuse_next = [401]
    server = await started(tmp_path, [crm.entry("crm", ["chat"], SECRET)])
    sue, ann = await login(server, "sue"), await login(server, "ann")
    try:
        first = await arrive(server)
        await consent(first, "chat", granted=True, method="prechat_form")
        await until(crm, lambda e: len(e) == 1)

        async def dead_letters() -> list[dict[str, Any]]:
            return (await sue.ok("webhooks.deliveries", {"states": ["dead"]}))["deliveries"]

        async def dead() -> bool:
            return bool(await dead_letters())

        await asyncio.wait_for(server.hub.webhooks.until(dead), 20)
        letters = await dead_letters()
        assert [(d["type"], d["last_error"], d["attempts"]) for d in letters] == [
            ("consent.granted", "HTTP 401", 1)]
        assert "body" not in letters[0]
        # Only supervisors see or decide them.
        refused = await ann.request("webhooks.deliveries", {})
        assert refused["error"]["code"] == "forbidden"
        # The same person's next event waits behind the dead letter; another person's does not.
        await consent(first, "chat", granted=False, method="prechat_form")
        second = await arrive(server)
        await consent(second, "chat", granted=True, method="prechat_form")
        events = await until(crm, lambda e: len(e) == 2)
        assert events[1]["person"] != events[0]["person"]

        async def only_the_first_persons_wait() -> bool:
            # The second person's event is recorded as delivered once the receiver's answer is in.
            unconfirmed = (await sue.ok("webhooks.deliveries", {}))["deliveries"]
            return [(d["type"], d["state"]) for d in unconfirmed] == [
                ("consent.granted", "dead"), ("consent.withdrawn", "pending")]

        await asyncio.wait_for(server.hub.webhooks.until(only_the_first_persons_wait), 20)

        await sue.ok("webhooks.retry", {"delivery": letters[0]["id"]})
        events = await until(crm, lambda e: len(e) == 4)
        assert kinds(events[2:]) == ["consent.granted", "consent.withdrawn"]
        assert events[2]["id"] == events[0]["id"]  # the same event, the same idempotency key
        missing = await sue.request("webhooks.retry", {"delivery": letters[0]["id"]})
        assert missing["error"]["code"] == "not_found"  # delivered now: no dead letter to retry

        # A dead letter dropped: its body goes, the person's next event passes.
        crm.refuse_next = [400]
        third = await arrive(server)
        await consent(third, "chat", granted=True, method="prechat_form")
        await asyncio.wait_for(server.hub.webhooks.until(dead), 20)
        (letter,) = await dead_letters()
        await sue.ok("webhooks.drop", {"delivery": letter["id"]})
        await consent(third, "chat", granted=False, method="prechat_form")
        events = await until(crm, lambda e: kinds(e)[-1:] == ["consent.withdrawn"] and len(e) == 6)
        assert events[-1]["person"] == events[-2]["person"]

        def body_of(conn: Any, seq: int) -> tuple[Any, ...]:
            return conn.execute("SELECT state, body FROM webhook_outbox WHERE seq = ?", (seq,)).fetchone()

        assert await server.db.call(body_of, letter["id"]) == ("dropped", None)
        audit = (await sue.ok("audit.list", {}))["entries"]
        decided = sorted((e["action"], e["detail"]["delivery"]) for e in audit
                         if e["action"].startswith("webhooks."))
        assert decided == sorted([("webhooks.retry", letters[0]["id"]), ("webhooks.drop", letter["id"])])
    finally:
        await sue.close()
        await ann.close()
        await server.close()

async def test_no_personal_data_nor_secret_in_the_log(site, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("websockets").setLevel(logging.INFO)  # as the server pins it
    site.crm.refuse_next = [503, 500]  # failures are logged too
    visitor, ann, _ = await chat_with_details(site.server)
    await until(site.crm, lambda e: "chat.ended" in kinds(e))
    sue, sam = await login(site.server, "sue"), await login(site.server, "sam")
    await erase_with_approval(sue, sam, visitor.visitor_id, "asked")
    await until(site.crm, lambda e: "subject.erased" in kinds(e))
    await until(site.newsletter, lambda e: "subject.erased" in kinds(e))
    for client in (visitor, ann, sue, sam):
        await client.close()

    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "webhook crm: event evt_" in text  # the failures were logged, by id
    for secret in (NAME, EMAIL, PHONE, QUESTION, SECRET.decode(), "Webhook-Signature"):
        assert secret not in text
    persons = {e["person"] for e in site.crm.events() + site.newsletter.events()}
    assert not any(p in text for p in persons)
    # Nor in the configuration's repr (a configuration printed in a log).
    assert SECRET.decode() not in repr(site.server.config) and "secret=" not in repr(site.server.config)



async def test_the_commands_list_and_retry_dead_letters_on_the_database(tmp_path, webhook_receivers):
    crm = webhook_receivers()
    crm.refuse_next = [403]
    receivers = [crm.entry("crm", ["chat"], SECRET)]
    server = await started(tmp_path, receivers)
    try:
        visitor = await arrive(server)
        await consent(visitor, "chat", granted=True, method="prechat_form")

        async def dead() -> bool:
            return bool((await server.db.call(outbox.deliveries, ["dead"], 10))[0])

        await asyncio.wait_for(server.hub.webhooks.until(dead), 20)
        await visitor.close()
    finally:
        await server.close()

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*server_command(), "webhooks", *args, "--data", str(tmp_path / "data")],
                              capture_output=True, text=True, timeout=60)

    listed = await asyncio.to_thread(command, "list")
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split()[:4] == ["DELIVERY", "RECEIVER", "EVENT", "STATE"]
    number = row.split()[0]
    assert row.split()[1:6] == ["crm", "consent.granted", "dead", "1", "HTTP"]
    missing = await asyncio.to_thread(command, "drop", "999")
    assert missing.returncode == 1 and "there is no dead letter 999" in missing.stderr
    retried = await asyncio.to_thread(command, "retry", number)
    assert retried.returncode == 0 and retried.stdout == f"delivery {number}: queued again\n"

    # The server started again delivers it.
    server = await started(tmp_path, receivers, again=True)
    try:
        events = await until(crm, lambda e: len(e) == 2)
        assert events[0]["id"] == events[1]["id"]
        audit = await server.db.call(lambda conn: conn.execute(
            "SELECT actor, action FROM audit_log WHERE action LIKE 'webhooks.%'").fetchall())
        assert audit == [("server-admin", "webhooks.retry")]
    finally:
        await server.close()


async def test_a_visitors_forget_me_reaches_the_receivers_too(site):
    visitor, _ann, _ = await chat_with_details(site.server)
    await until(site.crm, lambda e: "chat.ended" in kinds(e))
    await until(site.newsletter, lambda e: "chat.ended" in kinds(e))
    await visitor.ok("subject.forget_me")
    crm = await until(site.crm, lambda e: "subject.erased" in kinds(e))
    news = await until(site.newsletter, lambda e: "subject.erased" in kinds(e))
    assert crm[-1]["person"] == crm[0]["person"] and news[-1]["person"] == news[0]["person"]
    assert site.analytics.received == []
