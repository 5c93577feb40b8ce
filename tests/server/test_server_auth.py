"""Login first, tokens, logout, the login deadline, the failed-login limit and role refusals."""

from __future__ import annotations

import asyncio

import pytest

from operator_desk.protocol.messages import OPERATOR_ACTIONS
from operator_desk.server import auth, repository
from tests.kit.accounts import PASSWORD
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import fast_settings, start
from tests.kit.timing import WAIT

# A payload each action accepts, so that a refusal can only come from the role check.
VALID_PAYLOADS = {
    "auth.logout": {},
    "visitors.subscribe": {},
    "visitors.list": {"cursor": "v_0"},
    "notices.list": {},
    "chats.list": {},
    "chat.accept": {"chat_id": "ch_x"},
    "chat.send": {"chat_id": "ch_x", "client_msg_id": "c1", "text": "hi"},
    "chat.history": {"chat_id": "ch_x", "cursor": "x"},
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
    "cases.open": {"kind": "access", "received_on": "2026-11-02", "identity_check": "other"},
    "cases.list": {},
    "cases.get": {"case_id": "case_x"},
    "cases.link": {"case_id": "case_x", "visitor_id": "v_x"},
    "cases.extend": {"case_id": "case_x", "months": 1, "reason": "test"},
    "cases.record": {"case_id": "case_x", "step": "note", "note": "test"},
    "cases.close": {"case_id": "case_x", "outcome": "refused"},
    "approvals.request": {"action": "subjects.erase", "case_id": "case_x", "visitor_id": "v_x",
                          "reason": "t"},
    "approvals.list": {},
    "approvals.decide": {"approval_id": "appr_x", "approve": False},
    "subjects.erased_since": {"cursor": None},
    "canned.list": {},
    "canned.put": {"keyword": "hours", "text": "From 8."},
    "canned.delete": {"keyword": "hours"},
    "presence.set": {"status": "away"},
    "team.set_limit": {"operator_id": "op-none", "chat_limit": 2},
    "messages.left": {},
    "presence.list": {},
    "visitor.earlier_chats": {"visitor_id": "v_x"},
    "visitor.earlier_chat": {"visitor_id": "v_x", "chat_id": "ch_x"},
    "chat.transfer": {"chat_id": "ch_x", "to_operator_id": "op_x"},
    "webhooks.deliveries": {},
    "webhooks.retry": {"delivery": 1},
    "webhooks.drop": {"delivery": 1},
    "reviews.add": {"chat_id": "ch_x", "rating": 4},
    "reviews.list": {"chat_id": "ch_x"},
    "team.status": {},
    "reports.daily": {"bounds": ["2026-11-23T00:00:00.000Z", "2026-11-24T00:00:00.000Z"]},
    "chat.observe": {"chat_id": "ch_x"},
    "chat.unobserve": {"chat_id": "ch_x"},
    "audit.report": {"views": [{"chat_id": "ch_x", "at": "2026-11-23T10:00:00.000Z"}]},
    "ping": {},
}


@pytest.mark.asyncio
async def test_every_action_needs_login_first(server):
    client = await AsyncClient.connect(server.operator_url)
    for action, payload in VALID_PAYLOADS.items():
        assert await client.refused(action, payload) == "unauthenticated", action


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


@pytest.mark.asyncio
async def test_wrong_password_and_unknown_user_are_refused_alike(server):
    client = await AsyncClient.connect(server.operator_url)
    wrong = await client.request("auth.login", {"username": "ann", "password": "nope"})
    unknown = await client.request("auth.login", {"username": "nobody", "password": "nope"})
    assert wrong["error"]["code"] == unknown["error"]["code"] == "invalid_credentials"
    assert wrong["error"]["message"] == unknown["error"]["message"]
    assert await client.refused("ping") == "unauthenticated"


def from_address(address: str) -> dict:
    """Connection options of a client at ``address`` (demo mode trusts loopback as a proxy)."""
    return {"additional_headers": {"X-Forwarded-For": address}}


@pytest.mark.asyncio
async def test_guesses_from_one_address_do_not_lock_the_owner_out_elsewhere(server):
    """Five wrong passwords for sue used to lock sue out from everywhere, and repeating that every
    minute kept the account shut. Now they lock (sue, that address) only."""
    attacker = await AsyncClient.connect(server.operator_url, **from_address("203.0.113.66"))
    for _ in range(5):
        wrong = {"username": "sue", "password": "wrong"}
        assert await attacker.refused("auth.login", wrong) == "invalid_credentials"
    right = {"username": "sue", "password": PASSWORD}
    assert await attacker.refused("auth.login", right) == "rate_limited"
    owner = await AsyncClient.connect(server.operator_url, **from_address("198.51.100.7"))
    assert (await owner.ok("auth.login", right))["operator"]["name"] == "Sue"
    # Another account from the attacker's address is not locked by guesses at sue.
    assert (await attacker.ok("auth.login", {"username": "ben", "password": PASSWORD}))["operator"][
        "name"
    ] == "Ben"


