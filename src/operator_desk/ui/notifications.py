"""What the desk tells an operator who is looking elsewhere: a desktop notification and a sound for a
new chat while the window is in the background, and for new visitor messages in a chat that is not in
front (another tab, or the window in the background).

Privacy decides the words. A notification names the visitor as the desk does everywhere (the name with
chat consent, else the pseudonym) and says "New message"; the message's own words only when the
operator chose so in Settings, and never while the screen is locked (``ScreenLock``). One notification
per batch of messages (a reconnect that brings several says how many) and at most one sound per
``sound.MIN_INTERVAL``: a talkative visitor does not make the desk ring all day.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from operator_desk.services.events import MessagesAdded
from operator_desk.ui.plain import plain_notification
from operator_desk.ui.screen_lock import ScreenLock
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.sound import SoundPlayer

# Characters of a message shown in a notification (the rest is in the chat).
TEXT_SHOWN = 160


class DeskNotifier(QObject):
    notification_ready = Signal(str, str)   # title, body: for the tray to show

    def __init__(self, settings: DeskSettings, screen_lock: ScreenLock, sound: SoundPlayer,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._screen_lock = screen_lock
        self._sound = sound

    def chat_arrived(self, visitor_name: str) -> bool:
        """A new chat while the window is in the background. True if the operator was told."""
        if not self._settings.notify_incoming:
            return False
        self.notification_ready.emit(self.tr("New chat"),
                                     self.tr("%1 is waiting for an operator.").replace("%1", visitor_name))
        self._sound.play(self._settings.sound_choice)
        return True

    def chat_handed_over(self, from_name: str, visitor_name: str) -> bool:
        """A colleague handed this operator a chat while the window is in the background (never their
        note: it may say more than a passer-by should read)."""
        if not self._settings.notify_incoming:
            return False
        self.notification_ready.emit(self.tr("Chat handed to you"), self.tr("%1 handed you the chat with %2.")
                                     .replace("%1", from_name).replace("%2", visitor_name))
        self._sound.play(self._settings.sound_choice)
        return True

    def messages_added(self, event: MessagesAdded, visitor_name: str) -> bool:
        """New messages in one of the operator's chats that is not in front. True if told."""
        from_visitor = [m for m in event.messages if m.author == "visitor"]
        if not from_visitor or not self._settings.notify_messages:
            return False
        self.notification_ready.emit(visitor_name, self._body(from_visitor[-1].text, len(from_visitor)))
        self._sound.play(self._settings.sound_choice)
        return True

    def _body(self, last_text: str, count: int) -> str:
        if self._settings.notify_message_text and not self._screen_lock.is_locked():
            text = last_text if len(last_text) <= TEXT_SHOWN else last_text[:TEXT_SHOWN - 1] + "…"
            return plain_notification(text)
        return self.tr("New message") if count == 1 else self.tr("%n new messages", "", count)
