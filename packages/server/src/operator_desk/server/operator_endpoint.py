"""``/v1/operator``: login, roles, sessions with gapless pushes and resume, and the operator actions."""

from __future__ import annotations

import asyncio
import functools
import heapq
import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec

from operator_desk.domain.cases import StepKind
from operator_desk.domain.clock import format_ts, now_ts
from operator_desk.domain.model import Author, Chat, ChatState, Message, Purpose, Role, Visitor, VisitorState
from operator_desk.protocol import (
    Endpoint,
    ErrorCode,
    ProtocolError,
)
from operator_desk.protocol.messages import (
    DELIVERY_STATES,
    ActionSpec,
    ApprovalDecided,
    ApprovalDecision,
    ApprovalRequest,
    ApprovalResponse,
    ApprovalsListRequest,
    ApprovalsListResponse,
    AuditListRequest,
    AuditListResponse,
    AuditReportRequest,
    CaseCloseRequest,
    CaseExtendRequest,
    CaseLinkRequest,
    CaseOpenRequest,
    CaseRecordRequest,
    CaseRef,
    CaseResponse,
    CasesListRequest,
    CasesListResponse,
    CaseStepResponse,
    CaseWithSteps,
    ChatHistoryRequest,
    ChatHistoryResponse,
    ChatRef,
    ChatsListRequest,
    ChatsResponse,
    ChatTransferRequest,
    ChatTransferResponse,
    ChatUpdated,
    ChatWithMessages,
    DailyReportRequest,
    DailyReportResponse,
    DetailRecord,
    DetailsRequested,
    DetailsRequestRequest,
    DetailsRequestResponse,
    EarlierChatRequest,
    EarlierChatsRequest,
    EarlierChatsResponse,
    Empty,
    ErasedSinceRequest,
    ErasedSinceResponse,
    LoginRequest,
    LoginResponse,
    MessageResponse,
    NoticesResponse,
    OperatorSendRequest,
    OperatorTypingRequest,
    Review,
    ReviewAddRequest,
    ReviewResponse,
    ReviewsListRequest,
    ReviewsResponse,
    ServerInfo,
    SubjectsEraseRequest,
    SubjectsEraseResponse,
    SubjectsExportRequest,
    SubjectsExportResponse,
    SubjectsFindRequest,
    SubjectsFindResponse,
    TeamStatusResponse,
    TranscriptRequest,
    TranscriptResponse,
    TranscriptsSearchRequest,
    TranscriptsSearchResponse,
    VisitorsListRequest,
    VisitorsPageRequest,
    VisitorsResponse,
    VisitorTypingPush,
    WebhookDeliveriesRequest,
    WebhookDeliveriesResponse,
    WebhookDeliveryRef,
)
from operator_desk.server import (
    approvals,
    auth,
    cases,
    earlier_chats,
    journal,
    paging,
    repository,
    reviews,
    subjects,
    team_report,
    transcript_search,
    transfer,
)
from operator_desk.server.cluster import ACCEPT_CLAIM_SECONDS
from operator_desk.server.guard import Budget, Guard
from operator_desk.server.hub import Hub, LiveChat, OperatorSession, new_id
from operator_desk.server.request_loop import Connection, Handler, RequestLoop
from operator_desk.server.send_queue import SendQueue
from operator_desk.server.team_actions import TeamActions
from operator_desk.server.webhooks import commands as webhook_commands
from operator_desk.server.webhooks import outbox as webhook_outbox

logger = logging.getLogger(__name__)

_json = msgspec.json.Encoder()
# The encoded visitors of one visitors.subscribe / visitors.list page at most: with the envelope and
# one more visitor at its longest (about 19 KB, every field at its limit and escaped), a frame stays
# well under the 256 KiB limit.
VISITOR_PAGE_BYTES = 192 * 1024
# Live chats one session may observe at once (each one's pushes are sent to it).
MAX_OBSERVED = 20


def _refuse(code: ErrorCode, message: str) -> ProtocolError:
    return ProtocolError(code, message)