@pytest.mark.asyncio
async def test_a_sweep_over_many_user_names_from_one_address_is_stopped(server):
    """80 guesses across 20 user names from one connection used to be answered, every one."""
    client = await AsyncClient.connect(server.operator_url, **from_address("203.0.113.9"))
    codes = []
    for n in range(80):
        sent = client.request("auth.login", {"username": f"user{n % 20}", "password": "guess"})
        answered, waiting = await asyncio.wait(
            [asyncio.ensure_future(sent), asyncio.ensure_future(asyncio.shield(client.closed))],
            return_when=asyncio.FIRST_COMPLETED,
        )
        for task in waiting:
            task.cancel()
        # Every refusal, the connection's own rate included, carries the request's id.
        done = [task.result() for task in answered if isinstance(task.result(), dict)]
        if not done:
            break  # closed for going on over the connection's rates: the sweep is stopped either way
        codes.append(done[0]["error"]["code"])
    assert codes.count("invalid_credentials") == 20  # the per-address limit
    assert set(codes[20:]) == {"rate_limited"}
    assert len(codes) == 80 or client.closed.result() == 1008
    # The owner of an account, from another address, is not affected.
    owner = await AsyncClient.connect(server.operator_url, **from_address("198.51.100.8"))
    signed_in = await owner.ok("auth.login", {"username": "ann", "password": PASSWORD})
    assert signed_in["operator"]["name"] == "Ann"


@pytest.mark.asyncio
async def test_failed_login_limit_holds_for_guesses_sent_at_once(server):
    """Guesses on many connections at once: the password check takes a while off the event loop, and
    each guess must count before it, or all of them would pass the limit check."""
    clients = [await AsyncClient.connect(server.operator_url) for _ in range(12)]
    guesses = [{"username": "ann", "password": f"guess {i}"} for i in range(len(clients))]
    codes = await asyncio.gather(*(c.refused("auth.login", g) for c, g in zip(clients, guesses, strict=True)))
    assert sorted(codes) == ["invalid_credentials"] * 5 + ["rate_limited"] * 7


def test_each_lock_lasts_twice_as_long_and_quiet_keys_are_forgotten():
    now = [0.0]
    limiter = auth.LoginLimiter(per_account=5, per_address=100, window=60, max_lock=600, clock=lambda: now[0])

    def fail(times: int) -> None:
        for _ in range(times):
            limiter.record_attempt("Ann", "192.0.2.1")

    fail(5)
    assert limiter.locked_for("ann", "192.0.2.1") == 60
    assert limiter.locked_for("ann", "192.0.2.2") == 0  # another address
    now[0] = 61
    assert limiter.locked_for("ann", "192.0.2.1") == 0
    fail(5)
    assert limiter.locked_for("ann", "192.0.2.1") == 120  # backoff
    now[0] += 121
    fail(5)
    assert limiter.locked_for("ann", "192.0.2.1") == 240
    now[0] += 241
    fail(5)
    assert limiter.locked_for("ann", "192.0.2.1") == 480
    now[0] += 481
    fail(5)
    assert limiter.locked_for("ann", "192.0.2.1") == 600  # max_lock
    now[0] += 600 + 600  # unlocked and then quiet for max_lock: forgotten, back to a first lock
    assert limiter.locked_for("ann", "192.0.2.1") == 0 and len(limiter) == 0
    fail(5)
    assert limiter.locked_for("ann", "192.0.2.1") == 60


def test_a_success_starts_the_pair_afresh_and_ipv6_counts_per_64():
    limiter = auth.LoginLimiter(per_account=5, per_address=6, clock=lambda: 0.0)
    for _ in range(4):
        limiter.record_attempt("ann", "2001:db8:1:2::10")
    limiter.record_attempt("ann", "2001:db8:1:2::10")
    limiter.record_success("ann", "2001:db8:1:2::10")
    assert limiter.locked_for("ann", "2001:db8:1:2::10") == 0
    # Another host of the same /64 is the same party for the address limit: 4 failures + 2 = 6.
    limiter.record_attempt("ben", "2001:db8:1:2::99")
    limiter.record_attempt("ben", "2001:db8:1:2::99")
    assert limiter.locked_for("ken", "2001:db8:1:2::abcd") == 60
    assert limiter.locked_for("ken", "2001:db8:1:3::1") == 0


