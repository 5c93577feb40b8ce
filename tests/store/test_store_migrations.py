"""One test per migration, atomicity of a failed upgrade, and fresh == migrated step by step."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.store import RawKey
from operator_desk.store.connection import open_connection
from operator_desk.store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    m0010_initial,
    m0020_visitors_consents_details,
    m0030_outbox_audit,
    m0040_consent_sequence,
    m0070_audit_detail,
    migrate,
    schema_version,
)


@pytest.fixture
def raw(tmp_path: Path, key: RawKey) -> Iterator[sqlcipher.Connection]:
    """A keyed, empty database with no migration applied."""
    conn = sqlcipher.connect(str(tmp_path / "raw.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = {key.pragma_value()}")
    conn.execute("PRAGMA foreign_keys = ON")
    yield conn
    conn.close()


def _schema(conn: sqlcipher.Connection) -> list[tuple]:
    return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())


def _tables(conn: sqlcipher.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_m0010_creates_clustered_messages_with_secure_delete_fts(raw: sqlcipher.Connection) -> None:
    assert migrate(raw, target=m0010_initial.VERSION) == [10]
    assert schema_version(raw) == 10
    assert {"chats", "messages", "messages_fts"} <= _tables(raw)
    # WITHOUT ROWID: the table has no rowid to select.
    with pytest.raises(sqlcipher.OperationalError):
        raw.execute("SELECT rowid FROM messages")
    assert raw.execute("SELECT v FROM messages_fts_config WHERE k = 'secure-delete'").fetchone() == (1,)
    raw.execute("INSERT INTO chats VALUES ('c1', 'v1', 'active', NULL, '2026-01-01T00:00:00.000Z', NULL)")
    raw.execute(
        "INSERT INTO messages VALUES ('c1', '2026-01-01T00:00:01.000Z', 'm1', 7, NULL, 'visitor', '', 'hi')"
    )
    assert raw.execute("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'hi'").fetchall() == [(7,)]
    with pytest.raises(sqlcipher.IntegrityError):  # foreign key: no message without its chat
        raw.execute(
            "INSERT INTO messages VALUES "
            "('nope', '2026-01-01T00:00:01.000Z', 'm2', 8, NULL, 'visitor', '', 'x')"
        )


def test_m0020_adds_consent_guarded_snapshots_and_details(raw: sqlcipher.Connection) -> None:
    migrate(raw, target=m0010_initial.VERSION)
    raw.execute("INSERT INTO chats VALUES ('c1', 'v1', 'active', NULL, '2026-01-01T00:00:00.000Z', NULL)")
    assert migrate(raw, target=m0020_visitors_consents_details.VERSION) == [20]
    assert schema_version(raw) == 20
    assert raw.execute("SELECT count(*) FROM chats").fetchone() == (1,)  # data kept
    assert {
        "visitor_snapshots",
        "consent_events",
        "notices_seen",
        "detail_requests",
        "received_details",
    } <= _tables(raw)
    insert = (
        "INSERT INTO visitor_snapshots VALUES "
        "('v1', 't', 'browsing', 'u', 't', 1, 't', NULL, NULL, 0, ?, 0, 0, '{\"ip\": \"203.0.113.7\"}')"
    )
    with pytest.raises(sqlcipher.IntegrityError):  # insights without visitor_insights consent
        raw.execute(insert, (0,))
    raw.execute(insert, (1,))


def test_m0030_adds_outbox_audit_and_a_random_subject_salt(raw: sqlcipher.Connection) -> None:
    migrate(raw, target=m0020_visitors_consents_details.VERSION)
    assert migrate(raw, target=m0030_outbox_audit.VERSION) == [30]
    assert schema_version(raw) == 30
    assert {"outbox", "audit_log", "settings"} <= _tables(raw)
    (salt,) = raw.execute("SELECT value FROM settings WHERE key = 'audit.subject_salt'").fetchone()
    assert len(bytes.fromhex(salt)) == 32


def test_m0040_orders_consent_events_by_the_server_sequence(raw: sqlcipher.Connection) -> None:
    """A withdrawal the clock stamped before its grant (the clock stepped back) is still the latest."""
    from operator_desk.store import privacy

    migrate(raw, target=m0030_outbox_audit.VERSION)
    raw.execute(
        "INSERT INTO consent_events VALUES "
        "('c0', 'v1', 'chat', 1, 'prechat-en', 1, 'prechat_form', '2026-01-01T09:00:00.000Z')"
    )
    assert migrate(raw, target=m0040_consent_sequence.VERSION) == [40]
    assert schema_version(raw) == 40
    old = raw.execute("SELECT id, seq FROM consent_events").fetchall()
    assert old == [("c0", None)]  # kept, with no sequence
    for event_id, granted, at, seq in (
        ("c1", 1, "2026-01-01T12:00:00.000Z", 7),
        ("c2", 0, "2026-01-01T10:00:00.000Z", 8),
    ):
        raw.execute(
            "INSERT INTO consent_events (id, visitor_id, purpose, granted, notice_id, notice_version, "
            "method, at, seq) VALUES (?, 'v1', 'visitor_insights', ?, 'prechat-en', 1, 'prechat_form', ?, ?)",
            (event_id, granted, at, seq),
        )
    assert [e.id for e in privacy.consent_events(raw, "v1")] == ["c0", "c1", "c2"]


def test_pending_migrations_run_in_one_transaction(raw: sqlcipher.Connection) -> None:
    broken = types.SimpleNamespace(VERSION=20, STATEMENTS=("CREATE TABLE ok (x)", "NOT SQL AT ALL"))
    with pytest.raises(sqlcipher.OperationalError):
        migrate(raw, steps=(m0010_initial, broken))
    assert schema_version(raw) == 0
    assert _tables(raw) == set()


def test_migrating_an_up_to_date_database_does_nothing(raw: sqlcipher.Connection) -> None:
    migrate(raw)
    before = _schema(raw)
    assert migrate(raw) == []
    assert _schema(raw) == before


def test_fresh_database_equals_one_migrated_step_by_step(tmp_path: Path, key: RawKey) -> None:
    fresh = open_connection(tmp_path / "fresh.db", key)
    stepwise = sqlcipher.connect(str(tmp_path / "stepwise.db"), isolation_level=None)
    try:
        stepwise.execute(f"PRAGMA key = {key.pragma_value()}")
        for migration in MIGRATIONS:
            migrate(stepwise, target=migration.VERSION)
        assert schema_version(fresh) == schema_version(stepwise) == LATEST_VERSION
        assert _schema(fresh) == _schema(stepwise)
    finally:
        fresh.close()
        stepwise.close()


def test_m0070_adds_audit_details_and_the_indexes_the_viewer_pages_by(raw: sqlcipher.Connection) -> None:
    migrate(raw, target=m0040_consent_sequence.VERSION)
    raw.execute("INSERT INTO audit_log (at, actor, action) VALUES ('2026-01-01T00:00:00.000Z', 'op', 'x')")
    assert migrate(raw, target=m0070_audit_detail.VERSION) == [70]
    assert schema_version(raw) == 70
    assert raw.execute("SELECT action, detail FROM audit_log").fetchall() == [("x", "{}")]  # kept
    plan = " ".join(str(row) for row in raw.execute(
        "EXPLAIN QUERY PLAN SELECT seq FROM audit_log WHERE action = 'x' ORDER BY seq DESC LIMIT 5"))
    assert "audit_log_by_action" in plan and "TEMP B-TREE" not in plan   # walked in order, no sort
