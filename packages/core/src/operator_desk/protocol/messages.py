"""Every request, response and push payload of protocol v1, and which endpoint and role each belongs to.

Payloads are msgspec structs: decoding validates types, required fields, lengths and enumerations in one
pass and ignores unknown fields. The tables at the end (``OPERATOR_ACTIONS``, ``VISITOR_ACTIONS``,
``OPERATOR_PUSHES``, ``VISITOR_PUSHES``) are what the codec dispatches on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec

from operator_desk.domain.cases import (
    Approval,
    CaseStep,
    CaseText,
    Day,
    IdentityCheck,
    Outcome,
    RequestKind,
    SubjectCase,
)
from operator_desk.domain.model import (
    MAX_DETAIL_VALUE,
    MAX_MESSAGE_TEXT,
    Chat,
    ChatLimit,
    ChatState,
    ConsentEvent,
    ConsentMethod,
    Count,
    Email,
    Id,
    Message,
    Name,
    Notice,
    OperatorInfo,
    Page,
    Purpose,
    Role,
    ShortText,
    Struct,
    TeamRef,
    Timestamp,
    Title,
    Url,
    Visitor,
    VisitorState,
)

FieldName = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
DetailValue = Annotated[str, msgspec.Meta(max_length=MAX_DETAIL_VALUE)]
Reason = Annotated[str, msgspec.Meta(max_length=1000)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
Username = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
Query = Annotated[str, msgspec.Meta(min_length=1, max_length=320)]
Limit = Annotated[int, msgspec.Meta(ge=1, le=500)]
Seq = Annotated[int, msgspec.Meta(ge=0)]
DraftText = Annotated[str, msgspec.Meta(max_length=10_000)]
Language = Annotated[str, msgspec.Meta(max_length=35)]
MAX_DETAIL_FIELDS = 16
# A message as a client sends it: 1 to 10,000 characters, and no C0 control characters but tab, line
# feed and carriage return (each other one is six bytes in JSON, \u0007: thirty 10,000-character
# messages of them were 1.8 MB). So a message's text encodes to at most 40,000 bytes.
_CONTROL_CHARACTERS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def sendable_text(text: str) -> str:
    """The text a client may send: the control characters ``MessageInput`` refuses taken out (they are
    invisible; a pasted one must not make the whole message fail)."""
    return text.translate(_CONTROL_CHARACTERS)


MessageInput = Annotated[
    str, msgspec.Meta(min_length=1, max_length=MAX_MESSAGE_TEXT, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")
]


class Empty(Struct, frozen=True, kw_only=True):
    """A payload with nothing in it: ``{}``."""


# -- operator requests and responses -----------------------------------------------------------------


class ClientInfo(Struct, frozen=True, kw_only=True):
    name: ShortText
    version: ShortText


class ResumeInfo(Struct, frozen=True, kw_only=True):
    session_id: Id
    last_seq: Seq


class LoginRequest(Struct, frozen=True, kw_only=True):
    """Either ``username`` and ``password`` or ``token``."""

    username: Username | None = None
    password: Password | None = None
    token: Token | None = None
    resume: ResumeInfo | None = None
    client: ClientInfo | None = None

    def __post_init__(self) -> None:
        by_password = self.username is not None and self.password is not None
        if by_password == (self.token is not None):
            raise ValueError("give either username and password, or token")


class ServerInfo(Struct, frozen=True, kw_only=True):
    name: ShortText
    version: ShortText


class LoginResponse(Struct, frozen=True, kw_only=True):
    session_id: Id
    token: Token
    operator: OperatorInfo
    resumed: bool
    server: ServerInfo


VisitorsLimit = Annotated[int, msgspec.Meta(ge=1, le=1000)]
VisitorsCursor = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


# The longest coalescing interval a desk may ask for: a visitor's change is never older than this.
MAX_COALESCE_MS = 5000


class VisitorFilter(Struct, frozen=True, kw_only=True):
    """Which visitors a ``visitors.subscribe`` wants (an addition within v1): every given condition
    holds. Visitors of a chat the session hears of (its own, or any waiting one) come anyway."""

    # Visitors in one of these states.
    states: Annotated[tuple[VisitorState, ...], msgspec.Meta(max_length=len(VisitorState))] | None = None
    # Visitors whose current page's URL starts with this.
    page_prefix: Url | None = None
    # True: visitors with an open chat (waiting or active); false: those without one.
    with_chat: bool | None = None
    # Visitors whose chat is with an operator of this team.
    team: Id | None = None


class VisitorsPageRequest(Struct, frozen=True, kw_only=True):
    """``visitors.subscribe``: the first page of the snapshot.

    A site may have more visitors online than fit in one 256 KiB frame, so the snapshot comes in pages:
    the server returns at most ``limit`` visitors and never a frame near the size limit.

    ``filter`` and ``coalesce_ms`` (additions within v1) make the subscription a feed: the snapshot and
    every change after it are only the visitors the filter lets through, and changes come as
    ``visitors.feed`` pushes, at most one per ``coalesce_ms`` with each visitor's latest state (a
    consent change at once). Without either, each change is a ``visitor.upsert`` as before.
    """

    limit: VisitorsLimit = 200
    filter: VisitorFilter | None = None
    coalesce_ms: Annotated[int, msgspec.Meta(ge=0, le=MAX_COALESCE_MS)] | None = None

    @property
    def is_feed(self) -> bool:
        return self.filter is not None or self.coalesce_ms is not None


class VisitorsListRequest(Struct, frozen=True, kw_only=True):
    """``visitors.list``: the next page, after the previous page's ``next_cursor``."""

    cursor: VisitorsCursor
    limit: VisitorsLimit = 200


class VisitorsResponse(Struct, frozen=True, kw_only=True):
    visitors: tuple[Visitor, ...]
    # Set when more visitors follow: ask ``visitors.list`` with it. ``None`` on the last page.
    next_cursor: Annotated[str, msgspec.Meta(max_length=256)] | None = None


class NoticesResponse(Struct, frozen=True, kw_only=True):
    notices: tuple[Notice, ...]


class ChatsListRequest(Struct, frozen=True, kw_only=True):
    """``chats.list``; ``cursor`` and ``limit`` are additions within v1: the open chats come in pages,
    as the visitor snapshot does (a busy site can have more than fit in one frame)."""

    cursor: Annotated[str, msgspec.Meta(min_length=1, max_length=512)] | None = None
    limit: Limit = 200


