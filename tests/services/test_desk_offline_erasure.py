"""An erasure reaches a desk that was shut when it happened, and a server's retention purge reaches
every desk's cache: the real desk, the real server, a real encrypted cache file, read back decrypted.

The desk catches up from the server's erasure journal (``subjects.erased_since``) at every sign-in,
before it shows anything; a desk that cannot follow the journal keeps nothing it cannot vouch for."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
import sqlcipher3

from operator_desk.domain.clock import format_ts
from operator_desk.domain.model import Purpose
from operator_desk.server import journal, retention
from operator_desk.server.config import Retention
from operator_desk.services.desk import Desk
from operator_desk.services.events import (
    ChatArrived,
    ChatsChanged,
    DetailsChanged,
    MessagesAdded,
    SignedIn,
)
from tests.kit.accounts import DEMO_PASSWORD
from tests.kit.cases import erase_with_approval
from tests.kit.clients import login
from tests.kit.desks import Events, decrypted_rows, make_desk, open_store
from tests.kit.timing import FAST
from tests.kit.visitors import consent

IP = "192.0.2.10"   # the bundled directory: Berlin, Spreewald Logistik GmbH
PERSON = {
    "name": "Gwendolyn Quarterfield",
    "email": "gwendolyn.q@example.org",
    "message": "my order Xylophone-5521 came broken",
    "reply": "sorry about the Marmalade-3310 mixup",
    "phone": "+49 30 5550199",
    "postal_address": "Lindenallee 77, Potsdam",
}
TRACES = (*PERSON.values(), IP, "Spreewald Logistik", "Berlin")
# Words of the messages, as the FTS index holds them (lowercased by its tokenizer).
WORDS = ("xylophone", "5521", "marmalade", "3310")


def fts_hits(path, key: bytes, word: str) -> int:
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        return conn.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?",
                            (f'"{word}"',)).fetchone()[0]
    finally:
        conn.close()


class ShownSink(Events):
    """The desk's event sink that, at the first event the UI would show (signed in, a chat, a message),
    reads what the cache file holds then (with a second connection: the desk's own is busy)."""

    def __init__(self, path, key: bytes) -> None:
        super().__init__()
        self._path, self._key = path, key
        self.held_when_shown: list[str] = []

    def __call__(self, event):
        if not self.held_when_shown and isinstance(event, SignedIn | ChatsChanged | MessagesAdded
                                                   | ChatArrived):
            self.held_when_shown.append(decrypted_rows(self._path, self._key))
        super().__call__(event)


async def erased_by_two_supervisors(server, visitor_id: str, reason: str) -> None:
    """Sam asks for the erasure; the demo's second supervisor approves it (four eyes), which erases.
    Both at other desks (the protocol is enough)."""
    sam = await login(server, "sam", "another supervisor")
    dpo = await login(server, "dpo", DEMO_PASSWORD)
    try:
        await erase_with_approval(sam, dpo, visitor_id, reason)
    finally:
        await sam.close()
        await dpo.close()


@contextlib.asynccontextmanager
async def started_again(server, path, key: bytes) -> AsyncIterator[tuple[Desk, ShownSink]]:
    """The demo operator's desk started again with its stored token and its cache at ``path``, signed
    in; its events recorded by a ``ShownSink``. Desk and cache are closed after the block."""
    store, _ = await open_store(path, key)
    events = ShownSink(path, key)
    desk = make_desk(server.url, events, store, profile="olu")
    try:
        assert await desk.start()
        await events.wait_for(SignedIn)
        yield desk, events
    finally:
        await desk.close()
        await store.close()


async def desk_with_a_chat(server, events, store, visitors, *, close_chat: bool = False, timing=FAST):
    """The demo operator's desk, a visitor who chatted with insights and gave a phone and an address."""
    desk = make_desk(server.url, events, store, profile="olu", timing=timing)
    await desk.sign_in("operator", "demo")
    await events.wait_for(SignedIn)
    visitor = await visitors(server, ip=IP)
    for purpose in ("chat", "visitor_insights"):
        await consent(visitor, purpose, granted=True, method="widget_settings")
    chat = (await visitor.ok("chat.start", {"name": PERSON["name"], "email": PERSON["email"],
                                                  "message": PERSON["message"]}))["chat"]
    await events.wait_for(ChatArrived, lambda e: e.chat.id == chat["id"])
    await desk.accept_chat(chat["id"])
    await desk.send_message(chat["id"], PERSON["reply"])
    notice = desk.notice_for(Purpose.CONTACT_DETAILS, "en")
    request_id = await desk.request_details(chat["id"], notice, ["phone", "postal_address"])
    await visitor.push("details.requested")
    await visitor.ok("consent.set", {"purpose": "contact_details", "granted": True,
                                          "notice_id": notice.id, "notice_version": notice.version,
                                          "method": "details_prompt"})
    await visitor.ok("details.submit", {"request_id": request_id, "fields": {
        "phone": PERSON["phone"], "postal_address": PERSON["postal_address"]}})
    await events.wait_for(DetailsChanged, lambda e: e.record.status == "received")
    if close_chat:
        await desk.close_chat(chat["id"])
        await events.wait_for(ChatsChanged, lambda e: any(c.id == chat["id"] and c.state.value == "closed"
                                                          for c in e.chats))
    await desk.flush()
    return desk, visitor, chat["id"]


@pytest_asyncio.fixture
async def sam(server):
    await server.add_operator("sam", "another supervisor", "supervisor", "Sam Supervisor")


@pytest.mark.asyncio
async def test_an_erasure_made_while_the_desk_was_shut_is_gone_from_its_cache(
        server, sam, memory_keyring, visitors, tmp_path):
    path = tmp_path / "cache.db"
    store, key = await open_store(path)
    desk, visitor, chat_id = await desk_with_a_chat(server, Events(), store, visitors)
    await desk.close()
    await store.close()
    # The cache held all of it: so finding nothing later means it was purged.
    held = decrypted_rows(path, key)
    assert all(trace in held for trace in TRACES), [t for t in TRACES if t not in held]
    assert all(fts_hits(path, key, word) for word in WORDS)

    # While the desk is shut, another supervisor erases the person.
    await erased_by_two_supervisors(server, visitor.visitor_id, "Art. 17 request")

    # The desk starts again with its token and its cache.
    async with started_again(server, path, key) as (desk, events):
        seen_when_shown = events.held_when_shown
        assert seen_when_shown and not [t for t in TRACES if t in seen_when_shown[0]]
        assert visitor.visitor_id not in desk.visitors and chat_id not in desk.chats
        assert desk.messages_of(chat_id) == ()
    rows = decrypted_rows(path, key)
    found = [t for t in (*TRACES, visitor.visitor_id, chat_id) if t in rows]
    assert not found, f"still in the decrypted cache: {found}"
    assert not [w for w in WORDS if fts_hits(path, key, w) or w in rows.lower()]


@pytest.mark.asyncio
async def test_a_server_retention_purge_reaches_the_cache_of_a_desk_that_was_shut(
        server, memory_keyring, visitors, tmp_path):
    path = tmp_path / "cache.db"
    store, key = await open_store(path)
    desk, _visitor, chat_id = await desk_with_a_chat(server, Events(), store, visitors, close_chat=True)
    await desk.close()
    await store.close()
    assert PERSON["message"] in decrypted_rows(path, key)
    # The server's transcripts retention ends: the closed chat goes there, and then from the cache.
    await server.db.call(retention.purge, Retention(), datetime.now(UTC) + timedelta(days=31))

    store, _ = await open_store(path, key)
    events = Events()
    desk = make_desk(server.url, events, store, profile="olu")
    try:
        assert await desk.start()
        await events.wait_for(SignedIn)
        assert await store.get_chat(chat_id) is None
    finally:
        await desk.close()
        await store.close()
    rows = decrypted_rows(path, key)
    assert not [t for t in (PERSON["message"], PERSON["reply"], PERSON["phone"], chat_id) if t in rows]
    assert not [w for w in ("xylophone", "marmalade") if fts_hits(path, key, w)]


@pytest.mark.asyncio
async def test_a_retention_purge_reaches_a_desk_that_stays_signed_in(server, memory_keyring, visitors,
                                                                      tmp_path):
    store, _key = await open_store(tmp_path / "cache.db")
    events = Events()
    # The desk catches up every purge_interval (hourly) while signed in; here every 0.1 s.
    desk, _visitor, chat_id = await desk_with_a_chat(server, events, store, visitors, close_chat=True,
                                                    timing=dataclasses.replace(FAST, purge_interval=0.1))
    try:
        await server.db.call(retention.purge, Retention(), datetime.now(UTC) + timedelta(days=31))
        await events.wait_for(ChatsChanged, lambda e: chat_id in e.removed)
        assert chat_id not in desk.chats and desk.messages_of(chat_id) == ()
        await desk.flush()
        assert await store.get_chat(chat_id) is None
        assert await store.chat_messages(chat_id) == []
    finally:
        await desk.close()
        await store.close()


def forget_cursor(path, key: bytes) -> None:
    """The cache as a desk from before the journal left it: data, and no cursor."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        assert conn.execute("DELETE FROM settings WHERE key = 'erasure_journal.cursor'").rowcount == 1
    finally:
        conn.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("why", ["journal pruned past its cursor", "never caught up"])
async def test_a_desk_that_cannot_follow_the_journal_keeps_nothing_it_cannot_vouch_for(
        server, sam, memory_keyring, visitors, tmp_path, why):
    path = tmp_path / "cache.db"
    store, key = await open_store(path)
    desk, _visitor, chat_id = await desk_with_a_chat(server, Events(), store, visitors)
    await desk.close()
    await store.close()
    if why == "never caught up":
        forget_cursor(path, key)
    else:
        # Someone else is erased while the desk is away, and the server forgets that entry (its
        # journal period ended): the desk cannot know what it missed.
        other = await visitors(server)
        await consent(other, "chat", granted=True, method="prechat_form")
        await other.ok("chat.start", {"name": "Someone Else", "message": "hi"})
        await erased_by_two_supervisors(server, other.visitor_id, "x")
        later = format_ts(datetime.now(UTC) + timedelta(days=1))
        assert await server.db.call(journal.prune, later) == 1

    async with started_again(server, path, key) as (desk, events):
        # When the desk first showed anything, its cache held nothing about anyone...
        assert not [t for t in TRACES if t in events.held_when_shown[0]]
        # ...and then the server vouched for the chat that is still open: it is fetched again.
        await events.wait_for(MessagesAdded, lambda e: e.chat_id == chat_id)
