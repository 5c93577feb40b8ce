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

Across nodes (docs/scaling.md, "What crosses nodes"): each node tells the others of the operators
signed in on it (``bus.Presence``: how many sessions, how many connected, their status), so that every
node's routing, colleague lists and transfers see the whole site. A new chat is offered by its
visitor's home node alone (the one whose router holds its ``_Offer`` and timer), to an available
operator on any node: the offer is relayed to the node(s) of that operator, whose sessions get the
``chat.offered`` push, and every node counts it for the turns and tie-breaks. A status said on one node
is taken by every node in the bus's order.
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
from operator_desk.server.bus import ChatLimitSet, Presence
from operator_desk.server.cluster import Relay

if TYPE_CHECKING:
    from operator_desk.server.hub import Hub, LiveChat, OperatorSession

logger = logging.getLogger(__name__)

# Who chats are offered to: supervisors pick by hand.
ROUTED_ROLES = frozenset({Role.OPERATOR, Role.TEAM_LEAD})


@dataclass(slots=True)
class _Offer:
    operator_id: str | None = None           # offered to now (None: nobody could take it)
    tried: set[str] = field(default_factory=set)  # offered to already, this round
    timer: asyncio.TimerHandle | None = None


@dataclass(slots=True)
class _Elsewhere:
    """An operator's sessions on another node, as that node last said (``bus.Presence``)."""

    operator: OperatorInfo
    sessions: int
    connected: int


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
        # Of several nodes: operator id -> node -> their sessions there (bus.Presence), and the offers
        # other nodes made (chat id -> operator id, until the chat is taken or closed), counted as
        # held for the tie-breaks as this node's own are.
        self.elsewhere: dict[str, dict[str, _Elsewhere]] = {}
        self._offered_elsewhere: dict[str, str] = {}
        self._held_elsewhere: Counter[str] = Counter()
        # operator id -> statuses said here and not yet read back from the bus (see status_heard).
        self._saying: Counter[str] = Counter()

    # -- presence -------------------------------------------------------------------------------------

    def open_chats(self, operator_id: str) -> int:
        return sum(1 for c in self.hub.chats.values()
                   if c.chat.state is ChatState.ACTIVE and c.chat.operator_id == operator_id)

    def _sessions_here(self, operator_id: str) -> list[OperatorSession]:
        return [s for s in self.hub.sessions.values() if s.operator.id == operator_id]

    def online(self, operator_id: str) -> bool:
        """Signed in with a session on this node or another."""
        return operator_id in self.elsewhere or any(
            s.operator.id == operator_id for s in self.hub.sessions.values())

    def signed_in(self) -> dict[str, OperatorInfo]:
        """Every operator with a session on any node now, by id (this node's sessions' account first)."""
        found = {key: next(iter(records.values())).operator for key, records in self.elsewhere.items()}
        found.update({s.operator.id: s.operator for s in self.hub.sessions.values()})
        return found

    def connected_sessions(self) -> Counter[str]:
        """Operator id -> how many of their sessions are connected now, on every node."""
        counted = Counter(s.operator.id for s in self.hub.sessions.values() if s.send_queue is not None)
        for key, records in self.elsewhere.items():
            counted[key] += sum(record.connected for record in records.values())
        return +counted

    def presence_of(self, operator: OperatorInfo) -> OperatorPresence:
        status = self.status.get(operator.id, "away") if self.online(operator.id) else "offline"
        return OperatorPresence(operator=operator, status=status,  # type: ignore[arg-type]
                                open_chats=self.open_chats(operator.id), chat_limit=self.limit_of(operator))

    def everyone(self) -> list[OperatorPresence]:
        operators = self.signed_in()
        return [self.presence_of(operators[key]) for key in sorted(operators)]

    def set_status(self, operator: OperatorInfo, status: str) -> None:
        """Available: waiting chats may come. Away or busy: what was offered to them moves on now."""
        self.status[operator.id] = status
        self.announce(operator, said=True)
        self.tell(operator)
        self._reroute(operator.id)

    def _reroute(self, operator_id: str) -> None:
        if self.status.get(operator_id) == "available":
            self.offer_waiting()
        else:
            self._move_on_from(operator_id)

    def signed_out(self, operator: OperatorInfo) -> None:
        """The operator's last session here ended: offline unless signed in on another node, and what
        was offered to them moves on. Only an operator who said a status is announced (as one who did
        not was never announced: a desk that does not use presence adds no pushes)."""
        if self._sessions_here(operator.id):
            return
        self.announce(operator)
        if operator.id in self.elsewhere:
            return   # still signed in on another node: nothing changes for their colleagues
        self._gone(operator)

    def _gone(self, operator: OperatorInfo) -> None:
        """Signed in nowhere any more."""
        self._own_limits.pop(operator.id, None)   # the next sign-in reads the account's limit afresh
        self._saying.pop(operator.id, None)
        if self.status.pop(operator.id, None) is None:
            return
        self.tell(operator)
        self._move_on_from(operator.id)

    # -- presence across nodes ------------------------------------------------------------------------

    def announce(self, operator: OperatorInfo, *, said: bool = False, to: str = "",
                 attaching: OperatorSession | None = None) -> None:
        """Tell the other nodes of the operator's sessions here and their status (``said``: they have
        just said it). Each sign-in (``attaching``: the session signing in, connected once answered),
        disconnection and sign-out here calls this."""
        bus = self.hub.bus
        if bus.alone:
            return
        here = self._sessions_here(operator.id)
        if said:
            self._saying[operator.id] += 1
        connected = sum(1 for s in here if s.send_queue is not None or s is attaching)
        bus.publish(Presence(origin=bus.node_id, operator=operator, sessions=len(here), connected=connected,
                             status=self.status.get(operator.id), said=said, to=to))

    def tell_newcomer(self, node: str) -> None:
        """A node joined: it hears of every operator signed in here."""
        operators = {s.operator.id: s.operator for s in self.hub.sessions.values()}
        for operator in operators.values():
            self.announce(operator, to=node)

    def presence_heard(self, event: Presence) -> None:
        """Another node said where an operator is signed in, and maybe their status."""
        operator = event.operator
        before, status_before = self.presence_of(operator), self.status.get(operator.id)
        records = self.elsewhere.setdefault(operator.id, {})
        if event.sessions > 0:
            records[event.origin] = _Elsewhere(operator, event.sessions, event.connected)
        else:
            records.pop(event.origin, None)
            if not records:
                del self.elsewhere[operator.id]
        if event.status is not None and (event.said or operator.id not in self.status):
            self.status_heard(event)
        if not self.online(operator.id):
            self._gone(operator)
            return
        if operator.id in self.status and self.presence_of(operator) != before:
            self.tell(operator)
        status = self.status.get(operator.id)
        if status == "available":
            if event.connected:
                self.offer_waiting()
        elif status != status_before:
            self._move_on_from(operator.id)

    def status_heard(self, event: Presence) -> None:
        """A status said on a node (this one too), in the bus's order: the last one said wins on every
        node. A node that said one holds it at once; until it reads it back from the bus, what it reads
        of other nodes is older than that, and is passed over. (Two desks of one operator saying two
        statuses at once on two nodes: both nodes end with the one later in the stream.)"""
        key = event.operator.id
        if self._saying[key] > 0:
            if event.origin == self.hub.bus.node_id:
                self._saying[key] -= 1
                if not self._saying[key]:
                    del self._saying[key]
            return
        self._saying.pop(key, None)
        if event.origin != self.hub.bus.node_id and event.status is not None and self.online(key):
            self.status[key] = event.status   # presence_heard tells and reroutes, once for the event

    def node_gone(self, node: str) -> None:
        """Node ``node`` died (or this node lost the bus's history): its operators' sessions are gone."""
        for key in [key for key, records in self.elsewhere.items() if node in records]:
            operator = self.elsewhere[key][node].operator
            self.presence_heard(Presence(origin=node, operator=operator, sessions=0, connected=0))

    def forget_elsewhere(self) -> None:
        """The bus lost events: what other nodes said may be stale (they say it again, NodeJoined)."""
        for node in {node for records in self.elsewhere.values() for node in records}:
            self.node_gone(node)
        self._saying.clear()
        self._offered_elsewhere.clear()
        self._held_elsewhere.clear()

    def offered_elsewhere(self, chat_id: str, operator_id: str) -> None:
        """Another node (the chat's home) offered a chat to the operator: their turn came, and they hold
        it until the chat is taken or closed or offered to someone else."""
        self._drop_elsewhere(chat_id)
        self._offered_elsewhere[chat_id] = operator_id
        self._held_elsewhere[operator_id] += 1
        self._turn[operator_id] = next(self._turns)

    def _drop_elsewhere(self, chat_id: str) -> None:
        holder = self._offered_elsewhere.pop(chat_id, None)
        if holder is not None:
            self._held_elsewhere[holder] -= 1
            if not self._held_elsewhere[holder]:
                del self._held_elsewhere[holder]

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
        connected = [s.operator for s in self.hub.sessions.values() if s.send_queue is not None]
        connected += [record.operator for records in self.elsewhere.values() for record in records.values()
                      if record.connected]
        for operator in connected:
            if self.status.get(operator.id, "available") != "available":
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
        if not self.hub.bus.alone:
            self.hub.bus.publish(ChatLimitSet(operator_id=operator.id, chat_limit=limit,
                                              origin=self.hub.bus.node_id))
        if self.online(operator.id):
            self.tell(operator)
        self.offer_waiting()

    def limit_heard(self, event: ChatLimitSet) -> None:
        """A supervisor on another node set an operator's limit: it holds here too."""
        operator = self.signed_in().get(event.operator_id)
        if operator is None:
            return   # signed in nowhere: their next sign-in reads the stored limit
        self._own_limits[operator.id] = event.chat_limit
        self.tell(operator)
        self.offer_waiting()

    def may_take(self, operator: OperatorInfo) -> bool:
        """Whether the operator may accept one more chat (supervisors have no limit)."""
        return operator.role is Role.SUPERVISOR or self.open_chats(operator.id) < self.limit_of(operator)

    def chat_waiting(self, live_chat: LiveChat) -> None:
        """A new chat: offer it."""
        self._offers.setdefault(live_chat.chat.id, _Offer())
        self._offer(live_chat.chat.id, self._candidates())

    def take_over(self, live_chat: LiveChat) -> None:
        """A waiting chat whose offers another node made until now (its visitor's home before): offered
        from here on, unless this node offers it already."""
        if live_chat.chat.id not in self._offers:
            self.chat_waiting(live_chat)

    def chat_settled(self, chat_id: str) -> None:
        """The chat was accepted or closed: its offer is over, and a place may have come free."""
        self.chat_gone(chat_id)
        self.offer_waiting()

    def chat_gone(self, chat_id: str) -> None:
        """The chat is no longer waiting (taken, closed, erased): its offer is over."""
        self._drop_elsewhere(chat_id)
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
        for key, records in self.elsewhere.items():   # connected on other nodes
            for record in records.values():
                if (key not in available and record.connected and record.operator.role in ROUTED_ROLES
                        and self.status.get(key) == "available"):
                    available[key] = record.operator
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
        chosen = min(untried, key=lambda key: (
            candidates[key][1] + (self._held[key] + self._held_elsewhere[key] > 0),
            self._turn.get(key, 0), key))
        self._hold(offer, chosen)
        offer.tried.add(chosen)
        self._turn[chosen] = next(self._turns)
        expires = format_ts(datetime.now(UTC) + timedelta(seconds=self.offer_seconds))
        sessions = [s for s in self.hub.sessions.values() if s.operator.id == chosen]
        offer_push = ChatOffered(chat_id=chat_id, expires_at=expires, seconds=self.offer_seconds)
        self.hub.push(sessions, "chat.offered", offer_push, subject=live_chat.chat.visitor_id)
        if not self.hub.bus.alone:
            # To the operator's sessions on the other nodes; relayed even while this node applies another
            # node's event (an offer is this node's own, never an echo).
            self.hub.cluster.relay("chat.offered", offer_push, live_chat.chat.visitor_id,
                                   Relay.operator(chosen))
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
        self._offered_elsewhere.clear()
        self._held_elsewhere.clear()
