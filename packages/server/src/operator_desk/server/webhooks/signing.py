"""The signature of a delivery: HMAC-SHA256 under the receiver's secret over ``"<timestamp>.<body>"``.

Headers: ``Webhook-Id`` (the event's id: the idempotency key, the same at every attempt),
``Webhook-Timestamp`` (Unix seconds of this attempt) and ``Webhook-Signature: v1=<hex>``. A receiver
recomputes the signature over the raw body and refuses a timestamp outside its replay window
(``REPLAY_WINDOW``: five minutes either way), so a captured delivery cannot be sent again later.
"""

from __future__ import annotations

import hashlib
import hmac

REPLAY_WINDOW = 300
SCHEME = "v1"


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def headers(secret: bytes, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "Webhook-Id": event_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(secret, timestamp, body),
    }


def verify(secret: bytes, timestamp: str, signature_header: str, body: bytes, now: float) -> bool:
    """Whether a delivery is genuine and fresh (what a receiver checks; the server's own tests too)."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > REPLAY_WINDOW:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), signature_header)
