"""One chat: header, transcript, the visitor's typing state (and live draft, with consent), the composer,
and the bar that suggests a privacy prompt when a message asks for personal details in free text."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.model import Chat, ChatState, DetailField, Message, Visitor
from operator_desk.protocol.messages import DetailRecord
from operator_desk.services.events import DeliveryState, LocalMessage
from operator_desk.ui.models.detail_notes import detail_notes
from operator_desk.ui.models.privacy_models import field_text
from operator_desk.ui.models.transcript_model import TranscriptModel
from operator_desk.ui.naming import display_name
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.composer import Composer
from operator_desk.ui.widgets.transcript_view import TranscriptView

DetectFields = Callable[[str], frozenset[DetailField]]


def _plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # visitor-supplied text is never rich text
    return label


class ChatTab(QWidget):
    message_submitted = Signal(str, str)   # chat_id, text
    typing_changed = Signal(str, bool)     # chat_id, typing
    details_requested = Signal(str, object)  # chat_id, frozenset[DetailField] to preselect
    end_requested = Signal(str)            # chat_id
    transfer_requested = Signal(str)       # chat_id: hand it to a colleague or a team

    def __init__(self, chat: Chat, detect_fields: DetectFields, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chat = chat
        self.chat_id = chat.id
        self.visitor_id = chat.visitor_id
        self._detect = detect_fields
        self._pending_text = ""
        self._pending_fields: frozenset[DetailField] = frozenset()
        self._visitor: Visitor | None = None
        self._name = display_name(None, self.visitor_id)
        self._details_pending: set[str] = set()   # request ids the visitor has not answered yet
        self._handed_over = False   # handed to a colleague: over for this operator, though it goes on
        self.model = TranscriptModel(chat.id, self)
        self.setObjectName("chatTab")

        self._title = _plain_label()
        self._title.setObjectName("chatTitle")
        self._subtitle = _plain_label()
        self._subtitle.setObjectName("chatSubtitle")
        self._details_button = push_button(
            self.tr("Request details…"), self.tr("Request contact details with a privacy notice"),
            self._on_details_button_clicked, icon="details",
            tooltip=self.tr("Ask for phone, address, e-mail… with the privacy notice the visitor must "
                            "accept (Ctrl+Shift+D)"))
        self._transfer_button = push_button(
            self.tr("Hand over…"), self.tr("Hand this chat to a colleague or a team"),
            self._on_transfer_button_clicked, icon="visitors",
            tooltip=self.tr("Hand this chat to a colleague or a team, with a note for them (Ctrl+Shift+H)"))
        self._end_button = push_button(self.tr("End chat"), self.tr("End this chat"),
                                       self._on_end_button_clicked, icon="end-chat",
                                       tooltip=self.tr("End this chat (Ctrl+Shift+E)"))
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self._title)
        titles.addWidget(self._subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self._details_button)
        header.addWidget(self._transfer_button)
        header.addWidget(self._end_button)

        self.transcript = TranscriptView(self)
        self.transcript.setModel(self.model)

        self._typing_label = _plain_label()
        self._typing_label.setObjectName("typingLabel")
        # Described, not named: a screen reader reads the name instead of the text.
        self._typing_label.setAccessibleDescription(self.tr("Visitor typing state"))
        self._preview = _plain_label()
        self._preview.setObjectName("draftPreview")
        self._preview.setWordWrap(True)
        self._preview.setAccessibleDescription(self.tr("Visitor's draft, not sent yet"))
        self._preview.hide()
        self._details_state = _plain_label()
        self._details_state.setObjectName("detailsState")
        self._details_state.setWordWrap(True)
        self._details_state.hide()

        # The suggestion bar: non-modal, inside the composer area.
        self._suggestion = QFrame(self)
        self._suggestion.setObjectName("suggestionBar")
        self._suggestion_text = _plain_label()
        self._suggestion_text.setWordWrap(True)
        self._suggest_request = push_button(self.tr("Request details…"),
                                            self.tr("Request the details with a privacy prompt"),
                                            self._on_suggest_request_clicked)
        self._suggest_send = push_button(self.tr("Send anyway"), self.tr("Send the message as typed"),
                                         self._on_suggest_send_clicked)
        bar = QHBoxLayout(self._suggestion)
        bar.addWidget(self._suggestion_text, 1)
        bar.addWidget(self._suggest_request)
        bar.addWidget(self._suggest_send)
        self._suggestion.hide()

        self.composer = Composer(self)
        self.composer.setMaximumHeight(84)
        self.composer.submitted.connect(self._on_composer_submitted)
        self.composer.typing_changed.connect(self._on_composer_typing_changed)
        self.composer.textChanged.connect(self._on_composer_text_changed)
        self._send_button = push_button(self.tr("Send"), self.tr("Send message"),
                                        self._on_send_button_clicked, icon="send",
                                        tooltip=self.tr("Send (Enter)"))
        self._send_button.setObjectName("sendButton")
        self._send_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        compose_row = QHBoxLayout()
        compose_row.addWidget(self.composer, 1)
        compose_row.addWidget(self._send_button, 0, Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self._typing_label)
        layout.addWidget(self._preview)
        layout.addWidget(self._details_state)
        layout.addWidget(self._suggestion)
        layout.addLayout(compose_row)
        self._closed_note = _plain_label(self.tr("This chat has ended."))
        self._closed_note.setObjectName("closedNote")
        self._closed_note.hide()
        layout.addWidget(self._closed_note)
        self.set_visitor(None)
        self.set_chat(chat)

    # -- updates from the window ----------------------------------------------------------------------

    def set_visitor(self, visitor: Visitor | None) -> None:
        """The visitor's latest state; None once they left the site. The tab keeps the name it knew
        then (the chat's messages keep it too), so an ended chat does not turn into a pseudonym: a
        withdrawn chat consent comes as a visitor without it, and an erasure closes the tab."""
        self._visitor = visitor
        if visitor is not None:
            self._name = display_name(visitor, self.visitor_id)
        name = self._name
        self._title.setText(name)
        page = (visitor.page.title or visitor.page.url) if visitor else ""
        self._subtitle.setText(self.tr("On: %1").replace("%1", page) if page else "")
        self.setAccessibleName(self.tr("Chat with %1").replace("%1", name))
        if visitor is None or not visitor.consent.typing_preview:
            # Consent withdrawn (or the visitor gone): the last draft shown goes too, not at the next key.
            self._preview.clear()
            self._preview.hide()

    @property
    def title(self) -> str:
        return self._name

    def set_chat(self, chat: Chat) -> None:
        self.chat = chat
        closed = self.is_closed
        for widget in (self.composer, self._send_button, self._details_button, self._transfer_button,
                       self._end_button):
            widget.setEnabled(not closed)
        self._closed_note.setVisible(closed)
        if closed:
            self._typing_label.clear()
            self._preview.hide()
            self._suggestion.hide()
            self._details_state.hide()   # nobody will answer a request in an ended chat

    @property
    def is_closed(self) -> bool:
        """Over for this operator: ended, or handed to a colleague."""
        return self.chat.state == ChatState.CLOSED or self._handed_over

    @property
    def handed_over(self) -> bool:
        return self._handed_over

    def hand_over(self, receiver_name: str | None) -> None:
        """The chat is a colleague's now (``receiver_name``, or None when not known here): this tab ends
        for this operator, its transcript stays readable, and nothing more can be typed into it."""
        if self._handed_over:
            return
        self._handed_over = True
        self._closed_note.setText(self.tr("You handed this chat to %1.").replace("%1", receiver_name)
                                  if receiver_name else self.tr("This chat is a colleague's now."))
        self.set_chat(self.chat)   # a draft stays in the (disabled) composer: nothing typed is lost

    def show_handed_to_me(self, from_name: str, note: str, at: str) -> None:
        """A line in the transcript (this desk's own, never sent): who handed the chat over, and their
        note for this operator."""
        text = (self.tr("%1 handed this chat to you: %2").replace("%1", from_name).replace("%2", note)
                if note else self.tr("%1 handed this chat to you.").replace("%1", from_name))
        self.model.add_notes([LocalMessage(chat_id=self.chat_id, client_msg_id=None, author="system",
                                           author_name="", text=text, at=at,
                                           state=DeliveryState.DELIVERED,
                                           message_id=f"handed-over:{self.chat_id}:{at}")])

    def add_messages(self, messages: Iterable[LocalMessage]) -> int:
        """Returns how many new visitor messages arrived (for the unread count)."""
        return self.model.add_messages(messages)

    def mark_delivered(self, client_msg_id: str, message: Message) -> None:
        self.model.mark_delivered(client_msg_id, message)

    def show_details(self, records: Iterable[DetailRecord]) -> None:
        """Details requests of this chat: each noted in the transcript when asked and when answered,
        and a line under the transcript while one waits for the visitor."""
        for record in records:
            self.model.add_notes(detail_notes(record))
            if record.status == "pending":
                self._details_pending.add(record.request_id)
            else:
                self._details_pending.discard(record.request_id)
        waiting = bool(self._details_pending) and not self.is_closed
        self._details_state.setText(self.tr("Details requested; waiting for the visitor's answer.")
                                    if waiting else "")
        self._details_state.setVisible(waiting)

    def show_typing(self, typing: bool, preview: str | None) -> None:
        name = self._name
        self._typing_label.setText(self.tr("%1 is typing…").replace("%1", name) if typing else "")
        if typing and preview:
            # Shown, never stored; marked so nobody mistakes it for a sent message.
            self._preview.setText(self.tr("Live preview (not sent yet): %1").replace("%1", preview))
            self._preview.show()
        else:
            self._preview.clear()
            self._preview.hide()

    def message_sent(self) -> None:
        self.composer.clear_after_send()
        self._suggestion.hide()

    def focus_composer(self) -> None:
        self.composer.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- slots ----------------------------------------------------------------------------------------

    def _on_composer_submitted(self, text: str) -> None:
        fields = self._detect(text)
        if fields:
            self._pending_text = text
            self._pending_fields = fields
            names = ", ".join(field_text(f) for f in sorted(fields))
            self._suggestion_text.setText(self.tr(
                "This message asks for personal details (%1). Ask with a privacy prompt instead, so the "
                "visitor sees the notice and can agree?").replace("%1", names))
            self._suggestion.show()
            self._suggest_request.setFocus()
            return
        self.message_submitted.emit(self.chat_id, text)

    def _on_send_button_clicked(self) -> None:
        text = self.composer.toPlainText().strip()
        if text:
            self._on_composer_submitted(text)

    def _on_suggest_request_clicked(self) -> None:
        self._suggestion.hide()
        self.details_requested.emit(self.chat_id, self._pending_fields)

    def _on_suggest_send_clicked(self) -> None:
        self._suggestion.hide()
        self.message_submitted.emit(self.chat_id, self._pending_text)

    def _on_composer_text_changed(self) -> None:
        if self._suggestion.isVisible() and self.composer.toPlainText().strip() != self._pending_text:
            self._suggestion.hide()

    def _on_composer_typing_changed(self, typing: bool) -> None:
        self.typing_changed.emit(self.chat_id, typing)

    def _on_details_button_clicked(self) -> None:
        self.details_requested.emit(self.chat_id, frozenset())

    def _on_end_button_clicked(self) -> None:
        self.end_requested.emit(self.chat_id)

    def _on_transfer_button_clicked(self) -> None:
        self.transfer_requested.emit(self.chat_id)


SHORTCUT_REQUEST_DETAILS = QKeySequence("Ctrl+Shift+D")
SHORTCUT_END_CHAT = QKeySequence("Ctrl+Shift+E")
