"""Visitor feeds (issue 16): a ``visitors.subscribe`` with a filter or a coalescing interval.

A desk at a big site cannot take a push per visitor change: ten thousand visitors changing page every
few seconds are thousands of pushes a second, for each desk. A feed sends a session only the visitors
its filter lets through (plus those of the chats it hears of), and at most one ``visitors.feed`` push
per interval carrying every visitor that changed meanwhile, each once, in its latest state. The state is
read when the push is built, never when the change happened: a visitor who withdrew a consent meanwhile
is sent without the fields it covered. A consent change is never delayed (``at_once``).

Feeds with the same interval share one clock: one timer, and each visitor's operator view built and
measured once per tick for all of them.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import msgspec

from operator_desk.protocol.messages import VisitorFeed, VisitorFilter

if TYPE_CHECKING:
    from operator_desk.server.hub import Hub, LiveVisitor, OperatorSession

_json = msgspec.json.Encoder()
# The encoded visitors of one ``visitors.feed`` push at most: as a snapshot page, well under the
# 256 KiB frame limit with the envelope and one more visitor at its longest.
FEED_FRAME_BYTES = 192 * 1024


def _call_later(delay: float, callback: Callable[[], None]) -> asyncio.Handle:
    loop = asyncio.get_running_loop()
    return loop.call_soon(callback) if delay <= 0 else loop.call_later(delay, callback)


@dataclass(eq=False, slots=True)
class Feed:
    """One session's subscription: its filter and the visitors it was last told match."""

    hub: Hub
    session: OperatorSession
    filter: VisitorFilter | None
    interval: float
    # Only with a filter: visitors this session holds because they matched, so that it hears when one
    # no longer does (``unmatched``). Without a filter every visitor matches.
    in_view: set[str] = field(default_factory=set)

    def matches(self, visitor: LiveVisitor) -> bool:
        """Whether the session should hold the visitor now: the filter lets them through, or the
        session hears of their chat (everyone hears of a waiting chat)."""
        live_chat = self.hub.chats.get(visitor.chat_id) if visitor.chat_id else None
        chat = live_chat.chat if live_chat is not None else None
        if chat is not None and (chat.operator_id is None or chat.operator_id == self.session.operator.id
                                 or chat.id in self.session.observing):
            return True
        wanted = self.filter
        if wanted is None:
            return True
        if wanted.states is not None and visitor.state not in wanted.states:
            return False
        if wanted.page_prefix is not None and not visitor.page.url.startswith(wanted.page_prefix):
            return False
        if wanted.with_chat is not None and (chat is not None) != wanted.with_chat:
            return False
        return wanted.team is None or (chat is not None and self._team_of(chat.operator_id) == wanted.team)

    def _team_of(self, operator_id: str | None) -> str | None:
        for session in self.hub.sessions.values():
            if session.operator.id == operator_id:
                return session.operator.team.id if session.operator.team is not None else None
        return None

    def sees(self, visitor: LiveVisitor) -> bool:
        """Whether pushes about the visitor (``visitor.left``, ``consent.changed``) concern this session."""
        return self.filter is None or visitor.id in self.in_view or self.matches(visitor)

    def take_in(self, visitor_id: str) -> None:
        """The session was sent the visitor (in its snapshot, say): in its view from now on."""
        if self.filter is not None:
            self.in_view.add(visitor_id)


@dataclass(frozen=True, slots=True)
class _View:
    """A visitor as operators see them, encoded, with its size in a feed's frame (a comma more)."""

    visitor_id: str
    encoded: msgspec.Raw
    size: int

    @classmethod
    def of(cls, visitor: LiveVisitor) -> _View:
        encoded = _json.encode(visitor.operator_view())
        return cls(visitor.id, msgspec.Raw(encoded), len(encoded) + 1)


@dataclass(eq=False, slots=True)
class _Clock:
    """The feeds with one interval: what changed since their last push, and the timer of the next."""

    interval: float
    feeds: list[Feed] = field(default_factory=list)
    touched: dict[str, LiveVisitor] = field(default_factory=dict)
    timer: asyncio.Handle | None = None


