"""What team leads and supervisors review: transcripts (from the server and this desk's cache), their
review notes, both audit logs, the team at work, live chats watched read-only, and the events the
site's connected systems (webhook receivers) have not confirmed.

A transcript search asks the server and the cache together and merges their pages without duplicates,
saying where each chat came from; with the server unreachable it lists the cache alone. Every opening of
a transcript is recorded in this desk's audit log; the server records the ones it serves itself, and
hears of those read from the cache through ``audit.report`` (at once when online, else at the next
sign-in: the local log is the queue, a setting remembers how far it was reported).

Like ``compliance``, nothing looked up here is written to the cache: a lead's search must not widen
what this machine keeps.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from operator_desk.domain.model import Chat, ChatState, Message, OperatorInfo, Role
from operator_desk.net.errors import NetError
from operator_desk.protocol.messages import (
    AuditListRequest,
    AuditListResponse,
    AuditReportRequest,
    CachedView,
    ChatHistoryRequest,
    ChatRef,
    ChatWithMessages,
    DailyReportRequest,
    DailyReportResponse,
    DetailRecord,
    Empty,
    Review,
    ReviewAddRequest,
    ReviewsListRequest,
    TeamSetLimitRequest,
    TeamStatusResponse,
    TranscriptOrder,
    TranscriptResponse,
    TranscriptsSearchRequest,
    TranscriptSummary,
    WebhookDeliveriesRequest,
    WebhookDeliveriesResponse,
    WebhookDeliveryRef,
)
from operator_desk.services.chats import Request
from operator_desk.services.errors import DeskError, FailureCode, asking, desk_error, is_offline
from operator_desk.services.events import EventSink, ObservedChatChanged
from operator_desk.store import CacheAuditPage, CacheAuditQuery, Store
from operator_desk.store.errors import StoreError
from operator_desk.store.records import CachedTranscript, CachedTranscriptQuery

logger = logging.getLogger(__name__)

# The actions of an opening, named as in the server's log: read from the server, or from this cache
# (the server hears of these through audit.report). Apart, so that the report walks only the second.
OPENED = "transcripts.get"
READ_CACHED = "transcripts.read_cached"
# The seq of the last local audit entry whose cache view the server has heard of (``audit.report``).
REPORTED_SETTING = "audit.cache_views_reported"
REPORT_BATCH = 100           # protocol.messages.MAX_REPORTED_VIEWS
CACHED_MESSAGES = 100_000    # a cached transcript is read whole (a chat's messages are bounded server-side)
# The cache's detail request states as the protocol names them (an unknown one reads as pending).
_DETAIL_STATES: dict[str, Literal["pending", "received", "declined"]] = {
    "pending": "pending", "received": "received", "declined": "declined"}


class Source(enum.StrEnum):
    """Where a listed or opened transcript came from."""

    SERVER = "server"
    CACHE = "cache"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class ReviewQuery:
    """What a transcript search asks for: every filter given must match (``transcripts.search``)."""

    text: str = ""
    operator_id: str | None = None
    visitor: str | None = None      # a visitor id, or part of the name or e-mail address they gave
    since: str | None = None        # chat start, inclusive
    until: str | None = None        # chat start, exclusive
    state: ChatState | None = None
    details: bool | None = None     # True: only chats where details were collected; False: only without
    order: TranscriptOrder = "newest"
    limit: int = 20


@dataclass(frozen=True, slots=True)
class ReviewRow:
    summary: TranscriptSummary
    source: Source


@dataclass(frozen=True, slots=True)
class ReviewPage:
    rows: tuple[ReviewRow, ...]          # chats not listed on an earlier page, in the query's order
    now_both: tuple[str, ...] = ()       # chats listed earlier from one source, now found in the other
    offline: bool = False                # the server could not be asked: the cache alone answered


@dataclass(frozen=True, slots=True)
class OpenedTranscript:
    transcript: TranscriptResponse
    source: Source                       # SERVER or CACHE


_ORDER_KEYS: dict[str, tuple[Callable[[TranscriptSummary], Any], bool]] = {
    "newest": (lambda s: (s.started_at, s.id), True),
    "oldest": (lambda s: (s.started_at, s.id), False),
    "most_messages": (lambda s: (s.message_count, s.started_at, s.id), True),
    "fewest_messages": (lambda s: (s.message_count, s.started_at, s.id), False),
}


def _summary(found: CachedTranscript) -> TranscriptSummary:
    chat = found.chat
    return TranscriptSummary(
        id=chat.id, visitor_id=chat.visitor_id, state=chat.state, operator_id=chat.operator_id,
        started_at=chat.started_at, closed_at=chat.closed_at, visitor_name=found.visitor_name,
        message_count=found.message_count, snippet=found.snippet, highlights=found.highlights,
        details_collected=found.details_collected,
    )


@dataclass
class TranscriptSearch:
    """One search, page after page. Each source goes on from its own cursor until it has no more; a chat
    is listed once, at its first appearance, and said to be in both when the other source has it too.
    Within a page the rows follow the query's order; the cache orders by newest start (by newest match
    with words), so across pages the merged order is the server's, with the cache's interleaved."""

    review: TranscriptReview
    query: ReviewQuery
    _server_cursor: str | None = None
    _cache_cursor: str | None = None
    _server_done: bool = False
    _cache_done: bool = False
    _listed: dict[str, Source] = field(default_factory=dict)

    @property
    def more(self) -> bool:
        return not (self._server_done and self._cache_done)

    async def next_page(self) -> ReviewPage:
        server_rows, offline = await self._server_page()
        cache_rows = await self._cache_page()
        fresh: dict[str, ReviewRow] = {}
        now_both: list[str] = []
        for summary in server_rows:
            if summary.id not in self._listed:
                fresh[summary.id] = ReviewRow(summary, Source.SERVER)
                self._listed[summary.id] = Source.SERVER
        for summary in cache_rows:
            known = self._listed.get(summary.id)
            if known is None:
                fresh[summary.id] = ReviewRow(summary, Source.CACHE)
                self._listed[summary.id] = Source.CACHE
            elif known is Source.SERVER:
                self._listed[summary.id] = Source.BOTH
                if summary.id in fresh:   # the server's summary: it names the operator and visitor
                    fresh[summary.id] = ReviewRow(fresh[summary.id].summary, Source.BOTH)
                else:
                    now_both.append(summary.id)
        key, descending = _ORDER_KEYS[self.query.order]
        rows = sorted(fresh.values(), key=lambda row: key(row.summary), reverse=descending)
        return ReviewPage(rows=tuple(rows), now_both=tuple(now_both), offline=offline)

    async def _server_page(self) -> tuple[tuple[TranscriptSummary, ...], bool]:
        if self._server_done:
            return (), False
        if not self.review.online():
            return (), True   # tried again on the next page: the server may be back
        q = self.query
        request = TranscriptsSearchRequest(
            text=q.text or None, operator_id=q.operator_id, visitor=q.visitor or None, since=q.since,
            until=q.until, state=q.state, details=q.details, order=q.order, limit=q.limit,
            cursor=self._server_cursor)
        try:
            answer = await self.review.request("transcripts.search", request)
        except NetError as exc:
            if is_offline(exc):
                return (), True
            raise desk_error(exc, "transcripts.search") from exc
        self._server_cursor = answer.next_cursor
        self._server_done = answer.next_cursor is None
        return answer.chats, False

    async def _cache_page(self) -> tuple[TranscriptSummary, ...]:
        store = self.review.store
        if store is None or self._cache_done:
            self._cache_done = True
            return ()
        q = self.query
        operator = self.review.operator()
        # An operator reviews their own chats only, here as on the server.
        own_only = operator is not None and operator.role is Role.OPERATOR
        operator_id = operator.id if own_only and operator is not None else q.operator_id
        try:
            page = await store.search_transcripts(CachedTranscriptQuery(
                text=q.text, operator_id=operator_id, visitor=q.visitor or None, since=q.since,
                until=q.until, state=q.state, details=q.details, limit=q.limit, cursor=self._cache_cursor))
        except StoreError as exc:
            logger.warning("cache transcript search failed (%s)", type(exc).__name__)
            self._cache_done = True
            return ()
        self._cache_cursor = page.next_cursor
        self._cache_done = page.next_cursor is None
        return tuple(_summary(found) for found in page.transcripts)


class TranscriptReview:
    def __init__(self, request: Request, online: Callable[[], bool], store: Store | None,
                 operator: Callable[[], OperatorInfo | None],
                 full_transcript: Callable[[str], Awaitable[TranscriptResponse]], emit: EventSink) -> None:
        self.request = request
        self._ask = asking(request)
        self._emit = emit
        self.online = online
        self.store = store
        self.operator = operator
        self._full_transcript = full_transcript
        self._report_lock = asyncio.Lock()
        # Live chats this desk watches read-only; their pushes go to the watcher, not to the desk's chats.
        self.observing: set[str] = set()

    # -- transcripts ------------------------------------------------------------------------------

    def search(self, query: ReviewQuery) -> TranscriptSearch:
        return TranscriptSearch(self, query)

    async def open(self, chat_id: str, source: Source = Source.SERVER) -> OpenedTranscript:
        """A transcript, from the server when it can answer (it records the view), else from the cache
        (the view is reported to the server). Either way the opening is recorded in this desk's log."""
        if source is not Source.CACHE and self.online():
            try:
                transcript = await self._full_transcript(chat_id)
            except DeskError as exc:
                cache_may_have_it = exc.code in (FailureCode.SERVER_UNREACHABLE, FailureCode.NOT_FOUND)
                if not cache_may_have_it or self.store is None:
                    raise
                # Not on the server (any more), or it went away: this desk may still hold it.
            else:
                await self._record_opening(transcript, Source.SERVER)
                return OpenedTranscript(transcript, Source.SERVER)
        transcript = await self._from_cache(chat_id)
        await self._record_opening(transcript, Source.CACHE)
        await self.report_cache_views()
        return OpenedTranscript(transcript, Source.CACHE)

    async def _from_cache(self, chat_id: str) -> TranscriptResponse:
        store = self.store
        if store is None:
            raise DeskError(FailureCode.SERVER_UNREACHABLE, OPENED)
        try:
            chat = await store.get_chat(chat_id)
            if chat is None:
                raise DeskError(FailureCode.NOT_FOUND, OPENED)
            messages = await store.chat_messages(chat_id, CACHED_MESSAGES)
            consents = await store.consent_events(chat.visitor_id)
            requests = await store.detail_requests(chat_id)
            received = await store.received_details(chat_id)
        except StoreError as exc:
            logger.warning("cached transcript unreadable (%s)", type(exc).__name__)
            raise DeskError(FailureCode.CACHE_UNAVAILABLE, OPENED) from exc
        values: dict[str, dict[str, str]] = {}
        for detail in received:
            values.setdefault(detail.request_id, {})[detail.field] = detail.value
        details = tuple(
            DetailRecord(request_id=r.id, chat_id=r.chat_id, fields=r.fields, purpose=r.purpose,
                         notice_id=r.notice_id, notice_version=r.notice_version, requested_at=r.requested_at,
                         status=_DETAIL_STATES.get(r.state, "pending"), values=values.get(r.id),
                         answered_at=r.answered_at)
            for r in requests)
        return TranscriptResponse(chat=chat, messages=tuple(messages), consents=tuple(consents),
                                  details=details)

    async def _record_opening(self, transcript: TranscriptResponse, source: Source) -> None:
        if self.store is None:
            return
        operator = self.operator()
        try:
            await self.store.record_audit(
                OPENED if source is Source.SERVER else READ_CACHED,
                actor=operator.id if operator else "local", visitor_id=transcript.chat.visitor_id,
                counts={"messages": len(transcript.messages)}, detail={"chat_id": transcript.chat.id})
        except StoreError as exc:
            # The server's log has the view (when it served it); the reader sees it anyway.
            logger.warning("local audit entry not written (%s)", type(exc).__name__)

    async def report_cache_views(self) -> int:
        """Tell the server's audit log of the transcripts read from this cache and not reported yet;
        returns how many were reported. Offline it does nothing: the next sign-in calls it again."""
        store = self.store
        if store is None or not self.online():
            return 0
        async with self._report_lock:
            try:
                reported = int(await store.get_setting(REPORTED_SETTING, 0))
                pending = await self._unreported_views(store, reported)
            except StoreError as exc:
                logger.warning("cache views not read for reporting (%s)", type(exc).__name__)
                return 0
            sent = 0
            for start in range(0, len(pending), REPORT_BATCH):
                batch = pending[start:start + REPORT_BATCH]
                views = tuple(CachedView(chat_id=str(e.detail["chat_id"]), at=e.at) for e in batch)
                try:
                    await self.request("audit.report", AuditReportRequest(views=views))
                    await store.put_setting(REPORTED_SETTING, batch[-1].seq)
                except (NetError, StoreError) as exc:
                    logger.info("cache views not reported yet (%s)", type(exc).__name__)
                    break
                sent += len(batch)
            return sent

    @staticmethod
    async def _unreported_views(store: Store, reported: int) -> list[Any]:
        """The local openings from the cache after ``reported``, oldest first."""
        found: list[Any] = []
        cursor: str | None = None
        while True:
            # Along the action's index, newest first, down to the last one reported: a few pages at most.
            page = await store.audit_page(CacheAuditQuery(action=READ_CACHED, limit=500, cursor=cursor))
            for entry in page.entries:
                if entry.seq <= reported:
                    return found[::-1]
                if "chat_id" in entry.detail:
                    found.append(entry)
            if page.next_cursor is None:
                return found[::-1]
            cursor = page.next_cursor

    # -- reviews ----------------------------------------------------------------------------------

    async def add_review(self, chat_id: str, rating: int | None, note: str) -> Review:
        try:
            request = ReviewAddRequest(chat_id=chat_id, rating=rating, note=note)
        except ValueError as exc:
            raise DeskError(FailureCode.BAD_REQUEST, "reviews.add") from exc
        answer = await self._ask("reviews.add", request)
        return answer.review

    async def reviews(self, chat_id: str) -> tuple[Review, ...]:
        """Every review of a transcript, oldest first."""
        found: list[Review] = []
        cursor: str | None = None
        while True:
            answer = await self._ask("reviews.list", ReviewsListRequest(chat_id=chat_id, cursor=cursor))
            found.extend(answer.reviews)
            cursor = answer.next_cursor
            if cursor is None:
                return tuple(found)

    # -- the team ---------------------------------------------------------------------------------

    async def team_status(self) -> TeamStatusResponse:
        return await self._ask("team.status", Empty())

    async def set_chat_limit(self, operator_id: str, chat_limit: int | None) -> None:
        """An operator's own chat limit (supervisors); None: the site's again."""
        await self._ask("team.set_limit", TeamSetLimitRequest(operator_id=operator_id, chat_limit=chat_limit))

    async def daily_report(self, bounds: tuple[str, ...]) -> DailyReportResponse:
        """Figures per day: day i runs from ``bounds[i]`` to ``bounds[i + 1]`` (the desk's own days)."""
        return await self._ask("reports.daily", DailyReportRequest(bounds=bounds))

    # -- what the site's connected systems (webhook receivers) were not sent yet ------------------

    async def webhook_deliveries(self, request: WebhookDeliveriesRequest) -> WebhookDeliveriesResponse:
        return await self._ask("webhooks.deliveries", request)

    async def retry_delivery(self, delivery: int) -> None:
        """A dead letter is tried again from the start (the server audits it)."""
        await self._ask("webhooks.retry", WebhookDeliveryRef(delivery=delivery))

    async def drop_delivery(self, delivery: int) -> None:
        """A dead letter is given up: its content goes, the record of it stays (the server audits it)."""
        await self._ask("webhooks.drop", WebhookDeliveryRef(delivery=delivery))

    # -- the audit logs ---------------------------------------------------------------------------

    async def server_audit(self, request: AuditListRequest) -> AuditListResponse:
        return await self._ask("audit.list", request)

    async def cache_audit(self, query: CacheAuditQuery) -> CacheAuditPage:
        if self.store is None:
            raise DeskError(FailureCode.CACHE_UNAVAILABLE, "audit.list")
        try:
            return await self.store.audit_page(query)
        except StoreError as exc:
            raise DeskError(FailureCode.CACHE_UNAVAILABLE, "audit.list") from exc

    # -- watching a live chat ---------------------------------------------------------------------

    async def observe(self, chat_id: str) -> ChatWithMessages:
        """Watch a live chat read-only (the server records it); its messages and updates arrive as
        ``ObservedChatChanged`` events until it closes or :meth:`unobserve`."""
        answer: ChatWithMessages = await self._ask("chat.observe", ChatRef(chat_id=chat_id))
        self.observing.add(chat_id)
        messages, cursor = list(answer.messages), answer.next_cursor
        while cursor is not None:
            page = await self._ask("chat.history", ChatHistoryRequest(chat_id=chat_id, cursor=cursor))
            messages.extend(page.messages)
            cursor = page.next_cursor
        return ChatWithMessages(chat=answer.chat, messages=tuple(messages))

    async def observe_again(self) -> None:
        """After a reconnect that could not resume: the new session watches nothing yet, so each chat
        still watched is observed again (its watcher gets what it missed; known messages are known)."""
        for chat_id in list(self.observing):
            try:
                answer = await self.observe(chat_id)
            except DeskError as exc:
                logger.info("a watched chat cannot be watched again (%s)", exc.code)
                self.observing.discard(chat_id)
                continue
            self._emit(ObservedChatChanged(chat_id=chat_id, chat=answer.chat, messages=answer.messages))

    def chat_pushed(self, chat: Chat) -> bool:
        """An update of a chat: passed to its watcher when it is watched (True). A closed chat ends the
        watching (the server sends nothing more)."""
        if chat.id not in self.observing:
            return False
        if chat.state is ChatState.CLOSED:
            self.observing.discard(chat.id)
        self._emit(ObservedChatChanged(chat_id=chat.id, chat=chat))
        return True

    def message_pushed(self, message: Message) -> bool:
        if message.chat_id not in self.observing:
            return False
        self._emit(ObservedChatChanged(chat_id=message.chat_id, messages=(message,)))
        return True

    async def unobserve(self, chat_id: str) -> None:
        if chat_id not in self.observing:
            return
        self.observing.discard(chat_id)
        if self.online():
            await self._ask("chat.unobserve", ChatRef(chat_id=chat_id))


__all__ = ["OpenedTranscript", "ReviewPage", "ReviewQuery", "ReviewRow", "Source",
           "TranscriptReview", "TranscriptSearch"]
