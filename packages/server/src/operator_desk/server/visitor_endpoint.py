"""``/v1/visitor``: what a visitor's browser (the widget, or the simulator) may do. Consent is enforced
here at the source, with the domain's rules: nothing an operator receives about a visitor goes further
than the visitor's consents allow."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Iterable
from typing import Any

import msgspec

from operator_desk.domain.clock import now_ts
from operator_desk.domain.consent import may_pass_typing_preview, may_receive_details, outdated_purposes
from operator_desk.domain.model import (
    Author,
    Chat,
    ChatState,
    ConsentEvent,
    Insights,
    Message,
    Page,
    Purpose,
    VisitorState,
)
from operator_desk.protocol import (
    Endpoint,
    ErrorCode,
    ProtocolError,
)
from operator_desk.protocol.messages import (
    ActionSpec,
    ChatIncoming,
    ChatResponse,
    ChatStartRequest,
    ConsentChanged,
    ConsentSetRequest,
    ConsentSetResponse,
    DetailsDeclined,
    DetailsReceived,
    DetailsRef,
    DetailsSubmitRequest,
    Empty,
    ExportMeRequest,
    HelloRequest,
    HelloResponse,
    LeftMessage,
    MessageResponse,
    OperatorTypingPush,
    PageRequest,
    SubjectsExportResponse,
    VisitorSendRequest,
    VisitorTypingRequest,
)
from operator_desk.server import auth, repository, subjects, teams
from operator_desk.server.changes import Change
from operator_desk.server.cluster import Relay
from operator_desk.server.download_limit import DownloadLimit
from operator_desk.server.guard import Budget, Guard
from operator_desk.server.hub import Hub, LiveChat, LiveVisitor, new_id
from operator_desk.server.request_loop import BUS_FLUSH_SECONDS, Connection, Handler, RequestLoop
from operator_desk.server.send_queue import SendQueue

logger = logging.getLogger(__name__)

_json = msgspec.json.Encoder()
# The messages of a hello response at most, encoded: with notices and the rest, the frame stays under
# 256 KiB whatever the messages hold.
HELLO_MESSAGE_BYTES = 96 * 1024


class VisitorEndpoint(RequestLoop["VisitorConnection"]):
    noun = "a visitor"

    def __init__(self, hub: Hub, guard: Guard, exports: DownloadLimit | None = None) -> None:
        super().__init__(hub, guard, Endpoint.VISITOR, VISITOR_HANDLERS)
        self._exports = exports or DownloadLimit()

    # -- the request loop's hooks (request_loop.py) ---------------------------------------------------

    def connected(self, send_queue: SendQueue, address: str, budget: Budget) -> VisitorConnection:
        return VisitorConnection(send_queue, address, budget)

    def identify_within(self) -> float:
        return self.guard.limits.first_message_deadline

    def deadline_passed(self, state: VisitorConnection) -> None:
        if state.visitor is None:
            logger.info("closing a visitor connection that did not say hello in time")
            state.send_queue.close_after(1008, "hello timeout")

    def admit(self, state: VisitorConnection, action: str) -> Awaitable[None] | None:
        """Each action is counted against the visitor's rates (all their tabs together) once they said
        hello."""
        if state.visitor is None:
            return None
        return self.guard.admit_action(state.budget, action, state.visitor.id)

    def caller(self, state: VisitorConnection, action: str, spec: ActionSpec) -> Any:
        """``visitor.hello`` is handled for the connection, as is ``subject.forget_me`` (it spares this
        socket, closed after its answer, and may come again after an erasure); every other action for
        the visitor, unless erased."""
        if action == "visitor.hello":
            return state
        visitor = state.identified()
        if action == "subject.forget_me":
            return state
        if visitor.erased:
            raise ProtocolError(ErrorCode.NOT_FOUND, "this visitor was erased")
        return visitor

    def who(self, state: VisitorConnection) -> str:
        return f"visitor {state.visitor.id}" if state.visitor else "a new visitor"

    def answered(self, state: VisitorConnection) -> None:
        if state.visitor is not None and state.visitor.erased:
            state.send_queue.close_after(1000, "erased")

    async def disconnected(self, state: VisitorConnection) -> None:
        if state.visitor is not None:
            self.hub.visitor_disconnected(state.visitor, state.send_queue)

    # -- arriving and browsing ------------------------------------------------------------------------

    async def _visitor_hello(self, state: VisitorConnection, hello: HelloRequest) -> HelloResponse:
        answer = await self._hello(state, hello)
        # Whether someone can answer now (the page's team's, or anyone): else the widget offers to
        # leave a message. Read when the page loads; a later change reaches the next page.
        team_id = await self._team_for(hello.team, hello.page.url)
        await self.hub.cluster.caught_up()   # of several nodes: who signed in or said a status elsewhere
        return msgspec.structs.replace(answer, available=self.hub.router.anyone_available(team_id))

    async def _hello(self, state: VisitorConnection, hello: HelloRequest) -> HelloResponse:
        if state.visitor is not None:
            raise ProtocolError(ErrorCode.BAD_REQUEST, "visitor.hello was already sent")
        token = hello.visitor_token
        if token is not None:
            returning = await self._returning(state, hello, token)
            if returning is not None:
                return returning
        # A new visitor (or a token nobody has: the person was erased, or retention forgot them).
        # Presence on this page only: a fresh id, linked to nothing else, held in memory. The token lets
        # this page's widget (and, once the visitor asks for the chat, the pages of this visit) come
        # back; nothing is stored until the visitor asks for something that must be kept (_keep).
        # New visitors are counted per address all the same: each is live state, and may become a row.
        admitting = self.guard.new_visitor(state.budget)
        if admitting is not None:
            await admitting
        token = auth.new_token()
        visitor = LiveVisitor(
            id=new_id("v"),
            token_digest=auth.token_digest(token),
            ip=state.address,
            language=hello.language,
            on_site_since=now_ts(),
            page=hello.page,
            stored=False,
        )
        return self._arrived(state, visitor, token, new_visit=True)

    @staticmethod
    def _keep(change: Change, visitor: LiveVisitor, at: str) -> None:
        """The visitor row, in the transaction of the first change that must be kept (a consent, a chat)
        of a visitor who was only present on a page. ``visitor.stored`` is set once that is stored."""
        if not visitor.stored:
            change.write(repository.create_visitor, visitor.id, visitor.token_digest, at, visitor.language)

    async def _returning(
        self, state: VisitorConnection, hello: HelloRequest, token: str
    ) -> HelloResponse | None:
        """A browser with a visitor token: another tab or a page reload of a visitor online (or back
        within the grace period, or carried over a restart), or a returning visitor read from the
        database. ``None`` if nobody has that token."""
        hub = self.hub
        digest = auth.token_digest(token)
        while True:
            live = hub.visitors.with_token(digest)
            if live is not None:
                async with hub.changes.about(live.id):
                    if not live.erased and hub.visitors.with_token(digest) is live:
                        return self._joined(state, live, hello, token)
                continue  # erased, or gone, while we waited: look again
            erasures = hub.erasures
            stored = await hub.db.call(repository.visitor_by_token, digest)
            if stored is None:
                return None
            async with hub.changes.about(stored.id) as change:
                if hub.erasures != erasures:
                    # Someone was erased while we read, perhaps this very person: what we read may be
                    # gone. Look again; the lookup now queues behind that erasure's deletion.
                    continue
                if hub.visitors.with_token(digest) is not None:
                    continue  # another tab's hello brought the visitor back while this one waited
                now = now_ts()
                visitor = LiveVisitor(
                    id=stored.id,
                    token_digest=digest,
                    ip=state.address,
                    language=hello.language,
                    on_site_since=now,
                    page=hello.page,
                )
                for event in stored.consents:
                    visitor.add_consent(event, hub.counts_from)
                if stored.insights is not None:
                    visitor.history = (stored.insights.visits, stored.insights.first_seen or now)
                if Purpose.CHAT in visitor.granted:
                    visitor.name, visitor.email = stored.name, stored.email
                change.write(repository.touch_visitor, visitor.id, now, hello.language)
                await change.stored()
                hub.cluster.take_home(visitor)
                return self._arrived(state, visitor, token, new_visit=True)

    def _arrived(
        self, state: VisitorConnection, visitor: LiveVisitor, token: str, new_visit: bool
    ) -> HelloResponse:
        hub = self.hub
        state.visitor = visitor
        hub.visitor_connected(visitor, state.send_queue)
        if Purpose.VISITOR_INSIGHTS in visitor.granted:
            self._record_insights(visitor, new_visit=new_visit)
            self._record_page_view(visitor)
        hub.upsert_visitor(visitor)
        return self._hello_response(visitor, token)

    def _joined(
        self, state: VisitorConnection, live: LiveVisitor, hello: HelloRequest, token: str
    ) -> HelloResponse:
        """Another tab of a visitor already here, or back within the grace period (a page navigation, or
        a chat carried over a server restart): the same visitor."""
        hub = self.hub
        state.visitor = live
        hub.visitor_connected(live, state.send_queue)
        live.page = hello.page
        if live.restored:
            # The first hello after a restart: now we know where they are and where from.
            live.restored = False
            live.ip = state.address
            live.language = hello.language
            hub.store(repository.touch_visitor, live.id, now_ts(), hello.language, visitor=live)
            if Purpose.VISITOR_INSIGHTS in live.granted:
                self._record_insights(live, new_visit=False)
                self._record_page_view(live)
        else:
            live.pages_viewed += 1
        hub.upsert_visitor(live)
        return self._hello_response(live, token)

    def _hello_response(self, visitor: LiveVisitor, token: str) -> HelloResponse:
        # A returning browser (a reload, another tab, a restart of the server) sees the chat it is in.
        live_chat = self.hub.chats.get(visitor.chat_id) if visitor.chat_id else None
        return HelloResponse(
            visitor_id=visitor.id,
            visitor_token=token,
            notices=tuple(self.hub.notices_for(visitor.language)),
            consent={purpose: purpose in visitor.granted for purpose in Purpose},
            consent_outdated=tuple(sorted(outdated_purposes(visitor.consents, self.hub.counts_from))),
            recognition_days=round(self.hub.config.retention.transcripts_days),
            chat=live_chat.chat if live_chat is not None else None,
            messages=last_that_fit(live_chat.messages) if live_chat is not None else (),
        )

    def _insights(self, visitor: LiveVisitor, new_visit: bool) -> Insights:
        """The visitor's insights: enriched, with the visit counted. Only ever called under
        visitor_insights consent. The returning-visitor history (visits, first seen) was read with the
        visitor at ``visitor.hello``: nothing on this path waits for the database."""
        found = self.hub.enricher.lookup(visitor.ip)
        if visitor.history is None:
            visits, first_seen = 1, now_ts()
        else:
            visits, first_seen = visitor.history[0] + (1 if new_visit else 0), visitor.history[1]
        return Insights(
            ip=visitor.ip,
            location=found.location,
            company=found.company,
            visits=visits,
            first_seen=first_seen,
        )

    def _record_insights(self, visitor: LiveVisitor, new_visit: bool) -> None:
        """Count the visit and enrich, in memory, and store it behind."""
        visitor.insights = self._insights(visitor, new_visit)
        visitor.history = (visitor.insights.visits, visitor.insights.first_seen or now_ts())
        self.hub.store(repository.store_insights, visitor.id, visitor.insights, now_ts(), visitor=visitor)

    def _record_page_view(self, visitor: LiveVisitor) -> None:
        if Purpose.VISITOR_INSIGHTS in visitor.granted:
            self.hub.store(
                repository.add_page_view,
                visitor.id,
                visitor.page.url,
                visitor.page.title,
                now_ts(),
                visitor=visitor,
            )

    async def _visitor_page(self, visitor: LiveVisitor, page: PageRequest) -> Empty:
        visitor.page = Page(url=page.url, title=page.title)
        visitor.pages_viewed += 1
        self._record_page_view(visitor)
        self.hub.upsert_visitor(visitor)
        return Empty()

    async def _ping(self, visitor: LiveVisitor, _: Empty) -> Empty:
        return Empty()

    # -- consent --------------------------------------------------------------------------------------

    async def _consent_set(self, visitor: LiveVisitor, payload: ConsentSetRequest) -> ConsentSetResponse:
        hub = self.hub
        notice = hub.notice_versions.get((payload.notice_id, payload.notice_version))
        if notice is None:
            raise ProtocolError(ErrorCode.NOT_FOUND, "no notice with that id and version")
        if payload.purpose not in notice.purposes:
            raise ProtocolError(ErrorCode.BAD_REQUEST, "the notice does not cover that purpose")
        if payload.granted and notice.version < hub.counts_from.get(notice.id, 1):
            # It would be recorded and never count: the visitor must read the version that asks.
            raise ProtocolError(ErrorCode.CONFLICT, "a newer version of the notice asks for consent again")
        purpose = payload.purpose
        async with hub.changes.about(visitor.id) as change:
            self._still_here(visitor)
            event = ConsentEvent(
                id=new_id("c"),
                visitor_id=visitor.id,
                purpose=purpose,
                granted=payload.granted,
                notice_id=notice.id,
                notice_version=notice.version,
                method=payload.method,
                at=now_ts(),
            )
            was_granted = purpose in visitor.granted
            self._keep(change, visitor, event.at)
            recorded = change.write(repository.add_consent, event)
            withdrawn = not payload.granted and was_granted
            live_chat = hub.chats.get(visitor.chat_id) if visitor.chat_id else None
            closed_chat = None
            forgotten: Awaitable[int] | None = None
            if withdrawn:
                closed_chat = self._write_withdrawal(change, visitor, purpose, live_chat)
            await change.stored()
            visitor.stored = True
            event = recorded.result()  # with the seq the database gave it
            logger.debug(
                "visitor %s %s %s", visitor.id, "granted" if payload.granted else "withdrew", purpose.value
            )
            visitor.add_consent(event, hub.counts_from)
            if payload.granted and not was_granted and purpose is Purpose.VISITOR_INSIGHTS:
                self._record_insights(visitor, new_visit=False)
                self._record_page_view(visitor)
            elif withdrawn:
                self._withdrawn(visitor, purpose, live_chat, closed_chat)
            # Both pushes queued in one go: every watching operator drops the fields at the same moment.
            hub.push(
                hub.visitor_watchers(visitor),
                "consent.changed",
                ConsentChanged(visitor_id=visitor.id, consent=event),
                subject=visitor.id,
                relay=Relay.visitor(visitor.id),
            )
            hub.upsert_visitor(visitor, at_once=True)   # a feed's next push may be a while: not this
            if withdrawn:
                # The bus's stream drops its entries about them (those that carried what the consent
                # covered), once every node has read them, the withdrawal's own too.
                forgotten = hub.bus.forget_subject(visitor.id)
        if forgotten is not None:
            # The answer waits until the bus holds none of it (once every node has read it), for at
            # most a second: a bus that hangs must not hold the answer; the stream's age bound remains.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(forgotten), BUS_FLUSH_SECONDS)
        return ConsentSetResponse(consent=event)

    def _write_withdrawal(
        self, change: Change, visitor: LiveVisitor, purpose: Purpose, live_chat: LiveChat | None
    ) -> Chat | None:
        """Queue the deletions a withdrawal makes (in the transaction of its consent event); returns the
        visitor's chat as closed if the withdrawal of chat consent closes it."""
        if purpose is Purpose.VISITOR_INSIGHTS:
            # Returning-visitor history is kept only under this consent: it goes now.
            change.write(repository.forget_insights, visitor.id)
        elif purpose is Purpose.CHAT:
            # Without chat consent the chat cannot go on, and the name and e-mail given for it go,
            # from the visitor and from every message they wrote.
            change.write(repository.forget_contact, visitor.id)
            if live_chat is not None:
                closed = self.hub.closed(live_chat.chat)
                change.write(repository.save_chat, closed)
                return closed
        elif purpose is Purpose.CONTACT_DETAILS:
            change.write(repository.forget_received_details, visitor.id)
        return None

    def _withdrawn(
        self, visitor: LiveVisitor, purpose: Purpose, live_chat: LiveChat | None, closed: Chat | None
    ) -> None:
        """Apply a stored withdrawal to the live state."""
        hub = self.hub
        if purpose is Purpose.VISITOR_INSIGHTS:
            visitor.insights = None
            visitor.history = None
        elif purpose is Purpose.CHAT:
            visitor.name = visitor.email = None
            # Pushes that carried the name (their messages, their visitor) are not replayed to anyone.
            hub.forget_pushes_about(visitor.id)
            if live_chat is not None and closed is not None:
                hub.chat_closed(live_chat, closed)

    # -- chat -----------------------------------------------------------------------------------------

    @staticmethod
    def _still_here(visitor: LiveVisitor) -> None:
        """After waiting for the visitor's lock: an erasure may have run meanwhile."""
        if visitor.erased:
            raise ProtocolError(ErrorCode.NOT_FOUND, "this visitor was erased")

    def _current_chat(self, visitor: LiveVisitor) -> LiveChat:
        live_chat = self.hub.chats.get(visitor.chat_id) if visitor.chat_id else None
        if live_chat is None:
            raise ProtocolError(ErrorCode.CONFLICT, "no open chat: start one first")
        return live_chat

    async def _team_for(self, asked: str | None, page_url: str) -> str | None:
        """The team a new chat goes to: the one the widget names, else the page's (``[routing]
        page_teams``); one that does not exist (a typo on a page) is none: everyone's."""
        team_id = asked or self.hub.config.routing.team_for_page(page_url)
        if team_id is None or await self.hub.db.call(teams.team, team_id) is None:
            return None
        return team_id

    async def _chat_start(self, visitor: LiveVisitor, payload: ChatStartRequest) -> ChatResponse:
        hub = self.hub
        team_id = await self._team_for(payload.team, visitor.page.url)
        async with hub.changes.about(visitor.id) as change:
            self._still_here(visitor)
            if Purpose.CHAT not in visitor.granted:
                raise ProtocolError(ErrorCode.CONSENT_REQUIRED, "grant chat consent to start a chat")
            if visitor.chat_id is not None and visitor.chat_id in hub.chats:
                raise ProtocolError(ErrorCode.CONFLICT, "a chat is already open")
            if payload.leave_message and payload.message is None:
                raise ProtocolError(ErrorCode.BAD_REQUEST, "a message left needs its message")
            at = now_ts()
            # A message left (nobody available) is a chat closed at once: listed for operators, never
            # offered, never waiting (docs/protocol.md, "Presence and routing").
            chat = Chat(id=new_id("ch"), visitor_id=visitor.id, team_id=team_id, started_at=at,
                        state=ChatState.CLOSED if payload.leave_message else ChatState.WAITING,
                        closed_at=at if payload.leave_message else None, left_message=payload.leave_message)
            self._keep(change, visitor, chat.started_at)
            name = payload.name if payload.name is not None else visitor.name
            email = payload.email if payload.email is not None else visitor.email
            if (name, email) != (visitor.name, visitor.email):
                change.write(repository.set_contact, visitor.id, name, email)
            change.write(repository.save_chat, chat)
            live_chat = LiveChat(chat=chat)
            first = None
            if payload.message is not None:
                first = self._visitor_message(live_chat, name, None, payload.message)
                change.write(repository.add_message, first)
            await change.stored()
            visitor.stored = True
            visitor.name, visitor.email = name, email
            if chat.left_message:
                assert first is not None
                left = LeftMessage(chat=chat, visitor_name=name, email=email, text=first.text)
                hub.push(hub.all_sessions(), "message.left", left, subject=visitor.id,
                         relay=Relay.everyone())
                return ChatResponse(chat=chat, message=first)
            hub.chats[chat.id] = live_chat
            visitor.chat_id = chat.id
            visitor.state = VisitorState.WAITING
            hub.push(
                hub.all_sessions(),
                "chat.incoming",
                ChatIncoming(chat=chat, visitor=visitor.operator_view()),
                subject=visitor.id,
                relay=Relay.everyone(),
            )
            hub.router.chat_waiting(live_chat)
            if first is not None:
                hub.message_stored(live_chat, first, sender=None)
            hub.upsert_visitor(visitor)
        return ChatResponse(chat=chat, message=first)

    def _visitor_message(
        self, live_chat: LiveChat, name: str | None, client_msg_id: str | None, text: str
    ) -> Message:
        return Message(
            id=new_id("m"),
            chat_id=live_chat.chat.id,
            client_msg_id=client_msg_id,
            author=Author.VISITOR,
            author_name=name or "",
            text=self.hub.masker.mask(text),   # no card number is stored, nor seen by anyone
            at=self.hub.message_time(live_chat),
        )

    async def _chat_send(self, visitor: LiveVisitor, payload: VisitorSendRequest) -> MessageResponse:
        hub = self.hub
        async with hub.changes.about(visitor.id) as change:
            self._still_here(visitor)
            live_chat = self._current_chat(visitor)
            existing = live_chat.sent.get((Author.VISITOR.value, payload.client_msg_id))
            if existing is not None:
                return MessageResponse(message=existing)
            message = self._visitor_message(live_chat, visitor.name, payload.client_msg_id, payload.text)
            stored = change.write(repository.add_message, message)
            await change.stored()
            message = stored.result()  # the message first stored with this client id, if it was resent
            if hub.chats.get(live_chat.chat.id) is live_chat:
                hub.message_stored(live_chat, message, sender=None)
        return MessageResponse(message=message)

    async def _chat_typing(self, visitor: LiveVisitor, payload: VisitorTypingRequest) -> Empty:
        live_chat = self._current_chat(visitor)
        # The draft is passed on only under typing_preview consent, and never stored or logged.
        preview = payload.draft if payload.typing and may_pass_typing_preview(visitor.granted) else None
        if preview is not None:
            preview = self.hub.masker.mask(preview)   # a card number typed is masked before it is shown
        self.hub.push(
            self.hub.chat_watchers(live_chat.chat),
            "chat.typing",
            OperatorTypingPush(chat_id=live_chat.chat.id, typing=payload.typing, preview=preview),
            subject=visitor.id,
            relay=Relay.chat(live_chat.chat.id),
        )
        return Empty()

    async def _chat_end(self, visitor: LiveVisitor, _: Empty) -> Empty:
        hub = self.hub
        async with hub.changes.about(visitor.id) as change:
            self._still_here(visitor)
            live_chat = self._current_chat(visitor)
            closed = hub.closed(live_chat.chat)
            change.write(repository.save_chat, closed)
            await change.stored()
            hub.chat_closed(live_chat, closed)
        return Empty()

    # -- details --------------------------------------------------------------------------------------

    def _pending_request(self, visitor: LiveVisitor, request_id: str) -> tuple[LiveChat, tuple[str, ...]]:
        live_chat = self._current_chat(visitor)
        fields = live_chat.pending_details.get(request_id)
        if fields is None:
            raise ProtocolError(ErrorCode.NOT_FOUND, "no open details request with that id")
        return live_chat, fields

    async def _details_submit(self, visitor: LiveVisitor, payload: DetailsSubmitRequest) -> Empty:
        async with self.hub.changes.about(visitor.id) as change:
            self._still_here(visitor)
            live_chat, fields = self._pending_request(visitor, payload.request_id)
            if not may_receive_details(visitor.granted):
                raise ProtocolError(
                    ErrorCode.CONSENT_REQUIRED, "grant contact_details consent to send details"
                )
            unasked = sorted(set(payload.fields) - set(fields))
            if unasked:
                raise ProtocolError(ErrorCode.BAD_REQUEST, f"fields not asked for: {', '.join(unasked)}")
            values = {name: value for name, value in payload.fields.items() if value != ""}
            await self._answer_details(change, visitor, live_chat, payload.request_id, values)
        return Empty()

    async def _details_decline(self, visitor: LiveVisitor, payload: DetailsRef) -> Empty:
        async with self.hub.changes.about(visitor.id) as change:
            self._still_here(visitor)
            live_chat, _ = self._pending_request(visitor, payload.request_id)
            await self._answer_details(change, visitor, live_chat, payload.request_id, None)
        return Empty()

    async def _answer_details(
        self, change: Change, visitor: LiveVisitor, live_chat: LiveChat, request_id: str,
        values: dict[str, str] | None,
    ) -> None:
        """Store the visitor's answer to a details request (``values``, or None: declined), then tell the
        chat's operators (``details.received`` / ``details.declined``)."""
        hub = self.hub
        change.write(repository.answer_detail_request, request_id, visitor.id, now_ts(), values)
        await change.stored()
        live_chat.pending_details.pop(request_id, None)
        chat_id = live_chat.chat.id
        if values is None:
            action, push = "details.declined", DetailsDeclined(chat_id=chat_id, request_id=request_id)
        else:
            action, push = "details.received", DetailsReceived(chat_id=chat_id, request_id=request_id,
                                                               fields=values)
        hub.push(hub.chat_watchers(live_chat.chat), action, push, subject=visitor.id,
                 relay=Relay.chat(chat_id))

    # -- erasure --------------------------------------------------------------------------------------

    async def _subject_export_me(
        self, visitor: LiveVisitor, payload: ExportMeRequest
    ) -> SubjectsExportResponse:
        """The visitor's own data, authorised by the token their hello named and nothing else, in pages
        as ``subjects.export``. A download (its first page) counts against the limit."""
        hub = self.hub
        if payload.cursor is None:
            wait = self._exports.refuse_for(visitor.id, visitor.ip)
            if wait:
                raise ProtocolError(ErrorCode.RATE_LIMITED, f"try again in {wait:.0f} s")
            position = None
        else:
            position = hub.cursors.read("me:" + visitor.id, payload.cursor)
        # Writes queued before (the last message, a consent) are in the database before it is read.
        document, following = await hub.db.call(subjects.export_page_for_visitor, visitor.id, position)
        cursor = hub.cursors.make("me:" + visitor.id, following) if following is not None else None
        return SubjectsExportResponse(export=document, next_cursor=cursor)

    async def _subject_forget_me(self, state: VisitorConnection, _: Empty) -> Empty:
        # The visitor's other tabs are closed at once; this one after its response (see answered).
        visitor = state.identified()
        await subjects.erase_subject(self.hub, visitor.id, "visitor", "forget_me", spare=state.send_queue)
        return Empty()