def test_the_limiter_remembers_a_bounded_number_of_keys():
    limiter = auth.LoginLimiter(capacity=1000, clock=lambda: 0.0)
    for n in range(50_000):
        limiter.record_attempt(f"user{n}", f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
    assert len(limiter) == 1000


@pytest.mark.asyncio
async def test_token_login_and_logout_revokes_the_token(server):
    first = await login(server, "ann")
    token = first.login["token"]
    stored = await server.db.call(lambda conn: conn.execute("SELECT token_sha256 FROM tokens").fetchall())
    assert stored == [(auth.token_digest(token),)]  # only the digest is kept

    second = await AsyncClient.connect(server.operator_url)
    again = await second.ok("auth.login", {"token": token})
    assert again["operator"] == first.login["operator"]
    assert again["token"] == token and again["session_id"] != first.login["session_id"]
    assert again["resumed"] is False

    await first.ok("auth.logout")
    closing = await first.push("session.closing")
    assert closing["reconnect"] == "never"
    assert (await second.push("session.closing"))["reconnect"] == "never"
    assert await asyncio.wait_for(first.closed, WAIT) == 1000
    third = await AsyncClient.connect(server.operator_url)
    assert await third.refused("auth.login", {"token": token}) == "invalid_credentials"


@pytest.mark.asyncio
async def test_expired_token_is_refused(server):
    client = await login(server, "ann")
    token = client.login["token"]
    await server.db.call(
        lambda conn: conn.execute("UPDATE tokens SET expires_at = '2000-01-01T00:00:00.000Z'")
    )
    other = await AsyncClient.connect(server.operator_url)
    assert await other.refused("auth.login", {"token": token}) == "invalid_credentials"


@pytest.mark.asyncio
async def test_a_live_session_ends_when_its_token_expires(tmp_path):
    """A signed-in session used to go on working after its token had expired."""
    settings = fast_settings(token_lifetime=0.5, token_check_interval=0.2)
    async with await start(tmp_path, settings=settings) as server:
        await server.add_operator("ann", PASSWORD, "operator")
        client = await login(server, "ann")
        closing = await client.push("session.closing")
        assert closing == {"reason": "sign-in token expired", "reconnect": "never"}
        assert await asyncio.wait_for(client.closed, WAIT) == 1000
        again = await AsyncClient.connect(server.operator_url)
        assert await again.refused("auth.login", {"token": client.login["token"]}) == "invalid_credentials"


@pytest.mark.asyncio
async def test_a_live_session_ends_when_its_token_is_revoked_behind_the_server(tmp_path):
    """An administrator revoking tokens in the database (another process) ends the live sessions."""
    async with await start(tmp_path, settings=fast_settings(token_check_interval=0.2)) as server:
        await server.add_operator("ann", PASSWORD, "operator")
        await server.add_operator("ben", PASSWORD, "operator")
        ann, ben = await login(server, "ann"), await login(server, "ben")
        digest = auth.token_digest(ann.login["token"])
        await server.db.call(
            lambda conn: conn.execute("DELETE FROM tokens WHERE token_sha256 = ?", (digest,))
        )
        assert (await ann.push("session.closing"))["reason"] == "sign-in token revoked"
        assert await asyncio.wait_for(ann.closed, WAIT) == 1000
        assert await ben.ok("ping") == {}  # other sessions go on


@pytest.mark.asyncio
async def test_connection_without_login_is_closed_at_the_deadline(tmp_path):
    # The deadline leaves room for the prompt client's password check on a loaded machine (0.3 s did not).
    async with await start(tmp_path, settings=fast_settings(login_deadline=1.0)) as server:
        await server.add_operator("ann", PASSWORD, "operator")
        idle = await AsyncClient.connect(server.operator_url)
        prompt = await AsyncClient.connect(server.operator_url)
        await prompt.ok("auth.login", {"username": "ann", "password": PASSWORD})
        assert await asyncio.wait_for(idle.closed, WAIT) == 1008
        assert await prompt.ok("ping") == {}  # logged in in time: stays open past the deadline


@pytest.mark.asyncio
async def test_operator_reads_only_own_transcripts(server):
    from tests.kit.visitors import arrive, consent

    ann, ben, lee = await login(server, "ann"), await login(server, "ben"), await login(server, "lee")
    visitor = await arrive(server)
    await consent(visitor, "chat", granted=True, method="prechat_form")
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
    audit, _ = await server.db.call(repository.audit_page)
    reads = [(e.actor, e.subject) for e in audit if e.action == "transcripts.get"]
    assert reads == [
        (lee.login["operator"]["id"], visitor.visitor_id),
        (ann.login["operator"]["id"], visitor.visitor_id),
    ]


@pytest.mark.asyncio
async def test_transcript_search_pages_with_a_cursor(server):
    from tests.kit.visitors import arrive, consent

    lee = await login(server, "lee")
    for index in range(3):
        visitor = await arrive(server)
        await consent(visitor, "chat", granted=True, method="prechat_form")
        await visitor.ok("chat.start", {"name": f"V{index}", "message": "order question"})
        await visitor.close()
    page1 = await lee.ok("transcripts.search", {"text": "order", "limit": 2})
    assert len(page1["chats"]) == 2 and page1["next_cursor"]
    page2 = await lee.ok("transcripts.search", {"text": "order", "limit": 2, "cursor": page1["next_cursor"]})
    assert len(page2["chats"]) == 1 and page2["next_cursor"] is None
    names = [c["visitor_name"] for c in page1["chats"] + page2["chats"]]
    assert sorted(names) == ["V0", "V1", "V2"]
