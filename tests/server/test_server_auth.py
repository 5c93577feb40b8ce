"""Login first, tokens, logout, the login deadline, the failed-login limit and role refusals."""

from __future__ import annotations

import asyncio

import pytest
from server_testkit import PASSWORD, TIMEOUT, Client, fast_settings, login, start

from operator_desk.protocol.messages import OPERATOR_ACTIONS
from operator_desk.server import auth, repository

# A payload each action accepts, so that a refusal can only come from the role check.
VALID_PAYLOADS = {
    "auth.logout": {},
    "visitors.subscribe": {},
    "visitors.list": {"cursor": "v_0"},
    "notices.list": {},
    "chats.list": {},
    "chat.accept": {"chat_id": "ch_x"},
    "chat.send": {"chat_id": "ch_x", "client_msg_id": "c1", "text": "hi"},
    "chat.typing": {"chat_id": "ch_x", "typing": True},
    "chat.close": {"chat_id": "ch_x"},
    "details.request": {
        "chat_id": "ch_x",
        "notice_id": "details-en",
        "notice_version": 1,
        "fields": ["phone"],
    },
    "transcripts.search": {},
    "transcripts.get": {"chat_id": "ch_x"},
    "subjects.find": {"query": "someone"},
    "subjects.export": {"visitor_id": "v_x"},
    "subjects.erase": {"visitor_id": "v_x", "reason": "test"},
    "audit.list": {},
    "subjects.erased_since": {"cursor": None},
    "ping": {},
}


@pytest.mark.asyncio
async def test_every_action_needs_login_first(server):
    client = await Client.connect(server.operator_url)
    for action, payload in VALID_PAYLOADS.items():
        assert await client.refused(action, payload) == "unauthenticated", action
    await client.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("username", ["ann", "lee", "sue"])
async def test_roles_are_enforced_for_every_action(server, username):
    client = await login(server, username)
    role = client.login["operator"]["role"]
    for action, spec in OPERATOR_ACTIONS.items():
        if action in ("auth.login", "auth.logout"):
            continue
        response = await client.request(action, VALID_PAYLOADS[action])
        code = None if response["ok"] else response["error"]["code"]
        if role in spec.roles:
            assert code != "forbidden", f"{role} refused {action}"
        else:
            assert code == "forbidden", f"{role} allowed {action}: {response}"
    await client.close()


@pytest.mark.asyncio
async def test_wrong_password_and_unknown_user_are_refused_alike(server):
    client = await Client.connect(server.operator_url)
    wrong = await client.request("auth.login", {"username": "ann", "password": "nope"})
    unknown = await client.request("auth.login", {"username": "nobody", "password": "nope"})
    assert wrong["error"]["code"] == unknown["error"]["code"] == "invalid_credentials"
    assert wrong["error"]["message"] == unknown["error"]["message"]
    assert await client.refused("ping") == "unauthenticated"
    await client.close()


@pytest.mark.asyncio
async def test_five_failed_logins_lock_the_username(server):
    client = await Client.connect(server.operator_url)
    for _ in range(5):
        assert (
            await client.refused("auth.login", {"username": "ann", "password": "wrong"})
            == "invalid_credentials"
        )
    assert await client.refused("auth.login", {"username": "ann", "password": PASSWORD}) == "rate_limited"
    # Another username is not affected.
    assert (await client.ok("auth.login", {"username": "ben", "password": PASSWORD}))["operator"][
        "name"
    ] == "Ben"
    await client.close()


@pytest.mark.asyncio
async def test_failed_login_limit_holds_for_guesses_sent_at_once(server):
    """Guesses on many connections at once: the password check takes a while off the event loop, and
    each guess must count before it, or all of them would pass the limit check."""
    clients = [await Client.connect(server.operator_url) for _ in range(12)]
    guesses = [{"username": "ann", "password": f"guess {i}"} for i in range(len(clients))]
    codes = await asyncio.gather(*(c.refused("auth.login", g) for c, g in zip(clients, guesses, strict=True)))
    assert sorted(codes) == ["invalid_credentials"] * 5 + ["rate_limited"] * 7
    for client in clients:
        await client.close()


def test_limiter_forgets_failures_after_the_window():
    now = [0.0]
    limiter = auth.FailedLoginLimiter(limit=5, window=60, clock=lambda: now[0])
    for _ in range(5):
        limiter.record_failure("Ann")
    assert limiter.is_locked("ann")
    now[0] = 60.5
    assert not limiter.is_locked("ann")


