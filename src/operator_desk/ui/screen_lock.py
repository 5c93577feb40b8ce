"""Whether the operator's screen is locked, so that a notification never shows a visitor's words over
a locked screen (its notifications are visible to whoever walks by).

Asked over D-Bus of the desktop's screen saver (``org.freedesktop.ScreenSaver.GetActive``: GNOME, KDE,
Xfce, Cinnamon and MATE answer it), with a short timeout so that a hung service cannot stall the
window. Only asked when a notification would show message text (a preference, off by default). Where
nobody answers (no session bus, another platform), the lock cannot be known and counts as unlocked:
the text is shown only to an operator who chose it.
"""

from __future__ import annotations

import logging

from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

logger = logging.getLogger(__name__)

SERVICE = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"
INTERFACE = "org.freedesktop.ScreenSaver"
TIMEOUT_MS = 250


class ScreenLock:
    def __init__(self, bus: QDBusConnection | None = None) -> None:
        self._bus = bus

    def is_locked(self) -> bool:
        bus = self._bus if self._bus is not None else QDBusConnection.sessionBus()
        if not bus.isConnected():
            return False
        screensaver = QDBusInterface(SERVICE, PATH, INTERFACE, bus)
        if not screensaver.isValid():
            return False
        screensaver.setTimeout(TIMEOUT_MS)
        reply = screensaver.call("GetActive")
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            logger.info("the screen saver did not say whether the screen is locked")
            return False
        return bool(reply.arguments()[0])
