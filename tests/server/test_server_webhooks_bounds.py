"""The webhook outbox's bounds (docs/webhooks.md, "Bounds and retention"): what waits for a receiver
that is down outlives neither its retention period nor an erasure, the outbox of each receiver has a
size bound past which events are dead letters a supervisor sees, and the retention purge that removes a
person tells every receiver that had data about them. Real HTTPS receivers (``http.server``)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
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

from operator_desk.server import repository, retention, subjects
from operator_desk.server.embedded import RunningServer
from operator_desk.server.webhooks import outbox
from tests.kit.cases import erase_with_approval
from tests.kit.clients import login
from tests.kit.servers import database_text, raw_database
from tests.kit.visitors import arrive, consent
from tests.kit.webhooks import WebhookReceiver

COMPANY, CITY = "Atelier Rh", "Lyon"  # the visitor's insights (198.51.100.23: Atelier Rhône SARL, Lyon)
ALL_PURPOSES = ["chat", "contact_details", "visitor_insights"]


def crm_entry(crm: WebhookReceiver, **extra: Any) -> dict[str, Any]:
    return crm.entry("crm", ALL_PURPOSES, SECRET, **extra)


def rows(conn: Any) -> list[tuple[Any, ...]]:
    return conn.execute("SELECT kind, state, last_error, purposes FROM webhook_outbox ORDER BY seq"
                        ).fetchall()


def _opened_bodies(conn: Any) -> str:
    rows = conn.execute("SELECT visitor_id, body FROM webhook_outbox WHERE body IS NOT NULL").fetchall()
    return "\n".join((outbox.opened_body(conn, visitor_id, body) or b"").decode()
                     for visitor_id, body in rows)


async def stored_text(server: RunningServer) -> str:
    """Every row of the database as text, and the outbox's bodies as they open (on PostgreSQL they are
    sealed under their person's key, so that the raw rows alone would show nothing either way)."""
    return await database_text(server) + "\n" + await server.db.call(_opened_bodies)


async def outbox_rows(server: RunningServer) -> list[tuple[Any, ...]]:
    return await server.db.call(rows)


async def until_outbox(server: RunningServer, predicate: Any) -> list[tuple[Any, ...]]:
    """Wait until the outbox's rows (kind, state, last error, purposes) satisfy ``predicate``."""
    async def holds() -> bool:
        return predicate(await outbox_rows(server))

    assert server.hub.webhooks is not None
    await asyncio.wait_for(server.hub.webhooks.until(holds), 20)
    return await outbox_rows(server)


async def purge(server: RunningServer, days: float) -> dict[str, int]:
    later = datetime.now(UTC) + timedelta(days=days)
    return await server.db.call(retention.purge, server.config.retention, later)


def accepted(receiver: WebhookReceiver) -> dict[str, dict[str, Any]]:
    """The body of each event as last sent (the attempt the receiver answered 204)."""
    return {got.event["id"]: got.event for got in receiver.received}


