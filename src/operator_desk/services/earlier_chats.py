"""Earlier chats of a returning visitor (``visitor.earlier_chats``, ``visitor.earlier_chat``): listed
in the visitor panel and opened read-only, only while the visitor grants ``visitor_insights``.

The server decides at every request (``consent_required`` otherwise); the desk asks only for a visitor
whose consent it holds as granted, so that a withdrawal it has heard of stops the asking at once, and
keeps nothing of them: not in the cache, not beyond the panel and the window that show them (the UI
drops both when the consent goes).
"""

from __future__ import annotations

from collections.abc import Callable

from operator_desk.domain.model import Chat, Message, Visitor
from operator_desk.net.errors import NetError
from operator_desk.protocol.messages import (
    ChatWithMessages,
    EarlierChatRequest,
    EarlierChatsRequest,
    EarlierChatsResponse,
)
from operator_desk.services.chats import Request
from operator_desk.services.errors import DeskError, FailureCode, desk_error

# Pages of one earlier chat read at most (a page is up to 500 messages): a runaway cursor stops here.
MAX_PAGES = 100


class EarlierChats:
    def __init__(self, request: Request, visitor: Callable[[str], Visitor | None]) -> None:
        self._request = request
        self._visitor = visitor

    def _check_consent(self, visitor_id: str, action: str) -> None:
        visitor = self._visitor(visitor_id)
        if visitor is None or not visitor.consent.visitor_insights:
            raise DeskError(FailureCode.CONSENT_REQUIRED, action)

    async def list(self, visitor_id: str, cursor: str | None = None) -> EarlierChatsResponse:
        """A page of the visitor's earlier chats, newest first (``next_cursor`` for the next)."""
        self._check_consent(visitor_id, "visitor.earlier_chats")
        try:
            answer: EarlierChatsResponse = await self._request(
                "visitor.earlier_chats", EarlierChatsRequest(visitor_id=visitor_id, cursor=cursor))
        except NetError as exc:
            raise desk_error(exc, "visitor.earlier_chats") from exc
        return answer

    async def open(self, visitor_id: str, chat_id: str) -> tuple[Chat, tuple[Message, ...]]:
        """One earlier chat, whole: every page of its messages, each asked under the consent."""
        self._check_consent(visitor_id, "visitor.earlier_chat")
        messages: list[Message] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            try:
                page: ChatWithMessages = await self._request(
                    "visitor.earlier_chat",
                    EarlierChatRequest(visitor_id=visitor_id, chat_id=chat_id, cursor=cursor))
            except NetError as exc:
                raise desk_error(exc, "visitor.earlier_chat") from exc
            messages.extend(page.messages)
            cursor = page.next_cursor
            if cursor is None:
                return page.chat, tuple(messages)
            self._check_consent(visitor_id, "visitor.earlier_chat")   # withdrawn between two pages?
        return page.chat, tuple(messages)
