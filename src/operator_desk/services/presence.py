"""Presence (issue 14): the operator's own status (available, away, busy), the team's, and the chats the
server offers this operator (``chat.offered``).

The status is the operator's choice and the desk's preference: remembered per account (through a
``StatusMemory``, the desk's settings) and sent to the server at every sign-in, resumed or not, since a
server forgets it with the last session. It is the one place that holds it: the status bar, the Desk
menu and the tray all read it from here (``PresenceChanged``) and set it through ``set_status``.

An offer lasts until it expires, the chat stops waiting (this operator or another took it, the visitor
left) or the operator says they are not available: then it is gone (``OffersChanged``). Its deadline is
counted on this desk's monotonic clock from the push's ``seconds`` (a server clock that differs from
ours changes nothing); ``expires_at`` only when the server sent no ``seconds``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Protocol, get_args

from operator_desk.domain.clock import parse_ts
from operator_desk.domain.model import Chat, ChatState, OperatorInfo
from operator_desk.net.errors import NetError, RequestFailed
from operator_desk.protocol import ErrorCode
from operator_desk.protocol.messages import (
    ChatOffered,
    Empty,
    OperatorPresence,
    PresenceListResponse,
    PresenceSetRequest,
    PresenceStatus,
)
from operator_desk.services.chats import Request
from operator_desk.services.errors import desk_error
from operator_desk.services.events import ChatOffer, EventSink, OffersChanged, PresenceChanged

logger = logging.getLogger(__name__)

STATUSES: tuple[PresenceStatus, ...] = get_args(PresenceStatus)
# An offer longer than this is taken as this long (a server's clock far off, a malformed push).
LONGEST_OFFER = 300.0


class StatusMemory(Protocol):
    """Where the desk remembers each account's status between runs (``ui.settings.DeskSettings``)."""

    def remembered_status(self, account: str) -> str | None: ...
    def remember_status(self, account: str, status: str) -> None: ...


class MemoryStatus:
    """Remembers for this run only (tests, a desk without settings)."""

    def __init__(self) -> None:
        self._statuses: dict[str, str] = {}

    def remembered_status(self, account: str) -> str | None:
        return self._statuses.get(account)

    def remember_status(self, account: str, status: str) -> None:
        self._statuses[account] = status


class Presence:
    def __init__(self, emit: EventSink, request: Request, memory: StatusMemory,
                 default_status: PresenceStatus, online: Callable[[], bool],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._emit = emit
        self._request = request
        self._memory = memory
        self._default = default_status
        self._online = online
        self._clock = clock
        self._account: str | None = None
        self.status: PresenceStatus = default_status
        self.supported = True   # False once the server answered presence.set with unknown_action
        self.team: dict[str, OperatorPresence] = {}
        self._offers: dict[str, ChatOffer] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}

    @property
    def offers(self) -> tuple[ChatOffer, ...]:
        """The chats offered to this operator now, soonest to expire first."""
        return tuple(sorted(self._offers.values(), key=lambda offer: offer.deadline))

    # -- the operator's own status --------------------------------------------------------------------

    async def signed_in(self, operator: OperatorInfo) -> None:
        """At every sign-in: the account's remembered status to the server, then the team's list."""
        self._account = operator.id
        remembered = self._memory.remembered_status(operator.id)
        self.status = remembered if remembered in STATUSES else self._default
        self.supported = True
        try:
            await self._request("presence.set", PresenceSetRequest(status=self.status))
            listed: PresenceListResponse = await self._request("presence.list", Empty())
        except RequestFailed as exc:
            if exc.code == ErrorCode.UNKNOWN_ACTION:
                self.supported = False   # a server without presence: nothing to say or show
            logger.info("presence not set at sign-in (%s)", exc.code)
            listed = PresenceListResponse(operators=())
        except NetError as exc:
            logger.info("presence not set at sign-in (%s)", type(exc).__name__)
            listed = PresenceListResponse(operators=())
        self.team = {entry.operator.id: entry for entry in listed.operators}
        self._tell()

    async def set_status(self, status: PresenceStatus) -> None:
        """The operator's choice: remembered for the account at once, and sent when online (else at
        the next sign-in). Away or busy withdraws the offers held now, as the server moves them on."""
        if status not in STATUSES:
            raise ValueError(status)
        self.status = status
        if self._account is not None:
            self._memory.remember_status(self._account, status)
        if status != "available":
            self._withdraw(tuple(self._offers))
        self._tell()
        if self._online() and self.supported:
            try:
                await self._request("presence.set", PresenceSetRequest(status=status))
            except NetError as exc:
                raise desk_error(exc, "presence.set") from exc

    def signed_out(self) -> None:
        self._account = None
        self.team.clear()
        self._withdraw(tuple(self._offers))
        self.status = self._default
        self._tell()

    def changed(self, push: OperatorPresence) -> None:
        if push.status == "offline":
            self.team.pop(push.operator.id, None)
        else:
            self.team[push.operator.id] = push
        self._tell()

    def _tell(self) -> None:
        team = tuple(sorted(self.team.values(), key=lambda entry: (entry.operator.name, entry.operator.id)))
        self._emit(PresenceChanged(status=self.status, team=team, supported=self.supported))

    # -- offers ---------------------------------------------------------------------------------------

    def offered(self, push: ChatOffered, chat: Chat | None) -> None:
        """A waiting chat offered to this operator. One that no longer waits here, or while the operator
        is not available (a push on its way as they said away), is let pass."""
        if chat is not None and chat.state is not ChatState.WAITING:
            return
        if self.status != "available":
            return
        seconds = push.seconds if push.seconds is not None else _seconds_until(push.expires_at)
        seconds = min(max(seconds, 0.0), LONGEST_OFFER)
        self._withdraw((push.chat_id,), tell=False)
        self._offers[push.chat_id] = ChatOffer(chat_id=push.chat_id, deadline=self._clock() + seconds,
                                               seconds=seconds)
        self._timers[push.chat_id] = asyncio.get_running_loop().call_later(
            seconds, self._withdraw, (push.chat_id,))
        self._emit(OffersChanged(offers=self.offers))

    def chats_changed(self, chats: Iterable[Chat], removed: Iterable[str] = ()) -> None:
        """Offers of chats that no longer wait (taken, closed) or are gone from the desk end."""
        ended = [chat.id for chat in chats if chat.state is not ChatState.WAITING]
        self._withdraw((*ended, *removed))

    def let_pass(self, chat_id: str) -> None:
        """The operator lets the offer pass: it leaves this desk; the server offers the chat to the next
        when the offer expires (anyone may still accept it from the queue)."""
        self._withdraw((chat_id,))

    def _withdraw(self, chat_ids: Iterable[str], tell: bool = True) -> None:
        gone = False
        for chat_id in chat_ids:
            timer = self._timers.pop(chat_id, None)
            if timer is not None:
                timer.cancel()
            gone = self._offers.pop(chat_id, None) is not None or gone
        if gone and tell:
            self._emit(OffersChanged(offers=self.offers))

    def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._offers.clear()


def _seconds_until(expires_at: str) -> float:
    try:
        return (parse_ts(expires_at) - datetime.now(UTC)).total_seconds()
    except ValueError:
        return 0.0