@pytest.mark.asyncio
async def test_retention_takes_out_of_waiting_bodies_what_outlived_its_period(tmp_path, webhook_receivers):
    crm = webhook_receivers()
    crm.down = 503  # down for days: every event waits in the outbox
    server = await started(tmp_path, [crm_entry(crm, max_attempts=1_000_000)])
    try:
        visitor, ann, _ = await chat_with_details(server, insights=True)
        for client in (visitor, ann):
            await client.close()
        await until_outbox(server, lambda r: [k for k, *_ in r].count("chat.ended") == 1)
        text = await stored_text(server)
        assert all(value in text for value in (COMPANY, CITY, PHONE, NAME, QUESTION))  # in the bodies

        # After two days the insights (kept one day) are gone from the chat's body, not the rest.
        counts = await purge(server, 2)
        assert (counts["webhook_sections_expired"], counts["webhook_events_expired"]) == (1, 0)
        text = await stored_text(server)
        assert COMPANY not in text and CITY not in text
        assert all(value in text for value in (PHONE, NAME, QUESTION))
        # After eight days the details (kept seven) too: the details event has nothing left.
        counts = await purge(server, 8)
        assert (counts["webhook_sections_expired"], counts["webhook_events_expired"]) == (1, 1)
        text = await stored_text(server)
        assert PHONE not in text and NAME in text and QUESTION in text
        assert await outbox_rows(server) == [
            ("consent.granted", "pending", "HTTP 503", ""),
            ("consent.granted", "pending", None, ""),
            ("consent.granted", "pending", None, ""),
            ("details.received", "dropped", outbox.PAST_RETENTION, ""),
            ("chat.ended", "pending", None, "chat")]

        # Back: the receiver gets what is still in force, in order, the ended chat without the rest.
        crm.down = None
        await until_outbox(server, lambda r: all(state != "pending" for _, state, *_ in r))
        got = list(accepted(crm).values())
        assert kinds(got) == ["consent.granted"] * 3 + ["chat.ended"]
        ended = got[-1]
        assert [s["purpose"] for s in ended["sections"]] == ["chat"]
        assert section(ended, "chat")["data"]["chat"]["messages"][0]["text"] == QUESTION
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_an_erasure_leaves_nothing_of_the_person_waiting_in_the_outbox(tmp_path, webhook_receivers):
    crm = webhook_receivers()
    crm.refuse_next = [401]  # the first event is a dead letter: the person's others wait behind it
    server = await started(tmp_path, [crm_entry(crm)])
    sue, sam = await login(server, "sue"), await login(server, "sam")
    try:
        visitor, ann, _ = await chat_with_details(server, insights=True)
        await until_outbox(server, lambda r: r[0][1] == "dead" and r[-1][:2] == ("chat.ended", "pending"))
        assert PHONE in await stored_text(server)

        erased = await erase_with_approval(sue, sam, visitor.visitor_id, "the person asked")
        assert erased["unconfirmed_receivers"] == ["crm"]
        # Nothing about the person waits any more, dead letters included: only the erasure, which
        # names the receiver's pseudonym and nothing else.
        text = await stored_text(server)
        for value in (NAME, EMAIL, PHONE, QUESTION, COMPANY, CITY, visitor.visitor_id):
            assert value not in text
        assert [kind for kind, *_ in await outbox_rows(server)] == ["subject.erased"]
        events = await until(crm, lambda e: "subject.erased" in kinds(e))
        assert kinds(events) == ["consent.granted", "subject.erased"]  # the refused one, the erasure
        assert events[-1]["reason"] == "request" and events[-1]["person"] == events[0]["person"]
        for client in (visitor, ann):
            await client.close()
    finally:
        await sue.close()
        await sam.close()
        await server.close()