class OperatorEndpoint(RequestLoop["OperatorConnection"], TeamActions):
    noun = "an operator"

    def __init__(self, hub: Hub, limiter: auth.LoginLimiter, guard: Guard) -> None:
        super().__init__(hub, guard, Endpoint.OPERATOR, OPERATOR_HANDLERS)
        self.limiter = limiter
        # session id -> the connection it is attached to (for work that must follow a response)
        self._states: dict[str, OperatorConnection] = {}

    # -- the request loop's hooks (request_loop.py) ---------------------------------------------------

    def connected(self, send_queue: SendQueue, address: str, budget: Budget) -> OperatorConnection:
        return OperatorConnection(send_queue, address, budget)

    def identify_within(self) -> float:
        return self.hub.settings.login_deadline

    def deadline_passed(self, state: OperatorConnection) -> None:
        if state.session is None:
            logger.info("closing a connection that did not log in in time")
            state.send_queue.close_after(1008, "login timeout")

    def caller(self, state: OperatorConnection, action: str, spec: ActionSpec) -> Any:
        """``auth.login`` is handled for the connection; every other action for its session, once
        logged in, if the session's role may ask it."""
        if action == "auth.login":
            return state
        session = state.session
        if session is None:
            raise _refuse(ErrorCode.UNAUTHENTICATED, "log in first")
        if session.operator.role not in spec.roles:
            raise _refuse(ErrorCode.FORBIDDEN, f"{action} is not allowed for role {session.operator.role}")
        return session

    def who(self, state: OperatorConnection) -> str:
        return f"session {state.session.id}" if state.session else "a connection not logged in"

    def answered(self, state: OperatorConnection) -> None:
        while state.after_response:
            state.after_response.pop(0)()

    def refused(self, state: OperatorConnection) -> None:
        state.after_response.clear()

    async def disconnected(self, state: OperatorConnection) -> None:
        session = state.session
        if session is not None and session.send_queue is state.send_queue:
            session.send_queue = None
            session.detached_at = time.monotonic()
            self.hub.router.announce(session.operator)   # the other nodes' routing: not connected
        if session is not None and self._states.get(session.id) is state:
            del self._states[session.id]

    # -- auth -----------------------------------------------------------------------------------------

    async def _auth_login(self, state: OperatorConnection, login: LoginRequest) -> LoginResponse:
        hub = self.hub
        if state.session is not None:
            raise _refuse(ErrorCode.BAD_REQUEST, "already logged in")
        if login.token is not None:
            token = login.token
            digest = auth.token_digest(token)
            operator = await hub.db.call(repository.operator_by_token, digest, now_ts())
            if operator is None:
                raise _refuse(ErrorCode.INVALID_CREDENTIALS, "the token is unknown, revoked or expired")
        else:
            username, password = login.username or "", login.password or ""
            wait = self.limiter.locked_for(username, state.address)
            if wait > 0:
                raise _refuse(ErrorCode.RATE_LIMITED, f"too many failed logins: try again in {wait:.0f} s")
            # Counted as failed until the password is verified: the check below yields to the event loop,
            # and guesses sent at once on many connections must not all pass the limit above meanwhile.
            self.limiter.record_attempt(username, state.address)
            hub.cluster.login_attempted(username, state.address, succeeded=False)
            stored = await hub.db.call(repository.operator_by_username, username)
            verified = await asyncio.to_thread(
                auth.verify_password, stored.password_hash if stored else None, password
            )
            if not verified or stored is None:
                raise _refuse(ErrorCode.INVALID_CREDENTIALS, "wrong username or password")
            self.limiter.record_success(username, state.address)
            hub.cluster.login_attempted(username, state.address, succeeded=True)
            operator = stored.info
            token = auth.new_token()
            digest = auth.token_digest(token)
            now = datetime.now(UTC)
            expires = format_ts(now + timedelta(seconds=hub.settings.token_lifetime))
            await hub.db.call(repository.store_token, digest, operator.id, format_ts(now), expires)
        if state.send_queue.closed:
            raise _refuse(ErrorCode.UNAUTHENTICATED, "the login deadline passed")

        resumed = False
        session = None
        if login.resume is not None:
            candidate = hub.sessions.get(login.resume.session_id)
            if (
                candidate is not None
                and candidate.operator.id == operator.id
                and candidate.can_replay_after(login.resume.last_seq)
            ):
                session, resumed = candidate, True
        if session is None:
            session = OperatorSession(id=new_id("s"), operator=operator, token_digest=digest)
            hub.sessions[session.id] = session
        elif session.send_queue is not None and session.send_queue is not state.send_queue:
            session.send_queue.close_after(1000, "resumed elsewhere")
        session.token_digest = digest
        response = LoginResponse(
            session_id=session.id,
            token=token,
            operator=operator,
            resumed=resumed,
            server=ServerInfo(name=hub.config.name, version=hub.server_version),
        )
        # The other nodes hear of the sign-in before it is answered (their routing, colleague lists and
        # widgets: docs/scaling.md, "Read what was answered").
        hub.router.announce(operator, attaching=session)
        await hub.cluster.told()
        # The response, then the replayed pushes, then new ones: all queued after the response without
        # an await in between, so nothing can slip in out of order.
        last_seq = login.resume.last_seq if resumed and login.resume is not None else None
        state.session = session
        state.after_response.append(lambda: self._attach(state, session, last_seq))
        return response

    async def _auth_logout(self, session: OperatorSession, _: Empty) -> Empty:
        await self.hub.db.call(repository.revoke_token, session.token_digest)
        for other in list(self.hub.sessions.values()):
            if other.token_digest == session.token_digest and other is not session:
                self.hub.end_session(other, "logged out", "never")
        state = self._states.get(session.id)
        if state is not None:
            state.after_response.append(lambda: self.hub.end_session(session, "logged out", "never"))
        else:
            self.hub.end_session(session, "logged out", "never")
        return Empty()

    def _attach(self, state: OperatorConnection, session: OperatorSession, last_seq: int | None) -> None:
        session.send_queue = state.send_queue
        session.detached_at = None
        self._states[session.id] = state
        if last_seq is not None:
            for frame in session.replay.frames_after(last_seq):
                state.send_queue.send(frame)

    async def _ping(self, session: OperatorSession, _: Empty) -> Empty:
        return Empty()

    # -- visitors and notices -------------------------------------------------------------------------

    async def _visitors_subscribe(
        self, session: OperatorSession, payload: VisitorsPageRequest
    ) -> VisitorsResponse:
        await self._caught_up_on()
        # Subscribed and first page read in one loop step: every change after this page is pushed.
        session.subscribed = True
        if payload.is_feed:
            self.hub.feeds.subscribe(session, payload.filter, payload.coalesce_ms)
        else:
            self.hub.feeds.unsubscribe(session)
        return self._visitors_page(session, None, payload.limit)

    async def _visitors_list(
        self, session: OperatorSession, payload: VisitorsListRequest
    ) -> VisitorsResponse:
        return self._visitors_page(session, payload.cursor, payload.limit)

    def _visitors_page(self, session: OperatorSession, after: str | None, limit: int) -> VisitorsResponse:
        """Visitors online in id order, after the cursor (the last id of the previous page): at most
        ``limit``, and at most ``VISITOR_PAGE_BYTES`` of them encoded, so a page never nears the frame
        limit however long its URLs and titles. Each page is read when it is asked for: a visitor
        present throughout is in exactly one page, one who arrives behind the cursor comes only as a
        push, and a page is never older than the pushes the session received before it. A feed's
        pages hold only the visitors it lets through, who are then in its view."""
        visitors = self.hub.visitors
        after = after or ""  # every id sorts after ""
        left = VisitorState.LEFT
        feed = session.feed
        candidates = (vid for vid, v in visitors.items()
                      if vid > after and v.state is not left and (feed is None or feed.matches(v)))
        ids = heapq.nsmallest(limit + 1, candidates)
        page: list[Visitor] = []
        size = 0
        for vid in ids[:limit]:
            view = visitors[vid].operator_view()
            size += len(_json.encode(view)) + 1
            if page and size > VISITOR_PAGE_BYTES:
                break
            page.append(view)
            if feed is not None:
                feed.take_in(vid)
        more = len(page) < len(ids)
        return VisitorsResponse(visitors=tuple(page), next_cursor=page[-1].id if more and page else None)

    async def _notices_list(self, session: OperatorSession, _: Empty) -> NoticesResponse:
        return NoticesResponse(notices=tuple(sorted(self.hub.latest_notices.values(), key=lambda n: n.id)))

    # -- chats ----------------------------------------------------------------------------------------

    async def _chats_list(self, session: OperatorSession, payload: ChatsListRequest) -> ChatsResponse:
        """Waiting chats and the caller's active ones, by start, in pages (each read when asked for,
        like the visitor snapshot's: a chat that starts behind the cursor comes as a push)."""
        if payload.cursor is None:
            await self._caught_up_on()
        scope = f"chats:{session.operator.id}"
        position = self.hub.cursors.read(scope, payload.cursor) if payload.cursor else None
        mine = session.operator.id
        chats = sorted(
            (
                c.chat
                for c in self.hub.chats.values()
                if c.chat.state is ChatState.WAITING or c.chat.operator_id == mine
            ),
            key=lambda chat: (chat.started_at, chat.id),
        )

        def after(_conn: Any, _of: str, key: Any, limit: int) -> list[tuple[Any, Chat]]:
            found = [c for c in chats if key is None or [c.started_at, c.id] > key]
            return [([c.started_at, c.id], c) for c in found[:limit]]

        sections = (paging.Section("chats", after, mine),)
        page, following = paging.read_page(None, sections, position, limit=payload.limit)
        cursor = self.hub.cursors.make(scope, following) if following is not None else None
        return ChatsResponse(chats=tuple(page.get("chats", ())), next_cursor=cursor)

    def _live_chat(self, chat_id: str) -> LiveChat:
        live_chat = self.hub.chats.get(chat_id)
        if live_chat is None:
            raise _refuse(ErrorCode.NOT_FOUND, "no open chat with that id")
        return live_chat

    def _own_chat(self, session: OperatorSession, chat_id: str) -> LiveChat:
        live_chat = self._live_chat(chat_id)
        if live_chat.chat.operator_id != session.operator.id:
            raise _refuse(ErrorCode.CONFLICT, "accept the chat first: it is not yours")
        return live_chat

    async def _caught_up_on(self, chat_id: str | None = None) -> None:
        """Of several nodes: before this node says a chat is not open (or lists what is), it reads the
        bus up to now, so that what another node answered ok before (a chat started there) is here.
        Bounded: a bus that does not answer costs the request a second, not its answer."""
        if chat_id is None or chat_id not in self.hub.chats:
            await self.hub.cluster.caught_up()

    async def _chat_accept(self, session: OperatorSession, payload: ChatRef) -> ChatWithMessages:
        hub = self.hub
        await self._caught_up_on(payload.chat_id)
        live_chat = self._live_chat(payload.chat_id)
        async with hub.changes.about(live_chat.chat.visitor_id) as change:
            live_chat = self._live_chat(payload.chat_id)  # closed while we waited?
            chat = live_chat.chat
            if chat.state is ChatState.ACTIVE and chat.operator_id != session.operator.id:
                raise _refuse(ErrorCode.CONFLICT, "another operator has this chat")
            if chat.state is ChatState.WAITING:
                if not hub.router.may_take(session.operator):
                    limit = hub.router.limit_of(session.operator)
                    raise _refuse(ErrorCode.CHAT_LIMIT_REACHED,
                                  f"you have {limit} chats open, your limit: end one first")
                if not hub.bus.alone:
                    # Another node's operator may be accepting it at this moment: one claim wins.
                    holder = await hub.bus.claim(f"accept:{chat.id}", session.operator.id,
                                                 ACCEPT_CLAIM_SECONDS)
                    if holder != session.operator.id:
                        raise _refuse(ErrorCode.CONFLICT, "another operator has this chat")
                    live_chat = self._live_chat(payload.chat_id)  # closed while we claimed?
                chat = msgspec.structs.replace(chat, state=ChatState.ACTIVE, operator_id=session.operator.id)
                change.write(repository.save_chat, chat, now_ts())
                await change.stored()
                hub.chat_changed(live_chat, chat)
                hub.router.chat_settled(chat.id)
                visitor = hub.visitors.get(chat.visitor_id)
                if visitor is not None:
                    visitor.state = VisitorState.CHATTING
                    hub.push_to_visitor(visitor, "chat.updated", ChatUpdated(chat=chat))
                    hub.upsert_visitor(visitor)
        messages, next_cursor = await self._message_page(chat.id, None)
        return ChatWithMessages(chat=chat, messages=messages, next_cursor=next_cursor)

    async def _chat_history(
        self, session: OperatorSession, payload: ChatHistoryRequest
    ) -> ChatHistoryResponse:
        """The next page of the messages of one's own chat (open or closed), after ``chat.accept``, or of a
        chat the session observes, after ``chat.observe``."""
        position = self.hub.cursors.read(payload.chat_id, payload.cursor)
        chat = await self.hub.db.call(repository.chat_by_id, payload.chat_id)
        if chat is None:
            raise _refuse(ErrorCode.NOT_FOUND, "no chat with that id")
        if chat.operator_id != session.operator.id and chat.id not in session.observing:
            raise _refuse(ErrorCode.FORBIDDEN, "chat.history reads one's own chats: use transcripts.get")
        messages, next_cursor = await self._message_page(chat.id, position)
        return ChatHistoryResponse(messages=messages, next_cursor=next_cursor)

    async def _message_page(self, chat_id: str, position: Any) -> tuple[tuple[Message, ...], str | None]:
        sections = (paging.Section("messages", repository.messages_after, chat_id),)
        page, following = await self.hub.db.call(paging.read_page, sections, position)
        cursor = self.hub.cursors.make(chat_id, following) if following is not None else None
        return tuple(page.get("messages", ())), cursor

    async def _chat_send(self, session: OperatorSession, payload: OperatorSendRequest) -> MessageResponse:
        hub = self.hub
        await self._caught_up_on(payload.chat_id)
        live_chat = self._own_chat(session, payload.chat_id)
        async with hub.changes.about(live_chat.chat.visitor_id) as change:
            live_chat = self._own_chat(session, payload.chat_id)
            existing = live_chat.sent.get((Author.OPERATOR.value, payload.client_msg_id))
            if existing is not None:
                return MessageResponse(message=existing)
            message = Message(
                id=new_id("m"),
                chat_id=live_chat.chat.id,
                client_msg_id=payload.client_msg_id,
                author=Author.OPERATOR,
                author_name=session.operator.name,
                text=hub.masker.mask(payload.text),   # an operator's message is stored masked too
                at=hub.message_time(live_chat),
            )
            stored = change.write(repository.add_message, message)
            await change.stored()
            message = stored.result()  # the message first stored with this client id, if it was resent
            if hub.chats.get(live_chat.chat.id) is live_chat:
                # The visitor and the operator's other sessions (another device) hear of it; the sender
                # has the response.
                hub.message_stored(live_chat, message, sender=session)
        return MessageResponse(message=message)

    async def _chat_typing(self, session: OperatorSession, payload: OperatorTypingRequest) -> Empty:
        await self._caught_up_on(payload.chat_id)
        live_chat = self._own_chat(session, payload.chat_id)
        visitor = self.hub.visitors.get(live_chat.chat.visitor_id)
        if visitor is not None:
            self.hub.push_to_visitor(visitor, "chat.typing", VisitorTypingPush(typing=payload.typing))
        return Empty()

    async def _chat_close(self, session: OperatorSession, payload: ChatRef) -> Empty:
        hub = self.hub
        await self._caught_up_on(payload.chat_id)
        live_chat = self._live_chat(payload.chat_id)
        async with hub.changes.about(live_chat.chat.visitor_id) as change:
            live_chat = self._live_chat(payload.chat_id)
            owner = live_chat.chat.operator_id
            if owner is not None and owner != session.operator.id and session.operator.role is Role.OPERATOR:
                raise _refuse(ErrorCode.CONFLICT, "another operator has this chat")
            closed = hub.closed(live_chat.chat)
            change.write(repository.save_chat, closed)
            await change.stored()
            hub.chat_closed(live_chat, closed)
        return Empty()

    async def _details_request(
        self, session: OperatorSession, payload: DetailsRequestRequest
    ) -> DetailsRequestResponse:
        hub = self.hub
        await self._caught_up_on(payload.chat_id)
        live_chat = self._own_chat(session, payload.chat_id)
        notice = hub.notice_versions.get((payload.notice_id, payload.notice_version))
        if notice is None:
            raise _refuse(ErrorCode.NOT_FOUND, "no notice with that id and version")
        if Purpose.CONTACT_DETAILS not in notice.purposes:
            raise _refuse(ErrorCode.BAD_REQUEST, "the notice does not cover contact_details")
        unknown = sorted(set(payload.fields) - set(hub.config.detail_fields))
        if unknown:
            raise _refuse(ErrorCode.BAD_REQUEST, f"unknown detail fields: {', '.join(unknown)}")
        async with hub.changes.about(live_chat.chat.visitor_id) as change:
            live_chat = self._own_chat(session, payload.chat_id)
            visitor = hub.visitors.get(live_chat.chat.visitor_id)
            if visitor is None:
                raise _refuse(ErrorCode.CONFLICT, "the visitor is not connected")
            fields = tuple(dict.fromkeys(payload.fields))
            record = DetailRecord(
                request_id=new_id("d"),
                chat_id=live_chat.chat.id,
                fields=fields,
                purpose=Purpose.CONTACT_DETAILS,
                notice_id=notice.id,
                notice_version=notice.version,
                requested_at=now_ts(),
                status="pending",
            )
            change.write(repository.add_detail_request, record, session.operator.id)
            await change.stored()
            live_chat.pending_details[record.request_id] = fields
            hub.push_to_visitor(
                visitor,
                "details.requested",
                DetailsRequested(request_id=record.request_id, notice=notice, fields=fields),
            )
        return DetailsRequestResponse(request_id=record.request_id)

    # -- transcripts ----------------------------------------------------------------------------------

    async def _transcripts_search(
        self, session: OperatorSession, payload: TranscriptsSearchRequest
    ) -> TranscriptsSearchResponse:
        operator = session.operator
        if operator.role is Role.OPERATOR:
            # An operator searches their own chats only.
            if payload.operator_id not in (None, operator.id):
                raise _refuse(ErrorCode.FORBIDDEN, "operators may search only their own transcripts")
            payload = msgspec.structs.replace(payload, operator_id=operator.id)
        try:
            found = await self.hub.db.call(transcript_search.search, payload)
        except transcript_search.BadCursor:
            raise _refuse(ErrorCode.BAD_REQUEST, "cursor is not one this server gave") from None
        return TranscriptsSearchResponse(chats=tuple(found.chats), next_cursor=found.next_cursor)

    async def _transcripts_get(
        self, session: OperatorSession, payload: TranscriptRequest
    ) -> TranscriptResponse:
        """A transcript in pages (messages, then consents, then details). The first page writes the audit
        entry, in the transaction that reads it: a transcript is answered only once its view is recorded.
        Later pages need the (signed) cursor the first gave."""
        operator = session.operator
        chat_id = payload.chat_id
        position = self.hub.cursors.read(chat_id, payload.cursor) if payload.cursor else None

        def read(conn: Any) -> Any:
            chat = repository.chat_by_id(conn, chat_id)
            if chat is None or (operator.role is Role.OPERATOR and chat.operator_id != operator.id):
                return chat
            if position is None:
                detail = {"chat_id": chat.id}
                repository.audit(conn, now_ts(), operator.id, "transcripts.get", chat.visitor_id, detail)
            sections = (
                paging.Section("messages", repository.messages_after, chat_id),
                paging.Section("consents", repository.consents_after, chat.visitor_id),
                paging.Section("details", repository.details_after, chat_id),
            )
            return chat, *paging.read_page(conn, sections, position), repository.consent_window(conn, chat_id)

        found = await self.hub.db.call(read)
        if found is None:
            raise _refuse(ErrorCode.NOT_FOUND, "no chat with that id")
        if not isinstance(found, tuple):
            raise _refuse(ErrorCode.FORBIDDEN, "operators may read only their own transcripts")
        chat, page, following, (seq_at_start, seq_at_close) = found
        return TranscriptResponse(
            chat=chat,
            messages=tuple(page.get("messages", ())),
            consents=tuple(page.get("consents", ())),
            details=tuple(page.get("details", ())),
            next_cursor=self.hub.cursors.make(chat_id, following) if following is not None else None,
            consent_seq_at_start=seq_at_start,
            consent_seq_at_close=seq_at_close,
        )

    # -- subjects and audit ---------------------------------------------------------------------------

    async def _subjects_find(
        self, session: OperatorSession, payload: SubjectsFindRequest
    ) -> SubjectsFindResponse:
        found = await self.hub.db.call(subjects.find, payload.query)
        return SubjectsFindResponse(subjects=tuple(found))

    async def _subjects_export(
        self, session: OperatorSession, payload: SubjectsExportRequest
    ) -> SubjectsExportResponse:
        """An export in pages (docs/protocol.md §7); the first page writes the audit entry in the
        transaction that reads it."""
        visitor_id, actor = payload.visitor_id, session.operator.id
        position = self.hub.cursors.read(visitor_id, payload.cursor) if payload.cursor else None
        needs_approval = self.hub.config.approvals.needed_for("subjects.export")

        def approved_and_recorded(conn: Any, visitor_id: str) -> dict[str, Any] | None:
            # Where exports need four eyes, the first page spends an approval; for a case, it is a step.
            now = now_ts()
            if needs_approval:
                approvals.use_export(conn, payload.approval_id, visitor_id, actor, now)
            if payload.case_id is None:
                return None
            cases.exported(conn, payload.case_id, visitor_id, actor, now)
            return {"case_id": payload.case_id}

        found = await self.hub.db.call(subjects.export_page, visitor_id, position, actor,
                                       approved_and_recorded)
        if found is None:
            raise _refuse(ErrorCode.NOT_FOUND, "nothing is stored about that visitor id")
        document, following = found
        if position is None:
            document["processing"] = subjects.processing(self.hub.config)
        cursor = self.hub.cursors.make(visitor_id, following) if following is not None else None
        return SubjectsExportResponse(export=document, next_cursor=cursor)

    async def _subjects_erase(
        self, session: OperatorSession, payload: SubjectsEraseRequest
    ) -> SubjectsEraseResponse:
        if self.hub.config.approvals.needed_for("subjects.erase"):
            raise _refuse(ErrorCode.APPROVAL_REQUIRED,
                          "this site erases only with a second supervisor's approval: approvals.request")
        counts = await subjects.erase_subject(
            self.hub, payload.visitor_id, session.operator.id, payload.reason
        )
        if counts is None:
            raise _refuse(ErrorCode.NOT_FOUND, "nothing is stored about that visitor id")
        return SubjectsEraseResponse(erased=counts)

    # -- webhooks (docs/webhooks.md) ------------------------------------------------------------------

    async def _webhooks_deliveries(
        self, session: OperatorSession, payload: WebhookDeliveriesRequest
    ) -> WebhookDeliveriesResponse:
        # By default what is not confirmed yet; for one erasure, every receiver's event whatever its state.
        states = payload.states or (DELIVERY_STATES if payload.erasure is not None else ("dead", "pending"))
        found, next_after = await self.hub.db.call(webhook_outbox.deliveries, states, payload.limit,
                                                   payload.after, payload.erasure)
        queues = await self.hub.db.call(webhook_outbox.queues, self.hub.config.webhooks)
        return WebhookDeliveriesResponse(deliveries=tuple(found), next_after=next_after, queues=tuple(queues))

    async def _webhooks_retry(self, session: OperatorSession, payload: WebhookDeliveryRef) -> Empty:
        return await self._decide_delivery(session, payload.delivery, "retry")

    async def _webhooks_drop(self, session: OperatorSession, payload: WebhookDeliveryRef) -> Empty:
        return await self._decide_delivery(session, payload.delivery, "drop")

    async def _decide_delivery(self, session: OperatorSession, delivery: int, action: str) -> Empty:
        try:
            await self.hub.db.call(webhook_commands.decide, delivery, action, session.operator.id, {})
        except webhook_commands.WebhookCommandError as exc:
            raise _refuse(ErrorCode.NOT_FOUND, str(exc)) from exc
        if self.hub.webhooks is not None:
            self.hub.webhooks.wake_receivers()
        return Empty()

    async def _subjects_erased_since(
        self, session: OperatorSession, payload: ErasedSinceRequest
    ) -> ErasedSinceResponse:
        # Every desk asks, whatever its role: every desk's cache must follow every erasure.
        return await self.hub.db.call(journal.erased_since, payload.cursor, payload.limit)

    async def _audit_list(self, session: OperatorSession, payload: AuditListRequest) -> AuditListResponse:
        before = None
        if payload.cursor is not None:
            if not payload.cursor.isdigit() or int(payload.cursor) >= repository.MAX_AUDIT_CURSOR:
                raise _refuse(ErrorCode.BAD_REQUEST, "cursor is not one this server gave")
            before = int(payload.cursor)
        entries, following = await self.hub.db.call(
            functools.partial(
                repository.audit_page,
                since=payload.since,
                until=payload.until,
                action=payload.action,
                actor=payload.actor,
                before=before,
                limit=payload.limit,
            )
        )
        return AuditListResponse(
            entries=tuple(entries), next_cursor=str(following) if following is not None else None
        )

    async def _audit_report(self, session: OperatorSession, payload: AuditReportRequest) -> Empty:
        """Transcripts the caller read from their desk's cache, written to the audit log as
        ``transcripts.read_cached`` (subject: the chat's visitor, while the server still has the chat)."""
        actor, at = session.operator.id, now_ts()

        def record(conn: Any) -> None:
            for view in payload.views:
                chat = repository.chat_by_id(conn, view.chat_id)
                repository.audit(conn, at, actor, "transcripts.read_cached",
                                 chat.visitor_id if chat is not None else None,
                                 {"chat_id": view.chat_id, "read_at": view.at})

        await self.hub.db.call(record)
        return Empty()

    # -- reviews, the team, reports, observing --------------------------------------------------------

    async def _reviews_add(self, session: OperatorSession, payload: ReviewAddRequest) -> ReviewResponse:
        operator = session.operator
        review = Review(
            id=new_id("rv"),
            chat_id=payload.chat_id,
            author_id=operator.id,
            author_name=operator.name,
            rating=payload.rating,
            note=payload.note.strip(),
            at=now_ts(),
        )
        refused = await self.hub.db.call(reviews.add, review)
        if refused == "not_found":
            raise _refuse(ErrorCode.NOT_FOUND, "no chat with that id")
        if refused == "full":
            raise _refuse(ErrorCode.CONFLICT, f"a chat keeps at most {reviews.MAX_PER_CHAT} reviews")
        return ReviewResponse(review=review)

    async def _reviews_list(self, session: OperatorSession, payload: ReviewsListRequest) -> ReviewsResponse:
        chat_id = payload.chat_id
        position = self.hub.cursors.read("reviews:" + chat_id, payload.cursor) if payload.cursor else None
        sections = (paging.Section("reviews", reviews.reviews_after, chat_id),)
        page, following = await self.hub.db.call(paging.read_page, sections, position)
        return ReviewsResponse(
            reviews=tuple(page.get("reviews", ())),
            next_cursor=self.hub.cursors.make("reviews:" + chat_id, following) if following is not None
            else None,
        )

    async def _team_status(self, session: OperatorSession, _: Empty) -> TeamStatusResponse:
        accounts = await self.hub.db.call(team_report.accounts)
        return self.hub.team_status(accounts)

    async def _reports_daily(
        self, session: OperatorSession, payload: DailyReportRequest
    ) -> DailyReportResponse:
        names = await self.hub.db.call(repository.operator_names)
        return await self.hub.db.call(team_report.daily_report, payload.bounds, names)

    async def _chat_observe(self, session: OperatorSession, payload: ChatRef) -> ChatWithMessages:
        """Watch a live chat read-only: its messages so far, then its pushes (``chat.message``,
        ``chat.updated``) until it closes or ``chat.unobserve``. Answered once the view is audited."""
        await self._caught_up_on(payload.chat_id)
        live_chat = self._live_chat(payload.chat_id)
        chat = live_chat.chat
        if chat.id not in session.observing and len(session.observing) >= MAX_OBSERVED:
            raise _refuse(ErrorCode.CONFLICT, f"a session observes at most {MAX_OBSERVED} chats")
        detail = {"chat_id": chat.id}
        await self.hub.db.call(repository.audit, now_ts(), session.operator.id, "chat.observe",
                               chat.visitor_id, detail)
        messages, next_cursor = await self._message_page(chat.id, None)
        if self.hub.chats.get(chat.id) is live_chat:   # not closed meanwhile
            # In the same loop step as the page is returned: every later message is pushed.
            session.observing.add(chat.id)
        return ChatWithMessages(chat=live_chat.chat, messages=messages, next_cursor=next_cursor)

    async def _chat_unobserve(self, session: OperatorSession, payload: ChatRef) -> Empty:
        session.observing.discard(payload.chat_id)
        return Empty()

    async def _chat_transfer(self, session: OperatorSession,
                             payload: ChatTransferRequest) -> ChatTransferResponse:
        return await transfer.transfer_chat(self.hub, session, payload)

    # -- earlier chats of a returning visitor (server/earlier_chats.py) -------------------------------

    async def _visitor_earlier_chats(self, session: OperatorSession,
                                     payload: EarlierChatsRequest) -> EarlierChatsResponse:
        return await earlier_chats.list_earlier(self.hub, session, payload)

    async def _visitor_earlier_chat(self, session: OperatorSession,
                                    payload: EarlierChatRequest) -> ChatWithMessages:
        return await earlier_chats.open_earlier(self.hub, session, payload)

    # -- data-subject request cases and approvals -----------------------------------------------------

    async def _cases_open(self, session: OperatorSession, payload: CaseOpenRequest) -> CaseResponse:
        case = await self.hub.db.call(cases.open_case, payload, session.operator.id, now_ts(), date.today())
        return CaseResponse(case=case)

    async def _cases_list(self, session: OperatorSession, payload: CasesListRequest) -> CasesListResponse:
        found, next_cursor = await self.hub.db.call(cases.list_cases, payload.state, payload.limit,
                                                    payload.cursor)
        return CasesListResponse(cases=tuple(found), next_cursor=next_cursor)

    async def _cases_get(self, session: OperatorSession, payload: CaseRef) -> CaseWithSteps:
        def read(conn: Any, case_id: str) -> Any:
            approvals.expire_due(conn, now_ts())
            return cases.case_by_id(conn, case_id), cases.steps_of(conn, case_id)

        case, steps = await self.hub.db.call(read, payload.case_id)
        if case is None:
            raise _refuse(ErrorCode.NOT_FOUND, "no case with that id")
        return CaseWithSteps(case=case, steps=tuple(steps))

    async def _cases_link(self, session: OperatorSession, payload: CaseLinkRequest) -> CaseResponse:
        case = await self.hub.db.call(cases.link, payload.case_id, payload.visitor_id, session.operator.id,
                                      now_ts())
        return CaseResponse(case=case)

    async def _cases_extend(self, session: OperatorSession, payload: CaseExtendRequest) -> CaseResponse:
        case = await self.hub.db.call(cases.extend, payload.case_id, payload.months, payload.reason,
                                      session.operator.id, now_ts())
        return CaseResponse(case=case)

    async def _cases_record(self, session: OperatorSession, payload: CaseRecordRequest) -> CaseStepResponse:
        step = await self.hub.db.call(cases.record, payload.case_id, StepKind(payload.step), payload.note,
                                      payload.sha256, session.operator.id, now_ts())
        return CaseStepResponse(step=step)

    async def _cases_close(self, session: OperatorSession, payload: CaseCloseRequest) -> CaseResponse:
        case = await self.hub.db.call(cases.close, payload.case_id, payload.outcome, payload.note,
                                      session.operator.id, now_ts())
        return CaseResponse(case=case)

    async def _approvals_request(
        self, session: OperatorSession, payload: ApprovalRequest
    ) -> ApprovalResponse:
        approval = await self.hub.db.call(approvals.request, payload, session.operator.id, now_ts(),
                                          self.hub.config.approvals.expire_after_hours)
        return ApprovalResponse(approval=approval)

    async def _approvals_list(
        self, session: OperatorSession, payload: ApprovalsListRequest
    ) -> ApprovalsListResponse:
        policy = self.hub.config.approvals
        found = await self.hub.db.call(approvals.listed, now_ts(), payload.recent_days)
        return ApprovalsListResponse(approvals=tuple(found), required=policy.required,
                                     expires_after_hours=policy.expire_after_hours)

    async def _approvals_decide(self, session: OperatorSession, payload: ApprovalDecision) -> ApprovalDecided:
        actor = session.operator.id
        approval = await self.hub.db.call(approvals.approval_by_id, payload.approval_id)
        if approval is None or approval.action != approvals.ERASE or not payload.approve:
            decided = await self.hub.db.call(approvals.decide, payload.approval_id, payload.approve, actor,
                                             now_ts())
            return ApprovalDecided(approval=decided)
        # Approving an erasure erases at once: checked again, recorded and erased in one transaction.
        await self.hub.db.call(approvals.pending_erasure, payload.approval_id, actor, now_ts())
        counts = await subjects.erase_subject(self.hub, approval.visitor_id, actor, approval.reason,
                                              authorize=approvals.approve_erasure(payload.approval_id, actor))
        if counts is None:
            raise _refuse(ErrorCode.NOT_FOUND, "nothing is stored about that visitor id any more")
        decided = await self.hub.db.call(approvals.approval_by_id, payload.approval_id)
        return ApprovalDecided(approval=decided, erased=counts)


