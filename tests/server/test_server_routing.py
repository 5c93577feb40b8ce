"""Presence and routing against the real server: new chats are offered to the available operator with
the fewest open chats (ties in turn), move on after the offer time, never go past a chat limit, and
nobody away, busy or signed out gets one; a supervisor still picks by hand."""

from __future__ import annotations

import asyncio

import pytest

from tests.kit.accounts import PASSWORD
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import fast_settings, start
from tests.kit.visitors import arrive, consent

ROUTING = """
[routing]
offer_seconds = {offer}
chat_limit = 2
"""


async def routed_server(tmp_path, offer: float):
    config = tmp_path / "site.toml"
    config.write_text(ROUTING.format(offer=offer))
    server = await start(tmp_path, demo=True, config_path=config, settings=fast_settings())
    for username, role in (("ann", "operator"), ("ben", "operator"), ("cat", "operator"),
                           ("lee", "team_lead"), ("sue", "supervisor")):
        await server.add_operator(username, PASSWORD, role, username.title())
    return server


async def new_chat(server) -> tuple[AsyncClient, str]:
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": "Ada", "message": "Hello"}))["chat"]
    return visitor, chat["id"]


def offers(client: AsyncClient) -> list[str]:
    return [p["chat_id"] for p in client.pushes_of("chat.offered")]


@pytest.mark.asyncio
async def test_chats_go_to_the_least_busy_available_operator_in_turn_and_never_past_the_limit(tmp_path):
    server = await routed_server(tmp_path, offer=30.0)   # no offer times out in this test
    try:
        ann, ben, cat, sue = [await login(server, name) for name in ("ann", "ben", "cat", "sue")]
        for client in (ann, ben, sue):
            await client.ok("presence.set", {"status": "available"})
        await cat.ok("presence.set", {"status": "busy"})

        visitors = []
        taken: dict[str, AsyncClient] = {}
        # Four chats, two available operators with a limit of two: each is offered to whoever has the
        # fewest chats (offers held count), ties in turn; each accepts what they are offered.
        for _ in range(4):
            visitor, chat_id = await new_chat(server)
            visitors.append(visitor)
            holder = None
            while holder is None:
                await asyncio.sleep(0)
                holder = next((c for c in (ann, ben, cat, sue) if chat_id in offers(c)), None)
            await holder.ok("chat.accept", {"chat_id": chat_id})
            taken[chat_id] = holder
        assert sorted(c.login["operator"]["name"] for c in taken.values()) == ["Ann", "Ann", "Ben", "Ben"]
        first_two = list(taken.values())[:2]
        assert first_two[0] is not first_two[1]   # in turn, not twice to the same one
        assert offers(cat) == [] and offers(sue) == []   # busy; supervisors pick by hand

        # Both at their limit: a fifth chat is offered to nobody, and an operator cannot take it by hand.
        visitor, fifth = await new_chat(server)
        visitors.append(visitor)
        assert await ann.refused("chat.accept", {"chat_id": fifth}) == "conflict"
        members = {m["name"]: m for m in (await sue.ok("team.status"))["operators"]}
        assert (members["Ann"]["status"], members["Cat"]["status"]) == ("available", "busy")
        presence = {p["operator"]["name"]: p for p in (await sue.ok("presence.list"))["operators"]}
        assert presence["Ann"]["open_chats"] == 2 and presence["Ann"]["chat_limit"] == 2
        assert presence["Cat"]["status"] == "busy" and presence["Sue"]["status"] == "available"
        assert fifth not in offers(ann) + offers(ben)

        # One chat ends: its operator has room, and the waiting chat is offered to them.
        ended = next(chat_id for chat_id, c in taken.items() if c is ben)
        await ben.ok("chat.close", {"chat_id": ended})
        await ben.push("chat.offered", where=lambda p: p["chat_id"] == fifth)
        # A supervisor takes it by hand meanwhile: the offer is over, ben's accept is a conflict.
        await sue.ok("chat.accept", {"chat_id": fifth})
        assert await ben.refused("chat.accept", {"chat_id": fifth}) == "conflict"
        for client in (ann, ben, cat, sue, *visitors):
            await client.close()
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_an_offer_not_taken_in_time_goes_to_the_next_and_nobody_away_gets_one(tmp_path):
    server = await routed_server(tmp_path, offer=0.3)
    try:
        ann, ben, lee = [await login(server, name) for name in ("ann", "ben", "lee")]
        await ann.ok("presence.set", {"status": "available"})
        await ben.ok("presence.set", {"status": "available"})
        # lee never says: an operator who set no status is away, and gets nothing.
        visitor, chat_id = await new_chat(server)
        first = await asyncio.wait_for(_first_offer(ann, ben, chat_id), 5)
        other = ben if first is ann else ann
        await other.push("chat.offered", where=lambda p: p["chat_id"] == chat_id)   # after 0.3 s
        # Then round again: back to the first.
        await first.push("chat.offered", where=lambda p: p["chat_id"] == chat_id)
        assert offers(lee) == []

        # Whoever holds an offer and goes away: it moves on at once (offers last 30 s from now on).
        server.hub.router.offer_seconds = 30.0
        await ann.ok("chat.accept", {"chat_id": chat_id})
        visitor2, second = await new_chat(server)
        holder = await asyncio.wait_for(_first_offer(ann, ben, second), 5)
        other = ben if holder is ann else ann
        await holder.ok("presence.set", {"status": "away"})
        holder_id = holder.login["operator"]["id"]
        await other.push("presence.changed", where=lambda p: p["operator"]["id"] == holder_id
                         and p["status"] == "away")
        await other.push("chat.offered", where=lambda p: p["chat_id"] == second)   # well before 30 s
        visitor3, third = await new_chat(server)
        await other.push("chat.offered", where=lambda p: p["chat_id"] == third)
        assert third not in offers(holder)   # away: nothing more for them

        # Signed out: offline for the team.
        await other.ok("auth.logout")
        gone = await lee.push("presence.changed", where=lambda p: p["status"] == "offline")
        assert gone["operator"]["id"] == other.login["operator"]["id"]
        for client in (ann, ben, lee, visitor, visitor2, visitor3):
            await client.close()
    finally:
        await server.close()


