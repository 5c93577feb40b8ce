"""Crypto-shredding on PostgreSQL (server/sealing.py): personal fields are ciphertext in PostgreSQL's
own files while the person lives, every view still reads them, an erasure deletes the person's key so
that no copy of their rows (dead rows, a dump taken before) opens any more, and a wrong or missing key
file is refused before anything is changed."""

from __future__ import annotations

import asyncio
import logging
import subprocess
from pathlib import Path

import psycopg
import pytest

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Author, Chat, ChatState, Message
from operator_desk.server import repository, sealing, subjects
from operator_desk.server.db import Database
from operator_desk.server.db_errors import KeyFileError, WrongKey
from operator_desk.server.migrations import POSTGRESQL, m0120_person_keys, p0110_postgresql
from operator_desk.server.postgresql import PostgresConnection
from tests.kit.cases import erase_with_approval
from tests.kit.clients import login
from tests.kit.postgres import binaries, raw_pages
from tests.kit.servers import open_database
from tests.server.test_server_subjects import EMAIL, MESSAGE, NAME, PHONE, person_with_history, unique_person

pytestmark = pytest.mark.postgresql_only

# What person_with_history leaves that is personal: the pre-chat form, the message, the phone number,
# the page's title, the address and the company the insights found for it.
TRACES = (NAME, EMAIL, MESSAGE, PHONE, "Grinders", "192.0.2.77", "Spreewald Logistik")


async def _run(program: Path, *args: str) -> None:
    await asyncio.to_thread(subprocess.run, [str(program), *args], check=True, capture_output=True,
                            timeout=60)


def _rows(url: str, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, args).fetchall()


