"""One valid example payload for every request, response and push of protocol v1.

The round-trip tests check that this covers every entry of the protocol tables, so a message added
without an example fails the suite.
"""

from __future__ import annotations

from operator_desk.domain.cases import (
    Approval,
    ApprovalState,
    CaseState,
    CaseStep,
    IdentityCheck,
    Outcome,
    PersonRef,
    RequestKind,
    StepKind,
    SubjectCase,
)
from operator_desk.domain.consent import notice_digest
from operator_desk.domain.model import (
    Chat,
    ChatState,
    ConsentEvent,
    ConsentMethod,
    Insights,
    Location,
    Message,
    Notice,
    OperatorInfo,
    Page,
    Purpose,
    Role,
    TeamRef,
    Visitor,
    VisitorState,
)
from operator_desk.protocol import messages as m

AT = "2026-11-29T10:00:00.123Z"
BODY = "We keep this chat for 30 days to answer you. Grüße."
NOTICE = Notice(
    id="prechat", version=2, language="en", title="Before we chat", body=BODY,
    purposes=(Purpose.CHAT, Purpose.VISITOR_INSIGHTS), sha256=notice_digest(BODY),
)
VISITOR = Visitor(
    id="v-1", state=VisitorState.CHATTING, page=Page(url="https://shop.example/", title="Shop"),
    pages_viewed=2, on_site_since=AT, name="Ada", email="ada@example.org",
    insights=Insights(ip="203.0.113.9", location=Location(country="Germany", country_code="DE",
                                                         city="Berlin"),
                      company="Example GmbH", visits=3, first_seen=AT),
    language="de-DE",
)
CHAT = Chat(id="c-1", visitor_id="v-1", state=ChatState.ACTIVE, operator_id="op-1", started_at=AT)
MESSAGE = Message(id="m-1", chat_id="c-1", client_msg_id="k-1", author="operator",
                  author_name="Sam", text="<b>hello</b>", at=AT)
CONSENT = ConsentEvent(id="ce-1", visitor_id="v-1", purpose=Purpose.CHAT, granted=True,
                       notice_id="prechat", notice_version=2, method=ConsentMethod.PRECHAT_FORM, at=AT)
DETAIL = m.DetailRecord(request_id="r-1", chat_id="c-1", fields=("phone",), purpose=Purpose.CONTACT_DETAILS,
                        notice_id="details", notice_version=1, requested_at=AT, status="received",
                        values={"phone": "+49 30 1234567"}, answered_at=AT)
SAM = PersonRef(id="op-1", name="Sam")
CASE = SubjectCase(id="case-1", kind=RequestKind.ACCESS, state=CaseState.CLOSED, received_on="2026-11-02",
                   due_on="2027-01-02", extended_months=1, extension_reason="Many requests",
                   identity_check=IdentityCheck.EMAIL_ON_RECORD, reference="ticket 812", visitor_id="v-1",
                   subject_name="Ada", subject_email="ada@example.org", opened_by=SAM, opened_at=AT,
                   closed_at=AT, outcome=Outcome.FULFILLED)
STEP = CaseStep(seq=3, at=AT, step=StepKind.BUNDLE_WRITTEN, actor=SAM, detail={"sha256": "ab" * 32})
APPROVAL = Approval(id="appr-1", action="subjects.erase", case_id="case-1", visitor_id="v-1",
                    reason="Art. 17", state=ApprovalState.APPROVED, requested_by=SAM, requested_at=AT,
                    expires_at=AT, decided_by=PersonRef(id="op-2", name="Dana"), decided_at=AT)

TEAM = TeamRef(id="support", name="Support")
PRESENCE = m.OperatorPresence(operator=OperatorInfo(id="op-1", name="Sam", role=Role.OPERATOR, team=TEAM),
                              status="busy", open_chats=2, chat_limit=4)
CANNED = m.TeamCanned(keyword="hours", text="We answer from 8 to 18.", updated_at=AT, updated_by="Lee")
REVIEW = m.Review(id="rv-1", chat_id="c-1", author_id="op-2", author_name="Lee", rating=4,
                  note="Kind and quick.", at=AT)
LEFT = m.LeftMessage(chat=Chat(id="c-2", visitor_id="v-1", state=ChatState.CLOSED, started_at=AT,
                                closed_at=AT, left_message=True),
                     visitor_name="Ada", email="ada@example.com", text="Please call me back.")
