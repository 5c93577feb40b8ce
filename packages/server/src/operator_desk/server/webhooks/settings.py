"""The site's receivers, ``[[webhooks]]`` in the configuration file (docs/webhooks.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from operator_desk.domain.model import Purpose

# The events a receiver may ask for. The withdrawal and the erasure of a person are sent to every
# receiver that was sent data about them, whatever it asked for.
EVENT_KINDS = ("chat.ended", "details.received", "consent.changed")
MIN_SECRET_BYTES = 16


class ReceiverError(ValueError):
    """A ``[[webhooks]]`` entry the server cannot use; the message names it."""


@dataclass(frozen=True, slots=True)
class Receiver:
    name: str
    url: str
    events: tuple[str, ...]
    purposes: frozenset[Purpose]
    # The shared secret; never in a repr (a configuration printed in a log must not carry it).
    secret: bytes = field(repr=False)
    # A CA certificate (PEM) trusted for this receiver besides the system's: a CRM on a private CA.
    ca_file: Path | None = None
    timeout_seconds: float = 10.0
    retry_first_seconds: float = 1.0
    retry_max_seconds: float = 3600.0
    # 40 attempts: with the wait doubling up to an hour, a receiver may be down for about 30 hours.
    max_attempts: int = 40
    # The bound of the outbox for this receiver: events not confirmed yet (waiting or dead letters) and
    # the bytes of their bodies. Past either, the receiver is marked full and its next events are dead
    # letters without a body ("outbox full") until there is room again (docs/webhooks.md, "Bounds").
    # A busy site's day (5,000 chats, 50,000 consents: 67,500 events, 42-78 MiB measured by
    # benchmarks/webhook_outbox.py) fits three times: a receiver down for a day still gets everything.
    queue_max_events: int = 200_000
    queue_max_bytes: int = 512 * 1024 * 1024

    def retry_after(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt: doubling, up to the maximum."""
        return min(self.retry_max_seconds, self.retry_first_seconds * 2 ** max(0, attempts - 1))


_TUNING = {"timeout_seconds": float, "retry_first_seconds": float, "retry_max_seconds": float,
           "max_attempts": int, "queue_max_events": int, "queue_max_bytes": int}


def _secret(entry: Mapping[str, Any], name: str, environ: Mapping[str, str]) -> bytes:
    if "secret" in entry:
        raise ReceiverError(f"webhooks {name}: give the secret as secret_file or secret_env, "
                            "never in the configuration file itself")
    if entry.get("secret_file"):
        path = Path(str(entry["secret_file"]))
        try:
            value = path.read_bytes().strip()
        except OSError as exc:
            raise ReceiverError(f"webhooks {name}: cannot read secret_file {path}: {exc.strerror}") from exc
    elif entry.get("secret_env"):
        variable = str(entry["secret_env"])
        if variable not in environ:
            raise ReceiverError(f"webhooks {name}: the environment variable {variable} is not set")
        value = environ[variable].strip().encode()
    else:
        raise ReceiverError(f"webhooks {name}: secret_file or secret_env is required")
    if len(value) < MIN_SECRET_BYTES:
        raise ReceiverError(f"webhooks {name}: the secret must be at least {MIN_SECRET_BYTES} bytes")
    return value


def _receiver(entry: Mapping[str, Any], environ: Mapping[str, str]) -> Receiver:
    name = str(entry.get("name", "")).strip()
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise ReceiverError("webhooks: every receiver needs a name of letters, digits, - and _")
    url = str(entry.get("url", ""))
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ReceiverError(f"webhooks {name}: url must be an https:// address (deliveries carry personal "
                            "data)")
    events = tuple(str(e) for e in entry.get("events", EVENT_KINDS))
    unknown = sorted(set(events) - set(EVENT_KINDS))
    if unknown:
        raise ReceiverError(f"webhooks {name}: unknown events {', '.join(unknown)} "
                            f"(possible: {', '.join(EVENT_KINDS)})")
    try:
        purposes = frozenset(Purpose(p) for p in entry.get("purposes", []))
    except ValueError as exc:
        raise ReceiverError(f"webhooks {name}: {exc}") from exc
    if not purposes:
        raise ReceiverError(f"webhooks {name}: purposes must name the purposes the receiver serves")
    ca_file = str(entry.get("ca_file", "")).strip()
    receiver = Receiver(
        name=name, url=url, events=events, purposes=purposes, secret=_secret(entry, name, environ),
        ca_file=Path(ca_file) if ca_file else None,
        **{key: kind(entry[key]) for key, kind in _TUNING.items() if key in entry},
    )
    if min(receiver.max_attempts, receiver.retry_first_seconds, receiver.timeout_seconds,
           receiver.queue_max_events, receiver.queue_max_bytes) <= 0:
        raise ReceiverError(f"webhooks {name}: max_attempts, retry_first_seconds, timeout_seconds, "
                            "queue_max_events and queue_max_bytes must be more than 0")
    return receiver


def receivers(entries: Any, environ: Mapping[str, str] | None = None) -> tuple[Receiver, ...]:
    """The ``[[webhooks]]`` entries as receivers; raises ``ReceiverError`` for one it cannot use."""
    environ = os.environ if environ is None else environ
    if not isinstance(entries, list):
        raise ReceiverError("webhooks: write each receiver as a [[webhooks]] table")
    found = tuple(_receiver(entry, environ) for entry in entries)
    names = [r.name for r in found]
    if len(set(names)) != len(names):
        raise ReceiverError("webhooks: two receivers have the same name")
    return found
