"""How the erasure journal names what went: a keyed hash of an id, never the id.

The server writes tombstones with these hashes; a desk hashes the visitor and chat ids it holds under
the same key (the journal's ``subject_key``) to find what it must purge. One function, used by both."""

from __future__ import annotations

import hashlib
import hmac


def id_hash(key: bytes, value: str) -> str:
    """HMAC-SHA256 of the id under the journal's key, as 64 lowercase hex digits."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
