"""The encrypted cache: every public operation of the store, each written once, run on its own thread.

SQLCipher calls block (decrypting pages, fsync), so the event loop never runs them itself. A store owns
one single-worker executor from open to close, and its connection lives on that worker alone. Each
operation below is a plain method that uses the connection; ``@on_store_thread`` turns it into a call
that queues the method on the worker and returns an awaitable (Electrum's ``@sql`` is the model). Calls
run one after another in the order they were made. Cancelling an awaiting caller drops a call that has
not started; one already running completes and its result is dropped.

Arguments cross to the worker as they are: pass lists and dicts that the caller no longer changes.
Every ``sqlcipher3`` error is translated into the store's own errors at this boundary.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, Unpack

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.clock import format_ts
from operator_desk.domain.model import Chat, ChatState, ConsentEvent, Message, Notice, Purpose, Visitor
from operator_desk.protocol.messages import Erasure
from operator_desk.store import (
    audit,
    journal,
    messages,
    outbox,
    privacy,
    retention,
    search,
    settings,
    subjects,
    transcripts,
)
from operator_desk.store.connection import open_connection, transaction
from operator_desk.store.errors import StoreClosed, translate
from operator_desk.store.keys import CacheKey, Passphrase, RawKey
from operator_desk.store.migrations import schema_version
from operator_desk.store.records import (
    AuditDetail,
    CacheAuditEntry,
    CacheAuditPage,
    CacheAuditQuery,
    CachedTranscriptPage,
    CachedTranscriptQuery,
    CacheRetention,
    DetailRequest,
    OutboxEntry,
    ReceivedDetail,
    SearchPage,
)

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

SYSTEM_ACTOR = "system"
LOCAL_ACTOR = "local"
THREAD_NAME = "operator-desk-store"


def on_store_thread(
    operation: Callable[Concatenate[Store, P], R],
) -> Callable[Concatenate[Store, P], asyncio.Future[R]]:
    """Make ``operation`` a call that runs on the store's worker thread and returns an awaitable of its
    result. The call is queued at once, in call order; on a closed store the awaitable raises
    :class:`StoreClosed`."""

    @functools.wraps(operation)
    def queue(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> asyncio.Future[R]:
        loop = asyncio.get_running_loop()
        if store._executor is None:
            closed: asyncio.Future[R] = loop.create_future()
            closed.set_exception(StoreClosed("the cache is closed"))
            return closed
        return loop.run_in_executor(
            store._executor, functools.partial(store._run_here, operation, *args, **kwargs)
        )

    return queue


class Store:
    """An open encrypted cache. Build it with ``await Store.open(path, key)``."""

    def __init__(
        self,
        conn: sqlcipher.Connection,
        path: Path,
        clock: Callable[[], datetime],
        executor: ThreadPoolExecutor,
    ) -> None:
        self._conn: sqlcipher.Connection | None = conn
        self._path = path
        self._clock = clock
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
        """Open (or create) the cache, migrate it, and purge expired rows. Raises the typed errors of
        ``store.errors``; none of them leaves a change in the file."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME)
        try:
            conn = await asyncio.get_running_loop().run_in_executor(
                executor, functools.partial(open_connection, Path(path), key, busy_timeout_ms=busy_timeout_ms)
            )
        except BaseException:
            executor.shutdown(wait=False)
            raise
        store = cls(conn, Path(path), clock or (lambda: datetime.now(UTC)), executor)
        try:
            await store.purge_expired()
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        """Close the connection once every call queued before has run. Later calls raise
        :class:`StoreClosed`."""
        if self._executor is None:
            return
        executor, self._executor = self._executor, None
        try:
            await asyncio.get_running_loop().run_in_executor(executor, self._close_connection)
        finally:
            executor.shutdown(wait=False)  # its only job has finished

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def closed(self) -> bool:
        return self._executor is None

    # -- on the worker thread only ---------------------------------------------------------------

    def _run_here(
        self, operation: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        if self._conn is None:
            raise StoreClosed("the cache is closed")
        try:
            return operation(self, *args, **kwargs)
        except sqlcipher.Error as exc:
            raise translate(exc) from exc

    def _close_connection(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    @property
    def _c(self) -> sqlcipher.Connection:
        assert self._conn is not None  # _run_here checked it
        return self._conn

    def _now(self) -> str:
        return format_ts(self._clock())

    def _checkpoint(self) -> None:
        busy, _, _ = self._c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            logger.warning("WAL checkpoint could not complete: another connection is reading the cache")

    # -- the operations --------------------------------------------------------------------------

    @on_store_thread
    def schema_version(self) -> int:
        return schema_version(self._c)

    # chats and messages

    @on_store_thread
    def upsert_chats(self, chats: Sequence[Chat]) -> int:
        with transaction(self._c):
            return messages.upsert_chats(self._c, chats)

    @on_store_thread
    def upsert_messages(self, batch: Sequence[Message]) -> int:
        """Store messages (their chats must be stored first); a known message id is skipped. One
        transaction per call: pass a batch when many arrive together."""
        with transaction(self._c):
            return messages.upsert_messages(self._c, batch)

    @on_store_thread
    def chat_messages(self, chat_id: str, limit: int = 50) -> list[Message]:
        return messages.chat_messages(self._c, chat_id, limit)

    @on_store_thread
    def get_chat(self, chat_id: str) -> Chat | None:
        return messages.get_chat(self._c, chat_id)

    @on_store_thread
    def list_chats(
        self,
        *,
        visitor_id: str | None = None,
        state: ChatState | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Chat]:
        return messages.list_chats(self._c, visitor_id=visitor_id, state=state, limit=limit, offset=offset)

    @on_store_thread
    def search(self, text: str = "", **filters: Unpack[search.SearchFilters]) -> SearchPage:
        """Messages matching every word of ``text``, newest first, a page at a time (``search.search``)."""
        return search.search(self._c, text, **filters)

    @on_store_thread
    def search_transcripts(self, query: CachedTranscriptQuery) -> CachedTranscriptPage:
        """Cached chats matching every filter of ``query``, a page at a time (``transcripts``)."""
        return transcripts.search_transcripts(self._c, query)

    # visitors, consent, notices, details

    @on_store_thread
    def put_visitor(self, visitor: Visitor) -> Visitor:
        """Store a visitor snapshot with only the fields its consents allow; returns what was kept."""
        with transaction(self._c):
            return privacy.put_visitor(self._c, visitor, self._now())

    @on_store_thread
    def put_visitors(self, visitors: Sequence[Visitor]) -> list[Visitor]:
        """Many snapshots in one transaction (visitor updates arrive in bursts)."""
        seen_at = self._now()
        with transaction(self._c):
            return [privacy.put_visitor(self._c, visitor, seen_at) for visitor in visitors]

    @on_store_thread
    def visitor_snapshot(self, visitor_id: str) -> Visitor | None:
        return privacy.visitor_snapshot(self._c, visitor_id)

    @on_store_thread
    def add_consent_event(self, event: ConsentEvent) -> frozenset[Purpose]:
        """Record a consent event; a withdrawal clears what the purpose allowed. Returns the granted
        purposes afterwards."""
        with transaction(self._c):
            return privacy.add_consent_event(self._c, event)

    @on_store_thread
    def consent_events(self, visitor_id: str) -> list[ConsentEvent]:
        return privacy.consent_events(self._c, visitor_id)

    @on_store_thread
    def add_notice(self, notice: Notice) -> bool:
        with transaction(self._c):
            return privacy.add_notice(self._c, notice, self._now())

    @on_store_thread
    def notices(self) -> list[Notice]:
        return privacy.notices(self._c)

    @on_store_thread
    def add_detail_request(self, request: DetailRequest) -> None:
        with transaction(self._c):
            privacy.add_detail_request(self._c, request)

    @on_store_thread
    def mark_details_declined(self, request_id: str) -> bool:
        with transaction(self._c):
            return privacy.mark_detail_request(self._c, request_id, "declined", self._now())

    @on_store_thread
    def add_received_details(self, chat_id: str, request_id: str, fields: Mapping[str, str]) -> int:
        """Raises :class:`ConsentMissing` unless the visitor granted ``contact_details``."""
        with transaction(self._c):
            return privacy.add_received_details(self._c, chat_id, request_id, fields, self._now())

    @on_store_thread
    def detail_requests(self, chat_id: str) -> list[DetailRequest]:
        return privacy.detail_requests(self._c, chat_id)

    @on_store_thread
    def received_details(self, chat_id: str) -> list[ReceivedDetail]:
        return privacy.received_details(self._c, chat_id)

    # outbox

    @on_store_thread
    def outbox_add(self, chat_id: str, client_msg_id: str, text: str) -> bool:
        with transaction(self._c):
            return outbox.add(self._c, chat_id, client_msg_id, text, self._now())

    @on_store_thread
    def outbox_pending(self, chat_id: str | None = None) -> list[OutboxEntry]:
        return outbox.pending(self._c, chat_id)

    @on_store_thread
    def outbox_ack(self, client_msg_id: str) -> bool:
        with transaction(self._c):
            return outbox.ack(self._c, client_msg_id)

    # audit log and settings

    @on_store_thread
    def record_audit(
        self,
        action: str,
        *,
        actor: str,
        visitor_id: str | None = None,
        counts: Mapping[str, int] | None = None,
        detail: AuditDetail | None = None,
    ) -> None:
        """Append to the local audit log (``"transcripts.get"``, ``"export"``, ...): what was done, by
        whom, about whom (the visitor id is stored only as its pseudonym), how much (``counts``) and to
        what (``detail``: ids such as a chat id; never names, texts or addresses)."""
        with transaction(self._c):
            subject = audit.pseudonym(self._c, visitor_id) if visitor_id is not None else None
            audit.record(self._c, at=self._now(), actor=actor, action=action, subject=subject,
                         counts=counts, detail=detail)

    @on_store_thread
    def audit_entries(self, *, since: str | None = None, limit: int = 100) -> list[CacheAuditEntry]:
        return audit.entries(self._c, since=since, limit=limit)

    @on_store_thread
    def audit_page(self, query: CacheAuditQuery) -> CacheAuditPage:
        """A page of the local audit log, newest first, filtered by action, actor and time."""
        return audit.page(self._c, query)

    @on_store_thread
    def audit_actions(self) -> list[str]:
        return audit.actions(self._c)

    @on_store_thread
    def audit_actors(self) -> list[str]:
        return audit.actors(self._c)

    @on_store_thread
    def subject_pseudonym(self, visitor_id: str) -> str:
        return audit.pseudonym(self._c, visitor_id)

    @on_store_thread
    def get_setting(self, key: str, default: Any = None) -> Any:
        return settings.get(self._c, key, default)

    @on_store_thread
    def put_setting(self, key: str, value: Any) -> None:
        with transaction(self._c):
            settings.put(self._c, key, value)

    @on_store_thread
    def retention(self) -> CacheRetention:
        return settings.retention(self._c)

    @on_store_thread
    def set_retention(self, limits: CacheRetention) -> None:
        with transaction(self._c):
            settings.put_retention(self._c, limits)

    # retention, subjects, key

    @on_store_thread
    def purge_expired(self, now: datetime | None = None) -> dict[str, int]:
        """Delete rows older than the retention limits; returns the counts (also written to the audit
        log when anything was removed). Runs on open; the caller schedules it hourly."""
        moment = now or self._clock()
        with transaction(self._c):
            counts = retention.purge_expired(self._c, moment, settings.retention(self._c))
            removed = {table: n for table, n in counts.items() if n}
            if removed:
                audit.record(
                    self._c, at=format_ts(moment), actor=SYSTEM_ACTOR, action="purge", counts=removed
                )
        if removed:
            self._checkpoint()
            logger.info("purged expired cache rows: %s", removed)
        return counts

    @on_store_thread
    def export_subject(self, visitor_id: str, *, actor: str = LOCAL_ACTOR,
                       detail: AuditDetail | None = None) -> dict[str, Any]:
        """Everything the cache holds about one visitor as plain data, with the audit entries about
        them (``"audit"``, this export's own among them). The export is audited."""
        with transaction(self._c):
            export = subjects.export_subject(self._c, visitor_id)
            subject = audit.pseudonym(self._c, visitor_id)
            audit.record(
                self._c,
                at=self._now(),
                actor=actor,
                action="export",
                subject=subject,
                counts={
                    "chats": len(export["chats"]),
                    "messages": sum(len(chat["messages"]) for chat in export["chats"]),
                },
                detail=detail,
            )
            export["audit"] = [{"at": e.at, "actor": e.actor, "action": e.action}
                               for e in audit.about(self._c, subject)]
        return export

    @on_store_thread
    def erase_subject(self, visitor_id: str, *, actor: str = LOCAL_ACTOR) -> dict[str, int]:
        """Delete every row about one visitor, leave a pseudonymous tombstone in the audit log, and
        truncate the WAL so that no old page image survives there. Returns rows removed per table."""
        with transaction(self._c):
            counts = subjects.erase_subject(self._c, visitor_id)
            audit.record(
                self._c,
                at=self._now(),
                actor=actor,
                action="erase",
                subject=audit.pseudonym(self._c, visitor_id),
                counts=counts,
            )
        self._checkpoint()
        return counts

    # the server's erasure journal

    @on_store_thread
    def journal_cursor(self) -> str | None:
        """Where this cache stands in the server's erasure journal (None: never caught up)."""
        return journal.cursor(self._c)

    @on_store_thread
    def holds_personal_data(self) -> bool:
        return journal.holds_personal_data(self._c)

    @on_store_thread
    def apply_erasures(
        self, subject_key: bytes, erasures: Sequence[Erasure], cursor: str
    ) -> tuple[set[str], set[str]]:
        """Erase what the journal entries name and move the cursor past them, in one transaction (a
        crash leaves both undone: the entries are applied again). Returns (visitor ids erased, chat
        ids removed)."""
        with transaction(self._c):
            erased, removed = journal.apply(self._c, subject_key, erasures)
            journal.set_cursor(self._c, cursor)
            if erased or removed:
                audit.record(self._c, at=self._now(), actor=SYSTEM_ACTOR, action="journal_erase",
                             counts={"visitors": len(erased), "chats": len(removed)})
        if erased or removed:
            self._checkpoint()
        return erased, removed

    @on_store_thread
    def forget_unvouched(self, cursor: str) -> dict[str, int]:
        """The cache cannot follow the journal (offline longer than the server keeps it, or never
        caught up): keep nothing personal but the unsent messages, and start again at ``cursor``."""
        with transaction(self._c):
            counts = journal.forget_unvouched(self._c)
            journal.set_cursor(self._c, cursor)
            audit.record(self._c, at=self._now(), actor=SYSTEM_ACTOR, action="journal_expired",
                         counts={table: n for table, n in counts.items() if n})
        self._checkpoint()
        return counts

    @on_store_thread
    def rekey(self, new_key: RawKey | Passphrase) -> None:
        """Re-encrypt the whole file under ``new_key`` (``PRAGMA rekey``). The old key stops working."""
        if not isinstance(new_key, RawKey | Passphrase):
            raise TypeError("rekey needs a RawKey or a Passphrase")
        self._checkpoint()
        self._c.execute(f"PRAGMA rekey = {new_key.pragma_value()}")
        with transaction(self._c):
            audit.record(self._c, at=self._now(), actor=SYSTEM_ACTOR, action="rekey")
        self._checkpoint()
        logger.info("cache re-encrypted under a new key")
