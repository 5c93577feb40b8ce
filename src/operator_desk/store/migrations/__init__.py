"""Numbered schema migrations. ``PRAGMA user_version`` holds the number of the last one applied.

Each module ``mNNNN_<what>.py`` has ``VERSION`` (its number) and ``STATEMENTS`` (SQL run in order). All
pending steps run in one explicit ``BEGIN IMMEDIATE ... COMMIT``: a crash or an error mid-way leaves
the previous schema intact. Statements are executed one by one, never with ``executescript``, which
would commit the open transaction first. A file must never change once released; add a new one.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from types import ModuleType

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.store.migrations import (
    m0010_initial,
    m0020_visitors_consents_details,
    m0030_outbox_audit,
    m0040_consent_sequence,
    m0070_audit_detail,
)

logger = logging.getLogger(__name__)

MIGRATIONS: tuple[ModuleType, ...] = (
    m0010_initial,
    m0020_visitors_consents_details,
    m0030_outbox_audit,
    m0040_consent_sequence,
    m0070_audit_detail,
)
LATEST_VERSION: int = MIGRATIONS[-1].VERSION

assert all(a.VERSION < b.VERSION for a, b in itertools.pairwise(MIGRATIONS)), (
    "migrations must be numbered in increasing order"
)


def schema_version(conn: sqlcipher.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: sqlcipher.Connection,
    *,
    target: int = LATEST_VERSION,
    steps: Sequence[ModuleType] = MIGRATIONS,
) -> list[int]:
    """Apply every migration above the current version up to ``target``; returns the versions applied.
    The caller has already refused a database newer than :data:`LATEST_VERSION`. ``steps`` is for tests."""
    current = schema_version(conn)
    pending = [m for m in steps if current < m.VERSION <= target]
    if not pending:
        return []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for migration in pending:
            for statement in migration.STATEMENTS:
                conn.execute(statement)
        # Inside the transaction: the version and the schema change together or not at all.
        conn.execute(f"PRAGMA user_version = {int(pending[-1].VERSION)}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    applied = [m.VERSION for m in pending]
    logger.info("cache schema migrated from %d to %d", current, applied[-1])
    return applied