OPEN_CHAT = m.OpenChatInfo(chat_id="c-1", visitor_id="v-1", state=ChatState.ACTIVE, operator_id="op-1",
                           started_at=AT)

OPERATOR_REQUESTS = {
    "auth.login": m.LoginRequest(username="sam", password="secret",
                                 resume=m.ResumeInfo(session_id="s-1", last_seq=41),
                                 client=m.ClientInfo(name="operator-desk", version="0.1.0")),
    "auth.logout": m.Empty(),
    "visitors.subscribe": m.VisitorsPageRequest(
        limit=300, coalesce_ms=100,
        filter=m.VisitorFilter(states=(VisitorState.WAITING, VisitorState.CHATTING),
                               page_prefix="https://shop.example/help/", with_chat=True, team="support")),
    "visitors.list": m.VisitorsListRequest(cursor="v-0400"),
    "notices.list": m.Empty(),
    "chats.list": m.ChatsListRequest(cursor="WzAsWyJ0IiwiYyJdXQ.abc", limit=50),
    "chat.accept": m.ChatRef(chat_id="c-1"),
    "chat.send": m.OperatorSendRequest(chat_id="c-1", client_msg_id="k-1", text="Hi!"),
    "chat.history": m.ChatHistoryRequest(chat_id="c-1", cursor="WzAsWyJ0IiwibS0xIl1d.abc"),
    "chat.typing": m.OperatorTypingRequest(chat_id="c-1", typing=True),
    "chat.close": m.ChatRef(chat_id="c-1"),
    "details.request": m.DetailsRequestRequest(chat_id="c-1", notice_id="details", notice_version=1,
                                               fields=("phone", "postal_address")),
    "transcripts.search": m.TranscriptsSearchRequest(text="boots", since=AT, until=AT, visitor="ada",
                                                     state=ChatState.CLOSED, details=True,
                                                     order="most_messages", limit=20),
    "transcripts.get": m.TranscriptRequest(chat_id="c-1", cursor="WzAsbnVsbF0.abc"),
    "subjects.find": m.SubjectsFindRequest(query="ada@example.org"),
    "subjects.export": m.SubjectsExportRequest(visitor_id="v-1"),
    "subjects.erase": m.SubjectsEraseRequest(visitor_id="v-1", reason="Art. 17 request by e-mail"),
    "audit.list": m.AuditListRequest(since=AT, until=AT, action="transcripts.get", actor="op-1", limit=10,
                                     cursor="12345"),
    "cases.open": m.CaseOpenRequest(kind=RequestKind.ERASURE, received_on="2026-11-02",
                                    identity_check=IdentityCheck.DOCUMENT_SEEN, visitor_id="v-1"),
    "cases.list": m.CasesListRequest(state="closed", limit=20, cursor="2026-12-01|case-0"),
    "cases.get": m.CaseRef(case_id="case-1"),
    "cases.link": m.CaseLinkRequest(case_id="case-1", visitor_id="v-1"),
    "cases.extend": m.CaseExtendRequest(case_id="case-1", months=2, reason="Many requests"),
    "cases.record": m.CaseRecordRequest(case_id="case-1", step="bundle_written", sha256="ab" * 32),
    "cases.close": m.CaseCloseRequest(case_id="case-1", outcome=Outcome.NO_DATA, note="nothing held"),
    "approvals.request": m.ApprovalRequest(action="subjects.erase", case_id="case-1", visitor_id="v-1",
                                           reason="Art. 17 request"),
    "approvals.list": m.ApprovalsListRequest(recent_days=3),
    "approvals.decide": m.ApprovalDecision(approval_id="appr-1", approve=True),
    "webhooks.deliveries": m.WebhookDeliveriesRequest(erasure="erased:" + "ab" * 16, after=3, limit=50),
    "webhooks.retry": m.WebhookDeliveryRef(delivery=7),
    "webhooks.drop": m.WebhookDeliveryRef(delivery=8),
    "subjects.erased_since": m.ErasedSinceRequest(cursor="0a1b2c3d4e5f6a7b:12", limit=50),
    "canned.list": m.CannedListRequest(),
    "canned.put": m.CannedPutRequest(team_id="support", keyword="tschüss", text="Tschüss!\nBis bald."),
    "canned.delete": m.CannedDeleteRequest(keyword="tschüss"),
    "presence.set": m.PresenceSetRequest(status="available"),
    "presence.list": m.Empty(),
    "team.set_limit": m.TeamSetLimitRequest(operator_id="op-1", chat_limit=2),
    "messages.left": m.MessagesLeftRequest(limit=20),
    "visitor.earlier_chats": m.EarlierChatsRequest(visitor_id="v-1", cursor="WzAsMV0.abc", limit=10),
    "visitor.earlier_chat": m.EarlierChatRequest(visitor_id="v-1", chat_id="c-0"),
    "chat.transfer": m.ChatTransferRequest(chat_id="c-1", to_operator_id="op-2",
                                           note="Asks about a refund.\nOrder 1234."),
    "reviews.add": m.ReviewAddRequest(chat_id="c-1", rating=4, note="Kind and quick.\nWell done."),
    "reviews.list": m.ReviewsListRequest(chat_id="c-1"),
    "team.status": m.Empty(),
    "reports.daily": m.DailyReportRequest(bounds=("2026-11-22T23:00:00.000Z", "2026-11-23T23:00:00.000Z")),
    "chat.observe": m.ChatRef(chat_id="c-1"),
    "chat.unobserve": m.ChatRef(chat_id="c-1"),
    "audit.report": m.AuditReportRequest(views=(m.CachedView(chat_id="c-1", at=AT),)),
    "ping": m.Empty(),
}

