"""Catching up on the server's erasure journal, so that an erasure reaches a desk that was offline.

A ``subject.erased`` push reaches only the desks connected at that moment. At every sign-in and resync,
before anything is shown, and hourly while signed in, the desk asks ``subjects.erased_since`` from the
cursor it keeps (in the cache, or in memory without one) and purges what the entries name from memory
and from the cache. The entries name visitors and chats by keyed hashes only; the desk hashes the ids
it holds (``domain.erasure.id_hash``) to find them. Retention purges on the server come the same way,
so a desk never keeps a transcript longer than the server does.

A desk that cannot follow the journal (its cursor is older than what the server keeps, or from another
server; or it holds data and has never caught up) keeps nothing it cannot vouch for: memory and cache
are cleared of everything personal except the operator's unsent messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol

from operator_desk.domain.erasure import id_hash
from operator_desk.net.errors import RequestFailed
from operator_desk.protocol import ErrorCode
from operator_desk.protocol.messages import ErasedSinceRequest, ErasedSinceResponse, Erasure
from operator_desk.services.cache import CacheWriter
from operator_desk.store import Store

logger = logging.getLogger(__name__)


class HeldInMemory(Protocol):
    """What the desk holds in memory, and how it lets go of it."""

    def held_chats(self) -> Mapping[str, str]:
        """chat id -> visitor id of every chat held."""

    def held_visitor_ids(self) -> Iterable[str]: ...

    def forget_visitor(self, visitor_id: str, chat_ids: tuple[str, ...]) -> None:
        """Drop the person from memory and tell the UI (their tabs close)."""

    def forget_chats(self, chat_ids: tuple[str, ...]) -> None: ...


class ErasureJournal:
    def __init__(self, request: Callable[[str, Any], Awaitable[Any]], store: Store | None, cache: CacheWriter,
                 memory: HeldInMemory) -> None:
        self._request = request
        self._store = store
        self._cache = cache
        self._memory = memory
        self._cursor: str | None = None      # without a store: where this run stands
        self._lock = asyncio.Lock()          # a sign-in and the hourly catch-up never overlap

    async def catch_up(self) -> None:
        """Apply every journal entry after the cursor, page by page. Raises what the requests raise
        (the session is then down; the next sign-in tries again)."""
        async with self._lock:
            cursor = await self._stored_cursor()
            unvouched = cursor is None and await self._holds_anything()
            while True:
                try:
                    page: ErasedSinceResponse = await self._request(
                        "subjects.erased_since", ErasedSinceRequest(cursor=cursor))
                except RequestFailed as exc:
                    if exc.code is ErrorCode.UNKNOWN_ACTION:
                        logger.info("the server keeps no erasure journal; live erasures only")
                        return
                    raise
                if page.expired or unvouched:
                    await self._forget_unvouched(page.next_cursor)
                    unvouched = False
                else:
                    await self._apply(page)
                cursor = page.next_cursor
                if not page.more:
                    return

    async def _stored_cursor(self) -> str | None:
        return self._cursor if self._store is None else await self._store.journal_cursor()

    async def _holds_anything(self) -> bool:
        if any(True for _ in self._memory.held_visitor_ids()):
            return True
        return self._store is not None and await self._store.holds_personal_data()

    async def _apply(self, page: ErasedSinceResponse) -> None:
        key = bytes.fromhex(page.subject_key)
        if page.erasures:
            self._forget_in_memory(key, page.erasures)
        if self._store is None:
            self._cursor = page.next_cursor
            return
        # Writes queued before (from the last session) land first, so none can bring a person back.
        await self._cache.drained()
        erased, removed = await self._store.apply_erasures(key, list(page.erasures), page.next_cursor)
        if erased or removed:
            logger.info("erasure journal: %d people and %d chats purged from the cache",
                        len(erased), len(removed))

    def _forget_in_memory(self, key: bytes, erasures: tuple[Erasure, ...]) -> None:
        chats = dict(self._memory.held_chats())
        visitors = {id_hash(key, v): v for v in {*self._memory.held_visitor_ids(), *chats.values()}}
        chat_by_hash = {id_hash(key, c): c for c in chats}
        for erasure in erasures:
            visitor_id = visitors.pop(erasure.subject, None) if erasure.subject else None
            if visitor_id is not None:
                self._cache.forget(visitor_id)
                self._memory.forget_visitor(visitor_id, tuple(c for c, v in chats.items() if v == visitor_id))
            gone = tuple(chat_by_hash[h] for h in erasure.chats if h in chat_by_hash)
            if gone:
                self._memory.forget_chats(gone)

    async def _forget_unvouched(self, cursor: str) -> None:
        chats = dict(self._memory.held_chats())
        for visitor_id in {*self._memory.held_visitor_ids(), *chats.values()}:
            self._cache.forget(visitor_id)
            self._memory.forget_visitor(visitor_id, tuple(c for c, v in chats.items() if v == visitor_id))
        if self._store is None:
            self._cursor = cursor
            return
        await self._cache.drained()
        counts = await self._store.forget_unvouched(cursor)
        logger.info("erasure journal: this cache could not follow it and was cleared (%s)",
                    {table: n for table, n in counts.items() if n})
