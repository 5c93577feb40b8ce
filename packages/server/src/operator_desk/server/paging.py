"""Histories that can grow, answered in pages that never near the frame limit.

A chat's messages, a visitor's consents, an export: whatever visitors send can make them longer than one
256 KiB frame (thirty 10,000-character messages made ``chat.accept`` 305 KB). A reader here walks
``Section``s in order, each a keyset-ordered list read from the database, and fills a page with items
until the next would pass ``PAGE_BYTES`` encoded (a page always holds at least one item; the longest
item, a message or a notice, is far below the budget). ``next_cursor`` says where the next page starts.

Cursors are opaque to clients and signed (HMAC with a key made at start): a client cannot forge one to
skip the first page, which is the one that writes the audit entry of a transcript or an export view. A
cursor from before a restart, or from another chat, is refused with ``bad_request``: read again from the
start.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from operator_desk.protocol import ErrorCode, ProtocolError

Connection = Any
# Encoded items of one page at most: with the envelope and the rest of a response (a chat, say) a frame
# stays well under the 256 KiB limit.
PAGE_BYTES = 192 * 1024
PAGE_ITEMS = 500

_encoder = msgspec.json.Encoder()


@dataclass(frozen=True, slots=True)
class Section:
    """A list read in key order: ``read(conn, of, after, limit)`` returns up to ``limit`` ``(key, item)``
    pairs of whatever ``of`` names (a chat id, a visitor id) with keys after ``after`` (``None``: from
    the start). Keys are JSON-able (lists, strings, numbers)."""

    name: str
    read: Callable[[Connection, str, Any, int], Sequence[tuple[Any, Any]]]
    of: str


class Cursors:
    """Signs and checks cursors. ``scope`` binds a cursor to what it pages (a chat id, a visitor id)."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def make(self, scope: str, position: Any) -> str:
        body = base64.urlsafe_b64encode(_encoder.encode(position)).decode().rstrip("=")
        return f"{body}.{self._mac(scope, body)}"

    def read(self, scope: str, cursor: str) -> Any:
        body, _, mac = cursor.partition(".")
        if not body or not hmac.compare_digest(mac, self._mac(scope, body)):
            raise ProtocolError(ErrorCode.BAD_REQUEST, "not a cursor this server gave for this: start again")
        return msgspec.json.decode(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))

    def _mac(self, scope: str, body: str) -> str:
        return hmac.new(self._key, f"{scope}|{body}".encode(), hashlib.sha256).hexdigest()[:24]


def read_page(
    conn: Connection,
    sections: Sequence[Section],
    position: Any = None,
    budget: int = PAGE_BYTES,
    limit: int = PAGE_ITEMS,
) -> tuple[dict[str, list[Any]], Any]:
    """One page: ``{section name: [items]}`` and the position of the next page (``None`` after the last).
    ``position`` is what a previous call returned (``[section index, last key]``), or ``None``."""
    index, after = (0, None) if position is None else (int(position[0]), position[1])
    page: dict[str, list[Any]] = {}
    used = count = 0
    while index < len(sections):
        room = limit - count
        if room <= 0:
            return page, [index, after]
        section = sections[index]
        rows = section.read(conn, section.of, after, room + 1)  # one more than fits: does it go on?
        for key, item in rows[:room]:
            size = len(_encoder.encode(item)) + 1
            if count and used + size > budget:
                return page, [index, after]
            page.setdefault(section.name, []).append(item)
            used, count, after = used + size, count + 1, key
        if len(rows) > room:
            return page, [index, after]
        index, after = index + 1, None
    return page, None