class ChatsResponse(Struct, frozen=True, kw_only=True):
    chats: tuple[Chat, ...]
    # Set while more follow: ask ``chats.list`` with it as ``cursor``. ``None`` on the last page.
    next_cursor: Annotated[str, msgspec.Meta(max_length=512)] | None = None


class ChatRef(Struct, frozen=True, kw_only=True):
    chat_id: Id


PageCursor = Annotated[str, msgspec.Meta(min_length=1, max_length=512)]


class ChatWithMessages(Struct, frozen=True, kw_only=True):
    """``chat.accept``: the chat and the first page of its messages, oldest first. ``next_cursor`` (an
    addition within v1) is set when more follow: ask ``chat.history`` with it."""

    chat: Chat
    messages: tuple[Message, ...]
    next_cursor: PageCursor | None = None


class ChatHistoryRequest(Struct, frozen=True, kw_only=True):
    """``chat.history`` (an addition within v1): the next page of messages of one's own chat."""

    chat_id: Id
    cursor: PageCursor


class ChatHistoryResponse(Struct, frozen=True, kw_only=True):
    messages: tuple[Message, ...]
    next_cursor: PageCursor | None = None


class OperatorSendRequest(Struct, frozen=True, kw_only=True):
    chat_id: Id
    client_msg_id: Id
    text: MessageInput


class MessageResponse(Struct, frozen=True, kw_only=True):
    message: Message


class OperatorTypingRequest(Struct, frozen=True, kw_only=True):
    chat_id: Id
    typing: bool


class DetailsRequestRequest(Struct, frozen=True, kw_only=True):
    chat_id: Id
    notice_id: Id
    notice_version: Annotated[int, msgspec.Meta(ge=1)]
    fields: Annotated[tuple[FieldName, ...], msgspec.Meta(min_length=1, max_length=MAX_DETAIL_FIELDS)]
    purpose: Literal["contact_details"] = "contact_details"


class DetailsRequestResponse(Struct, frozen=True, kw_only=True):
    request_id: Id


# How transcript search results are ordered (an addition within v1): by when the chat started, or by
# how many messages it has, either way; ties by chat id. Paging follows the order.
TranscriptOrder = Literal["newest", "oldest", "most_messages", "fewest_messages"]
SearchCursor = Annotated[str, msgspec.Meta(max_length=256)]
MAX_HIGHLIGHTS = 32


class TranscriptsSearchRequest(Struct, frozen=True, kw_only=True):
    """Every filter given must match. ``text``: every word in one message of the chat (case-insensitive
    substrings). Additions within v1: ``visitor`` (a visitor id, or part of the name or e-mail address
    the visitor gave), ``state``, ``details`` (true: only chats where details were collected, false:
    only chats without), ``order``. An operator's search is limited to their own chats."""

    text: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    operator_id: Id | None = None
    visitor: Annotated[str, msgspec.Meta(max_length=320)] | None = None
    since: Timestamp | None = None
    until: Timestamp | None = None
    state: ChatState | None = None
    details: bool | None = None
    order: TranscriptOrder = "newest"
    limit: Limit = 50
    cursor: SearchCursor | None = None


Span = tuple[Count, Count]


class TranscriptSummary(Struct, frozen=True, kw_only=True):
    """A chat as the transcript search lists it. Additions within v1: ``snippet``, the newest message
    that matched the text (shortened around the match, plain text), with ``highlights``, the
    ``[start, end)`` character offsets of the matched words in it; ``details_collected``."""

    id: Id
    visitor_id: Id
    state: str
    operator_id: Id | None = None
    started_at: Timestamp
    closed_at: Timestamp | None = None
    operator_name: Name | None = None
    visitor_name: Name | None = None
    message_count: Count = 0
    snippet: Annotated[str, msgspec.Meta(max_length=1000)] | None = None
    highlights: Annotated[tuple[Span, ...], msgspec.Meta(max_length=MAX_HIGHLIGHTS)] = ()
    details_collected: bool = False


class TranscriptsSearchResponse(Struct, frozen=True, kw_only=True):
    chats: tuple[TranscriptSummary, ...]
    next_cursor: SearchCursor | None = None


class DetailRecord(Struct, frozen=True, kw_only=True):
    """A details request and what became of it."""

    request_id: Id
    chat_id: Id
    fields: tuple[FieldName, ...]
    purpose: Purpose
    notice_id: Id
    notice_version: Annotated[int, msgspec.Meta(ge=1)]
    requested_at: Timestamp
    status: Literal["pending", "received", "declined"]
    values: dict[FieldName, DetailValue] | None = None
    answered_at: Timestamp | None = None


class TranscriptRequest(Struct, frozen=True, kw_only=True):
    """``transcripts.get``; with ``cursor`` (an addition within v1) the page after the one that gave it."""

    chat_id: Id
    cursor: PageCursor | None = None


class TranscriptResponse(Struct, frozen=True, kw_only=True):
    """A page of a transcript: ``messages``, ``consents`` and ``details`` continue those of the page
    before; ``next_cursor`` (an addition within v1) is set while more follow. ``consents`` are all the
    visitor's consent events, in the order recorded."""

    chat: Chat
    messages: tuple[Message, ...]
    consents: tuple[ConsentEvent, ...]
    details: tuple[DetailRecord, ...]
    next_cursor: PageCursor | None = None
    # Additions within v1, on the first page: where the chat stands in the order the visitor's consent
    # events were recorded. The events with ``seq`` up to ``consent_seq_at_start`` were recorded before
    # the chat began, those up to ``consent_seq_at_close`` before it closed (null while it is open, and
    # both null for a chat stored before the server recorded them).
    consent_seq_at_start: Count | None = None
    consent_seq_at_close: Count | None = None


class SubjectsFindRequest(Struct, frozen=True, kw_only=True):
    query: Query


class SubjectReceiver(Struct, frozen=True, kw_only=True):
    """A webhook receiver that was sent data about a person: for which purposes, and how many events
    about them it has not confirmed (pending or dead)."""

    receiver: ShortText
    purposes: tuple[Purpose, ...]
    unconfirmed: Count = 0