OPERATOR_RESPONSES = {
    "auth.login": m.LoginResponse(session_id="s-1", token="t" * 43,
                                  operator=OperatorInfo(id="op-1", name="Sam", role=Role.SUPERVISOR,
                                                        team=TEAM),
                                  resumed=False, server=m.ServerInfo(name="operator-desk-server",
                                                                     version="0.1.0")),
    "auth.logout": m.Empty(),
    "visitors.subscribe": m.VisitorsResponse(visitors=(VISITOR,), next_cursor="v-1"),
    "visitors.list": m.VisitorsResponse(visitors=(VISITOR,)),
    "notices.list": m.NoticesResponse(notices=(NOTICE,)),
    "chats.list": m.ChatsResponse(chats=(CHAT,), next_cursor="WzAsWyJ0IiwiYyJdXQ.abc"),
    "chat.accept": m.ChatWithMessages(chat=CHAT, messages=(MESSAGE,), next_cursor="WzAsWyJ0IiwibS0xIl1d.abc"),
    "chat.history": m.ChatHistoryResponse(messages=(MESSAGE,)),
    "chat.send": m.MessageResponse(message=MESSAGE),
    "chat.typing": m.Empty(),
    "chat.close": m.Empty(),
    "details.request": m.DetailsRequestResponse(request_id="r-1"),
    "transcripts.search": m.TranscriptsSearchResponse(
        chats=(m.TranscriptSummary(id="c-1", visitor_id="v-1", state="closed", started_at=AT,
                                   operator_name="Sam", visitor_name="Ada", message_count=4,
                                   snippet="…my boots are too small", highlights=((4, 9),),
                                   details_collected=True),),
        next_cursor="abc"),
    "transcripts.get": m.TranscriptResponse(chat=CHAT, messages=(MESSAGE,), consents=(CONSENT,),
                                            details=(DETAIL,), consent_seq_at_start=3,
                                            consent_seq_at_close=5),
    "subjects.find": m.SubjectsFindResponse(subjects=(m.SubjectSummary(
        visitor_id="v-1", name="Ada", chats=1, last_seen=AT,
        receivers=(m.SubjectReceiver(receiver="crm", purposes=(Purpose.CHAT,), unconfirmed=1),)),)),
    "subjects.export": m.SubjectsExportResponse(export={"visitor": {"id": "v-1"}, "chats": []},
                                                next_cursor="WzEsMl0.abc"),
    "subjects.erase": m.SubjectsEraseResponse(erased=m.ErasedCounts(chats=1, messages=4, consents=2,
                                                                    details=1)),
    "audit.list": m.AuditListResponse(entries=(m.AuditEntry(at=AT, actor="op-1", action="subjects.export",
                                                            subject="v-1", actor_name="Sam"),),
                                      next_cursor="12340"),
    "cases.open": m.CaseResponse(case=CASE),
    "cases.list": m.CasesListResponse(cases=(CASE,), next_cursor="2027-01-02|case-1"),
    "cases.get": m.CaseWithSteps(case=CASE, steps=(STEP,)),
    "cases.link": m.CaseResponse(case=CASE),
    "cases.extend": m.CaseResponse(case=CASE),
    "cases.record": m.CaseStepResponse(step=STEP),
    "cases.close": m.CaseResponse(case=CASE),
    "approvals.request": m.ApprovalResponse(approval=APPROVAL),
    "approvals.list": m.ApprovalsListResponse(approvals=(APPROVAL,), required=("subjects.erase",),
                                              expires_after_hours=168),
    "approvals.decide": m.ApprovalDecided(approval=APPROVAL, erased=m.ErasedCounts(
        chats=1, messages=4, consents=2, details=1, unconfirmed_receivers=("crm", "newsletter"))),
    "webhooks.deliveries": m.WebhookDeliveriesResponse(deliveries=(
        m.WebhookDelivery(id=7, event_id="evt_" + "0f" * 16, receiver="crm", type="subject.erased",
                          state="delivered", attempts=2, created_at=AT, delivered_at=AT,
                          erasure="erased:" + "ab" * 16),
        m.WebhookDelivery(id=8, event_id="evt_" + "1e" * 16, receiver="crm", type="chat.ended", state="dead",
                          attempts=1, last_error="HTTP 401", created_at=AT)), next_after=8),
    "webhooks.retry": m.Empty(),
    "webhooks.drop": m.Empty(),
    "subjects.erased_since": m.ErasedSinceResponse(
        erasures=(m.Erasure(seq=13, at=AT, cause="erasure", subject="ab" * 32, chats=("01" * 32,)),
                  m.Erasure(seq=14, at=AT, cause="retention", chats=("02" * 32, "03" * 32))),
        next_cursor="0a1b2c3d4e5f6a7b:14", more=True, subject_key="cd" * 32),
    "canned.list": m.CannedListResponse(team=TEAM, responses=(CANNED,)),
    "canned.put": m.CannedPutResponse(response=CANNED),
    "canned.delete": m.Empty(),
    "presence.set": m.Empty(),
    "presence.list": m.PresenceListResponse(operators=(PRESENCE,)),
    "team.set_limit": m.Empty(),
    "messages.left": m.MessagesLeftResponse(messages=(LEFT,), next_cursor=None),
    "visitor.earlier_chats": m.EarlierChatsResponse(
        chats=(m.EarlierChat(chat_id="c-0", started_at=AT, closed_at=AT, operator_name="Sam",
                             first_line="Do the boots come in 44?"),),
        next_cursor="WzAsMV0.abc"),
    "visitor.earlier_chat": m.ChatWithMessages(chat=CHAT, messages=(MESSAGE,), next_cursor=None),
    "chat.transfer": m.ChatTransferResponse(chat=CHAT),
    "reviews.add": m.ReviewResponse(review=REVIEW),
    "reviews.list": m.ReviewsResponse(reviews=(REVIEW,), next_cursor="WzAsMV0.abc"),
    "team.status": m.TeamStatusResponse(
        at=AT,
        operators=(m.TeamMember(id="op-1", name="Sam", role=Role.OPERATOR, sessions=1,
                                open_chats=(OPEN_CHAT,)),
                   m.TeamMember(id="op-2", name="Lee", role=Role.TEAM_LEAD)),
        queue=m.QueueInfo(waiting=1, chats=(m.OpenChatInfo(chat_id="c-2", visitor_id="v-2",
                                                            state=ChatState.WAITING, started_at=AT),))),
    "reports.daily": m.DailyReportResponse(
        days=(m.DayFigures(start="2026-11-22T23:00:00.000Z", chats=12, accepted=10, missed=2, messages=140,
                           accept_p50=21.5, accept_p95=95.0, length_p50=300.0, length_p95=1200.25),),
        operators=(m.OperatorFigures(operator_id="op-1", name="Sam", chats=10, accepted=10, messages=140,
                                     accept_p50=21.5, accept_p95=95.0),),
        total=m.Figures(chats=12, accepted=10, missed=2, messages=140)),
    "chat.observe": m.ChatWithMessages(chat=CHAT, messages=(MESSAGE,)),
    "chat.unobserve": m.Empty(),
    "audit.report": m.Empty(),
    "ping": m.Empty(),
}

