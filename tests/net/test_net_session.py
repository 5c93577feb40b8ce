"""The session supervisor against scripted servers on 127.0.0.1: login, pushes in order, heartbeat,
reconnect with resume, resync, session.closing, token revoked, malformed frames."""

from __future__ import annotations

import asyncio
import json

import pytest
import pytest_asyncio
from fake_operator_server import PASSWORD, FakeOperatorServer

from operator_desk.net.errors import InsecureUrl, NotConnected, RequestFailed, Unreachable
from operator_desk.net.session import (
    EndReason,
    PasswordLogin,
    Session,
    SessionState,
    Timing,
    TokenLogin,
)
from operator_desk.protocol.messages import Empty, LoginResponse
from tests.kit.closing import ClosedAtEnd
from tests.kit.timing import SCRIPTED, WAIT


class Recorder:
    """A session listener that queues everything it is told, for tests to await."""

    def __init__(self) -> None:
        self.states: asyncio.Queue[tuple[SessionState, float | None, str | None]] = asyncio.Queue()
        self.state_log: list[SessionState] = []
        self.pushes: asyncio.Queue[tuple[int | None, str]] = asyncio.Queue()
        self.opened: asyncio.Queue[LoginResponse] = asyncio.Queue()
        self.ended: asyncio.Queue[EndReason] = asyncio.Queue()

    def state_changed(self, state, retry_in, failure) -> None:
        self.state_log.append(state)
        self.states.put_nowait((state, retry_in, failure))

    async def session_opened(self, login: LoginResponse) -> None:
        self.opened.put_nowait(login)

    def push_received(self, push) -> None:
        self.pushes.put_nowait((push.seq, push.action))

    def session_ended(self, reason: EndReason) -> None:
        self.ended.put_nowait(reason)

    async def wait_state(self, wanted: SessionState) -> tuple[SessionState, float | None, str | None]:
        while True:
            item = await asyncio.wait_for(self.states.get(), WAIT)
            if item[0] is wanted:
                return item


@pytest_asyncio.fixture
async def server():
    fake = await FakeOperatorServer().start()
    yield fake
    await fake.stop()


@pytest_asyncio.fixture
async def session_of():
    sessions = ClosedAtEnd[Session]()

    def make(url: str, listener: Recorder, **kwargs) -> Session:
        return sessions.keep(Session(url, listener, timing=kwargs.pop("timing", SCRIPTED), **kwargs))

    yield make
    await sessions.close()


@pytest_asyncio.fixture
async def olga(server, session_of) -> tuple[Session, Recorder]:
    """A session signed in to the fake server as olga, and the recorder of what it heard."""
    listener = Recorder()
    session = session_of(server.url, listener)
    await session.sign_in(PasswordLogin("olga", PASSWORD))
    return session, listener


def upsert(visitor_id: str) -> dict:
    return {"visitor": {"id": visitor_id, "state": "browsing", "page": {"url": "https://s.example/"},
                        "on_site_since": "2026-11-29T10:00:00.123Z"}}


@pytest.mark.asyncio
async def test_password_login_then_pushes_arrive_in_order(server, session_of):
    listener = Recorder()
    session = session_of(server.url, listener)
    login = await session.sign_in(PasswordLogin("olga", PASSWORD))
    assert login is not None and login.operator.name == "Olga"
    assert session.token == "tok-1"
    for n in range(5):
        await server.push("visitor.upsert", upsert(f"v{n}"))
    got = [await asyncio.wait_for(listener.pushes.get(), WAIT) for _ in range(5)]
    assert got == [(n, "visitor.upsert") for n in range(1, 6)]
    assert session.last_seq == 5


@pytest.mark.asyncio
async def test_wrong_password_raises_invalid_credentials(server, session_of):
    session = session_of(server.url, Recorder())
    with pytest.raises(RequestFailed) as caught:
        await session.sign_in(PasswordLogin("olga", "wrong"))
    assert caught.value.code == "invalid_credentials"
    assert session.state is SessionState.OFFLINE
    with pytest.raises(NotConnected):
        await session.request("ping", Empty())


@pytest.mark.asyncio
async def test_error_response_carries_the_protocol_code(server, session_of):
    session = session_of(server.url, Recorder())
    await session.sign_in(PasswordLogin("olga", PASSWORD))
    with pytest.raises(RequestFailed) as caught:
        await session.request("chats.list", Empty())
    assert caught.value.code == "unknown_action"


