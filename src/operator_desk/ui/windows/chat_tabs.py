"""The open chats in the middle of the main window, one tab each.

Which chat is in which tab, how many messages each has that the operator has not seen, and what its
title says; with ``close_ended`` on, an ended chat's tab closes by itself once it is not in front. The
tabs' own requests (send, typing, request details, end) come out as this widget's signals with the chat
id; the main window turns them into use cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from operator_desk.domain.model import Chat, DetailField, Visitor
from operator_desk.protocol.messages import DetailRecord
from operator_desk.services.events import LocalMessage, MessageDelivered, MessagesAdded, TypingChanged
from operator_desk.ui import icons
from operator_desk.ui.plain import plain_tooltip
from operator_desk.ui.widgets.chat_tab import ChatTab

DetectFields = Callable[[str], frozenset[DetailField]]


class ChatTabs(QTabWidget):
    message_submitted = Signal(str, str)     # chat_id, text
    typing_changed = Signal(str, bool)       # chat_id, typing
    details_requested = Signal(str, object)  # chat_id, frozenset[DetailField] to preselect
    end_requested = Signal(str)              # chat_id: its End button, or its tab closed while it runs
    transfer_requested = Signal(str)         # chat_id: its Hand over button
    chat_shown = Signal(str, str)            # visitor_id, chat_id of the tab that came to the front
    tabs_changed = Signal()                  # a tab was opened, closed, or came to the front

    def __init__(self, detect_fields: DetectFields, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detect = detect_fields
        self._tabs_by_chat: dict[str, ChatTab] = {}
        self._unread: dict[str, int] = {}
        # Close an ended chat's tab by itself, as soon as it is not the one in front (a setting).
        self.close_ended = False
        self.setObjectName("chatTabs")
        self.setAccessibleName(self.tr("Open chats"))
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.tabCloseRequested.connect(self._on_tab_close_requested)
        self.currentChanged.connect(self._on_current_changed)

    # -- which tabs there are -------------------------------------------------------------------------

    def chat_tab(self, chat_id: str) -> ChatTab | None:
        return self._tabs_by_chat.get(chat_id)

    def chat_tabs(self) -> Iterator[ChatTab]:
        return iter(list(self._tabs_by_chat.values()))

    def current_chat_tab(self) -> ChatTab | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, ChatTab) else None

    def open_tab(self, chat: Chat, visitor: Visitor | None, messages: Iterable[LocalMessage],
                 canned_responses: dict[str, str], details: Iterable[DetailRecord] = ()) -> ChatTab:
        tab = ChatTab(chat, self._detect, self)
        tab.set_visitor(visitor)
        tab.composer.set_canned_responses(canned_responses)
        tab.add_messages(messages)
        tab.show_details(details)
        tab.message_submitted.connect(self.message_submitted)
        tab.typing_changed.connect(self.typing_changed)
        tab.details_requested.connect(self.details_requested)
        tab.end_requested.connect(self.end_requested)
        tab.transfer_requested.connect(self.transfer_requested)
        self._tabs_by_chat[chat.id] = tab
        index = self.addTab(tab, icons.icon("chat"), tab.title)
        self.setTabToolTip(index, plain_tooltip(tab.title))
        self.tabs_changed.emit()
        return tab

    def show_tab(self, tab: ChatTab) -> None:
        self.setCurrentWidget(tab)
        tab.focus_composer()

    def close_tab(self, chat_id: str) -> None:
        tab = self._tabs_by_chat.pop(chat_id, None)
        self._unread.pop(chat_id, None)
        if tab is None:
            return
        self.removeTab(self.indexOf(tab))
        tab.hide()
        tab.setParent(None)   # out of the window now (an erased person must not linger), freed later
        tab.deleteLater()
        self.tabs_changed.emit()

    def close_all(self) -> None:
        for chat_id in list(self._tabs_by_chat):
            self.close_tab(chat_id)

    def close_current(self) -> None:
        tab = self.current_chat_tab()
        if tab is not None:
            self._on_tab_close_requested(self.indexOf(tab))

    def show_next(self, step: int) -> None:
        """Bring the tab ``step`` places to the right (left, when negative) to the front, round the end."""
        if self.count():
            self.setCurrentIndex((self.currentIndex() + step) % self.count())

    # -- what the tabs show ---------------------------------------------------------------------------

    def refresh_title(self, tab: ChatTab) -> None:
        index = self.indexOf(tab)
        if index < 0:
            return
        unread = self._unread.get(tab.chat_id, 0)
        title = tab.title if not unread else f"{tab.title} ({unread})"
        if tab.is_closed:
            title = self.tr("%1 — ended").replace("%1", title)
        self.setTabText(index, title)
        self.setTabIcon(index, icons.icon("end-chat" if tab.is_closed else "chat"))
        self.setTabToolTip(index, self.tr("%n unread message(s)", "", unread) if unread
                           else plain_tooltip(tab.title))

    def show_chat(self, chat: Chat) -> bool:
        """A chat's new state in its tab; False when it has none."""
        tab = self._tabs_by_chat.get(chat.id)
        if tab is None:
            return False
        tab.set_chat(chat)
        self.refresh_title(tab)
        self._close_ended_in_background()
        return True

    def show_details(self, chat_id: str, record: DetailRecord) -> None:
        tab = self._tabs_by_chat.get(chat_id)
        if tab is not None:
            tab.show_details([record])

    def set_close_ended(self, close_ended: bool) -> None:
        self.close_ended = close_ended
        self._close_ended_in_background()

    def _close_ended_in_background(self) -> None:
        if not self.close_ended:
            return
        for tab in self.chat_tabs():
            if tab.is_closed and tab is not self.currentWidget():
                self.close_tab(tab.chat_id)

    def show_visitors(self, visitor: Callable[[str], Visitor | None], changed: set[str] | None) -> None:
        """The visitors' new state in their chats' tabs: those in ``changed``, or all (None)."""
        for tab in self._tabs_by_chat.values():
            if changed is None or tab.visitor_id in changed:
                tab.set_visitor(visitor(tab.visitor_id))
                self.refresh_title(tab)

    def show_messages(self, event: MessagesAdded) -> None:
        tab = self._tabs_by_chat.get(event.chat_id)
        if tab is None:
            return
        new_from_visitor = tab.add_messages(event.messages)
        if new_from_visitor and not (self.window().isActiveWindow() and self.currentWidget() is tab):
            self._count_unread(tab, new_from_visitor)

    def show_delivered(self, event: MessageDelivered) -> None:
        tab = self._tabs_by_chat.get(event.chat_id)
        if tab is not None:
            tab.mark_delivered(event.client_msg_id, event.message)

    def show_typing(self, event: TypingChanged) -> None:
        tab = self._tabs_by_chat.get(event.chat_id)
        if tab is not None:
            tab.show_typing(event.typing, event.preview)

    def count_news(self, chat_id: str) -> None:
        """Something new in a chat that is not in front (details answered): one more unread."""
        tab = self._tabs_by_chat.get(chat_id)
        if tab is not None and tab is not self.currentWidget():
            self._count_unread(tab, 1)

    def mark_current_read(self) -> None:
        tab = self.current_chat_tab()
        if tab is not None and self._unread.pop(tab.chat_id, 0):
            self.refresh_title(tab)

    def set_canned_responses(self, responses: dict[str, str]) -> None:
        for tab in self._tabs_by_chat.values():
            tab.composer.set_canned_responses(responses)

    def _count_unread(self, tab: ChatTab, count: int) -> None:
        self._unread[tab.chat_id] = self._unread.get(tab.chat_id, 0) + count
        self.refresh_title(tab)

    # -- slots ----------------------------------------------------------------------------------------

    def _on_current_changed(self, _index: int) -> None:
        tab = self.current_chat_tab()
        if tab is not None:
            self._unread.pop(tab.chat_id, None)
            self.refresh_title(tab)
            self.chat_shown.emit(tab.visitor_id, tab.chat_id)
            tab.focus_composer()
        self.tabs_changed.emit()
        self._close_ended_in_background()

    def _on_tab_close_requested(self, index: int) -> None:
        tab = self.widget(index)
        if isinstance(tab, ChatTab):
            if tab.is_closed:
                self.close_tab(tab.chat_id)
            else:
                self.end_requested.emit(tab.chat_id)
