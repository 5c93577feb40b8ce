"""Chats and their transcripts: the queue, accepting, sending through the outbox, typing, closing.

Sending is outbox-first: a message is written to the outbox before it goes on the wire, and leaves the
outbox only when the server has answered ``chat.send`` with the stored message. After every (re)login
the outbox is flushed in order with the same ``client_msg_id``s; the server stores each id once, so a
message is delivered exactly once however often the connection drops. One lock serialises sending, so
messages reach the server in the order they were typed and no id is in flight twice.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from operator_desk.domain.clock import now_ts
from operator_desk.domain.masking import mask_card_numbers
from operator_desk.domain.model import Author, Chat, ChatState, Message, Visitor
from operator_desk.net.errors import NetError, RequestFailed
from operator_desk.protocol.messages import (
    ChatHistoryRequest,
    ChatHistoryResponse,
    ChatRef,
    ChatTransferred,
    ChatTransferRequest,
    ChatTransferResponse,
    ChatWithMessages,
    MessageResponse,
    OperatorSendRequest,
    OperatorTypingPush,
    OperatorTypingRequest,
    sendable_text,
)
from operator_desk.services.cache import CacheWriter
from operator_desk.services.errors import (
    TRANSIENT_REFUSALS,
    DeskError,
    desk_error,
    failure_for_error_code,
    is_offline,
)
from operator_desk.services.events import (
    ChatArrived,
    ChatsChanged,
    ChatTransferredIn,
    DeliveryState,
    EventSink,
    Failure,
    LocalMessage,
    MessageDelivered,
    MessageFailed,
    MessagesAdded,
    TypingChanged,
)
from operator_desk.services.outbox import Outbox
from operator_desk.services.roster import Roster
from operator_desk.store import Store
from operator_desk.store.records import OutboxEntry

logger = logging.getLogger(__name__)

Request = Callable[[str, Any], Awaitable[Any]]


def _local(message: Message) -> LocalMessage:
    return LocalMessage(
        chat_id=message.chat_id,
        client_msg_id=message.client_msg_id,
        author=message.author.value,
        author_name=message.author_name,
        text=message.text,
        at=message.at,
        state=DeliveryState.DELIVERED,
        message_id=message.id,
    )


class Transcript:
    """One chat's messages as shown: the server's, in order, then the operator's not yet delivered."""

    def __init__(self) -> None:
        self.messages: list[LocalMessage] = []
        self.ids: set[str] = set()

    def index_of(self, client_msg_id: str) -> int | None:
        for index in range(len(self.messages) - 1, -1, -1):
            if self.messages[index].client_msg_id == client_msg_id:
                return index
        return None


