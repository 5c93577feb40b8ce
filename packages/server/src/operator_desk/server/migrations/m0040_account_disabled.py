"""Accounts can be disabled (``operator-desk-server disable``) without being removed: ``disabled_at`` is
set, the account cannot sign in, and its chats and audit entries keep their operator."""

from __future__ import annotations

from typing import Any

VERSION = 40


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE operators ADD COLUMN disabled_at TEXT")
