"""One earlier chat of a returning visitor, read-only (opened from the visitor panel's "Earlier
chats"). It is shown while the visitor grants ``visitor_insights``: the main window closes it, and
empties it, the moment that consent is withdrawn or the person erased."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from operator_desk.domain.model import Chat, Message
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.windows.observe_window import ReadOnlyChatWindow, delivered


class EarlierChatWindow(ReadOnlyChatWindow):
    def __init__(self, desk: DeskPort, visitor_id: str, visitor_name: str, chat: Chat,
                 messages: tuple[Message, ...], parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("Earlier chat — Operator Desk"), icons.icon("chat"), parent)
        self.visitor_id = visitor_id
        self.chat_id = chat.id
        self.resize(640, 600)
        self.about = QLabel(self.tr("%1 — chat of %2 (read-only)").replace("%1", visitor_name).replace(
            "%2", date_time(chat.started_at)))
        self._show_transcript(chat.id, self.about, self.tr("The earlier chat, read-only"))
        self.model.add_messages(delivered(m) for m in messages)

    def forget(self) -> None:
        """The consent went: nothing of the chat stays, on screen or in the model."""
        self.model.clear()
        self.about.clear()
        self.close()
        self.deleteLater()