@pytest.mark.asyncio
async def test_unreachable_server_raises(session_of):
    fake = await FakeOperatorServer().start()
    url = fake.url
    await fake.stop()
    session = session_of(url, Recorder())
    with pytest.raises(Unreachable):
        await session.sign_in(PasswordLogin("olga", PASSWORD))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "url", ["ws://example.org/v1/operator", "ws://10.0.0.5:8080/v1/operator", "http://127.0.0.1/x"]
)
async def test_plain_ws_outside_loopback_is_refused(url, session_of):
    session = session_of(url, Recorder())
    with pytest.raises(InsecureUrl):
        await session.sign_in(PasswordLogin("olga", PASSWORD))


@pytest.mark.asyncio
@pytest.mark.allow_log_warnings
async def test_malformed_frames_and_unknown_pushes_are_dropped(server, olga, caplog):
    session, listener = olga
    await server.send_raw("{not json at all: secret-text")
    await server.send_raw(json.dumps({"v": 1, "type": "push", "seq": 1, "action": "visitor.upsert",
                                      "payload": {"visitor": {"id": 5}}}))
    await server.push("future.thing", {"x": 1})  # seq 1: unknown, ignored (forward compatible)
    await server.push("visitor.upsert", upsert("v1"))  # seq 2
    assert await asyncio.wait_for(listener.pushes.get(), WAIT) == (2, "visitor.upsert")
    assert "secret-text" not in caplog.text
    assert session.online
    assert "dropped a malformed frame" in caplog.text


@pytest.mark.asyncio
async def test_drop_reconnects_and_resumes_with_last_seq(server, olga):
    _, listener = olga
    first_login = await asyncio.wait_for(server.logins.get(), WAIT)
    assert first_login["password"] == PASSWORD
    await server.push("visitor.upsert", upsert("v1"))
    await server.push("visitor.upsert", upsert("v2"))
    for _ in range(2):
        await asyncio.wait_for(listener.pushes.get(), WAIT)
    server.drop_all()
    _state, retry_in, _ = await listener.wait_state(SessionState.RECONNECTING)
    assert retry_in is not None and 0 <= retry_in <= SCRIPTED.backoff_initial
    again = await asyncio.wait_for(server.logins.get(), WAIT)
    # The password is never sent again: only the token, with a resume request.
    assert again.get("password") is None and again["token"] == "tok-1"
    assert again["resume"] == {"session_id": "s-1", "last_seq": 2}
    await listener.wait_state(SessionState.ONLINE)
    assert (await asyncio.wait_for(listener.opened.get(), WAIT)).resumed is False  # the first login
    assert (await asyncio.wait_for(listener.opened.get(), WAIT)).resumed is True


@pytest.mark.asyncio
async def test_replayed_pushes_are_handed_on_once(server, olga):
    _, listener = olga
    await server.push("visitor.upsert", upsert("v1"))
    assert await asyncio.wait_for(listener.pushes.get(), WAIT) == (1, "visitor.upsert")
    # Pushes the server sent but the client never processed: recorded in the log, not delivered.
    server.sessions["s-1"].append((2, json.dumps({"v": 1, "type": "push", "seq": 2,
                                                  "action": "visitor.left",
                                                  "payload": {"visitor_id": "v1"}})))
    server.drop_all()
    assert await asyncio.wait_for(listener.pushes.get(), WAIT) == (2, "visitor.left")
    await listener.wait_state(SessionState.ONLINE)
    # seq 1 was replayed too if the server sent it again; it must not come twice.
    await server.send_raw(json.dumps({"v": 1, "type": "push", "seq": 2, "action": "visitor.left",
                                      "payload": {"visitor_id": "v1"}}))
    await server.push("visitor.upsert", upsert("v3"))
    assert await asyncio.wait_for(listener.pushes.get(), WAIT) == (3, "visitor.upsert")


@pytest.mark.asyncio
async def test_server_that_cannot_resume_gives_a_new_session(server, olga):
    _, listener = olga
    await asyncio.wait_for(listener.opened.get(), WAIT)
    await server.push("visitor.upsert", upsert("v1"))
    await asyncio.wait_for(listener.pushes.get(), WAIT)
    server.replay_limit = 0
    server.sessions["s-1"].append((2, "{}"))  # one push the client missed: more than the buffer holds
    server.drop_all()
    login = await asyncio.wait_for(listener.opened.get(), WAIT)
    assert login.resumed is False and login.session_id == "s-2"
    await listener.wait_state(SessionState.ONLINE)
    await server.push("visitor.upsert", upsert("v2"))
    # The new session counts from 1 again, and its first push is not mistaken for a duplicate.
    assert await asyncio.wait_for(listener.pushes.get(), WAIT) == (1, "visitor.upsert")


@pytest.mark.asyncio
async def test_silent_server_is_dropped_by_the_heartbeat(server, olga):
    _, listener = olga
    server.answer_pings = False
    await listener.wait_state(SessionState.RECONNECTING)
    server.answer_pings = True
    await listener.wait_state(SessionState.ONLINE)
    assert sum(1 for action, _ in server.requests if action == "auth.login") == 2


