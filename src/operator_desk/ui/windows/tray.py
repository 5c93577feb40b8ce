"""The desk's icon in the system tray (where there is one): how many visitors wait, desktop
notifications (``ui/notifications.py`` decides what they say), and a menu: show the window, the
operator's status, quit.

The menu is built whether or not the desktop has a tray, so that it is the same menu everywhere (and
can be tested offscreen); its status and quit entries are the main window's own actions.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from operator_desk.ui import icons

NOTIFICATION_MS = 8000


class DeskTray(QObject):
    activated = Signal()   # the icon, its message or "Show" was clicked: bring the window forward

    def __init__(self, parent: QWidget, status_menu: QMenu, quit_action: QAction) -> None:
        super().__init__(parent)
        self.menu = QMenu(parent)
        self.menu.setObjectName("trayMenu")
        self.show_action = self.menu.addAction(icons.icon("app"), self.tr("&Show Operator Desk"))
        self.show_action.triggered.connect(self.activated)
        self.menu.addSeparator()
        self.menu.addMenu(status_menu)
        self.menu.addSeparator()
        self.menu.addAction(quit_action)
        self._icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._icon = QSystemTrayIcon(icons.icon("app"), parent)
            self._icon.setToolTip(self.tr("Operator Desk"))
            self._icon.setContextMenu(self.menu)
            self._icon.messageClicked.connect(self.activated)
            self._icon.activated.connect(self._on_icon_activated)
            self._icon.show()

    def show_queue_length(self, length: int) -> None:
        if self._icon is not None:
            self._icon.setToolTip(self.tr("Operator Desk — %n waiting", "", length))

    def show_notification(self, title: str, body: str) -> None:
        if self._icon is not None:
            self._icon.showMessage(title, body, icons.icon("app"), NOTIFICATION_MS)

    def hide(self) -> None:
        if self._icon is not None:
            self._icon.hide()

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason != QSystemTrayIcon.ActivationReason.Context:   # a right click opens the menu
            self.activated.emit()