class SubjectSummary(Struct, frozen=True, kw_only=True):
    visitor_id: Id
    name: Name | None = None
    email: Email | None = None
    chats: Count = 0
    last_seen: Timestamp | None = None
    # Additions within v1, so that a supervisor can tell two matches apart: when the visitor was first
    # stored, and what the query matched ("id", "email", "name", or a received detail's field name).
    first_seen: Timestamp | None = None
    matched_on: tuple[ShortText, ...] = ()
    # The site's webhook receivers that were sent data about the person (an addition within v1).
    receivers: tuple[SubjectReceiver, ...] = ()


class SubjectsFindResponse(Struct, frozen=True, kw_only=True):
    subjects: tuple[SubjectSummary, ...]


class SubjectRef(Struct, frozen=True, kw_only=True):
    visitor_id: Id


class SubjectsExportRequest(Struct, frozen=True, kw_only=True):
    """``subjects.export``; with ``cursor`` (an addition within v1) the page after the one that gave it.
    ``case_id`` and ``approval_id`` (additions within v1, read with the first page): the export is a
    step of that case; at a site where exports need a second supervisor, the first page needs an
    approved ``approval_id`` the caller asked for, for this visitor."""

    visitor_id: Id
    cursor: PageCursor | None = None
    case_id: Id | None = None
    approval_id: Id | None = None


class SubjectsExportResponse(Struct, frozen=True, kw_only=True):
    # The export is a document for the data subject: its shape is described in docs/protocol.md and
    # may grow, so it is kept as plain JSON data here. A page of it: merge pages as docs/protocol.md §7 says.
    export: dict[str, Any]
    next_cursor: PageCursor | None = None


class ExportMeRequest(Struct, frozen=True, kw_only=True):
    """``subject.export_me`` (an addition within v1): the visitor's own data, in pages as
    ``subjects.export``; ``cursor``: the page after the one that gave it."""

    cursor: PageCursor | None = None


class SubjectsEraseRequest(Struct, frozen=True, kw_only=True):
    visitor_id: Id
    reason: Reason


class ErasedCounts(Struct, frozen=True, kw_only=True, omit_defaults=True):
    chats: Count
    messages: Count
    consents: Count
    details: Count
    # The site's webhook receivers that were sent data about the person and are sent the erasure now;
    # none has confirmed it yet when this is answered (additive in v1; docs/webhooks.md).
    unconfirmed_receivers: tuple[str, ...] = ()


class SubjectsEraseResponse(Struct, frozen=True, kw_only=True):
    erased: ErasedCounts


# -- data-subject request cases and approvals (additions within v1) --------------------------------


class CaseOpenRequest(Struct, frozen=True, kw_only=True):
    kind: RequestKind
    received_on: Day
    identity_check: IdentityCheck
    identity_note: CaseText = ""
    reference: ShortText = ""
    visitor_id: Id | None = None


class CaseResponse(Struct, frozen=True, kw_only=True):
    case: SubjectCase


class CasesListRequest(Struct, frozen=True, kw_only=True):
    """Open cases by due day (soonest first), or closed ones (most recently closed first)."""

    state: Literal["open", "closed"] = "open"
    limit: Limit = 100
    cursor: Annotated[str, msgspec.Meta(max_length=256)] | None = None


class CasesListResponse(Struct, frozen=True, kw_only=True):
    cases: tuple[SubjectCase, ...]
    next_cursor: Annotated[str, msgspec.Meta(max_length=256)] | None = None


class CaseRef(Struct, frozen=True, kw_only=True):
    case_id: Id


class CaseWithSteps(Struct, frozen=True, kw_only=True):
    case: SubjectCase
    steps: tuple[CaseStep, ...]


class CaseLinkRequest(Struct, frozen=True, kw_only=True):
    case_id: Id
    visitor_id: Id


class CaseExtendRequest(Struct, frozen=True, kw_only=True):
    """Extend the deadline to ``months`` beyond the first month (1 or 2 in all); the reason is what the
    person is told."""

    case_id: Id
    months: Annotated[int, msgspec.Meta(ge=1, le=2)]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


# The steps of a case only a client knows of (``domain.cases.RECORDABLE_STEPS``).
RecordableStep = Literal["note", "bundle_written", "response_sent"]


class CaseRecordRequest(Struct, frozen=True, kw_only=True):
    """A step only the client knows of: a note, the bundle it wrote (with the SHA-256 of its
    manifest), the answer sent to the person."""

    case_id: Id
    step: RecordableStep
    note: CaseText = ""
    sha256: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")] | None = None


class CaseStepResponse(Struct, frozen=True, kw_only=True):
    step: CaseStep


class CaseCloseRequest(Struct, frozen=True, kw_only=True):
    case_id: Id
    outcome: Outcome
    note: CaseText = ""


ApprovableAction = Literal["subjects.erase", "subjects.export"]


class ApprovalRequest(Struct, frozen=True, kw_only=True):
    action: ApprovableAction
    case_id: Id
    visitor_id: Id
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class ApprovalResponse(Struct, frozen=True, kw_only=True):
    approval: Approval


class ApprovalsListRequest(Struct, frozen=True, kw_only=True):
    """Pending approvals, and those decided or expired in the last ``recent_days``."""

    recent_days: Annotated[int, msgspec.Meta(ge=0, le=90)] = 7


class ApprovalsListResponse(Struct, frozen=True, kw_only=True):
    approvals: tuple[Approval, ...]
    # The site's policy: which actions need a second supervisor, and how long a request waits.
    required: tuple[ShortText, ...]
    expires_after_hours: Annotated[float, msgspec.Meta(gt=0)]


class ApprovalDecision(Struct, frozen=True, kw_only=True):
    approval_id: Id
    approve: bool


class ApprovalDecided(Struct, frozen=True, kw_only=True):
    """The decision; for an approved erasure also what the server erased (it erases at once)."""

    approval: Approval
    erased: ErasedCounts | None = None
AuditCursor = Annotated[str, msgspec.Meta(max_length=64)]


class AuditListRequest(Struct, frozen=True, kw_only=True):
    """Entries newest first, in the order they were written. Additions within v1: ``until``
    (exclusive), ``action``, ``actor`` (exact), ``cursor`` (the ``next_cursor`` of the page before)."""

    since: Timestamp | None = None
    until: Timestamp | None = None
    action: ShortText | None = None
    actor: ShortText | None = None
    limit: Limit = 100
    cursor: AuditCursor | None = None


