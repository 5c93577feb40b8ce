"""Protocol v1 clients for tests and benchmarks: one for asyncio code, one for synchronous code (selenium
tests, a server on a thread of its own). Both speak to either endpoint, build their requests with
``frames.request_frame`` and keep every frame they receive, so that a test can also check what a client
never got. Pushes are waited for in arrival order; each is handed out once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Protocol

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection as SyncConnection
from websockets.sync.client import connect as sync_connect

from tests.kit.accounts import PASSWORD
from tests.kit.closing import ClosedAtEnd
from tests.kit.frames import parsed, request_frame
from tests.kit.timing import WAIT

Where = Callable[[dict[str, Any]], bool]


def _first_unconsumed(pushes: list[dict[str, Any]], consumed: set[int], action: str,
                      where: Where | None) -> dict[str, Any] | None:
    for index, push in enumerate(pushes):
        if index not in consumed and push["action"] == action and (where is None or where(push["payload"])):
            consumed.add(index)
            return push
    return None


def _ok_payload(action: str, response: dict[str, Any]) -> dict[str, Any]:
    assert response["ok"], f"{action} refused: {response.get('error')}"
    return response["payload"]


def _refusal_code(action: str, response: dict[str, Any]) -> str:
    assert not response["ok"], f"{action} was accepted: {response.get('payload')}"
    return response["error"]["code"]


class AsyncClient:
    """A connection on the running asyncio loop. Responses are matched to requests; pushes are kept in
    arrival order and awaited with ``push(action, where=...)``.

    What the server said at the start is kept on the client: ``login`` (the ``auth.login`` answer, see
    ``login``), ``hello`` and ``visitor_id`` (the ``visitor.hello`` answer, see ``visitors.arrive``).

    While ``closed_at_end`` is open (around every server test), each client opened on the test's loop
    is kept, to be closed when the test ends: a test need not close its clients, only one whose going
    it tests."""

    # The clients opened on the test's loop since ``closed_at_end`` began; None outside it (benchmarks,
    # other folders).
    opened: ClassVar[OpenedOnLoop | None] = None

    def __init__(self, connection: ClientConnection, *, id_prefix: str = "r") -> None:
        self.connection = connection
        self.raw: list[str] = []
        self.pushes: list[dict[str, Any]] = []
        self.login: dict[str, Any] = {}
        self.hello: dict[str, Any] = {}
        self.visitor_id = ""
        self._consumed: set[int] = set()
        self._responses: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._ids = (f"{id_prefix}{n}" for n in itertools.count(1))
        self._arrived = asyncio.Condition()
        loop = asyncio.get_running_loop()
        self.closed: asyncio.Future[int | None] = loop.create_future()
        self._reader = loop.create_task(self._read())
        if AsyncClient.opened is not None and AsyncClient.opened.loop is loop:
            AsyncClient.opened.keep(self)

    @classmethod
    async def connect(cls, url: str, *, id_prefix: str = "r", **kwargs: Any) -> AsyncClient:
        """``kwargs`` go to ``websockets.connect`` (headers, an SSL context, ...). No proxy from the
        environment: tests speak to loopback."""
        kwargs.setdefault("open_timeout", WAIT)
        kwargs.setdefault("proxy", None)
        return cls(await connect(url, **kwargs), id_prefix=id_prefix)

    @property
    def token(self) -> str:
        """The visitor token the server issued in ``visitor.hello``."""
        return self.hello["visitor_token"]

    @property
    def notices(self) -> list[dict[str, Any]]:
        """The privacy notices the server gave the visitor in ``visitor.hello``."""
        return self.hello["notices"]

    async def _read(self) -> None:
        try:
            async for frame in self.connection:
                text = frame if isinstance(frame, str) else frame.decode("utf-8")
                self.raw.append(text)
                message = parsed(text)
                if message.get("type") == "res":
                    future = self._responses.pop(str(message.get("id")), None)
                    if future is None:
                        future = self._responses.setdefault(
                            "<unmatched>", asyncio.get_running_loop().create_future()
                        )
                    if not future.done():
                        future.set_result(message)
                elif message.get("type") == "push":
                    async with self._arrived:
                        self.pushes.append(message)
                        self._arrived.notify_all()
        except ConnectionClosed:
            pass
        finally:
            if not self.closed.done():
                self.closed.set_result(self.connection.close_code)
            async with self._arrived:
                self._arrived.notify_all()

    async def send_raw(self, frame: str | bytes) -> None:
        """Send a frame as it is (a malformed one, say)."""
        await self.connection.send(frame)

    async def unmatched_response(self) -> dict[str, Any]:
        """The next response whose id matched no request (e.g. ``null`` for an unreadable frame)."""
        future = self._responses.setdefault("<unmatched>", asyncio.get_running_loop().create_future())
        result = await asyncio.wait_for(future, WAIT)
        del self._responses["<unmatched>"]
        return result

    async def response_to(self, request_id: str) -> dict[str, Any]:
        future = self._responses.setdefault(request_id, asyncio.get_running_loop().create_future())
        return await asyncio.wait_for(future, WAIT)

    async def request(self, action: str, payload: dict[str, Any] | None = None, *,
                      id: str | None = None) -> dict[str, Any]:
        """The whole response (``ok`` true or false) to one request; ``id`` to choose its id."""
        request_id = id or next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._responses[request_id] = future
        await self.connection.send(request_frame(request_id, action, payload))
        return await asyncio.wait_for(future, WAIT)

    async def ok(self, action: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """The payload of the answer; fails the test if the request is refused."""
        return _ok_payload(action, await self.request(action, payload))

    async def refused(self, action: str, payload: dict[str, Any] | None = None) -> str:
        """The error code of the refusal; fails the test if the request is accepted."""
        return _refusal_code(action, await self.request(action, payload))

    async def push(self, action: str, where: Where | None = None, within: float = WAIT) -> dict[str, Any]:
        """The payload of the next not yet consumed push with that action (and matching ``where``)."""

        async def wait() -> dict[str, Any]:
            async with self._arrived:
                while True:
                    found = _first_unconsumed(self.pushes, self._consumed, action, where)
                    if found is not None:
                        return found
                    if self.closed.done():
                        raise AssertionError(f"connection closed before push {action}")
                    await self._arrived.wait()

        push = await asyncio.wait_for(wait(), within)
        return push["payload"]

    def pushes_of(self, action: str) -> list[dict[str, Any]]:
        """Every push of that action received so far, consumed or not."""
        return [p["payload"] for p in self.pushes if p["action"] == action]

    def unread(self, action: str) -> list[dict[str, Any]]:
        """The pushes of that action received so far that ``push`` has not handed out."""
        return [p["payload"] for index, p in enumerate(self.pushes)
                if index not in self._consumed and p["action"] == action]

    async def close(self) -> None:
        await self.connection.close()
        await asyncio.gather(self._reader, return_exceptions=True)


class OpenedOnLoop(ClosedAtEnd[AsyncClient]):
    """The clients opened on one loop, the test's: one a test opens inside ``asyncio.run`` of its own
    is that loop's, and gone with it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.loop = loop


