"""What the desk says, through the event bridge, and where the main window shows it: visitors and the
queue in their models, chats in their tabs, consent and details in the visitor panel, the operator's
status and offers, the cache's state, failures in the banner; and the operator told (a notification,
the taskbar entry) of what arrives while they look elsewhere.

The other direction, what the operator asks of the desk, is ``desk_commands.py``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import ChatState
from operator_desk.services.events import (
    CacheStatus,
    ChatArrived,
    ChatsChanged,
    ChatTransferredIn,
    ConsentRecorded,
    DetailsChanged,
    Failure,
    MessagesAdded,
    MessagesLeftChanged,
    OffersChanged,
    PresenceChanged,
    SignedIn,
    SignedOut,
    TeamCannedChanged,
    VisitorErased,
    VisitorsChanged,
)
from operator_desk.ui.failures import failure_text
from operator_desk.ui.naming import display_name

if TYPE_CHECKING:
    from operator_desk.ui.windows.main_window import MainWindow

logger = logging.getLogger(__name__)

# "visitors: N" is logged when the count changes, at most this often (first count at once).
VISITOR_LOG_INTERVAL = 30.0


class DeskEvents(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._logged_count = -1
        self._logged_at = 0.0
        w, b = window, window.bridge
        b.connection_changed.connect(w.status.show_connection)
        b.signed_in.connect(self._on_bridge_signed_in)
        b.signed_out.connect(self._on_bridge_signed_out)
        b.visitors_changed.connect(self._on_bridge_visitors_changed)
        b.chats_changed.connect(self._on_bridge_chats_changed)
        b.chat_arrived.connect(self._on_bridge_chat_arrived)
        b.messages_added.connect(w.tabs.show_messages)
        b.messages_added.connect(self._on_bridge_messages_added)
        b.chat_transferred_in.connect(self._on_bridge_chat_transferred_in)
        b.message_delivered.connect(w.tabs.show_delivered)
        b.typing_changed.connect(w.tabs.show_typing)
        b.consent_recorded.connect(self._on_bridge_consent_recorded)
        b.details_changed.connect(self._on_bridge_details_changed)
        b.visitor_erased.connect(self._on_bridge_visitor_erased)
        b.cache_status_changed.connect(self._on_bridge_cache_status_changed)
        b.team_canned_changed.connect(self._on_bridge_team_canned_changed)
        b.failed.connect(self._on_bridge_failed)
        b.presence_changed.connect(self._on_bridge_presence_changed)
        b.offers_changed.connect(self._on_bridge_offers_changed)
        b.messages_left_changed.connect(self._on_bridge_messages_left_changed)

    def _alert(self) -> None:
        """The taskbar entry asks for attention until the window is used."""
        QApplication.alert(self._window, 0)

    def _on_bridge_signed_in(self, event: SignedIn) -> None:
        w = self._window
        w.status.show_operator(event.operator)
        w.queue_panel.set_team(event.operator.team)
        w.desk_actions.apply_role(event.operator.role)
        w.update_title()
        w.banner.hide()
        logger.info("signed in (role %s)", event.operator.role.value)

    def _on_bridge_signed_out(self, event: SignedOut) -> None:
        w = self._window
        w.status.show_operator(None)
        w.queue_panel.set_team(None)
        w.desk_actions.status.show_presence(None)
        w.status.status_button.show_status("")
        self._on_bridge_offers_changed(OffersChanged(offers=()))
        w.desk_actions.apply_role(None)
        w.tabs.close_all()
        w.visitor_details.forget_earlier_chats(everything=True)
        w.queue_model.clear()
        w.visitor_model.apply(VisitorsChanged(reset=True))
        w.visitor_details.show_for("")
        if event.failure is not None:
            w.banner.show_message(failure_text(event.failure))

    def _on_bridge_visitors_changed(self, batch: VisitorsChanged) -> None:
        w = self._window
        w.visitor_model.apply(batch)
        self._log_visitor_count(w.visitor_model.total_count)
        # Not on a reset, after which everything is refreshed: a set of 50,000 ids cost ~10 ms of it.
        touched = set() if batch.reset else {v.id for v in batch.upserts} | set(batch.removed)
        if batch.reset or touched:
            w.queue_model.refresh_visitor(None if batch.reset else touched)
        w.tabs.show_visitors(w.visitor_model.visitor, None if batch.reset else touched)
        offered = w.offer_bar.offers
        if offered and (batch.reset or w.visitor_id_of(offered[0].chat_id) in touched):
            w.offer_bar.show_offers(offered)   # the offered visitor's name or page came or changed
        shown = w.visitor_details.visitor_id
        if shown and (batch.reset or shown in touched):
            w.visitor_details.refresh()
        w.visitor_details.forget_earlier_chats()

    def _log_visitor_count(self, count: int) -> None:
        now = time.monotonic()
        if count != self._logged_count and (
            self._logged_count <= 0 or now - self._logged_at >= VISITOR_LOG_INTERVAL
        ):
            self._logged_count, self._logged_at = count, now
            logger.info("visitors: %d", count)

    def _on_bridge_chats_changed(self, event: ChatsChanged) -> None:
        w = self._window
        w.queue_model.apply_chats(event.chats)
        me = w.desk.operator.id if w.desk.operator else None
        for chat in event.chats:
            if not w.tabs.show_chat(chat) and chat.state == ChatState.ACTIVE and me is not None \
                    and chat.operator_id == me:
                w.open_tab(chat)
            tab = w.tabs.chat_tab(chat.id)
            if tab is not None and chat.state == ChatState.ACTIVE and chat.operator_id != me:
                tab.hand_over(None)   # handed on (from another desk of this operator, say): over here
                w.tabs.refresh_title(tab)
        w.desk_actions.apply_tab(w.tabs.current_chat_tab())

    def _on_bridge_chat_arrived(self, event: ChatArrived) -> None:
        w = self._window
        w.queue_model.apply_chats([event.chat])
        if not w.isActiveWindow() and w.notifier.chat_arrived(display_name(event.visitor)):
            self._alert()

    def _on_bridge_messages_added(self, event: MessagesAdded) -> None:
        w = self._window
        tab = w.tabs.chat_tab(event.chat_id)
        if tab is None or (w.isActiveWindow() and w.tabs.current_chat_tab() is tab):
            return   # not one of this operator's chats, or the operator is looking at it
        if w.notifier.messages_added(event, display_name(w.visitor(tab.visitor_id), tab.visitor_id)):
            self._alert()

    def _on_bridge_chat_transferred_in(self, event: ChatTransferredIn) -> None:
        """A colleague's chat is this operator's now: its tab (opened by ChatsChanged) says from whom,
        with their note; and the operator is told as of a new chat, when looking elsewhere."""
        w = self._window
        tab = w.tabs.chat_tab(event.chat.id)
        if tab is None:
            w.open_tab(event.chat)
            tab = w.tabs.chat_tab(event.chat.id)
        if tab is not None:
            tab.show_handed_to_me(event.from_operator.name, event.note, now_ts())
        visitor_name = display_name(w.visitor(event.chat.visitor_id), event.chat.visitor_id)
        if not w.isActiveWindow() and w.notifier.chat_handed_over(event.from_operator.name, visitor_name):
            self._alert()

    def _on_bridge_consent_recorded(self, event: ConsentRecorded) -> None:
        self._window.visitor_details.refresh_for(event.visitor_id)

    def _on_bridge_details_changed(self, event: DetailsChanged) -> None:
        w = self._window
        w.visitor_details.refresh_for(w.visitor_id_of(event.chat_id))
        w.tabs.show_details(event.chat_id, event.record)
        if event.record.status != "pending":
            w.tabs.count_news(event.chat_id)

    def _on_bridge_visitor_erased(self, event: VisitorErased) -> None:
        w = self._window
        for chat_id in {*event.chat_ids, *(t.chat_id for t in w.tabs.chat_tabs()
                                           if t.visitor_id == event.visitor_id)}:
            w.tabs.close_tab(chat_id)
        w.queue_model.remove_chats(event.chat_ids)
        w.queue_model.remove_visitor(event.visitor_id)
        w.visitor_model.apply(VisitorsChanged(removed=(event.visitor_id,)))
        if w.visitor_details.visitor_id == event.visitor_id:
            w.visitor_details.show_for("")
        w.visitor_details.forget_earlier_chats()
        w.status.showMessage(self.tr("A person's data was erased; their chats were closed."), 8000)

    def _on_bridge_cache_status_changed(self, status: CacheStatus) -> None:
        self._window.status.show_cache(status)
        if status.failure is not None:
            self._window.banner.show_message(failure_text(status.failure), kind="warning")

    def _on_bridge_team_canned_changed(self, event: TeamCannedChanged) -> None:
        w = self._window
        w.team_canned = event
        w.tabs.set_canned_responses(w.canned_responses())
        w.desk_actions.apply_team(event.team)
        w.review_windows.show_team_canned(event)

    def _on_bridge_failed(self, failure: Failure) -> None:
        self._window.show_failure(failure.action, failure.code)

    def _on_bridge_presence_changed(self, event: PresenceChanged) -> None:
        status = self._window.desk_actions.status
        status.show_presence(event)
        self._window.status.status_button.show_status(status.status)

    def _on_bridge_offers_changed(self, event: OffersChanged) -> None:
        w = self._window
        had_offer = w.offer_bar.chat_id
        w.offer_bar.show_offers(event.offers)
        w.desk_actions.apply_offer(w.offer_bar.chat_id)
        if w.offer_bar.chat_id and w.offer_bar.chat_id != had_offer and not w.isActiveWindow():
            self._alert()

    def _on_bridge_messages_left_changed(self, event: MessagesLeftChanged) -> None:
        self._window.queue_panel.left_messages.show_messages(event.messages)