@pytest.mark.asyncio
async def test_token_login_and_logout_revokes_the_token(server):
    first = await login(server, "ann")
    token = first.login["token"]
    stored = await server.db.call(lambda conn: conn.execute("SELECT token_sha256 FROM tokens").fetchall())
    assert stored == [(auth.token_digest(token),)]  # only the digest is kept

    second = await Client.connect(server.operator_url)
    again = await second.ok("auth.login", {"token": token})
    assert again["operator"] == first.login["operator"]
    assert again["token"] == token and again["session_id"] != first.login["session_id"]
    assert again["resumed"] is False

    await first.ok("auth.logout")
    closing = await first.push("session.closing")
    assert closing["reconnect"] == "never"
    assert (await second.push("session.closing"))["reconnect"] == "never"
    assert await asyncio.wait_for(first.closed, TIMEOUT) == 1000
    third = await Client.connect(server.operator_url)
    assert await third.refused("auth.login", {"token": token}) == "invalid_credentials"
    for client in (second, third):
        await client.close()


@pytest.mark.asyncio
async def test_expired_token_is_refused(server):
    client = await login(server, "ann")
    token = client.login["token"]
    await server.db.call(
        lambda conn: conn.execute("UPDATE tokens SET expires_at = '2000-01-01T00:00:00.000Z'")
    )
    other = await Client.connect(server.operator_url)
    assert await other.refused("auth.login", {"token": token}) == "invalid_credentials"
    for c in (client, other):
        await c.close()


@pytest.mark.asyncio
async def test_connection_without_login_is_closed_at_the_deadline(tmp_path):
    async with await start(tmp_path, settings=fast_settings(login_deadline=0.3)) as server:
        await server.add_operator("ann", PASSWORD, "operator")
        idle = await Client.connect(server.operator_url)
        prompt = await Client.connect(server.operator_url)
        await prompt.ok("auth.login", {"username": "ann", "password": PASSWORD})
        assert await asyncio.wait_for(idle.closed, TIMEOUT) == 1008
        assert await prompt.ok("ping") == {}  # logged in in time: stays open past the deadline
        await prompt.close()


@pytest.mark.asyncio
async def test_operator_reads_only_own_transcripts(server):
    from server_testkit import arrive, consent

    ann, ben, lee = await login(server, "ann"), await login(server, "ben"), await login(server, "lee")
    visitor = await arrive(server)
    await consent(visitor, "chat")
    chat = (await visitor.ok("chat.start", {"name": "Vera", "message": "hello"}))["chat"]
    await ann.ok("chat.accept", {"chat_id": chat["id"]})
    assert (await ann.ok("transcripts.get", {"chat_id": chat["id"]}))["chat"]["id"] == chat["id"]
    assert await ben.refused("transcripts.get", {"chat_id": chat["id"]}) == "forbidden"
    assert (await lee.ok("transcripts.get", {"chat_id": chat["id"]}))["messages"][0]["text"] == "hello"
    found = await lee.ok("transcripts.search", {"text": "hello"})
    assert [(c["id"], c["visitor_name"], c["operator_name"], c["message_count"]) for c in found["chats"]] == [
        (chat["id"], "Vera", "Ann", 1)
    ]
    assert (await lee.ok("transcripts.search", {"text": "absent words"}))["chats"] == []
    audit = await server.db.call(repository.audit_list, None, 10)
    reads = [(e.actor, e.subject) for e in audit if e.action == "transcripts.get"]
    assert reads == [
        (lee.login["operator"]["id"], visitor.visitor_id),
        (ann.login["operator"]["id"], visitor.visitor_id),
    ]
    for client in (ann, ben, lee, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_transcript_search_pages_with_a_cursor(server):
    from server_testkit import arrive, consent

    lee = await login(server, "lee")
    for index in range(3):
        visitor = await arrive(server)
        await consent(visitor, "chat")
        await visitor.ok("chat.start", {"name": f"V{index}", "message": "order question"})
        await visitor.close()
    page1 = await lee.ok("transcripts.search", {"text": "order", "limit": 2})
    assert len(page1["chats"]) == 2 and page1["next_cursor"]
    page2 = await lee.ok("transcripts.search", {"text": "order", "limit": 2, "cursor": page1["next_cursor"]})
    assert len(page2["chats"]) == 1 and page2["next_cursor"] is None
    names = [c["visitor_name"] for c in page1["chats"] + page2["chats"]]
    assert sorted(names) == ["V0", "V1", "V2"]
    await lee.close()