@pytest.mark.asyncio
@pytest.mark.allow_log_warnings
async def test_past_its_bound_a_receivers_events_are_dead_letters_a_supervisor_sees_and_retries(
        tmp_path, webhook_receivers, caplog):
    crm = webhook_receivers()
    crm.down = 503
    server = await started(tmp_path, [crm_entry(crm, max_attempts=1_000_000,
                                                tuning={"queue_max_events": 3})])
    sue = await login(server, "sue")
    try:
        visitor, ann, _ = await chat_with_details(server)  # four events: three fit
        other = await arrive(server)
        # A fifth, another person's: no room either.
        await consent(other, "chat", granted=True, method="prechat_form")
        state = await until_outbox(server, lambda r: len(r) == 5)
        assert [(k, s, e) for k, s, e, _ in state] == [
            ("consent.granted", "pending", "HTTP 503"), ("consent.granted", "pending", None),
            ("details.received", "pending", None), ("chat.ended", "dead", outbox.OUTBOX_FULL),
            ("consent.granted", "dead", outbox.OUTBOX_FULL)]
        # Never silently: the supervisor sees them as dead letters, with the reason; the log says
        # once that the receiver is full.
        listed = await sue.ok("webhooks.deliveries", {"states": ["dead"]})
        letters = listed["deliveries"]
        assert [(d["type"], d["last_error"], d["attempts"]) for d in letters] == [
            ("chat.ended", "outbox full", 0), ("consent.granted", "outbox full", 0)]
        (queue,) = listed["queues"]  # the receiver is marked full, against its bound
        assert (queue["receiver"], queue["events"], queue["max_events"]) == ("crm", 3, 3)
        assert queue["full_since"] is not None
        warned = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert [r.getMessage().split(" (")[0] for r in warned] == ["webhook crm: the outbox is full"]
        queue = await server.db.call(outbox.queue_of, "crm")
        assert (queue.events, queue.full_since is not None) == (3, True)
        # No body is kept for a refused event: the bound holds.
        assert await server.db.call(lambda conn: conn.execute(
            "SELECT count(*) FROM webhook_outbox WHERE state = 'dead' AND body IS NULL"
        ).fetchone()) == (2,)

        # Back: the three waiting arrive in order; the person's ended chat waits behind its dead letter.
        crm.down = None
        await until_outbox(server, lambda r: [s for _, s, *_ in r][:3] == ["delivered"] * 3)
        # Below 90 % of the bound it is no longer shown full.
        assert (await sue.ok("webhooks.deliveries", {}))["queues"][0]["full_since"] is None
        for letter in letters:
            await sue.ok("webhooks.retry", {"delivery": letter["id"]})
        events = await until(crm, lambda e: kinds(e).count("chat.ended") == 1
                             and len({x["person"] for x in e}) == 2)
        ended = accepted(crm)[next(e["id"] for e in events if e["type"] == "chat.ended")]
        # Built when retried, from what is stored: the transcript and the details, as consented.
        assert section(ended, "chat")["data"]["name"] == NAME
        assert section(ended, "contact_details")["data"]["details"][0]["values"] == {"phone": PHONE}
        assert [k for k in kinds(list(accepted(crm).values()))] == [
            "consent.granted", "consent.granted", "details.received", "chat.ended", "consent.granted"]
        await until_outbox(server, lambda r: all(s == "delivered" for _, s, *_ in r))
        # Room again: the next event is queued as usual, and the mark is gone.
        await consent(other, "chat", granted=False, method="prechat_form")
        await until_outbox(server, lambda r: len(r) == 6 and r[-1][1] == "delivered")
        assert (await server.db.call(outbox.queue_of, "crm")).full_since is None
        for client in (visitor, ann, other):
            await client.close()
    finally:
        await sue.close()
        await server.close()


@pytest.mark.asyncio
async def test_a_retention_purge_that_removes_a_person_sends_the_erasure_and_records_it(
        tmp_path, webhook_receivers):
    crm, stats = webhook_receivers("crm"), webhook_receivers("stats")
    server = await started(tmp_path, [
        crm.entry("crm", ["chat", "contact_details"], SECRET),
        stats.entry("analytics", ["visitor_insights"], SECRET + b"a")])
    sue = await login(server, "sue")
    try:
        visitor, ann, _ = await chat_with_details(server)
        first = await until(crm, lambda e: "chat.ended" in kinds(e))
        for client in (visitor, ann):
            await client.close()
        await until_outbox(server, lambda r: all(s == "delivered" for _, s, *_ in r))
        tombstone = await server.db.call(subjects.pseudonym, visitor.visitor_id)

        # A month later the chat is past its period, and the person with it.
        counts = await purge(server, 31)
        assert (counts["chats"], counts["visitors"], counts["webhook_erasures"]) == (1, 1, 1)
        events = await until(crm, lambda e: "subject.erased" in kinds(e))
        assert events[-1]["reason"] == "retention" and events[-1]["person"] == first[0]["person"]
        assert set(events[-1]) == {"version", "id", "type", "occurred_at", "person", "reason"}
        assert stats.received == []  # it never had data about them

        # Recorded and confirmed as any erasure: under the person's tombstone, for supervisors.
        async def confirmed() -> bool:
            found = (await sue.ok("webhooks.deliveries", {"erasure": tombstone}))["deliveries"]
            return [(d["receiver"], d["type"], d["state"]) for d in found] == [
                ("crm", "subject.erased", "delivered")]

        await asyncio.wait_for(server.hub.webhooks.until(confirmed), 20)
        text = await stored_text(server)
        for value in (NAME, EMAIL, PHONE, QUESTION, visitor.visitor_id):
            assert value not in text
    finally:
        await sue.close()
        await server.close()


