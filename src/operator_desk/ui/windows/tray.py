"""The desk's icon in the system tray (where there is one): how many visitors wait, and a message when a
new chat comes in while the window is in the background."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from operator_desk.ui import icons


class DeskTray(QObject):
    activated = Signal()   # the icon or its message was clicked: bring the window forward

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._icon = QSystemTrayIcon(icons.icon("app"), parent)
            self._icon.setToolTip(self.tr("Operator Desk"))
            self._icon.messageClicked.connect(self.activated)
            self._icon.activated.connect(self._on_icon_activated)
            self._icon.show()

    def show_queue_length(self, length: int) -> None:
        if self._icon is not None:
            self._icon.setToolTip(self.tr("Operator Desk — %n waiting", "", length))

    def announce_chat(self, visitor_name: str) -> None:
        if self._icon is not None:
            self._icon.showMessage(self.tr("New chat"), self.tr("%1 is waiting for an operator.").replace(
                "%1", visitor_name), icons.icon("app"), 8000)

    def hide(self) -> None:
        if self._icon is not None:
            self._icon.hide()

    def _on_icon_activated(self, _reason: QSystemTrayIcon.ActivationReason) -> None:
        self.activated.emit()
