"""Presence and routing (issue 14): operators say whether they take chats (``presence.set``), and each
new chat is offered to one available operator at a time: the one with the fewest open chats, ties in
turn (whoever was offered a chat longest ago first), never one at their chat limit. An offer not taken
within ``offer_seconds`` goes to the next; anyone may still accept a waiting chat by hand (supervisors
pick from the queue), and an operator never past their limit. A chat started for a team (department)
is offered to that team's operators only.

Each operator's limit is their account's (``chat_limit``, set by a supervisor: ``team.set_limit`` or
``accounts set-limit``), else the site's. The rest lives in memory on the event loop: a status is the
session's business and goes with it (an operator with no session is offline), and an offer is a push
and a timer.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from operator_desk.domain.clock import format_ts
from operator_desk.domain.model import ChatState, OperatorInfo, Role
from operator_desk.protocol.messages import ChatOffered, OperatorPresence

if TYPE_CHECKING:
    from operator_desk.server.hub import Hub, LiveChat

logger = logging.getLogger(__name__)

# Who chats are offered to: supervisors pick by hand.
ROUTED_ROLES = frozenset({Role.OPERATOR, Role.TEAM_LEAD})


@dataclass(slots=True)
class _Offer:
    operator_id: str | None = None           # offered to now (None: nobody could take it)
    tried: set[str] = field(default_factory=set)  # offered to already, this round
    timer: asyncio.TimerHandle | None = None


class Router:
    def __init__(self, hub: Hub, offer_seconds: float, chat_limit: int) -> None:
        self.hub = hub
        self.offer_seconds = offer_seconds
        self.chat_limit = chat_limit
        self.status: dict[str, str] = {}        # operator id -> available | away | busy
        # operator id -> their own limit as changed since they signed in (None: back to the site's)
        self._own_limits: dict[str, int | None] = {}
        self._turn: dict[str, int] = {}         # operator id -> when last offered (a counter)
        self._turns = itertools.count(1)
        self._offers: dict[str, _Offer] = {}    # waiting chat id -> its offer
        # operator id -> how many offers they hold now: kept as offers change, so that offering one chat
        # does not walk the queue (a queue nobody can take grows; walking it per chat was quadratic).
        self._held: Counter[str] = Counter()

    # -- presence -------------------------------------------------------------------------------------

    def open_chats(self, operator_id: str) -> int:
        return sum(1 for c in self.hub.chats.values()
                   if c.chat.state is ChatState.ACTIVE and c.chat.operator_id == operator_id)

    def presence_of(self, operator: OperatorInfo) -> OperatorPresence:
        online = any(s.operator.id == operator.id for s in self.hub.sessions.values())
        status = self.status.get(operator.id, "away") if online else "offline"
        return OperatorPresence(operator=operator, status=status,  # type: ignore[arg-type]
                                open_chats=self.open_chats(operator.id), chat_limit=self.limit_of(operator))

    def everyone(self) -> list[OperatorPresence]:
        operators = {s.operator.id: s.operator for s in self.hub.sessions.values()}
        return [self.presence_of(operators[key]) for key in sorted(operators)]

    def set_status(self, operator: OperatorInfo, status: str) -> None:
        """Available: waiting chats may come. Away or busy: what was offered to them moves on now."""
        self.status[operator.id] = status
        self.tell(operator)
        if status == "available":
            self.offer_waiting()
        else:
            self._move_on_from(operator.id)

    def signed_out(self, operator: OperatorInfo) -> None:
        """The operator's last session ended: offline, and what was offered to them moves on. Only an
        operator who said a status is announced (as one who did not was never announced: a desk that
        does not use presence adds no pushes)."""
        if any(s.operator.id == operator.id for s in self.hub.sessions.values()):
            return
        self._own_limits.pop(operator.id, None)   # the next sign-in reads the account's limit afresh
        if self.status.pop(operator.id, None) is None:
            return
        self.tell(operator)
        self._move_on_from(operator.id)

    def _move_on_from(self, operator_id: str) -> None:
        for chat_id, offer in list(self._offers.items()):
            if offer.operator_id == operator_id:
                self._move_on(chat_id)

    def tell(self, operator: OperatorInfo) -> None:
        self.hub.push(self.hub.all_sessions(), "presence.changed", self.presence_of(operator), subject=None)

    # -- offers ---------------------------------------------------------------------------------------

    def anyone_available(self, team_id: str | None) -> bool:
        """Whether someone can answer a chat now (for the widget): a connected operator, team lead or
        supervisor who is available or set no status (a desk without presence answers from its queue),
        of the team when there is one. Their chat limits do not count: a chat waits for a place."""
        for session in self.hub.sessions.values():
            operator = session.operator
            if session.send_queue is None or self.status.get(operator.id, "available") != "available":
                continue
            if team_id is None or (operator.team is not None and operator.team.id == team_id):
                return True
        return False

    def limit_of(self, operator: OperatorInfo) -> int:
        """The operator's own limit (as changed since sign-in, else as it was then), else the site's."""
        own = self._own_limits.get(operator.id, operator.chat_limit)
        return own or self.chat_limit

    def limit_changed(self, operator: OperatorInfo, limit: int | None) -> None:
        """A supervisor set the operator's own limit (None: the site's): it holds from now, and a higher
        one may make room for a waiting chat."""
        self._own_limits[operator.id] = limit
        if any(s.operator.id == operator.id for s in self.hub.sessions.values()):
            self.tell(operator)
        self.offer_waiting()

    def may_take(self, operator: OperatorInfo) -> bool:
        """Whether the operator may accept one more chat (supervisors have no limit)."""
        return operator.role is Role.SUPERVISOR or self.open_chats(operator.id) < self.limit_of(operator)

    def chat_waiting(self, live_chat: LiveChat) -> None:
        """A new chat: offer it."""
        self._offers.setdefault(live_chat.chat.id, _Offer())
        self._offer(live_chat.chat.id, self._candidates())

    def chat_settled(self, chat_id: str) -> None:
        """The chat was accepted or closed: its offer is over, and a place may have come free."""
        self.chat_gone(chat_id)
        self.offer_waiting()

    def chat_gone(self, chat_id: str) -> None:
        """The chat is no longer waiting (taken, closed, erased): its offer is over."""
        offer = self._offers.pop(chat_id, None)
        if offer is not None:
            self._hold(offer, None)
            if offer.timer is not None:
                offer.timer.cancel()

    def offer_waiting(self) -> None:
        """Offer every waiting chat nobody holds an offer for, oldest first. Every close and accept
        calls this and the queue may be long, so the candidates are found once for the whole pass
        (offers change neither who is available nor who has room) and with none, nothing is walked."""
        candidates = self._candidates()
        if not candidates:
            return
        waiting = sorted((self.hub.chats[chat_id].chat.started_at, chat_id)
                         for chat_id, offer in self._offers.items()
                         if offer.operator_id is None and chat_id in self.hub.chats)
        for _, chat_id in waiting:
            self._offer(chat_id, candidates)

    def _candidates(self) -> dict[str, tuple[OperatorInfo, int]]:
        """Available operators with a connected session and room for one more chat, with how many
        chats each has open (the open chats are counted in one pass, and only when someone is
        available)."""
        available: dict[str, OperatorInfo] = {}
        for session in self.hub.sessions.values():
            operator = session.operator
            if (session.send_queue is not None and operator.role in ROUTED_ROLES
                    and self.status.get(operator.id) == "available"):
                available[operator.id] = operator
        if not available:
            return {}
        open_chats = Counter(c.chat.operator_id for c in self.hub.chats.values()
                             if c.chat.state is ChatState.ACTIVE and c.chat.operator_id in available)
        return {key: (operator, open_chats[key]) for key, operator in available.items()
                if operator.role is Role.SUPERVISOR or open_chats[key] < self.limit_of(operator)}

    def _offer(self, chat_id: str, candidates: dict[str, tuple[OperatorInfo, int]]) -> None:
        offer = self._offers.get(chat_id)
        live_chat = self.hub.chats.get(chat_id)
        if offer is None or live_chat is None or live_chat.chat.state is not ChatState.WAITING:
            self.chat_gone(chat_id)
            return
        team_id = live_chat.chat.team_id
        if team_id is not None:   # a chat started for a team: its operators only
            candidates = {key: entry for key, entry in candidates.items()
                          if entry[0].team is not None and entry[0].team.id == team_id}
        untried = [key for key in candidates if key not in offer.tried]
        if not untried and offer.tried:
            offer.tried.clear()   # everyone had their turn: a new round
            untried = list(candidates)
        if not untried:
            self._hold(offer, None)   # waits for someone to become available or free
            return
        # Fewest open chats plus whether they hold an offer now, then whoever's turn came longest ago.
        chosen = min(untried, key=lambda key: (candidates[key][1] + (self._held[key] > 0),
                                               self._turn.get(key, 0), key))
        self._hold(offer, chosen)
        offer.tried.add(chosen)
        self._turn[chosen] = next(self._turns)
        expires = format_ts(datetime.now(UTC) + timedelta(seconds=self.offer_seconds))
        sessions = [s for s in self.hub.sessions.values() if s.operator.id == chosen]
        offer_push = ChatOffered(chat_id=chat_id, expires_at=expires, seconds=self.offer_seconds)
        self.hub.push(sessions, "chat.offered", offer_push, subject=live_chat.chat.visitor_id)
        loop = asyncio.get_running_loop()
        offer.timer = loop.call_later(self.offer_seconds, self._move_on, chat_id)
        logger.debug("chat %s offered to %s", chat_id, chosen)

    def _move_on(self, chat_id: str) -> None:
        offer = self._offers.get(chat_id)
        if offer is None:
            return
        if offer.timer is not None:
            offer.timer.cancel()
        offer.timer = None
        self._hold(offer, None)
        self._offer(chat_id, self._candidates())

    def _hold(self, offer: _Offer, operator_id: str | None) -> None:
        """Who holds the offer now; the one place that changes it, so that ``_held`` stays true."""
        if offer.operator_id is not None:
            self._held[offer.operator_id] -= 1
            if not self._held[offer.operator_id]:
                del self._held[offer.operator_id]
        offer.operator_id = operator_id
        if operator_id is not None:
            self._held[operator_id] += 1

    def close(self) -> None:
        for offer in self._offers.values():
            if offer.timer is not None:
                offer.timer.cancel()
        self._offers.clear()
        self._held.clear()
