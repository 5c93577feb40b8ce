"""Live state and fan-out: visitors online, open chats, operator sessions with their replay buffers.

The hub is the authority while the server runs; the database is written behind it through the worker
thread (see ``db.py``). Everything here runs on the event loop and never blocks: a push is encoded once
and queued to each session's send queue.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import logging
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import msgspec

from operator_desk.domain.clock import format_ts, now_ts, parse_ts
from operator_desk.domain.consent import granted_purposes, redact_for_operator
from operator_desk.domain.masking import Masker
from operator_desk.domain.model import (
    Author,
    Chat,
    ChatState,
    ConsentEvent,
    Insights,
    Message,
    Notice,
    OperatorInfo,
    Page,
    Purpose,
    Role,
    Struct,
    Visitor,
    VisitorState,
)
from operator_desk.protocol import PushFrames
from operator_desk.protocol.messages import (
    HELLO_MESSAGES,
    MAX_QUEUE_LISTED,
    ChatClosed,
    ChatMessagePush,
    ChatUpdated,
    OpenChatInfo,
    QueueInfo,
    SessionClosing,
    SubjectErased,
    TeamMember,
    TeamStatusResponse,
    VisitorLeft,
    VisitorUpsert,
)
from operator_desk.server import repository, sealing
from operator_desk.server.bus import Bus, Erasure, Event, LocalBus
from operator_desk.server.changes import Changes, current_request
from operator_desk.server.cluster import Cluster, ClusterEvent, Relay
from operator_desk.server.config import ServerConfig
from operator_desk.server.db import Database
from operator_desk.server.enrichment import Enricher
from operator_desk.server.feed import Feed, Feeds
from operator_desk.server.paging import Cursors
from operator_desk.server.routing import Router
from operator_desk.server.send_queue import SendQueue
from operator_desk.server.sqlcipher_engine import CHECKPOINT_INTERVAL
from operator_desk.server.webhooks.delivery import Dispatcher

logger = logging.getLogger(__name__)

# Idempotency keys of an open chat's messages kept in memory (see LiveChat).
RECENT_SENDS = 256
# What a push is about, for erasure: a visitor's id, the ids of a visitors.feed push, or None.
Subject = str | frozenset[str] | None


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


@dataclass(slots=True)
class Settings:
    """Timings a test shortens: the login deadline, how long a session's pushes can be replayed, how long
    a visitor stays online after their last connection drops (a page navigation reconnects)."""

    login_deadline: float = 10.0
    replay_limit: int = 5_000
    replay_age: float = 300.0
    visitor_grace: float = 10.0
    send_queue_limit: int = 10_000
    # After a restart, the visitors of chats carried over count as having just disconnected, for at
    # least this long: a widget's reconnect backoff tops out at 30 s, so one that kept retrying while
    # the server was down says hello again within 30 s of the server coming back.
    restart_grace: float = 60.0
    # How long a sign-in token lasts, and how often live sessions are checked against their tokens (a
    # token that expired, was revoked, or whose account is gone ends its sessions).
    token_lifetime: float = 30 * 24 * 3600.0
    token_check_interval: float = 30.0
    # How often the webhook tasks look for work they were not woken for (docs/webhooks.md).
    webhook_poll: float = 1.0
    # Of several nodes: how often a node says it is alive on the bus, and after how long without a word
    # from a node its visitors count as disconnected (cluster.py, "When a node dies").
    node_heartbeat: float = 5.0
    node_timeout: float = 15.0
    # How often a SQLCipher file's write-ahead log is copied into the file (sqlcipher_engine.py); a test
    # on a full disk waits longer, so that nothing frees or reuses space behind its back.
    checkpoint_interval: float = CHECKPOINT_INTERVAL


class ReplayBuffer:
    """A session's recent pushes, oldest first, for resume. Each entry is the push as encoded once for
    every session it went to (``PushFrames``): twenty sessions that hear of the same visitor hold one
    copy of its frame between them, not twenty, and a session's frame is rebuilt from it with its seq
    when it is replayed. Seqs are gapless, so they are implied by the position (the newest entry's
    is ``last_seq``). Parallel deques, not tuples: thousands of pushes a second would otherwise be
    thousands of young objects for the cyclic collector to walk. Each push records the visitor it is
    about (``subject``), so that an erasure can forget every push about that person (see
    ``forget_subject``); and its size, for the bound in bytes (each session's own frames count whole,
    shared or not: the bound holds for any mix of pushes)."""

    __slots__ = ("bytes", "last_seq", "pushes", "sizes", "subjects", "times")

    def __init__(self) -> None:
        self.pushes: deque[PushFrames] = deque()
        self.times: deque[float] = deque()
        self.subjects: deque[Subject] = deque()
        self.sizes: deque[int] = deque()
        self.bytes = 0  # characters of the frames held: bounded as well as their number
        self.last_seq = 0

    def __len__(self) -> int:
        return len(self.pushes)

    def append(
        self, push: PushFrames, seq: int, size: int, at: float, subject: Subject,
        limit: int, horizon: float, max_bytes: int,
    ) -> None:
        """Keep the push sent as ``seq`` (one more than the last), ``size`` characters as sent."""
        self.pushes.append(push)
        self.times.append(at)
        self.subjects.append(subject)
        self.sizes.append(size)
        self.bytes += size
        self.last_seq = seq
        while self.pushes and (len(self.pushes) > limit or self.times[0] < horizon or self.bytes > max_bytes):
            self._drop_oldest()

    def _drop_oldest(self) -> None:
        self.pushes.popleft()
        self.times.popleft()
        self.subjects.popleft()
        self.bytes -= self.sizes.popleft()

    def frames_after(self, last_seq: int) -> list[str]:
        """The frames of the pushes after ``last_seq``, as the session was sent them."""
        first_seq = self.last_seq - len(self.pushes) + 1
        skip = max(0, last_seq + 1 - first_seq)
        pushes = itertools.islice(self.pushes, skip, None)
        return [push.numbered(seq) for seq, push in enumerate(pushes, first_seq + skip)]

    @property
    def frames(self) -> list[str]:
        """Every frame held, as sent, oldest first."""
        return self.frames_after(0)

    def forget_subject(self, visitor_id: str) -> int:
        """Drop every push about the visitor, and every push before the last of them: what is left
        is still gapless up to the newest push, and a resume that would need a dropped push is refused
        (``resumed: false``), as when the pushes had aged out. Returns how many pushes were dropped."""
        subjects = self.subjects
        last = -1
        for index in range(len(subjects) - 1, -1, -1):
            about = subjects[index]
            if about == visitor_id or (isinstance(about, frozenset) and visitor_id in about):
                last = index
                break
        for _ in range(last + 1):
            self._drop_oldest()
        return last + 1


@dataclass(eq=False, slots=True)
class OperatorSession:
    id: str
    operator: OperatorInfo
    token_digest: str
    next_seq: int = 1
    replay: ReplayBuffer = field(default_factory=ReplayBuffer)
    send_queue: SendQueue | None = None
    subscribed: bool = False
    # Subscribed as a feed (a filter, coalescing: feed.py); None: every visitor change is a visitor.upsert.
    feed: Feed | None = None
    detached_at: float | None = None
    # Live chats this session watches read-only (``chat.observe``): it hears their messages and updates.
    observing: set[str] = field(default_factory=set)

    def lose_history(self) -> None:
        """Pushes meant for this session may never have reached this node (the bus lost events): forget
        the buffer and leave a hole in the numbering, so that no resume is continued over the gap (it is
        refused, ``resumed: false``, and the desk resyncs), not even from the newest push."""
        self.replay = ReplayBuffer()
        self.next_seq += 1

    def can_replay_after(self, last_seq: int) -> bool:
        if last_seq >= self.next_seq:
            return False  # the client claims pushes that were never sent: not this session's history
        if last_seq == self.next_seq - 1:
            return True
        return last_seq >= 0 and self.next_seq - len(self.replay) <= last_seq + 1


@dataclass(eq=False, slots=True)
class LiveChat:
    """An open chat as the hub holds it: not whole. Its last ``HELLO_MESSAGES`` messages (what a
    reloaded widget is shown) and the idempotency keys of the last ``RECENT_SENDS`` (a resend is
    answered from here; an older one from the database, whose UNIQUE key stores it once anyway). A
    visitor who talks for hours costs the same memory as one who said hello."""

    chat: Chat
    messages: deque[Message] = field(default_factory=lambda: deque(maxlen=HELLO_MESSAGES))
    # (author, client_msg_id) -> the stored message, oldest first.
    sent: OrderedDict[tuple[str, str], Message] = field(default_factory=OrderedDict)
    # request_id -> requested fields, while the visitor has not answered.
    pending_details: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def remember(self, message: Message) -> None:
        self.messages.append(message)
        if message.client_msg_id is not None:
            self.sent[(message.author.value, message.client_msg_id)] = message
            while len(self.sent) > RECENT_SENDS:
                self.sent.popitem(last=False)


@dataclass(eq=False, slots=True)
class LiveVisitor:
    id: str
    token_digest: str
    ip: str  # the peer address; reaches operators and the database only as insights, under consent
    language: str | None
    on_site_since: str
    page: Page
    pages_viewed: int = 1
    state: VisitorState = VisitorState.BROWSING
    name: str | None = None
    email: str | None = None
    consents: list[ConsentEvent] = field(default_factory=list)
    granted: frozenset[Purpose] = frozenset()
    insights: Insights | None = None
    # (visits, first seen) of the returning-visitor history, kept only under visitor_insights.
    history: tuple[int, str] | None = None
    chat_id: str | None = None
    connections: set[SendQueue] = field(default_factory=set)
    leave_timer: asyncio.TimerHandle | None = None
    erased: bool = False
    # Carried over from the previous run with its open chat, not connected since: its address and page
    # are not known yet (the first hello brings them).
    restored: bool = False
    # False while the visitor is only present on a page: presence is held in memory, and the database
    # gets a visitor row only once they ask for something that must be kept (a consent, a chat).
    stored: bool = True
    # The node the visitor's tabs are connected to when it is another one (cluster.py): this node holds
    # a copy, what operators may see of them. None: at home here.
    home: str | None = None
    # At home here, and also on these nodes: the visitor's tabs are connected to several (cluster.py;
    # docs/scaling.md, "What crosses nodes").
    homes_elsewhere: set[str] = field(default_factory=set)

    def add_consent(self, event: ConsentEvent, counts_from: Mapping[str, int]) -> None:
        """``counts_from``: per notice id, the first version whose consents count (Hub.counts_from)."""
        self.consents.append(event)
        self.granted = granted_purposes(self.consents, counts_from)

    def full_view(self) -> Visitor:
        return Visitor(
            id=self.id,
            state=self.state,
            page=self.page,
            pages_viewed=self.pages_viewed,
            on_site_since=self.on_site_since,
            name=self.name,
            email=self.email,
            insights=self.insights,
            language=self.language,
        )

    def operator_view(self) -> Visitor:
        """The visitor as operators may see it: the domain's consent rule, applied at the source."""
        return redact_for_operator(self.full_view(), self.granted)


