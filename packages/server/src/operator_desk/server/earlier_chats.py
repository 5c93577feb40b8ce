"""Earlier chats of a returning visitor (``visitor.earlier_chats``, ``visitor.earlier_chat``; issue 14):
returning-visitor history, so only while the visitor grants ``visitor_insights``.

The consent is read in the same database transaction as the chats, at every page: a withdrawal
recorded before a request is seen by it, and a page after a withdrawal is refused
(``consent_required``). Every page read is written to the audit log (who read whose earlier chats),
in that transaction: the answer comes once it is stored. Pages are keyset-paged and bounded (at most
50 chats a listing page; a chat's messages as ``chat.accept`` pages them), with signed cursors bound
to the visitor (and the chat).
"""

from __future__ import annotations

from typing import Any

from operator_desk.domain.clock import now_ts
from operator_desk.domain.consent import granted_purposes
from operator_desk.domain.model import ChatState, Purpose
from operator_desk.protocol import ErrorCode, ProtocolError
from operator_desk.protocol.messages import (
    ChatWithMessages,
    EarlierChatRequest,
    EarlierChatsRequest,
    EarlierChatsResponse,
)
from operator_desk.server import paging, repository
from operator_desk.server.hub import Hub, OperatorSession

_NO_CONSENT = "the visitor has not granted visitor_insights: their earlier chats are not shown"


def _insights_granted(conn: Any, hub: Hub, visitor_id: str) -> bool:
    return Purpose.VISITOR_INSIGHTS in granted_purposes(repository.consents_of(conn, visitor_id),
                                                        hub.counts_from)


async def list_earlier(hub: Hub, session: OperatorSession,
                       payload: EarlierChatsRequest) -> EarlierChatsResponse:
    visitor_id = payload.visitor_id
    scope = f"earlier:{visitor_id}"
    after = hub.cursors.read(scope, payload.cursor) if payload.cursor else None

    def read(conn: Any) -> Any:
        if not _insights_granted(conn, hub, visitor_id):
            return None
        rows = repository.earlier_chats_after(conn, visitor_id, after, payload.limit + 1)
        page = rows[:payload.limit]
        repository.audit(conn, now_ts(), session.operator.id, "visitor.earlier_chats", visitor_id,
                         {"chats": len(page)})
        return page, rows[payload.limit - 1][0] if len(rows) > payload.limit else None

    found = await hub.db.call(read)
    if found is None:
        raise ProtocolError(ErrorCode.CONSENT_REQUIRED, _NO_CONSENT)
    page, following = found
    cursor = hub.cursors.make(scope, following) if following is not None else None
    return EarlierChatsResponse(chats=tuple(chat for _, chat in page), next_cursor=cursor)


async def open_earlier(hub: Hub, session: OperatorSession, payload: EarlierChatRequest) -> ChatWithMessages:
    visitor_id, chat_id = payload.visitor_id, payload.chat_id
    scope = f"earlier:{visitor_id}:{chat_id}"
    position = hub.cursors.read(scope, payload.cursor) if payload.cursor else None

    def read(conn: Any) -> Any:
        if not _insights_granted(conn, hub, visitor_id):
            return None
        chat = repository.chat_by_id(conn, chat_id)
        if chat is None or chat.visitor_id != visitor_id or chat.state is not ChatState.CLOSED:
            return chat_id   # not one of this visitor's earlier chats
        if position is None:
            repository.audit(conn, now_ts(), session.operator.id, "visitor.earlier_chat", visitor_id,
                             {"chat_id": chat_id})
        sections = (paging.Section("messages", repository.messages_after, chat_id),)
        return chat, *paging.read_page(conn, sections, position)

    found = await hub.db.call(read)
    if found is None:
        raise ProtocolError(ErrorCode.CONSENT_REQUIRED, _NO_CONSENT)
    if not isinstance(found, tuple):
        raise ProtocolError(ErrorCode.NOT_FOUND, "no earlier chat of this visitor with that id")
    chat, page, following = found
    return ChatWithMessages(chat=chat, messages=tuple(page.get("messages", ())),
                            next_cursor=hub.cursors.make(scope, following) if following is not None else None)
