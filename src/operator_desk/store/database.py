"""The cache as one synchronous object over one connection: every public operation of the store.

Not thread-safe by design: exactly one thread uses it. The app reaches it through ``Store`` (the async
facade that owns that thread); tests and benchmarks may call it directly from a single thread.
Every ``sqlcipher3`` error is translated into the store's own errors at this boundary.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.clock import format_ts
from operator_desk.domain.model import Chat, ChatState, ConsentEvent, Message, Notice, Purpose, Visitor
from operator_desk.store import audit, messages, outbox, privacy, retention, search, settings, subjects
from operator_desk.store.connection import open_connection, transaction
from operator_desk.store.errors import StoreClosed, translate
from operator_desk.store.keys import CacheKey, Passphrase, RawKey
from operator_desk.store.migrations import schema_version
from operator_desk.store.records import (
    AuditEntry,
    DetailRequest,
    OutboxEntry,
    ReceivedDetail,
    Retention,
    SearchPage,
)

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

SYSTEM_ACTOR = "system"
LOCAL_ACTOR = "local"


Method = Callable[Concatenate["CacheDatabase", P], R]


def _guarded(method: Method[P, R]) -> Method[P, R]:
    """Refuse calls after close(), and translate sqlcipher3 errors into the store's own."""

    @functools.wraps(method)
    def wrapper(self: CacheDatabase, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._conn is None:
            raise StoreClosed("the cache is closed")
        try:
            return method(self, *args, **kwargs)
        except sqlcipher.Error as exc:
            raise translate(exc) from exc

    return wrapper


class CacheDatabase:
    """An open encrypted cache. Build it with :meth:`open`."""

    def __init__(self, conn: sqlcipher.Connection, path: Path, clock: Callable[[], datetime]) -> None:
        self._conn: sqlcipher.Connection | None = conn
        self._path = path
        self._clock = clock

    @classmethod
    def open(
        cls,
        path: Path,
        key: CacheKey,
        *,
        clock: Callable[[], datetime] | None = None,
        busy_timeout_ms: int = 5000,
        purge_on_open: bool = True,
    ) -> CacheDatabase:
        """Open (or create) the cache, migrate it, and purge expired rows. Raises the typed errors of
        ``store.errors``; none of them leaves a change in the file."""
        conn = open_connection(Path(path), key, busy_timeout_ms=busy_timeout_ms)
        db = cls(conn, Path(path), clock or (lambda: datetime.now(UTC)))
        if purge_on_open:
            try:
                db.purge_expired()
            except BaseException:
                db.close()
                raise
        return db

    @property
    def path(self) -> Path:
        return self._path

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def _now(self) -> str:
        return format_ts(self._clock())

    @property
    def _c(self) -> sqlcipher.Connection:
        assert self._conn is not None  # _guarded checked it
        return self._conn

    @_guarded
    def schema_version(self) -> int:
        return schema_version(self._c)

    # -- chats and messages ----------------------------------------------------------------------

    @_guarded
    def upsert_chats(self, chats: Iterable[Chat]) -> int:
        with transaction(self._c):
            return messages.upsert_chats(self._c, chats)

    @_guarded
    def upsert_messages(self, batch: Iterable[Message]) -> int:
        """Store messages (their chats must be stored first); a known message id is skipped. One
        transaction per call: pass a batch when many arrive together."""
        with transaction(self._c):
            return messages.upsert_messages(self._c, batch)

    @_guarded
    def chat_messages(self, chat_id: str, limit: int = 50) -> list[Message]:
        return messages.chat_messages(self._c, chat_id, limit)

    @_guarded
    def get_chat(self, chat_id: str) -> Chat | None:
        return messages.get_chat(self._c, chat_id)

    @_guarded
    def list_chats(
        self,
        *,
        visitor_id: str | None = None,
        state: ChatState | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Chat]:
        return messages.list_chats(self._c, visitor_id=visitor_id, state=state, limit=limit, offset=offset)

    @_guarded
    def search(
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
        return search.search(
            self._c,
            text,
            operator_id=operator_id,
            visitor_id=visitor_id,
            since=since,
            until=until,
            limit=limit,
            cursor=cursor,
        )

    # -- visitors, consent, notices, details ------------------------------------------------------

    @_guarded
    def put_visitor(self, visitor: Visitor) -> Visitor:
        """Store a visitor snapshot with only the fields its consents allow; returns what was kept."""
        with transaction(self._c):
            return privacy.put_visitor(self._c, visitor, self._now())

    @_guarded
    def put_visitors(self, visitors: Iterable[Visitor]) -> list[Visitor]:
        """Many snapshots in one transaction (visitor updates arrive in bursts)."""
        seen_at = self._now()
        with transaction(self._c):
            return [privacy.put_visitor(self._c, visitor, seen_at) for visitor in visitors]

    @_guarded
    def visitor_snapshot(self, visitor_id: str) -> Visitor | None:
        return privacy.visitor_snapshot(self._c, visitor_id)

    @_guarded
    def add_consent_event(self, event: ConsentEvent) -> frozenset[Purpose]:
        """Record a consent event; a withdrawal clears what the purpose allowed. Returns the granted
        purposes afterwards."""
        with transaction(self._c):
            return privacy.add_consent_event(self._c, event)

    @_guarded
    def consent_events(self, visitor_id: str) -> list[ConsentEvent]:
        return privacy.consent_events(self._c, visitor_id)

    @_guarded
    def add_notice(self, notice: Notice) -> bool:
        with transaction(self._c):
            return privacy.add_notice(self._c, notice, self._now())

    @_guarded
    def notices(self) -> list[Notice]:
        return privacy.notices(self._c)

    @_guarded
    def add_detail_request(self, request: DetailRequest) -> None:
        with transaction(self._c):
            privacy.add_detail_request(self._c, request)

    @_guarded
    def mark_details_declined(self, request_id: str) -> bool:
        with transaction(self._c):
            return privacy.mark_detail_request(self._c, request_id, "declined", self._now())

    @_guarded
    def add_received_details(self, chat_id: str, request_id: str, fields: Mapping[str, str]) -> int:
        """Raises :class:`ConsentMissing` unless the visitor granted ``contact_details``."""
        with transaction(self._c):
            return privacy.add_received_details(self._c, chat_id, request_id, fields, self._now())

    @_guarded
    def detail_requests(self, chat_id: str) -> list[DetailRequest]:
        return privacy.detail_requests(self._c, chat_id)

    @_guarded
    def received_details(self, chat_id: str) -> list[ReceivedDetail]:
        return privacy.received_details(self._c, chat_id)

    # -- outbox ----------------------------------------------------------------------------------

    @_guarded
    def outbox_add(self, chat_id: str, client_msg_id: str, text: str) -> bool:
        with transaction(self._c):
            return outbox.add(self._c, chat_id, client_msg_id, text, self._now())

    @_guarded
    def outbox_pending(self, chat_id: str | None = None) -> list[OutboxEntry]:
        return outbox.pending(self._c, chat_id)

    @_guarded
    def outbox_ack(self, client_msg_id: str) -> bool:
        with transaction(self._c):
            return outbox.ack(self._c, client_msg_id)

    # -- audit log and settings ------------------------------------------------------------------

    @_guarded
    def record_audit(
        self,
        action: str,
        *,
        actor: str,
        visitor_id: str | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> None:
        """Append to the local audit log (e.g. ``"view_transcript"``); the visitor id is stored only as
        its pseudonym."""
        with transaction(self._c):
            subject = audit.pseudonym(self._c, visitor_id) if visitor_id is not None else None
            audit.record(self._c, at=self._now(), actor=actor, action=action, subject=subject, counts=counts)

    @_guarded
    def audit_entries(self, *, since: str | None = None, limit: int = 100) -> list[AuditEntry]:
        return audit.entries(self._c, since=since, limit=limit)

    @_guarded
    def subject_pseudonym(self, visitor_id: str) -> str:
        return audit.pseudonym(self._c, visitor_id)

    @_guarded
    def get_setting(self, key: str, default: Any = None) -> Any:
        return settings.get(self._c, key, default)

    @_guarded
    def put_setting(self, key: str, value: Any) -> None:
        with transaction(self._c):
            settings.put(self._c, key, value)

    @_guarded
    def retention(self) -> Retention:
        return settings.retention(self._c)

    @_guarded
    def set_retention(self, limits: Retention) -> None:
        with transaction(self._c):
            settings.put_retention(self._c, limits)

    # -- retention, subjects, key ----------------------------------------------------------------

    @_guarded
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

    @_guarded
    def export_subject(self, visitor_id: str, *, actor: str = LOCAL_ACTOR) -> dict[str, Any]:
        """Everything the cache holds about one visitor as plain data. The export is audited."""
        with transaction(self._c):
            export = subjects.export_subject(self._c, visitor_id)
            audit.record(
                self._c,
                at=self._now(),
                actor=actor,
                action="export",
                subject=audit.pseudonym(self._c, visitor_id),
                counts={
                    "chats": len(export["chats"]),
                    "messages": sum(len(chat["messages"]) for chat in export["chats"]),
                },
            )
        return export

    @_guarded
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

    @_guarded
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

    def _checkpoint(self) -> None:
        busy, _, _ = self._c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            logger.warning("WAL checkpoint could not complete: another connection is reading the cache")
