"""The clock of a server's visitor feeds in the test's hand (``server/feed.py``): a coalesced push is
sent when the test says, never because the machine was fast or slow."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class HeldFeedClock:
    """Stands in for ``Feeds.schedule``: remembers each tick asked for; ``tick()`` runs them."""

    def __init__(self) -> None:
        self.asked: list[tuple[float, Callable[[], None]]] = []

    def __call__(self, delay: float, callback: Callable[[], None]) -> asyncio.Handle:
        self.asked.append((delay, callback))
        handle = asyncio.get_running_loop().call_soon(lambda: None)
        handle.cancel()   # what the feed keeps as its timer: never runs by itself
        return handle

    def tick(self) -> None:
        asked, self.asked = self.asked, []
        for _, callback in asked:
            callback()


def hold_feed_clock(server: Any) -> HeldFeedClock:
    """Put the test's hand on the feeds' clock of an in-process server (``RunningServer``)."""
    clock = HeldFeedClock()
    server.hub.feeds.schedule = clock
    return clock
