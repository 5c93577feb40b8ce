"""The async face of the cache: every call runs on the store's one worker thread.

SQLCipher calls block (decrypting pages, fsync), so the event loop never runs them itself. One
single-worker executor owns the connection from open to close: calls run one after another in the order
they were made, and the connection is never touched by two threads. Cancelling an awaiting caller does
not stop a call already running on the worker; it completes, and its result is dropped.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from operator_desk.domain.model import Chat, ChatState, ConsentEvent, Message, Notice, Purpose, Visitor
from operator_desk.store.database import LOCAL_ACTOR, CacheDatabase
from operator_desk.store.errors import StoreClosed
from operator_desk.store.keys import CacheKey, Passphrase, RawKey
from operator_desk.store.records import (
    AuditEntry,
    DetailRequest,
    OutboxEntry,
    ReceivedDetail,
    Retention,
    SearchPage,
)

P = ParamSpec("P")
R = TypeVar("R")


class Store:
    """An open cache for asyncio code. Build it with ``await Store.open(path, key)``."""

    def __init__(self, db: CacheDatabase, executor: ThreadPoolExecutor) -> None:
        self._db = db
        self._executor: ThreadPoolExecutor | None = executor

    @classmethod
    async def open(
        cls,
        path: Path,
        key: CacheKey,
        *,
        clock: Callable[[], datetime] | None = None,
        busy_timeout_ms: int = 5000,
    ) -> Store:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="operator-desk-store")
        try:
            db = await asyncio.get_running_loop().run_in_executor(
                executor,
                functools.partial(
                    CacheDatabase.open, path, key, clock=clock, busy_timeout_ms=busy_timeout_ms
                ),
            )
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(db, executor)

    async def _run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._executor is None:
            raise StoreClosed("the cache is closed")
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, functools.partial(fn, *args, **kwargs)
        )

    async def close(self) -> None:
        if self._executor is None:
            return
        try:
            await self._run(self._db.close)
        finally:
            executor, self._executor = self._executor, None
            executor.shutdown(wait=False)  # its only job has finished

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def path(self) -> Path:
        return self._db.path

    async def schema_version(self) -> int:
        return await self._run(self._db.schema_version)

    async def upsert_chats(self, chats: Iterable[Chat]) -> int:
        return await self._run(self._db.upsert_chats, list(chats))

    async def upsert_messages(self, batch: Iterable[Message]) -> int:
        return await self._run(self._db.upsert_messages, list(batch))

    async def chat_messages(self, chat_id: str, limit: int = 50) -> list[Message]:
        return await self._run(self._db.chat_messages, chat_id, limit)

    async def get_chat(self, chat_id: str) -> Chat | None:
        return await self._run(self._db.get_chat, chat_id)

    async def list_chats(
        self,
        *,
        visitor_id: str | None = None,
        state: ChatState | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Chat]:
        return await self._run(
            self._db.list_chats, visitor_id=visitor_id, state=state, limit=limit, offset=offset
        )

    async def search(
        self,
        text: str = "",
        *,
        operator_id: str | None = None,
        visitor_id: str | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> SearchPage:
        return await self._run(
            self._db.search,
            text,
            operator_id=operator_id,
            visitor_id=visitor_id,
            since=since,
            until=until,
            limit=limit,
            cursor=cursor,
        )

    async def put_visitor(self, visitor: Visitor) -> Visitor:
        return await self._run(self._db.put_visitor, visitor)

    async def put_visitors(self, visitors: Iterable[Visitor]) -> list[Visitor]:
        return await self._run(self._db.put_visitors, list(visitors))

    async def visitor_snapshot(self, visitor_id: str) -> Visitor | None:
        return await self._run(self._db.visitor_snapshot, visitor_id)

    async def add_consent_event(self, event: ConsentEvent) -> frozenset[Purpose]:
        return await self._run(self._db.add_consent_event, event)

    async def consent_events(self, visitor_id: str) -> list[ConsentEvent]:
        return await self._run(self._db.consent_events, visitor_id)

    async def add_notice(self, notice: Notice) -> bool:
        return await self._run(self._db.add_notice, notice)

    async def notices(self) -> list[Notice]:
        return await self._run(self._db.notices)

    async def add_detail_request(self, request: DetailRequest) -> None:
        await self._run(self._db.add_detail_request, request)

    async def mark_details_declined(self, request_id: str) -> bool:
        return await self._run(self._db.mark_details_declined, request_id)

    async def add_received_details(self, chat_id: str, request_id: str, fields: Mapping[str, str]) -> int:
        return await self._run(self._db.add_received_details, chat_id, request_id, dict(fields))

    async def detail_requests(self, chat_id: str) -> list[DetailRequest]:
        return await self._run(self._db.detail_requests, chat_id)

    async def received_details(self, chat_id: str) -> list[ReceivedDetail]:
        return await self._run(self._db.received_details, chat_id)

    async def outbox_add(self, chat_id: str, client_msg_id: str, text: str) -> bool:
        return await self._run(self._db.outbox_add, chat_id, client_msg_id, text)

    async def outbox_pending(self, chat_id: str | None = None) -> list[OutboxEntry]:
        return await self._run(self._db.outbox_pending, chat_id)

    async def outbox_ack(self, client_msg_id: str) -> bool:
        return await self._run(self._db.outbox_ack, client_msg_id)

    async def record_audit(
        self,
        action: str,
        *,
        actor: str,
        visitor_id: str | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> None:
        await self._run(self._db.record_audit, action, actor=actor, visitor_id=visitor_id, counts=counts)

    async def audit_entries(self, *, since: str | None = None, limit: int = 100) -> list[AuditEntry]:
        return await self._run(self._db.audit_entries, since=since, limit=limit)

    async def subject_pseudonym(self, visitor_id: str) -> str:
        return await self._run(self._db.subject_pseudonym, visitor_id)

    async def get_setting(self, key: str, default: Any = None) -> Any:
        return await self._run(self._db.get_setting, key, default)

    async def put_setting(self, key: str, value: Any) -> None:
        await self._run(self._db.put_setting, key, value)

    async def retention(self) -> Retention:
        return await self._run(self._db.retention)

    async def set_retention(self, limits: Retention) -> None:
        await self._run(self._db.set_retention, limits)

    async def purge_expired(self, now: datetime | None = None) -> dict[str, int]:
        return await self._run(self._db.purge_expired, now)

    async def export_subject(self, visitor_id: str, *, actor: str = LOCAL_ACTOR) -> dict[str, Any]:
        return await self._run(self._db.export_subject, visitor_id, actor=actor)

    async def erase_subject(self, visitor_id: str, *, actor: str = LOCAL_ACTOR) -> dict[str, int]:
        return await self._run(self._db.erase_subject, visitor_id, actor=actor)

    async def rekey(self, new_key: RawKey | Passphrase) -> None:
        await self._run(self._db.rekey, new_key)
