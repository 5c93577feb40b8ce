"""No frame over the limit, whatever visitors send: a chat of thirty 10,000-character messages, read by
clients that enforce the 256 KiB limit themselves (as the desk does). Every history that can grow comes
in pages (``chat.accept`` then ``chat.history``, ``transcripts.get``, ``subjects.export``); a reloaded
widget gets the newest messages that fit.

Before, the answers to ``chat.accept``, ``transcripts.get`` and ``subjects.export`` were 305 KB (1.8 MB
with control characters), and a desk that keeps the limit was disconnected and could not even sign in.
"""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio

from operator_desk.protocol import MAX_FRAME_BYTES
from operator_desk.protocol.export import merge_export_pages
from tests.kit.accounts import PASSWORD
from tests.kit.clients import AsyncClient
from tests.kit.servers import GENEROUS, start
from tests.kit.visitors import arrive, consent

pytestmark = pytest.mark.asyncio

# 10,000 characters of the longest JSON there is for message text now: four UTF-8 bytes each, and
# quotes (two bytes each once escaped) between.
LONG = ("\U0001f600" * 4999 + '"') * 2
LIMITED = {"max_size": MAX_FRAME_BYTES}


@pytest_asyncio.fixture
async def server(tmp_path):
    """Thirty long messages at once are over a visitor's message rate: this server's rates are generous."""
    running = await start(tmp_path, demo=True, limits=GENEROUS)
    try:
        for username, role in (("ann", "operator"), ("lee", "team_lead"), ("sue", "supervisor")):
            await running.add_operator(username, PASSWORD, role, username.title())
        yield running
    finally:
        await running.close()


def largest_frame(*clients: AsyncClient) -> int:
    return max(len(frame.encode()) for client in clients for frame in client.raw)


async def limited_login(server, username: str) -> AsyncClient:
    client = await AsyncClient.connect(server.operator_url, **LIMITED)
    client.login = await client.ok("auth.login", {"username": username, "password": PASSWORD})
    return client


async def long_chat(server) -> tuple[AsyncClient, AsyncClient, dict]:
    ann = await limited_login(server, "ann")
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Vera"}))["chat"]
    for n in range(30):
        await visitor.ok("chat.send", {"client_msg_id": f"v{n}", "text": f"{n:02d}" + LONG[2:]})
    return ann, visitor, chat


async def test_accepting_a_long_chat_comes_in_pages_under_the_limit(server):
    ann, visitor, chat = await long_chat(server)
    accepted = await ann.ok("chat.accept", {"chat_id": chat["id"]})
    texts = [m["text"][:2] for m in accepted["messages"]]
    cursor = accepted["next_cursor"]
    assert cursor is not None and 0 < len(texts) < 30
    while cursor is not None:
        page = await ann.ok("chat.history", {"chat_id": chat["id"], "cursor": cursor})
        texts.extend(m["text"][:2] for m in page["messages"])
        cursor = page["next_cursor"]
    assert texts == [f"{n:02d}" for n in range(30)]
    assert not ann.closed.done()
    assert largest_frame(ann) < MAX_FRAME_BYTES
    # The widget, reloaded: the newest messages that fit, in order.
    again = await AsyncClient.connect(server.visitor_url, **LIMITED)
    hello = await again.ok("visitor.hello", {"page": {"url": "http://shop.example/"},
                                             "visitor_token": visitor.hello["visitor_token"]})
    shown = [m["text"][:2] for m in hello["messages"]]
    assert shown and shown == [f"{n:02d}" for n in range(30 - len(shown), 30)]
    assert largest_frame(again) < MAX_FRAME_BYTES