class AuditEntry(Struct, frozen=True, kw_only=True):
    at: Timestamp
    actor: ShortText
    action: ShortText
    subject: ShortText | None = None
    detail: dict[str, Any] | None = None
    # An addition within v1: the actor's name when the actor is an operator account.
    actor_name: Name | None = None


class AuditListResponse(Struct, frozen=True, kw_only=True):
    entries: tuple[AuditEntry, ...]
    next_cursor: AuditCursor | None = None


MAX_REPORTED_VIEWS = 100


class CachedView(Struct, frozen=True, kw_only=True):
    """A transcript a desk opened from its own cache (offline, or kept longer there), and when."""

    chat_id: Id
    at: Timestamp


class AuditReportRequest(Struct, frozen=True, kw_only=True):
    """``audit.report`` (an addition within v1): a desk tells the server's audit log which transcripts its
    user read from the desk's own cache, so that the server's log holds every opening."""

    views: Annotated[tuple[CachedView, ...], msgspec.Meta(min_length=1, max_length=MAX_REPORTED_VIEWS)]


# -- reviews, the team, reports, observing (additions within v1) --------------------------------------

Rating = Annotated[int, msgspec.Meta(ge=1, le=5)]
MAX_REVIEW_NOTE = 4_000
# A note as a lead types it: no control characters but tab and line breaks (as a message).
ReviewNote = Annotated[
    str, msgspec.Meta(max_length=MAX_REVIEW_NOTE, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")
]


class ReviewAddRequest(Struct, frozen=True, kw_only=True):
    """``reviews.add``: a rating (1 to 5), a note, or both, about one transcript."""

    chat_id: Id
    rating: Rating | None = None
    note: ReviewNote = ""

    def __post_init__(self) -> None:
        if self.rating is None and not self.note.strip():
            raise ValueError("give a rating, a note, or both")


class Review(Struct, frozen=True, kw_only=True):
    id: Id
    chat_id: Id
    author_id: Id | None = None
    author_name: Name
    rating: Rating | None = None
    note: ReviewNote = ""
    at: Timestamp


class ReviewResponse(Struct, frozen=True, kw_only=True):
    review: Review


class ReviewsListRequest(Struct, frozen=True, kw_only=True):
    chat_id: Id
    cursor: PageCursor | None = None


class ReviewsResponse(Struct, frozen=True, kw_only=True):
    """A page of a transcript's reviews, oldest first."""

    reviews: tuple[Review, ...]
    next_cursor: PageCursor | None = None


class OpenChatInfo(Struct, frozen=True, kw_only=True):
    """An open chat as the team view lists it: ids and times only."""

    chat_id: Id
    visitor_id: Id
    state: ChatState
    operator_id: Id | None = None
    started_at: Timestamp


class TeamMember(Struct, frozen=True, kw_only=True):
    """An operator account as the team view shows it. ``sessions``: connected desks now; ``status`` is
    reserved for operator statuses (available, away, ...): null from a server that has none, which
    today is every server; a client shows presence from ``sessions`` then."""

    id: Id
    name: Name
    role: Role
    sessions: Count = 0
    open_chats: tuple[OpenChatInfo, ...] = ()
    status: ShortText | None = None
    # Additions within v1 (routing): the chat limit that holds for the operator (null for supervisors,
    # who have none, and from a server without routing), and their account's own (null: the site's).
    chat_limit: ChatLimit | None = None
    own_chat_limit: ChatLimit | None = None


MAX_QUEUE_LISTED = 100


class QueueInfo(Struct, frozen=True, kw_only=True):
    waiting: Count
    # The longest-waiting chat first; at most MAX_QUEUE_LISTED are listed, ``waiting`` counts them all.
    chats: Annotated[tuple[OpenChatInfo, ...], msgspec.Meta(max_length=MAX_QUEUE_LISTED)] = ()


class TeamStatusResponse(Struct, frozen=True, kw_only=True):
    at: Timestamp
    operators: tuple[TeamMember, ...]
    queue: QueueInfo


MAX_REPORT_DAYS = 366


class DailyReportRequest(Struct, frozen=True, kw_only=True):
    """``reports.daily``: the client's days as ``bounds``, ascending: day i runs from ``bounds[i]``
    (inclusive) to ``bounds[i + 1]`` (exclusive), so the client's time zone (and its daylight saving
    shifts) decides where a day starts."""

    bounds: Annotated[tuple[Timestamp, ...], msgspec.Meta(min_length=2, max_length=MAX_REPORT_DAYS + 1)]

    def __post_init__(self) -> None:
        if any(a >= b for a, b in zip(self.bounds, self.bounds[1:], strict=False)):
            raise ValueError("bounds must be ascending")


Seconds = Annotated[float, msgspec.Meta(ge=0)]


class Figures(Struct, frozen=True, kw_only=True):
    """Counts and durations of the chats started in a period (no personal data). ``missed``: closed
    without an operator ever accepting them. Time to accept: from start to accept. Length: from accept
    to close, of the chats accepted and closed. p50/p95 are nearest-rank percentiles in seconds, null
    when no chat had the figure."""

    chats: Count = 0
    accepted: Count = 0
    missed: Count = 0
    messages: Count = 0
    accept_p50: Seconds | None = None
    accept_p95: Seconds | None = None
    length_p50: Seconds | None = None
    length_p95: Seconds | None = None


class DayFigures(Figures, frozen=True, kw_only=True):
    start: Timestamp


class OperatorFigures(Figures, frozen=True, kw_only=True):
    """The chats an operator accepted (``missed`` is always 0 here)."""

    operator_id: Id
    name: Name


class DailyReportResponse(Struct, frozen=True, kw_only=True):
    days: tuple[DayFigures, ...]
    operators: tuple[OperatorFigures, ...]
    total: Figures


JournalCursor = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
SubjectHash = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
# At most this many chat ids in one journal entry (a retention purge of more is several entries), and
# entries in one answer: a page stays far below the frame limit.
MAX_JOURNAL_CHATS = 500
MAX_JOURNAL_PAGE = 100


class ErasedSinceRequest(Struct, kw_only=True, frozen=True):
    # None: "I hold nothing yet": the answer has no erasures and the cursor of the journal's head.
    cursor: JournalCursor | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_JOURNAL_PAGE)] = MAX_JOURNAL_PAGE


