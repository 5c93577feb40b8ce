"""``/v1/visitor``: what a visitor's browser (the widget, or the simulator) may do. Consent is enforced
here at the source, with the domain's rules: nothing an operator receives about a visitor goes further
than the visitor's consents allow."""

from __future__ import annotations

import logging
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

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
from operator_desk.protocol import Endpoint, ErrorCode, ProtocolError, Request, decode, error, error_for, ok
from operator_desk.protocol.messages import (
    HELLO_MESSAGES,
    ChatIncoming,
    ChatMessagePush,
    ChatResponse,
    ConsentChanged,
    ConsentSetResponse,
    DetailsDeclined,
    DetailsReceived,
    Empty,
    HelloResponse,
    MessageResponse,
    OperatorTypingPush,
    SubjectsExportResponse,
)
from operator_desk.server import auth, repository, subjects
from operator_desk.server.download_limit import DownloadLimit
from operator_desk.server.guard import client_address, text_frames
from operator_desk.server.hub import Hub, LiveChat, LiveVisitor, new_id
from operator_desk.server.outbox import Outbox

logger = logging.getLogger(__name__)


class VisitorEndpoint:
    def __init__(self, hub: Hub, exports: DownloadLimit | None = None) -> None:
        self.hub = hub
        self._exports = exports or DownloadLimit()

    async def serve(self, connection: ServerConnection) -> None:
        outbox = Outbox(connection, self.hub.settings.outbox_limit)
        state = _VisitorConnection(outbox, client_address(connection, self.hub.config.trusted_proxies))
        try:
            async for frame in text_frames(connection, outbox):
                await self._handle(state, frame)
        except ConnectionClosed:
            pass
        finally:
            if state.visitor is not None:
                self.hub.visitor_disconnected(state.visitor, outbox)
            await outbox.aclose()

    async def _handle(self, state: _VisitorConnection, frame: str) -> None:
        request_id = None
        self.hub.requests_handled += 1
        try:
            request = decode(frame, Endpoint.VISITOR)
            if not isinstance(request, Request):
                raise ProtocolError(ErrorCode.BAD_REQUEST, "only requests are accepted here")
            request_id = request.id
            logger.debug(
                "visitor request %s from %s",
                request.action,
                state.visitor.id if state.visitor else "a new visitor",
            )
            if request.action == "visitor.hello":
                payload = await self._hello(state, request.payload)
            elif request.action == "subject.forget_me" and state.visitor is not None:
                payload = await self._forget_me(state, state.visitor)
            else:
                visitor = state.visitor
                if visitor is None:
                    raise ProtocolError(ErrorCode.UNAUTHENTICATED, "send visitor.hello first")
                if visitor.erased:
                    raise ProtocolError(ErrorCode.NOT_FOUND, "this visitor was erased")
                handler = getattr(self, "_" + request.action.replace(".", "_"))
                payload = await handler(visitor, request.payload)
            state.outbox.send(ok(request.id, payload))
            if state.visitor is not None and state.visitor.erased:
                state.outbox.close_after(1000, "erased")
        except ProtocolError as exc:
            if exc.request_id is None and request_id is not None:
                exc.request_id = request_id
            logger.debug("visitor request refused: %s", exc.code.value)
            state.outbox.send(error_for(exc))
        except Exception as exc:
            logger.exception("visitor request failed: %s", type(exc).__name__)
            state.outbox.send(error(request_id, ErrorCode.INTERNAL, "internal error"))

    # -- arriving and browsing ------------------------------------------------------------------------

    async def _hello(self, state: _VisitorConnection, hello: Any) -> HelloResponse:
        hub = self.hub
        if state.visitor is not None:
            raise ProtocolError(ErrorCode.BAD_REQUEST, "visitor.hello was already sent")
        now = now_ts()
        language = hello.language
        token = hello.visitor_token
        stored = None
        if token is not None:
            digest = auth.token_digest(token)
            live = self._live_visitor(digest)
            if live is None:
                while True:
                    erasures = hub.erasures
                    stored = await hub.db.call(repository.visitor_by_token, digest)
                    if hub.erasures == erasures:
                        break
                    # Someone was erased while we waited, perhaps this very person: what we read may be
                    # gone. Look again; the lookup now queues behind that erasure's deletion.
                # Another tab's hello may have brought the visitor back while this one waited.
                live = self._live_visitor(digest)
            if live is not None:
                # Another tab of a visitor already here, or back within the grace period (a page
                # navigation, or a chat carried over a server restart): same visitor.
                state.visitor = live
                hub.visitor_connected(live, state.outbox)
                live.page = hello.page
                if live.restored:
                    # The first hello after a restart: now we know where they are and where from.
                    live.restored = False
                    live.ip = state.ip
                    live.language = language
                    hub.store(repository.touch_visitor, live.id, now, language, visitor=live)
                    if Purpose.VISITOR_INSIGHTS in live.granted:
                        self._record_insights(live, new_visit=False)
                        self._record_page_view(live)
                else:
                    live.pages_viewed += 1
                hub.upsert_visitor(live)
                return self._hello_response(live, token)
        if stored is None:
            # Presence on this page only: a fresh id, linked to nothing else, held in memory. The token
            # lets this page's widget (and, once the visitor asks for the chat, the pages of this visit)
            # come back; nothing is stored until the visitor asks for something that must be kept.
            token = auth.new_token()
            digest = auth.token_digest(token)
            visitor = LiveVisitor(
                id=new_id("v"),
                token_digest=digest,
                ip=state.ip,
                language=language,
                on_site_since=now,
                page=hello.page,
                stored=False,
            )
        else:
            visitor = LiveVisitor(
                id=stored.id,
                token_digest=digest,
                ip=state.ip,
                language=language,
                on_site_since=now,
                page=hello.page,
            )
            for event in stored.consents:
                visitor.add_consent(event, self.hub.counts_from)
            if stored.insights is not None:
                visitor.history = (stored.insights.visits, stored.insights.first_seen or now)
            if Purpose.CHAT in visitor.granted:
                visitor.name, visitor.email = stored.name, stored.email
            hub.store(repository.touch_visitor, visitor.id, now, language)
        assert token is not None
        state.visitor = visitor
        hub.visitor_connected(visitor, state.outbox)
        if Purpose.VISITOR_INSIGHTS in visitor.granted:
            self._record_insights(visitor, new_visit=True)
            self._record_page_view(visitor)
        hub.upsert_visitor(visitor)
        return self._hello_response(visitor, token)

    def _live_visitor(self, digest: str) -> LiveVisitor | None:
        return next((v for v in self.hub.visitors.values() if v.token_digest == digest), None)

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
            messages=tuple(live_chat.messages[-HELLO_MESSAGES:]) if live_chat is not None else (),
        )

    def _record_insights(self, visitor: LiveVisitor, new_visit: bool) -> None:
        """Enrich the visitor and count the visit, in memory, and store it behind. Only ever called
        under visitor_insights consent. The returning-visitor history (visits, first seen) was read
        with the visitor at ``visitor.hello``: nothing on this path waits for the database."""
        found = self.hub.enricher.lookup(visitor.ip)
        now = now_ts()
        if visitor.history is None:
            visits, first_seen = 1, now
        else:
            visits, first_seen = visitor.history[0] + (1 if new_visit else 0), visitor.history[1]
        visitor.history = (visits, first_seen)
        visitor.insights = Insights(
            ip=visitor.ip,
            location=found.location,
            company=found.company,
            visits=visits,
            first_seen=first_seen,
        )
        self.hub.store(repository.store_insights, visitor.id, visitor.insights, now, visitor=visitor)

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

    async def _visitor_page(self, visitor: LiveVisitor, page: Any) -> Empty:
        visitor.page = Page(url=page.url, title=page.title)
        visitor.pages_viewed += 1
        self._record_page_view(visitor)
        self.hub.upsert_visitor(visitor)
        return Empty()

    async def _ping(self, visitor: LiveVisitor, _: Empty) -> Empty:
        return Empty()

    # -- consent --------------------------------------------------------------------------------------

    async def _consent_set(self, visitor: LiveVisitor, payload: Any) -> ConsentSetResponse:
        hub = self.hub
        notice = hub.notice_versions.get((payload.notice_id, payload.notice_version))
        if notice is None:
            raise ProtocolError(ErrorCode.NOT_FOUND, "no notice with that id and version")
        if payload.purpose not in notice.purposes:
            raise ProtocolError(ErrorCode.BAD_REQUEST, "the notice does not cover that purpose")
        if payload.granted and notice.version < hub.counts_from.get(notice.id, 1):
            # It would be recorded and never count: the visitor must read the version that asks.
            raise ProtocolError(ErrorCode.CONFLICT, "a newer version of the notice asks for consent again")
        event = ConsentEvent(
            id=new_id("c"),
            visitor_id=visitor.id,
            purpose=payload.purpose,
            granted=payload.granted,
            notice_id=notice.id,
            notice_version=notice.version,
            method=payload.method,
            at=now_ts(),
        )
        was_granted = payload.purpose in visitor.granted
        logger.debug(
            "visitor %s %s %s",
            visitor.id,
            "granted" if payload.granted else "withdrew",
            payload.purpose.value,
        )
        visitor.ensure_stored(hub, event.at)
        visitor.add_consent(event, hub.counts_from)
        hub.store(repository.add_consent, event, visitor=visitor)
        purpose = payload.purpose
        if payload.granted and not was_granted and purpose is Purpose.VISITOR_INSIGHTS:
            self._record_insights(visitor, new_visit=False)
            self._record_page_view(visitor)
        elif not payload.granted and was_granted:
            self._withdrawn(visitor, purpose)
        # Both pushes queued in one go: every watching operator drops the fields at the same moment.
        watchers = hub.visitor_watchers(visitor)
        hub.push(
            watchers,
            "consent.changed",
            ConsentChanged(visitor_id=visitor.id, consent=event),
            subject=visitor.id,
        )
        hub.upsert_visitor(visitor)
        return ConsentSetResponse(consent=event)

    def _withdrawn(self, visitor: LiveVisitor, purpose: Purpose) -> None:
        hub = self.hub
        if purpose is Purpose.VISITOR_INSIGHTS:
            # Returning-visitor history is kept only under this consent: it goes now.
            visitor.insights = None
            visitor.history = None
            hub.store(repository.forget_insights, visitor.id, visitor=visitor)
        elif purpose is Purpose.CHAT:
            # Without chat consent the chat cannot go on, and the name and e-mail given for it go.
            visitor.name = visitor.email = None
            hub.store(repository.set_contact, visitor.id, None, None, visitor=visitor)
            live_chat = hub.chats.get(visitor.chat_id) if visitor.chat_id else None
            if live_chat is not None:
                hub.close_chat(live_chat)
        elif purpose is Purpose.CONTACT_DETAILS:
            hub.store(repository.forget_received_details, visitor.id, visitor=visitor)

    # -- chat -----------------------------------------------------------------------------------------

    def _current_chat(self, visitor: LiveVisitor) -> LiveChat:
        live_chat = self.hub.chats.get(visitor.chat_id) if visitor.chat_id else None
        if live_chat is None:
            raise ProtocolError(ErrorCode.CONFLICT, "no open chat: start one first")
        return live_chat

    async def _chat_start(self, visitor: LiveVisitor, payload: Any) -> ChatResponse:
        hub = self.hub
        if Purpose.CHAT not in visitor.granted:
            raise ProtocolError(ErrorCode.CONSENT_REQUIRED, "grant chat consent to start a chat")
        if visitor.chat_id is not None and visitor.chat_id in hub.chats:
            raise ProtocolError(ErrorCode.CONFLICT, "a chat is already open")
        now = now_ts()
        visitor.ensure_stored(hub, now)
        chat = Chat(id=new_id("ch"), visitor_id=visitor.id, state=ChatState.WAITING, started_at=now)
        live_chat = LiveChat(chat=chat)
        if payload.name is not None or payload.email is not None:
            visitor.name = payload.name if payload.name is not None else visitor.name
            visitor.email = payload.email if payload.email is not None else visitor.email
            hub.store(repository.set_contact, visitor.id, visitor.name, visitor.email, visitor=visitor)
        hub.chats[chat.id] = live_chat
        visitor.chat_id = chat.id
        visitor.state = VisitorState.WAITING
        hub.store(repository.save_chat, chat, visitor=visitor)
        hub.push(
            hub.all_sessions(),
            "chat.incoming",
            ChatIncoming(chat=chat, visitor=visitor.operator_view()),
            subject=visitor.id,
        )
        if payload.message is not None:
            self._add_visitor_message(visitor, live_chat, None, payload.message)
        hub.upsert_visitor(visitor)
        return ChatResponse(chat=chat)

    def _add_visitor_message(
        self, visitor: LiveVisitor, live_chat: LiveChat, client_msg_id: str | None, text: str
    ) -> Message:
        hub = self.hub
        message = Message(
            id=new_id("m"),
            chat_id=live_chat.chat.id,
            client_msg_id=client_msg_id,
            author=Author.VISITOR,
            author_name=visitor.name or "",
            text=text,
            at=hub.message_time(live_chat),
        )
        if client_msg_id is not None:
            live_chat.sent[(Author.VISITOR.value, client_msg_id)] = message
        live_chat.messages.append(message)
        hub.store(repository.add_message, message, visitor=visitor)
        hub.push(
            hub.chat_watchers(live_chat.chat),
            "chat.message",
            ChatMessagePush(chat_id=message.chat_id, message=message),
            subject=visitor.id,
        )
        return message

    async def _chat_send(self, visitor: LiveVisitor, payload: Any) -> MessageResponse:
        live_chat = self._current_chat(visitor)
        existing = live_chat.sent.get((Author.VISITOR.value, payload.client_msg_id))
        if existing is not None:
            return MessageResponse(message=existing)
        message = self._add_visitor_message(visitor, live_chat, payload.client_msg_id, payload.text)
        await self.hub.writes_committed()
        return MessageResponse(message=message)

    async def _chat_typing(self, visitor: LiveVisitor, payload: Any) -> Empty:
        live_chat = self._current_chat(visitor)
        # The draft is passed on only under typing_preview consent, and never stored or logged.
        preview = payload.draft if payload.typing and may_pass_typing_preview(visitor.granted) else None
        self.hub.push(
            self.hub.chat_watchers(live_chat.chat),
            "chat.typing",
            OperatorTypingPush(chat_id=live_chat.chat.id, typing=payload.typing, preview=preview),
            subject=visitor.id,
        )
        return Empty()

    async def _chat_end(self, visitor: LiveVisitor, _: Empty) -> Empty:
        self.hub.close_chat(self._current_chat(visitor))
        return Empty()

    # -- details --------------------------------------------------------------------------------------

    def _pending_request(self, visitor: LiveVisitor, request_id: str) -> tuple[LiveChat, tuple[str, ...]]:
        live_chat = self._current_chat(visitor)
        fields = live_chat.pending_details.get(request_id)
        if fields is None:
            raise ProtocolError(ErrorCode.NOT_FOUND, "no open details request with that id")
        return live_chat, fields

    async def _details_submit(self, visitor: LiveVisitor, payload: Any) -> Empty:
        live_chat, fields = self._pending_request(visitor, payload.request_id)
        if not may_receive_details(visitor.granted):
            raise ProtocolError(ErrorCode.CONSENT_REQUIRED, "grant contact_details consent to send details")
        unasked = sorted(set(payload.fields) - set(fields))
        if unasked:
            raise ProtocolError(ErrorCode.BAD_REQUEST, f"fields not asked for: {', '.join(unasked)}")
        values = {name: value for name, value in payload.fields.items() if value != ""}
        del live_chat.pending_details[payload.request_id]
        self.hub.store(
            repository.answer_detail_request,
            payload.request_id,
            visitor.id,
            now_ts(),
            values,
            visitor=visitor,
        )
        self.hub.push(
            self.hub.chat_watchers(live_chat.chat),
            "details.received",
            DetailsReceived(chat_id=live_chat.chat.id, request_id=payload.request_id, fields=values),
            subject=visitor.id,
        )
        return Empty()

    async def _details_decline(self, visitor: LiveVisitor, payload: Any) -> Empty:
        live_chat, _ = self._pending_request(visitor, payload.request_id)
        del live_chat.pending_details[payload.request_id]
        self.hub.store(
            repository.answer_detail_request, payload.request_id, visitor.id, now_ts(), None, visitor=visitor
        )
        self.hub.push(
            self.hub.chat_watchers(live_chat.chat),
            "details.declined",
            DetailsDeclined(chat_id=live_chat.chat.id, request_id=payload.request_id),
            subject=visitor.id,
        )
        return Empty()

    # -- erasure --------------------------------------------------------------------------------------

    async def _subject_export_me(self, visitor: LiveVisitor, _: Empty) -> SubjectsExportResponse:
        """The visitor's own data, authorised by the token their hello named and nothing else."""
        wait = self._exports.refuse_for(visitor.id, visitor.ip)
        if wait:
            raise ProtocolError(ErrorCode.RATE_LIMITED, f"try again in {wait:.0f} s")
        # Writes queued before (the last message, a consent) are in the database before it is read.
        document = await self.hub.db.call(subjects.export_for_visitor, visitor.id)
        return SubjectsExportResponse(export=document)

    async def _forget_me(self, state: _VisitorConnection, visitor: LiveVisitor) -> Empty:
        # The visitor's other tabs are closed at once; this one after its response (see _handle).
        await subjects.erase_subject(self.hub, visitor.id, "visitor", "forget_me", spare=state.outbox)
        return Empty()


class _VisitorConnection:
    __slots__ = ("ip", "outbox", "visitor")

    def __init__(self, outbox: Outbox, ip: str) -> None:
        self.outbox = outbox
        self.ip = ip
        self.visitor: LiveVisitor | None = None