@pytest.mark.asyncio
async def test_personal_fields_are_ciphertext_on_disk_while_every_view_reads_them(server, database):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    person = unique_person()  # PostgreSQL's files hold other tests' dead rows and WAL too
    visitor, chat_id = await person_with_history(server, ann, **person)
    on_disk = raw_pages(database, wal=True).decode("latin-1")
    for trace in person.values():
        assert trace not in on_disk, trace
    # The rows themselves, as SQL (a dump, a replica) sees them.
    [(name, email, index)] = _rows(database, "SELECT name, email, email_index FROM visitors WHERE id = %s",
                                   (visitor.visitor_id,))
    assert name != person["name"] and email != person["email"] and index and person["email"] not in index
    assert _rows(database, "SELECT count(*) FROM person_keys WHERE visitor_id = %s",
                 (visitor.visitor_id,)) == [(1,)]

    # Every view the desk shows opens them.
    transcript = await sue.ok("transcripts.get", {"chat_id": chat_id})
    assert transcript["messages"][0]["text"] == person["message"]
    assert transcript["details"][0]["values"] == {"phone": person["phone"]}
    order = person["message"].rsplit(" ", 1)[1]
    found = (await sue.ok("transcripts.search", {"text": f"ORDER {order.upper()}"}))["chats"]
    assert [(c["id"], c["visitor_name"]) for c in found] == [(chat_id, person["name"])]
    assert f"order {order}" in found[0]["snippet"]
    assert (await sue.ok("transcripts.search", {"text": "no such words"}))["chats"] == []
    by_visitor = (await sue.ok("transcripts.search", {"visitor": "MUSTER"}))["chats"]
    assert [c["id"] for c in by_visitor] == [chat_id]
    for query in (person["email"].upper(), "erika must", person["phone"], visitor.visitor_id):
        subjects = (await sue.ok("subjects.find", {"query": query}))["subjects"]
        assert [(s["visitor_id"], s["name"], s["email"]) for s in subjects] == [
            (visitor.visitor_id, person["name"], person["email"])], query
    export = (await sue.ok("subjects.export", {"visitor_id": visitor.visitor_id}))["export"]
    assert (export["visitor"]["name"], export["insights"]["ip"]) == (person["name"], person["ip"])
    assert [p["title"] for p in export["page_views"]] == ["Shop", person["page"]]
    for client in (ann, sue, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_after_an_erasure_no_copy_taken_before_opens(server, database, tmp_path):
    """A dump taken before the erasure (without the key table: docs/scaling.md, "Backups") restored
    beside the live key table yields nothing of the person; with the key they had, it would."""
    ann, sue, sam = await login(server, "ann"), await login(server, "sue"), await login(server, "sam")
    visitor, chat_id = await person_with_history(server, ann)
    [(wrapped,)] = _rows(database, "SELECT wrapped FROM person_keys WHERE visitor_id = %s",
                         (visitor.visitor_id,))
    dump = tmp_path / "before.sql"
    bin_dir = binaries()
    assert bin_dir is not None
    await _run(bin_dir / "pg_dump", "--no-owner", "--exclude-table-data=person_keys*", "-f", str(dump),
               database)
    dumped = dump.read_text(encoding="utf-8")
    assert visitor.visitor_id in dumped
    for trace in TRACES:
        assert trace not in dumped, trace

    await erase_with_approval(sue, sam, visitor.visitor_id, "Art. 17 request")
    assert _rows(database, "SELECT count(*) FROM person_keys WHERE visitor_id = %s",
                 (visitor.visitor_id,)) == [(0,)]
    # Not even the dead row of the key is left in the live files (person_keys is rewritten).
    assert bytes(wrapped) not in raw_pages(database, wal=False)

    base = database.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS restored WITH (FORCE)")
        conn.execute("CREATE DATABASE restored")
    try:
        restored = base + "/restored"
        await _run(bin_dir / "psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(dump), restored)
        with psycopg.connect(restored, autocommit=True) as conn:
            for row in _rows(database, "SELECT visitor_id, wrapped FROM person_keys"):
                conn.execute("INSERT INTO person_keys (visitor_id, wrapped) VALUES (%s, %s)", row)
        db = Database.open(tmp_path / "data", tmp_path / "data" / "server.key", restored)
        try:
            texts = [m.text for m in await db.call(repository.messages_of, chat_id)]
            assert len(texts) == 2 and MESSAGE not in texts and texts[0] == ""
            assert await db.call(repository.insights_of, visitor.visitor_id) is None
            # The control: with the key the person had, the same copy opens.
            with psycopg.connect(restored, autocommit=True) as conn:
                conn.execute("INSERT INTO person_keys (visitor_id, wrapped) VALUES (%s, %s)",
                             (visitor.visitor_id, wrapped))
            assert (await db.call(repository.messages_of, chat_id))[0].text == MESSAGE
        finally:
            await db.close()
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS restored WITH (FORCE)")
    for client in (ann, sue, sam):
        await client.close()


@pytest.mark.asyncio
async def test_a_key_made_in_a_transaction_that_rolled_back_is_never_used(database, tmp_path):
    """The worker keeps the keys it unwrapped or made, but only once their transaction is committed: a
    key kept from a rolled-back one would seal what no stored key opens."""
    db = open_database(tmp_path / "data")
    at = now_ts()
    await db.call(repository.create_visitor, "v1", "t1", at, None)
    await db.call(repository.save_chat, Chat(id="c1", visitor_id="v1", state=ChatState.ACTIVE,
                                             operator_id=None, started_at=at))

    def seal_then_fail(conn: object) -> None:
        repository.set_contact(conn, "v1", NAME, EMAIL)
        raise RuntimeError("a job that fails once it has sealed a field")

    with pytest.raises(RuntimeError):
        await db.call(seal_then_fail)
    await db.call(repository.add_message, Message(id="m1", chat_id="c1", client_msg_id=None,
                                                  author=Author.VISITOR, author_name="", text=MESSAGE, at=at))
    await db.close()
    again = open_database(tmp_path / "data")  # nothing cached: every key from the database
    try:
        assert [m.text for m in await again.call(repository.messages_of, "c1")] == [MESSAGE]
    finally:
        await again.close()


def _everything(url: str) -> list[tuple[object, ...]]:
    tables = [row[0] for row in _rows(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                            "ORDER BY tablename")]
    return [(table, *row) for table in tables
            for row in _rows(url, f"SELECT * FROM {table} ORDER BY 1")]


@pytest.mark.asyncio
async def test_a_wrong_or_missing_key_file_is_refused_and_changes_nothing(server, database, tmp_path):
    ann = await login(server, "ann")
    visitor, _ = await person_with_history(server, ann)
    for client in (ann, visitor):
        await client.close()
    await server.close()
    before = _everything(database)

    other = tmp_path / "other.key"
    other.write_text("ab" * 32)
    with pytest.raises(WrongKey, match="the key file does not open the person keys of PostgreSQL at "):
        Database.open(tmp_path / "data", other, database)
    missing = tmp_path / "elsewhere" / "server.key"
    with pytest.raises(KeyFileError, match=f"the key file {missing} does not exist, and PostgreSQL at "):
        Database.open(tmp_path / "elsewhere", missing, database)
    assert not missing.exists()
    assert _everything(database) == before


@pytest.mark.asyncio
async def test_no_key_and_no_personal_field_reaches_the_logs(server, database, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    ann, sue, sam = await login(server, "ann"), await login(server, "sue"), await login(server, "sam")
    visitor, chat_id = await person_with_history(server, ann)
    await sue.ok("transcripts.search", {"text": "4711"})
    await sue.ok("transcripts.get", {"chat_id": chat_id})
    [(wrapped,)] = _rows(database, "SELECT wrapped FROM person_keys WHERE visitor_id = %s",
                         (visitor.visitor_id,))
    await erase_with_approval(sue, sam, visitor.visitor_id, "Art. 17 request")
    file_key = (tmp_path / "data" / "server.key").read_text().strip()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the server did log (at DEBUG) while all that happened
    for secret in (*TRACES, file_key, bytes(wrapped).hex()):
        assert secret not in logged, secret
    # Nor PostgreSQL's own log: the keys and the fields are parameters, never in a statement's text.
    [(log_folder,)] = _rows(database, "SELECT setting FROM pg_settings WHERE name = 'data_directory'")
    server_log = (Path(str(log_folder)).parent / "log").read_text(errors="replace")
    for secret in (*TRACES, file_key):
        assert secret not in server_log, secret
    for client in (ann, sue, sam):
        await client.close()


@pytest.mark.asyncio
async def test_m0120_seals_what_schema_110_stored_in_plaintext(database, tmp_path):
    base = database.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS schema110 WITH (FORCE)")
        conn.execute("CREATE DATABASE schema110")
    old = base + "/schema110"
    try:
        with psycopg.connect(old, autocommit=True) as raw:
            conn = PostgresConnection(raw, sealing.PersonKeys(b"\0" * 32))
            conn.execute("CREATE TABLE schema_version (version BIGINT NOT NULL)")
            p0110_postgresql.apply(conn)
            conn.execute("INSERT INTO schema_version (version) VALUES (110)")
            at = "2026-11-30T10:00:00.000Z"
            conn.execute("INSERT INTO visitors (id, token_sha256, created_at, last_seen, name, email) "
                         "VALUES ('v1', 't1', ?, ?, ?, ?)", (at, at, NAME, EMAIL))
            conn.execute("INSERT INTO visitor_insights (visitor_id, ip, company, visits, first_seen, "
                         "updated_at) VALUES ('v1', '192.0.2.77', 'Spreewald Logistik GmbH', 2, ?, ?)",
                         (at, at))
            conn.execute("INSERT INTO page_views (visitor_id, url, title, at) "
                         "VALUES ('v1', 'http://shop.example/grinders', 'Grinders', ?)", (at,))
            conn.execute("INSERT INTO chats (id, visitor_id, state, started_at) "
                         "VALUES ('c1', 'v1', 'active', ?)", (at,))
            conn.execute("INSERT INTO messages (chat_id, at, id, author, author_name, text) "
                         "VALUES ('c1', ?, 'm1', 'visitor', ?, ?)", (at, NAME, MESSAGE))
            conn.execute("INSERT INTO notices (id, version, language, title, body, purposes, sha256, "
                         "published_at) VALUES ('n', 1, 'en', 'N', 'B', '[]', 'x', ?)", (at,))
            conn.execute("INSERT INTO detail_requests (id, chat_id, operator_id, notice_id, notice_version, "
                         "fields, purpose, requested_at, status) VALUES ('r1', 'c1', NULL, 'n', 1, "
                         "'[\"phone\"]', 'contact_details', ?, 'received')", (at,))
            conn.execute("INSERT INTO received_details (request_id, visitor_id, fields, received_at) "
                         "VALUES ('r1', 'v1', ?, ?)", (f'{{"phone": "{PHONE}"}}', at))
        db = Database.open(tmp_path / "data", None, old)
        try:
            assert _rows(old, "SELECT max(version) FROM schema_version") == [(POSTGRESQL[-1][0],)]
            assert POSTGRESQL[-1][0] == m0120_person_keys.VERSION
            [message] = await db.call(repository.messages_of, "c1")
            assert (message.author_name, message.text) == (NAME, MESSAGE)
            [detail] = await db.call(repository.details_of_chat, "c1")
            assert detail.values == {"phone": PHONE}
            insights = await db.call(repository.insights_of, "v1")
            assert (insights.ip, insights.company) == ("192.0.2.77", "Spreewald Logistik GmbH")
            found = await db.call(subjects.find, EMAIL)
            assert [(s.visitor_id, s.name) for s in found] == [("v1", NAME)]
        finally:
            await db.close()
        # Sealed in place, and the plaintext's dead rows rewritten away.
        on_disk = raw_pages(old).decode("latin-1")
        for trace in TRACES:
            assert trace not in on_disk, trace
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS schema110 WITH (FORCE)")
