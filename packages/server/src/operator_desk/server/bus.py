"""What the nodes of one site tell each other while they run (docs/scaling.md, "The bus").

A node publishes an event; every node of the site, itself included, is handed each event once, all in
the same order. One node alone uses ``LocalBus``, which hands the event over at once, in the same loop
step: today's single process, with nothing outside it. Several nodes use ``RedisBus``
(``redis_bus.py``), a Redis stream.

Three promises hold for both, and the hub relies on nothing else:

- order: events reach every node in one order, the order of the stream;
- no silent gap: when a node may have missed events (the stream's history was lost: Redis restarted
  with persistence off, or the node fell behind the stream's bound), it is told (``history_lost``) and
  its epoch changes, so that whatever it promised as gapless (an operator session's resume) is refused
  and resynced, never continued over the hole;
- a claim is decided once: of the nodes that ``claim`` a name at the same time, one wins, and every
  caller is told the same winner.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

import msgspec

from operator_desk.domain.model import OperatorInfo

if TYPE_CHECKING:
    from operator_desk.server.shared_limits import SharedLimits


class NodeEvent(msgspec.Struct, tag_field="kind", forbid_unknown_fields=True):
    """Something every node must hear. Its body is what the bus carries (JSON)."""


class OperatorPush(NodeEvent, tag="push"):
    """A push a node made for its own operator sessions, for the sessions of every other node
    (``cluster.py``): each receiving node applies what it says to its copy of the visitor or chat it is
    about, then finds the push's audience among its own sessions as the publishing node did (``audience``:
    ``"all"`` sessions, the watchers of ``chat_id``, the watchers of ``visitor_id``, the sessions of
    operator ``operator_id`` or those of team ``team_id``), without
    ``sender`` (the session whose answer carried it). ``payload`` is the push's payload, encoded once;
    ``subjects`` the visitors it is about (an erasure of one of them drops it from every replay buffer and
    the bus); ``origin`` the publishing node, which pushed to its own sessions already."""

    action: str
    payload: msgspec.Raw
    subjects: tuple[str, ...] = ()
    origin: str = ""
    audience: str = "all"
    chat_id: str = ""
    visitor_id: str = ""
    operator_id: str = ""
    team_id: str = ""
    sender: str = ""
    # Published by the visitor's home (a node their tabs are connected to), not by a node holding a copy.
    from_home: bool = False
    # A consent change: a feed pushes it at once rather than at its next interval.
    at_once: bool = False
    # For one node only (what a node that joined is told, NodeJoined); "" for every node.
    to: str = ""


class VisitorPush(NodeEvent, tag="visitor"):
    """A push for a visitor's browser tabs, which are connected to another node than the one that made
    it (an operator there answered): the node that holds the tabs sends it."""

    visitor_id: str
    action: str
    payload: msgspec.Raw
    origin: str = ""

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.visitor_id,)


class LoginAttempt(NodeEvent, tag="login"):
    """A sign-in with a password was tried on node ``origin`` (counted as failed until verified), or it
    succeeded: every node counts it against the same limits (``auth.LoginLimiter``), so that guesses
    spread over the nodes by a load balancer meet one limit. Digests only (``auth.login_digests``)."""

    pair: str
    place: str
    succeeded: bool = False
    origin: str = ""


class Presence(NodeEvent, tag="presence"):
    """Operator ``operator`` on node ``origin`` (routing.py, "across nodes"): how many sessions they hold
    there (0: none any more) and how many of those are connected now; ``status``, the status they hold
    (None: never said). ``said``: they have just said it (``presence.set``), and every node takes it,
    in the bus's order, so that two desks of one operator on two nodes end with the same status.
    ``to``: for one node only (a node that joined), "" for every node."""

    origin: str
    operator: OperatorInfo
    sessions: int
    connected: int
    status: str | None = None
    said: bool = False
    to: str = ""


class ChatLimitSet(NodeEvent, tag="limit"):
    """A supervisor set operator ``operator_id``'s own chat limit (None: the site's again) on node
    ``origin``, and it is stored: every node's routing and accepts use it from now."""

    operator_id: str
    chat_limit: int | None
    origin: str = ""


class TabsLeft(NodeEvent, tag="tabs_left"):
    """Every tab of visitor ``visitor_id`` on node ``origin`` is gone, and they have tabs on other nodes
    too (docs/scaling.md, "What crosses nodes"): ``origin`` holds a copy of them now."""

    visitor_id: str
    origin: str = ""


class NodeAlive(NodeEvent, tag="alive"):
    """Node ``origin`` is running (every ``Settings.node_heartbeat`` seconds): a node not heard of for
    ``node_timeout`` has died, and its visitors are disconnected (cluster.py)."""

    origin: str


class NodeJoined(NodeEvent, tag="joined"):
    """A node joined the site (it started): every other node tells it of the visitors and chats it
    holds, as ``OperatorPush`` events, so that the new node's operators see the whole site."""

    origin: str


class Erasure(NodeEvent, tag="erasure"):
    """A data subject was erased (and the erasure stored) on node ``origin``: each node forgets them
    (live state, replay buffers) and tells its sessions (``subject.erased``). It carries ids only."""

    visitor_id: str
    chat_ids: tuple[str, ...] = ()
    origin: str = ""


