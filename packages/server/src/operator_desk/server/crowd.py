"""A crowd for the demo at a big site's size (issue 16): thousands of visitors held in the hub itself,
browsing, coming and going, with no socket each.

The simulator's visitors (``simulator.py``) are real browsers over loopback: they chat, consent and
answer, and one machine runs a few thousand of them at most. A desk at a big site lists tens of
thousands, so ``operator-desk --demo --simulate 50000`` keeps the simulator's few dozen for the chats and
adds a crowd for the rest. Crowd visitors go through the hub's own push path (snapshot pages, feeds,
``visitor.left``), so a desk cannot tell them from others; they consent to nothing (most visitors of a
big site never do), are never stored, and exist only while the demo runs.
"""

from __future__ import annotations

import asyncio
import random
import secrets
from typing import TYPE_CHECKING

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Page
from operator_desk.server.simulator import SHOP_PAGES

if TYPE_CHECKING:
    from operator_desk.server.hub import Hub, LiveVisitor

# How often the crowd moves; each tick changes its share of the pages, and sends some home.
TICK = 0.02
# Visitors stay about this long on average: a share of them leaves each tick, and as many arrive.
STAY_SECONDS = 300.0
# Where the crowd's pages are, as the simulator's visitors say theirs are (``visitor.page``).
SHOP = "http://shop.example"


class Crowd:
    """About ``size`` visitors in ``hub``, ``page_changes`` page changes a second in all."""

    def __init__(self, hub: Hub, size: int, page_changes: float, rng: random.Random | None = None) -> None:
        self._hub = hub
        self._size = size
        self._per_tick = page_changes * TICK
        self._rng = rng or random.Random()
        self._people: list[LiveVisitor] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="demo-crowd")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    @property
    def visitors(self) -> int:
        return len(self._people)

    async def _run(self) -> None:
        for _ in range(self._size):   # all there at once: a desk that signs in finds them listed
            self._arrive(push=False)
        changes = leaves = 0.0
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        while True:
            next_at = max(next_at + TICK, loop.time() - 1.0)   # behind by more than a second: skip it
            await asyncio.sleep(max(0.0, next_at - loop.time()))
            changes += self._per_tick
            leaves += self._size * TICK / STAY_SECONDS
            while changes >= 1:
                changes -= 1
                self._browse(self._rng.choice(self._people))
            while leaves >= 1 and self._people:
                leaves -= 1
                self._leave(self._rng.randrange(len(self._people)))
                self._arrive(push=True)

    def _page(self) -> Page:
        path, title = self._rng.choice(SHOP_PAGES)
        return Page(url=SHOP + path, title=title)

    def _arrive(self, *, push: bool) -> None:
        from operator_desk.server.hub import LiveVisitor

        visitor = LiveVisitor(
            id=f"c{secrets.token_hex(8)}", token_digest=secrets.token_hex(16),
            ip=f"10.{self._rng.randrange(3, 250)}.{self._rng.randrange(256)}.{self._rng.randrange(1, 255)}",
            language=self._rng.choice(("en", "en", "de", "fr")), on_site_since=now_ts(), page=self._page(),
            stored=False,
        )
        self._people.append(visitor)
        self._hub.visitors[visitor.id] = visitor
        if push:
            self._hub.upsert_visitor(visitor)

    def _browse(self, visitor: LiveVisitor) -> None:
        if self._hub.visitors.get(visitor.id) is not visitor:   # gone meanwhile (an erasure)
            return
        visitor.page = self._page()
        visitor.pages_viewed += 1
        self._hub.upsert_visitor(visitor)

    def _leave(self, index: int) -> None:
        people = self._people
        visitor = people[index]
        people[index] = people[-1]
        people.pop()
        if self._hub.visitors.get(visitor.id) is visitor:
            self._hub._visitor_left(visitor)   # as after a last tab's grace period: visitor.left
