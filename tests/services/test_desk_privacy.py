"""Privacy in the desk, against the real server and a real encrypted cache: the details prompt round
trip, typing previews (shown only with consent, never cached), erasure purging the cache, and the log
guard (no message text, name, e-mail or IP in any log record at DEBUG)."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from operator_desk.domain.cases import IdentityCheck, RequestKind
from operator_desk.domain.model import Purpose
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import (
    ConsentRecorded,
    DetailsChanged,
    MessageDelivered,
    MessagesAdded,
    TypingChanged,
    VisitorErased,
)
from tests.kit.desks import Events, desk_accepts, signed_in
from tests.kit.visitors import consent


async def open_chat(server, desk, events, visitors, *, name="Ada Lovelace", email="ada@example.org",
                    language="en", first="Hello"):
    client = await visitors(server, language=language)
    return client, await desk_accepts(desk, events, client, name=name, email=email, message=first)


@pytest.mark.asyncio
async def test_details_request_round_trip(server, store, supervisor, visitors):
    desk, events = supervisor
    client, chat_id = await open_chat(server, desk, events, visitors, language="de-DE")
    notice = desk.notice_for(Purpose.CONTACT_DETAILS, desk.visitors[client.visitor_id].language)
    assert notice is not None and Purpose.CONTACT_DETAILS in notice.purposes
    assert notice.language.startswith("de")  # the visitor reads German: the operator sees that text
    request_id = await desk.request_details(chat_id, notice, ["phone", "postal_address"])
    pending = await events.wait_for(DetailsChanged, lambda e: e.record.request_id == request_id)
    assert pending.record.status == "pending"
    asked = await client.push("details.requested")
    assert asked["request_id"] == request_id and asked["notice"]["version"] == notice.version

    await client.ok("consent.set", {"purpose": "contact_details", "granted": True,
                                         "notice_id": notice.id, "notice_version": notice.version,
                                         "method": "details_prompt"})
    await events.wait_for(ConsentRecorded, lambda e: e.event.purpose is Purpose.CONTACT_DETAILS)
    await client.ok("details.submit", {"request_id": request_id,
                                            "fields": {"phone": "+49 30 1234567",
                                                       "postal_address": "Hauptstr. 1, Berlin"}})
    received = await events.wait_for(DetailsChanged, lambda e: e.record.status == "received")
    assert received.record.values == {"phone": "+49 30 1234567", "postal_address": "Hauptstr. 1, Berlin"}
    assert desk.details_of(chat_id)[0].values["phone"] == "+49 30 1234567"
    assert [e.purpose for e in desk.consents_of(client.visitor_id)] == [Purpose.CHAT,
                                                                        Purpose.CONTACT_DETAILS]
    await desk.flush()
    cached = {d.field: d.value for d in await store.received_details(chat_id)}
    assert cached == {"phone": "+49 30 1234567", "postal_address": "Hauptstr. 1, Berlin"}

    # Withdrawing the consent removes the values from memory and from the cache at once.
    await client.ok("consent.set", {"purpose": "contact_details", "granted": False,
                                         "notice_id": notice.id, "notice_version": notice.version,
                                         "method": "widget_settings"})
    await events.wait_for(DetailsChanged, lambda e: e.record.values is None and e.record.status == "received")
    await desk.flush()
    assert await store.received_details(chat_id) == []


@pytest.mark.asyncio
async def test_declined_details_show_as_declined(server, supervisor, visitors):
    desk, events = supervisor
    client, chat_id = await open_chat(server, desk, events, visitors)
    notice = desk.notice_for(Purpose.CONTACT_DETAILS, "en")
    request_id = await desk.request_details(chat_id, notice, ["email"])
    await client.push("details.requested")
    await client.ok("details.decline", {"request_id": request_id})
    declined = await events.wait_for(DetailsChanged, lambda e: e.record.status == "declined")
    assert declined.record.request_id == request_id and declined.record.values is None


@pytest.mark.asyncio
async def test_typing_preview_only_with_consent_and_never_cached(server, store, supervisor, visitors):
    desk, events = supervisor
    client, chat_id = await open_chat(server, desk, events, visitors)
    await client.ok("chat.typing", {"typing": True, "draft": "my secret draft one"})
    first = await events.wait_for(TypingChanged, lambda e: e.typing)
    assert first.preview is None  # no typing_preview consent

    await consent(client, "typing_preview", granted=True, method="widget_settings")
    await events.until(lambda: desk.visitors[client.visitor_id].consent.typing_preview)
    mark = len(events.log)
    await client.ok("chat.typing", {"typing": True, "draft": "my secret draft two"})
    second = await events.wait_for(TypingChanged, lambda e: e.preview is not None, after=mark)
    assert second.preview == "my secret draft two"

    await desk.flush()
    for word in ("one", "two"):
        page = await store.search(f"draft {word}")
        assert page.hits == ()
    assert all("draft" not in m.text for m in await store.chat_messages(chat_id))
    assert all("draft" not in m.text for m in desk.messages_of(chat_id))
    exported = repr(await store.export_subject(client.visitor_id))
    assert "secret draft" not in exported


async def erasure_requested(desk, visitor_id: str, reason: str):
    """A supervisor's erasure request for a person (four eyes: someone else must approve it)."""
    requests = desk.subject_requests
    case = await requests.open_case(RequestKind.ERASURE, date.today().isoformat(),
                                    IdentityCheck.EMAIL_ON_RECORD, visitor_id=visitor_id)
    return await requests.request_approval("subjects.erase", case.id, visitor_id, reason)


