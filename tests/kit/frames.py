"""The one place where a test or a benchmark builds a request: through the product's own codec, so that
the envelope (``v``, ``type``, ``id``, ``action``, ``payload``) is written once, in ``protocol.codec``.

Frames made wrong on purpose (a missing field, a newer ``v``) are written out by the tests that send
them: they are what is tested.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from operator_desk.protocol import codec


def request_frame(request_id: str, action: str, payload: Mapping[str, Any] | None = None) -> str:
    """The text of one request frame."""
    return codec.encode(codec.Request(id=request_id, action=action, payload=dict(payload or {})))


def parsed(frame: str | bytes) -> dict[str, Any]:
    """A received frame as plain JSON data, as a test asserts on it (no validation: a test sees what the
    server sent, unknown fields included)."""
    message = msgspec.json.decode(frame)
    if not isinstance(message, dict):
        raise AssertionError(f"not a JSON object: {frame!r:.200}")
    return message
