"""A notice version says whether it asks for fresh consent: when it does (the default), consents given
to earlier versions of the notice stop counting for its purposes. Versions published before this
column existed asked for it (each was a first publication or an edit)."""

from __future__ import annotations

from typing import Any

VERSION = 31


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE notices ADD COLUMN fresh_consent INTEGER NOT NULL DEFAULT 1")
