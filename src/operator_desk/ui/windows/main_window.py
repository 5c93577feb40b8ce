"""The desk: visitors, the queue, chat tabs and the visitor panel, in docks the operator can rearrange.

It listens to the event bridge (never to the desk's callback) and calls the desk's use cases from
``@asyncSlot`` handlers that are one line each, awaiting a named coroutine that tests can await too.
Failures come back as ``DeskError``/``Failure`` codes and are shown as sentences in the banner.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QSystemTrayIcon,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.domain.model import Chat, ChatState, DetailField, Purpose, Role
from operator_desk.services.events import (
    CacheStatus,
    ChatIncoming,
    ChatsChanged,
    ConnectionChanged,
    ConsentRecorded,
    DetailsChanged,
    Failure,
    FailureCode,
    MessageDelivered,
    MessagesAdded,
    SignedIn,
    SignedOut,
    SubjectErased,
    TypingChanged,
    VisitorsChanged,
)
from operator_desk.ui import icons
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.dialogs.about import AboutDialog
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.dialogs.details_request import DetailsRequestDialog
from operator_desk.ui.dialogs.settings_dialog import SettingsDialog
from operator_desk.ui.failures import action_text, failure_code, failure_text
from operator_desk.ui.models.queue_model import QueueModel
from operator_desk.ui.models.visitor_model import VisitorTableModel
from operator_desk.ui.naming import display_name
from operator_desk.ui.plain import plain_tooltip
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.widgets.banner import Banner
from operator_desk.ui.widgets.chat_tab import ChatTab
from operator_desk.ui.widgets.queue_panel import QueuePanel
from operator_desk.ui.widgets.status_bar import DeskStatusBar
from operator_desk.ui.widgets.visitor_list import VisitorListPanel
from operator_desk.ui.widgets.visitor_panel import VisitorPanel

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
                 detect_fields: DetectFields, *, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.bridge = bridge
        self.settings = settings
        self._detect = detect_fields
        self.demo = demo
        self._tabs_by_chat: dict[str, ChatTab] = {}
        self._unread: dict[str, int] = {}
        self._panel_chat_id = ""
        self._logged_count = -1
        self._logged_at = 0.0
        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.icon("app"))
        self._update_title()
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)

        # Models and panels.
        self.visitor_model = VisitorTableModel(self)
        self.queue_model = QueueModel(self.visitor_model.visitor, self)
        self.visitor_list = VisitorListPanel(self.visitor_model, self)
        self.queue_panel = QueuePanel(self.queue_model, self)
        self.visitor_panel = VisitorPanel(self)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("chatTabs")
        self.tabs.setAccessibleName(self.tr("Open chats"))
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self._on_tabs_tab_close_requested)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._empty = QLabel(self.tr("No open chats.\n\nAccept a waiting chat from the queue "
                                     "(double-click, or Ctrl+Return for the oldest)."))
        self._empty.setObjectName("emptyChats")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner = Banner(self)
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.banner)
        if demo:
            demo_strip = QLabel(self.tr("Demo mode — a built-in server with simulated visitors. Open the "
                                        "widget address printed in the terminal to chat as a visitor."))
            demo_strip.setObjectName("demoStrip")
            demo_strip.setWordWrap(True)
            central_layout.addWidget(demo_strip)
        central_layout.addWidget(self.tabs, 1)
        central_layout.addWidget(self._empty, 1)
        self.setCentralWidget(central)

        self.visitors_dock = self._dock("visitorsDock", self.tr("Visitors"), self.visitor_list,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.queue_dock = self._dock("queueDock", self.tr("Queue"), self.queue_panel,
                                     Qt.DockWidgetArea.LeftDockWidgetArea)
        self.panel_dock = self._dock("visitorPanelDock", self.tr("Visitor"), self.visitor_panel,
                                     Qt.DockWidgetArea.RightDockWidgetArea)
        self.resize(1360, 860)
        self.resizeDocks([self.queue_dock, self.panel_dock], [280, 420], Qt.Orientation.Horizontal)
        self.resizeDocks([self.visitors_dock], [320], Qt.Orientation.Vertical)
        self._default_state = self.saveState(LAYOUT_VERSION)

        self.status = DeskStatusBar(self, demo=demo)
        self.setStatusBar(self.status)
        self._build_actions()
        self._build_tray()
        self._connect_bridge()
        self.visitor_list.visitor_selected.connect(self._on_visitor_list_visitor_selected)
        self.queue_panel.accept_requested.connect(self._on_queue_panel_accept_requested)
        self.queue_model.queue_length_changed.connect(self._on_queue_model_queue_length_changed)
        self._apply_role(None)
        self._sync_empty_state()
        self._on_queue_model_queue_length_changed(0)

    # -- construction ---------------------------------------------------------------------------------

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

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None, icon: str = "",
                tip: str = "") -> QAction:
        action = QAction(icons.icon(icon) if icon else QIcon(), text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        desk_menu = menu.addMenu(self.tr("&Desk"))
        self.settings_action = self._action(self.tr("&Settings…"), self._on_settings_action_triggered,
                                            QKeySequence.StandardKey.Preferences, "settings")
        self.sign_out_action = self._action(self.tr("Sign &out"), self._on_sign_out_action_triggered,
                                            "Ctrl+Shift+Q", "sign-out")
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        desk_menu.addAction(self.settings_action)
        desk_menu.addSeparator()
        desk_menu.addAction(self.sign_out_action)
        desk_menu.addAction(self.quit_action)

        chat_menu = menu.addMenu(self.tr("&Chat"))
        self.accept_action = self._action(
            self.tr("&Accept oldest waiting chat"), self._on_accept_action_triggered, "Ctrl+Return", "accept")
        self.details_action = self._action(self.tr("Request &details…"), self._on_details_action_triggered,
                                           "Ctrl+Shift+D", "details")
        self.end_action = self._action(self.tr("&End chat"), self._on_end_action_triggered, "Ctrl+Shift+E",
                                       "end-chat")
        self.close_tab_action = self._action(self.tr("&Close tab"), self._on_close_tab_action_triggered,
                                             QKeySequence.StandardKey.Close)
        self.next_tab_action = self._action(self.tr("&Next chat"), self._on_next_tab_action_triggered,
                                            "Ctrl+PgDown")
        self.previous_tab_action = self._action(self.tr("&Previous chat"),
                                                self._on_previous_tab_action_triggered, "Ctrl+PgUp")
        self.find_visitor_action = self._action(self.tr("&Find visitor"), self._on_find_visitor_triggered,
                                                QKeySequence.StandardKey.Find, "search")
        for action in (self.accept_action, self.details_action, self.end_action, self.close_tab_action,
                       None, self.next_tab_action, self.previous_tab_action, None, self.find_visitor_action):
            if action is None:
                chat_menu.addSeparator()
            else:
                chat_menu.addAction(action)

        view_menu = menu.addMenu(self.tr("&View"))
        for dock, key in ((self.queue_dock, "Alt+1"), (self.visitors_dock, "Alt+2"),
                          (self.panel_dock, "Alt+3")):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(key))
            view_menu.addAction(toggle)
        view_menu.addSeparator()
        view_menu.addAction(self._action(self.tr("&Reset layout"), self._on_reset_layout_triggered))

        self.review_menu = menu.addMenu(self.tr("&Review"))
        self.transcripts_action = self._action(self.tr("&Transcripts…"),
                                               self._on_transcripts_action_triggered,
                                               "Ctrl+Shift+T", "search")
        self.subjects_action = self._action(self.tr("&People and erasure…"),
                                            self._on_subjects_action_triggered, "Ctrl+Shift+P", "subjects")
        self.review_menu.addAction(self.transcripts_action)
        self.review_menu.addAction(self.subjects_action)

        help_menu = menu.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About Operator Desk"), self._on_about_triggered))

    def _build_tray(self) -> None:
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icons.icon("app"), self)
            self.tray.setToolTip(self.tr("Operator Desk"))
            self.tray.messageClicked.connect(self._on_tray_message_clicked)
            self.tray.activated.connect(self._on_tray_message_clicked)
            self.tray.show()

    def _connect_bridge(self) -> None:
        b = self.bridge
        b.connection_changed.connect(self._on_bridge_connection_changed)
        b.signed_in.connect(self._on_bridge_signed_in)
        b.signed_out.connect(self._on_bridge_signed_out)
        b.visitors_changed.connect(self._on_bridge_visitors_changed)
        b.chats_changed.connect(self._on_bridge_chats_changed)
        b.chat_incoming.connect(self._on_bridge_chat_incoming)
        b.messages_added.connect(self._on_bridge_messages_added)
        b.message_delivered.connect(self._on_bridge_message_delivered)
        b.typing_changed.connect(self._on_bridge_typing_changed)
        b.consent_recorded.connect(self._on_bridge_consent_recorded)
        b.details_changed.connect(self._on_bridge_details_changed)
        b.subject_erased.connect(self._on_bridge_subject_erased)
        b.cache_status_changed.connect(self._on_bridge_cache_status_changed)
        b.failed.connect(self._on_bridge_failed)

    def attach_desk(self, desk: DeskPort) -> None:
        """A new desk (another server address): same bridge, same window."""
        self.desk = desk

    # -- layout persistence ---------------------------------------------------------------------------

    def restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)

    def save_layout(self) -> None:
        self.settings.save_window_state(self.saveGeometry(), self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def _on_reset_layout_triggered(self) -> None:
        self.restoreState(QByteArray(self._default_state), LAYOUT_VERSION)
        for dock in (self.queue_dock, self.visitors_dock, self.panel_dock):
            dock.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        if self.tray is not None:
            self.tray.hide()
        super().closeEvent(event)
        self.closed.emit()

    # -- bridge slots ---------------------------------------------------------------------------------

    def _on_bridge_connection_changed(self, event: ConnectionChanged) -> None:
        self.status.show_connection(event)

    def _on_bridge_signed_in(self, event: SignedIn) -> None:
        self.status.show_operator(event.operator)
        self._apply_role(event.operator.role)
        self._update_title()
        self.banner.hide()
        logger.info("signed in (role %s)", event.operator.role.value)

    def _on_bridge_signed_out(self, event: SignedOut) -> None:
        self.status.show_operator(None)
        self._apply_role(None)
        self._clear_session_views()
        if event.failure is not None:
            self.banner.show_message(failure_text(event.failure))

    def _on_bridge_visitors_changed(self, batch: VisitorsChanged) -> None:
        self.visitor_model.apply(batch)
        self._log_visitor_count(self.visitor_model.total_count)
        touched = {v.id for v in batch.upserts} | set(batch.removed)
        if batch.reset or touched:
            self.queue_model.refresh_visitor(touched)
        for tab in self._tabs_by_chat.values():
            if batch.reset or tab.visitor_id in touched:
                tab.set_visitor(self.visitor_model.visitor(tab.visitor_id))
                self._refresh_tab_title(tab)
        if self.visitor_panel.visitor_id and (batch.reset or self.visitor_panel.visitor_id in touched):
            self._refresh_panel()

    def _log_visitor_count(self, count: int) -> None:
        # "visitors: N" in the log when the count changes, at most every VISITOR_LOG_INTERVAL seconds.
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
            tab = self._tabs_by_chat.get(chat.id)
            if tab is not None:
                tab.set_chat(chat)
                self._refresh_tab_title(tab)
            elif chat.state == ChatState.ACTIVE and chat.operator_id == me and me is not None:
                self._open_tab(chat)
        self._update_actions()

    def _on_bridge_chat_incoming(self, event: ChatIncoming) -> None:
        self.queue_model.apply_chats([event.chat])
        if self.isActiveWindow() or not self.settings.notify_incoming:
            return
        name = display_name(event.visitor)
        if self.tray is not None:
            self.tray.showMessage(self.tr("New chat"), self.tr("%1 is waiting for an operator.").replace(
                "%1", name), icons.icon("app"), 8000)
        QApplication.alert(self, 0)
        if self.settings.sound:
            QApplication.beep()

    def _on_bridge_messages_added(self, event: MessagesAdded) -> None:
        tab = self._tabs_by_chat.get(event.chat_id)
        if tab is None:
            return
        new_from_visitor = tab.add_messages(event.messages)
        if new_from_visitor and not (self.isActiveWindow() and self.tabs.currentWidget() is tab):
            self._unread[event.chat_id] = self._unread.get(event.chat_id, 0) + new_from_visitor
            self._refresh_tab_title(tab)

    def _on_bridge_message_delivered(self, event: MessageDelivered) -> None:
        tab = self._tabs_by_chat.get(event.chat_id)
        if tab is not None:
            tab.mark_delivered(event.client_msg_id, event.message)

    def _on_bridge_typing_changed(self, event: TypingChanged) -> None:
        tab = self._tabs_by_chat.get(event.chat_id)
        if tab is not None:
            tab.show_typing(event.typing, event.preview)

    def _on_bridge_consent_recorded(self, event: ConsentRecorded) -> None:
        if event.visitor_id == self.visitor_panel.visitor_id:
            self._refresh_panel()

    def _on_bridge_details_changed(self, event: DetailsChanged) -> None:
        chat = self.desk.chats.get(event.chat_id)
        tab = self._tabs_by_chat.get(event.chat_id)
        visitor_id = chat.visitor_id if chat else (tab.visitor_id if tab else "")
        if visitor_id and visitor_id == self.visitor_panel.visitor_id:
            self._refresh_panel()
        if tab is not None and tab is not self.tabs.currentWidget() and event.record.status != "pending":
            self._unread[event.chat_id] = self._unread.get(event.chat_id, 0) + 1
            self._refresh_tab_title(tab)

    def _on_bridge_subject_erased(self, event: SubjectErased) -> None:
        for chat_id in {*event.chat_ids, *(c for c, t in self._tabs_by_chat.items()
                                           if t.visitor_id == event.visitor_id)}:
            self._close_tab(chat_id)
        self.queue_model.remove_chats(event.chat_ids)
        self.queue_model.remove_visitor(event.visitor_id)
        self.visitor_model.apply(VisitorsChanged(removed=(event.visitor_id,)))
        if self.visitor_panel.visitor_id == event.visitor_id:
            self._show_panel_for("")
        self.status.showMessage(self.tr("A person's data was erased; their chats were closed."), 8000)

    def _on_bridge_cache_status_changed(self, status: CacheStatus) -> None:
        self.status.show_cache(status)
        if status.failure is not None:
            self.banner.show_message(failure_text(status.failure), kind="warning")

    def _on_bridge_failed(self, failure: Failure) -> None:
        self.show_failure(failure.action, failure.code)

    def show_failure(self, action: str, code: FailureCode) -> None:
        self.banner.show_message(f"{action_text(action)}: {failure_text(code)}")

    # -- tabs -----------------------------------------------------------------------------------------

    def chat_tab(self, chat_id: str) -> ChatTab | None:
        return self._tabs_by_chat.get(chat_id)

    def _open_tab(self, chat: Chat) -> ChatTab:
        tab = ChatTab(chat, self._detect, self)
        visitor = self.visitor_model.visitor(chat.visitor_id) or self.desk.visitors.get(chat.visitor_id)
        tab.set_visitor(visitor)
        tab.composer.set_canned_responses(self.settings.canned_responses)
        tab.add_messages(self.desk.messages_of(chat.id))
        tab.message_submitted.connect(self._on_chat_tab_message_submitted)
        tab.typing_changed.connect(self._on_chat_tab_typing_changed)
        tab.details_requested.connect(self._on_chat_tab_details_requested)
        tab.end_requested.connect(self._on_chat_tab_end_requested)
        self._tabs_by_chat[chat.id] = tab
        index = self.tabs.addTab(tab, icons.icon("chat"), tab.title)
        self.tabs.setTabToolTip(index, plain_tooltip(tab.title))
        self._sync_empty_state()
        return tab

    def _close_tab(self, chat_id: str) -> None:
        tab = self._tabs_by_chat.pop(chat_id, None)
        self._unread.pop(chat_id, None)
        if tab is None:
            return
        self.tabs.removeTab(self.tabs.indexOf(tab))
        tab.hide()
        tab.setParent(None)   # out of the window now (an erased person must not linger), freed later
        tab.deleteLater()
        self._sync_empty_state()

    def _refresh_tab_title(self, tab: ChatTab) -> None:
        index = self.tabs.indexOf(tab)
        if index < 0:
            return
        unread = self._unread.get(tab.chat_id, 0)
        title = tab.title if not unread else f"{tab.title} ({unread})"
        if tab.is_closed:
            title = self.tr("%1 — ended").replace("%1", title)
        self.tabs.setTabText(index, title)
        self.tabs.setTabIcon(index, icons.icon("end-chat" if tab.is_closed else "chat"))
        self.tabs.setTabToolTip(index, self.tr("%n unread message(s)", "", unread) if unread
                                else plain_tooltip(tab.title))

    def _sync_empty_state(self) -> None:
        has_tabs = self.tabs.count() > 0
        self.tabs.setVisible(has_tabs)
        self._empty.setVisible(not has_tabs)
        self._update_actions()

    def _current_tab(self) -> ChatTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ChatTab) else None

    def _on_tabs_current_changed(self, _index: int) -> None:
        tab = self._current_tab()
        if tab is not None:
            self._unread.pop(tab.chat_id, None)
            self._refresh_tab_title(tab)
            self._show_panel_for(tab.visitor_id, tab.chat_id)
            tab.focus_composer()
        self._update_actions()

    def _on_tabs_tab_close_requested(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, ChatTab):
            if tab.is_closed:
                self._close_tab(tab.chat_id)
            else:
                self._end_chat_soon(tab.chat_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            tab = self._current_tab()
            if tab is not None and self._unread.pop(tab.chat_id, None):
                self._refresh_tab_title(tab)
        super().changeEvent(event)

    def _clear_session_views(self) -> None:
        for chat_id in list(self._tabs_by_chat):
            self._close_tab(chat_id)
        self.queue_model.clear()
        self.visitor_model.apply(VisitorsChanged(reset=True))
        self._show_panel_for("")

    # -- the visitor panel ----------------------------------------------------------------------------

    def _on_visitor_list_visitor_selected(self, visitor_id: str) -> None:
        if visitor_id:
            self._show_panel_for(visitor_id)

    def _show_panel_for(self, visitor_id: str, chat_id: str = "") -> None:
        self._panel_chat_id = chat_id
        self.visitor_panel.visitor_id = visitor_id
        self._refresh_panel()

    def _refresh_panel(self) -> None:
        visitor_id = self.visitor_panel.visitor_id
        if not visitor_id:
            self.visitor_panel.show_visitor(None, "", (), ())
            return
        visitor = self.visitor_model.visitor(visitor_id) or self.desk.visitors.get(visitor_id)
        chat_ids = [c.id for c in self.desk.chats.values() if c.visitor_id == visitor_id]
        if self._panel_chat_id and self._panel_chat_id not in chat_ids:
            chat_ids.append(self._panel_chat_id)
        details = [record for chat_id in chat_ids for record in self.desk.details_of(chat_id)]
        self.visitor_panel.show_visitor(visitor, visitor_id, self.desk.consents_of(visitor_id), details)

    # -- role gating and actions ----------------------------------------------------------------------

    def _apply_role(self, role: Role | None) -> None:
        lead = role in (Role.TEAM_LEAD, Role.SUPERVISOR)
        self.transcripts_action.setEnabled(lead)
        self.transcripts_action.setVisible(lead)
        self.subjects_action.setEnabled(role == Role.SUPERVISOR)
        self.subjects_action.setVisible(role == Role.SUPERVISOR)
        self.review_menu.menuAction().setVisible(lead)
        self.sign_out_action.setEnabled(role is not None)

    def _update_actions(self) -> None:
        tab = self._current_tab()
        open_chat = tab is not None and not tab.is_closed
        self.details_action.setEnabled(open_chat)
        self.end_action.setEnabled(open_chat)
        self.close_tab_action.setEnabled(tab is not None)

    def _on_queue_model_queue_length_changed(self, length: int) -> None:
        self.accept_action.setEnabled(length > 0)
        self.queue_dock.setWindowTitle(self.tr("Queue (%1)").replace("%1", str(length)) if length
                                       else self.tr("Queue"))
        if self.tray is not None:
            self.tray.setToolTip(self.tr("Operator Desk — %n waiting", "", length))

    def _update_title(self) -> None:
        title = self.tr("Operator Desk")
        operator = self.desk.operator if self.desk else None
        if operator is not None:
            title = f"{title} — {operator.name}"
        if self.demo:
            title = self.tr("%1 [Demo]").replace("%1", title)
        self.setWindowTitle(title)

    def _on_tray_message_clicked(self, *_args) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.queue_panel.view.setFocus()

    def _on_transcripts_action_triggered(self) -> None:
        from operator_desk.ui.windows.transcripts_window import TranscriptsWindow  # when first needed

        self._transcripts_window = TranscriptsWindow(self.desk, self)
        self._transcripts_window.show()

    def _on_subjects_action_triggered(self) -> None:
        from operator_desk.ui.windows.subjects_window import SubjectsWindow  # when first needed

        self._subjects_window = SubjectsWindow(self.desk, self)
        self._subjects_window.show()

    def _on_find_visitor_triggered(self) -> None:
        self.visitors_dock.show()
        self.visitors_dock.raise_()
        self.visitor_list.filter_edit.setFocus()
        self.visitor_list.filter_edit.selectAll()

    def _on_next_tab_action_triggered(self) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % self.tabs.count())

    def _on_previous_tab_action_triggered(self) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() - 1) % self.tabs.count())

    def _on_close_tab_action_triggered(self) -> None:
        tab = self._current_tab()
        if tab is not None:
            self._on_tabs_tab_close_requested(self.tabs.indexOf(tab))

    # -- use cases (async) ----------------------------------------------------------------------------

    @asyncSlot()
    async def _on_accept_action_triggered(self) -> None:
        await self.accept_chat(self.queue_panel.chosen_chat_id() or "")

    @asyncSlot(str)
    async def _on_queue_panel_accept_requested(self, chat_id: str) -> None:
        await self.accept_chat(chat_id)

    async def accept_chat(self, chat_id: str) -> bool:
        if not chat_id:
            return False
        try:
            await self.desk.accept_chat(chat_id)
        except Exception as exc:  # DeskError: shown in words; anything else is a bug, logged
            self._report(exc, "chat.accept")
            return False
        chat = self.desk.chats.get(chat_id)
        tab = self._tabs_by_chat.get(chat_id)
        if tab is None and chat is not None:
            tab = self._open_tab(chat)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
            tab.focus_composer()
        return True

    @asyncSlot(str, str)
    async def _on_chat_tab_message_submitted(self, chat_id: str, text: str) -> None:
        await self.send_message(chat_id, text)

    async def send_message(self, chat_id: str, text: str) -> bool:
        tab = self._tabs_by_chat.get(chat_id)
        if tab is not None:
            tab.message_sent()   # the message shows at once as "sending…"; the composer is free again
        try:
            await self.desk.send_message(chat_id, text)
        except Exception as exc:
            self._report(exc, "chat.send")
            if tab is not None and not tab.composer.toPlainText():
                tab.composer.setPlainText(text)   # give the words back rather than lose them
            return False
        return True

    @asyncSlot(str, bool)
    async def _on_chat_tab_typing_changed(self, chat_id: str, typing: bool) -> None:
        await self.set_typing(chat_id, typing)

    async def set_typing(self, chat_id: str, typing: bool) -> None:
        try:
            await self.desk.set_typing(chat_id, typing)
        except Exception as exc:  # typing is best effort: never bother the operator with it
            logger.debug("typing indicator not sent: %s", type(exc).__name__)

    @asyncSlot()
    async def _on_details_action_triggered(self) -> None:
        tab = self._current_tab()
        if tab is not None:
            await self.request_details(tab.chat_id, frozenset())

    @asyncSlot(str, object)
    async def _on_chat_tab_details_requested(self, chat_id: str, fields: frozenset) -> None:
        await self.request_details(chat_id, fields)

    async def request_details(self, chat_id: str, preselected: frozenset[DetailField]) -> str | None:
        chat = self.desk.chats.get(chat_id)
        tab = self._tabs_by_chat.get(chat_id)
        visitor_id = chat.visitor_id if chat else (tab.visitor_id if tab else "")
        visitor = self.visitor_model.visitor(visitor_id) or self.desk.visitors.get(visitor_id)
        notice = self.desk.notice_for(Purpose.CONTACT_DETAILS, visitor.language if visitor else None)
        dialog = DetailsRequestDialog(visitor_name=display_name(visitor, visitor_id), notice=notice,
                                      preselected=preselected, parent=self)
        self.details_dialog = dialog   # for tests and screenshots
        try:
            if await run_dialog(dialog) != DetailsRequestDialog.DialogCode.Accepted or notice is None:
                return None
            fields = dialog.selected_fields()
        finally:
            dialog.deleteLater()
            self.details_dialog = None
        try:
            request_id = await self.desk.request_details(chat_id, notice, sorted(fields))
        except Exception as exc:
            self._report(exc, "details.request")
            return None
        self.status.showMessage(self.tr("Details requested; waiting for the visitor's answer."), 8000)
        if tab is not None:
            self._show_panel_for(visitor_id, chat_id)
        return request_id

    @asyncSlot()
    async def _on_end_action_triggered(self) -> None:
        tab = self._current_tab()
        if tab is not None:
            await self.end_chat(tab.chat_id)

    @asyncSlot(str)
    async def _on_chat_tab_end_requested(self, chat_id: str) -> None:
        await self.end_chat(chat_id)

    @asyncSlot(str)
    async def _end_chat_soon(self, chat_id: str) -> None:
        await self.end_chat(chat_id)

    async def end_chat(self, chat_id: str) -> bool:
        try:
            await self.desk.close_chat(chat_id)
        except Exception as exc:
            self._report(exc, "chat.close")
            return False
        return True

    @asyncSlot()
    async def _on_sign_out_action_triggered(self) -> None:
        await self.sign_out()

    async def sign_out(self) -> None:
        try:
            await self.desk.sign_out()
        except Exception as exc:
            self._report(exc, "auth.logout")

    @asyncSlot()
    async def _on_settings_action_triggered(self) -> None:
        await self.edit_settings()

    async def edit_settings(self) -> bool:
        dialog = SettingsDialog(self.settings, self)
        try:
            accepted = await run_dialog(dialog) == SettingsDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if accepted:
            for tab in self._tabs_by_chat.values():
                tab.composer.set_canned_responses(self.settings.canned_responses)
            self.settings_saved.emit()
        return accepted

    @asyncSlot()
    async def _on_about_triggered(self) -> None:
        await self.show_about()

    async def show_about(self) -> None:
        dialog = AboutDialog(self)
        try:
            await run_dialog(dialog)
        finally:
            dialog.deleteLater()

    def _report(self, exc: Exception, action: str) -> None:
        code = failure_code(exc)
        if code == FailureCode.INTERNAL and not hasattr(exc, "code"):
            logger.error("%s failed", action, exc_info=exc)
        else:
            logger.info("%s failed: %s", action, code.value)
        self.show_failure(action, code)
