"""The visitors on the site: kept in memory, redacted by consent, handed to the UI in coalesced batches.

A busy site sends a thousand visitor updates a second. The UI must not redraw per update, so changes
are gathered for ``window`` seconds (16-50 ms) and emitted as one ``VisitorsChanged``: at most one event
per window, however many pushes came, with only the latest state of each visitor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping

import msgspec

from operator_desk.domain.consent import consent_flags, redact_by_flags
from operator_desk.domain.model import ConsentEvent, Purpose, Visitor
from operator_desk.services.cache import CacheWriter
from operator_desk.services.events import EventSink, VisitorsChanged


class VisitorBatcher:
    """Gathers visitor upserts and removals into one ``VisitorsChanged`` per window."""

    def __init__(self, emit: EventSink, window: float) -> None:
        self._emit = emit
        self._window = window
        self._upserts: dict[str, Visitor] = {}
        self._removed: dict[str, None] = {}
        self._timer: asyncio.TimerHandle | None = None

    def upsert(self, visitor: Visitor) -> None:
        self._removed.pop(visitor.id, None)
        self._upserts[visitor.id] = visitor
        self._arm()

    def upsert_all(self, visitors: list[Visitor]) -> None:
        """Several at once (a feed push): the same as ``upsert`` for each, in order."""
        if self._removed:
            for visitor in visitors:
                self._removed.pop(visitor.id, None)
        self._upserts.update((visitor.id, visitor) for visitor in visitors)
        if visitors:
            self._arm()

    def remove(self, visitor_id: str) -> None:
        self._upserts.pop(visitor_id, None)
        self._removed[visitor_id] = None
        self._arm()

    def reset(self, visitors: Mapping[str, Visitor]) -> None:
        """A fresh snapshot (by id, in order; not changed afterwards) replaces everything, pending
        changes included: emitted at once."""
        self.cancel()
        self._emit(VisitorsChanged(upserts=tuple(visitors.values()), reset=True, by_id=visitors))

    def _arm(self) -> None:
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._window, self.flush)

    def flush(self) -> None:
        self._timer = None
        if not self._upserts and not self._removed:
            return
        event = VisitorsChanged(upserts=tuple(self._upserts.values()), removed=tuple(self._removed))
        self._upserts, self._removed = {}, {}
        self._emit(event)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._upserts, self._removed = {}, {}


class Roster:
    """Visitors on the site. Snapshots go to the cache only for visitors with a chat this desk knows:
    data minimisation (a browsing visitor the operator never talks to is not kept on this machine),
    and at a thousand updates a second an encrypted write per update would cost most of a core."""

    def __init__(self, emit: EventSink, cache: CacheWriter, window: float) -> None:
        self.visitors: dict[str, Visitor] = {}
        self._cache = cache
        self._kept: set[str] = set()  # visitors whose snapshots are cached
        self.batcher = VisitorBatcher(emit, window)

    def keep(self, visitor_id: str) -> None:
        """From now on, cache this visitor's snapshots (they have a chat)."""
        if visitor_id not in self._kept:
            self._kept.add(visitor_id)
            visitor = self.visitors.get(visitor_id)
            if visitor is not None:
                self._cache.snapshot(visitor)

    def replace_all(self, visitors: Iterable[Visitor]) -> None:
        snapshot = {v.id: v for v in map(redact_by_flags, visitors)}
        self.visitors = dict(snapshot)   # changes from now on; the snapshot handed on does not
        self.batcher.reset(snapshot)
        # The few with a chat, looked up: not a pass over every visitor of a big site.
        for visitor_id in self._kept:
            visitor = snapshot.get(visitor_id)
            if visitor is not None:
                self._cache.snapshot(visitor)

    def upsert(self, visitor: Visitor) -> Visitor:
        # Never keep or show more than the visitor's own consent flags allow, whatever a server sent.
        visitor = redact_by_flags(visitor)
        self.visitors[visitor.id] = visitor
        self.batcher.upsert(visitor)
        if visitor.id in self._kept:
            self._cache.snapshot(visitor)
        return visitor

    def upsert_all(self, visitors: Iterable[Visitor]) -> None:
        """Several at once, as ``upsert`` for each in order: a feed push carries hundreds, and at 50,000
        visitors a call chain per visitor was most of the desk's own share of its receive path."""
        shown = [redact_by_flags(visitor) for visitor in visitors]
        known = self.visitors
        for visitor in shown:
            known[visitor.id] = visitor
        self.batcher.upsert_all(shown)
        if self._kept:
            for visitor in shown:
                if visitor.id in self._kept:
                    self._cache.snapshot(visitor)

    def left(self, visitor_id: str) -> None:
        if self.visitors.pop(visitor_id, None) is not None:
            self.batcher.remove(visitor_id)

    def apply_consent(self, event: ConsentEvent) -> None:
        """A grant or withdrawal takes effect on the visitor at once (a withdrawal removes the fields it
        covered before the server's own ``visitor.upsert`` arrives)."""
        visitor = self.visitors.get(event.visitor_id)
        if visitor is None:
            return
        granted = {p for p in Purpose if visitor.consent.granted(p)}
        if event.granted:
            granted.add(event.purpose)
        else:
            granted.discard(event.purpose)
        self.upsert(msgspec.structs.replace(visitor, consent=consent_flags(granted)))

    def erase(self, visitor_id: str) -> None:
        self._kept.discard(visitor_id)
        self._cache.forget(visitor_id)
        self.left(visitor_id)

    def close(self) -> None:
        self.batcher.cancel()
