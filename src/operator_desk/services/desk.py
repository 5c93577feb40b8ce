"""The desk: the one object the UI talks to. It joins the session (net), the cache (store) and the token
store (platform), keeps the state the panels render, and tells the UI what changed through one
``EventSink``.

Methods are coroutines that raise :class:`DeskError` (a ``FailureCode``) on failure; what the server
pushes arrives as events. Everything runs on the event loop's thread; blocking work (keyring, SQLCipher)
runs in threads. Every task the desk starts is owned and cancelled by ``close()``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit, urlunsplit

from operator_desk.domain.model import (
    Chat,
    ConsentEvent,
    Message,
    Notice,
    OperatorInfo,
    Purpose,
    Struct,
    Visitor,
    VisitorState,
)
from operator_desk.net.errors import NetError, RequestFailed
from operator_desk.net.session import EndReason, PasswordLogin, Session, SessionState, Timing, TokenLogin
from operator_desk.net.tasks import TaskOwner
from operator_desk.protocol import ErrorCode, Push
from operator_desk.protocol.messages import (
    CannedChanged,
    ChatIncoming,
    ChatMessagePush,
    ChatOffered,
    ChatsListRequest,
    ChatsResponse,
    ChatTransferred,
    ChatUpdated,
    ClientInfo,
    ConsentChanged,
    DetailRecord,
    DetailsDeclined,
    DetailsReceived,
    EarlierChatsResponse,
    Empty,
    ErasedCounts,
    LeftMessage,
    LoginResponse,
    NoticesResponse,
    OperatorPresence,
    OperatorTypingPush,
    PresenceListResponse,
    PresenceStatus,
    SubjectErased,
    SubjectSummary,
    TeamCanned,
    TranscriptResponse,
    TranscriptsSearchResponse,
    VisitorFeed,
    VisitorFilter,
    VisitorLeft,
    VisitorsListRequest,
    VisitorsPageRequest,
    VisitorsResponse,
    VisitorUpsert,
)
from operator_desk.services.bundle.export import Exporter, SubjectBundles
from operator_desk.services.cache import CacheWriter
from operator_desk.services.chats import Chats
from operator_desk.services.compliance import Compliance
from operator_desk.services.earlier_chats import EarlierChats
from operator_desk.services.erasures import ErasureJournal
from operator_desk.services.errors import DeskError, FailureCode, desk_error, failure_for_error_code
from operator_desk.services.events import (
    CacheStatus,
    ChatsChanged,
    ConnectionChanged,
    ConnectionState,
    Event,
    EventSink,
    LocalMessage,
    SignedIn,
    SignedOut,
    VisitorErased,
)
from operator_desk.services.left_messages import LeftMessages
from operator_desk.services.outbox import Outbox
from operator_desk.services.presence import MemoryStatus, Presence, StatusMemory
from operator_desk.services.privacy import Privacy
from operator_desk.services.review import TranscriptReview
from operator_desk.services.roster import Roster
from operator_desk.services.subject_requests import SubjectRequests
from operator_desk.services.team_canned import TeamCannedResponses
from operator_desk.services.timing import desk_timing
from operator_desk.services.tokens import TokenStorage
from operator_desk.store import Store
from operator_desk.store.database import LOCAL_ACTOR
from operator_desk.store.errors import StoreError

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

OPERATOR_PATH = "/v1/operator"
# Visitors asked for per page of the snapshot (the server may send fewer: it also caps a page's bytes).
VISITOR_PAGE = 1000
# Erasures the server pushed, kept (as their tasks) until this desk's own approval asks what they removed.
RECENT_ERASURES = 64
CLIENT_NAME = "operator-desk"


def operator_endpoint(server_url: str) -> str:
    """``ws://host:port`` or ``.../`` gets the operator path; a URL with a path is taken as it is."""
    parts = urlsplit(server_url)
    if parts.path in ("", "/"):
        parts = parts._replace(path=OPERATOR_PATH)
    return urlunsplit(parts)


