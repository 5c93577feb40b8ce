"""What the services tell the UI: plain, Qt-free events.

The ``Desk`` facade calls one ``EventSink`` (a callable) on the event-loop thread with these objects;
``ui/bridge.py`` turns them into Qt signals. Services speak in codes (``FailureCode``, from
``services.errors``), the UI turns codes into words. Every event is immutable, so a UI may keep it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from operator_desk.domain.model import Chat, ConsentEvent, Message, Notice, OperatorInfo, TeamRef, Visitor
from operator_desk.protocol.messages import (
    DetailRecord,
    LeftMessage,
    OperatorPresence,
    PresenceStatus,
    TeamCanned,
)
from operator_desk.services.errors import FailureCode


class ConnectionState(enum.StrEnum):
    OFFLINE = "offline"            # not signed in
    CONNECTING = "connecting"      # first connection or sign-in in progress
    ONLINE = "online"              # signed in, pushes flowing
    RECONNECTING = "reconnecting"  # dropped; waiting ``retry_in`` seconds before the next attempt
    CLOSED = "closed"              # the server said never to reconnect (``session.closing``)


class DeliveryState(enum.StrEnum):
    SENDING = "sending"      # in the outbox, not yet acknowledged by the server
    DELIVERED = "delivered"  # the server stored it (it answered chat.send)
    FAILED = "failed"        # the server refused it (the chat was closed, say): it will not be sent


@dataclass(frozen=True, slots=True)
class ConnectionChanged:
    state: ConnectionState
    retry_in: float | None = None          # seconds until the next attempt, while RECONNECTING
    failure: FailureCode | None = None     # why the last attempt failed, if it did


@dataclass(frozen=True, slots=True)
class SignedIn:
    operator: OperatorInfo
    server_name: str
    resumed: bool


@dataclass(frozen=True, slots=True)
class SignedOut:
    failure: FailureCode | None = None     # None: the user signed out


@dataclass(frozen=True, slots=True)
class VisitorsChanged:
    """A coalesced batch (every 16-50 ms at most): apply it to a model in one go.

    ``reset`` means the list was rebuilt from a fresh snapshot: drop every visitor not in ``upserts``.
    Visitors are already redacted by their consent flags (domain.consent.redact_by_flags).
    """

    upserts: tuple[Visitor, ...] = ()
    removed: tuple[str, ...] = ()
    reset: bool = False
    # With reset: the same visitors by id, never changed afterwards (the list need not index 50,000
    # visitors again, a pass of 20-50 ms on this machine). Derived from upserts: not compared.
    by_id: Mapping[str, Visitor] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ChatsChanged:
    """Chats that appeared or changed state (waiting, active, closed), newest state of each.

    ``removed``: chats this operator no longer sees (after a resync, a waiting chat another operator
    took while we were away; or an erased person's chats): drop them from the queue.
    """

    chats: tuple[Chat, ...]
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChatArrived:
    """A visitor started a chat: for the queue's notification."""

    chat: Chat
    visitor: Visitor


@dataclass(frozen=True, slots=True)
class LocalMessage:
    """A message as the transcript shows it. Operator messages typed here start as SENDING with
    ``message`` None, and become DELIVERED with the server's message."""

    chat_id: str
    client_msg_id: str | None
    author: str               # "visitor" | "operator" | "system"
    author_name: str
    text: str
    at: str
    state: DeliveryState
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class MessagesAdded:
    chat_id: str
    messages: tuple[LocalMessage, ...]


@dataclass(frozen=True, slots=True)
class MessageDelivered:
    chat_id: str
    client_msg_id: str
    message: Message


@dataclass(frozen=True, slots=True)
class MessageFailed:
    """The server refused one of the operator's messages (``code`` says why); it left the outbox and
    will not be retried. Its ``LocalMessage`` is now ``FAILED``."""

    chat_id: str
    client_msg_id: str
    code: FailureCode


@dataclass(frozen=True, slots=True)
class TypingChanged:
    """The visitor is typing (or stopped). ``preview`` is their live draft, only with
    ``typing_preview`` consent; it is shown, never stored."""

    chat_id: str
    typing: bool
    preview: str | None = None


@dataclass(frozen=True, slots=True)
class ConsentRecorded:
    visitor_id: str
    event: ConsentEvent


@dataclass(frozen=True, slots=True)
class DetailsChanged:
    """A details request was sent, answered or declined."""

    chat_id: str
    record: DetailRecord


@dataclass(frozen=True, slots=True)
class NoticesLoaded:
    notices: tuple[Notice, ...]


@dataclass(frozen=True, slots=True)
class VisitorErased:
    """Everything about the visitor was erased: close their tabs, drop their rows."""

    visitor_id: str
    chat_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CacheStatus:
    """Whether the local cache is there and encrypted (for the status bar)."""

    available: bool
    encrypted: bool
    failure: FailureCode | None = None


@dataclass(frozen=True, slots=True)
class TeamCannedChanged:
    """The team's canned responses as the desk holds them now, whole (a team keeps at most 100)."""

    team: TeamRef | None
    responses: tuple[TeamCanned, ...]


@dataclass(frozen=True, slots=True)
class ChatTransferredIn:
    """A colleague handed this operator one of their chats (``chat.transferred``), with a note for them
    alone; its transcript follows as ``MessagesAdded``."""

    chat: Chat
    from_operator: OperatorInfo
    note: str


@dataclass(frozen=True, slots=True)
class Failure:
    """Something the user asked for failed. ``action`` names what (e.g. "chat.accept")."""

    action: str
    code: FailureCode


@dataclass(frozen=True, slots=True)
class ObservedChatChanged:
    """A live chat this desk watches read-only (``chat.observe``): messages said in it (``messages``),
    or its new state (``chat``; closed ends the watching). Never part of the desk's own chats."""

    chat_id: str
    chat: Chat | None = None
    messages: tuple[Message, ...] = ()


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    """The operator's own status (what the status bar, the Desk menu and the tray show) and the team's
    statuses as the server told them (signed-in operators, by name). ``supported`` is False for a server
    without presence: there is nothing to choose then."""

    status: PresenceStatus
    team: tuple[OperatorPresence, ...] = ()
    supported: bool = True


@dataclass(frozen=True, slots=True)
class ChatOffer:
    """A waiting chat the server offers this operator, until ``deadline`` (``time.monotonic()``);
    ``seconds`` is how long it was offered for."""

    chat_id: str
    deadline: float
    seconds: float


@dataclass(frozen=True, slots=True)
class OffersChanged:
    """The chats offered to this operator now, soonest to expire first (an empty tuple: none)."""

    offers: tuple[ChatOffer, ...]


@dataclass(frozen=True, slots=True)
class MessagesLeftChanged:
    """The messages visitors left while nobody was available, newest first, as the desk holds them."""

    messages: tuple[LeftMessage, ...]


Event = (
    ConnectionChanged | SignedIn | SignedOut | VisitorsChanged | ChatsChanged | ChatArrived
    | MessagesAdded | MessageDelivered | MessageFailed | TypingChanged | ConsentRecorded | DetailsChanged
    | NoticesLoaded | VisitorErased | CacheStatus | TeamCannedChanged | Failure | ObservedChatChanged
    | PresenceChanged | OffersChanged | MessagesLeftChanged | ChatTransferredIn
)
EventSink = Callable[[Event], None]