class VisitorsOnline(dict[str, LiveVisitor]):
    """The visitors online by id (``Hub.visitors``), and by the digest of their token: a hello that
    brings a token (a reload, another tab, a page of the same visit) finds its visitor at once, where a
    scan of every visitor online cost 10,000 steps per hello at 10,000 visitors. Only ``[id] =``,
    ``del`` and ``pop`` change it, so that the index is always true."""

    def __init__(self) -> None:
        super().__init__()
        self._by_token: dict[str, LiveVisitor] = {}

    def with_token(self, digest: str) -> LiveVisitor | None:
        return self._by_token.get(digest)

    def __setitem__(self, visitor_id: str, visitor: LiveVisitor) -> None:
        previous = self.get(visitor_id)
        if previous is not None and previous is not visitor:
            self._unindex(previous)
        super().__setitem__(visitor_id, visitor)
        self._by_token[visitor.token_digest] = visitor

    def __delitem__(self, visitor_id: str) -> None:
        self._unindex(self[visitor_id])
        super().__delitem__(visitor_id)

    def pop(self, visitor_id: str, *default: Any) -> Any:
        visitor = super().pop(visitor_id, *default)
        if isinstance(visitor, LiveVisitor):
            self._unindex(visitor)
        return visitor

    def _unindex(self, visitor: LiveVisitor) -> None:
        if self._by_token.get(visitor.token_digest) is visitor:
            del self._by_token[visitor.token_digest]

    def _unsupported(self, *_: Any, **__: Any) -> Any:
        raise TypeError("visitors online change only by [id] =, del and pop (the token index follows)")

    clear = popitem = setdefault = update = __ior__ = _unsupported   # type: ignore[assignment]


