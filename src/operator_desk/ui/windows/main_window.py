"""The desk's main window: the frame that holds the visitors, the queue, the chat tabs and the visitor
panel, in docks the operator can rearrange.

The parts live in their own modules: the chat tabs (``chat_tabs.py``), the actions and menus
(``desk_actions.py``), the tray icon (``tray.py``), the panels (``ui/widgets``). The window builds them,
and hands them what the event bridge says; what the operator asks for (accept, send, end, request
details, ...) goes to the desk's use cases in ``desk_commands.py``, whose failures the window shows in
words in the banner.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow, QVBoxLayout, QWidget
from qasync import asyncSlot

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Chat, ChatState, DetailField, Message, Visitor
from operator_desk.services.errors import FailureCode
from operator_desk.services.events import (
    CacheStatus,
    ChatArrived,
    ChatsChanged,
    ChatTransferredIn,
    ConsentRecorded,
    DetailsChanged,
    Failure,
    MessagesAdded,
    OffersChanged,
    PresenceChanged,
    SignedIn,
    SignedOut,
    TeamCannedChanged,
    VisitorErased,
    VisitorsChanged,
)
from operator_desk.ui import icons
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.failures import action_text, failure_text
from operator_desk.ui.models.queue_model import QueueModel
from operator_desk.ui.models.visitor_model import VisitorTableModel
from operator_desk.ui.naming import display_name
from operator_desk.ui.notifications import DeskNotifier
from operator_desk.ui.screen_lock import ScreenLock
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.sound import SoundPlayer, find_player
from operator_desk.ui.widgets.banner import Banner
from operator_desk.ui.widgets.offer_bar import OfferBar
from operator_desk.ui.widgets.queue_panel import QueuePanel
from operator_desk.ui.widgets.status_bar import DeskStatusBar
from operator_desk.ui.widgets.visitor_list import VisitorListPanel
from operator_desk.ui.widgets.visitor_panel import VisitorPanel
from operator_desk.ui.windows.chat_tabs import ChatTabs
from operator_desk.ui.windows.desk_actions import DeskActions
from operator_desk.ui.windows.desk_commands import DeskCommands
from operator_desk.ui.windows.earlier_chat_window import EarlierChatWindow
from operator_desk.ui.windows.tray import DeskTray

logger = logging.getLogger(__name__)

DetectFields = Callable[[str], frozenset[DetailField]]
# Bump when docks are added or renamed: Qt ignores a saved state with another version.
LAYOUT_VERSION = 1
# "visitors: N" is logged when the count changes, at most this often (first count at once).
VISITOR_LOG_INTERVAL = 30.0


class MainWindow(QMainWindow):
    settings_saved = Signal()
    closed = Signal()

    def __init__(self, desk: DeskPort, bridge: EventBridge, settings: DeskSettings,
                 detect_fields: DetectFields, *, demo: bool = False, parent: QWidget | None = None,
                 screen_lock: ScreenLock | None = None, sound: SoundPlayer | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.bridge = bridge
        self.settings = settings
        self.demo = demo
        self._panel_chat_id = ""
        self._requests_window = None   # made when first opened (requests_window())
        self._team_canned_window = None   # made when first opened
        self._team_canned = TeamCannedChanged(team=None, responses=())
        self._watch_windows: dict[str, QWidget] = {}   # chat id -> its ObserveWindow
        self._earlier_windows: dict[str, EarlierChatWindow] = {}   # chat id -> its window
        self._may_close = False   # set once the operator confirmed quitting (or nothing was open)
        self._logged_count = -1
        self._logged_at = 0.0
        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.icon("app"))
        self._update_title()
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)

        self.visitor_model = VisitorTableModel(self)
        self.queue_model = QueueModel(self.visitor_model.visitor, self)
        self.visitor_list = VisitorListPanel(self.visitor_model, self)
        self.queue_panel = QueuePanel(self.queue_model, self)
        self.visitor_panel = VisitorPanel(self)
        self.tabs = ChatTabs(detect_fields, self)
        self.tabs.close_ended = settings.close_ended_chats
        self.banner = Banner(self)
        self.offer_bar = OfferBar(self._describe_offer, self)
        self._empty = QLabel(self.tr("No open chats.\n\nAccept a waiting chat from the queue "
                                     "(double-click, or Ctrl+Return for the oldest)."))
        self._empty.setObjectName("emptyChats")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)   # else its one long line is the centre's minimum width
        self.setCentralWidget(self._central(demo))

        self.visitors_dock = self._dock("visitorsDock", self.tr("Visitors"), self.visitor_list,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.queue_dock = self._dock("queueDock", self.tr("Queue"), self.queue_panel,
                                     Qt.DockWidgetArea.LeftDockWidgetArea)
        self.panel_dock = self._dock("visitorPanelDock", self.tr("Visitor details"), self.visitor_panel,
                                     Qt.DockWidgetArea.RightDockWidgetArea)
        self.resize(1360, 860)
        self._size_docks()
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._layout_restored = False

        self.desk_actions = DeskActions(self, [(self.queue_dock, "Alt+1"), (self.visitors_dock, "Alt+2"),
                                               (self.panel_dock, "Alt+3")])
        self.status = DeskStatusBar(self, demo=demo, status_actions=self.desk_actions.status)
        self.setStatusBar(self.status)
        self.status_button = self.status.status_button
        self.tray = DeskTray(self, self.desk_actions.status.menu, self.desk_actions.quit)
        self.sound = sound if sound is not None else SoundPlayer(find_player())
        self.notifier = DeskNotifier(settings, screen_lock or ScreenLock(), self.sound, self)
        self.commands = DeskCommands(self)
        self._connect_parts()
        self._connect_bridge()
        self._on_tabs_tabs_changed()
        self._on_queue_model_queue_length_changed(0)

    # -- construction ---------------------------------------------------------------------------------

    def _central(self, demo: bool) -> QWidget:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.offer_bar)
        if demo:
            demo_strip = QLabel(self.tr("Demo mode — a built-in server with simulated visitors. Open the "
                                        "widget address printed in the terminal to chat as a visitor."))
            demo_strip.setObjectName("demoStrip")
            demo_strip.setWordWrap(True)
            layout.addWidget(demo_strip)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self._empty, 1)
        return central

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)   # saveState/restoreState find docks by object name
        dock.setWidget(widget)
        dock.setAccessibleName(title)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _connect_parts(self) -> None:
        a, c = self.desk_actions, self.commands
        a.settings.triggered.connect(c.on_settings_action_triggered)
        a.sign_out.triggered.connect(c.on_sign_out_action_triggered)
        a.quit.triggered.connect(c.on_quit_action_triggered)
        a.accept.triggered.connect(c.on_accept_action_triggered)
        a.accept_offer.triggered.connect(c.on_accept_offer_action_triggered)
        a.pass_offer.triggered.connect(c.on_pass_offer_action_triggered)
        a.status.status_chosen.connect(c.on_status_chosen)
        self.offer_bar.accept_requested.connect(c.on_queue_panel_accept_requested)
        self.offer_bar.pass_requested.connect(c.on_offer_bar_pass_requested)
        a.details.triggered.connect(c.on_details_action_triggered)
        a.end.triggered.connect(c.on_end_action_triggered)
        a.transfer.triggered.connect(c.on_transfer_action_triggered)
        a.close_tab.triggered.connect(self.tabs.close_current)
        a.next_tab.triggered.connect(lambda: self.tabs.show_next(1))
        a.previous_tab.triggered.connect(lambda: self.tabs.show_next(-1))
        a.find_visitor.triggered.connect(self._on_find_visitor_action_triggered)
        a.reset_layout.triggered.connect(self._on_reset_layout_action_triggered)
        a.transcripts.triggered.connect(self._on_transcripts_action_triggered)
        a.team.triggered.connect(self._on_team_action_triggered)
        a.audit.triggered.connect(self._on_audit_action_triggered)
        a.deliveries.triggered.connect(self._on_deliveries_action_triggered)
        a.subjects.triggered.connect(self._on_subjects_action_triggered)
        a.requests.triggered.connect(self._on_requests_action_triggered)
        a.team_canned.triggered.connect(self._on_team_canned_action_triggered)
        a.about.triggered.connect(c.on_about_action_triggered)
        self.tabs.message_submitted.connect(c.on_tabs_message_submitted)
        self.tabs.typing_changed.connect(c.on_tabs_typing_changed)
        self.tabs.details_requested.connect(c.on_tabs_details_requested)
        self.tabs.end_requested.connect(c.on_tabs_end_requested)
        self.tabs.transfer_requested.connect(c.on_tabs_transfer_requested)
        self.tabs.chat_shown.connect(self.show_panel_for)
        self.tabs.tabs_changed.connect(self._on_tabs_tabs_changed)
        self.tray.activated.connect(self._on_tray_activated)
        self.notifier.notification_ready.connect(self.tray.show_notification)
        self.visitor_list.visitor_selected.connect(self._on_visitor_list_visitor_selected)
        self.visitor_list.states_chosen.connect(c.on_visitor_list_states_chosen)
        self.queue_panel.accept_requested.connect(c.on_queue_panel_accept_requested)
        self.visitor_panel.earlier_chats.load_wanted.connect(c.on_earlier_chats_load_wanted)
        self.visitor_panel.earlier_chats.chat_wanted.connect(c.on_earlier_chats_chat_wanted)
        self.queue_model.queue_length_changed.connect(self._on_queue_model_queue_length_changed)

    def _connect_bridge(self) -> None:
        b = self.bridge
        b.connection_changed.connect(self.status.show_connection)
        b.signed_in.connect(self._on_bridge_signed_in)
        b.signed_out.connect(self._on_bridge_signed_out)
        b.visitors_changed.connect(self._on_bridge_visitors_changed)
        b.chats_changed.connect(self._on_bridge_chats_changed)
        b.chat_arrived.connect(self._on_bridge_chat_arrived)
        b.messages_added.connect(self.tabs.show_messages)
        b.messages_added.connect(self._on_bridge_messages_added)
        b.chat_transferred_in.connect(self._on_bridge_chat_transferred_in)
        b.message_delivered.connect(self.tabs.show_delivered)
        b.typing_changed.connect(self.tabs.show_typing)
        b.consent_recorded.connect(self._on_bridge_consent_recorded)
        b.details_changed.connect(self._on_bridge_details_changed)
        b.visitor_erased.connect(self._on_bridge_visitor_erased)
        b.cache_status_changed.connect(self._on_bridge_cache_status_changed)
        b.team_canned_changed.connect(self._on_bridge_team_canned_changed)
        b.failed.connect(self._on_bridge_failed)
        b.presence_changed.connect(self._on_bridge_presence_changed)
        b.offers_changed.connect(self._on_bridge_offers_changed)
        b.messages_left_changed.connect(self._on_bridge_messages_left_changed)

    def attach_desk(self, desk: DeskPort) -> None:
        """A new desk (another server address): same bridge, same window."""
        self.desk = desk

    # -- layout persistence ---------------------------------------------------------------------------

    def _size_docks(self) -> None:
        # The visitor panel is wide enough for its tables' columns, German headers included.
        self.resizeDocks([self.queue_dock, self.panel_dock], [280, 520], Qt.Orientation.Horizontal)
        self.resizeDocks([self.visitors_dock], [320], Qt.Orientation.Vertical)

    def restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self._layout_restored = self.restoreState(state, LAYOUT_VERSION)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._layout_restored and not event.spontaneous():
            # Dock sizes asked for before the first show are not kept once the window is laid out:
            # ask again now, unless the operator's own layout was restored.
            self._layout_restored = True
            QTimer.singleShot(0, self._size_docks)

    def save_layout(self) -> None:
        self.settings.save_window_state(self.saveGeometry(), self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def _on_reset_layout_action_triggered(self) -> None:
        self.restoreState(QByteArray(self._default_state), LAYOUT_VERSION)
        for dock in (self.queue_dock, self.visitors_dock, self.panel_dock):
            dock.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous() and not self._may_close and self.open_chat_ids():
            # The operator closed the window (its title bar, the window manager) during live chats:
            # ask first, and end them cleanly, as Quit does (desk_commands.quit), in an awaited dialog
            # after this event. A close() from the program itself (shutdown, tests) closes at once.
            event.ignore()
            QTimer.singleShot(0, self.commands.on_window_close_requested)
            return
        self.save_layout()
        self.tray.hide()
        super().closeEvent(event)
        self.closed.emit()

    def close_without_asking(self) -> None:
        """Close now, whatever is open: the operator confirmed, or the app is stopping (SIGTERM)."""
        self._may_close = True
        self.close()

    def open_chat_ids(self) -> list[str]:
        """This operator's chats that are still going on (what quitting would end)."""
        me = self.desk.operator.id if self.desk is not None and self.desk.operator else None
        return [chat.id for chat in self.desk.chats.values()
                if me is not None and chat.state == ChatState.ACTIVE and chat.operator_id == me]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.tabs.mark_current_read()
        super().changeEvent(event)

    # -- what the bridge says -------------------------------------------------------------------------

    def _on_bridge_signed_in(self, event: SignedIn) -> None:
        self.status.show_operator(event.operator)
        self.queue_panel.set_team(event.operator.team)
        self.desk_actions.apply_role(event.operator.role)
        self._update_title()
        self.banner.hide()
        logger.info("signed in (role %s)", event.operator.role.value)

    def _on_bridge_signed_out(self, event: SignedOut) -> None:
        self.status.show_operator(None)
        self.queue_panel.set_team(None)
        self.desk_actions.status.show_presence(None)
        self.status_button.show_status("")
        self._on_bridge_offers_changed(OffersChanged(offers=()))
        self.desk_actions.apply_role(None)
        self.tabs.close_all()
        self._forget_earlier_chats(everything=True)
        self.queue_model.clear()
        self.visitor_model.apply(VisitorsChanged(reset=True))
        self.show_panel_for("")
        if event.failure is not None:
            self.banner.show_message(failure_text(event.failure))

    def _on_bridge_visitors_changed(self, batch: VisitorsChanged) -> None:
        self.visitor_model.apply(batch)
        self._log_visitor_count(self.visitor_model.total_count)
        touched = {v.id for v in batch.upserts} | set(batch.removed)
        if batch.reset or touched:
            self.queue_model.refresh_visitor(touched)
        self.tabs.show_visitors(self.visitor_model.visitor, None if batch.reset else touched)
        offered = self.offer_bar.offers
        if offered and (batch.reset or self.visitor_id_of(offered[0].chat_id) in touched):
            self.offer_bar.show_offers(offered)   # the offered visitor's name or page came or changed
        if self.visitor_panel.visitor_id and (batch.reset or self.visitor_panel.visitor_id in touched):
            self._refresh_panel()
        if self._earlier_windows:
            self._forget_earlier_chats()

    def _log_visitor_count(self, count: int) -> None:
        now = time.monotonic()
        if count != self._logged_count and (
            self._logged_count <= 0 or now - self._logged_at >= VISITOR_LOG_INTERVAL
        ):
            self._logged_count, self._logged_at = count, now
            logger.info("visitors: %d", count)

    def _on_bridge_chats_changed(self, event: ChatsChanged) -> None:
        self.queue_model.apply_chats(event.chats)
        me = self.desk.operator.id if self.desk.operator else None
        for chat in event.chats:
            if not self.tabs.show_chat(chat) and chat.state == ChatState.ACTIVE and me is not None \
                    and chat.operator_id == me:
                self.open_tab(chat)
            tab = self.tabs.chat_tab(chat.id)
            if tab is not None and chat.state == ChatState.ACTIVE and chat.operator_id != me:
                tab.hand_over(None)   # handed on (from another desk of this operator, say): over here
                self.tabs.refresh_title(tab)
        self.desk_actions.apply_tab(self.tabs.current_chat_tab())

    def _on_bridge_chat_arrived(self, event: ChatArrived) -> None:
        self.queue_model.apply_chats([event.chat])
        if not self.isActiveWindow() and self.notifier.chat_arrived(display_name(event.visitor)):
            QApplication.alert(self, 0)

    def _on_bridge_messages_added(self, event: MessagesAdded) -> None:
        tab = self.tabs.chat_tab(event.chat_id)
        if tab is None or (self.isActiveWindow() and self.tabs.current_chat_tab() is tab):
            return   # not one of this operator's chats, or the operator is looking at it
        if self.notifier.messages_added(event, display_name(self.visitor(tab.visitor_id), tab.visitor_id)):
            QApplication.alert(self, 0)

    def _on_bridge_chat_transferred_in(self, event: ChatTransferredIn) -> None:
        """A colleague's chat is this operator's now: its tab (opened by ChatsChanged) says from whom,
        with their note; and the operator is told as of a new chat, when looking elsewhere."""
        tab = self.tabs.chat_tab(event.chat.id)
        if tab is None:
            self.open_tab(event.chat)
            tab = self.tabs.chat_tab(event.chat.id)
        if tab is not None:
            tab.show_handed_to_me(event.from_operator.name, event.note, now_ts())
        visitor_name = display_name(self.visitor(event.chat.visitor_id), event.chat.visitor_id)
        from_name = event.from_operator.name
        if not self.isActiveWindow() and self.notifier.chat_handed_over(from_name, visitor_name):
            QApplication.alert(self, 0)

    def _on_bridge_consent_recorded(self, event: ConsentRecorded) -> None:
        if event.visitor_id == self.visitor_panel.visitor_id:
            self._refresh_panel()

    def _on_bridge_details_changed(self, event: DetailsChanged) -> None:
        visitor_id = self.visitor_id_of(event.chat_id)
        if visitor_id and visitor_id == self.visitor_panel.visitor_id:
            self._refresh_panel()
        self.tabs.show_details(event.chat_id, event.record)
        if event.record.status != "pending":
            self.tabs.count_news(event.chat_id)

    def _on_bridge_visitor_erased(self, event: VisitorErased) -> None:
        for chat_id in {*event.chat_ids, *(t.chat_id for t in self.tabs.chat_tabs()
                                           if t.visitor_id == event.visitor_id)}:
            self.tabs.close_tab(chat_id)
        self.queue_model.remove_chats(event.chat_ids)
        self.queue_model.remove_visitor(event.visitor_id)
        self.visitor_model.apply(VisitorsChanged(removed=(event.visitor_id,)))
        if self.visitor_panel.visitor_id == event.visitor_id:
            self.show_panel_for("")
        self._forget_earlier_chats()
        self.status.showMessage(self.tr("A person's data was erased; their chats were closed."), 8000)

    def _on_bridge_cache_status_changed(self, status: CacheStatus) -> None:
        self.status.show_cache(status)
        if status.failure is not None:
            self.banner.show_message(failure_text(status.failure), kind="warning")

    def _on_bridge_presence_changed(self, event: PresenceChanged) -> None:
        self.desk_actions.status.show_presence(event)
        self.status_button.show_status(self.desk_actions.status.status)

    def _on_bridge_offers_changed(self, event: OffersChanged) -> None:
        had_offer = self.offer_bar.chat_id
        self.offer_bar.show_offers(event.offers)
        self.desk_actions.apply_offer(self.offer_bar.chat_id)
        if self.offer_bar.chat_id and self.offer_bar.chat_id != had_offer and not self.isActiveWindow():
            QApplication.alert(self, 0)   # the taskbar entry asks for attention until the window is used

    def _on_bridge_messages_left_changed(self, event) -> None:
        self.queue_panel.left_messages.show_messages(event.messages)

    def _describe_offer(self, chat_id: str) -> tuple[str, str]:
        """The offered chat's visitor (name or pseudonym) and the title of the page they are on."""
        chat = self.desk.chats.get(chat_id)
        visitor = self.visitor(chat.visitor_id) if chat is not None else None
        name = display_name(visitor, chat.visitor_id if chat is not None else chat_id)
        return name, visitor.page.title if visitor is not None else ""

    def _on_bridge_failed(self, failure: Failure) -> None:
        self.show_failure(failure.action, failure.code)

    def show_failure(self, action: str, code: FailureCode) -> None:
        self.banner.show_message(f"{action_text(action)}: {failure_text(code, action)}")

    # -- the parts ------------------------------------------------------------------------------------

    def visitor(self, visitor_id: str) -> Visitor | None:
        return self.visitor_model.visitor(visitor_id) or self.desk.visitors.get(visitor_id)

    def visitor_id_of(self, chat_id: str) -> str:
        chat = self.desk.chats.get(chat_id)
        tab = self.tabs.chat_tab(chat_id)
        return chat.visitor_id if chat else (tab.visitor_id if tab else "")

    def open_tab(self, chat: Chat) -> None:
        self.tabs.open_tab(chat, self.visitor(chat.visitor_id), self.desk.messages_of(chat.id),
                           self.canned_responses(), self.desk.details_of(chat.id))

    def canned_responses(self) -> dict[str, str]:
        """What ``/keyword`` inserts: the team's canned responses and the operator's own, which win on
        a shared keyword (they are the operator's choice, made on purpose)."""
        team = {response.keyword: response.text for response in self._team_canned.responses}
        return team | self.settings.canned_responses

    def _on_bridge_team_canned_changed(self, event: TeamCannedChanged) -> None:
        self._team_canned = event
        self.tabs.set_canned_responses(self.canned_responses())
        self.desk_actions.apply_team(event.team)
        if self._team_canned_window is not None:
            self._team_canned_window.show_responses(event)

    def team_canned_window(self):
        """The team's canned responses, in a window made when first needed."""
        from operator_desk.ui.windows.team_canned_window import TeamCannedWindow  # when first needed

        if self._team_canned_window is None or self._team_canned_window.desk is not self.desk:
            self._team_canned_window = TeamCannedWindow(self.desk, self)
        self._team_canned_window.show_responses(self._team_canned)
        return self._team_canned_window

    def _on_team_canned_action_triggered(self) -> None:
        window = self.team_canned_window()
        window.show()
        window.raise_()

    def _on_tabs_tabs_changed(self) -> None:
        has_tabs = self.tabs.count() > 0
        self.tabs.setVisible(has_tabs)
        self._empty.setVisible(not has_tabs)
        self.desk_actions.apply_tab(self.tabs.current_chat_tab())

    def _on_visitor_list_visitor_selected(self, visitor_id: str) -> None:
        if visitor_id:
            self.show_panel_for(visitor_id)

    def show_panel_for(self, visitor_id: str, chat_id: str = "") -> None:
        self._panel_chat_id = chat_id
        self.visitor_panel.visitor_id = visitor_id
        self._refresh_panel()

    def _refresh_panel(self) -> None:
        visitor_id = self.visitor_panel.visitor_id
        if not visitor_id:
            self.visitor_panel.show_visitor(None, "", (), ())
            return
        chat_ids = [c.id for c in self.desk.chats.values() if c.visitor_id == visitor_id]
        if self._panel_chat_id and self._panel_chat_id not in chat_ids:
            chat_ids.append(self._panel_chat_id)
        details = [record for chat_id in chat_ids for record in self.desk.details_of(chat_id)]
        self.visitor_panel.show_visitor(self.visitor(visitor_id), visitor_id,
                                        self.desk.consents_of(visitor_id), details, self.desk.notices)

    # -- earlier chats of a returning visitor (the visitor panel's list, one window per chat read) ------

    def may_see_earlier_chats(self, visitor_id: str) -> bool:
        """Whether the visitor grants visitor_insights, as the desk knows it now."""
        visitor = self.visitor(visitor_id)
        return visitor is not None and visitor.consent.visitor_insights

    def show_earlier_chat(self, visitor_id: str, chat: Chat, messages: tuple[Message, ...]) -> None:
        window = self._earlier_windows.get(chat.id)
        if window is None:
            name = display_name(self.visitor(visitor_id), visitor_id)
            window = self._earlier_windows[chat.id] = EarlierChatWindow(self.desk, visitor_id, name, chat,
                                                                        messages, self)
        window.show()
        window.raise_()

    def earlier_chat_windows(self) -> list[EarlierChatWindow]:
        return list(self._earlier_windows.values())

    def _forget_earlier_chats(self, everything: bool = False) -> None:
        """Close (and empty) the earlier chats whose visitor no longer grants visitor_insights."""
        for chat_id, window in list(self._earlier_windows.items()):
            if everything or not self.may_see_earlier_chats(window.visitor_id):
                del self._earlier_windows[chat_id]
                window.forget()

    def _on_queue_model_queue_length_changed(self, length: int) -> None:
        self.desk_actions.apply_queue_length(length)
        self.queue_dock.setWindowTitle(self.tr("Queue (%1)").replace("%1", str(length)) if length
                                       else self.tr("Queue"))
        self.tray.show_queue_length(length)

    def _update_title(self) -> None:
        title = self.tr("Operator Desk")
        operator = self.desk.operator if self.desk else None
        if operator is not None:
            title = f"{title} — {operator.name}"
        if self.demo:
            title = self.tr("%1 [Demo]").replace("%1", title)
        self.setWindowTitle(title)

    def _on_tray_activated(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.queue_panel.view.setFocus()

    def _on_find_visitor_action_triggered(self) -> None:
        self.visitors_dock.show()
        self.visitors_dock.raise_()
        self.visitor_list.filter_edit.setFocus()
        self.visitor_list.filter_edit.selectAll()

    @asyncSlot()
    async def _on_transcripts_action_triggered(self) -> None:
        from operator_desk.ui.windows.transcripts_window import TranscriptsWindow  # when first needed

        self._transcripts_window = TranscriptsWindow(self.desk, self)
        self._transcripts_window.show()
        await self._transcripts_window.open_listing()

    @asyncSlot()
    async def _on_team_action_triggered(self) -> None:
        from operator_desk.ui.windows.team_window import TeamWindow  # when first needed

        self._team_window = TeamWindow(self.desk, self)
        self._team_window.watch_requested.connect(self._on_team_window_watch_requested)
        self._team_window.show()
        await self._team_window.open_listing()

    @asyncSlot()
    async def _on_audit_action_triggered(self) -> None:
        from operator_desk.ui.windows.audit_window import AuditWindow  # when first needed

        self._audit_window = AuditWindow(self.desk, self)
        self._audit_window.show()
        await self._audit_window.open_listing()

    @asyncSlot()
    async def _on_deliveries_action_triggered(self) -> None:
        from operator_desk.ui.windows.deliveries_window import DeliveriesWindow  # when first needed

        self._deliveries_window = DeliveriesWindow(self.desk, self)
        self._deliveries_window.show()
        await self._deliveries_window.open_listing()

    @asyncSlot()
    async def _on_team_window_watch_requested(self, chat_id: str) -> None:
        await self.watch_chat(chat_id)

    async def watch_chat(self, chat_id: str) -> None:
        """A live chat read-only, in a window of its own; watching it again brings that window back."""
        from operator_desk.ui.windows.observe_window import ObserveWindow  # when first needed

        window = self._watch_windows.get(chat_id)
        if window is not None and window.watching:
            window.show()
            window.raise_()
            return
        if window is not None:
            window.deleteLater()
        window = self._watch_windows[chat_id] = ObserveWindow(self.desk, self.bridge, chat_id, self)
        window.show()
        await window.start()

    def _on_subjects_action_triggered(self) -> None:
        from operator_desk.ui.windows.subjects_window import SubjectsWindow  # when first needed

        self._subjects_window = SubjectsWindow(self.desk, self)
        self._subjects_window.request_wanted.connect(self._on_subjects_window_request_wanted)
        self._subjects_window.show()

    def requests_window(self):
        """The data-subject requests window, made when first needed and kept while the desk runs."""
        from operator_desk.ui.windows.requests_window import RequestsWindow  # when first needed

        if self._requests_window is None or self._requests_window.desk is not self.desk:
            self._requests_window = RequestsWindow(self.desk, self)
        return self._requests_window

    async def open_requests(self):
        window = self.requests_window()
        window.show()
        window.raise_()
        await window.reload()
        return window

    async def request_for(self, person) -> None:
        """A new request for someone found in the People window, recorded in the Requests window."""
        window = await self.open_requests()
        await window.case_flows.new_request(person)

    @asyncSlot()
    async def _on_requests_action_triggered(self) -> None:
        await self.open_requests()

    @asyncSlot()
    async def _on_subjects_window_request_wanted(self, person) -> None:
        await self.request_for(person)