async def test_a_long_transcript_and_export_come_in_pages_under_the_limit(server):
    ann, visitor, chat = await long_chat(server)
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    lee = await limited_login(server, "lee")
    pages = [await lee.ok("transcripts.get", {"chat_id": chat["id"]})]
    while pages[-1]["next_cursor"] is not None:
        following = {"chat_id": chat["id"], "cursor": pages[-1]["next_cursor"]}
        pages.append(await lee.ok("transcripts.get", following))
    assert len(pages) > 1
    assert [m["text"][:2] for p in pages for m in p["messages"]] == [f"{n:02d}" for n in range(30)]
    assert [c["purpose"] for p in pages for c in p["consents"]] == ["chat"]
    # One view, one audit entry: the pages after the first are part of it.
    sue = await limited_login(server, "sue")
    views = [e for e in (await sue.ok("audit.list", {}))["entries"] if e["action"] == "transcripts.get"]
    assert len(views) == 1

    exports = [await sue.ok("subjects.export", {"visitor_id": visitor.visitor_id})]
    while exports[-1]["next_cursor"] is not None:
        exports.append(await sue.ok("subjects.export", {"visitor_id": visitor.visitor_id,
                                                        "cursor": exports[-1]["next_cursor"]}))
    assert len(exports) > 1
    export = merge_export_pages(p["export"] for p in exports)
    [exported] = export["chats"]
    assert exported["id"] == chat["id"] and exported["state"] == "active"
    assert [m["text"][:2] for m in exported["messages"]] == [f"{n:02d}" for n in range(30)]
    assert export["visitor"]["id"] == visitor.visitor_id
    assert [c["purpose"] for c in export["consents"]] == ["chat"]
    assert largest_frame(lee, sue) < MAX_FRAME_BYTES


async def test_a_forged_cursor_is_refused(server):
    """Cursors are signed: nobody skips the first page of a transcript, which writes the audit entry."""
    _ann, _visitor, chat = await long_chat(server)
    lee = await limited_login(server, "lee")
    first = await lee.ok("transcripts.get", {"chat_id": chat["id"]})
    mac = first["next_cursor"].partition(".")[2]
    forged = "WzAsbnVsbF0." + mac  # [0,null]: from the start, without the audit entry
    assert await lee.refused("transcripts.get", {"chat_id": chat["id"], "cursor": forged}) == "bad_request"


async def test_control_characters_in_a_message_are_refused_and_nothing_is_stored(server):
    """Each is six bytes in JSON: they made thirty messages 1.8 MB. Tab and line breaks are text."""
    _ann, visitor, _ = await long_chat(server)
    response = await visitor.request("chat.send", {"client_msg_id": "bell", "text": "ring \x07 ring"})
    assert response["error"]["code"] == "bad_request" and "text" in response["error"]["message"]
    assert (await visitor.ok("chat.send", {"client_msg_id": "ok", "text": "two\nlines\tand a tab\r\n"}))


async def test_the_open_chats_come_in_pages(server):
    """Many visitors waiting at once (each chat a few hundred bytes): chats.list pages like the visitor
    snapshot, so a busy site's queue never makes a frame too large for a desk."""

    async def waiting(n: int) -> AsyncClient:
        visitor = await arrive(server, ip=f"192.0.2.{n + 10}")
        await consent(visitor, "chat", granted=True, method="prechat_form")
        await visitor.ok("chat.start", {"name": f"Visitor {n}"})
        return visitor

    await asyncio.gather(*(waiting(n) for n in range(45)))
    ann = await limited_login(server, "ann")
    page = await ann.ok("chats.list", {"limit": 20})
    ids = [c["id"] for c in page["chats"]]
    pages = 1
    while page["next_cursor"] is not None:
        page = await ann.ok("chats.list", {"limit": 20, "cursor": page["next_cursor"]})
        ids.extend(c["id"] for c in page["chats"])
        pages += 1
    assert pages == 3 and len(ids) == len(set(ids)) == 45
    lee = await limited_login(server, "lee")
    assert await lee.refused("chats.list", {"cursor": page_cursor_of(ann)}) == "bad_request"  # not lee's


def page_cursor_of(client: AsyncClient) -> str:
    """The first cursor a client was given (a cursor belongs to the operator it was given to)."""
    import json

    for frame in client.raw:
        message = json.loads(frame)
        cursor = (message.get("payload") or {}).get("next_cursor")
        if cursor:
            return cursor
    raise AssertionError("no cursor")
