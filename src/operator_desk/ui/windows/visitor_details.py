"""The visitor panel's content: the visitor chosen in the list, or the one whose chat is in front, with
what the desk knows of them (consents, details asked for in their chats); and the windows of their
earlier chats, opened from the panel, which close the moment the visitor no longer grants
``visitor_insights`` (withdrawn, erased, signed out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from operator_desk.domain.model import Chat, Message
from operator_desk.ui.naming import display_name
from operator_desk.ui.windows.earlier_chat_window import EarlierChatWindow

if TYPE_CHECKING:
    from operator_desk.ui.windows.main_window import MainWindow


class VisitorDetails(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._panel = window.visitor_panel
        self._chat_id = ""   # the chat the panel was shown for (its details count even once it ended)
        self._earlier_windows: dict[str, EarlierChatWindow] = {}   # chat id -> its window

    @property
    def visitor_id(self) -> str:
        """Whose details the panel shows ("": nobody's)."""
        return self._panel.visitor_id

    def show_for(self, visitor_id: str, chat_id: str = "") -> None:
        self._chat_id = chat_id
        self._panel.visitor_id = visitor_id
        self.refresh()

    def refresh(self) -> None:
        window, visitor_id = self._window, self._panel.visitor_id
        if not visitor_id:
            self._panel.show_visitor(None, "", (), ())
            return
        desk = window.desk
        chat_ids = [c.id for c in desk.chats.values() if c.visitor_id == visitor_id]
        if self._chat_id and self._chat_id not in chat_ids:
            chat_ids.append(self._chat_id)
        details = [record for chat_id in chat_ids for record in desk.details_of(chat_id)]
        self._panel.show_visitor(window.visitor(visitor_id), visitor_id, desk.consents_of(visitor_id),
                                 details, desk.notices)

    def refresh_for(self, visitor_id: str) -> None:
        """Something about ``visitor_id`` changed: the panel shows it if it shows them."""
        if visitor_id and visitor_id == self._panel.visitor_id:
            self.refresh()

    # -- earlier chats of a returning visitor (the panel's list, one window per chat read) ------------

    def may_see_earlier_chats(self, visitor_id: str) -> bool:
        """Whether the visitor grants visitor_insights, as the desk knows it now."""
        visitor = self._window.visitor(visitor_id)
        return visitor is not None and visitor.consent.visitor_insights

    def show_earlier_chat(self, visitor_id: str, chat: Chat, messages: tuple[Message, ...]) -> None:
        window = self._earlier_windows.get(chat.id)
        if window is None:
            name = display_name(self._window.visitor(visitor_id), visitor_id)
            window = self._earlier_windows[chat.id] = EarlierChatWindow(self._window.desk, visitor_id, name,
                                                                        chat, messages, self._window)
        window.show()
        window.raise_()

    def earlier_chat_windows(self) -> list[EarlierChatWindow]:
        return list(self._earlier_windows.values())

    def forget_earlier_chats(self, everything: bool = False) -> None:
        """Close (and empty) the earlier chats whose visitor no longer grants visitor_insights (all of
        them with ``everything``)."""
        for chat_id, window in list(self._earlier_windows.items()):
            if everything or not self.may_see_earlier_chats(window.visitor_id):
                del self._earlier_windows[chat_id]
                window.forget()
