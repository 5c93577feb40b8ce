"""Writing what arrives into the encrypted cache, in arrival order, without making anyone wait.

Pushes are handled synchronously (the UI must see them at once); the cache is written behind them by one
writer task, job after job, in the order they were queued (a chat before its messages). Visitor
snapshots are the exception: at a thousand updates a second only the latest snapshot of each visitor is
worth writing, so they wait in a latest-wins map and are written between jobs.

With no store (the user chose to run without a local cache) every write is a no-op. A failed write is
logged by its error type only and reported once as ``CacheStatus(failure=CACHE_UNAVAILABLE)``; the desk
keeps working from memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

import msgspec

from operator_desk.domain.model import Visitor
from operator_desk.net.tasks import TaskOwner
from operator_desk.services.errors import FailureCode
from operator_desk.services.events import CacheStatus, EventSink
from operator_desk.store import Store
from operator_desk.store.errors import ConsentMissing, StoreError

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Job:
    """A queued store operation with its arguments (``Store.upsert_chats`` and ``[chat]``) and a future
    for a caller that waits for the result (None: nobody waits)."""

    operation: Callable[..., Awaitable[Any]]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    done: asyncio.Future[Any] | None = None

    def run(self, store: Store) -> Awaitable[Any]:
        return self.operation(store, *self.args, **self.kwargs)


class CacheWriter:
    def __init__(self, store: Store | None, emit: EventSink, tasks: TaskOwner) -> None:
        self.store = store
        self._emit = emit
        self._tasks = tasks
        self._jobs: deque[Job] = deque()
        self._snapshots: dict[str, Visitor] = {}
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._reported = False
        self._writer: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.store is not None and self._writer is None:
            self._writer = self._tasks.spawn(self._run(self.store), "operator-desk-cache-writer")

    def write(
        self, operation: Callable[Concatenate[Store, P], Awaitable[object]], *args: P.args, **kwargs: P.kwargs
    ) -> None:
        """Queue a store operation: ``write(Store.upsert_chats, [chat])``."""
        if self.store is None:
            return
        self._jobs.append(Job(operation, args, kwargs))
        self._kick()

    async def call(
        self, operation: Callable[Concatenate[Store, P], Awaitable[R]], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run a store operation after every job queued before it, and return its result (or raise its
        ``StoreError``). The outbox needs this: its rows refer to a chat that an earlier queued job
        writes."""
        if self.store is None:
            raise RuntimeError("no cache")
        done: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._jobs.append(Job(operation, args, kwargs, done))
        self._kick()
        return await done

    def snapshot(self, visitor: Visitor) -> None:
        if self.store is None:
            return
        self._snapshots[visitor.id] = visitor
        self._kick()

    def forget(self, visitor_id: str) -> None:
        """Drop a visitor's pending snapshot (the person was erased)."""
        self._snapshots.pop(visitor_id, None)

    async def drained(self) -> None:
        """Wait until everything queued so far is written (or failed)."""
        await self._idle.wait()

    def _kick(self) -> None:
        self._idle.clear()
        self._wake.set()

    async def _run(self, store: Store) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._jobs or self._snapshots:
                if self._jobs:
                    job = self._jobs.popleft()
                    if job.done is None:
                        await self._do(store, job)
                    elif not job.done.cancelled():
                        try:
                            job.done.set_result(await job.run(store))
                        except StoreError as exc:
                            job.done.set_exception(exc)
                else:
                    batch, self._snapshots = self._snapshots, {}
                    # One transaction for the whole batch.
                    await self._do(store, Job(Store.put_visitors, (list(batch.values()),), {}))
            if not self._wake.is_set():
                self._idle.set()

    async def _do(self, store: Store, job: Job) -> None:
        name = job.operation.__name__  # what a failed write logs: the operation, never its data
        try:
            await job.run(store)
        except ConsentMissing:
            # The store refused data the visitor's consents do not cover: that is the rule working.
            logger.info("the cache refused data without consent (%s)", name)
        except StoreError as exc:
            logger.warning("cache write %s failed (%s)", name, type(exc).__name__)
            if not self._reported:
                self._reported = True
                self._emit(CacheStatus(available=False, encrypted=True,
                                       failure=FailureCode.CACHE_UNAVAILABLE))



async def keep_transcripts_for(store: Store, days: int) -> None:
    """Set the cache's transcript retention to the operator's ``days``; the other limits stay."""
    limits = await store.retention()
    if limits.transcripts_days != days:
        await store.set_retention(msgspec.structs.replace(limits, transcripts_days=days))