class Erasure(Struct, kw_only=True, frozen=True):
    """One entry of the erasure journal: no personal data, not even an id. ``subject`` is HMAC-SHA256 of
    the visitor id under the journal's ``subject_key`` (``None`` when only chats went, by a retention
    purge), ``chats`` the same of each chat id: a desk hashes the ids it holds to find them."""

    seq: Annotated[int, msgspec.Meta(ge=1)]
    at: Timestamp
    cause: Literal["erasure", "retention"]
    subject: SubjectHash | None = None
    chats: Annotated[tuple[SubjectHash, ...], msgspec.Meta(max_length=MAX_JOURNAL_CHATS)] = ()


class ErasedSinceResponse(Struct, kw_only=True, frozen=True):
    erasures: Annotated[tuple[Erasure, ...], msgspec.Meta(max_length=MAX_JOURNAL_PAGE)]
    # Where to go on from (after these erasures): always set; keep it once they are applied.
    next_cursor: JournalCursor
    # True: more erasures follow; ask again with next_cursor.
    more: bool = False
    # True: the cursor is older than the journal (entries after it were pruned) or from another
    # journal: the client cannot know what it missed and keeps nothing it cannot vouch for.
    expired: bool = False
    subject_key: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]


# -- team canned responses (additions within v1) ----------------------------------------------------

# What an operator types after "/": a word of letters, digits, "_" or "-" (any script: "tschüss").
CannedKeyword = Annotated[str, msgspec.Meta(pattern=r"^[\w-]{1,32}$")]
# As a message: no control characters but tab and line breaks (it becomes one), and shorter.
CannedText = Annotated[
    str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")
]
# A team keeps at most this many: the whole list is one small answer (about 200 KiB at the most).
MAX_TEAM_CANNED = 100


class TeamCanned(Struct, frozen=True, kw_only=True):
    """One of a team's canned responses: no personal data, an answer the team gives."""

    keyword: CannedKeyword
    text: CannedText
    updated_at: Timestamp
    updated_by: Name | None = None   # the name of who wrote it last


class CannedListRequest(Struct, frozen=True, kw_only=True):
    """``canned.list``: the caller's team's (a supervisor may name any team)."""

    team_id: Id | None = None


class CannedListResponse(Struct, frozen=True, kw_only=True):
    team: TeamRef | None
    responses: Annotated[tuple[TeamCanned, ...], msgspec.Meta(max_length=MAX_TEAM_CANNED)]


class CannedPutRequest(Struct, frozen=True, kw_only=True):
    """``canned.put`` (team leads: their team's; supervisors: any team's): add or replace one."""

    team_id: Id | None = None
    keyword: CannedKeyword
    text: CannedText


class CannedPutResponse(Struct, frozen=True, kw_only=True):
    response: TeamCanned


class CannedDeleteRequest(Struct, frozen=True, kw_only=True):
    team_id: Id | None = None
    keyword: CannedKeyword


class CannedChanged(Struct, frozen=True, kw_only=True):
    """Push ``canned.changed`` to the team's operators: one response added, replaced (``response``) or
    removed (``response`` None)."""

    team_id: Id
    keyword: CannedKeyword
    response: TeamCanned | None = None


# -- presence and routing (additions within v1) -------------------------------------------------------

# What an operator says of themselves; "offline" is what the server says of one with no session.
PresenceStatus = Literal["available", "away", "busy"]


class PresenceSetRequest(Struct, frozen=True, kw_only=True):
    """``presence.set``: whether new chats may be offered to the caller (``available``)."""

    status: PresenceStatus


class OperatorPresence(Struct, frozen=True, kw_only=True):
    """An operator as the team sees them: their status, how many chats they have open, their limit."""

    operator: OperatorInfo
    status: Literal["available", "away", "busy", "offline"]
    open_chats: Annotated[int, msgspec.Meta(ge=0)]
    chat_limit: Annotated[int, msgspec.Meta(ge=1)]


class TeamSetLimitRequest(Struct, frozen=True, kw_only=True):
    """``team.set_limit`` (supervisors): an operator's own chat limit; null: the site's again."""

    operator_id: Id
    chat_limit: ChatLimit | None


class PresenceListResponse(Struct, frozen=True, kw_only=True):
    """``presence.list``: every operator signed in now (at most one entry per session)."""

    operators: tuple[OperatorPresence, ...]


class ChatOffered(Struct, frozen=True, kw_only=True):
    """Push ``chat.offered``: the server offers this waiting chat to the operator until ``expires_at``;
    then it goes to the next available operator (anyone may still accept it meanwhile). ``seconds``
    (an addition): how long the offer lasts from the moment it is sent, so that a client whose clock
    differs from the server's counts the time left from receipt."""

    chat_id: Id
    expires_at: Timestamp
    seconds: Annotated[float, msgspec.Meta(gt=0)] | None = None


class LeftMessage(Struct, frozen=True, kw_only=True):
    """A message a visitor left while nobody was available: the chat (closed, ``left_message``), the
    visitor's name and e-mail (only as their chat consent allows, as everywhere) and what they wrote."""

    chat: Chat
    visitor_name: Name | None = None
    email: Email | None = None
    text: Annotated[str, msgspec.Meta(max_length=MAX_MESSAGE_TEXT)] | None = None


MAX_LEFT_LISTED = 100


class MessagesLeftRequest(Struct, frozen=True, kw_only=True):
    """``messages.left``: messages left by visitors, newest first, in pages."""

    cursor: PageCursor | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LEFT_LISTED)] = 50


class MessagesLeftResponse(Struct, frozen=True, kw_only=True):
    messages: Annotated[tuple[LeftMessage, ...], msgspec.Meta(max_length=MAX_LEFT_LISTED)]
    next_cursor: PageCursor | None = None


# -- earlier chats of a returning visitor (additions within v1) ---------------------------------------

# Characters of an earlier chat's first line in a listing (the chat opens whole on request).
FIRST_LINE_CHARS = 120
FirstLine = Annotated[str, msgspec.Meta(max_length=FIRST_LINE_CHARS)]
EarlierLimit = Annotated[int, msgspec.Meta(ge=1, le=50)]


class EarlierChatsRequest(Struct, frozen=True, kw_only=True):
    """``visitor.earlier_chats``: the visitor's closed chats, newest first; only while the visitor grants
    ``visitor_insights`` (else ``consent_required``)."""

    visitor_id: Id
    cursor: PageCursor | None = None
    limit: EarlierLimit = 20


