"""What the store hands back besides the domain's own Chat, Message, Visitor, ConsentEvent, Notice."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from operator_desk.domain.model import Chat, ChatState, Message, Purpose


class Record(msgspec.Struct, frozen=True, kw_only=True):
    pass


class CacheRetention(Record, frozen=True, kw_only=True):
    """How long the local cache keeps each category, in days. Configurable per profile (saved in
    settings). The server has retention limits of its own (``server.config``)."""

    transcripts_days: int = 30
    received_details_days: int = 7
    visitor_snapshots_days: int = 1
    # The local audit log holds no personal data; it is kept longer so erasures stay provable.
    audit_days: int = 365

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least one day")


class SearchHit(Record, frozen=True, kw_only=True):
    message: Message
    visitor_id: str
    operator_id: str | None
    # Plain text around the match; ``highlights`` are (start, end) offsets of matched terms in it.
    snippet: str
    highlights: tuple[tuple[int, int], ...]


class SearchPage(Record, frozen=True, kw_only=True):
    hits: tuple[SearchHit, ...]
    # Pass back as ``cursor`` for the next (older) page; ``None`` when there is none.
    next_cursor: str | None


class OutboxEntry(Record, frozen=True, kw_only=True):
    chat_id: str
    client_msg_id: str
    text: str
    created_at: str


class DetailRequest(Record, frozen=True, kw_only=True):
    id: str
    chat_id: str
    notice_id: str
    notice_version: int
    fields: tuple[str, ...]
    purpose: Purpose = Purpose.CONTACT_DETAILS
    requested_at: str
    state: str = "pending"
    answered_at: str | None = None


class ReceivedDetail(Record, frozen=True, kw_only=True):
    request_id: str
    chat_id: str
    field: str
    value: str
    purpose: Purpose
    received_at: str


# References an audit entry names (a chat id, a case id, where something was read from): never personal data.
AuditDetail = Mapping[str, str | int | bool]


class CacheAuditEntry(Record, frozen=True, kw_only=True):
    """One entry of the local cache's own audit log (the server's entries are ``protocol.AuditEntry``)."""

    at: str
    actor: str
    action: str
    # A pseudonym (see ``audit.pseudonym``), never a visitor id, name or address.
    subject: str | None
    counts: dict[str, int]
    detail: dict[str, str | int | bool] = msgspec.field(default_factory=dict)
    # The order entries were written in (the cursor of a page is the last one's seq).
    seq: int = 0
    # The person the subject names was erased later: the subject is their tombstone.
    subject_erased: bool = False


class CacheAuditQuery(Record, frozen=True, kw_only=True):
    """Which entries of the local audit log to list: every filter given must match."""

    action: str | None = None
    actor: str | None = None
    subject: str | None = None  # a pseudonym (``Store.subject_pseudonym``): the entries about one person
    since: str | None = None   # inclusive
    until: str | None = None   # exclusive
    limit: int = 100
    cursor: str | None = None


class CacheAuditPage(Record, frozen=True, kw_only=True):
    entries: tuple[CacheAuditEntry, ...]
    # Pass back as ``cursor`` for the next (older) page; ``None`` when there is none.
    next_cursor: str | None


class CachedTranscriptQuery(Record, frozen=True, kw_only=True):
    """Which cached chats transcript review lists: every filter given must match, as the server's
    ``transcripts.search`` filters (``store.transcripts``)."""

    text: str = ""
    operator_id: str | None = None
    visitor: str | None = None      # a visitor id, or part of a name or e-mail address this cache kept
    since: str | None = None        # chat start, inclusive
    until: str | None = None        # chat start, exclusive
    state: ChatState | None = None
    details: bool | None = None     # True: only chats with received details; False: only without
    limit: int = 20
    cursor: str | None = None


class CachedTranscript(Record, frozen=True, kw_only=True):
    chat: Chat
    message_count: int
    visitor_name: str | None        # only while the visitor's snapshot (and its chat consent) is kept
    details_collected: bool
    # With words: the newest matching message, shortened around the match; ``highlights`` are the
    # [start, end) offsets of the matched words in it.
    snippet: str | None = None
    highlights: tuple[tuple[int, int], ...] = ()


class CachedTranscriptPage(Record, frozen=True, kw_only=True):
    transcripts: tuple[CachedTranscript, ...]
    next_cursor: str | None
