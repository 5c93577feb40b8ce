"""Timestamps as protocol v1 writes them: RFC 3339, UTC, milliseconds, ``Z``."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def format_ts(moment: datetime) -> str:
    """``2026-11-29T10:00:00.123Z`` for an aware datetime (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_ts(text: str) -> datetime:
    """The aware UTC datetime of a protocol timestamp. Raises ``ValueError`` on anything else."""
    if not text.endswith("Z"):
        raise ValueError("timestamp must be UTC and end in Z")
    return datetime.fromisoformat(text[:-1] + "+00:00").astimezone(UTC)


def now_ts() -> str:
    """Now, as ``format_ts`` writes it. From the integer clock rather than a datetime: the server asks
    for it on every page view and message, and converting and formatting a datetime cost three times as
    much. Integer arithmetic, so the milliseconds never round into the next second."""
    seconds, nanoseconds = divmod(time.time_ns(), 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{nanoseconds // 1_000_000:03d}Z"
