"""A scripted stand-in for the desk, for widget tests that need no server (the integration tests use
the real one). It records the calls the UI makes and lets a test emit events through a real bridge."""

from __future__ import annotations

import itertools
from typing import Any

from operator_desk.domain.consent import notice_digest
from operator_desk.domain.model import (
    Chat,
    ChatState,
    ConsentEvent,
    Message,
    Notice,
    OperatorInfo,
    Purpose,
    Role,
)
from operator_desk.protocol.messages import (
    DetailRecord,
    EarlierChatsResponse,
    ErasedCounts,
    OperatorPresence,
    SubjectSummary,
    TeamCanned,
)
from operator_desk.services.events import DeliveryState, LocalMessage

NOTICE_BODY = (
    "We ask for the details below only to answer your request.\n"
    "They are deleted after 7 days. <not markup> & you may decline."
)


def contact_notice(language: str = "en", body: str = NOTICE_BODY) -> Notice:
    return Notice(id=f"details-{language}", version=3, language=language, title="Sharing contact details",
                  body=body, purposes=(Purpose.CONTACT_DETAILS,), sha256=notice_digest(body))


class FakeDesk:
    def __init__(self, role: Role = Role.SUPERVISOR) -> None:
        self.operator: OperatorInfo | None = OperatorInfo(id="op-1", name="Sam", role=role)
        self.visitors: dict[str, Any] = {}
        self.chats: dict[str, Chat] = {}
        self.notices = (contact_notice("en"), contact_notice("de", "Wir fragen nur nach ..."))
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.consents: dict[str, tuple[ConsentEvent, ...]] = {}
        self.details: dict[str, tuple[DetailRecord, ...]] = {}
        self.messages: dict[str, tuple[LocalMessage, ...]] = {}
        self.subjects: list[SubjectSummary] = []
        self.fail_with: Exception | None = None
        # Earlier chats: (visitor id, cursor) -> a page; chat id -> (chat, messages).
        self.earlier_pages: dict[tuple[str, str | None], EarlierChatsResponse] = {}
        self.earlier_transcripts: dict[str, tuple[Chat, tuple[Message, ...]]] = {}
        self.colleagues: list[OperatorPresence] = []   # presence.list
        self._ids = itertools.count(1)

    def consents_of(self, visitor_id: str) -> tuple[ConsentEvent, ...]:
        return self.consents.get(visitor_id, ())

    def details_of(self, chat_id: str) -> tuple[DetailRecord, ...]:
        return self.details.get(chat_id, ())

    def messages_of(self, chat_id: str) -> tuple[LocalMessage, ...]:
        return self.messages.get(chat_id, ())

    def notice_for(self, purpose: Purpose, language: str | None) -> Notice | None:
        wanted = (language or "en").split("-")[0]
        matching = [n for n in self.notices if purpose in n.purposes]
        return next((n for n in matching if n.language == wanted), matching[0] if matching else None)

    async def _call(self, name: str, *args: Any) -> Any:
        self.calls.append((name, args))
        if self.fail_with is not None:
            raise self.fail_with
        return None

    async def start(self) -> bool:
        return bool(await self._call("start"))

    async def sign_in(self, username: str, password: str) -> None:
        await self._call("sign_in", username, password)

    async def sign_out(self) -> None:
        await self._call("sign_out")

    async def accept_chat(self, chat_id: str) -> None:
        await self._call("accept_chat", chat_id)
        chat = self.chats[chat_id]
        self.chats[chat_id] = Chat(id=chat.id, visitor_id=chat.visitor_id, state=ChatState.ACTIVE,
                                   operator_id=self.operator.id, started_at=chat.started_at)

    async def set_status(self, status: str) -> None:
        await self._call("set_status", status)

    def let_offer_pass(self, chat_id: str) -> None:
        self.calls.append(("let_offer_pass", (chat_id,)))

    async def send_message(self, chat_id: str, text: str) -> str:
        await self._call("send_message", chat_id, text)
        return f"c-{next(self._ids)}"

    async def set_typing(self, chat_id: str, typing: bool) -> None:
        await self._call("set_typing", chat_id, typing)

    async def close_chat(self, chat_id: str) -> None:
        await self._call("close_chat", chat_id)

    async def show_visitor_states(self, states: Any) -> None:
        await self._call("show_visitor_states", tuple(states))

    async def request_details(self, chat_id: str, notice: Notice, fields: Any) -> str:
        await self._call("request_details", chat_id, notice, tuple(fields))
        return "req-1"

    async def find_subjects(self, query: str) -> tuple[SubjectSummary, ...]:
        await self._call("find_subjects", query)
        return tuple(self.subjects)

    async def erase_subject(self, visitor_id: str, reason: str) -> ErasedCounts:
        await self._call("erase_subject", visitor_id, reason)
        self.subjects = [s for s in self.subjects if s.visitor_id != visitor_id]
        return ErasedCounts(chats=1, messages=4, consents=2, details=0)

    async def put_team_canned(self, keyword: str, text: str) -> TeamCanned:
        await self._call("put_team_canned", keyword, text)
        return TeamCanned(keyword=keyword, text=text, updated_at="2026-11-29T10:00:00.000Z")

    async def delete_team_canned(self, keyword: str) -> None:
        await self._call("delete_team_canned", keyword)

    async def list_presence(self) -> tuple[OperatorPresence, ...]:
        await self._call("list_presence")
        return tuple(self.colleagues)

    async def transfer_chat(self, chat_id: str, *, to_operator_id: str | None = None,
                            to_team_id: str | None = None, note: str = "") -> Chat:
        await self._call("transfer_chat", chat_id, to_operator_id, to_team_id, note)
        chat = self.chats[chat_id]
        handed = Chat(id=chat.id, visitor_id=chat.visitor_id, state=ChatState.ACTIVE,
                      operator_id=to_operator_id or "op-team", started_at=chat.started_at)
        self.chats[chat_id] = handed
        return handed

    async def earlier_chats(self, visitor_id: str, cursor: str | None = None) -> EarlierChatsResponse:
        await self._call("earlier_chats", visitor_id, cursor)
        return self.earlier_pages.get((visitor_id, cursor), EarlierChatsResponse(chats=()))

    async def earlier_chat(self, visitor_id: str, chat_id: str) -> tuple[Chat, tuple[Message, ...]]:
        await self._call("earlier_chat", visitor_id, chat_id)
        return self.earlier_transcripts[chat_id]

    async def close(self) -> None:
        await self._call("close")


def local_message(chat_id: str, text: str, *, author: str = "visitor", name: str = "Visitor",
                  client_msg_id: str | None = None, message_id: str | None = None,
                  state: DeliveryState = DeliveryState.DELIVERED,
                  at: str = "2026-11-29T10:00:00.000Z") -> LocalMessage:
    return LocalMessage(chat_id=chat_id, client_msg_id=client_msg_id, author=author, author_name=name,
                        text=text, at=at, state=state,
                        message_id=message_id if message_id is not None else (
                            None if state == DeliveryState.SENDING else f"m-{text[:8]}-{at}"))
