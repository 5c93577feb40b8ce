"""The server's database: key file, migrations, refusals, notice versions, and the retention purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from operator_desk.domain.clock import format_ts
from operator_desk.domain.consent import notice_digest
from operator_desk.domain.model import Purpose
from operator_desk.domain.storage_errors import NewerSchema, WrongKey
from operator_desk.server import dbfile, repository, retention
from operator_desk.server.config import NoticeText, Retention, load_config
from operator_desk.server.migrations import MIGRATIONS
from tests.kit.clients import login
from tests.kit.servers import REFUSED_UPDATE, open_database, raw_database, start
from tests.kit.visitors import arrive, consent


def open_db(path):
    return open_database(path)


# The SQLCipher file's key, schema version and migrations from older files (PostgreSQL's own:
# test_server_postgresql.py).
@pytest.mark.sqlcipher_only
def test_first_open_creates_key_and_schema(tmp_path):
    data = tmp_path / "data"
    database = open_db(data)
    try:
        version = database.run_sync(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0])
        tables = database.run_sync(
            lambda conn: {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        )
    finally:
        database.close_sync()
    assert version == MIGRATIONS[-1][0]
    assert tables >= {
        "operators",
        "tokens",
        "visitors",
        "page_views",
        "consent_events",
        "notices",
        "chats",
        "messages",
        "detail_requests",
        "received_details",
        "audit_log",
        "visitor_insights",
    }
    assert len(bytes.fromhex((data / "server.key").read_text())) == 32
    assert b"SQLite format 3" not in (data / "server.db").read_bytes()[:16]  # encrypted


@pytest.mark.sqlcipher_only
def test_wrong_key_is_refused(tmp_path):
    data = tmp_path / "data"
    open_db(data).close_sync()
    (data / "server.key").write_text("00" * 32)
    with pytest.raises(WrongKey, match="wrong key"):
        open_db(data)


@pytest.mark.sqlcipher_only
def test_newer_schema_is_refused(tmp_path):
    data = tmp_path / "data"
    database = open_db(data)
    database.run_sync(lambda conn: None)
    database.close_sync()
    key = dbfile.prepare_data_dir(data)
    conn = dbfile.open_connection(data / "server.db", key)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(NewerSchema, match="newer"):
        open_db(data)


def test_consent_events_are_append_only(tmp_path):
    database = open_db(tmp_path / "data")
    try:

        def tamper(conn):
            repository.publish_notices(conn, list(load_config().notices), "2026-01-01T00:00:00.000Z")
            repository.create_visitor(conn, "v_1", "digest", "2026-01-01T00:00:00.000Z", None)
            conn.execute(
                "INSERT INTO consent_events (id, visitor_id, purpose, granted, notice_id, notice_version, "
                "method, at) VALUES ('c1', 'v_1', 'chat', 1, 'prechat-en', 1, 'prechat_form', "
                "'2026-01-01T00:00:00.000Z')"
            )
            conn.execute("UPDATE consent_events SET granted = 0")

        with pytest.raises(REFUSED_UPDATE, match="append-only"):
            database.run_sync(tamper)
    finally:
        database.close_sync()


def test_an_edited_notice_becomes_a_new_version(tmp_path):
    database = open_db(tmp_path / "data")
    text = NoticeText(key="prechat", language="en", title="T", body="Version one", purposes=(Purpose.CHAT,))
    try:
        first = database.run_sync(repository.publish_notices, [text], "2026-01-01T00:00:00.000Z")
        same = database.run_sync(repository.publish_notices, [text], "2026-01-02T00:00:00.000Z")
        edited = NoticeText(
            key="prechat", language="en", title="T", body="Version two", purposes=(Purpose.CHAT,)
        )
        second = database.run_sync(repository.publish_notices, [edited], "2026-01-03T00:00:00.000Z")
    finally:
        database.close_sync()
    assert [(n.id, n.version) for n in first] == [(n.id, n.version) for n in same] == [("prechat-en", 1)]
    assert [(n.version, n.body, n.sha256) for n in second] == [
        (1, "Version one", notice_digest("Version one")),
        (2, "Version two", notice_digest("Version two")),
    ]


@pytest.mark.asyncio
async def test_edited_notice_reaches_visitors_as_a_new_version(tmp_path):
    async with await start(tmp_path):
        pass
    config = tmp_path / "site.toml"
    config.write_text(
        '[[notices]]\nkey = "prechat"\npurposes = ["chat", "visitor_insights"]\n'
        '[notices.text.en]\ntitle = "Chat"\nbody = "A new text."\n'
    )
    async with await start(tmp_path, config_path=config) as server:
        visitor = await arrive(server)
        [notice] = visitor.hello["notices"]
        assert (notice["id"], notice["version"]) == ("prechat-en", 2)
        # The site's own words open the notice; who is responsible follows (server.notice_text).
        assert notice["body"].startswith("A new text.\n\nWho is responsible\nTest Site Ltd")
        old = {"purpose": "chat", "notice_id": "prechat-en", "notice_version": 1, "method": "prechat_form"}
        # Version 2 asks for consent again (the default): a grant under version 1 would never count, and
        # is refused; a withdrawal under it is still recorded against it.
        assert await visitor.refused("consent.set", {**old, "granted": True}) == "conflict"
        assert (await visitor.ok("consent.set", {**old, "granted": False}))["consent"]["notice_version"] == 1


@pytest.mark.asyncio
async def test_open_chats_of_a_previous_run_are_carried_on_at_start(tmp_path):
    """One open chat per visitor goes on after a restart (test_server_restart.py has the rest); should
    the database hold more than one, the older are closed."""
    async with await start(tmp_path, demo=True) as server:
        visitor = await arrive(server)
        await consent(visitor, "chat", granted=True, method="prechat_form")
        chat = (await visitor.ok("chat.start", {"name": "V"}))["chat"]

        def older_open_chat(conn):
            conn.execute(
                "INSERT INTO chats (id, visitor_id, state, started_at) VALUES ('ch_old', ?, 'waiting', ?)",
                (chat["visitor_id"], "2020-01-01T00:00:00.000Z"),
            )

        await server.db.call(older_open_chat)
    async with await start(tmp_path) as server:
        assert list(server.hub.chats) == [chat["id"]]
        assert server.hub.visitors[chat["visitor_id"]].chat_id == chat["id"]
        assert (await server.db.call(repository.chat_by_id, chat["id"])).state == "waiting"
        older = await server.db.call(repository.chat_by_id, "ch_old")
        assert older.state == "closed" and older.closed_at


@pytest.mark.asyncio
async def test_retention_purges_old_data_and_audits_counts_only(server):
    ann = await login(server, "ann")
    visitor = await arrive(server, ip="10.1.2.3")
    await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Old Timer", "message": "an old question"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    await ann.ok("chat.close", {"chat_id": chat["id"]})
    fresh = await arrive(server, ip="10.1.2.4")
    await consent(fresh, "visitor_insights", granted=True, method="prechat_form")

    def age_first_visitor(conn):
        old = format_ts(datetime.now(UTC) - timedelta(days=40))
        conn.execute("UPDATE chats SET closed_at = ?, started_at = ? WHERE id = ?", (old, old, chat["id"]))
        conn.execute(
            "UPDATE visitor_insights SET updated_at = ? WHERE visitor_id = ?", (old, visitor.visitor_id)
        )
        conn.execute("UPDATE page_views SET at = ? WHERE visitor_id = ?", (old, visitor.visitor_id))

    await server.db.call(age_first_visitor)
    counts = await server.db.call(retention.purge, Retention())
    assert counts["chats"] == 1 and counts["visitor_insights"] == 1 and counts["page_views"] == 1
    assert await server.db.call(repository.chat_by_id, chat["id"]) is None
    assert await server.db.call(repository.messages_of, chat["id"]) == []
    assert await server.db.call(repository.insights_of, visitor.visitor_id) is None
    assert (await server.db.call(repository.insights_of, fresh.visitor_id)).company == "Hanse Maschinenbau KG"
    entry = (await server.db.call(repository.audit_page))[0][0]
    assert entry.action == "retention.purge" and entry.actor == "system" and entry.subject is None
    assert entry.detail == counts


@pytest.mark.sqlcipher_only
def test_m0020_numbers_existing_consent_events_in_the_order_they_were_recorded(tmp_path):
    """Events recorded before m0020 keep their recorded order as their seq, whatever their ``at`` says
    (the second event here was stamped earlier: the clock had stepped back)."""
    from operator_desk.server.migrations import m0010_initial, m0020_consent_sequence

    data = tmp_path / "data"
    conn = raw_database(data)
    m0010_initial.apply(conn)
    conn.execute("PRAGMA user_version = 10")
    # The notice as a version-10 database held it (today's publish_notices writes later columns).
    conn.execute("INSERT INTO notices (id, version, language, title, body, purposes, sha256, published_at) "
                 "VALUES ('prechat-en', 1, 'en', 'T', 'B', '[\"visitor_insights\"]', ?, "
                 "'2026-01-01T00:00:00.000Z')", (notice_digest("B"),))
    repository.create_visitor(conn, "v_1", "digest", "2026-01-01T00:00:00.000Z", None)
    recorded = (("grant", 1, "2026-01-01T12:00:00.000Z"), ("withdraw", 0, "2026-01-01T10:00:00.000Z"))
    for event_id, granted, at in recorded:
        conn.execute(
            "INSERT INTO consent_events VALUES (?, 'v_1', 'visitor_insights', ?, 'prechat-en', 1, "
            "'widget_settings', ?)",
            (event_id, granted, at),
        )
    conn.execute("COMMIT")
    conn.close()
    assert m0020_consent_sequence.VERSION == 20
    database = open_db(data)
    try:
        events = database.run_sync(repository.consents_of, "v_1")
        with pytest.raises(REFUSED_UPDATE, match="append-only"):
            database.run_sync(lambda conn: conn.execute("UPDATE consent_events SET granted = 1"))
    finally:
        database.close_sync()
    assert [(e.id, e.seq) for e in events] == [("grant", 1), ("withdraw", 2)]