@pytest.mark.sqlcipher_only  # a migration from an older SQLCipher file (PostgreSQL starts at 110)
def test_m0110_describes_the_events_already_queued_and_counts_them_per_receiver(tmp_path):
    """Events queued before m0110 get what they carry and since when, erasures their reason, and the
    receivers' queues their counts; later changes keep the counts (triggers)."""
    from operator_desk.server import db as server_db
    from operator_desk.server.migrations import MIGRATIONS, m0080_webhooks

    data = tmp_path / "data"
    conn = raw_database(data)
    for version, step in MIGRATIONS:
        if version <= m0080_webhooks.VERSION:
            step(conn)
    conn.execute(f"PRAGMA user_version = {m0080_webhooks.VERSION}")
    repository.create_visitor(conn, "v_1", "digest", "2026-01-01T00:00:00.000Z", None)
    ended = (b'{"id":"evt_1","occurred_at":"2026-11-01T10:00:00.000Z","person":"p_1","sections":'
             b'[{"purpose":"visitor_insights"},{"purpose":"chat"}],"type":"chat.ended","version":1}')
    erased = b'{"id":"evt_2","occurred_at":"2026-11-02T10:00:00.000Z","person":"p_1","type":"subject.erased"}'
    for seq, kind, visitor, body, state in ((1, "chat.ended", "v_1", ended, "pending"),
                                            (2, "subject.erased", None, erased, "dead"),
                                            (3, "chat.ended", "v_1", None, "delivered")):
        conn.execute("INSERT INTO webhook_outbox (seq, event_id, receiver, kind, person, visitor_id, body, "
                     "state, created_at) VALUES (?, ?, 'crm', ?, 'p_1', ?, ?, ?, '2026-11-03T00:00:00.000Z')",
                     (seq, f"evt_{seq}", kind, visitor, body, state))
    conn.execute("COMMIT")
    conn.close()
    database = server_db.Database.open(data)
    try:
        described = database.run_sync(lambda c: c.execute(
            "SELECT seq, purposes, occurred_at FROM webhook_outbox ORDER BY seq").fetchall())
        assert described == [(1, "chat visitor_insights", "2026-11-01T10:00:00.000Z"),
                              (2, "", "2026-11-02T10:00:00.000Z"), (3, "", "2026-11-03T00:00:00.000Z")]
        erasure = database.run_sync(lambda c: c.execute("SELECT body FROM webhook_outbox WHERE seq = 2")
                                    .fetchone()[0])
        assert b'"reason":"request"' in erasure
        queue = database.run_sync(outbox.queue_of, "crm")
        assert (queue.events, queue.bytes) == (2, len(ended) + len(erasure))
        # Erasing the visitor takes their waiting event (a cascade), and the count with it.
        database.run_sync(lambda c: c.execute("DELETE FROM visitors WHERE id = 'v_1'"))
        queue = database.run_sync(outbox.queue_of, "crm")
        assert (queue.events, queue.bytes) == (1, len(erasure))
        database.run_sync(outbox.drop, 2)
        assert (database.run_sync(outbox.queue_of, "crm").events) == 0
    finally:
        database.close_sync()
