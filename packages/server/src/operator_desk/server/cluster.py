"""Several nodes, one site: what a node tells the others about the visitors and chats it holds, and how it
applies what they tell it (docs/scaling.md, "Several nodes").

A visitor's browser tabs are connected to one node, its *home*; an operator may be connected to any
other. Each node keeps, beside the visitors and chats it is home to, a copy of every other node's
(``LiveVisitor.home`` names the node; None is this one), built from the pushes the nodes relay to one
another over the bus (``OperatorPush``): a ``visitor.upsert`` carries the visitor as operators may see
it (redacted at its home, under the visitor's consent, before it leaves), a ``chat.incoming`` or
``chat.updated`` the chat, a ``chat.message`` the stored message. Every node applies each one to its copy
and pushes it to its own sessions that hear of it, as the publishing node did to its own: an operator's
desk sees the same whatever node it is connected to, and a withdrawal of consent reaches every desk with
the same push.

What an operator does to a chat whose visitor is at home elsewhere (accept, answer, close) is done on the
operator's node, against the shared database (PostgreSQL), and relayed the same way; what the visitor's
tabs must hear goes to their home node as a ``VisitorPush``. A ``chat.accept`` race between two nodes is
decided by a claim on the bus (``Bus.claim``): one operator wins, on every node.

A node alone (``LocalBus``) relays nothing: ``Bus.alone``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from operator_desk.domain.model import (
    Chat,
    ChatState,
    ConsentEvent,
    Purpose,
    Struct,
    Visitor,
    VisitorState,
)
from operator_desk.protocol.messages import (
    ChatIncoming,
    ChatMessagePush,
    ChatOffered,
    ChatUpdated,
    ConsentChanged,
    DetailsRequested,
    VisitorUpsert,
)
from operator_desk.server.auth import LoginLimiter, login_digests
from operator_desk.server.bus import (
    ChatLimitSet,
    LoginAttempt,
    NodeAlive,
    NodeJoined,
    OperatorPush,
    Presence,
    TabsLeft,
    VisitorPush,
)

if TYPE_CHECKING:
    from operator_desk.server.hub import Hub, LiveChat, LiveVisitor, OperatorSession

logger = logging.getLogger(__name__)

_encoder = msgspec.json.Encoder()
_upsert = msgspec.json.Decoder(VisitorUpsert)
_incoming = msgspec.json.Decoder(ChatIncoming)
_updated = msgspec.json.Decoder(ChatUpdated)
_message = msgspec.json.Decoder(ChatMessagePush)
_consent = msgspec.json.Decoder(ConsentChanged)
_details_requested = msgspec.json.Decoder(DetailsRequested)
_offered = msgspec.json.Decoder(ChatOffered)
# The bus's events the cluster applies (``Cluster.apply``); the hub applies erasures itself.
ClusterEvent = (OperatorPush | VisitorPush | NodeJoined | NodeAlive | LoginAttempt | Presence | ChatLimitSet
                | TabsLeft)
# A chat.accept claim lasts this long: long enough for the winner's stored change to reach every node
# (then the chat is active there, and taken), short enough that a chat handed back to the queue can be
# accepted again soon.
ACCEPT_CLAIM_SECONDS = 30.0
# How long a request waits at most for this node to read the bus up to now (Bus.caught_up).
CATCH_UP_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Relay:
    """Who hears a push on the other nodes (``OperatorPush.audience``): every session, the watchers of a
    chat or of a visitor, the sessions of one operator or of one team; without the session whose answer
    carried it."""

    audience: str
    chat_id: str = ""
    visitor_id: str = ""
    operator_id: str = ""
    team_id: str = ""
    sender: str = ""
    at_once: bool = False
    from_home: bool = False

    @staticmethod
    def everyone() -> Relay:
        return Relay("all")

    @staticmethod
    def chat(chat_id: str, sender: OperatorSession | None = None) -> Relay:
        return Relay("chat", chat_id=chat_id, sender=sender.id if sender is not None else "")

    @staticmethod
    def visitor(visitor_id: str, *, at_once: bool = False, from_home: bool = False) -> Relay:
        return Relay("visitor", visitor_id=visitor_id, at_once=at_once, from_home=from_home)

    @staticmethod
    def operator(operator_id: str) -> Relay:
        return Relay("operator", operator_id=operator_id)

    @staticmethod
    def team(team_id: str, sender: OperatorSession | None = None) -> Relay:
        return Relay("team", team_id=team_id, sender=sender.id if sender is not None else "")


def mirror_of(view: Visitor, home: str) -> LiveVisitor:
    """A visitor at home on another node, as this node holds it: what operators may see of them, and
    nothing more (no address, no token)."""
    from operator_desk.server.hub import LiveVisitor

    return LiveVisitor(
        id=view.id, token_digest=f"@{view.id}", ip="", language=view.language,
        on_site_since=view.on_site_since, page=view.page, pages_viewed=view.pages_viewed, state=view.state,
        name=view.name, email=view.email, insights=view.insights,
        granted=frozenset(p for p in Purpose if view.consent.granted(p)), home=home,
    )


class Cluster:
    """The hub's side of the other nodes (one per hub)."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        # While an event of another node is applied, what it causes is not relayed again.
        self._applying = False
        # The node's failed-login limits (the operator endpoint's): attempts on other nodes count too.
        self.login_limiter: LoginLimiter | None = None
        # When each other node was last heard of (any event of theirs), by the monotonic clock.
        self._heard: dict[str, float] = {}

    @property
    def relaying(self) -> bool:
        return not self.hub.bus.alone and not self._applying

    async def caught_up(self) -> None:
        """Read the bus up to its end now (``Bus.caught_up``), so that what another node answered ok
        before is applied here. Bounded: a bus that does not answer costs a second, not the answer."""
        if not self.hub.bus.alone:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.hub.bus.caught_up(), CATCH_UP_SECONDS)

    async def told(self) -> None:
        """Wait until what this node published is in the bus's stream (``Bus.flush``): a request that
        told the other nodes something (and stored nothing, whose answers wait for this anyway) is
        answered after this. Bounded as ``caught_up``."""
        if not self.hub.bus.alone:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.hub.bus.flush(), CATCH_UP_SECONDS)

    def joined(self) -> None:
        if not self.hub.bus.alone:
            self.hub.bus.publish(NodeJoined(origin=self.hub.bus.node_id))

    def resync(self) -> None:
        """The bus lost events: the copies of other nodes' visitors and chats may be stale. They are
        dropped and asked for again, as by a node that joins (its sessions resync meanwhile)."""
        hub = self.hub
        if hub.bus.alone:
            return
        copies = [v.id for v in hub.visitors.values() if v.home is not None]
        for visitor_id in copies:
            del hub.visitors[visitor_id]
            hub.feeds.forget(visitor_id)
        copied = set(copies)
        for chat_id in [c.chat.id for c in hub.chats.values() if c.chat.visitor_id in copied]:
            del hub.chats[chat_id]
            hub.router.chat_gone(chat_id)
        hub.router.forget_elsewhere()
        self.joined()

    # -- what this node tells the others --------------------------------------------------------------

    def relay(
        self, action: str, payload: Struct | msgspec.Raw, subject: Any, relay: Relay, to: str = ""
    ) -> None:
        subjects = (subject,) if isinstance(subject, str) else tuple(sorted(subject or ()))
        self.hub.bus.publish(OperatorPush(
            action=action, payload=msgspec.Raw(_encoder.encode(payload)), subjects=subjects,
            origin=self.hub.bus.node_id, audience=relay.audience, chat_id=relay.chat_id,
            visitor_id=relay.visitor_id, operator_id=relay.operator_id, team_id=relay.team_id,
            sender=relay.sender, at_once=relay.at_once, from_home=relay.from_home, to=to))

    def to_visitor(self, visitor: LiveVisitor, action: str, payload: Struct | msgspec.Raw) -> None:
        """A push for the tabs of a visitor at home on another node."""
        if self.relaying:
            self.hub.bus.publish(VisitorPush(visitor_id=visitor.id, action=action,
                                             payload=msgspec.Raw(_encoder.encode(payload)),
                                             origin=self.hub.bus.node_id))

    def login_attempted(self, username: str, address: str, *, succeeded: bool) -> None:
        """A password sign-in was tried here (or succeeded): the other nodes count it too."""
        if self.relaying:
            pair, place = login_digests(username, address)
            self.hub.bus.publish(LoginAttempt(pair=pair, place=place, succeeded=succeeded,
                                              origin=self.hub.bus.node_id))

    async def watch_nodes(self) -> None:
        """Say this node is alive, and find the nodes that died: the visitors at home on a node not heard
        of for ``node_timeout`` seconds, and not back on another node within their grace
        (``visitor_grace``), have left. One node (a claim) closes their chats and says so; every node
        hears it as from a visitor's own home."""
        settings = self.hub.settings
        while True:
            await asyncio.sleep(settings.node_heartbeat)
            self.hub.bus.publish(NodeAlive(origin=self.hub.bus.node_id))
            silent = time.monotonic() - settings.node_timeout
            for node in [node for node, heard in self._heard.items() if heard < silent]:
                self.hub.router.node_gone(node)   # its operators' desks reconnect to another node
                for visitor in [v for v in self.hub.visitors.values() if node in v.homes_elsewhere]:
                    self._not_home(visitor, node)
            horizon = silent - settings.visitor_grace
            for visitor in [v for v in self.hub.visitors.values() if v.home is not None]:
                if self._heard.get(visitor.home, time.monotonic()) < horizon:
                    await self._home_died(visitor)

    async def _home_died(self, copy: LiveVisitor) -> None:
        hub = self.hub
        holder = await hub.bus.claim(f"left:{copy.id}", hub.bus.node_id, ACCEPT_CLAIM_SECONDS)
        if holder == hub.bus.node_id and hub.visitors.get(copy.id) is copy:
            logger.info("visitor %s left with node %s, which is not heard of", copy.id, copy.home)
            hub.visitor_gone(copy)

    def _alive(self, node: str) -> bool:
        heard = self._heard.get(node)
        return heard is not None and heard >= time.monotonic() - self.hub.settings.node_timeout

    def take_home(self, visitor: LiveVisitor) -> None:
        """A visitor at home on another node said hello here (that node died, or nginx sent this tab
        here): this node becomes their home, and carries on the open chat it holds a copy of. Their
        next ``visitor.upsert`` tells the other nodes. While the other node lives (the visitor's other
        tabs are there), both are their homes (``homes_elsewhere``), and it goes on offering a
        waiting chat."""
        copy = self.hub.visitors.get(visitor.id)
        if copy is None or copy.home is None:
            return
        still_home = self._alive(copy.home)
        if still_home:
            visitor.homes_elsewhere.add(copy.home)
        if copy.chat_id is None:
            return
        live_chat = self.hub.chats.get(copy.chat_id)
        if live_chat is None or live_chat.chat.state is ChatState.CLOSED:
            return
        visitor.chat_id = live_chat.chat.id
        visitor.state = VisitorState.CHATTING if live_chat.chat.state is ChatState.ACTIVE \
            else VisitorState.WAITING
        if live_chat.chat.state is ChatState.WAITING and not still_home:
            self.hub.router.take_over(live_chat)   # its offers are this node's now

    def hand_back(self, visitor: LiveVisitor) -> bool:
        """The visitor's last tab here is gone, and they have tabs on another node: this node holds a
        copy of them again (their open chat goes on there) and tells the other homes. False when none
        of those nodes is alive: the visitor has left."""
        hub = self.hub
        alive = sorted(node for node in visitor.homes_elsewhere if self._alive(node))
        if not alive:
            return False
        copy = mirror_of(visitor.operator_view(), alive[0])
        copy.chat_id = visitor.chat_id
        hub.visitors[visitor.id] = copy
        if visitor.chat_id is not None:
            hub.router.chat_gone(visitor.chat_id)   # a waiting chat's offers go on at its home
        hub.bus.publish(TabsLeft(visitor_id=visitor.id, origin=hub.bus.node_id))
        return True

    def _not_home(self, visitor: LiveVisitor, node: str) -> None:
        """Node ``node`` is no longer a home of the visitor (their tabs there are gone, or it died): once
        this node is their only one, it offers their waiting chat (a node that took them over while the
        other lived left that to it)."""
        visitor.homes_elsewhere.discard(node)
        live_chat = self.hub.chats.get(visitor.chat_id) if visitor.chat_id else None
        if live_chat is not None and live_chat.chat.state is ChatState.WAITING \
                and not visitor.homes_elsewhere:
            self.hub.router.take_over(live_chat)

    def _tabs_left(self, event: TabsLeft) -> None:
        """The visitor's tabs on another node are gone. Still at home here: it is their one home now
        (offering their waiting chat). Held as a copy whose home is that node: both nodes handed the
        visitor to each other at once, and nobody has a tab: they left (one node, by a claim, says so)."""
        hub = self.hub
        visitor = hub.visitors.get(event.visitor_id)
        if visitor is None:
            return
        if visitor.home is None:
            self._not_home(visitor, event.origin)
        elif visitor.home == event.origin:
            hub.spawn(self._home_died(visitor), "tabs-left")
    def tell_newcomer(self, node: str) -> None:
        """A node joined: it hears of every visitor and open chat this node is home to, and of the
        operators signed in here."""
        hub = self.hub
        hub.router.tell_newcomer(node)
        for visitor in list(hub.visitors.values()):
            if visitor.home is None and visitor.state is not VisitorState.LEFT:
                self.relay("visitor.upsert", VisitorUpsert(visitor=visitor.operator_view()), visitor.id,
                           Relay.visitor(visitor.id), to=node)
        for live_chat in list(hub.chats.values()):
            visitor = hub.visitors.get(live_chat.chat.visitor_id)
            if visitor is not None and visitor.home is None:
                self.relay("chat.updated", ChatUpdated(chat=live_chat.chat), visitor.id,
                           Relay.chat(live_chat.chat.id), to=node)

    # -- what the others tell this node ---------------------------------------------------------------

    def apply(self, event: ClusterEvent) -> None:
        hub = self.hub
        if event.origin == hub.bus.node_id:
            if isinstance(event, Presence) and event.said:
                hub.router.status_heard(event)   # the order of statuses said on several nodes
            return  # this node pushed to its own sessions when it published
        self._heard[event.origin] = time.monotonic()
        if isinstance(event, NodeAlive):
            return
        if isinstance(event, NodeJoined):
            self.tell_newcomer(event.origin)
            return
        if isinstance(event, Presence):
            if not event.to or event.to == hub.bus.node_id:
                hub.router.presence_heard(event)
            return
        if isinstance(event, ChatLimitSet):
            hub.router.limit_heard(event)
            return
        if isinstance(event, LoginAttempt):
            if self.login_limiter is not None:
                if event.succeeded:
                    self.login_limiter.count_success(event.pair, event.place)
                else:
                    self.login_limiter.count_attempt(event.pair, event.place)
            return
        if isinstance(event, TabsLeft):
            self._tabs_left(event)
            return
        if isinstance(event, VisitorPush):
            visitor = hub.visitors.get(event.visitor_id)
            if visitor is not None and visitor.home is None:
                if event.action == "details.requested":
                    self._details_requested(visitor, _details_requested.decode(event.payload))
                hub.push_to_visitor(visitor, event.action, event.payload, here_only=True)
            return
        if event.to and event.to != hub.bus.node_id:
            return
        self._applying = True
        try:
            self._apply(event)
        finally:
            self._applying = False

    def _apply(self, event: OperatorPush) -> None:
        hub = self.hub
        action, payload = event.action, event.payload
        subject = event.visitor_id or (event.subjects[0] if event.subjects else None)
        if action == "visitor.upsert":
            self._visitor_changed(_upsert.decode(payload).visitor, event.origin, event.at_once,
                                  from_home=event.from_home)
            return
        if action == "visitor.left":
            visitor = hub.visitors.get(event.visitor_id)
            if visitor is not None and visitor.home is not None:
                watchers = hub.visitor_watchers(visitor)
                del hub.visitors[visitor.id]
                hub.feeds.forget(visitor.id)
                hub.push(watchers, action, payload, subject=visitor.id)
            return
        if action == "chat.incoming":
            incoming = _incoming.decode(payload)
            self._visitor_changed(incoming.visitor, event.origin, False, quiet=True)
            self._chat_changed(incoming.chat, quiet=True)
            hub.push(hub.all_sessions(), action, payload, subject=incoming.chat.visitor_id)
            return
        if action == "chat.updated":
            self._chat_changed(_updated.decode(payload).chat)
            return
        if action == "chat.message":
            message = _message.decode(payload).message
            live_chat = hub.chats.get(message.chat_id)
            if live_chat is not None:
                live_chat.remember(message)
                hub.push([s for s in hub.chat_audience(live_chat.chat) if s.id != event.sender],
                         action, payload, subject=live_chat.chat.visitor_id)
            return
        if action == "chat.offered":
            hub.router.offered_elsewhere(_offered.decode(payload).chat_id, event.operator_id)
        if action == "consent.changed":
            changed = _consent.decode(payload)
            held = hub.visitors.get(changed.visitor_id)
            if held is not None and held.home is None:
                self._consent_elsewhere(held, changed.consent)
            if changed.consent.purpose is Purpose.CHAT and not changed.consent.granted:
                # As at the visitor's home: pushes that carried their name are not replayed to anyone.
                hub.forget_pushes_about(changed.visitor_id)
        hub.push(self._audience(event), action, payload, subject=subject)

    def _details_requested(self, visitor: LiveVisitor, requested: DetailsRequested) -> None:
        """An operator on another node asked the visitor for details: their answer, given here, is
        taken as an answer to that request."""
        live_chat = self.hub.chats.get(visitor.chat_id) if visitor.chat_id else None
        if live_chat is not None:
            live_chat.pending_details[requested.request_id] = requested.fields

    def _audience(self, event: OperatorPush) -> list[OperatorSession]:
        hub = self.hub
        if event.audience == "chat":
            live_chat = hub.chats.get(event.chat_id)
            found = hub.chat_audience(live_chat.chat) if live_chat is not None else []
        elif event.audience == "visitor":
            visitor = hub.visitors.get(event.visitor_id)
            found = hub.visitor_watchers(visitor) if visitor is not None else []
        elif event.audience == "operator":
            found = [s for s in hub.sessions.values() if s.operator.id == event.operator_id]
        elif event.audience == "team":
            found = [s for s in hub.sessions.values()
                     if s.operator.team is not None and s.operator.team.id == event.team_id]
        else:
            found = hub.all_sessions()
        return [s for s in found if s.id != event.sender]

    def _consent_elsewhere(self, visitor: LiveVisitor, event: ConsentEvent) -> None:
        """The visitor, at home here, gave or withdrew consent in a tab on another node (which stored
        it and deleted what a withdrawal deletes): it holds here too, and what it no longer allows is
        dropped from the live visitor, so that no push of this node carries it again."""
        withdrawn = not event.granted and event.purpose in visitor.granted
        visitor.add_consent(event, self.hub.counts_from)
        if withdrawn and event.purpose is Purpose.VISITOR_INSIGHTS:
            visitor.insights = None
            visitor.history = None
        elif withdrawn and event.purpose is Purpose.CHAT:
            visitor.name = visitor.email = None

    def _visitor_changed(self, view: Visitor, home: str, at_once: bool, *, quiet: bool = False,
                         from_home: bool = False) -> None:
        """A visitor changed on another node: a copy of a visitor at home there is replaced; a visitor at
        home here changes only its state (an operator there accepted or closed their chat), or, when
        the other node is their home too (a tab there), learns what was given there (a name in the
        pre-chat form), as far as the consents held here allow."""
        hub = self.hub
        held = hub.visitors.get(view.id)
        if held is not None and held.home is None:
            changed = held.state is not view.state and held.state is not VisitorState.LEFT
            if changed:
                held.state = view.state
            if from_home:   # a tab there moved to a page, gave a name: this node's desks hear it too
                held.homes_elsewhere.add(home)
                held.page, held.pages_viewed = view.page, max(held.pages_viewed, view.pages_viewed)
                if Purpose.CHAT in held.granted and held.name is None and view.name is not None:
                    held.name, held.email = view.name, view.email
                changed = True
            if not changed:
                return
            visitor = held
        else:
            visitor = mirror_of(view, home)
            if held is not None:
                visitor.chat_id = held.chat_id
            hub.visitors[visitor.id] = visitor
        if not quiet:
            hub.upsert_visitor(visitor, at_once=at_once)

    def _chat_changed(self, chat: Chat, *, quiet: bool = False) -> None:
        hub = self.hub
        live_chat = hub.chats.get(chat.id)
        if live_chat is None and chat.state is ChatState.CLOSED:
            return
        if live_chat is None:
            from operator_desk.server.hub import LiveChat

            live_chat = LiveChat(chat=chat)
            hub.chats[chat.id] = live_chat
            visitor = hub.visitors.get(chat.visitor_id)
            if visitor is not None:
                visitor.chat_id = chat.id
            if quiet:
                return
        if chat.state is ChatState.CLOSED:
            self._chat_closed(live_chat, chat)
            return
        if chat.state is ChatState.ACTIVE:
            hub.router.chat_settled(chat.id)   # taken on another node: no offer here goes on
        hub.chat_changed(live_chat, chat)

    def _chat_closed(self, live_chat: LiveChat, chat: Chat) -> None:
        hub = self.hub
        del hub.chats[chat.id]
        hub.chat_changed(live_chat, chat)
        hub.router.chat_settled(chat.id)
        for session in hub.chat_observers(chat):
            session.observing.discard(chat.id)
        visitor = hub.visitors.get(chat.visitor_id)
        if visitor is not None and visitor.chat_id == chat.id:
            visitor.chat_id = None
