"""Messages visitors left while nobody was available (issue 14): listed at each sign-in that is not a
resume (``messages.left``, the newest page), followed by ``message.left`` pushes, at most
``KEPT`` held. Not cached: the server has them, with their names and e-mails only as the visitors'
chat consent allows, and a desk that cannot reach it cannot answer from here either.
"""

from __future__ import annotations

import logging

from operator_desk.net.errors import NetError
from operator_desk.protocol.messages import LeftMessage, MessagesLeftRequest, MessagesLeftResponse
from operator_desk.services.chats import Request
from operator_desk.services.events import EventSink, MessagesLeftChanged

logger = logging.getLogger(__name__)

KEPT = 50


class LeftMessages:
    def __init__(self, emit: EventSink, request: Request) -> None:
        self._emit = emit
        self._request = request
        self.messages: tuple[LeftMessage, ...] = ()

    async def load(self) -> None:
        """The newest page, fresh. A server without them leaves the list empty."""
        try:
            listed: MessagesLeftResponse = await self._request("messages.left",
                                                               MessagesLeftRequest(limit=KEPT))
        except NetError as exc:
            logger.info("messages left not listed (%s)", type(exc).__name__)
            listed = MessagesLeftResponse(messages=())
        self.messages = listed.messages
        self._tell()

    def arrived(self, push: LeftMessage) -> None:
        kept = [m for m in self.messages if m.chat.id != push.chat.id]
        self.messages = (push, *kept)[:KEPT]
        self._tell()

    def forget(self, chat_ids: tuple[str, ...], visitor_id: str | None = None) -> None:
        """An erased person's messages go at once."""
        kept = tuple(m for m in self.messages
                     if m.chat.id not in chat_ids and m.chat.visitor_id != visitor_id)
        if kept != self.messages:
            self.messages = kept
            self._tell()

    def clear(self) -> None:
        self.messages = ()
        self._tell()

    def _tell(self) -> None:
        self._emit(MessagesLeftChanged(messages=self.messages))
