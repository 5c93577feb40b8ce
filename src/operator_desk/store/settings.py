"""Small key/value settings kept inside the encrypted cache (values as JSON)."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.store.records import CacheRetention

RETENTION_SETTING = "retention"


def get(conn: sqlcipher.Connection, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def put(conn: sqlcipher.Connection, key: str, value: Any) -> None:
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value)))


def retention(conn: sqlcipher.Connection) -> CacheRetention:
    stored = get(conn, RETENTION_SETTING)
    return msgspec.convert(stored, CacheRetention) if stored else CacheRetention()


def put_retention(conn: sqlcipher.Connection, value: CacheRetention) -> None:
    put(conn, RETENTION_SETTING, msgspec.to_builtins(value))
