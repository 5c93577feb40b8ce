"""The erasure journal: a tombstone per erasure and per retention purge of chats, with no personal data
and no id, answered to every desk by ``subjects.erased_since`` from the cursor it kept."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from operator_desk.domain.clock import format_ts
from operator_desk.server import journal, migrations, retention
from operator_desk.server.config import ConfigError, Retention, load_config
from tests.kit.cases import erase_with_approval
from tests.kit.clients import login
from tests.kit.servers import database_text
from tests.kit.visitors import arrive, consent


def keyed(key_hex: str, value: str) -> str:
    return hmac.new(bytes.fromhex(key_hex), value.encode(), hashlib.sha256).hexdigest()


async def chat_with(server, ann, name: str = "Erika Mustermann") -> tuple[object, str]:
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": name, "message": "Hello"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    return visitor, chat["id"]


@pytest.mark.asyncio
async def test_an_erasure_is_journaled_and_every_role_reads_it_from_its_cursor(server):
    ann, sue, sam = await login(server, "ann"), await login(server, "sue"), await login(server, "sam")
    start = await ann.ok("subjects.erased_since", {"cursor": None})
    assert start["erasures"] == [] and not start["more"] and not start["expired"]
    visitor, chat_id = await chat_with(server, ann)
    await erase_with_approval(sue, sam, visitor.visitor_id, "Art. 17")

    page = await ann.ok("subjects.erased_since", {"cursor": start["next_cursor"]})
    [entry] = page["erasures"]
    assert entry["cause"] == "erasure"
    # Hashes only, under the key the answer carries: the desk hashes the ids it holds to match them.
    assert entry["subject"] == keyed(page["subject_key"], visitor.visitor_id)
    assert entry["chats"] == [keyed(page["subject_key"], chat_id)]
    assert page["next_cursor"] != start["next_cursor"] and not page["expired"]
    again = await ann.ok("subjects.erased_since", {"cursor": page["next_cursor"]})
    assert again["erasures"] == [] and again["next_cursor"] == page["next_cursor"]
    # The journal names nobody: neither the visitor id nor the chat id is anywhere in the database.
    stored = await database_text(server)
    assert visitor.visitor_id not in stored and chat_id not in stored


@pytest.mark.asyncio
async def test_forget_me_is_journaled_too(server):
    ann = await login(server, "ann")
    start = (await ann.ok("subjects.erased_since", {}))["next_cursor"]
    visitor, chat_id = await chat_with(server, ann)
    await visitor.ok("subject.forget_me")
    page = await ann.ok("subjects.erased_since", {"cursor": start})
    assert [e["chats"] for e in page["erasures"]] == [[keyed(page["subject_key"], chat_id)]]


@pytest.mark.asyncio
async def test_the_journal_comes_in_pages(server):
    ann, sue, sam = await login(server, "ann"), await login(server, "sue"), await login(server, "sam")
    cursor = (await ann.ok("subjects.erased_since", {}))["next_cursor"]
    for n in range(3):
        visitor, _ = await chat_with(server, ann, name=f"Person {n}")
        await erase_with_approval(sue, sam, visitor.visitor_id, "test")
        await visitor.close()
    seen = []
    while True:
        page = await ann.ok("subjects.erased_since", {"cursor": cursor, "limit": 2})
        seen += [e["seq"] for e in page["erasures"]]
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    assert len(seen) == 3 and seen == sorted(seen)


@pytest.mark.asyncio
async def test_a_retention_purge_journals_the_chats_it_removed(server):
    ann = await login(server, "ann")
    cursor = (await ann.ok("subjects.erased_since", {}))["next_cursor"]
    _visitor, chat_id = await chat_with(server, ann)
    await ann.ok("chat.close", {"chat_id": chat_id})
    await server.db.call(retention.purge, Retention(), datetime.now(UTC) + timedelta(days=31))
    page = await ann.ok("subjects.erased_since", {"cursor": cursor})
    [entry] = page["erasures"]
    assert entry["cause"] == "retention" and entry["subject"] is None
    assert entry["chats"] == [keyed(page["subject_key"], chat_id)]


@pytest.mark.asyncio
async def test_a_cursor_older_than_the_journal_or_from_another_is_expired(server):
    ann, sue, sam = await login(server, "ann"), await login(server, "sue"), await login(server, "sam")
    old = (await ann.ok("subjects.erased_since", {}))["next_cursor"]
    visitor, _ = await chat_with(server, ann)
    await erase_with_approval(sue, sam, visitor.visitor_id, "test")
    head = (await ann.ok("subjects.erased_since", {"cursor": old}))["next_cursor"]
    # The journal keeps its entries for erasure_journal_days, then forgets them.
    later = datetime.now(UTC) + timedelta(days=401)
    counts = await server.db.call(retention.purge, Retention(), later)
    assert counts["erasure_journal"] == 1
    expired = await ann.ok("subjects.erased_since", {"cursor": old})
    assert expired["expired"] and expired["erasures"] == [] and expired["next_cursor"] == head
    # A desk that was at the head when the entries went missed nothing.
    assert not (await ann.ok("subjects.erased_since", {"cursor": head}))["expired"]
    for foreign in ("0123456789abcdef:1", "not a cursor", head.split(":")[0] + ":999999"):
        assert (await ann.ok("subjects.erased_since", {"cursor": foreign}))["expired"], foreign


def test_the_journal_must_outlive_the_transcripts(tmp_path):
    config = tmp_path / "site.toml"
    config.write_text("[retention]\ntranscripts_days = 90\nerasure_journal_days = 60\n")
    with pytest.raises(ConfigError, match="erasure_journal_days"):
        load_config(config)


def test_migration_30_adds_the_journal_to_a_version_10_database(tmp_path):
    import sqlcipher3

    conn = sqlcipher3.connect(str(tmp_path / "db"), isolation_level=None)
    steps = dict(migrations.MIGRATIONS)
    v10, apply10, v30, apply30 = 10, steps[10], 30, steps[30]
    conn.execute("BEGIN")
    apply10(conn)
    conn.execute("INSERT INTO visitors (id, token_sha256, created_at, last_seen) "
                 "VALUES ('v_1', 'x', 't', 't')")
    conn.execute(f"PRAGMA user_version = {v10}")
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    apply30(conn)
    conn.execute("COMMIT")
    assert v30 == 30
    assert conn.execute("SELECT id FROM visitors").fetchall() == [("v_1",)]
    journal.record_erasure(conn, format_ts(datetime.now(UTC)), "v_1", ["ch_1"])
    assert conn.execute("SELECT cause, length(subject) FROM erasure_journal").fetchall() == [("erasure", 64)]
    conn.close()