class EarlierChat(Struct, frozen=True, kw_only=True):
    chat_id: Id
    started_at: Timestamp
    closed_at: Timestamp | None = None
    operator_name: Name | None = None
    # The first line of the visitor's first message ("" when they wrote none), cut to FIRST_LINE_CHARS.
    first_line: FirstLine = ""


class EarlierChatsResponse(Struct, frozen=True, kw_only=True):
    chats: tuple[EarlierChat, ...]
    next_cursor: PageCursor | None = None


class EarlierChatRequest(Struct, frozen=True, kw_only=True):
    """``visitor.earlier_chat``: one of them, read-only, in pages (``cursor`` from the page before);
    the same consent rule, checked at every page."""

    visitor_id: Id
    chat_id: Id
    cursor: PageCursor | None = None


# -- transfer (additions within v1) -------------------------------------------------------------------

TransferNote = Annotated[str, msgspec.Meta(max_length=1000)]


class ChatTransferRequest(Struct, frozen=True, kw_only=True):
    """``chat.transfer``: hand one's active chat to a colleague (``to_operator_id``) or to a team
    (``to_team_id``: the server picks its available member with the fewest open chats), with a note for
    them alone. Exactly one of the two."""

    chat_id: Id
    to_operator_id: Id | None = None
    to_team_id: Id | None = None
    note: TransferNote = ""


class ChatTransferResponse(Struct, frozen=True, kw_only=True):
    chat: Chat   # now the receiving operator's


class ChatTransferred(Struct, frozen=True, kw_only=True):
    """Push ``chat.transferred`` to the receiving operator: the chat is theirs now. Its transcript comes
    as ``chat.accept`` gives it (in pages); ``consents`` is the latest event per purpose."""

    chat: Chat
    visitor: Visitor
    from_operator: OperatorInfo
    note: TransferNote = ""
    consents: tuple[ConsentEvent, ...] = ()


class VisitorChatTransferred(Struct, frozen=True, kw_only=True):
    """Push ``chat.transferred`` to the visitor: a colleague carries on. Nothing else (no note, no name)."""


# -- operator pushes ---------------------------------------------------------------------------------


class VisitorUpsert(Struct, frozen=True, kw_only=True):
    visitor: Visitor


class VisitorLeft(Struct, frozen=True, kw_only=True):
    visitor_id: Id


class VisitorFeed(Struct, frozen=True, kw_only=True):
    """``visitors.feed``, to a session subscribed as a feed: the latest state of the visitors that
    changed since the last one (each at most once), and the ids of those that no longer match the
    session's filter (still on the site: the desk drops them from its view)."""

    visitors: tuple[Visitor, ...] = ()
    unmatched: tuple[Id, ...] = ()


class ChatIncoming(Struct, frozen=True, kw_only=True):
    chat: Chat
    visitor: Visitor


class ChatUpdated(Struct, frozen=True, kw_only=True):
    chat: Chat


class ChatMessagePush(Struct, frozen=True, kw_only=True):
    chat_id: Id
    message: Message


class OperatorTypingPush(Struct, frozen=True, kw_only=True):
    chat_id: Id
    typing: bool
    preview: DraftText | None = None


class ConsentChanged(Struct, frozen=True, kw_only=True):
    visitor_id: Id
    consent: ConsentEvent


class DetailsReceived(Struct, frozen=True, kw_only=True):
    chat_id: Id
    request_id: Id
    fields: dict[FieldName, DetailValue]


class DetailsDeclined(Struct, frozen=True, kw_only=True):
    chat_id: Id
    request_id: Id


class SubjectErased(Struct, frozen=True, kw_only=True):
    visitor_id: Id
    chat_ids: tuple[Id, ...] = ()


class SessionClosing(Struct, frozen=True, kw_only=True):
    reason: ShortText
    reconnect: Literal["never", "backoff"]


# -- visitor requests, responses and pushes ----------------------------------------------------------


class HelloRequest(Struct, frozen=True, kw_only=True):
    visitor_token: Token | None = None
    page: Page
    referrer: Url | None = None
    language: Language | None = None
    # Addition within v1: the team the page's widget is for (data-team), for ``available``.
    team: Id | None = None


HELLO_MESSAGES = 100


class HelloResponse(Struct, frozen=True, kw_only=True):
    visitor_id: Id
    visitor_token: Token
    notices: tuple[Notice, ...]
    consent: dict[Purpose, bool]
    # Additions within v1: the visitor's open chat, if any, and its last messages (at most
    # HELLO_MESSAGES, oldest first), so that a reloaded widget shows the conversation it is in.
    chat: Chat | None = None
    messages: tuple[Message, ...] = ()
    # Addition within v1: purposes this visitor granted to an earlier version of a notice that has
    # since asked for fresh consent. They are not granted (``consent`` says false); the widget says why
    # it asks again.
    consent_outdated: tuple[Purpose, ...] = ()
    # Addition within v1: how long a browser may keep this token to be recognised on a later visit,
    # which a widget does only under visitor_insights consent (the server keeps a visitor with no chat
    # for as long).
    recognition_days: Annotated[int, msgspec.Meta(ge=0)] = 0
    # Addition within v1 (routing): whether someone can answer a chat now (an operator of the page's
    # team, or of any team, signed in and available); when not, the widget offers to leave a message.
    available: bool = True


class PageRequest(Struct, frozen=True, kw_only=True):
    url: Url
    title: Title = ""


class ConsentSetRequest(Struct, frozen=True, kw_only=True):
    purpose: Purpose
    granted: bool
    notice_id: Id
    notice_version: Annotated[int, msgspec.Meta(ge=1)]
    method: ConsentMethod


class ConsentSetResponse(Struct, frozen=True, kw_only=True):
    consent: ConsentEvent


class ChatStartRequest(Struct, frozen=True, kw_only=True):
    name: Name | None = None
    email: Email | None = None
    message: MessageInput | None = None
    # Addition within v1: the team (department) the page's widget is for (its data-team); the chat is
    # offered to that team's operators. An unknown team is taken as none.
    team: Id | None = None
    # Addition within v1: nobody is available, so the visitor leaves a message: the chat is stored
    # closed at once as a message left (``Chat.left_message``), which operators list and answer later.
    leave_message: bool = False


class ChatResponse(Struct, frozen=True, kw_only=True):
    chat: Chat
    # Addition within v1: ``chat.start``'s first message as stored (a card number in it masked), so
    # that the widget shows what was kept; None without a first message.
    message: Message | None = None