OPERATOR_PUSHES = {
    "visitor.upsert": m.VisitorUpsert(visitor=VISITOR),
    "visitor.left": m.VisitorLeft(visitor_id="v-1"),
    "visitors.feed": m.VisitorFeed(visitors=(VISITOR,), unmatched=("v-2",)),
    "chat.incoming": m.ChatIncoming(chat=CHAT, visitor=VISITOR),
    "chat.updated": m.ChatUpdated(chat=CHAT),
    "chat.message": m.ChatMessagePush(chat_id="c-1", message=MESSAGE),
    "chat.typing": m.OperatorTypingPush(chat_id="c-1", typing=True, preview="I need my ord"),
    "consent.changed": m.ConsentChanged(visitor_id="v-1", consent=CONSENT),
    "details.received": m.DetailsReceived(chat_id="c-1", request_id="r-1", fields={"phone": "+49 30 1"}),
    "details.declined": m.DetailsDeclined(chat_id="c-1", request_id="r-1"),
    "subject.erased": m.SubjectErased(visitor_id="v-1", chat_ids=("c-1",)),
    "session.closing": m.SessionClosing(reason="server shutting down", reconnect="backoff"),
    "canned.changed": m.CannedChanged(team_id="support", keyword="hours", response=CANNED),
    "presence.changed": PRESENCE,
    "chat.offered": m.ChatOffered(chat_id="c-1", expires_at=AT, seconds=20.0),
    "message.left": LEFT,
    "chat.transferred": m.ChatTransferred(
        chat=CHAT, visitor=VISITOR, from_operator=OperatorInfo(id="op-2", name="Lee", role=Role.TEAM_LEAD),
        note="Asks about a refund.", consents=(CONSENT,)),
}