Event = (OperatorPush | VisitorPush | NodeJoined | NodeAlive | LoginAttempt | Erasure | Presence
         | ChatLimitSet | TabsLeft)
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Event)


def encode_event(event: Event) -> bytes:
    return _encoder.encode(event)


def decode_event(body: bytes) -> Event:
    """Raises ``msgspec.ValidationError`` (a ``msgspec.DecodeError``) for a body that is not an event."""
    return _decoder.decode(body)


BUS_VARIABLE = "OPERATOR_DESK_BUS"


class BusUnavailable(Exception):
    """The bus cannot be used (Redis unreachable, or it would keep events on disk, or its driver is not
    installed)."""


def bus_location(
    *, explicit: str | None = None, configured: str | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The bus to join, the first of: ``explicit`` (``serve --bus``), the environment variable
    ``OPERATOR_DESK_BUS``, ``configured`` (``[bus] url``); None: this node alone (``LocalBus``)."""
    return explicit or (environ or {}).get(BUS_VARIABLE) or configured or None


def open_bus(url: str) -> Bus:
    """The bus at ``url`` (``redis://``, ``rediss://`` or ``unix://``: a Redis), not started yet."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        scheme = url.split(":", 1)[0]
        raise BusUnavailable(f"the bus must be a redis://, rediss:// or unix:// URL, not {scheme}:")
    try:
        from operator_desk.server.redis_bus import RedisBus
    except ImportError as exc:
        raise BusUnavailable("--bus needs the Redis driver: "
                             "pip install 'operator-desk-server[redis]'") from exc
    return RedisBus(url)


def new_epoch() -> str:
    return secrets.token_hex(8)


Deliver = Callable[[Event], None]
HistoryLost = Callable[[str], None]


class Bus(Protocol):
    node_id: str
    # True when no other node can hear this one (LocalBus): nothing is relayed to other nodes.
    alone: bool

    @property
    def epoch(self) -> str:
        """The epoch of the stream as this node knows it: it changes when the stream's history is lost."""
        ...

    async def start(self, deliver: Deliver, history_lost: HistoryLost) -> None:
        """Begin handing events to ``deliver``; ``history_lost(reason)`` when events may have been missed."""
        ...

    def publish(self, event: Event) -> None:
        """Send the event to every node, this one included. Never blocks; events of one node keep their
        order."""
        ...

    async def flush(self) -> None:
        """Wait until every event published so far is in the stream (or dropped, and the epoch renewed):
        a request that published events is answered after this, so whoever it answers finds them on any
        node that is ``caught_up``."""
        ...

    async def caught_up(self) -> None:
        """Wait until this node has read every event that was in the stream when called: what another
        node answered ok before is then applied here."""
        ...

    async def claim(self, name: str, owner: str, seconds: float) -> str:
        """Claim ``name`` for ``owner`` for ``seconds`` unless someone holds it: returns the holder after
        the call (``owner`` if this call won)."""
        ...

    def forget_subject(self, visitor_id: str) -> asyncio.Future[int]:
        """Drop every event about the visitor held by the bus (and every event before the last of them:
        the stream stays gapless up to its newest entry), once every node has read them; resolves with
        how many were dropped (an erasure, a withdrawal of consent)."""
        ...

    def shared_limits(self) -> SharedLimits | None:
        """The site's rate and connection limits, which every node's guard and sockets draw on too
        (``shared_limits.py``; None: this node alone)."""
        ...

    async def close(self) -> None: ...


class LocalBus:
    """One node: events are handed over at once, in the caller's loop step; nothing leaves the process.
    Claims are held in memory, at most ``max_claims`` at a time (the oldest expire first)."""

    alone = True

    def __init__(self, node_id: str = "local", max_claims: int = 100_000) -> None:
        self.node_id = node_id
        self._epoch = new_epoch()
        self._deliver: Deliver | None = None
        self._claims: dict[str, tuple[str, float]] = {}
        self._max_claims = max_claims

    @property
    def epoch(self) -> str:
        return self._epoch

    async def start(self, deliver: Deliver, history_lost: HistoryLost) -> None:
        self._deliver = deliver

    def publish(self, event: Event) -> None:
        if self._deliver is None:
            raise RuntimeError("the bus is not started")
        self._deliver(event)

    async def flush(self) -> None:
        return None

    async def caught_up(self) -> None:
        return None

    async def claim(self, name: str, owner: str, seconds: float) -> str:
        now = time.monotonic()
        held = self._claims.get(name)
        if held is not None and held[1] > now:
            return held[0]
        self._claims.pop(name, None)
        while len(self._claims) >= self._max_claims:
            self._claims.pop(next(iter(self._claims)))
        self._claims[name] = (owner, now + seconds)
        return owner

    def forget_subject(self, visitor_id: str) -> asyncio.Future[int]:
        nothing: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        nothing.set_result(0)  # nothing is held: every event was handed over when published
        return nothing

    def shared_limits(self) -> SharedLimits | None:
        return None  # alone: the guard's own buckets are the site's

    async def close(self) -> None:
        self._deliver = None
