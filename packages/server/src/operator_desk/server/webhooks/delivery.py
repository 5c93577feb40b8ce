"""Posting the outbox's events to the receivers: one task per receiver (docs/webhooks.md, "Delivery").

An attempt is an HTTPS POST with the signed headers (``signing``) made with the standard library's
``http.client`` in a thread: no redirect is followed (an event goes where it was configured to go,
nowhere else), the answer's body is read up to 64 KiB and dropped. A 2xx confirms the event; 408, 429,
a 5xx, a timeout or a refused connection are tried again after a doubling wait (the receiver's
``retry_first_seconds`` .. ``retry_max_seconds``), and once ``max_attempts`` is spent the event is a dead
letter; any other status (the receiver refused it: a wrong secret, a body it does not take) is a dead
letter at once. After a failure the receiver's task waits before it tries anything else, so a receiver
that is down is not flooded, and when it is back it gets every event, each person's in order.

Logs name the receiver, the event id and kind, the status and counts; never a body or a header.
"""

from __future__ import annotations

import asyncio
import http.client
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from operator_desk.domain.clock import now_ts
from operator_desk.server.db import Database
from operator_desk.server.db_errors import StorageUnavailable
from operator_desk.server.webhooks import outbox, signing
from operator_desk.server.webhooks.settings import Receiver

logger = logging.getLogger(__name__)

BATCH = 50
MAX_ANSWER_BYTES = 64 * 1024
USER_AGENT = "operator-desk-webhooks/1"
RETRIED_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one POST came to: ``status`` (None: no answer) and whether to try again."""

    status: int | None
    error: str

    @property
    def confirmed(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def retry(self) -> bool:
        return self.status is None or self.status >= 500 or self.status in RETRIED_STATUSES


def ssl_context(receiver: Receiver) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if receiver.ca_file is not None:
        context.load_verify_locations(cafile=str(receiver.ca_file))
    return context


def post(receiver: Receiver, context: ssl.SSLContext, event_id: str, body: bytes,
         clock: Callable[[], float] = time.time) -> Attempt:
    """One signed POST (blocking: run it in a thread)."""
    parts = urlsplit(receiver.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPSConnection(
        parts.hostname or "", parts.port, timeout=receiver.timeout_seconds, context=context)
    try:
        headers = signing.headers(receiver.secret, event_id, int(clock()), body)
        connection.request("POST", path, body=body, headers={**headers, "User-Agent": USER_AGENT})
        answer = connection.getresponse()
        answer.read(MAX_ANSWER_BYTES)
        return Attempt(answer.status, "" if 200 <= answer.status < 300 else f"HTTP {answer.status}")
    except (OSError, http.client.HTTPException) as exc:
        # The class only: an error's text may quote the address or what the peer sent.
        return Attempt(None, type(exc).__name__)
    finally:
        connection.close()


class Dispatcher:
    """Fans facts out into events and delivers them, while the server runs. ``wake()`` after a commit
    that may have written facts starts the work at once; otherwise it looks every ``poll`` seconds."""

    def __init__(self, db: Database, receivers: Sequence[Receiver],
                 counts_from: Callable[[], Mapping[str, int]], poll: float = 1.0) -> None:
        self.db = db
        self.receivers = tuple(receivers)
        self._counts_from = counts_from
        self._poll = poll
        self._facts = asyncio.Event()
        self._events = {r.name: asyncio.Event() for r in self.receivers}
        self._contexts = {r.name: ssl_context(r) for r in self.receivers}
        # Steps whose outcome is stored (an attempt, or facts turned into events), counted: whoever
        # waits for the outbox to change (``until``: tests) looks again after each.
        self.recorded = 0
        self._recorded = asyncio.Condition()

    def wake(self) -> None:
        self._facts.set()

    def wake_receivers(self) -> None:
        """A dead letter was queued again: every receiver's task looks for work now."""
        for event in self._events.values():
            event.set()

    async def run_fan_out(self) -> None:
        while True:
            try:
                taken_count = await asyncio.wrap_future(
                    self.db.write(outbox.fan_out, self.receivers, dict(self._counts_from()), now_ts()))
            except StorageUnavailable:
                # Nothing was taken (the facts stay, committed with their changes): try again later.
                await _wait(self._facts, self._poll)
                continue
            if taken_count:
                for event in self._events.values():
                    event.set()
                await self._stored()
            if taken_count < outbox.FACTS_PER_JOB:
                await _wait(self._facts, self._poll)

    async def run_receiver(self, receiver: Receiver) -> None:
        while True:
            try:
                await self._deliver(receiver)
            except StorageUnavailable:
                # An attempt whose outcome could not be stored is made again: the receiver may get the
                # event twice, with one id (its idempotency key).
                await _wait(self._events[receiver.name], self._poll)

    async def _deliver(self, receiver: Receiver) -> None:
        wake = self._events[receiver.name]
        failures = 0
        while True:
            batch = await self.db.call(outbox.due, receiver.name, time.time(), BATCH)
            for item in batch:
                body = item.body
                if body is None:
                    body = await asyncio.wrap_future(self.db.write(
                        outbox.build_refused, item.seq, receiver, dict(self._counts_from())))
                    if body is None:
                        logger.info("webhook %s: event %s dropped: %s", receiver.name, item.event_id,
                                    outbox.NOTHING_LEFT)
                        await self._stored()
                        continue
                context = self._contexts[receiver.name]
                attempt = await asyncio.to_thread(post, receiver, context, item.event_id, body)
                await self._record(receiver, item, attempt)
                if not attempt.confirmed:
                    failures += 1
                    break
                failures = 0
            if failures:
                # The receiver is failing: nothing else is tried until the wait is over.
                await _wait(wake, receiver.retry_after(failures))
                continue
            if len(batch) < BATCH:
                wait = await self.db.call(outbox.next_wait, receiver.name, time.time())
                await _wait(wake, self._poll if wait is None else min(wait, self._poll))

    async def _record(self, receiver: Receiver, item: outbox.Due, attempt: Attempt) -> None:
        attempts = item.attempts + 1
        if attempt.confirmed:
            await asyncio.wrap_future(self.db.write(outbox.delivered, item.seq, now_ts()))
            logger.debug("webhook %s: event %s delivered", receiver.name, item.event_id)
        else:
            dead = not attempt.retry or attempts >= receiver.max_attempts
            retry_at = None if dead else time.time() + receiver.retry_after(attempts)
            await asyncio.wrap_future(self.db.write(outbox.failed, item.seq, attempt.error, retry_at))
            logger.info("webhook %s: event %s attempt %d failed (%s)%s", receiver.name, item.event_id,
                        attempts, attempt.error, ": a dead letter now" if dead else "")
        await self._stored()

    async def _stored(self) -> None:
        async with self._recorded:
            self.recorded += 1
            self._recorded.notify_all()

    async def until(self, condition: Callable[[], Awaitable[bool]]) -> None:
        """Wait until ``condition()`` holds, looking again after each stored step."""
        while True:
            seen = self.recorded
            if await condition():
                return
            async with self._recorded:
                await self._recorded.wait_for(lambda seen=seen: self.recorded != seen)  # type: ignore[misc]

    def start(self, spawn: Callable[..., object]) -> None:
        spawn(self.run_fan_out(), "webhooks-fan-out")
        for receiver in self.receivers:
            spawn(self.run_receiver(receiver), f"webhooks-{receiver.name}")


async def _wait(event: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(event.wait(), seconds)
    except TimeoutError:
        pass
    event.clear()