VISITOR_REQUESTS = {
    "visitor.hello": m.HelloRequest(visitor_token="vt-1", language="de-DE",
                                    page=Page(url="https://shop.example/", title="Shop")),
    "visitor.page": m.PageRequest(url="https://shop.example/boots", title="Boots"),
    "consent.set": m.ConsentSetRequest(purpose=Purpose.CHAT, granted=True, notice_id="prechat",
                                       notice_version=2, method=ConsentMethod.PRECHAT_FORM),
    "chat.start": m.ChatStartRequest(name="Ada", email="ada@example.org", message="Hello"),
    "chat.send": m.VisitorSendRequest(client_msg_id="k-9", text="Where is my order?"),
    "chat.typing": m.VisitorTypingRequest(typing=True, draft="Where is"),
    "details.submit": m.DetailsSubmitRequest(request_id="r-1", fields={"phone": "+49 30 1234567"}),
    "details.decline": m.DetailsRef(request_id="r-1"),
    "chat.end": m.Empty(),
    "subject.forget_me": m.Empty(),
    "subject.export_me": m.ExportMeRequest(cursor="abc.def"),
    "ping": m.Empty(),
}

VISITOR_RESPONSES = {
    "visitor.hello": m.HelloResponse(visitor_id="v-1", visitor_token="vt-1", notices=(NOTICE,),
                                     consent={Purpose.CHAT: True, Purpose.VISITOR_INSIGHTS: False},
                                     chat=CHAT, messages=(MESSAGE,)),
    "visitor.page": m.Empty(),
    "consent.set": m.ConsentSetResponse(consent=CONSENT),
    "chat.start": m.ChatResponse(chat=CHAT),
    "chat.send": m.MessageResponse(message=MESSAGE),
    "chat.typing": m.Empty(),
    "details.submit": m.Empty(),
    "details.decline": m.Empty(),
    "chat.end": m.Empty(),
    "subject.forget_me": m.Empty(),
    "subject.export_me": m.SubjectsExportResponse(export={"visitor": {"id": "v-1"}, "chats": []}),
    "ping": m.Empty(),
}

VISITOR_PUSHES = {
    "chat.updated": m.ChatUpdated(chat=CHAT),
    "chat.message": m.ChatMessagePush(chat_id="c-1", message=MESSAGE),
    "chat.typing": m.VisitorTypingPush(typing=True),
    "details.requested": m.DetailsRequested(request_id="r-1", notice=NOTICE, fields=("phone",)),
    "chat.closed": m.ChatClosed(chat_id="c-1"),
    "chat.transferred": m.VisitorChatTransferred(),
}
