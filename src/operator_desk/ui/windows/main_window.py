"""The desk's main window: the frame that holds the visitors, the queue, the chat tabs and the visitor
panel, in docks the operator can rearrange, and keeps their layout.

The parts live in their own modules: the chat tabs (``chat_tabs.py``), the actions and menus
(``desk_actions.py``), the tray icon (``tray.py``), the panels (``ui/widgets``), the visitor panel's
content and earlier chats (``visitor_details.py``), the windows it opens (``review_windows.py``). What
the desk says through the event bridge reaches the parts through ``desk_events.py``; what the operator
asks for (accept, send, end, request details, ...) goes to the desk's use cases in ``desk_commands.py``,
whose failures the window shows in words in the banner.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QVBoxLayout, QWidget

from operator_desk.domain.model import Chat, ChatState, DetailField, Visitor
from operator_desk.services.errors import FailureCode
from operator_desk.services.events import TeamCannedChanged
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
from operator_desk.ui.windows.desk_events import DeskEvents
from operator_desk.ui.windows.review_windows import ReviewWindows
from operator_desk.ui.windows.tray import DeskTray
from operator_desk.ui.windows.visitor_details import VisitorDetails

DetectFields = Callable[[str], frozenset[DetailField]]
# Bump when docks are added or renamed: Qt ignores a saved state with another version.
LAYOUT_VERSION = 1


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
        # The team's canned responses as last heard (none: the operator is in no team, or not signed in).
        self.team_canned = TeamCannedChanged(team=None, responses=())
        self._may_close = False   # set once the operator confirmed quitting (or nothing was open)
        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.icon("app"))
        self.update_title()
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)

        self.visitor_model = VisitorTableModel(self)
        self.queue_model = QueueModel(self.visitor_model.visitor, self)
        self.visitor_list = VisitorListPanel(self.visitor_model, self)
        self.queue_panel = QueuePanel(self.queue_model, self)
        self.visitor_panel = VisitorPanel(self)
        self.visitor_details = VisitorDetails(self)
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
        self.tray = DeskTray(self, self.desk_actions.status.menu, self.desk_actions.quit)
        self.sound = sound if sound is not None else SoundPlayer(find_player())
        self.notifier = DeskNotifier(settings, screen_lock or ScreenLock(), self.sound, self)
        self.review_windows = ReviewWindows(self)
        self.commands = DeskCommands(self)
        self._connect_parts()
        self.events = DeskEvents(self)
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
        a.about.triggered.connect(c.on_about_action_triggered)
        self.review_windows.connect_actions(a)
        self.tabs.message_submitted.connect(c.on_tabs_message_submitted)
        self.tabs.typing_changed.connect(c.on_tabs_typing_changed)
        self.tabs.details_requested.connect(c.on_tabs_details_requested)
        self.tabs.end_requested.connect(c.on_tabs_end_requested)
        self.tabs.transfer_requested.connect(c.on_tabs_transfer_requested)
        self.tabs.chat_shown.connect(self.visitor_details.show_for)
        self.tabs.tabs_changed.connect(self._on_tabs_tabs_changed)
        self.tray.activated.connect(self._on_tray_activated)
        self.notifier.notification_ready.connect(self.tray.show_notification)
        self.visitor_list.visitor_selected.connect(self._on_visitor_list_visitor_selected)
        self.visitor_list.states_chosen.connect(c.on_visitor_list_states_chosen)
        self.queue_panel.accept_requested.connect(c.on_queue_panel_accept_requested)
        self.visitor_panel.earlier_chats.load_wanted.connect(c.on_earlier_chats_load_wanted)
        self.visitor_panel.earlier_chats.chat_wanted.connect(c.on_earlier_chats_chat_wanted)
        self.queue_model.queue_length_changed.connect(self._on_queue_model_queue_length_changed)

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
        team = {response.keyword: response.text for response in self.team_canned.responses}
        return team | self.settings.canned_responses

    def show_failure(self, action: str, code: FailureCode) -> None:
        self.banner.show_message(f"{action_text(action)}: {failure_text(code, action)}")

    def _describe_offer(self, chat_id: str) -> tuple[str, str]:
        """The offered chat's visitor (name or pseudonym) and the title of the page they are on."""
        chat = self.desk.chats.get(chat_id)
        visitor = self.visitor(chat.visitor_id) if chat is not None else None
        name = display_name(visitor, chat.visitor_id if chat is not None else chat_id)
        return name, visitor.page.title if visitor is not None else ""

    def update_title(self) -> None:
        title = self.tr("Operator Desk")
        operator = self.desk.operator if self.desk else None
        if operator is not None:
            title = f"{title} — {operator.name}"
        if self.demo:
            title = self.tr("%1 [Demo]").replace("%1", title)
        self.setWindowTitle(title)

    def _on_tabs_tabs_changed(self) -> None:
        has_tabs = self.tabs.count() > 0
        self.tabs.setVisible(has_tabs)
        self._empty.setVisible(not has_tabs)
        self.desk_actions.apply_tab(self.tabs.current_chat_tab())

    def _on_visitor_list_visitor_selected(self, visitor_id: str) -> None:
        if visitor_id:
            self.visitor_details.show_for(visitor_id)

    def _on_queue_model_queue_length_changed(self, length: int) -> None:
        self.desk_actions.apply_queue_length(length)
        self.queue_dock.setWindowTitle(self.tr("Queue (%1)").replace("%1", str(length)) if length
                                       else self.tr("Queue"))
        self.tray.show_queue_length(length)

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