async def _first_offer(a: AsyncClient, b: AsyncClient, chat_id: str) -> AsyncClient:
    while True:
        for client in (a, b):
            if chat_id in offers(client):
                return client
        await asyncio.sleep(0.01)


@pytest.mark.parametrize(("table", "message"), [
    ("offer_seconds = 0", "routing.offer_seconds"), ("chat_limit = 0", "routing.chat_limit")])
def test_a_wrong_routing_setting_is_a_clear_error(tmp_path, table, message):
    from operator_desk.server.config import ConfigError, load_config

    config = tmp_path / "site.toml"
    config.write_text(f"[routing]\n{table}\n")
    with pytest.raises(ConfigError, match=message):
        load_config(config)


class _CountingOffers(dict):
    """The router's offers, counting how often the whole queue is walked."""

    walks = 0

    def values(self):
        type(self).walks += 1
        return super().values()

    def items(self):
        type(self).walks += 1
        return super().items()


@pytest.mark.asyncio
async def test_a_long_queue_is_not_walked_per_chat(tmp_path, monkeypatch):
    """Every accept and close re-offers the queue; nobody may take it on a busy site at night, and then
    the queue grows: closing a chat must not walk it with nobody to offer to, and offering it must walk
    it once, not once per chat (that was quadratic: the server's cost grew by the minute)."""
    server = await routed_server(tmp_path, offer=30.0)
    try:
        router = server.hub.router
        monkeypatch.setattr(router, "_offers", _CountingOffers(router._offers))
        ann = await login(server, "ann")
        chats = [await new_chat(server) for _ in range(12)]
        # Nobody is available: the visitor who ends their chat settles only that chat.
        _CountingOffers.walks = 0
        await chats[0][0].ok("chat.end")
        assert _CountingOffers.walks == 0

        # Ann becomes available: the eleven waiting chats are offered to her, the queue walked once.
        _CountingOffers.walks = 0
        await ann.ok("presence.set", {"status": "available"})
        waiting = {chat_id for _, chat_id in chats[1:]}
        assert set(offers(ann)) == waiting and _CountingOffers.walks == 1
        assert dict(router._held) == {ann.login["operator"]["id"]: 11}
        # Every chat ends, the last by its visitor's erasure: no offer is held any more, and nothing is
        # left of them in the router.
        for visitor, _ in chats[1:-1]:
            await visitor.ok("chat.end")
        await chats[-1][0].ok("subject.forget_me")
        assert dict(router._held) == {} and dict(router._offers) == {}
        for client in (ann, *(visitor for visitor, _ in chats)):
            await client.close()
    finally:
        await server.close()
