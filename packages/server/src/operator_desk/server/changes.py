"""An ok answer means it is stored: how a request changes what the server keeps.

A request that changes stored state is handled in three steps, in this order:

1. under the lock of the person it is about (``Changes.about(visitor_id)``), check the request against
   the live state and work out the change, touching nothing;
2. queue the change's writes (``change.write``) and wait for their group commit (``await change.stored()``);
3. only then apply the change to the live state and push it to whoever hears of it.

So nobody is told of a change that was not stored, a failed write (a full disk) leaves the live state as
it was (a retry really retries), and two requests about one person (two operators accepting one chat,
two tabs) are changed one after the other. A write that fails raises ``StorageUnavailable`` out of
``stored()``; the endpoint answers ``storage_unavailable``.

Every write queued while a request is handled (``Hub.store``) belongs to that request (a context
variable says which one is being handled); for the actions the protocol marks ``stores``, the endpoint
answers only once all of them are committed (``RequestWrites.committed``), so that a write a handler queued
on the side cannot be lost after an ok either. Changes the server makes on its own (a visitor's grace
period ending) are not requests: they are applied at once and written behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from operator_desk.server.db import Database

T = TypeVar("T")

# The message of a ``storage_unavailable`` answer.
NOT_STORED = "the server could not store this just now: nothing was changed; try again later"


class RequestWrites:
    """The writes queued while one request was handled. ``stores``: the action is one whose ok means
    stored (``ActionSpec.stores``); the writes of other requests (a page view) are written behind."""

    __slots__ = ("_open", "_writes", "stores")

    def __init__(self, stores: bool) -> None:
        self._writes: list[Future[Any]] = []
        self._open = True
        self.stores = stores

    def add(self, future: Future[Any]) -> None:
        self._writes.append(future)

    @property
    def open(self) -> bool:
        return self._open

    async def committed(self) -> None:
        """Wait until every write of the request is committed; raise the first failure."""
        self._open = False
        await _all_stored(self._writes)


_current: contextvars.ContextVar[RequestWrites | None] = contextvars.ContextVar("request", default=None)


def current_request() -> RequestWrites | None:
    """The request being handled, if any (timers and tasks started by one run after it: none then)."""
    request = _current.get()
    return request if request is not None and request.open else None


class handling:
    """``with handling(stores) as request:`` around one request's handler."""

    __slots__ = ("_request", "_stores", "_token")

    def __init__(self, stores: bool) -> None:
        self._stores = stores

    def __enter__(self) -> RequestWrites:
        self._request = RequestWrites(self._stores)
        self._token = _current.set(self._request)
        return self._request

    def __exit__(self, *exc_info: Any) -> None:
        _current.reset(self._token)
        self._request._open = False


class Change:
    """The writes of one change. ``write`` queues; ``stored`` waits for their commit."""

    __slots__ = ("_db", "_writes")

    def __init__(self, db: Database) -> None:
        self._db = db
        self._writes: list[Future[Any]] = []

    def write(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future = self._db.write(fn, *args)
        self._writes.append(future)
        request = current_request()
        if request is not None:
            request.add(future)
        return future

    async def stored(self) -> list[Any]:
        """The results of the writes, in order, once committed. Raises ``StorageUnavailable`` (or the
        error of a failing write) if any was not stored; then nothing of the change may be applied."""
        results = await _all_stored(self._writes)
        self._writes = []
        return results


class Changes:
    """One lock per person (visitor id) whose stored state a request is changing; a lock lives only while
    someone holds or waits for it, so their number is bounded by the requests in flight."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    def about(self, subject: str) -> _About:
        """``async with changes.about(subject) as change:`` the change, under the subject's lock."""
        return _About(self, subject)

    def busy(self, subject: str) -> bool:
        """Whether a change about ``subject`` is under way (or waiting)."""
        return subject in self._locks

    def _join(self, subject: str) -> asyncio.Lock:
        lock, users = self._locks.get(subject) or (asyncio.Lock(), 0)
        self._locks[subject] = (lock, users + 1)
        return lock

    def _leave(self, subject: str) -> None:
        lock, users = self._locks[subject]
        if users == 1:
            del self._locks[subject]
        else:
            self._locks[subject] = (lock, users - 1)


class _About:
    """What ``Changes.about`` returns: a class, not ``@asynccontextmanager``, because every change a
    request makes passes here: the async generator, its registration with the loop (a weak set) and its
    frames were about 1 % of the server's loop at 2,000 visitors."""

    __slots__ = ("_changes", "_lock", "_subject")

    def __init__(self, changes: Changes, subject: str) -> None:
        self._changes = changes
        self._subject = subject

    async def __aenter__(self) -> Change:
        changes = self._changes
        self._lock = changes._join(self._subject)
        try:
            await self._lock.acquire()
        except BaseException:
            changes._leave(self._subject)
            raise
        return Change(changes._db)

    async def __aexit__(self, *exc_info: object) -> None:
        self._lock.release()
        self._changes._leave(self._subject)


async def _all_stored(writes: list[Future[Any]]) -> list[Any]:
    """The writes' results once all are resolved; the first failure, in the order they were queued.

    The database's worker resolves futures in the order their jobs were queued (one batch after the
    other, each batch's in order, after its commit or its failure; db.py): once the last is resolved,
    every earlier one is. So one wake-up of the loop waits for all of them, not one per write (each is
    a call across threads, and a request such as ``chat.start`` queues three or four)."""
    if not writes:
        return []
    for write in (writes[-1], *writes):   # the others are done by then, unless that order changed
        if not write.done():
            with contextlib.suppress(Exception):   # each failure is read below, in order
                await asyncio.wrap_future(write)
    for write in writes:
        failure = write.exception()
        if failure is not None:
            raise failure
    return [write.result() for write in writes]