@pytest.mark.asyncio
async def test_backoff_grows_while_the_server_is_down(session_of):
    fake = await FakeOperatorServer().start()
    listener = Recorder()
    caps: list[float] = []

    def uniform(low: float, high: float) -> float:
        caps.append(high)
        return high

    session = session_of(fake.url, listener, uniform=uniform,
                         timing=Timing(heartbeat_interval=5, backoff_initial=0.01, backoff_max=0.04))
    await session.sign_in(PasswordLogin("olga", PASSWORD))
    port = fake.port
    await fake.stop()
    for _ in range(4):
        await listener.wait_state(SessionState.RECONNECTING)
    assert caps[:4] == [0.01, 0.02, 0.04, 0.04]
    revived = await FakeOperatorServer().start(port)
    revived.tokens.add("tok-1")
    try:
        await listener.wait_state(SessionState.ONLINE)
    finally:
        await session.close()
        await revived.stop()


@pytest.mark.asyncio
async def test_session_closing_never_stops_for_good(server, olga):
    session, listener = olga
    await server.push("session.closing", {"reason": "account disabled", "reconnect": "never"})
    await asyncio.wait_for(listener.pushes.get(), WAIT)
    for ws in list(server.connections):
        await ws.close()
    assert await asyncio.wait_for(listener.ended.get(), WAIT) is EndReason.CLOSED_BY_SERVER
    assert session.state is SessionState.CLOSED
    logins = sum(1 for action, _ in server.requests if action == "auth.login")
    # Give a reconnect every chance to happen (it must not): a further connection would show here.
    await server.connected.get()  # the first connection
    # The absence of a reconnect can only be seen by waiting: six times the longest backoff here.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(server.connected.get(), 6 * SCRIPTED.backoff_max)
    assert sum(1 for action, _ in server.requests if action == "auth.login") == logins
    assert SessionState.RECONNECTING not in listener.state_log


@pytest.mark.asyncio
async def test_session_closing_backoff_reconnects(server, olga):
    _, listener = olga
    await server.push("session.closing", {"reason": "restart", "reconnect": "backoff"})
    for ws in list(server.connections):
        await ws.close()
    await listener.wait_state(SessionState.RECONNECTING)
    await listener.wait_state(SessionState.ONLINE)


@pytest.mark.asyncio
async def test_revoked_token_ends_the_session_without_retrying(server, olga):
    session, listener = olga
    server.revoke_all_tokens()
    server.drop_all()
    assert await asyncio.wait_for(listener.ended.get(), WAIT) is EndReason.TOKEN_REVOKED
    _state, _, failure = await listener.wait_state(SessionState.OFFLINE)
    assert failure == "invalid_credentials"
    logins = sum(1 for action, _ in server.requests if action == "auth.login")
    assert logins == 2
    assert session.token is None


@pytest.mark.asyncio
async def test_token_login_keeps_trying_while_the_server_is_down(session_of):
    fake = await FakeOperatorServer().start()
    port, url = fake.port, fake.url
    await fake.stop()
    listener = Recorder()
    session = session_of(url, listener)
    assert await session.sign_in(TokenLogin("tok-9"), keep_trying=True) is None
    await listener.wait_state(SessionState.RECONNECTING)
    revived = await FakeOperatorServer().start(port)
    revived.tokens.add("tok-9")
    try:
        await listener.wait_state(SessionState.ONLINE)
        assert session.online
    finally:
        await session.close()
        await revived.stop()


@pytest.mark.asyncio
async def test_pushes_wait_for_the_resync_to_finish(server, session_of):
    order: list[str] = []
    release = asyncio.Event()

    class Slow(Recorder):
        async def session_opened(self, login):
            await server.push("visitor.upsert", upsert("v1"))  # arrives during the resync
            await release.wait()
            order.append("resynced")

        def push_received(self, push):
            order.append(push.action)
            super().push_received(push)

    listener = Slow()
    session = session_of(server.url, listener)
    task = asyncio.create_task(session.sign_in(PasswordLogin("olga", PASSWORD)))
    await asyncio.sleep(0.05)
    assert order == []
    release.set()
    await asyncio.wait_for(task, WAIT)
    await asyncio.wait_for(listener.pushes.get(), WAIT)
    assert order == ["resynced", "visitor.upsert"]


@pytest.mark.asyncio
async def test_sign_out_logs_out_and_stays_offline(server, olga):
    session, listener = olga
    await session.sign_out()
    assert ("auth.logout", {}) in server.requests
    assert session.state is SessionState.OFFLINE and session.token is None
    assert SessionState.RECONNECTING not in listener.state_log
