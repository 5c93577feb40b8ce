"""A notice version keeps its short layer (``summary``) beside its full text: both are what the visitor
was shown. Versions published before have none."""

from __future__ import annotations

from typing import Any

VERSION = 32


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE notices ADD COLUMN summary TEXT NOT NULL DEFAULT ''")
