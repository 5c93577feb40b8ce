"""``operator-desk-server webhooks``: try a receiver, and the dead letters (docs/webhooks.md, "Commands").

``test NAME`` needs only the configuration: it sends one signed ``webhook.test`` event (no one's data)
and says what the receiver answered. ``list``, ``retry`` and ``drop`` work on the database, as the
``accounts`` commands do, whether or not a server is running on it: a running server's receiver task
picks a retried letter up within its poll interval. Each retry and drop is audited (actor
``server-admin``), in the transaction of the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from operator_desk.domain.clock import now_ts
from operator_desk.server import repository
from operator_desk.server.accounts import admin_actor_detail
from operator_desk.server.webhooks import delivery, outbox, payloads
from operator_desk.server.webhooks.settings import Receiver

Connection = Any


class WebhookCommandError(Exception):
    """A command that cannot be done; the message says why, in one sentence."""


@dataclass(frozen=True, slots=True)
class Trial:
    event_id: str
    attempt: delivery.Attempt


def send_test(receiver: Receiver) -> Trial:
    event_id = payloads.new_event_id()
    body = payloads.encode(payloads.sample(event_id, now_ts()))
    return Trial(event_id, delivery.post(receiver, delivery.ssl_context(receiver), event_id, body))


def find(receivers: tuple[Receiver, ...], name: str) -> Receiver:
    for receiver in receivers:
        if receiver.name == name:
            return receiver
    known = ", ".join(r.name for r in receivers) or "none is configured"
    raise WebhookCommandError(f"no webhook receiver named {name!r} ({known})")


def decide(conn: Connection, seq: int, action: str, actor: str, actor_detail: dict[str, Any]) -> None:
    """Retry or drop dead letter ``seq``, with its audit entry; refused unless it is a dead letter."""
    changed = outbox.retry(conn, seq) if action == "retry" else outbox.drop(conn, seq)
    if not changed:
        raise WebhookCommandError(f"there is no dead letter {seq}")
    repository.audit(conn, now_ts(), actor, f"webhooks.{action}", None, {"delivery": seq, **actor_detail})


def decide_as_admin(conn: Connection, seq: int, action: str) -> None:
    decide(conn, seq, action, "server-admin", admin_actor_detail())