@contextlib.contextmanager
def closed_at_end() -> Iterator[OpenedOnLoop]:
    """Keeps every ``AsyncClient`` opened on the running loop inside it; ``await kept.close()`` before
    it ends closes them, in the order they were opened (one already closed is closed again, which does
    nothing)."""
    kept = OpenedOnLoop(asyncio.get_running_loop())
    AsyncClient.opened = kept
    try:
        yield kept
    finally:
        AsyncClient.opened = None


async def close_opened() -> None:
    """Closes the clients opened so far inside ``closed_at_end`` (before a server stops, so that it
    sees them leave as a test used to close them at its end)."""
    if AsyncClient.opened is not None:
        await AsyncClient.opened.close()


class Served(Protocol):
    """Any of the kit's servers (in-process, threaded, a child process): where to connect."""

    @property
    def operator_url(self) -> str: ...

    @property
    def visitor_url(self) -> str: ...


async def login(server: Served, username: str, password: str = PASSWORD, **extra: Any) -> AsyncClient:
    """An operator signed in on ``server``; ``extra`` goes into the ``auth.login`` payload (``resume``,
    ``client``). The answer is kept as ``client.login``."""
    client = await AsyncClient.connect(server.operator_url)
    client.login = await client.ok("auth.login", {"username": username, "password": password, **extra})
    return client


class SyncClient:
    """The same client for synchronous code, on websockets' threading client: requests, and pushes
    waited for with a deadline. Frames are read only while the caller waits for something. Use it as a
    context manager: ``with SyncClient.connect(url) as client:``."""

    def __init__(self, connection: SyncConnection, *, id_prefix: str = "op", wait: float = WAIT) -> None:
        self.connection = connection
        self.wait = wait
        self.frames: list[str] = []
        self.pushes: list[dict[str, Any]] = []
        self._consumed: set[int] = set()
        self._ids = (f"{id_prefix}{n}" for n in itertools.count(1))

    @classmethod
    def connect(cls, url: str, *, id_prefix: str = "op", wait: float = WAIT, **kwargs: Any) -> SyncClient:
        """``wait``: how long a request or a push is waited for."""
        kwargs.setdefault("open_timeout", wait)
        kwargs.setdefault("proxy", None)
        return cls(sync_connect(url, **kwargs), id_prefix=id_prefix, wait=wait)

    def __enter__(self) -> SyncClient:
        self.connection.__enter__()  # websockets wants its sync connections used as context managers
        return self

    def __exit__(self, *exc: Any) -> None:
        self.connection.__exit__(*exc)

    def close(self) -> None:
        self.connection.close()

    def _receive(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            raw = self.connection.recv(timeout=remaining)
        except TimeoutError:
            raise AssertionError(f"no {waiting_for} within {self.wait} s") from None
        text = raw if isinstance(raw, str) else raw.decode("utf-8")
        self.frames.append(text)
        message = parsed(text)
        if message.get("type") == "push":
            self.pushes.append(message)
        return message

    def request(self, action: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response (``ok`` true or false) to one request."""
        request_id = next(self._ids)
        self.connection.send(request_frame(request_id, action, payload))
        deadline = time.monotonic() + self.wait
        while True:
            received = self._receive(deadline, f"answer to {action}")
            if received.get("type") == "res" and received.get("id") == request_id:
                return received

    def ok(self, action: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """The payload of the answer; fails the test if the request is refused."""
        return _ok_payload(action, self.request(action, payload))

    def refused(self, action: str, payload: dict[str, Any] | None = None) -> str:
        """The error code of the refusal; fails the test if the request is accepted."""
        return _refusal_code(action, self.request(action, payload))

    def push(self, action: str, where: Where | None = None) -> dict[str, Any]:
        """The payload of the next not yet consumed push with that action (and matching ``where``)."""
        deadline = time.monotonic() + self.wait
        while (found := _first_unconsumed(self.pushes, self._consumed, action, where)) is None:
            self._receive(deadline, f"push {action}")
        return found["payload"]

    def pushes_of(self, action: str) -> list[dict[str, Any]]:
        return [p["payload"] for p in self.pushes if p["action"] == action]
