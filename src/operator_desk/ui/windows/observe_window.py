"""Watching a live chat read-only (team leads and supervisors): its messages so far and as they come,
until it closes. There is nothing to type into: a lead who wants to step in talks to the operator.
The server records the watching in its audit log; closing the window stops it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget
from qasync import asyncSlot

from operator_desk.domain.model import ChatState, Message
from operator_desk.services.events import DeliveryState, LocalMessage, ObservedChatChanged
from operator_desk.ui import icons
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.models.transcript_model import TranscriptModel
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.transcript_view import TranscriptView
from operator_desk.ui.windows.review_window import ReviewWindow


def delivered(message: Message) -> LocalMessage:
    return LocalMessage(chat_id=message.chat_id, client_msg_id=message.client_msg_id, author=message.author,
                        author_name=message.author_name, text=message.text, at=message.at,
                        state=DeliveryState.DELIVERED, message_id=message.id)


class ReadOnlyChatWindow(ReviewWindow):
    """A chat shown read-only: a line about it (plain text: it may name the visitor) above its
    transcript. A watched live chat, or one earlier chat of a returning visitor."""

    def _show_transcript(self, chat_id: str, line: QLabel, accessible: str) -> None:
        line.setTextFormat(Qt.TextFormat.PlainText)
        line.setWordWrap(True)
        self.model = TranscriptModel(chat_id, self)
        self.view = TranscriptView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(accessible)
        top = QHBoxLayout()
        top.addWidget(line, 1)
        self._set_body(top, self.view)


class ObserveWindow(ReadOnlyChatWindow):
    def __init__(self, desk: DeskPort, bridge: EventBridge, chat_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("Watching a chat — Operator Desk"), icons.icon("chat"), parent)
        self.chat_id = chat_id
        self.watching = False
        self.resize(640, 640)
        self.state_label = QLabel(self.tr("Opening the chat…"))
        self._show_transcript(chat_id, self.state_label, self.tr("The watched chat, read-only"))
        bridge.observed_chat_changed.connect(self._on_bridge_observed_chat_changed)

    async def start(self) -> bool:
        answer = await self._run("chat.observe", self.desk.review.observe(self.chat_id))
        if answer is FAILED:
            self.state_label.setText(self.tr("This chat cannot be watched."))
            return False
        self.watching = True
        self.model.add_messages(delivered(m) for m in answer.messages)
        self._show_state(answer.chat.state, answer.chat.visitor_id, answer.chat.started_at)
        return True

    def _show_state(self, state: ChatState, visitor_id: str, started_at: str) -> None:
        if state is ChatState.CLOSED:
            text = self.tr("The chat with %1 has ended. Read-only; watching is recorded in the audit log.")
        else:
            text = self.tr("Watching the chat with %1 (started %2), read-only. Watching is recorded in the "
                           "audit log.")
        text = text.replace("%1", pseudonym(visitor_id)).replace("%2", date_time(started_at))
        self.state_label.setText(text)

    def _on_bridge_observed_chat_changed(self, event: ObservedChatChanged) -> None:
        if event.chat_id != self.chat_id:
            return
        self.model.add_messages(delivered(m) for m in event.messages)
        if event.chat is not None:
            self._show_state(event.chat.state, event.chat.visitor_id, event.chat.started_at)
            if event.chat.state is ChatState.CLOSED:
                self.watching = False

    def closeEvent(self, event) -> None:
        if self.watching:
            self.watching = False
            self._stop()
        super().closeEvent(event)

    @asyncSlot()
    async def _stop(self) -> None:
        await self._run("chat.unobserve", self.desk.review.unobserve(self.chat_id))