@pytest.mark.asyncio
async def test_erasure_purges_memory_and_cache(server, store, memory_keyring, desks, visitors):
    events = Events()
    desk = desks(server.url, events, store)
    await signed_in(desk, events, user="dpo")
    client, chat_id = await open_chat(server, desk, events, visitors, first="Please forget me later")
    await desk.send_message(chat_id, "Will do")
    await events.wait_for(MessageDelivered)
    await desk.flush()
    assert await store.chat_messages(chat_id)
    found = await desk.find_subjects("ada@example.org")
    assert [s.visitor_id for s in found] == [client.visitor_id]
    export = await desk.export_subject(client.visitor_id)
    assert "Please forget me later" in repr(export["server"])
    assert "Please forget me later" in repr(export["local_cache"])

    requester = desks(server.url, Events(), None, profile="requester")
    await requester.sign_in("supervisor", "demo")
    pending = await erasure_requested(requester, client.visitor_id, "data subject request")
    with pytest.raises(DeskError) as own:
        await requester.subject_requests.decide(pending, approve=True)
    assert own.value.code is FailureCode.FORBIDDEN
    decision = await desk.subject_requests.decide(pending, approve=True)
    assert decision.erased.messages >= 2 and decision.approval.state == "approved"
    # What this desk's cache held: the chat, its two messages, the visitor's consent and snapshot.
    assert decision.erased_here["messages"] == 2 and decision.erased_here["chats"] == 1
    assert decision.erased_here["consent_events"] >= 1
    erased = await events.wait_for(VisitorErased)
    assert chat_id in erased.chat_ids
    assert client.visitor_id not in desk.visitors and chat_id not in desk.chats
    assert desk.messages_of(chat_id) == () and desk.consents_of(client.visitor_id) == ()
    await desk.flush()
    assert await store.chat_messages(chat_id) == []
    assert await store.visitor_snapshot(client.visitor_id) is None
    assert await store.consent_events(client.visitor_id) == []
    assert (await store.search("forget")).hits == ()


@pytest.mark.asyncio
async def test_erasure_by_another_supervisor_reaches_this_cache(server, store, supervisor, desks, visitors):
    desk, events = supervisor
    client, chat_id = await open_chat(server, desk, events, visitors)
    await desk.flush()
    other = desks(server.url, Events(), None, profile="other")
    await other.sign_in("dpo", "demo")
    pending = await erasure_requested(desk, client.visitor_id, "request by e-mail")
    decision = await other.subject_requests.decide(pending, approve=True)
    assert decision.erased_here is None   # the approving desk keeps no cache
    erased = await events.wait_for(VisitorErased, lambda e: e.visitor_id == client.visitor_id)
    assert chat_id in erased.chat_ids
    await events.until(lambda: chat_id not in desk.chats)
    await desk.flush()
    assert await store.chat_messages(chat_id) == []
    assert await store.visitor_snapshot(client.visitor_id) is None


@pytest.mark.asyncio
async def test_logs_hold_no_personal_data(server, store, memory_keyring, desks, visitors, caplog):
    caplog.set_level(logging.DEBUG, logger="operator_desk")
    events = Events()
    desk = desks(server.url, events, store)
    await signed_in(desk, events)
    client, chat_id = await open_chat(server, desk, events, visitors, name="Grace Hopper",
                                      email="grace@example.net", first="Order 4711 never arrived")
    await consent(client, "visitor_insights", granted=True, method="prechat_form")
    await consent(client, "typing_preview", granted=True, method="widget_settings")
    await events.until(lambda: desk.visitors[client.visitor_id].insights is not None)
    ip = desk.visitors[client.visitor_id].insights.ip
    await client.ok("chat.typing", {"typing": True, "draft": "typing draft zebra"})
    await events.wait_for(TypingChanged, lambda e: e.preview is not None)
    await desk.send_message(chat_id, "Let me check parcel zulu")
    await client.ok("chat.send", {"client_msg_id": "c-2", "text": "Thanks quokka"})
    await events.wait_for(MessagesAdded, lambda e: any("quokka" in m.text for m in e.messages))
    notice = desk.notice_for(Purpose.CONTACT_DETAILS, "en")
    request_id = await desk.request_details(chat_id, notice, ["phone"])
    await client.ok("consent.set", {"purpose": "contact_details", "granted": True,
                                         "notice_id": notice.id, "notice_version": notice.version,
                                         "method": "details_prompt"})
    await client.ok("details.submit", {"request_id": request_id, "fields": {"phone": "+1 555 0199"}})
    await events.wait_for(DetailsChanged, lambda e: e.record.status == "received")
    await desk.flush()
    await desk.sign_out()

    records = [r for r in caplog.records if r.name.startswith("operator_desk")]
    assert records, "the desk logged nothing at DEBUG: the guard would prove nothing"
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in records)
    token_fragment = memory_keyring.secrets.get(("operator-desk", "test:token"), "")
    for secret in ("Grace", "Hopper", "grace@example.net", "4711", "zebra", "zulu", "quokka",
                   "555 0199", "demo", ip):
        assert secret not in text, secret
    assert not token_fragment or token_fragment not in text


@pytest.mark.asyncio
async def test_browsing_visitors_are_not_kept_in_the_cache(server, store, supervisor, visitors):
    desk, events = supervisor
    browsing = await visitors(server)
    await consent(browsing, "visitor_insights", granted=True, method="prechat_form")
    client, _ = await open_chat(server, desk, events, visitors)
    await events.until(lambda: browsing.visitor_id in desk.visitors)
    await desk.flush()
    assert await store.visitor_snapshot(browsing.visitor_id) is None
    kept = await store.visitor_snapshot(client.visitor_id)
    assert kept is not None and kept.name == "Ada Lovelace" and kept.insights is None