class Feeds:
    """Every feed of the hub, by interval."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._clocks: dict[float, _Clock] = {}
        # Runs a clock's tick after its interval; a test puts its own hand on the clock here.
        self.schedule: Callable[[float, Callable[[], None]], asyncio.Handle] = _call_later

    def subscribe(
        self, session: OperatorSession, wanted: VisitorFilter | None, coalesce_ms: int | None
    ) -> Feed:
        """The session's new feed (replacing any it had): its snapshot is read next, so it starts with
        nothing in view."""
        self.unsubscribe(session)
        interval = (coalesce_ms or 0) / 1000
        feed = Feed(self.hub, session, wanted, interval)
        session.feed = feed
        self._clocks.setdefault(interval, _Clock(interval)).feeds.append(feed)
        return feed

    def unsubscribe(self, session: OperatorSession) -> None:
        feed, session.feed = session.feed, None
        if feed is None:
            return
        clock = self._clocks.get(feed.interval)
        if clock is not None and feed in clock.feeds:
            clock.feeds.remove(feed)
            self._drop_if_idle(clock)

    def __len__(self) -> int:
        """How many feeds there are: a session's feed ends with the session."""
        return sum(len(clock.feeds) for clock in self._clocks.values())

    def touch(self, visitor: LiveVisitor) -> None:
        """The visitor changed: each clock sends them with its next push."""
        for clock in self._clocks.values():
            clock.touched[visitor.id] = visitor
            if clock.timer is None:
                clock.timer = self.schedule(clock.interval, functools.partial(self._tick, clock))

    def at_once(self, visitor: LiveVisitor) -> None:
        """The visitor's consent changed: every feed hears of them now, not at its next tick."""
        for clock in list(self._clocks.values()):
            clock.touched.pop(visitor.id, None)
            self._send(clock, {visitor.id: visitor})

    def forget(self, visitor_id: str) -> None:
        """The visitor left or was erased: nothing more is sent about them (``visitor.left`` or
        ``subject.erased`` told every session that held them)."""
        for clock in self._clocks.values():
            clock.touched.pop(visitor_id, None)
            for feed in clock.feeds:
                feed.in_view.discard(visitor_id)

    def close(self) -> None:
        for clock in self._clocks.values():
            if clock.timer is not None:
                clock.timer.cancel()
        self._clocks.clear()

    # -- sending --------------------------------------------------------------------------------------

    def _tick(self, clock: _Clock) -> None:
        clock.timer = None
        touched, clock.touched = clock.touched, {}
        self._send(clock, touched)
        self._drop_if_idle(clock)

    def _send(self, clock: _Clock, touched: dict[str, LiveVisitor]) -> None:
        hub = self.hub
        present = [v for visitor_id, v in touched.items()
                   if not v.erased and hub.visitors.get(visitor_id) is v]   # gone: visitor.left said so
        if not present:
            return
        views: dict[str, _View] = {}   # each visitor's view, encoded once for every feed of the tick

        def view_of(visitor: LiveVisitor) -> _View:
            view = views.get(visitor.id)
            if view is None:
                view = views[visitor.id] = _View.of(visitor)
            return view

        unfiltered: list[OperatorSession] = []
        for feed in list(clock.feeds):
            session = feed.session
            if hub.sessions.get(session.id) is not session or session.feed is not feed:
                clock.feeds.remove(feed)   # the session ended: its feed goes with it
            elif feed.filter is None:
                unfiltered.append(session)   # every visitor matches: one push for all of them
            else:
                shown: list[_View] = []
                unmatched: list[str] = []
                for visitor in present:
                    if feed.matches(visitor):
                        feed.in_view.add(visitor.id)
                        shown.append(view_of(visitor))
                    elif visitor.id in feed.in_view:   # held, and no longer matches: out of view
                        feed.in_view.discard(visitor.id)
                        unmatched.append(visitor.id)
                self._push([session], shown, unmatched)
        if unfiltered:
            self._push(unfiltered, [view_of(visitor) for visitor in present], [])

    def _push(self, sessions: list[OperatorSession], shown: list[_View], unmatched: list[str]) -> None:
        """One ``visitors.feed`` push to each session, or more when what changed would not fit in one
        frame."""
        visitor_at = id_at = 0
        while visitor_at < len(shown) or id_at < len(unmatched):
            size = 0
            batch: list[_View] = []
            while visitor_at < len(shown):
                view = shown[visitor_at]
                if batch and size + view.size > FEED_FRAME_BYTES:
                    break
                batch.append(view)
                size += view.size
                visitor_at += 1
            first_id = id_at
            while id_at < len(unmatched) and size + len(unmatched[id_at]) + 3 <= FEED_FRAME_BYTES:
                size += len(unmatched[id_at]) + 3
                id_at += 1
            ids = tuple(unmatched[first_id:id_at])
            # The visitors go in as the JSON encoded above (msgspec writes a Raw as it is): each is
            # encoded once, not once to measure it and again in the push.
            encoded = tuple(view.encoded for view in batch)
            payload = VisitorFeed(visitors=encoded, unmatched=ids)  # type: ignore[arg-type]
            self.hub.push(sessions, "visitors.feed", payload,
                          subject=frozenset(view.visitor_id for view in batch).union(ids))

    def _drop_if_idle(self, clock: _Clock) -> None:
        if not clock.feeds and clock.timer is None:
            self._clocks.pop(clock.interval, None)
