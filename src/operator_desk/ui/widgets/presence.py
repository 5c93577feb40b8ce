"""The operator's status in the window: the three statuses as one group of checkable actions (the Desk
menu's Status submenu, the status bar's button and the tray menu all show these same actions), and the
words and icons of every status, the team's included.

The desk's presence service (``services/presence.py``) holds the status; these actions show what it says
(``PresenceChanged``) and ask it for a change (``status_chosen``), so every place stays in step.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from operator_desk.services.events import PresenceChanged
from operator_desk.ui import icons

STATUSES = ("available", "away", "busy")


def status_text(status: str) -> str:
    """A status in words (the team's too: ``offline`` is what the server says of one signed out)."""
    words = {
        "available": QCoreApplication.translate("presence", "Available"),
        "away": QCoreApplication.translate("presence", "Away"),
        "busy": QCoreApplication.translate("presence", "Busy"),
        "offline": QCoreApplication.translate("presence", "Offline"),
    }
    return words.get(status, status)


def status_icon(status: str) -> QIcon:
    # Each has its own shape as well as its colour: the colour alone says nothing to some eyes.
    named = {"available": icons.icon("status-available"), "away": icons.icon("status-away"),
             "busy": icons.icon("status-busy")}
    return named.get(status) or icons.icon("offline")


class StatusActions(QObject):
    """Available, Away, Busy: one exclusive group, and the menu that holds them."""

    status_chosen = Signal(str)   # the operator picked a status (not the desk saying which it is)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        labels = {"available": self.tr("&Available — chats are offered to me"),
                  "away": self.tr("A&way — no chats are offered"),
                  "busy": self.tr("&Busy — no new chats for now")}
        self.actions: dict[str, QAction] = {}
        for status in STATUSES:
            action = QAction(status_icon(status), labels[status], window)
            action.setCheckable(True)
            action.setData(status)
            self.group.addAction(action)
            action.triggered.connect(self._on_action_triggered)
            self.actions[status] = action
        self.menu = QMenu(self.tr("&Status"), window)
        self.menu.setAccessibleName(self.tr("Your status"))
        self.menu.addActions(list(self.actions.values()))
        # Opens the menu from anywhere in the window; then the arrow keys or A, W, B choose.
        self.choose = QAction(self.tr("Change &status…"), window)
        self.choose.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.choose.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(self.choose)
        self.status = ""
        self.show_presence(None)

    def _on_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction) and action.data() != self.status:
            self.status_chosen.emit(str(action.data()))

    def show_presence(self, event: PresenceChanged | None) -> None:
        """What the desk says (None: nobody is signed in, or the server has no presence)."""
        usable = event is not None and event.supported
        self.status = event.status if usable and event is not None else ""
        for status, action in self.actions.items():
            action.setChecked(status == self.status)
            action.setEnabled(usable)
        self.menu.menuAction().setEnabled(usable)
        self.choose.setEnabled(usable)


class StatusButton(QToolButton):
    """The status bar's status: the icon and word of the operator's status; a click (or Ctrl+Shift+S)
    opens the Status menu."""

    def __init__(self, actions: StatusActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions = actions
        self.setObjectName("statusButton")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.clicked.connect(self.open_menu)
        self.setToolTip(self.tr("Your status: whether new chats are offered to you (Ctrl+Shift+S)"))
        actions.choose.triggered.connect(self.open_menu)
        self.show_status("")

    def show_status(self, status: str) -> None:
        self.setVisible(bool(status))
        self.setIcon(status_icon(status))
        self.setText(status_text(status))
        # Described, not named: a screen reader reads the name instead of the text.
        self.setAccessibleDescription(self.tr("Your status"))

    def open_menu(self) -> None:
        """Open the Status menu above the button without a nested event loop (``popup``, not
        ``exec``): the desk keeps talking to the server while it is open."""
        menu = self._actions.menu
        checked = self._actions.group.checkedAction()
        anchor = self.mapToGlobal(QPoint(0, 0)) if self.isVisible() else self.window().mapToGlobal(
            self.window().rect().center())
        menu.popup(QPoint(anchor.x(), anchor.y() - menu.sizeHint().height()), checked)