class OperatorConnection(Connection):
    """One operator connection: its session once logged in, and work to run right after the current
    response is queued."""

    __slots__ = ("after_response", "session")

    def __init__(self, send_queue: SendQueue, address: str, budget: Budget) -> None:
        super().__init__(send_queue, address, budget)
        self.session: OperatorSession | None = None
        self.after_response: list[Callable[[], None]] = []


# Where each action of ``OPERATOR_ACTIONS`` (protocol/messages.py) is handled: one entry each, in the
# same order (tests/test_layer_contracts.py holds the two tables, and each handler's payload and
# response types, to each other). A handler is called with the session (``auth.login``: the
# connection; see ``OperatorEndpoint.caller``) and the action's request struct.
OPERATOR_HANDLERS: dict[str, Handler] = {
    "auth.login": OperatorEndpoint._auth_login,
    "auth.logout": OperatorEndpoint._auth_logout,
    "visitors.subscribe": OperatorEndpoint._visitors_subscribe,
    "visitors.list": OperatorEndpoint._visitors_list,
    "notices.list": OperatorEndpoint._notices_list,
    "chats.list": OperatorEndpoint._chats_list,
    "chat.accept": OperatorEndpoint._chat_accept,
    "chat.send": OperatorEndpoint._chat_send,
    "chat.history": OperatorEndpoint._chat_history,
    "chat.typing": OperatorEndpoint._chat_typing,
    "chat.close": OperatorEndpoint._chat_close,
    "details.request": OperatorEndpoint._details_request,
    "transcripts.search": OperatorEndpoint._transcripts_search,
    "transcripts.get": OperatorEndpoint._transcripts_get,
    "subjects.find": OperatorEndpoint._subjects_find,
    "subjects.export": OperatorEndpoint._subjects_export,
    "subjects.erase": OperatorEndpoint._subjects_erase,
    "audit.list": OperatorEndpoint._audit_list,
    "reviews.add": OperatorEndpoint._reviews_add,
    "reviews.list": OperatorEndpoint._reviews_list,
    "team.status": OperatorEndpoint._team_status,
    "reports.daily": OperatorEndpoint._reports_daily,
    "chat.observe": OperatorEndpoint._chat_observe,
    "chat.unobserve": OperatorEndpoint._chat_unobserve,
    "audit.report": OperatorEndpoint._audit_report,
    "subjects.erased_since": OperatorEndpoint._subjects_erased_since,
    "cases.open": OperatorEndpoint._cases_open,
    "cases.list": OperatorEndpoint._cases_list,
    "cases.get": OperatorEndpoint._cases_get,
    "cases.link": OperatorEndpoint._cases_link,
    "cases.extend": OperatorEndpoint._cases_extend,
    "cases.record": OperatorEndpoint._cases_record,
    "cases.close": OperatorEndpoint._cases_close,
    "approvals.request": OperatorEndpoint._approvals_request,
    "approvals.list": OperatorEndpoint._approvals_list,
    "approvals.decide": OperatorEndpoint._approvals_decide,
    "canned.list": TeamActions._canned_list,
    "canned.put": TeamActions._canned_put,
    "canned.delete": TeamActions._canned_delete,
    "presence.set": TeamActions._presence_set,
    "presence.list": TeamActions._presence_list,
    "messages.left": TeamActions._messages_left,
    "team.set_limit": TeamActions._team_set_limit,
    "visitor.earlier_chats": OperatorEndpoint._visitor_earlier_chats,
    "visitor.earlier_chat": OperatorEndpoint._visitor_earlier_chat,
    "chat.transfer": OperatorEndpoint._chat_transfer,
    "webhooks.deliveries": OperatorEndpoint._webhooks_deliveries,
    "webhooks.retry": OperatorEndpoint._webhooks_retry,
    "webhooks.drop": OperatorEndpoint._webhooks_drop,
    "ping": OperatorEndpoint._ping,
}
