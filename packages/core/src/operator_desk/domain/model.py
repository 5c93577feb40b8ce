"""The objects of protocol v1 as immutable structs.

They are ``msgspec`` structs so that the protocol layer can validate them straight off the wire
(types, lengths, enumerations) without a second, hand-written copy of every type. Field limits live in
the ``Annotated`` aliases below, so the wire rules and the data they describe are one definition.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Annotated, Any

import msgspec

# -- limits -----------------------------------------------------------------------------------------

MAX_ID = 64
MAX_MESSAGE_TEXT = 10_000
MAX_NAME = 200
MAX_EMAIL = 320
MAX_URL = 2048
MAX_TITLE = 512
MAX_NOTICE_BODY = 50_000
MAX_NOTICE_SUMMARY = 2_000
MAX_DETAIL_VALUE = 1_000

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ID)]
# RFC 3339 UTC with milliseconds: 2026-11-29T10:00:00.123Z
Timestamp = Annotated[
    str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", max_length=24)
]
Name = Annotated[str, msgspec.Meta(max_length=MAX_NAME)]
Email = Annotated[str, msgspec.Meta(max_length=MAX_EMAIL)]
Url = Annotated[str, msgspec.Meta(max_length=MAX_URL)]
Title = Annotated[str, msgspec.Meta(max_length=MAX_TITLE)]
MessageText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_MESSAGE_TEXT)]
ShortText = Annotated[str, msgspec.Meta(max_length=MAX_TITLE)]
Count = Annotated[int, msgspec.Meta(ge=0)]
# The most chats one operator has open at once (routing and their own accepts).
MAX_CHAT_LIMIT = 100
ChatLimit = Annotated[int, msgspec.Meta(ge=1, le=MAX_CHAT_LIMIT)]


class Purpose(enum.StrEnum):
    """What a piece of personal data may be used for; each needs its own consent."""

    CHAT = "chat"
    VISITOR_INSIGHTS = "visitor_insights"
    CONTACT_DETAILS = "contact_details"
    TYPING_PREVIEW = "typing_preview"


class Role(enum.StrEnum):
    OPERATOR = "operator"
    TEAM_LEAD = "team_lead"
    SUPERVISOR = "supervisor"


class VisitorState(enum.StrEnum):
    BROWSING = "browsing"
    WAITING = "waiting"
    CHATTING = "chatting"
    LEFT = "left"


class ChatState(enum.StrEnum):
    WAITING = "waiting"
    ACTIVE = "active"
    CLOSED = "closed"


class Author(enum.StrEnum):
    VISITOR = "visitor"
    OPERATOR = "operator"
    SYSTEM = "system"


class ConsentMethod(enum.StrEnum):
    PRECHAT_FORM = "prechat_form"
    DETAILS_PROMPT = "details_prompt"
    WIDGET_SETTINGS = "widget_settings"


class DetailField(enum.StrEnum):
    """The extra details an operator may ask for (protocol v1's standard set)."""

    PHONE = "phone"
    POSTAL_ADDRESS = "postal_address"
    EMAIL = "email"
    COMPANY = "company"
    ORDER_REFERENCE = "order_reference"


class Struct(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """Base of every wire object: immutable, unknown fields ignored. (``kw_only`` is not inherited in
    msgspec, so each subclass repeats it: fields can then be ordered as they read best.)"""


class Page(Struct, frozen=True, kw_only=True, gc=False):
    url: Url
    title: Title = ""


class Location(Struct, frozen=True, kw_only=True, gc=False):
    country: ShortText | None = None
    country_code: Annotated[str, msgspec.Meta(max_length=3)] | None = None
    city: ShortText | None = None


class Insights(Struct, frozen=True, kw_only=True, gc=False):
    """What ``visitor_insights`` consent unlocks: never sent or stored without it."""

    ip: Annotated[str, msgspec.Meta(max_length=64)]
    location: Location | None = None
    company: ShortText | None = None
    visits: Count = 1
    first_seen: Timestamp | None = None


class ConsentFlags(Struct, frozen=True, kw_only=True, gc=False):
    chat: bool = False
    visitor_insights: bool = False
    contact_details: bool = False
    typing_preview: bool = False

    def granted(self, purpose: Purpose) -> bool:
        return bool(getattr(self, purpose.value))


class Visitor(Struct, frozen=True, kw_only=True, gc=False):
    """``gc=False`` (here and on the structs it holds): a desk keeps up to 50,000 visitors, five objects
    each, and a full pass of the cyclic garbage collector over them stopped its event loop for 150 ms
    and more. They hold only text, numbers and each other, frozen: they cannot be part of a cycle, and
    reference counting frees them."""

    id: Id
    state: VisitorState
    page: Page
    pages_viewed: Count = 0
    on_site_since: Timestamp
    name: Name | None = None
    email: Email | None = None
    consent: ConsentFlags = ConsentFlags()
    insights: Insights | None = None
    # The language the visitor's browser asked for (an extension of the v1 design, optional): the
    # operator shows the privacy notice in the language the visitor will read it in.
    language: Annotated[str, msgspec.Meta(max_length=35)] | None = None


class ConsentEvent(Struct, frozen=True, kw_only=True):
    """One grant or withdrawal. Events are never updated: a withdrawal is a new event.

    ``seq`` (an addition within v1) is the server's sequence number of the event: larger means recorded
    later. ``at`` is when, by the server's clock, for people to read; clocks step, so the order of
    events is ``seq``'s, never ``at``'s."""

    id: Id
    visitor_id: Id
    purpose: Purpose
    granted: bool
    notice_id: Id
    notice_version: Annotated[int, msgspec.Meta(ge=1)]
    method: ConsentMethod
    at: Timestamp
    seq: Annotated[int, msgspec.Meta(ge=1)] | None = None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ConsentEvent:
        """The event a stored row holds, its values in the order of the fields above (``id``,
        ``visitor_id``, ``purpose``, ``granted``, ``notice_id``, ``notice_version``, ``method``, ``at``,
        ``seq``): the server's table and the desk's cache both keep them so. ``granted`` may be stored as
        0 or 1, ``purpose`` and ``method`` as their text."""
        id_, visitor_id, purpose, granted, notice_id, notice_version, method, at, seq = row
        return cls(id=id_, visitor_id=visitor_id, purpose=Purpose(purpose), granted=bool(granted),
                   notice_id=notice_id, notice_version=notice_version, method=ConsentMethod(method), at=at,
                   seq=seq)


class Notice(Struct, frozen=True, kw_only=True):
    """A published privacy notice. A version never changes; an edit is a new version."""

    id: Id
    version: Annotated[int, msgspec.Meta(ge=1)]
    language: Annotated[str, msgspec.Meta(min_length=2, max_length=16)]
    title: Title
    body: Annotated[str, msgspec.Meta(max_length=MAX_NOTICE_BODY)]
    purposes: tuple[Purpose, ...]
    sha256: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
    # Additions within v1. ``fresh_consent``: this version asks again for consent to its purposes
    # (consents to earlier versions stop counting). ``counts_from``: consents to this notice count
    # from this version on (the latest version that asked for fresh consent; 1 from older servers).
    fresh_consent: bool = True
    counts_from: Annotated[int, msgspec.Meta(ge=1)] = 1
    # Addition within v1: the short layer shown first (who is responsible, what is kept how long, where
    # to change it), plain text; ``body`` is the full notice one click away.
    summary: Annotated[str, msgspec.Meta(max_length=MAX_NOTICE_SUMMARY)] = ""


class Chat(Struct, frozen=True, kw_only=True):
    id: Id
    visitor_id: Id
    state: ChatState
    operator_id: Id | None = None
    started_at: Timestamp
    closed_at: Timestamp | None = None
    # Addition within v1: the team (department) the chat was started for, whose operators it is offered
    # to; None: anyone's.
    team_id: Id | None = None
    # Addition within v1: a message the visitor left while nobody was available (the chat is closed at
    # once; operators list these and answer later).
    left_message: bool = False


class Message(Struct, frozen=True, kw_only=True):
    id: Id
    chat_id: Id
    client_msg_id: Id | None = None
    author: Author
    author_name: Name = ""
    text: MessageText
    at: Timestamp


class TeamRef(Struct, frozen=True, kw_only=True):
    """A team (a department): operators who share a queue and canned responses (an addition within v1)."""

    id: Id
    name: Name


class OperatorInfo(Struct, frozen=True, kw_only=True):
    id: Id
    name: Name
    role: Role
    # Addition within v1: the operator's team, or None for one in no team (a supervisor, often).
    team: TeamRef | None = None
    # Addition within v1: the account's own chat limit (routing), or None for the site's.
    chat_limit: ChatLimit | None = None
