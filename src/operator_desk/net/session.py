"""The session supervisor: sign in once, then stay signed in.

It owns the connection. After a password or token login it keeps only the token the server returned
(never the password) and uses it to log in again after a drop, asking to resume with ``session_id`` and
the last push it processed (``last_seq``). A heartbeat (``ping`` every ``heartbeat_interval``, an answer
within ``heartbeat_timeout``) finds dead connections that TCP would not report for minutes. Reconnects
wait a jittered exponential backoff. ``session.closing`` with ``reconnect: never`` ends the session for
good; an ``invalid_credentials`` answer to a token login means the token was revoked, and ends it too
(retrying would never help).

While a new connection is being set up (``Listener.session_opened``: the services' resync), pushes that
arrive are held back and handed on afterwards, in order, so that a snapshot is never overtaken by the
pushes that follow it.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import random
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from operator_desk.domain.model import Struct
from operator_desk.net.backoff import Backoff
from operator_desk.net.connection import Connection
from operator_desk.net.errors import (
    ConnectionLost,
    NetError,
    NotConnected,
    RequestFailed,
    RequestTimeout,
)
from operator_desk.net.tasks import TaskOwner
from operator_desk.protocol import ErrorCode, Push
from operator_desk.protocol.messages import (
    ClientInfo,
    Empty,
    LoginRequest,
    LoginResponse,
    ResumeInfo,
    SessionClosing,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


class SessionState(enum.StrEnum):
    OFFLINE = "offline"
    CONNECTING = "connecting"
    ONLINE = "online"
    RECONNECTING = "reconnecting"
    CLOSED = "closed"


class EndReason(enum.StrEnum):
    SIGNED_OUT = "signed_out"
    TOKEN_REVOKED = "token_revoked"
    CLOSED_BY_SERVER = "closed_by_server"


@dataclass(frozen=True, slots=True)
class Timing:
    """Every delay the transport uses, injectable so that tests run in milliseconds."""

    heartbeat_interval: float = 20.0
    heartbeat_timeout: float = 10.0
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    open_timeout: float = 10.0
    request_timeout: float = 30.0
    close_timeout: float = 2.0


@dataclass(frozen=True, slots=True)
class PasswordLogin:
    username: str
    password: str

    def __repr__(self) -> str:  # never show the password in a log or a traceback
        return "PasswordLogin(<redacted>)"


@dataclass(frozen=True, slots=True)
class TokenLogin:
    token: str

    def __repr__(self) -> str:
        return "TokenLogin(<redacted>)"


Credentials = PasswordLogin | TokenLogin


class Listener(Protocol):
    def state_changed(self, state: SessionState, retry_in: float | None, failure: str | None) -> None: ...

    async def session_opened(self, login: LoginResponse) -> None:
        """A login succeeded (first or after a reconnect); resync here if ``login.resumed`` is false.
        Pushes are held until it returns."""

    def push_received(self, push: Push) -> None: ...

    def session_ended(self, reason: EndReason) -> None: ...


class Session:
    def __init__(
        self,
        url: str,
        listener: Listener,
        *,
        allow_insecure: bool = False,
        ca_file: str | None = None,
        timing: Timing | None = None,
        client: ClientInfo | None = None,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self._url = url
        self._listener = listener
        self._allow_insecure = allow_insecure
        self._ca_file = ca_file
        self.timing = timing or Timing()
        self._client = client
        self._backoff = Backoff(self.timing.backoff_initial, self.timing.backoff_max, uniform=uniform)
        self._conn: Connection | None = None
        self._logged_in = False
        self._held: list[Push] | None = None
        self._closing: str | None = None  # the ``reconnect`` of a session.closing on this connection
        self._tasks = TaskOwner(logger)
        self._heartbeat: asyncio.Task[None] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self.state = SessionState.OFFLINE
        self.session_id: str | None = None
        self.last_seq = 0
        self.token: str | None = None
        self.login: LoginResponse | None = None

    # -- public -----------------------------------------------------------------------------------

    @property
    def online(self) -> bool:
        return self._conn is not None and self._conn.is_open and self._logged_in

    async def sign_in(self, credentials: Credentials, *, keep_trying: bool = False) -> LoginResponse | None:
        """Log in and keep the session up from then on. Raises :class:`NetError` when the first
        attempt fails; with ``keep_trying`` (a token login) an unreachable server is not a failure:
        the supervisor keeps retrying in the background and this returns ``None``."""
        await self._stop_tasks()
        self._closing = None
        self._set_state(SessionState.CONNECTING)
        try:
            login = await self._open(credentials, resume=False)
        except RequestFailed as exc:
            self._set_state(SessionState.OFFLINE, failure=exc.code)
            raise
        except NetError as exc:
            if keep_trying and isinstance(credentials, TokenLogin) and _transient(exc):
                self.token = credentials.token
                self._supervisor = self._spawn(self._supervise(), "operator-desk-session")
                return None
            self._set_state(SessionState.OFFLINE, failure=exc.code)
            raise
        self._went_online()
        self._supervisor = self._spawn(self._supervise(), "operator-desk-session")
        return login

    async def request(self, action: str, payload: Struct, *, answer_within: float | None = None) -> Any:
        conn = self._conn
        if conn is None or not self._logged_in or not conn.is_open:
            raise NotConnected("not connected")
        return await conn.request(action, payload, answer_within=answer_within)

    async def sign_out(self) -> None:
        """Log out (the server revokes the token) and close; no reconnect."""
        if self.online:
            try:
                await self.request("auth.logout", Empty(), answer_within=self.timing.heartbeat_timeout)
            except NetError as exc:
                logger.info("logout was not confirmed (%s)", exc.code)
        await self.close()
        self.token = None
        self.session_id = None
        self.last_seq = 0
        self._set_state(SessionState.OFFLINE)

    async def close(self) -> None:
        """Stop everything this session runs and close the connection (not a logout)."""
        await self._stop_tasks()
        conn, self._conn = self._conn, None
        self._logged_in = False
        if conn is not None:
            await conn.close()

    # -- connecting -------------------------------------------------------------------------------

    async def _open(self, credentials: Credentials, *, resume: bool) -> LoginResponse:
        conn = await Connection.open(
            self._url,
            on_push=self._push_arrived,
            allow_insecure=self._allow_insecure,
            ca_file=self._ca_file,
            open_timeout=self.timing.open_timeout,
            request_timeout=self.timing.request_timeout,
            close_timeout=self.timing.close_timeout,
        )
        self._held = []
        try:
            login: LoginResponse = await conn.request(
                "auth.login", self._login_request(credentials, resume), answer_within=self.timing.open_timeout
            )
            if not login.resumed:
                self.last_seq = 0  # a new session numbers its pushes from 1 again
            self.session_id = login.session_id
            self.token = login.token
            self.login = login
            self._conn, self._logged_in, self._closing = conn, True, None
            await self._listener.session_opened(login)
        except BaseException:
            self._logged_in = False
            self._held = None
            if self._conn is conn:
                self._conn = None
            conn.abort()
            raise
        held, self._held = self._held, None
        for push in held:
            self._dispatch(push)
        return login

    def _login_request(self, credentials: Credentials, resume: bool) -> LoginRequest:
        resume_info = None
        if resume and self.session_id is not None:
            resume_info = ResumeInfo(session_id=self.session_id, last_seq=self.last_seq)
        if isinstance(credentials, PasswordLogin):
            return LoginRequest(username=credentials.username, password=credentials.password,
                                resume=resume_info, client=self._client)
        return LoginRequest(token=credentials.token, resume=resume_info, client=self._client)

    def _went_online(self) -> None:
        self._backoff.reset()
        self._set_state(SessionState.ONLINE)
        conn = self._conn
        if conn is not None:
            self._heartbeat = self._spawn(self._beat(conn), "operator-desk-heartbeat")

    # -- pushes -----------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def pushes_held(self) -> AsyncIterator[None]:
        """Hold the pushes that arrive meanwhile and hand them on afterwards, in order: for a snapshot
        read in pages outside a resync (the desk changed what it subscribes to), which the pushes that
        follow it must not overtake. Within a resync they are held already. If the connection drops
        meanwhile, the new connection's resync takes over (and what was held here comes again as a
        replay, or is in its snapshot)."""
        if self._held is not None:
            yield
            return
        held: list[Push] = []
        self._held = held
        try:
            yield
        finally:
            if self._held is held:
                self._held = None
                for push in held:
                    self._dispatch(push)

    def _push_arrived(self, push: Push) -> None:
        if isinstance(push.payload, SessionClosing):
            self._closing = push.payload.reconnect
            logger.info("the server is closing the session (reconnect: %s)", self._closing)
        if self._held is not None:
            self._held.append(push)
            return
        self._dispatch(push)

    def _dispatch(self, push: Push) -> None:
        seq = push.seq or 0
        if seq <= self.last_seq:
            return  # already processed (a replay overlapping what we had)
        if seq != self.last_seq + 1:
            logger.info("push sequence jumped from %d to %d", self.last_seq, seq)
        self.last_seq = seq
        self._listener.push_received(push)

    # -- staying connected ------------------------------------------------------------------------

    async def _supervise(self) -> None:
        while True:
            conn = self._conn
            if conn is not None:
                await conn.wait_closed()
                self._logged_in = False
                self._conn = None
                if self._heartbeat is not None:
                    self._heartbeat.cancel()
                logger.info("connection closed (code %s)", conn.close_code)
            if self._closing == "never":
                self._set_state(SessionState.CLOSED)
                self._listener.session_ended(EndReason.CLOSED_BY_SERVER)
                return
            if not await self._reconnect():
                return

    async def _reconnect(self) -> bool:
        """Try until logged in again (True), or until the token is refused (False)."""
        failure: str | None = None
        while True:
            delay = self._backoff.next_delay()
            self._set_state(SessionState.RECONNECTING, retry_in=delay, failure=failure)
            await asyncio.sleep(delay)
            self._set_state(SessionState.CONNECTING)
            assert self.token is not None
            try:
                await self._open(TokenLogin(self.token), resume=True)
            except RequestFailed as exc:
                if exc.code in (ErrorCode.INVALID_CREDENTIALS, ErrorCode.UNAUTHENTICATED):
                    logger.info("the server refused the token")
                    self.token = None
                    self._set_state(SessionState.OFFLINE, failure=exc.code)
                    self._listener.session_ended(EndReason.TOKEN_REVOKED)
                    return False
                failure = exc.code  # rate_limited, internal: try again later
            except NetError as exc:
                failure = exc.code
            else:
                self._went_online()
                return True

    async def _beat(self, conn: Connection) -> None:
        while conn.is_open:
            await asyncio.sleep(self.timing.heartbeat_interval)
            try:
                await conn.request("ping", Empty(), answer_within=self.timing.heartbeat_timeout)
            except RequestTimeout:
                logger.info("no answer to ping in %.1f s: dropping the connection",
                            self.timing.heartbeat_timeout)
                conn.abort()
                return
            except (ConnectionLost, NotConnected):
                return
            except RequestFailed as exc:
                logger.info("ping refused (%s)", exc.code)

    # -- plumbing ---------------------------------------------------------------------------------

    def _set_state(self, state: SessionState, *, retry_in: float | None = None,
                   failure: str | None = None) -> None:
        self.state = state
        self._listener.state_changed(state, retry_in, failure)

    def _spawn(self, coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
        return self._tasks.spawn(coro, name)

    async def _stop_tasks(self) -> None:
        await self._tasks.close()
        self._heartbeat = self._supervisor = None


def _transient(exc: NetError) -> bool:
    return exc.code in ("unreachable", "connection_lost", "timeout")
