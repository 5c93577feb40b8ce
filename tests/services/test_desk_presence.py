"""Presence on desks against the real server: the status each account chose is remembered and sent at
every sign-in; offers reach the least busy available desk, go from it when they expire, when the chat is
taken or when its operator says they are away, and move on to the next desk."""

from __future__ import annotations

import pytest
import pytest_asyncio

from operator_desk.protocol.messages import Empty
from operator_desk.services.events import ConnectionChanged, ConnectionState, OffersChanged, PresenceChanged
from operator_desk.services.presence import MemoryStatus
from operator_desk.services.tokens import MemoryTokens
from tests.kit.closing import ClosedAtEnd
from tests.kit.desks import Events, make_desk, signed_in
from tests.kit.servers import start_demo
from tests.kit.visitors import consent

OFFER_SECONDS = 0.8


async def routed_server(data_dir, port: int = 0):
    config = data_dir.parent / "site.toml"
    config.write_text(f"[routing]\noffer_seconds = {OFFER_SECONDS}\nchat_limit = 2\n")
    return await start_demo(data_dir, port=port, config_path=config)


@pytest_asyncio.fixture
async def routed(tmp_path):
    server = await routed_server(tmp_path / "server")
    yield server
    await server.close()


@pytest_asyncio.fixture
async def presence_desks():
    made = ClosedAtEnd()

    def make(url, events, memory=None, default="away"):
        return made.keep(make_desk(url, events, None, profile=f"p{len(made)}", tokens=MemoryTokens(),
                                   status_memory=memory, default_status=default))

    yield make
    await made.close()


async def statuses(desk) -> dict[str, str]:
    listed = await desk.session.request("presence.list", Empty())
    return {entry.operator.name: entry.status for entry in listed.operators}


async def new_chat(visitors, server) -> str:
    visitor = await visitors(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    return (await visitor.ok("chat.start", {"name": "Ada", "message": "Hello"}))["chat"]["id"]


def offered(events: Events) -> tuple[str, ...]:
    changes = events.of(OffersChanged)
    return tuple(offer.chat_id for offer in changes[-1].offers) if changes else ()


@pytest.mark.asyncio
async def test_the_chosen_status_is_remembered_per_account_and_sent_at_every_sign_in(
        tmp_path, memory_keyring, presence_desks):
    data = tmp_path / "server"
    server = await routed_server(data)
    memory = MemoryStatus()
    events = Events()
    desk = await signed_in(presence_desks(server.url, events, memory), events, "operator")
    first = await events.wait_for(PresenceChanged)
    assert first.status == "away" and first.supported   # nothing remembered yet: the default
    assert (await statuses(desk))["Olu Operator"] == "away"

    await desk.set_status("busy")
    assert memory.remembered_status(desk.operator.id) == "busy"
    assert events.of(PresenceChanged)[-1].status == "busy"
    assert (await statuses(desk))["Olu Operator"] == "busy"
    await desk.sign_out()

    # The next sign-in of that account, on a new desk with the same memory: busy again, at once.
    again_events = Events()
    again = await signed_in(presence_desks(server.url, again_events, memory), again_events, "operator")
    assert (await again_events.wait_for(PresenceChanged)).status == "busy"
    assert (await statuses(again))["Olu Operator"] == "busy"
    # Another account on the same desk memory has its own (none yet: the default).
    lead_events = Events()
    lead = await signed_in(presence_desks(server.url, lead_events, memory), lead_events, "lead")
    assert (await lead_events.wait_for(PresenceChanged)).status == "away"
    assert (await statuses(lead)) == {"Lee Lead": "away", "Olu Operator": "busy"}

    # The server restarts and forgets every status: the desk says it again when it is back.
    port = server.port
    await server.close()
    await again_events.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.RECONNECTING)
    mark = len(again_events.log)
    server = await routed_server(data, port)
    try:
        await again_events.wait_for(PresenceChanged, after=mark)
        await lead_events.until(lambda: lead.session.online)
        await again_events.until(lambda: again.session.online)
        assert (await statuses(again))["Olu Operator"] == "busy"
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_offers_reach_the_least_busy_desk_expire_and_move_on(routed, memory_keyring, presence_desks,
                                                                   visitors):
    olu_events, lee_events = Events(), Events()
    olu = await signed_in(presence_desks(routed.url, olu_events, default="available"), olu_events,
                          "operator")
    lee = await signed_in(presence_desks(routed.url, lee_events, default="available"), lee_events, "lead")
    await olu_events.wait_for(PresenceChanged)
    await lee_events.wait_for(PresenceChanged)
    # Each desk hears the other's status.
    await olu_events.wait_for(PresenceChanged, lambda e: any(p.operator.name == "Lee Lead" for p in e.team))

    chat_id = await new_chat(visitors, routed)
    await olu_events.until(lambda: chat_id in offered(olu_events) + offered(lee_events))
    first, second = (olu, lee) if chat_id in offered(olu_events) else (lee, olu)
    first_events, second_events = (olu_events, lee_events) if first is olu else (lee_events, olu_events)
    assert chat_id not in offered(second_events)   # one desk at a time
    offer = first_events.of(OffersChanged)[-1].offers[0]
    assert offer.seconds == pytest.approx(OFFER_SECONDS)

    # Not taken: it leaves the first desk when it expires, and the second desk is offered it.
    await first_events.wait_for(OffersChanged, lambda e: not e.offers)
    await second_events.wait_for(OffersChanged, lambda e: chat_id in {o.chat_id for o in e.offers})
    await second.accept_chat(chat_id)
    assert offered(second_events) == ()   # taken: the offer is over

    # The second desk has a chat now; the next chat goes to the first, who has none.
    next_chat = await new_chat(visitors, routed)
    await first_events.wait_for(OffersChanged, lambda e: next_chat in {o.chat_id for o in e.offers})
    assert next_chat not in offered(second_events)

    # Saying away lets the offer go at once, on the desk and on the server (it moves on to the other).
    await first.set_status("away")
    assert offered(first_events) == ()
    await second_events.wait_for(OffersChanged, lambda e: next_chat in {o.chat_id for o in e.offers})

    # The chat taken by hand elsewhere (the other desk accepts): gone from every desk.
    await second.accept_chat(next_chat)
    assert offered(second_events) == ()