class VisitorSendRequest(Struct, frozen=True, kw_only=True):
    client_msg_id: Id
    text: MessageInput


class VisitorTypingRequest(Struct, frozen=True, kw_only=True):
    typing: bool
    draft: DraftText | None = None


class DetailsSubmitRequest(Struct, frozen=True, kw_only=True):
    request_id: Id
    fields: Annotated[dict[FieldName, DetailValue], msgspec.Meta(max_length=MAX_DETAIL_FIELDS)]


class DetailsRef(Struct, frozen=True, kw_only=True):
    request_id: Id


class VisitorTypingPush(Struct, frozen=True, kw_only=True):
    typing: bool


class DetailsRequested(Struct, frozen=True, kw_only=True):
    request_id: Id
    notice: Notice
    fields: tuple[FieldName, ...]


class ChatClosed(Struct, frozen=True, kw_only=True):
    chat_id: Id | None = None


# -- the tables the codec dispatches on --------------------------------------------------------------


class Endpoint(enum.StrEnum):
    OPERATOR = "operator"
    VISITOR = "visitor"


ALL_ROLES = frozenset(Role)
LEADS = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})


# -- webhooks: what the site's receivers were sent (additions within v1; docs/webhooks.md) --------------

DeliveryState = Literal["pending", "delivered", "dead", "dropped"]
DELIVERY_STATES: tuple[DeliveryState, ...] = ("pending", "delivered", "dead", "dropped")
DeliveryId = Annotated[int, msgspec.Meta(ge=1)]


class WebhookDelivery(Struct, frozen=True, kw_only=True):
    """One event for one receiver, as supervisors see it: never its body."""

    id: DeliveryId
    event_id: ShortText
    receiver: ShortText
    type: ShortText
    state: DeliveryState
    attempts: Count
    last_error: ShortText | None = None
    created_at: Timestamp
    delivered_at: Timestamp | None = None
    # For an erasure: the erasure's pseudonym (the subject of its audit entries, its cases' visitor_id).
    erasure: ShortText | None = None
    # The receiver's own pseudonym of the person (as in the event's body), never the server's visitor id.
    person: ShortText | None = None


class WebhookDeliveriesRequest(Struct, frozen=True, kw_only=True):
    # None: those not confirmed yet (dead and pending); with ``erasure``, all states.
    states: tuple[DeliveryState, ...] | None = None
    # Only the erasure events of this erasure pseudonym.
    erasure: ShortText | None = None
    after: int = 0
    limit: Limit = 100


class WebhookQueue(Struct, frozen=True, kw_only=True):
    """One receiver's outbox against its bound: the events not confirmed that hold a body, their bytes,
    and since when it is full (its new events are dead letters, "outbox full"); null while it has room."""

    receiver: ShortText
    events: Count
    bytes: Count
    max_events: Count
    max_bytes: Count
    full_since: Timestamp | None = None


class WebhookDeliveriesResponse(Struct, frozen=True, kw_only=True):
    deliveries: tuple[WebhookDelivery, ...]
    # Ask again with ``after`` for the next page; null on the last.
    next_after: int | None = None
    # Every configured receiver's outbox (additive).
    queues: tuple[WebhookQueue, ...] = ()


class WebhookDeliveryRef(Struct, frozen=True, kw_only=True):
    delivery: DeliveryId


@dataclass(frozen=True, slots=True)
class ActionSpec:
    request: type[Struct]
    response: type[Struct]
    # Who may call it. ``transcripts.get`` is open to operators for their own chats only: the server
    # checks ownership; the role table only says the role may ask at all.
    roles: frozenset[Role] = ALL_ROLES
    # An ok answer means the change is stored: a server answers only once it is committed (and with
    # ``storage_unavailable`` if it could not be), so a client may forget its own copy on ok.
    stores: bool = False


STORES = True


