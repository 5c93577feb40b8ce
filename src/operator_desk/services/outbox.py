"""Operator messages written but not yet acknowledged by the server.

They live in the encrypted cache's outbox when there is a cache (so they survive a crash or a restart),
else in memory for this run. Each keeps its ``client_msg_id`` for every retry: the server stores a
message once per id, which is what makes redelivery exactly-once.
"""

from __future__ import annotations

import logging

from operator_desk.domain.clock import now_ts
from operator_desk.services.cache import CacheWriter
from operator_desk.store import Store
from operator_desk.store.errors import StoreError
from operator_desk.store.records import OutboxEntry

logger = logging.getLogger(__name__)


class Outbox:
    def __init__(self, store: Store | None, cache: CacheWriter) -> None:
        self._store = store
        self._cache = cache
        # Entries the store could not take (or all of them, without a store): kept for this run.
        self._memory: dict[str, OutboxEntry] = {}

    async def add(self, chat_id: str, client_msg_id: str, text: str) -> bool:
        """Queue a message. False when it could only be kept in memory (the cache failed)."""
        if self._store is not None:
            try:
                # Through the cache's queue: the chat row it refers to may still be queued there.
                await self._cache.call(Store.outbox_add, chat_id, client_msg_id, text)
                return True
            except StoreError as exc:
                logger.warning("outbox write failed (%s): kept in memory", type(exc).__name__)
        self._memory[client_msg_id] = OutboxEntry(
            chat_id=chat_id, client_msg_id=client_msg_id, text=text, created_at=now_ts()
        )
        return self._store is None

    async def pending(self) -> list[OutboxEntry]:
        entries: list[OutboxEntry] = []
        if self._store is not None:
            try:
                entries = await self._store.outbox_pending()
            except StoreError as exc:
                logger.warning("outbox read failed (%s)", type(exc).__name__)
        stored = {entry.client_msg_id for entry in entries}
        return entries + [entry for key, entry in self._memory.items() if key not in stored]

    async def ack(self, client_msg_id: str) -> None:
        self._memory.pop(client_msg_id, None)
        if self._store is not None:
            try:
                await self._store.outbox_ack(client_msg_id)
            except StoreError as exc:
                # Harmless: a later flush re-sends it and the server answers with the stored message.
                logger.warning("outbox ack failed (%s)", type(exc).__name__)
