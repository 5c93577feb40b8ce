"""Crypto-shredding on PostgreSQL (server/sealing.py): personal fields are ciphertext in PostgreSQL's
own files while the person lives, every view still reads them, an erasure deletes the person's key so
that no copy of their rows (dead rows, a dump taken before) opens any more, and a wrong or missing key
file is refused before anything is changed. The same for what staff wrote and the server queued about
the person (review notes, case texts, approval reasons, audit details, webhook bodies: m0130)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import logging
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Author, Chat, ChatState, Message
from operator_desk.server import approvals, cases, repository, reviews, sealing, subjects
from operator_desk.server.db import Database
from operator_desk.server.db_errors import KeyFileError, WrongKey
from operator_desk.server.migrations import (
    POSTGRESQL,
    m0120_person_keys,
    m0130_seal_staff_texts,
    p0110_postgresql,
)
from operator_desk.server.postgresql import PostgresConnection
from operator_desk.server.webhooks import outbox, payloads
from tests.kit.cases import erase_with_approval
from tests.kit.clients import AsyncClient, login
from tests.kit.postgres import binaries, raw_pages
from tests.kit.servers import open_database
from tests.server.test_server_subjects import EMAIL, MESSAGE, NAME, PHONE, person_with_history, unique_person
from tests.server.webhook_site import SECRET, started, until

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


@contextlib.contextmanager
def scratch_database(database: str, name: str) -> Iterator[str]:
    """The URL of a database of its own beside the test's, dropped afterwards."""
    base = database.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def dump_without_keys(database: str, dump: Path) -> str:
    """A backup as docs/scaling.md ("Backups") takes it: the data without the key table. Its text."""
    bin_dir = binaries()
    assert bin_dir is not None
    await _run(bin_dir / "pg_dump", "--no-owner", "--exclude-table-data=person_keys*", "-f", str(dump),
               database)
    return await asyncio.to_thread(dump.read_text, encoding="utf-8")


