"""Presence and routing against the real server: new chats are offered to the available operator with
the fewest open chats (ties in turn), move on after the offer time, never go past a chat limit, and
nobody away, busy or signed out gets one; a supervisor still picks by hand."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.server import accounts
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import schema_at, start_site
from tests.kit.visitors import arrive, consent, waiting_chat

ROUTING = """
[routing]
offer_seconds = {offer}
chat_limit = 2
"""


async def routed_server(tmp_path, offer: float):
    return await start_site(tmp_path, ROUTING.format(offer=offer), {
        "ann": "operator", "ben": "operator", "cat": "operator", "lee": "team_lead", "sue": "supervisor"})


async def new_chat(server) -> tuple[AsyncClient, str]:
    visitor, chat = await waiting_chat(server, name="Ada", message="Hello")
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
        assert await ann.refused("chat.accept", {"chat_id": fifth}) == "chat_limit_reached"
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


@pytest.mark.asyncio
async def test_each_operator_has_their_own_limit_that_routing_and_accepts_keep(tmp_path):
    server = await routed_server(tmp_path, offer=30.0)
    try:
        # ann's account has a limit of 1 (stored, read at sign-in); ben has the site's (2).
        await server.db.call(accounts.set_chat_limit, "ann", 1)
        ann, ben, sue = [await login(server, name) for name in ("ann", "ben", "sue")]
        assert ann.login["operator"]["chat_limit"] == 1 and ben.login["operator"].get("chat_limit") is None
        for client in (ann, ben):
            await client.ok("presence.set", {"status": "available"})
        opened = []
        for _ in range(3):
            visitor, chat_id = await new_chat(server)
            opened.append(visitor)
            holder = await asyncio.wait_for(_first_offer(ann, ben, chat_id), 5)
            await holder.ok("chat.accept", {"chat_id": chat_id})
        mine = {p["operator"]["name"]: p for p in (await sue.ok("presence.list"))["operators"]}
        assert (mine["Ann"]["open_chats"], mine["Ann"]["chat_limit"]) == (1, 1)
        assert (mine["Ben"]["open_chats"], mine["Ben"]["chat_limit"]) == (2, 2)

        # A fourth: nobody has room. ann's hand accept is refused with the limit's own code.
        visitor, fourth = await new_chat(server)
        opened.append(visitor)
        assert await ann.refused("chat.accept", {"chat_id": fourth}) == "chat_limit_reached"
        assert fourth not in offers(ann) + offers(ben)

        # A supervisor raises ann's limit in the team window: stored and audited, in force at once,
        # the team hears it, and the waiting chat is offered to her.
        await sue.ok("team.set_limit", {"operator_id": ann.login["operator"]["id"], "chat_limit": 3})
        await ben.push("presence.changed",
                       where=lambda p: p["operator"]["name"] == "Ann" and p["chat_limit"] == 3)
        await ann.push("chat.offered", where=lambda p: p["chat_id"] == fourth)
        await ann.ok("chat.accept", {"chat_id": fourth})
        members = {m["name"]: m for m in (await sue.ok("team.status"))["operators"]}
        assert (members["Ann"]["chat_limit"], members["Ann"]["own_chat_limit"]) == (3, 3)
        assert (members["Ben"]["chat_limit"], members["Ben"]["own_chat_limit"]) == (2, None)
        assert members["Sue"]["chat_limit"] is None   # supervisors have none
        stored = await server.db.call(lambda conn: conn.execute(
            "SELECT chat_limit FROM operators WHERE username = 'ann'").fetchone()[0])
        assert stored == 3
        audit = (await sue.ok("audit.list", {"action": "team.set_limit"}))["entries"]
        assert audit[0]["detail"] == {"operator_id": ann.login["operator"]["id"], "chat_limit": 3}

        # Only supervisors set limits; an unknown account is not_found; 0 or 101 is bad_request.
        assert await ben.refused("team.set_limit", {"operator_id": ann.login["operator"]["id"],
                                                     "chat_limit": 9}) == "forbidden"
        nobody = {"operator_id": "op-nobody", "chat_limit": 2}
        assert await sue.refused("team.set_limit", nobody) == "not_found"
        for wrong in (0, 101):
            assert await sue.refused("team.set_limit", {"operator_id": ann.login["operator"]["id"],
                                                         "chat_limit": wrong}) == "bad_request"
        # Back to the site's: null.
        await sue.ok("team.set_limit", {"operator_id": ann.login["operator"]["id"], "chat_limit": None})
        assert {m["name"]: m for m in (await sue.ok("team.status"))["operators"]}["Ann"]["chat_limit"] == 2
        for client in (ann, ben, sue, *opened):
            await client.close()
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_a_chat_for_a_team_is_offered_to_that_team_only(tmp_path):
    server = await start_site(tmp_path, '[routing]\noffer_seconds = 30\nchat_limit = 4\n'
                              '[routing.page_teams]\n"https://shop.example/business/" = "sales"\n',
                              {"ann": "operator", "ben": "operator"})
    try:
        await server.add_team("sales", "Sales", "ann")
        await server.add_team("care", "Care", "ben")
        ann, ben = await login(server, "ann"), await login(server, "ben")
        for client in (ann, ben):
            await client.ok("presence.set", {"status": "available"})

        visitors = []
        # Twice to sales although ben has fewer chats: only ann is in sales. The widget's team wins over
        # the page's.
        for team, page, expected in (("sales", "https://shop.example/", ann),
                                     (None, "https://shop.example/business/offer", ann),
                                     ("care", "https://shop.example/business/x", ben),
                                     ("nonesuch", "https://shop.example/", None)):
            visitor = await arrive(server, url=page)
            visitors.append(visitor)
            await consent(visitor, "chat", granted=True, method="prechat_form")
            start_payload = {"message": "Hello"} | ({"team": team} if team else {})
            chat = (await visitor.ok("chat.start", start_payload))["chat"]
            if expected is None:
                # An unknown team is none: anyone's, offered to whoever has fewer chats.
                assert chat["team_id"] is None
                holder = await asyncio.wait_for(_first_offer(ann, ben, chat["id"]), 5)
                assert holder is ben   # ann took two already
                continue
            assert chat["team_id"] == ("sales" if expected is ann else "care")
            await expected.push("chat.offered", where=lambda p, c=chat["id"]: p["chat_id"] == c)
            other = ben if expected is ann else ann
            assert chat["id"] not in offers(other)
            await expected.ok("chat.accept", {"chat_id": chat["id"]})
        # Every operator still sees every waiting chat (the queue lists them all; the desk may show
        # the team's apart), with its team.
        listed = (await ann.ok("chats.list"))["chats"]
        assert {c["team_id"] for c in listed} >= {"sales", None}
        for client in (ann, ben, *visitors):
            await client.close()
    finally:
        await server.close()


def test_migration_90_adds_own_limits_and_chat_teams_to_a_version_80_database(tmp_path):
    import sqlcipher3

    from operator_desk.server import migrations

    conn = schema_at(tmp_path / "db", 80)
    conn.execute("INSERT INTO operators (id, username, name, role, password_hash, created_at) "
                 "VALUES ('op_1', 'ann', 'Ann', 'operator', 'x', 't')")
    conn.execute("INSERT INTO visitors (id, token_sha256, created_at, last_seen) "
                 "VALUES ('v_1', 'h', 't', 't')")
    conn.execute("INSERT INTO chats (id, visitor_id, state, started_at) "
                 "VALUES ('ch_1', 'v_1', 'waiting', 't')")
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    dict(migrations.MIGRATIONS)[90](conn)
    conn.execute("COMMIT")
    # What was there keeps the site's limit and is anyone's chat.
    assert conn.execute("SELECT chat_limit FROM operators").fetchall() == [(None,)]
    assert conn.execute("SELECT team_id FROM chats").fetchall() == [(None,)]
    conn.execute("UPDATE operators SET chat_limit = 3")
    for wrong in (0, 101):
        with pytest.raises(sqlcipher3.dbapi2.IntegrityError):
            conn.execute("UPDATE operators SET chat_limit = ?", (wrong,))
    # A chat's team goes with the team: its chats become anyone's.
    conn.execute("INSERT INTO teams (id, name, created_at) VALUES ('sales', 'Sales', 't')")
    conn.execute("UPDATE chats SET team_id = 'sales'")
    conn.execute("DELETE FROM teams WHERE id = 'sales'")
    assert conn.execute("SELECT team_id FROM chats").fetchall() == [(None,)]
    conn.close()


@pytest.mark.asyncio
@pytest.mark.two_nodes_too   # the protocol as a site of two nodes speaks it too (conftest.py)
async def test_with_nobody_available_a_visitor_leaves_a_message_that_operators_list(server):
    # Nobody signed in: the widget is told so at hello.
    nobody = await arrive(server)
    assert nobody.hello["available"] is False
    ann = await login(server, "ann")
    # Signed in with no status said (a desk without presence answers from its queue): available.
    assert (await arrive(server)).hello["available"] is True
    await ann.ok("presence.set", {"status": "away"})
    visitor = await arrive(server)
    assert visitor.hello["available"] is False

    # Under chat consent only, as chatting is; with its message.
    assert await visitor.refused("chat.start", {"message": "Call me", "leave_message": True}) \
        == "consent_required"
    await consent(visitor, "chat", granted=True, method="prechat_form")
    assert await visitor.refused("chat.start", {"leave_message": True}) == "bad_request"
    left = await visitor.ok("chat.start", {"name": "Ada", "email": "ada@example.com",
                                           "message": "Please call me back.", "leave_message": True})
    assert left["chat"]["state"] == "closed" and left["chat"]["left_message"] is True
    pushed = await ann.push("message.left")
    assert (pushed["visitor_name"], pushed["email"], pushed["text"]) == (
        "Ada", "ada@example.com", "Please call me back.")
    assert offers(ann) == [] and (await ann.ok("chats.list"))["chats"] == []   # never waiting
    listed = (await ann.ok("messages.left"))["messages"]
    assert [m["chat"]["id"] for m in listed] == [left["chat"]["id"]]
    assert listed[0]["text"] == pushed["text"]
    # The visitor can start a chat again later (nothing is open).
    assert (await visitor.ok("chat.start", {"message": "Anyone now?"}))["chat"]["state"] == "waiting"

    # Pages: newest first, one at a time.
    for n in range(2):
        other, _ = await waiting_chat(server, message=f"Message {n}", leave_message=True)
        await other.close()
    first = await ann.ok("messages.left", {"limit": 2})
    assert [m["text"] for m in first["messages"]] == ["Message 1", "Message 0"]
    rest = await ann.ok("messages.left", {"limit": 2, "cursor": first["next_cursor"]})
    assert [m["text"] for m in rest["messages"]] == ["Please call me back."]
    assert rest["next_cursor"] is None
    assert await ann.refused("messages.left", {"cursor": "forged.cursor"}) == "bad_request"

    # Chat consent withdrawn: the name and e-mail are gone from the list too.
    await consent(visitor, "chat", granted=False, method="widget_settings")
    again = {m["chat"]["id"]: m for m in (await ann.ok("messages.left"))["messages"]}[left["chat"]["id"]]
    assert (again["visitor_name"], again["email"]) == (None, None)
    for client in (nobody, ann, visitor):
        await client.close()


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