OPERATOR_ACTIONS: dict[str, ActionSpec] = {
    "auth.login": ActionSpec(LoginRequest, LoginResponse, stores=STORES),
    "auth.logout": ActionSpec(Empty, Empty, stores=STORES),
    "visitors.subscribe": ActionSpec(VisitorsPageRequest, VisitorsResponse),
    "visitors.list": ActionSpec(VisitorsListRequest, VisitorsResponse),
    "notices.list": ActionSpec(Empty, NoticesResponse),
    "chats.list": ActionSpec(ChatsListRequest, ChatsResponse),
    "chat.accept": ActionSpec(ChatRef, ChatWithMessages, stores=STORES),
    "chat.send": ActionSpec(OperatorSendRequest, MessageResponse, stores=STORES),
    "chat.history": ActionSpec(ChatHistoryRequest, ChatHistoryResponse),
    "chat.typing": ActionSpec(OperatorTypingRequest, Empty),
    "chat.close": ActionSpec(ChatRef, Empty, stores=STORES),
    "details.request": ActionSpec(DetailsRequestRequest, DetailsRequestResponse, stores=STORES),
    # Open to every role since issue 12: an operator's search is limited to their own chats.
    "transcripts.search": ActionSpec(TranscriptsSearchRequest, TranscriptsSearchResponse),
    # Stores its audit entry: a transcript or an export is answered once its view is recorded.
    "transcripts.get": ActionSpec(TranscriptRequest, TranscriptResponse, stores=STORES),
    "subjects.find": ActionSpec(SubjectsFindRequest, SubjectsFindResponse, SUPERVISORS),
    "subjects.export": ActionSpec(SubjectsExportRequest, SubjectsExportResponse, SUPERVISORS, stores=STORES),
    "subjects.erase": ActionSpec(SubjectsEraseRequest, SubjectsEraseResponse, SUPERVISORS, stores=STORES),
    "audit.list": ActionSpec(AuditListRequest, AuditListResponse, SUPERVISORS),
    # Reviews are the team's: leads and supervisors only. Adding one stores it with its audit entry.
    "reviews.add": ActionSpec(ReviewAddRequest, ReviewResponse, LEADS, stores=STORES),
    "reviews.list": ActionSpec(ReviewsListRequest, ReviewsResponse, LEADS),
    "team.status": ActionSpec(Empty, TeamStatusResponse, LEADS),
    "reports.daily": ActionSpec(DailyReportRequest, DailyReportResponse, LEADS),
    # Watching a live chat read-only: answered once the audit entry of the view is stored.
    "chat.observe": ActionSpec(ChatRef, ChatWithMessages, LEADS, stores=STORES),
    "chat.unobserve": ActionSpec(ChatRef, Empty, LEADS),
    # Every role: whoever read a cached transcript has it recorded. Stores the entries before the ok.
    "audit.report": ActionSpec(AuditReportRequest, Empty, stores=STORES),
    "subjects.erased_since": ActionSpec(ErasedSinceRequest, ErasedSinceResponse),
    # Data-subject request cases and four-eyes approvals (additions within v1; docs/protocol.md §5).
    "cases.open": ActionSpec(CaseOpenRequest, CaseResponse, SUPERVISORS, stores=STORES),
    "cases.list": ActionSpec(CasesListRequest, CasesListResponse, SUPERVISORS),
    "cases.get": ActionSpec(CaseRef, CaseWithSteps, SUPERVISORS),
    "cases.link": ActionSpec(CaseLinkRequest, CaseResponse, SUPERVISORS, stores=STORES),
    "cases.extend": ActionSpec(CaseExtendRequest, CaseResponse, SUPERVISORS, stores=STORES),
    "cases.record": ActionSpec(CaseRecordRequest, CaseStepResponse, SUPERVISORS, stores=STORES),
    "cases.close": ActionSpec(CaseCloseRequest, CaseResponse, SUPERVISORS, stores=STORES),
    "approvals.request": ActionSpec(ApprovalRequest, ApprovalResponse, SUPERVISORS, stores=STORES),
    "approvals.list": ActionSpec(ApprovalsListRequest, ApprovalsListResponse, SUPERVISORS),
    "approvals.decide": ActionSpec(ApprovalDecision, ApprovalDecided, SUPERVISORS, stores=STORES),
    # Team canned responses (additions within v1).
    "canned.list": ActionSpec(CannedListRequest, CannedListResponse),
    "canned.put": ActionSpec(CannedPutRequest, CannedPutResponse, LEADS, stores=STORES),
    "canned.delete": ActionSpec(CannedDeleteRequest, Empty, LEADS, stores=STORES),
    # Presence and routing (additions within v1): held in memory, nothing stored.
    "presence.set": ActionSpec(PresenceSetRequest, Empty),
    "presence.list": ActionSpec(Empty, PresenceListResponse),
    "messages.left": ActionSpec(MessagesLeftRequest, MessagesLeftResponse),
    "team.set_limit": ActionSpec(TeamSetLimitRequest, Empty, SUPERVISORS, stores=STORES),
    # Earlier chats of a returning visitor, under visitor_insights consent (additions within v1): each
    # answer is given once its audit entry is stored.
    "visitor.earlier_chats": ActionSpec(EarlierChatsRequest, EarlierChatsResponse, stores=STORES),
    "visitor.earlier_chat": ActionSpec(EarlierChatRequest, ChatWithMessages, stores=STORES),
    # Handing a chat to a colleague or a team (an addition within v1): stored with its audit entry.
    "chat.transfer": ActionSpec(ChatTransferRequest, ChatTransferResponse, stores=STORES),
    # Additions within v1: the webhook receivers' deliveries and dead letters (docs/webhooks.md).
    "webhooks.deliveries": ActionSpec(WebhookDeliveriesRequest, WebhookDeliveriesResponse, SUPERVISORS),
    "webhooks.retry": ActionSpec(WebhookDeliveryRef, Empty, SUPERVISORS, stores=STORES),
    "webhooks.drop": ActionSpec(WebhookDeliveryRef, Empty, SUPERVISORS, stores=STORES),
    "ping": ActionSpec(Empty, Empty),
}

VISITOR_ACTIONS: dict[str, ActionSpec] = {
    # Stores a new visitor and the token it hands out.
    "visitor.hello": ActionSpec(HelloRequest, HelloResponse, stores=STORES),
    # Not a change anyone answers for: the page is live state; the page view history is written behind.
    "visitor.page": ActionSpec(PageRequest, Empty),
    "consent.set": ActionSpec(ConsentSetRequest, ConsentSetResponse, stores=STORES),
    "chat.start": ActionSpec(ChatStartRequest, ChatResponse, stores=STORES),
    "chat.send": ActionSpec(VisitorSendRequest, MessageResponse, stores=STORES),
    "chat.typing": ActionSpec(VisitorTypingRequest, Empty),
    "details.submit": ActionSpec(DetailsSubmitRequest, Empty, stores=STORES),
    "details.decline": ActionSpec(DetailsRef, Empty, stores=STORES),
    "chat.end": ActionSpec(Empty, Empty, stores=STORES),
    "subject.forget_me": ActionSpec(Empty, Empty, stores=STORES),
    # Stores its audit entry: the download is answered once it is recorded.
    "subject.export_me": ActionSpec(ExportMeRequest, SubjectsExportResponse, stores=STORES),
    "ping": ActionSpec(Empty, Empty),
}

OPERATOR_PUSHES: dict[str, type[Struct]] = {
    "visitor.upsert": VisitorUpsert,
    "visitor.left": VisitorLeft,
    "visitors.feed": VisitorFeed,
    "chat.incoming": ChatIncoming,
    "chat.updated": ChatUpdated,
    "chat.message": ChatMessagePush,
    "chat.typing": OperatorTypingPush,
    "consent.changed": ConsentChanged,
    "details.received": DetailsReceived,
    "details.declined": DetailsDeclined,
    "subject.erased": SubjectErased,
    "session.closing": SessionClosing,
    "canned.changed": CannedChanged,
    "presence.changed": OperatorPresence,
    "chat.offered": ChatOffered,
    "message.left": LeftMessage,
    "chat.transferred": ChatTransferred,
}

VISITOR_PUSHES: dict[str, type[Struct]] = {
    "chat.updated": ChatUpdated,
    "chat.message": ChatMessagePush,
    "chat.typing": VisitorTypingPush,
    "details.requested": DetailsRequested,
    "chat.closed": ChatClosed,
    "chat.transferred": VisitorChatTransferred,
}

ACTIONS: dict[Endpoint, dict[str, ActionSpec]] = {
    Endpoint.OPERATOR: OPERATOR_ACTIONS,
    Endpoint.VISITOR: VISITOR_ACTIONS,
}
PUSHES: dict[Endpoint, dict[str, type[Struct]]] = {
    Endpoint.OPERATOR: OPERATOR_PUSHES,
    Endpoint.VISITOR: VISITOR_PUSHES,
}
