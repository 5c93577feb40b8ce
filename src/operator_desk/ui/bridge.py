"""Service events -> Qt signals: the one seam between the Qt-free desk and the widgets.

The desk calls :class:`EventBridge` (it is the ``EventSink``) on the event-loop thread, which under
qasync is the Qt thread, so each event is emitted straight away as the signal of its type. Widgets
connect to the signals they care about and never see the desk's callback. ``VisitorsChanged`` already
arrives as a coalesced batch, so one signal per batch is what keeps the visitor list smooth.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from operator_desk.services.events import (
    CacheStatus,
    ChatArrived,
    ChatsChanged,
    ChatTransferredIn,
    ConnectionChanged,
    ConsentRecorded,
    DetailsChanged,
    Event,
    Failure,
    MessageDelivered,
    MessagesAdded,
    MessagesLeftChanged,
    NoticesLoaded,
    ObservedChatChanged,
    OffersChanged,
    PresenceChanged,
    SignedIn,
    SignedOut,
    TeamCannedChanged,
    TypingChanged,
    VisitorErased,
    VisitorsChanged,
)

logger = logging.getLogger(__name__)


class EventBridge(QObject):
    """Callable event sink that re-emits every desk event as a typed Qt signal."""

    connection_changed = Signal(object)   # ConnectionChanged
    signed_in = Signal(object)            # SignedIn
    signed_out = Signal(object)           # SignedOut
    visitors_changed = Signal(object)     # VisitorsChanged (a coalesced batch)
    chats_changed = Signal(object)        # ChatsChanged
    chat_arrived = Signal(object)        # ChatArrived
    messages_added = Signal(object)       # MessagesAdded
    message_delivered = Signal(object)    # MessageDelivered
    typing_changed = Signal(object)       # TypingChanged
    consent_recorded = Signal(object)     # ConsentRecorded
    details_changed = Signal(object)      # DetailsChanged
    notices_loaded = Signal(object)       # NoticesLoaded
    visitor_erased = Signal(object)       # VisitorErased
    cache_status_changed = Signal(object)  # CacheStatus
    team_canned_changed = Signal(object)  # TeamCannedChanged
    failed = Signal(object)               # Failure
    observed_chat_changed = Signal(object)  # ObservedChatChanged
    presence_changed = Signal(object)     # PresenceChanged: this operator's status, the team's
    offers_changed = Signal(object)       # OffersChanged: the chats offered to this operator now
    messages_left_changed = Signal(object)  # MessagesLeftChanged
    chat_transferred_in = Signal(object)  # ChatTransferredIn

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = {
            ConnectionChanged: self.connection_changed,
            SignedIn: self.signed_in,
            SignedOut: self.signed_out,
            VisitorsChanged: self.visitors_changed,
            ChatsChanged: self.chats_changed,
            ChatArrived: self.chat_arrived,
            MessagesAdded: self.messages_added,
            MessageDelivered: self.message_delivered,
            TypingChanged: self.typing_changed,
            ConsentRecorded: self.consent_recorded,
            DetailsChanged: self.details_changed,
            NoticesLoaded: self.notices_loaded,
            VisitorErased: self.visitor_erased,
            CacheStatus: self.cache_status_changed,
            TeamCannedChanged: self.team_canned_changed,
            Failure: self.failed,
            ObservedChatChanged: self.observed_chat_changed,
            PresenceChanged: self.presence_changed,
            OffersChanged: self.offers_changed,
            MessagesLeftChanged: self.messages_left_changed,
            ChatTransferredIn: self.chat_transferred_in,
        }

    def __call__(self, event: Event) -> None:
        signal = self._signals.get(type(event))
        if signal is None:
            # A newer services layer may add events; ignoring one is safe, crashing the sink is not.
            logger.debug("no signal for event %s", type(event).__name__)
            return
        signal.emit(event)