class Chats:
    def __init__(self, emit: EventSink, cache: CacheWriter, request: Request, roster: Roster,
                 outbox: Outbox, online: Callable[[], bool]) -> None:
        self.chats: dict[str, Chat] = {}
        self._transcripts: dict[str, Transcript] = {}
        self._emit = emit
        self._cache = cache
        self._request = request
        self._roster = roster
        self._outbox = outbox
        self._online = online
        self._send_lock = asyncio.Lock()
        # Set when the server answered "not now" to a message still in the outbox: later messages must
        # not overtake it.
        self._held_back = False
        self.operator_id: str | None = None
        self.operator_name = ""

    def messages_of(self, chat_id: str) -> tuple[LocalMessage, ...]:
        transcript = self._transcripts.get(chat_id)
        return tuple(transcript.messages) if transcript else ()

    def _transcript(self, chat_id: str) -> Transcript:
        transcript = self._transcripts.get(chat_id)
        if transcript is None:
            transcript = self._transcripts[chat_id] = Transcript()
        return transcript

    # -- chats --------------------------------------------------------------------------------------

    def replace_all(self, chats: Iterable[Chat]) -> None:
        """A fresh ``chats.list``: waiting chats and this operator's active ones."""
        fresh = {chat.id: chat for chat in chats}
        gone = tuple(cid for cid, chat in self.chats.items()
                     if cid not in fresh and chat.state is not ChatState.CLOSED)
        for chat_id in gone:
            self.chats.pop(chat_id, None)
        self.chats.update(fresh)
        for chat in fresh.values():
            self._roster.keep(chat.visitor_id)
        self._cache.write(Store.upsert_chats, list(fresh.values()))
        self._emit(ChatsChanged(chats=tuple(fresh.values()), removed=gone))

    def update(self, chat: Chat) -> None:
        self.chats[chat.id] = chat
        self._roster.keep(chat.visitor_id)
        self._cache.write(Store.upsert_chats, [chat])
        self._emit(ChatsChanged(chats=(chat,)))

    def incoming(self, chat: Chat, visitor: Visitor) -> None:
        self._roster.keep(chat.visitor_id)
        visitor = self._roster.upsert(visitor)
        self.update(chat)
        self._emit(ChatArrived(chat=chat, visitor=visitor))

    def mine(self) -> list[Chat]:
        return [c for c in self.chats.values()
                if c.state is ChatState.ACTIVE and c.operator_id == self.operator_id]

    async def accept(self, chat_id: str) -> None:
        try:
            answer: ChatWithMessages = await self._request("chat.accept", ChatRef(chat_id=chat_id))
        except NetError as exc:
            raise desk_error(exc, "chat.accept") from exc
        self.update(answer.chat)
        await self._merge(answer.chat.id, await self._every_message(answer))

    async def _every_message(self, answer: ChatWithMessages) -> tuple[Message, ...]:
        """A chat's messages, all its pages: a long chat comes in pages (``chat.history``), each
        under the frame limit."""
        messages, cursor = list(answer.messages), answer.next_cursor
        while cursor is not None:
            page: ChatHistoryResponse = await self._request(
                "chat.history", ChatHistoryRequest(chat_id=answer.chat.id, cursor=cursor)
            )
            messages.extend(page.messages)
            cursor = page.next_cursor
        return tuple(messages)

    async def refresh_mine(self) -> None:
        """After a resync: fetch what was said in this operator's chats while we could not hear it.
        (Accepting one's own active chat again is how the server hands its messages back.)"""
        for chat in self.mine():
            try:
                answer: ChatWithMessages = await self._request("chat.accept", ChatRef(chat_id=chat.id))
                messages = await self._every_message(answer)
            except RequestFailed as exc:
                logger.info("could not refresh a chat (%s)", exc.code)
                continue
            self.update(answer.chat)
            await self._merge(answer.chat.id, messages)

    async def transfer(self, chat_id: str, to_operator_id: str | None, to_team_id: str | None,
                       note: str) -> Chat:
        """Hand one's chat to a colleague or a team; the chat as it is now (the receiver's)."""
        try:
            answer: ChatTransferResponse = await self._request("chat.transfer", ChatTransferRequest(
                chat_id=chat_id, to_operator_id=to_operator_id, to_team_id=to_team_id, note=note))
        except NetError as exc:
            raise desk_error(exc, "chat.transfer") from exc
        self.update(answer.chat)
        return answer.chat

    async def transferred_in(self, push: ChatTransferred) -> None:
        """A colleague's chat is this operator's now: the chat, then its whole transcript (as after a
        resync: ``chat.accept`` of one's own chat gives it back, page by page)."""
        self._roster.keep(push.chat.visitor_id)
        self._roster.upsert(push.visitor)
        self.update(push.chat)
        try:
            await self.accept(push.chat.id)
        except DeskError as exc:
            logger.info("a chat handed over could not be loaded (%s)", exc.code)
            self._emit(Failure(action="chat.accept", code=exc.code))
        # After the transcript, so that the note comes after what was said before it.
        self._emit(ChatTransferredIn(chat=push.chat, from_operator=push.from_operator, note=push.note))

    async def close(self, chat_id: str) -> None:
        try:
            await self._request("chat.close", ChatRef(chat_id=chat_id))
        except NetError as exc:
            raise desk_error(exc, "chat.close") from exc

    async def set_typing(self, chat_id: str, typing: bool) -> None:
        try:
            await self._request("chat.typing", OperatorTypingRequest(chat_id=chat_id, typing=typing))
        except NetError as exc:
            raise desk_error(exc, "chat.typing") from exc

    def typing(self, push: OperatorTypingPush) -> None:
        # The live draft only with typing_preview consent, checked here again whatever the server sent.
        # It goes to the UI and nowhere else: never cached, never logged.
        chat = self.chats.get(push.chat_id)
        visitor = self._roster.visitors.get(chat.visitor_id) if chat else None
        preview = push.preview if visitor is not None and visitor.consent.typing_preview else None
        self._emit(TypingChanged(chat_id=push.chat_id, typing=push.typing, preview=preview))

    def forget(self, chat_ids: Iterable[str]) -> None:
        for chat_id in chat_ids:
            self.chats.pop(chat_id, None)
            self._transcripts.pop(chat_id, None)

    # -- messages -----------------------------------------------------------------------------------

    def message_arrived(self, message: Message) -> None:
        self._add_messages(message.chat_id, [message])

    async def _merge(self, chat_id: str, messages: Iterable[Message]) -> None:
        delivered = self._add_messages(chat_id, messages)
        for client_msg_id in delivered:
            await self._outbox.ack(client_msg_id)

    def _add_messages(self, chat_id: str, messages: Iterable[Message]) -> list[str]:
        """Add the server's messages not seen yet; an operator message that matches one of ours still
        SENDING marks it delivered. Returns the ``client_msg_id``s so delivered."""
        transcript = self._transcript(chat_id)
        added: list[LocalMessage] = []
        fresh: list[Message] = []
        delivered: list[str] = []
        for message in messages:
            if message.id in transcript.ids:
                continue
            transcript.ids.add(message.id)
            fresh.append(message)
            if message.author is Author.OPERATOR and message.client_msg_id:
                index = transcript.index_of(message.client_msg_id)
                if index is not None:
                    if self._mark_delivered(transcript, index, message):
                        delivered.append(message.client_msg_id)
                    continue
            local = _local(message)
            # The server's messages go before the operator's undelivered ones (they come later).
            position = len(transcript.messages)
            while position > 0 and transcript.messages[position - 1].state is DeliveryState.SENDING:
                position -= 1
            transcript.messages.insert(position, local)
            added.append(local)
        if fresh and chat_id in self.chats:
            self._cache.write(Store.upsert_messages, fresh)
        if added:
            self._emit(MessagesAdded(chat_id=chat_id, messages=tuple(added)))
        return delivered

    def _mark_delivered(self, transcript: Transcript, index: int, message: Message) -> bool:
        local = transcript.messages[index]
        if local.state is DeliveryState.DELIVERED:
            return False
        transcript.messages[index] = _local(message)
        self._emit(MessageDelivered(chat_id=message.chat_id, client_msg_id=local.client_msg_id or "",
                                    message=message))
        return True

    def restore_outbox(self, entries: Iterable[OutboxEntry]) -> None:
        """Show messages left in the outbox by an earlier run as SENDING (they go out after login)."""
        for entry in entries:
            transcript = self._transcript(entry.chat_id)
            if transcript.index_of(entry.client_msg_id) is not None:
                continue
            local = LocalMessage(chat_id=entry.chat_id, client_msg_id=entry.client_msg_id,
                                 author=Author.OPERATOR.value, author_name=self.operator_name,
                                 text=entry.text, at=entry.created_at, state=DeliveryState.SENDING)
            transcript.messages.append(local)
            self._emit(MessagesAdded(chat_id=entry.chat_id, messages=(local,)))

    # -- sending ------------------------------------------------------------------------------------

    async def send(self, chat_id: str, text: str) -> str:
        text = sendable_text(text)  # a pasted control character must not make the server refuse it all
        # A card number is masked here already (the server masks it too, and the site's own patterns):
        # not even the outbox in this desk's cache holds it while the message waits to be sent.
        text = mask_card_numbers(text)
        client_msg_id = uuid.uuid4().hex
        await self._outbox.add(chat_id, client_msg_id, text)  # first: from here on it cannot be lost
        local = LocalMessage(chat_id=chat_id, client_msg_id=client_msg_id, author=Author.OPERATOR.value,
                             author_name=self.operator_name, text=text, at=now_ts(),
                             state=DeliveryState.SENDING)
        self._transcript(chat_id).messages.append(local)
        self._emit(MessagesAdded(chat_id=chat_id, messages=(local,)))
        async with self._send_lock:
            if not self._online():
                return client_msg_id  # the flush after the next login sends it
            if self._held_back:
                # Older messages wait in the outbox (the server could not store them a moment ago): they
                # go first, in order, and this one with them.
                await self._flush_locked()
                return client_msg_id
            try:
                await self._deliver(chat_id, client_msg_id, text)
            except RequestFailed as exc:
                if exc.code in TRANSIENT_REFUSALS:
                    self._hold_back(exc)
                    return client_msg_id
                await self._failed(chat_id, client_msg_id, exc)
                raise desk_error(exc, "chat.send") from exc
            except NetError as exc:
                if not is_offline(exc):
                    raise desk_error(exc, "chat.send") from exc
        return client_msg_id

    async def flush_outbox(self) -> None:
        """Send everything still in the outbox, in order; stop at the first sign of being offline, or
        of a server that cannot store just now."""
        async with self._send_lock:
            await self._flush_locked()

    async def _flush_locked(self) -> None:
        self._held_back = False
        for entry in await self._outbox.pending():
            try:
                await self._deliver(entry.chat_id, entry.client_msg_id, entry.text)
            except RequestFailed as exc:
                if exc.code in TRANSIENT_REFUSALS:
                    self._hold_back(exc)
                    return
                await self._failed(entry.chat_id, entry.client_msg_id, exc)
                self._emit(Failure(action="chat.send", code=failure_for_error_code(exc.code)))
            except NetError as exc:
                logger.info("outbox flush paused (%s)", exc.code)
                return

    def _hold_back(self, exc: RequestFailed) -> None:
        """The server said "not now" (it could not store, or we were too fast): the message stays in the
        outbox, still sending, and goes with the next send or the next flush. Nothing typed is lost."""
        logger.info("the server could not take a message just now (%s); kept in the outbox", exc.code)
        self._held_back = True
        self._emit(Failure(action="chat.send", code=failure_for_error_code(exc.code)))

    async def _deliver(self, chat_id: str, client_msg_id: str, text: str) -> None:
        answer: MessageResponse = await self._request(
            "chat.send", OperatorSendRequest(chat_id=chat_id, client_msg_id=client_msg_id, text=text)
        )
        await self._outbox.ack(client_msg_id)
        message = answer.message
        transcript = self._transcript(chat_id)
        if message.id in transcript.ids:
            return
        transcript.ids.add(message.id)
        if chat_id in self.chats:
            self._cache.write(Store.upsert_messages, [message])
        index = transcript.index_of(client_msg_id)
        if index is None:
            local = _local(message)
            transcript.messages.append(local)
            self._emit(MessagesAdded(chat_id=chat_id, messages=(local,)))
        else:
            self._mark_delivered(transcript, index, message)

    async def _failed(self, chat_id: str, client_msg_id: str, exc: RequestFailed) -> None:
        # Refused for good (the chat is closed or not ours): retrying would never succeed.
        logger.info("the server refused a message (%s); dropped from the outbox", exc.code)
        await self._outbox.ack(client_msg_id)
        transcript = self._transcript(chat_id)
        index = transcript.index_of(client_msg_id)
        if index is not None:
            local = transcript.messages[index]
            transcript.messages[index] = LocalMessage(
                chat_id=local.chat_id, client_msg_id=local.client_msg_id, author=local.author,
                author_name=local.author_name, text=local.text, at=local.at, state=DeliveryState.FAILED,
            )
        self._emit(MessageFailed(chat_id=chat_id, client_msg_id=client_msg_id,
                                 code=failure_for_error_code(exc.code)))


__all__ = ["Chats", "DeskError"]
