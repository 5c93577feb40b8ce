"""The main window's actions and menus: every command with its shortcut, icon and accessible name, and
which of them the operator's role and the chat in front allow. The window connects them to its slots."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from operator_desk.domain.model import Role, TeamRef
from operator_desk.ui import icons
from operator_desk.ui.widgets.chat_tab import ChatTab
from operator_desk.ui.widgets.presence import StatusActions


class DeskActions(QObject):
    def __init__(self, window: QMainWindow, docks: Sequence[tuple[QDockWidget, str]]) -> None:
        """Build the actions on ``window`` and its menu bar; ``docks`` are the panels the View menu
        shows and hides, each with its shortcut."""
        super().__init__(window)
        self._window = window
        keys = QKeySequence.StandardKey
        self.settings = self._action(self.tr("&Settings…"), keys.Preferences, "settings")
        self.sign_out = self._action(self.tr("Sign &out"), "Ctrl+Shift+Q", "sign-out")
        # Ctrl+Q written out: the standard Quit key is empty on some platforms (Windows, Qt's generic one).
        self.quit = self._action(self.tr("&Quit"), "Ctrl+Q")
        self.accept = self._action(self.tr("&Accept oldest waiting chat"), "Ctrl+Return", "accept")
        self.accept_offer = self._action(self.tr("Accept the &offered chat"), "Ctrl+Shift+A", "accept")
        self.pass_offer = self._action(self.tr("&Let the offered chat pass"), "Ctrl+Shift+X")
        # The operator's status: the same actions in the Desk menu, the status bar and the tray.
        self.status = StatusActions(window)
        self.details = self._action(self.tr("Request &details…"), "Ctrl+Shift+D", "details")
        self.transfer = self._action(self.tr("&Hand over chat…"), "Ctrl+Shift+H", "visitors")
        self.end = self._action(self.tr("&End chat"), "Ctrl+Shift+E", "end-chat")
        self.close_tab = self._action(self.tr("&Close tab"), keys.Close)
        self.next_tab = self._action(self.tr("&Next chat"), "Ctrl+PgDown")
        self.previous_tab = self._action(self.tr("&Previous chat"), "Ctrl+PgUp")
        self.find_visitor = self._action(self.tr("&Find visitor"), keys.Find, "search")
        self.team_canned = self._action(self.tr("&Team canned responses…"), "Ctrl+Shift+K", "settings")
        self.reset_layout = self._action(self.tr("&Reset layout"))
        self.transcripts = self._action(self.tr("&Transcripts…"), "Ctrl+Shift+T", "search")
        self.subjects = self._action(self.tr("&People…"), "Ctrl+Shift+P", "subjects")
        self.requests = self._action(self.tr("Data-subject &requests…"), "Ctrl+Shift+R", "requests")
        self.team = self._action(self.tr("T&eam at work…"), "Ctrl+Shift+M", "visitors")
        self.audit = self._action(self.tr("&Audit log…"), "Ctrl+Shift+L", "lock")
        self.deliveries = self._action(self.tr("&Connected systems…"), "Ctrl+Shift+W", "export")
        self.about = self._action(self.tr("&About Operator Desk"))

        menu = window.menuBar()
        desk_menu = menu.addMenu(self.tr("&Desk"))
        desk_menu.addMenu(self.status.menu)
        self._fill(desk_menu, [None, self.settings, None, self.sign_out, self.quit])
        self._fill(menu.addMenu(self.tr("&Chat")), [
            self.accept, self.accept_offer, self.pass_offer, None, self.details, self.transfer, self.end,
            self.close_tab, None, self.next_tab, self.previous_tab, None, self.find_visitor,
            self.team_canned])
        view_menu = menu.addMenu(self.tr("&View"))
        for dock, key in docks:
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(key))
            view_menu.addAction(toggle)
        self._fill(view_menu, [None, self.reset_layout])
        self.review_menu = menu.addMenu(self.tr("&Review"))
        self._fill(self.review_menu, [self.transcripts, self.team, None, self.subjects, self.requests,
                                      self.audit, self.deliveries])
        self._fill(menu.addMenu(self.tr("&Help")), [self.about])
        self.apply_role(None)
        self.apply_team(None)
        self.apply_offer("")

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: str = "") -> QAction:
        action = QAction(icons.icon(icon) if icon else QIcon(), text, self._window)
        if isinstance(shortcut, QKeySequence.StandardKey):
            # Every binding the platform has (Close is Ctrl+F4 and Ctrl+W here): QKeySequence(key)
            # would keep only the first.
            action.setShortcuts(shortcut)
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if shortcut:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._window.addAction(action)
        return action

    @staticmethod
    def _fill(menu: QMenu, actions: Sequence[QAction | None]) -> None:
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)

    def apply_role(self, role: Role | None) -> None:
        """What the signed-in role may use (None: nobody is signed in)."""
        lead = role in (Role.TEAM_LEAD, Role.SUPERVISOR)
        # Every role reviews transcripts: an operator sees their own chats only (the server sees to it).
        self.transcripts.setEnabled(role is not None)
        self.transcripts.setVisible(role is not None)
        self.team.setEnabled(lead)
        self.team.setVisible(lead)
        for supervisors_only in (self.subjects, self.requests, self.audit, self.deliveries):
            supervisors_only.setEnabled(role == Role.SUPERVISOR)
            supervisors_only.setVisible(role == Role.SUPERVISOR)
        self.review_menu.menuAction().setVisible(role is not None)
        self.sign_out.setEnabled(role is not None)

    def apply_team(self, team: TeamRef | None) -> None:
        """The team's canned responses are there for an operator in a team (None: in none)."""
        self.team_canned.setEnabled(team is not None)
        self.team_canned.setVisible(team is not None)

    def apply_tab(self, tab: ChatTab | None) -> None:
        """What the chat tab in front allows (None: no tab is open)."""
        open_chat = tab is not None and not tab.is_closed
        self.details.setEnabled(open_chat)
        self.transfer.setEnabled(open_chat)
        self.end.setEnabled(open_chat)
        self.close_tab.setEnabled(tab is not None)

    def apply_offer(self, chat_id: str) -> None:
        """Whether a chat is offered to the operator now ("" when none)."""
        self.accept_offer.setEnabled(bool(chat_id))
        self.pass_offer.setEnabled(bool(chat_id))

    def apply_queue_length(self, length: int) -> None:
        self.accept.setEnabled(length > 0)