class Hub:
    def __init__(
        self,
        db: Database,
        config: ServerConfig,
        enricher: Enricher,
        notices: list[Notice],
        settings: Settings,
        server_version: str,
        bus: Bus | None = None,
    ) -> None:
        self.db = db
        # What the nodes of a site tell each other (bus.py); one node alone: LocalBus, at once, in process.
        self.bus: Bus = bus if bus is not None else LocalBus()
        # The visitors and chats of the other nodes, and what this node tells them (cluster.py).
        self.cluster = Cluster(self)
        # Requests that change stored state take the lock of the person they are about (see changes.py).
        self.changes = Changes(db)
        # Signs the cursors of paged histories (transcripts, exports, chat messages): see paging.py.
        self.cursors = Cursors()
        self.config = config
        # Card numbers and the site's patterns, out of every message and typing preview before it is
        # stored or sent to anyone (domain.masking).
        self.masker = Masker.with_patterns(config.masking_patterns)
        # Presence and the offers of new chats (routing.py).
        self.router = Router(self, config.routing.offer_seconds, config.routing.chat_limit)
        # Sessions subscribed with a filter or a coalescing interval (feed.py).
        self.feeds = Feeds(self)
        self.enricher = enricher
        self.settings = settings
        self.server_version = server_version
        self.visitors = VisitorsOnline()
        self.chats: dict[str, LiveChat] = {}
        self.sessions: dict[str, OperatorSession] = {}
        self.notice_versions: dict[tuple[str, int], Notice] = {}
        self.latest_notices: dict[str, Notice] = {}
        # Every stored version stays valid for consent records; only notices still configured are offered.
        configured = {text.notice_id for text in config.notices}
        for notice in notices:
            self.notice_versions[(notice.id, notice.version)] = notice
            if notice.id not in configured:
                continue
            latest = self.latest_notices.get(notice.id)
            if latest is None or latest.version < notice.version:
                self.latest_notices[notice.id] = notice
        # Per notice id, the first version whose consents still count: the latest version that asked
        # for fresh consent. The latest versions carry it to clients (Notice.counts_from).
        self.counts_from: dict[str, int] = {}
        for notice in notices:
            if notice.fresh_consent or notice.version == 1:
                self.counts_from[notice.id] = max(self.counts_from.get(notice.id, 1), notice.version)
        self.latest_notices = {
            notice_id: msgspec.structs.replace(notice, counts_from=self.counts_from.get(notice_id, 1))
            for notice_id, notice in self.latest_notices.items()
        }
        self._tasks: set[asyncio.Task[Any]] = set()
        self.pushes_sent = 0
        self.erasures = 0  # how many erasures began: see erasure_begins
        self.requests_handled = 0
        self.closing = False
        # Delivers to the site's webhook receivers, when there are any (embedded.start_server).
        self.webhooks: Dispatcher | None = None

    # -- tasks ----------------------------------------------------------------------------------------

    def changes_committed(self) -> None:
        """A request's writes are committed: facts for the webhooks may be among them."""
        if self.webhooks is not None:
            self.webhooks.wake()

    def spawn(self, coro: Any, name: str) -> asyncio.Task[Any]:
        # A fresh context: a task started while a request is handled is not part of that request.
        task = asyncio.get_running_loop().create_task(coro, name=name, context=contextvars.Context())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def cancel_tasks(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def store(self, fn: Callable[..., Any], *args: Any, visitor: LiveVisitor | None = None) -> None:
        """Queue a write. While a request whose ok means stored is handled, the write is one of that
        request's (its answer waits for the commit, see changes.py); otherwise it is written behind and
        a failure is logged. Dropped when it concerns a visitor erased in the meantime."""
        if visitor is not None and visitor.erased:
            return
        request = current_request()
        if request is not None and request.stores:
            request.add(self.db.write(fn, *args))
        else:
            self.db.submit(fn, *args)

    # -- notices --------------------------------------------------------------------------------------

    def notices_for(self, language: str | None) -> list[Notice]:
        """The latest version of each notice in the visitor's language (English when we have none)."""
        wanted = (language or "en").split("-")[0].lower()
        by_key: dict[str, Notice] = {}
        for notice in self.latest_notices.values():
            key = notice.id.rsplit("-", 1)[0]
            if notice.language == wanted or (notice.language == "en" and key not in by_key):
                by_key[key] = notice
        return sorted(by_key.values(), key=lambda n: n.id)

    # -- pushes to operators --------------------------------------------------------------------------

    def push(
        self, sessions: Iterable[OperatorSession], action: str, payload: Struct | msgspec.Raw, *,
        subject: Subject, relay: Relay | None = None,
    ) -> None:
        """Number, buffer and queue one push for each session. The payload is encoded once.
        ``subject`` is the id of the visitor the push is about (None for none; a set for a
        ``visitors.feed``): an erasure of that visitor forgets the push from every replay buffer.
        ``relay``: the push is about a visitor or chat every node holds, and the other nodes' sessions
        that hear of it are sent it too (cluster.py)."""
        if relay is not None and self.cluster.relaying:
            self.cluster.relay(action, payload, subject, relay)
        frames = PushFrames(action, payload)
        now = time.monotonic()
        limit, horizon = self.settings.replay_limit, now - self.settings.replay_age
        max_bytes = self.config.limits.replay_bytes
        for session in sessions:
            seq = session.next_seq
            session.next_seq += 1
            frame = frames.numbered(seq)
            session.replay.append(frames, seq, len(frame), now, subject, limit, horizon, max_bytes)
            if session.send_queue is not None:
                session.send_queue.send(frame)
                self.pushes_sent += 1

    def all_sessions(self) -> list[OperatorSession]:
        return list(self.sessions.values())

    def chat_watchers(self, chat: Chat) -> list[OperatorSession]:
        """Who hears about a chat's messages: everyone while it waits, its operator once accepted."""
        if chat.operator_id is None:
            return self.all_sessions()
        return [s for s in self.sessions.values() if s.operator.id == chat.operator_id]

    def chat_observers(self, chat: Chat) -> list[OperatorSession]:
        """The sessions that watch a chat read-only (a lead's ``chat.observe``)."""
        return [s for s in self.sessions.values() if chat.id in s.observing]

    def chat_audience(self, chat: Chat) -> list[OperatorSession]:
        """Who hears of a chat's messages and updates: its watchers and its observers, once each."""
        audience = {s.id: s for s in self.chat_watchers(chat)}
        audience.update({s.id: s for s in self.chat_observers(chat)})
        return list(audience.values())

    def visitor_watchers(self, visitor: LiveVisitor) -> list[OperatorSession]:
        """Who hears of the visitor: subscribers (a feed's only while the visitor is in its view) and
        the sessions that hear of their chat."""
        watchers = {s.id: s for s in self.sessions.values()
                    if s.subscribed and (s.feed is None or s.feed.sees(visitor))}
        live_chat = self.chats.get(visitor.chat_id) if visitor.chat_id else None
        if live_chat is not None:
            watchers.update({s.id: s for s in self.chat_watchers(live_chat.chat)})
        return list(watchers.values())

    def upsert_visitor(self, visitor: LiveVisitor, *, at_once: bool = False) -> None:
        """The visitor changed: a ``visitor.upsert`` to each watcher, or their feed's next push (at once:
        for a consent change, which is never delayed)."""
        self.push(
            [s for s in self.visitor_watchers(visitor) if s.feed is None],
            "visitor.upsert",
            VisitorUpsert(visitor=visitor.operator_view()),
            subject=visitor.id,
            relay=Relay.visitor(visitor.id, at_once=at_once, from_home=visitor.home is None),
        )
        if at_once:
            self.feeds.at_once(visitor)
        else:
            self.feeds.touch(visitor)

    # -- pushes to visitors ---------------------------------------------------------------------------

    def push_to_visitor(self, visitor: LiveVisitor, action: str, payload: Struct | msgspec.Raw, *,
                        here_only: bool = False) -> None:
        """To the visitor's tabs: here, or through the bus on the node(s) they are connected to
        (``here_only``: the tabs here alone, for a push another node sent to every one)."""
        if visitor.home is not None:
            self.cluster.to_visitor(visitor, action, payload)
            return
        frame = PushFrames(action, payload).unnumbered
        for send_queue in visitor.connections:
            send_queue.send(frame)
        if visitor.homes_elsewhere and not here_only:
            self.cluster.to_visitor(visitor, action, payload)

    # -- chats ----------------------------------------------------------------------------------------

    @staticmethod
    def message_time(live_chat: LiveChat) -> str:
        """Now, but always after the chat's last message: messages are stored and read back ordered by
        ``(at, id)``, and two sent within one millisecond must keep the order they were sent in."""
        now = now_ts()
        if live_chat.messages and now <= live_chat.messages[-1].at:
            return format_ts(parse_ts(live_chat.messages[-1].at) + timedelta(milliseconds=1))
        return now

    def restore_open_chats(self, open_chats: Iterable[repository.OpenChat]) -> None:
        """At start: carry on the chats the previous run left open. Each visitor counts as having just
        disconnected: if their browser says hello with its visitor token within the grace period
        (``visitor_grace``, at least ``restart_grace``), the chat goes on; if not, the visitor leaves
        and the chat is closed, as after any disconnect. The operator who had the chat still has it."""
        grace = max(self.settings.visitor_grace, self.settings.restart_grace)
        loop = asyncio.get_running_loop()
        for found in open_chats:
            stored = found.visitor
            url, title = found.last_page or ("", "")
            visitor = LiveVisitor(
                id=stored.id,
                token_digest=found.token_digest,
                ip=stored.insights.ip if stored.insights is not None else "",
                language=found.language,
                on_site_since=found.last_seen,
                page=Page(url=url, title=title),
                state=VisitorState.CHATTING if found.chat.state is ChatState.ACTIVE else VisitorState.WAITING,
                chat_id=found.chat.id,
                restored=True,
            )
            for event in stored.consents:
                visitor.add_consent(event, self.counts_from)
            if Purpose.CHAT in visitor.granted:
                visitor.name, visitor.email = stored.name, stored.email
            if Purpose.VISITOR_INSIGHTS in visitor.granted and stored.insights is not None:
                visitor.insights = stored.insights
                visitor.history = (stored.insights.visits, stored.insights.first_seen or found.last_seen)
            live_chat = LiveChat(chat=found.chat)
            for message in found.messages:
                live_chat.remember(message)
            live_chat.pending_details.update(found.pending_details)
            self.chats[found.chat.id] = live_chat
            self.visitors[visitor.id] = visitor
            visitor.leave_timer = loop.call_later(grace, self._visitor_left, visitor)
        if self.chats:
            logger.info("carried on %d chats left open by the previous run", len(self.chats))

    def cancel_timers(self) -> None:
        """At shutdown: no visitor leaves after the server is gone, no offer moves on."""
        self.router.close()
        self.feeds.close()
        for visitor in self.visitors.values():
            if visitor.leave_timer is not None:
                visitor.leave_timer.cancel()
                visitor.leave_timer = None

    def chat_changed(self, live_chat: LiveChat, chat: Chat) -> None:
        """A stored change of a chat (taken, say) reaches the live state and everyone who hears of it."""
        previous_watchers = self.chat_audience(live_chat.chat)
        live_chat.chat = chat
        # Everyone hears that a waiting chat was taken or closed, so it leaves their queue.
        watchers = {s.id: s for s in previous_watchers}
        watchers.update({s.id: s for s in self.chat_audience(live_chat.chat)})
        self.push(
            watchers.values(),
            "chat.updated",
            ChatUpdated(chat=live_chat.chat),
            subject=live_chat.chat.visitor_id,
            relay=Relay.chat(chat.id),
        )

    @staticmethod
    def closed(chat: Chat) -> Chat:
        """The chat as it is stored once closed."""
        return msgspec.structs.replace(chat, state=ChatState.CLOSED, closed_at=now_ts())

    def chat_closed(self, live_chat: LiveChat, chat: Chat) -> None:
        """A stored close of a chat reaches the live state, its operators and its visitor."""
        if self.chats.get(chat.id) is not live_chat:
            return  # closed already (the visitor left meanwhile)
        del self.chats[chat.id]
        logger.debug("chat %s closed", chat.id)
        self.chat_changed(live_chat, chat)
        self.router.chat_settled(chat.id)
        for session in self.chat_observers(chat):
            session.observing.discard(chat.id)   # its observers heard it close: nothing more follows
        visitor = self.visitors.get(chat.visitor_id)
        if visitor is not None and visitor.chat_id == chat.id:
            visitor.chat_id = None
            self.push_to_visitor(visitor, "chat.updated", ChatUpdated(chat=chat))
            self.push_to_visitor(visitor, "chat.closed", ChatClosed(chat_id=chat.id))
            if visitor.state is not VisitorState.LEFT:
                visitor.state = VisitorState.BROWSING
                self.upsert_visitor(visitor)

    def close_chat(self, live_chat: LiveChat) -> None:
        """Close a chat on the server's own account (its visitor left): applied at once, written behind."""
        if self.chats.get(live_chat.chat.id) is not live_chat:
            return
        chat = self.closed(live_chat.chat)
        self.store(repository.save_chat, chat)
        self.chat_closed(live_chat, chat)

    def message_stored(self, live_chat: LiveChat, message: Message, sender: OperatorSession | None) -> None:
        """A stored message reaches the live chat and whoever hears of it: the chat's operator sessions
        (not ``sender``, the session whose answer carries it) and, for an operator's message, the
        visitor's tabs."""
        live_chat.remember(message)
        push = ChatMessagePush(chat_id=message.chat_id, message=message)
        if message.author is not Author.VISITOR:
            visitor = self.visitors.get(live_chat.chat.visitor_id)
            if visitor is not None:
                self.push_to_visitor(visitor, "chat.message", push)
        self.push(
            [s for s in self.chat_audience(live_chat.chat) if s is not sender],
            "chat.message",
            push,
            subject=live_chat.chat.visitor_id,
            relay=Relay.chat(live_chat.chat.id, sender),
        )

    # -- visitors coming and going --------------------------------------------------------------------

    def visitor_connected(self, visitor: LiveVisitor, send_queue: SendQueue) -> None:
        if visitor.leave_timer is not None:
            visitor.leave_timer.cancel()
            visitor.leave_timer = None
        visitor.connections.add(send_queue)
        self.visitors[visitor.id] = visitor

    def visitor_disconnected(self, visitor: LiveVisitor, send_queue: SendQueue) -> None:
        visitor.connections.discard(send_queue)
        if visitor.connections or visitor.erased or self.visitors.get(visitor.id) is not visitor:
            return
        if self.closing:
            return  # the server stops, not the visitor: their chat is carried on at the next start
        grace = self.settings.visitor_grace
        if grace <= 0:
            self._visitor_left(visitor)
        else:
            visitor.leave_timer = asyncio.get_running_loop().call_later(grace, self._visitor_left, visitor)

    def visitor_gone(self, visitor: LiveVisitor) -> None:
        """A visitor whose home node died has left (cluster.py): as after their last tab's grace."""
        self._visitor_left(visitor)

    def _visitor_left(self, visitor: LiveVisitor) -> None:
        visitor.leave_timer = None
        if visitor.connections or self.visitors.get(visitor.id) is not visitor:
            return
        if visitor.homes_elsewhere and self.cluster.hand_back(visitor):
            return   # their tabs on another node carry on
        live_chat = self.chats.get(visitor.chat_id) if visitor.chat_id else None
        if live_chat is not None:
            self.close_chat(live_chat)
        watchers = self.visitor_watchers(visitor)
        visitor.state = VisitorState.LEFT
        del self.visitors[visitor.id]
        self.feeds.forget(visitor.id)
        self.push(watchers, "visitor.left", VisitorLeft(visitor_id=visitor.id), subject=visitor.id,
                  relay=Relay.visitor(visitor.id))

    # -- operator sessions ----------------------------------------------------------------------------

    def end_session(self, session: OperatorSession, reason: str, reconnect: str, code: int = 1000) -> None:
        """Tell the session it ends, close its connection after that, and forget it."""
        self.push(
            [session], "session.closing", SessionClosing(reason=reason, reconnect=reconnect), subject=None
        )
        if session.send_queue is not None:
            session.send_queue.close_after(code, reason)
        if reconnect == "never":
            self.sessions.pop(session.id, None)
            self.feeds.unsubscribe(session)
            self.router.signed_out(session.operator)

    async def end_sessions_whose_token_ended(self) -> None:
        """A session lasts no longer than the token it signed in with: once that token has expired, been
        revoked (``auth.logout`` elsewhere, an administrator) or lost its account, the session gets
        ``session.closing`` with the reason and ``reconnect: never`` (the token cannot sign in again)."""
        digests = {s.token_digest for s in self.sessions.values()}
        if not digests:
            return
        expiries = await self.db.call(repository.token_expiries, sorted(digests))
        now = now_ts()
        for session in list(self.sessions.values()):
            if session.token_digest not in digests:
                continue  # signed in while we looked (its token was just stored): next time
            expires = expiries.get(session.token_digest)
            if expires is None:
                reason = "sign-in token revoked"
            elif expires <= now:
                reason = "sign-in token expired"
            else:
                continue
            logger.info("ending session %s: %s", session.id, reason)
            self.end_session(session, reason, "never")

    def expire_detached_sessions(self) -> None:
        horizon = time.monotonic() - self.settings.replay_age
        for session in list(self.sessions.values()):
            detached_at = session.detached_at
            if session.send_queue is None and detached_at is not None and detached_at < horizon:
                del self.sessions[session.id]
                self.feeds.unsubscribe(session)
                self.router.signed_out(session.operator)

    # -- the team -------------------------------------------------------------------------------------

    def team_status(self, accounts: Iterable[OperatorInfo]) -> TeamStatusResponse:
        """Who is online (connected sessions, on any node) with their open chats, and the queue, longest
        wait first: ids, roles and times only."""
        sessions = self.router.connected_sessions()
        open_chats: dict[str, list[OpenChatInfo]] = {}
        waiting: list[OpenChatInfo] = []
        for live_chat in self.chats.values():
            chat = live_chat.chat
            info = OpenChatInfo(chat_id=chat.id, visitor_id=chat.visitor_id, state=chat.state,
                                operator_id=chat.operator_id, started_at=chat.started_at)
            if chat.operator_id is None:
                waiting.append(info)
            else:
                open_chats.setdefault(chat.operator_id, []).append(info)
        waiting.sort(key=lambda c: (c.started_at, c.chat_id))
        members = [
            TeamMember(id=account.id, name=account.name, role=account.role,
                       sessions=sessions.get(account.id, 0),
                       # The status the operator set (presence.set, routing.py), while signed in.
                       status=self.router.status.get(account.id) if account.id in sessions else None,
                       # The limit that holds for them (their own, else the site's), and whether it is theirs.
                       chat_limit=self.router.limit_of(account) if account.role is not Role.SUPERVISOR
                       else None, own_chat_limit=account.chat_limit,
                       open_chats=tuple(sorted(open_chats.get(account.id, ()), key=lambda c: c.started_at)))
            for account in accounts
        ]
        return TeamStatusResponse(
            at=now_ts(), operators=tuple(members),
            queue=QueueInfo(waiting=len(waiting), chats=tuple(waiting[:MAX_QUEUE_LISTED])),
        )

    # -- erasure --------------------------------------------------------------------------------------

    def erasure_begins(self, visitor_id: str) -> LiveVisitor | None:
        """An erasure of this visitor is about to be written: no further write about them is queued
        (``store`` drops them), and their requests are refused. Counted before the deletion is queued
        (in this same loop step): a ``visitor.hello`` that read the person from the database meanwhile
        sees the count move and reads again, after the deletion."""
        self.erasures += 1
        visitor = self.visitors.get(visitor_id)
        if visitor is not None:
            visitor.erased = True
        return visitor

    @staticmethod
    def erasure_failed(visitor: LiveVisitor | None) -> None:
        """The erasure could not be stored: the visitor goes on as before (the request is answered
        ``storage_unavailable`` and may be sent again)."""
        if visitor is not None:
            visitor.erased = False

    def forget_live_visitor(self, visitor_id: str, spare: SendQueue | None = None) -> list[str]:
        """Drop an erased visitor from live state and close their sockets. Returns the ids of their open
        chats (already counted in the database, pushed in ``subject.erased``)."""
        visitor = self.visitors.pop(visitor_id, None)
        self.feeds.forget(visitor_id)
        chat_ids = [c.chat.id for c in self.chats.values() if c.chat.visitor_id == visitor_id]
        for chat_id in chat_ids:
            del self.chats[chat_id]
            self.router.chat_gone(chat_id)
            for session in self.sessions.values():
                session.observing.discard(chat_id)
        self.forget_pushes_about(visitor_id)
        if visitor is not None:
            visitor.erased = True
            if visitor.leave_timer is not None:
                visitor.leave_timer.cancel()
            for send_queue in list(visitor.connections):
                if send_queue is not spare:
                    send_queue.close_after(1000, "erased")
        return chat_ids

    def forget_pushes_about(self, visitor_id: str) -> None:
        """Drop the pushes about an erased visitor from every replay buffer (see
        ``ReplayBuffer.forget_subject``): no resume sends their data again, and none stays in memory."""
        for session in self.sessions.values():
            dropped = session.replay.forget_subject(visitor_id)
            if dropped:
                logger.debug("dropped %d buffered pushes of session %s after an erasure", dropped, session.id)

    def announce_erasure(self, visitor_id: str, chat_ids: Iterable[str]) -> None:
        """Every node (this one too, through the bus) forgets the person and tells its sessions; the
        bus forgets what it still holds about them."""
        self.bus.publish(Erasure(visitor_id=visitor_id, chat_ids=tuple(sorted(set(chat_ids))),
                                 origin=self.bus.node_id))
        self.bus.forget_subject(visitor_id)

    # -- the bus --------------------------------------------------------------------------------------

    async def join_bus(self) -> None:
        await self.bus.start(self.bus_event, self.history_lost)
        self.cluster.joined()
        if not self.bus.alone:
            self.spawn(self.cluster.watch_nodes(), "node-watch")

    def bus_event(self, event: Event) -> None:
        """An event from the bus (from this node or another), in the order every node hears it."""
        if isinstance(event, ClusterEvent):
            self.cluster.apply(event)
        elif isinstance(event, Erasure):
            if event.origin != self.bus.node_id:
                self.forget_live_visitor(event.visitor_id)  # the erasing node did it before publishing
                # And the person's key, which this node's worker may hold unwrapped (sealing.py).
                self.db.submit(sealing.drop_cached_key, event.visitor_id)
            self.forget_pushes_about(event.visitor_id)
            self.push(
                self.all_sessions(),
                "subject.erased",
                SubjectErased(visitor_id=event.visitor_id, chat_ids=event.chat_ids),
                subject=None,  # the notice of the erasure is what must reach every client
            )

    def history_lost(self, reason: str) -> None:
        """The bus may have missed events meant for this node's sessions: none of them may resume
        gaplessly. Each connected one is closed; its desk reconnects, is told ``resumed: false`` and
        resyncs."""
        logger.warning("%s: %d operator sessions resync", reason, len(self.sessions))
        self.cluster.resync()
        for session in self.sessions.values():
            session.lose_history()
            if session.send_queue is not None:
                session.send_queue.close_after(1012, "resync")