class Desk:
    def __init__(
        self,
        *,
        server_url: str,
        profile: str,
        sink: EventSink,
        store: Store | None,
        tokens: TokenStorage,
        allow_insecure: bool = False,
        client_version: str = "0.1.0",
        ca_file: str | None = None,
        timing: Timing | None = None,
        status_memory: StatusMemory | None = None,
        default_status: PresenceStatus = "away",
    ) -> None:
        self.profile = profile
        self.timing = desk_timing(timing)
        self._sink = sink
        self._store = store
        self._tokens = tokens
        self._tasks = TaskOwner(logger)
        self.cache = CacheWriter(store, self._emit, self._tasks)
        self.session = Session(
            operator_endpoint(server_url),
            self,
            allow_insecure=allow_insecure,
            ca_file=ca_file,
            timing=self.timing,
            client=ClientInfo(name=CLIENT_NAME, version=client_version),
        )
        self.roster = Roster(self._emit, self.cache, self.timing.coalesce_window)
        # What the visitor list shows (its state filter): the server sends only those visitors (and
        # those of the chats this desk hears of). None: all of them.
        self._visitor_filter: VisitorFilter | None = None
        self._outbox = Outbox(store, self.cache)
        self._chats = Chats(self._emit, self.cache, self._request, self.roster, self._outbox,
                            lambda: self.session.online)
        self._privacy = Privacy(self._emit, self.cache, self._request, self.roster, self._chats.chats.get)
        self._compliance = Compliance(self._request, self.cache, self._erase_here)
        self._review = TranscriptReview(self._request, lambda: self.session.online, store,
                                        lambda: self.operator, self._compliance.get_transcript, self._emit)
        self._requests = SubjectRequests(self._request, self._erased_here_counts)
        self._client_version = client_version
        self._bundles = SubjectBundles(self.export_subject, store, self._requests.record_step, self._exporter)
        self._recent_erasures: OrderedDict[str, asyncio.Task[dict[str, int] | None]] = OrderedDict()
        self.team_canned = TeamCannedResponses(self._emit, self._request)
        self.left_messages = LeftMessages(self._emit, self._request)
        self.presence = Presence(self._emit, self._request, status_memory or MemoryStatus(), default_status,
                                 lambda: self.session.online)
        self._earlier = EarlierChats(self._request, lambda visitor_id: self.roster.visitors.get(visitor_id))
        self._journal = ErasureJournal(self._request, store, self.cache, _HeldByDesk(self))
        self.operator: OperatorInfo | None = None
        self.server_name = ""
        self._started = False

    # -- state for the panels -------------------------------------------------------------------------

    @property
    def visitors(self) -> Mapping[str, Visitor]:
        return self.roster.visitors

    @property
    def chats(self) -> Mapping[str, Chat]:
        return self._chats.chats

    @property
    def notices(self) -> tuple[Notice, ...]:
        return self._privacy.latest_notices()

    @property
    def connection_state(self) -> ConnectionState:
        return ConnectionState(self.session.state.value)

    def consents_of(self, visitor_id: str) -> tuple[ConsentEvent, ...]:
        return self._privacy.consents_of(visitor_id)

    def details_of(self, chat_id: str) -> tuple[DetailRecord, ...]:
        return self._privacy.details_of(chat_id)

    def messages_of(self, chat_id: str) -> tuple[LocalMessage, ...]:
        return self._chats.messages_of(chat_id)

    def notice_for(self, purpose: Purpose, language: str | None) -> Notice | None:
        return self._privacy.notice_for(purpose, language)

    # -- signing in and out ---------------------------------------------------------------------------

    async def start(self) -> bool:
        """Sign in with the stored token: True if there is one (the session then stays up, retrying
        while the server is unreachable); False when the user must sign in with a password."""
        await self._prepare()
        token = await self._token_call(self._tokens.get)
        if not token:
            return False
        try:
            await self.session.sign_in(TokenLogin(token), keep_trying=True)
        except RequestFailed as exc:
            if exc.code in (ErrorCode.INVALID_CREDENTIALS, ErrorCode.UNAUTHENTICATED):
                await self._token_call(self._tokens.delete)
                self._emit(SignedOut(failure=FailureCode.TOKEN_REVOKED))
                return False
            raise desk_error(exc, "auth.login") from exc
        except NetError as exc:
            raise desk_error(exc, "auth.login") from exc
        return True

    async def sign_in(self, username: str, password: str) -> None:
        """Sign in with a password. Only the server's token is kept (in the token store)."""
        await self._prepare()
        try:
            await self.session.sign_in(PasswordLogin(username, password))
        except NetError as exc:
            raise desk_error(exc, "auth.login") from exc

    async def sign_out(self) -> None:
        await self.session.sign_out()
        await self._token_call(self._tokens.delete)
        self.operator = None
        self.team_canned.clear()
        self.left_messages.clear()
        self.presence.signed_out()
        self._emit(SignedOut())

    async def close(self) -> None:
        """Stop everything (not a sign-out: the token stays for the next start)."""
        await self.session.close()
        self.roster.close()
        self.presence.close()
        try:
            await asyncio.wait_for(self.cache.drained(), self.timing.close_timeout)
        except TimeoutError:
            logger.info("closing with cache writes still queued")
        await self._tasks.close()

    async def _prepare(self) -> None:
        if self._started:
            return
        self._started = True
        self.cache.start()
        self._emit(CacheStatus(available=self._store is not None, encrypted=self._store is not None))
        self._tasks.spawn(self._purge_regularly(self._store), "operator-desk-retention")
        self._chats.restore_outbox(await self._outbox.pending())

    async def _token_call(self, call: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R | None:
        """``call`` (a method of the token store) off the loop, or None when the token store fails."""
        # keyring calls may block on D-Bus: never on the event loop's thread.
        try:
            return await asyncio.to_thread(call, *args, **kwargs)
        except Exception as exc:  # KeyStoreUnavailable and whatever a backend raises
            logger.warning("token store %s failed (%s)", call.__name__, type(exc).__name__)
            return None

    # -- session listener (called by net.session) -----------------------------------------------------

    def state_changed(self, state: SessionState, retry_in: float | None, failure: str | None) -> None:
        self._emit(ConnectionChanged(
            state=ConnectionState(state.value),
            retry_in=retry_in,
            failure=failure_for_error_code(failure) if failure else None,
        ))

    async def session_opened(self, login: LoginResponse) -> None:
        first = self.operator is None
        self.operator = login.operator
        self.server_name = login.server.name
        self._chats.operator_id = login.operator.id
        self._chats.operator_name = login.operator.name
        if first or await self._token_call(self._tokens.get) != login.token:
            await self._token_call(self._tokens.set, login.token)
        # Before anything is shown: erasures and purges made while this desk was away reach it now.
        await self._journal.catch_up()
        # Transcripts read from the cache while away reach the server's audit log before work goes on.
        await self._review.report_cache_views()
        self._emit(SignedIn(operator=login.operator, server_name=login.server.name, resumed=login.resumed))
        if not login.resumed:
            await self._resync()
        # Every sign-in, resumed or not: the server forgets a status with the last session.
        await self.presence.signed_in(login.operator)
        # Outside the listener call, so pushes flow while the outbox drains.
        self._tasks.spawn(self._flush_outbox(), "operator-desk-outbox")

    async def _resync(self) -> None:
        notices: NoticesResponse = await self.session.request("notices.list", Empty())
        self._privacy.notices_loaded(notices.notices)
        await self._load_visitors()
        page: ChatsResponse = await self.session.request("chats.list", ChatsListRequest())
        chats = list(page.chats)
        while page.next_cursor is not None:  # a busy site's open chats come in pages
            page = await self.session.request("chats.list", ChatsListRequest(cursor=page.next_cursor))
            chats.extend(page.chats)
        self._chats.replace_all(tuple(chats))
        self.presence.chats_changed(chats)
        await self._chats.refresh_mine()
        await self.team_canned.load()
        await self.left_messages.load()
        await self._review.observe_again()

    async def _load_visitors(self) -> None:
        """The visitor snapshot, every page of it, then one reset. Pushes that arrive meanwhile are
        held by the session until the resync is done and applied after it, in order: each page is
        read when asked for, so a push that came before a page is no newer than what the page says,
        and applying the pushes in order after the snapshot ends at the server's state. The desk
        subscribes as a feed: the visitors its list shows, coalesced by the server."""
        subscription = VisitorsPageRequest(limit=VISITOR_PAGE, filter=self._visitor_filter,
                                           coalesce_ms=round(self.timing.visitor_feed * 1000))
        page: VisitorsResponse = await self.session.request("visitors.subscribe", subscription)
        visitors = list(page.visitors)
        while page.next_cursor is not None:
            page = await self.session.request(
                "visitors.list", VisitorsListRequest(cursor=page.next_cursor, limit=VISITOR_PAGE))
            visitors.extend(page.visitors)
        self.roster.replace_all(visitors)

    async def show_visitor_states(self, states: Iterable[VisitorState]) -> None:
        """The visitor list shows only visitors in these states (none: all): subscribe to just those,
        and take the new snapshot as a resync would (the pushes meanwhile held, applied after it).
        Offline, or if the connection drops meanwhile, the next sign-in subscribes with it."""
        chosen = tuple(sorted(set(states)))
        wanted = VisitorFilter(states=chosen) if chosen else None
        if wanted == self._visitor_filter:
            return
        self._visitor_filter = wanted
        if not self.session.online:
            return
        try:
            async with self.session.pushes_held():
                await self._load_visitors()
        except NetError as exc:
            logger.info("the visitor subscription was not changed (%s); the next sign-in does it",
                        type(exc).__name__)

    async def _flush_outbox(self) -> None:
        await self._chats.flush_outbox()

    def push_received(self, push: Push) -> None:
        handler = self._push_handlers.get(push.action)
        if handler is not None:
            handler(self, push.payload)

    def session_ended(self, reason: EndReason) -> None:
        if reason is EndReason.TOKEN_REVOKED:
            self.operator = None
            self.team_canned.clear()
            self.left_messages.clear()
            self.presence.signed_out()
            self._tasks.spawn(self._token_call(self._tokens.delete), "operator-desk-token-delete")
            self._emit(SignedOut(failure=FailureCode.TOKEN_REVOKED))

    # -- pushes ---------------------------------------------------------------------------------------

    def _on_visitor_upsert(self, payload: VisitorUpsert) -> None:
        self.roster.upsert(payload.visitor)

    def _on_visitor_left(self, payload: VisitorLeft) -> None:
        self.roster.left(payload.visitor_id)

    def _on_visitors_feed(self, payload: VisitorFeed) -> None:
        self.roster.upsert_all(payload.visitors)
        for visitor_id in payload.unmatched:   # still on the site, no longer what the list shows
            self.roster.left(visitor_id)

    def _on_chat_incoming(self, payload: ChatIncoming) -> None:
        self._chats.incoming(payload.chat, payload.visitor)

    # A chat the desk only watches (``chat.observe``) goes to its watcher and stays out of the desk's own
    # chats and cache.

    def _on_chat_updated(self, payload: ChatUpdated) -> None:
        if self._review.chat_pushed(payload.chat) and payload.chat.id not in self._chats.chats:
            return
        self._chats.update(payload.chat)
        self.presence.chats_changed((payload.chat,))

    def _on_chat_message(self, payload: ChatMessagePush) -> None:
        if self._review.message_pushed(payload.message) and payload.message.chat_id not in self._chats.chats:
            return
        self._chats.message_arrived(payload.message)

    def _on_chat_typing(self, payload: OperatorTypingPush) -> None:
        self._chats.typing(payload)

    def _on_consent_changed(self, payload: ConsentChanged) -> None:
        self._privacy.consent_changed(payload.consent)

    def _on_details_received(self, payload: DetailsReceived) -> None:
        self._privacy.details_received(payload)

    def _on_details_declined(self, payload: DetailsDeclined) -> None:
        self._privacy.details_declined(payload)

    def _on_subject_erased(self, payload: SubjectErased) -> None:
        task = self._tasks.spawn(self._erase_here(payload.visitor_id, tuple(payload.chat_ids)),
                                 "operator-desk-erasure")
        self._recent_erasures[payload.visitor_id] = task
        while len(self._recent_erasures) > RECENT_ERASURES:
            self._recent_erasures.popitem(last=False)

    def _on_canned_changed(self, payload: CannedChanged) -> None:
        self.team_canned.changed(payload)

    def _on_presence_changed(self, payload: OperatorPresence) -> None:
        self.presence.changed(payload)

    def _on_message_left(self, payload: LeftMessage) -> None:
        self.left_messages.arrived(payload)

    def _on_chat_offered(self, payload: ChatOffered) -> None:
        self.presence.offered(payload, self._chats.chats.get(payload.chat_id))

    def _on_chat_transferred(self, payload: ChatTransferred) -> None:
        for event in payload.consents:   # the consent state, as the server holds it now
            self._privacy.consent_changed(event)
        self._tasks.spawn(self._chats.transferred_in(payload), "operator-desk-transfer")

    # Each push action with its handler; the codec has checked that the payload is of the handler's type.
    _push_handlers: Mapping[str, Callable[[Desk, Any], None]] = {
        "visitor.upsert": _on_visitor_upsert,
        "visitor.left": _on_visitor_left,
        "visitors.feed": _on_visitors_feed,
        "chat.incoming": _on_chat_incoming,
        "chat.updated": _on_chat_updated,
        "chat.message": _on_chat_message,
        "chat.typing": _on_chat_typing,
        "consent.changed": _on_consent_changed,
        "details.received": _on_details_received,
        "details.declined": _on_details_declined,
        "subject.erased": _on_subject_erased,
        "canned.changed": _on_canned_changed,
        "presence.changed": _on_presence_changed,
        "chat.offered": _on_chat_offered,
        "message.left": _on_message_left,
        "chat.transferred": _on_chat_transferred,
        # session.closing is the session's own business (net.session).
    }

    async def _erased_here_counts(self, visitor_id: str) -> dict[str, int] | None:
        """Purge a person this desk's approval erased; the cache rows removed, with those of the purge
        the server's ``subject.erased`` push started just before (it comes ahead of the answer)."""
        pushed = self._recent_erasures.pop(visitor_id, None)
        earlier = await pushed if pushed is not None else None
        now = await self._erase_here(visitor_id, ())
        if earlier is None or now is None:
            return now
        return {table: earlier.get(table, 0) + now.get(table, 0) for table in earlier.keys() | now.keys()}

    async def _erase_here(self, visitor_id: str, chat_ids: tuple[str, ...]) -> dict[str, int] | None:
        """Purge a person from memory and from the cache, then tell the UI. Returns the cache rows
        removed per table (``None`` without a cache, or when the cache failed)."""
        counts: dict[str, int] | None = None
        chat_ids = self._forget_in_memory(visitor_id, chat_ids)
        if self._store is not None:
            await self.cache.drained()
            self.cache.forget(visitor_id)
            try:
                counts = await self._store.erase_subject(visitor_id)
            except StoreError as exc:
                logger.warning("local erasure failed (%s)", type(exc).__name__)
        self._emit(VisitorErased(visitor_id=visitor_id, chat_ids=chat_ids))
        return counts

    def _forget_in_memory(self, visitor_id: str, chat_ids: tuple[str, ...]) -> tuple[str, ...]:
        chat_ids = tuple(dict.fromkeys(
            chat_ids + tuple(c.id for c in self._chats.chats.values() if c.visitor_id == visitor_id)
        ))
        self.roster.erase(visitor_id)
        self._chats.forget(chat_ids)
        self.presence.chats_changed((), chat_ids)
        self.left_messages.forget(chat_ids, visitor_id)
        self._privacy.forget(visitor_id, chat_ids)
        return chat_ids

    # -- actions --------------------------------------------------------------------------------------

    async def accept_chat(self, chat_id: str) -> None:
        await self._chats.accept(chat_id)
        self.presence.chats_changed((), (chat_id,))

    async def set_status(self, status: PresenceStatus) -> None:
        """Available, away or busy: remembered for this account, and told to the server."""
        await self.presence.set_status(status)

    def let_offer_pass(self, chat_id: str) -> None:
        self.presence.let_pass(chat_id)

    async def send_message(self, chat_id: str, text: str) -> str:
        return await self._chats.send(chat_id, text)

    async def set_typing(self, chat_id: str, typing: bool) -> None:
        await self._chats.set_typing(chat_id, typing)

    async def close_chat(self, chat_id: str) -> None:
        await self._chats.close(chat_id)

    async def request_details(self, chat_id: str, notice: Notice, fields: Sequence[str]) -> str:
        return await self._privacy.request_details(chat_id, notice, fields)

    async def put_team_canned(self, keyword: str, text: str) -> TeamCanned:
        return await self.team_canned.put(keyword, text)

    async def list_presence(self) -> tuple[OperatorPresence, ...]:
        """Everyone signed in now, with status, team, open chats and limit (the transfer chooser)."""
        try:
            listed: PresenceListResponse = await self._request("presence.list", Empty())
        except NetError as exc:
            raise desk_error(exc, "presence.list") from exc
        return listed.operators

    async def transfer_chat(self, chat_id: str, *, to_operator_id: str | None = None,
                            to_team_id: str | None = None, note: str = "") -> Chat:
        return await self._chats.transfer(chat_id, to_operator_id, to_team_id, note)

    async def earlier_chats(self, visitor_id: str, cursor: str | None = None) -> EarlierChatsResponse:
        return await self._earlier.list(visitor_id, cursor)

    async def earlier_chat(self, visitor_id: str, chat_id: str) -> tuple[Chat, tuple[Message, ...]]:
        return await self._earlier.open(visitor_id, chat_id)

    async def delete_team_canned(self, keyword: str) -> None:
        await self.team_canned.delete(keyword)

    async def search_transcripts(self, text: str | None = None, operator_id: str | None = None,
                                 since: str | None = None, until: str | None = None,
                                 cursor: str | None = None) -> TranscriptsSearchResponse:
        return await self._compliance.search_transcripts(text, operator_id, since, until, cursor)

    async def get_transcript(self, chat_id: str) -> TranscriptResponse:
        return await self._compliance.get_transcript(chat_id)

    async def find_subjects(self, query: str) -> tuple[SubjectSummary, ...]:
        return await self._compliance.find_subjects(query)

    async def export_subject(self, visitor_id: str, *, case_id: str | None = None,
                             approval_id: str | None = None) -> dict[str, Any]:
        actor = self.operator.id if self.operator is not None else LOCAL_ACTOR
        return await self._compliance.export_subject(visitor_id, case_id=case_id, approval_id=approval_id,
                                                     actor=actor)

    async def erase_subject(self, visitor_id: str, reason: str) -> ErasedCounts:
        """Erase at once: only where the site needs no second supervisor (else ``APPROVAL_REQUIRED``)."""
        return await self._compliance.erase_subject(visitor_id, reason)

    @property
    def review(self) -> TranscriptReview:
        """Transcript review, both audit logs, the team at work, watching live chats."""
        return self._review

    @property
    def subject_requests(self) -> SubjectRequests:
        """Cases and approvals of data-subject requests (supervisors)."""
        return self._requests

    @property
    def bundles(self) -> SubjectBundles:
        """Export bundles of data-subject access requests (supervisors)."""
        return self._bundles

    def _exporter(self) -> Exporter:
        operator = self.operator
        if operator is None:
            raise DeskError(FailureCode.NOT_SIGNED_IN, "bundle.write")
        return Exporter(operator_id=operator.id, operator_name=operator.name, server_name=self.server_name,
                        application_version=self._client_version)

    async def flush(self) -> None:
        """Wait until queued cache writes are done (tests, shutdown, exports)."""
        await self.cache.drained()

    # -- plumbing -------------------------------------------------------------------------------------

    async def _request(self, action: str, payload: Struct) -> Any:
        return await self.session.request(action, payload)

    async def _purge_regularly(self, store: Store | None) -> None:
        while True:
            await asyncio.sleep(self.timing.purge_interval)
            if store is not None:
                try:
                    removed = await store.purge_expired()
                except StoreError as exc:
                    logger.warning("retention purge failed (%s)", type(exc).__name__)
                else:
                    logger.info("retention purge removed %s", removed)
            if self.session.online:
                # A desk signed in for weeks still follows the server's retention purges.
                try:
                    await self._journal.catch_up()
                except (NetError, StoreError) as exc:
                    logger.info("erasure journal catch-up failed (%s); next sign-in tries again",
                                type(exc).__name__)

    def _emit(self, event: Event) -> None:
        try:
            self._sink(event)
        except Exception:
            # A failing UI handler must not break the desk's own bookkeeping.
            logger.exception("the event sink failed on %s", type(event).__name__)


class _HeldByDesk:
    """What the desk holds in memory, as the erasure journal sees it (services.erasures.HeldInMemory)."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def held_chats(self) -> Mapping[str, str]:
        return {chat.id: chat.visitor_id for chat in self._desk.chats.values()}

    def held_visitor_ids(self) -> set[str]:
        return {*self._desk.visitors, *self._desk._privacy.consents}

    def forget_visitor(self, visitor_id: str, chat_ids: tuple[str, ...]) -> None:
        chat_ids = self._desk._forget_in_memory(visitor_id, chat_ids)
        self._desk._emit(VisitorErased(visitor_id=visitor_id, chat_ids=chat_ids))

    def forget_chats(self, chat_ids: tuple[str, ...]) -> None:
        self._desk._chats.forget(chat_ids)
        self._desk._privacy.forget_chats(chat_ids)
        self._desk.left_messages.forget(chat_ids)
        self._desk._emit(ChatsChanged(chats=(), removed=chat_ids))


__all__ = ["Desk", "DeskError", "operator_endpoint"]