async def restore_beside_live_keys(dump: Path, database: str, restored: str) -> None:
    """The dump restored as docs/scaling.md says: its data, and the newest key table (the live one)."""
    bin_dir = binaries()
    assert bin_dir is not None
    await _run(bin_dir / "psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(dump), restored)
    with psycopg.connect(restored, autocommit=True) as conn:
        for row in _rows(database, "SELECT visitor_id, wrapped FROM person_keys"):
            conn.execute("INSERT INTO person_keys (visitor_id, wrapped) VALUES (%s, %s)", row)


def give_key(url: str, visitor_id: str, wrapped: object) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO person_keys (visitor_id, wrapped) VALUES (%s, %s)", (visitor_id, wrapped))


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
    dumped = await dump_without_keys(database, dump)
    assert visitor.visitor_id in dumped
    for trace in TRACES:
        assert trace not in dumped, trace

    await erase_with_approval(sue, sam, visitor.visitor_id, "Art. 17 request")
    assert _rows(database, "SELECT count(*) FROM person_keys WHERE visitor_id = %s",
                 (visitor.visitor_id,)) == [(0,)]
    # Not even the dead row of the key is left in the live files (person_keys is rewritten).
    assert bytes(wrapped) not in raw_pages(database, wal=False)

    with scratch_database(database, "restored") as restored:
        await restore_beside_live_keys(dump, database, restored)
        db = Database.open(tmp_path / "data", tmp_path / "data" / "server.key", restored)
        try:
            texts = [m.text for m in await db.call(repository.messages_of, chat_id)]
            assert len(texts) == 2 and MESSAGE not in texts and texts[0] == ""
            assert await db.call(repository.insights_of, visitor.visitor_id) is None
            # The control: with the key the person had, the same copy opens.
            give_key(restored, visitor.visitor_id, wrapped)
            assert (await db.call(repository.messages_of, chat_id))[0].text == MESSAGE
        finally:
            await db.close()
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



@pytest.mark.asyncio
async def test_a_key_dropped_from_the_cache_is_not_used_again(database, tmp_path):
    """Another node erases a person: their key is gone from the database, and ``drop`` (called from the
    bus's thread, not the worker's) takes this worker's copy out of its cache, so that nothing of the
    person opens here any more, though their rows were still at hand (a copy, a row not deleted yet)."""
    db = open_database(tmp_path / "data")
    try:
        await db.call(repository.create_visitor, "v1", "t1", now_ts(), None)
        await db.call(repository.set_contact, "v1", NAME, EMAIL)
        by_token = await db.call(repository.visitor_by_token, "t1")
        assert by_token is not None and by_token.name == NAME
        sealer = await db.call(sealing.of)
        await db.call(lambda conn: conn.execute("DELETE FROM person_keys WHERE visitor_id = 'v1'"))
        # Cached: the key is still in memory until dropped.
        assert (await db.call(repository.visitor_by_token, "t1")).name == NAME
        await asyncio.to_thread(sealer.drop, ["v1"])
        assert (await db.call(repository.visitor_by_token, "t1")).name is None
    finally:
        await db.close()

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
    with scratch_database(database, "schema110") as old:
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
            assert m0120_person_keys.VERSION in dict(POSTGRESQL)
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


# -- what staff write and the server queues about a person (m0130) -------------------------------------


def staff_texts() -> dict[str, str]:
    """A free text of each kind staff write about a person, none of them in any other test's rows; and
    the time a desk reports it read the chat from its cache (an audit detail's)."""
    tag = secrets.token_hex(4)
    return {kind: f"{kind} {tag}" for kind in (
        "review note", "identity note", "reference", "extension reason", "step note", "outcome note",
        "approval reason", "note before linking")} | {
        "read at": f"2026-0{int(tag[0], 16) % 9 + 1}-1{int(tag[1], 16) % 9}T0{int(tag[2], 16) % 9}:"
                   f"{int(tag[3:5], 16) % 60:02d}:{int(tag[5:7], 16) % 60:02d}.{int(tag[7], 16) % 10}17Z"}


async def write_staff_texts(sue: AsyncClient, visitor_id: str, chat_id: str,
                            texts: dict[str, str]) -> tuple[str, str]:
    """Every place staff write about the person, through the operator protocol. Returns the ids of the
    case opened about the person and of the one linked to them later."""
    today = datetime.date.today().isoformat()
    await sue.ok("reviews.add", {"chat_id": chat_id, "rating": 4, "note": texts["review note"]})
    case = (await sue.ok("cases.open", {
        "kind": "access", "received_on": today, "identity_check": "other", "visitor_id": visitor_id,
        "identity_note": texts["identity note"], "reference": texts["reference"]}))["case"]
    await sue.ok("cases.extend", {"case_id": case["id"], "months": 1, "reason": texts["extension reason"]})
    await sue.ok("cases.record", {"case_id": case["id"], "step": "note", "note": texts["step note"]})
    await sue.ok("cases.close", {"case_id": case["id"], "outcome": "fulfilled",
                                 "note": texts["outcome note"]})
    later = (await sue.ok("cases.open", {"kind": "portability", "received_on": today,
                                         "identity_check": "other"}))["case"]
    await sue.ok("cases.record", {"case_id": later["id"], "step": "note",
                                  "note": texts["note before linking"]})
    await sue.ok("cases.link", {"case_id": later["id"], "visitor_id": visitor_id})
    await sue.ok("approvals.request", {"action": "subjects.export", "case_id": later["id"],
                                       "visitor_id": visitor_id, "reason": texts["approval reason"]})
    await sue.ok("audit.report", {"views": [{"chat_id": chat_id, "at": texts["read at"]}]})
    return case["id"], later["id"]


async def staff_views(sue: AsyncClient, visitor_id: str, chat_id: str, case_ids: tuple[str, str]) -> str:
    """What the desk's views show of it (reviews, cases, approvals, the audit log, the export)."""
    shown: list[Any] = [await sue.ok("reviews.list", {"chat_id": chat_id})]
    shown += [await sue.ok("cases.get", {"case_id": case_id}) for case_id in case_ids]
    shown.append(await sue.ok("approvals.list", {}))
    shown.append(await sue.ok("audit.list", {}))
    shown.append(await sue.ok("subjects.export", {"visitor_id": visitor_id}))
    return json.dumps(shown, ensure_ascii=False)


@pytest.mark.asyncio
async def test_what_staff_wrote_and_the_outbox_holds_is_ciphertext_on_disk_while_every_view_reads_it(
        tmp_path, database, webhook_receivers):
    crm = webhook_receivers()
    crm.down = 503  # every event about the person waits in the outbox
    purposes = ["chat", "contact_details", "visitor_insights"]
    server = await started(tmp_path, [crm.entry("crm", purposes, SECRET, max_attempts=1_000_000)])
    ann, sue = await login(server, "ann"), await login(server, "sue")
    try:
        person, texts = unique_person(), staff_texts()
        visitor, chat_id = await person_with_history(server, ann, **person)
        await visitor.ok("chat.end")
        case_ids = await write_staff_texts(sue, visitor.visitor_id, chat_id, texts)
        assert server.hub.webhooks is not None
        await asyncio.wait_for(server.hub.webhooks.until(lambda: _waiting(server, "chat.ended")), 20)

        on_disk = raw_pages(database, wal=True).decode("latin-1")
        # (Not the note written while its case named nobody: in clear then, its dead row and WAL record
        # keep it until a vacuum and the WAL's recycling; docs/scaling.md says so.)
        for trace in (*(t for kind, t in texts.items() if kind != "note before linking"),
                      person["message"], person["phone"]):
            assert trace not in on_disk, trace
        # As SQL (a dump, a replica) sees them: the linked-later case's texts are sealed too, every
        # audit detail about the person is, and every body waiting for the receiver.
        details = _rows(database, "SELECT detail FROM audit_log WHERE subject = %s AND detail IS NOT NULL",
                        (visitor.visitor_id,))
        assert len(details) >= 8 and not any(str(detail).startswith("{") for (detail,) in details)
        [(note,)] = _rows(database, "SELECT note FROM subject_case_steps WHERE case_id = %s AND note <> ''",
                          (case_ids[1],))
        assert note != texts["note before linking"]
        bodies = _rows(database, "SELECT body FROM webhook_outbox WHERE visitor_id = %s",
                       (visitor.visitor_id,))
        assert len(bodies) >= 4 and not any(_is_json(bytes(body)) for (body,) in bodies)
        # Each is sealed under the person's key (a body in clear would not open: SealError).
        opened = await server.db.call(lambda conn: [
            outbox.opened_body(conn, visitor.visitor_id, body) for (body,) in bodies])
        assert all(_is_json(body) for body in opened)
        # Nor are the server's own secrets (the webhook person ids' key, here) in clear.
        person_key = await server.db.call(repository.secret, payloads.PERSON_KEY_SETTING)
        assert person_key not in raw_pages(database, wal=True)

        # Every view reads them.
        shown = await staff_views(sue, visitor.visitor_id, chat_id, case_ids)
        for trace in texts.values():
            assert trace in shown, trace
        # The receiver gets the bodies in plaintext, signed as ever, once it is back.
        crm.down = None
        events = await until(crm, lambda got: any(e["type"] == "chat.ended" for e in got))
        ended = next(e for e in events if e["type"] == "chat.ended")
        assert person["message"] in json.dumps(ended, ensure_ascii=False)
        for client in (visitor,):
            await client.close()
    finally:
        for client in (ann, sue):
            await client.close()
        await server.close()


def _is_json(data: bytes) -> bool:
    """Whether ``data`` is a JSON document (a body in clear). Not "starts with {": a sealed body starts
    with its random nonce, whose first byte is "{" once in 256."""
    try:
        json.loads(data)
    except ValueError:  # not UTF-8, or not JSON
        return False
    return True


def _waiting(server: Any, kind: str) -> Any:
    async def holds() -> bool:
        return bool(await server.db.call(lambda conn: conn.execute(
            "SELECT 1 FROM webhook_outbox WHERE kind = ? AND state = 'pending'", (kind,)).fetchall()))
    return holds()


@pytest.mark.asyncio
async def test_after_an_erasure_a_dump_taken_before_yields_nothing_staff_wrote_about_the_person(
        database, tmp_path, webhook_receivers):
    """As above, for what staff wrote about the person and the webhook bodies waiting for a receiver
    that is down: the dump holds them sealed, and after the erasure they open as nothing."""
    crm = webhook_receivers()
    crm.down = 503
    server = await started(tmp_path, [crm.entry("crm", ["chat", "contact_details"], SECRET,
                                                max_attempts=1_000_000)])
    ann, sue, sam = await login(server, "ann"), await login(server, "sue"), await login(server, "sam")
    try:
        person, texts = unique_person(), staff_texts()
        visitor, chat_id = await person_with_history(server, ann, **person)
        await ann.ok("chat.close", {"chat_id": chat_id})
        case_ids = await write_staff_texts(sue, visitor.visitor_id, chat_id, texts)
        assert server.hub.webhooks is not None
        await asyncio.wait_for(server.hub.webhooks.until(lambda: _waiting(server, "chat.ended")), 20)
        traces = (*texts.values(), person["message"], person["phone"])  # the last two: in the bodies
        [(wrapped,)] = _rows(database, "SELECT wrapped FROM person_keys WHERE visitor_id = %s",
                             (visitor.visitor_id,))
        dump = tmp_path / "before.sql"
        dumped = await dump_without_keys(database, dump)
        assert case_ids[0] in dumped
        for trace in traces:
            assert trace not in dumped, trace
        await erase_with_approval(sue, sam, visitor.visitor_id, "Art. 17 request")
        await visitor.close()
    finally:
        for client in (ann, sue, sam):
            await client.close()
        await server.close()

    with scratch_database(database, "restored") as restored:
        await restore_beside_live_keys(dump, database, restored)
        db = Database.open(tmp_path / "data", tmp_path / "data" / "server.key", restored)
        try:
            read = await db.call(_staff_rows, visitor.visitor_id, chat_id, case_ids)
            for trace in traces:
                assert trace not in read, trace
            # The control: with the key the person had, the same copy opens.
            give_key(restored, visitor.visitor_id, wrapped)
            read = await db.call(_staff_rows, visitor.visitor_id, chat_id, case_ids)
            for trace in traces:
                assert trace in read, trace
        finally:
            await db.close()


def _staff_rows(conn: Any, visitor_id: str, chat_id: str, case_ids: tuple[str, str]) -> str:
    """What the server's own reading of a copy gives of the person's staff texts and queued bodies."""
    read: list[Any] = [review.note for _, review in reviews.reviews_after(conn, chat_id, None, 100)]
    for case_id in case_ids:
        case = cases.case_by_id(conn, case_id)
        assert case is not None
        read += [case.identity_note, case.reference, case.extension_reason, case.outcome_note]
        read += [step.note for step in cases.steps_of(conn, case_id)]
    read += [approval.reason for approval in (approvals.approval_by_id(conn, row[0]) for row in conn.execute(
        "SELECT id FROM approvals WHERE visitor_id = ?", (visitor_id,)).fetchall()) if approval is not None]
    read += [entry.detail for entry in repository.audit_about(conn, visitor_id)]
    bodies = conn.execute("SELECT body FROM webhook_outbox WHERE visitor_id = ? AND body IS NOT NULL",
                          (visitor_id,)).fetchall()
    read += [(outbox.opened_body(conn, visitor_id, body) or b"").decode() for (body,) in bodies]
    return json.dumps(read, ensure_ascii=False)


@pytest.mark.asyncio
async def test_m0130_seals_what_schema_120_stored_in_plaintext(database, tmp_path):
    """A database at schema 120 (m0120's sealing done) with staff texts, audit details and webhook bodies
    in clear: m0130 seals each under its person's key, blanks those of a person no longer stored, keeps
    in clear what names nobody, and every view reads the same as before."""
    file_key = secrets.token_bytes(32)
    key_file = tmp_path / "data" / "server.key"
    key_file.parent.mkdir(mode=0o700)
    key_file.write_text(file_key.hex())
    texts = staff_texts()
    pseudonym_key = secrets.token_bytes(32)
    at = "2026-11-30T10:00:00.000Z"
    body = json.dumps({"id": "evt_1", "type": "chat.ended", "text": MESSAGE}).encode()
    erasure = b'{"id":"evt_2","person":"p_2","reason":"request","type":"subject.erased"}'
    with scratch_database(database, "schema120") as old:
        with psycopg.connect(old, autocommit=True) as raw:
            conn = PostgresConnection(raw, sealing.PersonKeys(file_key))
            conn.execute("CREATE TABLE schema_version (version BIGINT NOT NULL)")
            p0110_postgresql.apply(conn)
            m0120_person_keys.apply_postgresql(conn)
            conn.execute("INSERT INTO schema_version (version) VALUES (110), (120)")
            conn.execute("INSERT INTO operators (id, username, name, role, password_hash, created_at) "
                         "VALUES ('op_1', 'sue', 'Sue', 'supervisor', 'x', ?)", (at,))
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)",
                         (subjects.PSEUDONYM_KEY, pseudonym_key))
            conn.execute("INSERT INTO visitors (id, token_sha256, created_at, last_seen) "
                         "VALUES ('v1', 't1', ?, ?)", (at, at))
            conn.execute("INSERT INTO chats (id, visitor_id, state, started_at) "
                         "VALUES ('c1', 'v1', 'closed', ?)", (at,))
            conn.execute("INSERT INTO reviews (id, chat_id, author_id, author_name, rating, note, at) "
                         "VALUES ('rev_1', 'c1', 'op_1', 'Sue', 4, ?, ?)", (texts["review note"], at))
            for case_id, visitor_id, note in (("case_1", "v1", texts["identity note"]),
                                              ("case_2", None, texts["note before linking"]),
                                              ("case_3", "v_purged", texts["reference"])):
                conn.execute("INSERT INTO subject_cases (id, kind, received_on, due_on, identity_check, "
                             "identity_note, extension_reason, visitor_id, opened_by, opened_at) "
                             "VALUES (?, 'access', '2026-11-30', '2026-12-30', 'other', ?, ?, ?, 'op_1', ?)",
                             (case_id, note, texts["extension reason"] if case_id == "case_1" else "",
                              visitor_id, at))
                conn.execute("INSERT INTO subject_case_steps (case_id, at, step, actor, note) "
                             "VALUES (?, ?, 'note', 'op_1', ?)", (case_id, at, note + " step"))
            conn.execute("INSERT INTO approvals (id, action, case_id, visitor_id, reason, state, "
                         "requested_by, requested_at, expires_at) VALUES ('appr_1', 'subjects.export', "
                         "'case_1', 'v1', ?, 'pending', 'op_1', ?, '2026-12-31T00:00:00.000Z')",
                         (texts["approval reason"], at))
            for subject, detail in (("v1", {"chat_id": "c1", "read_at": texts["read at"]}),
                                    ("op_1", {"username": "sue"}), ("v_purged", {"case_id": "case_3"})):
                conn.execute("INSERT INTO audit_log (at, actor, action, subject, detail) "
                             "VALUES (?, 'op_1', 'x', ?, ?)", (at, subject, json.dumps(detail)))
            for seq, visitor_id, stored, kind in ((1, "v1", body, "chat.ended"),
                                                  (2, None, erasure, "subject.erased")):
                conn.execute("INSERT INTO webhook_outbox (seq, event_id, receiver, kind, person, visitor_id, "
                             "body, created_at) VALUES (?, ?, 'crm', ?, ?, ?, ?, ?)",
                             (seq, f"evt_{seq}", kind, f"p_{seq}", visitor_id, stored, at))
        db = Database.open(tmp_path / "data", key_file, old)
        try:
            assert _rows(old, "SELECT max(version) FROM schema_version") == [
                (m0130_seal_staff_texts.VERSION,)]
            read = await db.call(_staff_rows, "v1", "c1", ("case_1", "case_2"))
            for kind in ("review note", "identity note", "extension reason", "approval reason",
                         "note before linking", "read at"):
                assert texts[kind] in read, kind
            assert f'{texts["identity note"]} step' in read
            # A case about a person no longer stored keeps no free text, as an erased person's does.
            purged = await db.call(cases.case_by_id, "case_3")
            assert purged is not None and purged.identity_note == ""
            assert [s.note for s in await db.call(cases.steps_of, "case_3")] == [""]
            # Audit details about anyone but a stored visitor stay as they were.
            for subject, detail in (("op_1", {"username": "sue"}), ("v_purged", {"case_id": "case_3"})):
                assert [e.detail for e in await db.call(repository.audit_about, subject)] == [detail]
            due = await db.call(outbox.due, "crm", 2e9, 10)
            assert [(d.seq, d.body) for d in due] == [(1, body), (2, erasure)]
            queue = await db.call(outbox.queue_of, "crm")
            assert (queue.events, queue.bytes) == (2, len(body) + sealing.NONCE + 16 + len(erasure))
            # The server's secrets are wrapped under the key file, and read as they were.
            assert await db.call(repository.secret, subjects.PSEUDONYM_KEY) == pseudonym_key
        finally:
            await db.close()
        # Sealed in place (what names nobody stays as it was), and the plaintext's dead rows rewritten
        # away.
        on_disk = raw_pages(old).decode("latin-1")
        for kind in ("review note", "identity note", "extension reason", "approval reason", "read at",
                     "reference"):
            assert texts[kind] not in on_disk, kind
        assert MESSAGE not in on_disk and texts["note before linking"] in on_disk
        assert pseudonym_key not in raw_pages(old)
        [(stored,)] = _rows(old, "SELECT value FROM settings WHERE key = %s", (subjects.PSEUDONYM_KEY,))
        assert len(bytes(stored)) == sealing.NONCE + 32 + 16