def last_that_fit(messages: Iterable[Message], budget: int = HELLO_MESSAGE_BYTES) -> tuple[Message, ...]:
    """The newest messages whose encoding fits in ``budget`` bytes, oldest first: a reloaded widget sees
    the end of its conversation, in a frame that is never near the limit however long the messages."""
    kept: list[Message] = []
    used = 0
    for message in reversed(list(messages)):
        used += len(_json.encode(message)) + 1
        if used > budget:
            break
        kept.append(message)
    return tuple(reversed(kept))


class VisitorConnection(Connection):
    """One visitor connection: the visitor, once they said hello."""

    __slots__ = ("visitor",)

    def __init__(self, send_queue: SendQueue, address: str, budget: Budget) -> None:
        super().__init__(send_queue, address, budget)
        self.visitor: LiveVisitor | None = None

    def identified(self) -> LiveVisitor:
        if self.visitor is None:
            raise ProtocolError(ErrorCode.UNAUTHENTICATED, "send visitor.hello first")
        return self.visitor


# Where each action of ``VISITOR_ACTIONS`` (protocol/messages.py) is handled: one entry each, in the
# same order (tests/test_layer_contracts.py holds the two tables, and each handler's payload and
# response types, to each other). A handler is called with the visitor (``visitor.hello`` and
# ``subject.forget_me``: the connection; see ``VisitorEndpoint.caller``) and the action's request struct.
VISITOR_HANDLERS: dict[str, Handler] = {
    "visitor.hello": VisitorEndpoint._visitor_hello,
    "visitor.page": VisitorEndpoint._visitor_page,
    "consent.set": VisitorEndpoint._consent_set,
    "chat.start": VisitorEndpoint._chat_start,
    "chat.send": VisitorEndpoint._chat_send,
    "chat.typing": VisitorEndpoint._chat_typing,
    "details.submit": VisitorEndpoint._details_submit,
    "details.decline": VisitorEndpoint._details_decline,
    "chat.end": VisitorEndpoint._chat_end,
    "subject.forget_me": VisitorEndpoint._subject_forget_me,
    "subject.export_me": VisitorEndpoint._subject_export_me,
    "ping": VisitorEndpoint._ping,
}
