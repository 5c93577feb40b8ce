"""How often a visitor may download their own data: an export reads everything about a person and
fills a frame, so it is limited per visitor and per address (a script cycling through visitor tokens
from one address is slowed as well). Memory is bounded: at most ``max_keys`` keys are tracked, the
least recently used forgotten first."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

# At most 3 downloads in 10 minutes per visitor, 10 per address.
PER_VISITOR = 3
PER_ADDRESS = 10
WINDOW = 600.0


class DownloadLimit:
    def __init__(self, *, per_visitor: int = PER_VISITOR, per_address: int = PER_ADDRESS,
                 window: float = WINDOW, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = {"visitor": per_visitor, "address": per_address}
        self._window = window
        self._max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()

    def refuse_for(self, visitor_id: str, address: str) -> float:
        """0 and the download is counted; else the seconds until one is allowed again."""
        now = self._clock()
        keys = (("visitor", visitor_id), ("address", address))
        wait = 0.0
        for key in keys:
            times = self._times(key, now)
            if len(times) >= self._limits[key[0]]:
                wait = max(wait, times[0] + self._window - now)
        if wait:
            return wait
        for key in keys:
            self._times(key, now).append(now)
        return 0.0

    def _times(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._seen.get(key)
        if times is None:
            times = self._seen[key] = deque()
            while len(self._seen) > self._max_keys:
                self._seen.popitem(last=False)
        self._seen.move_to_end(key)
        while times and times[0] <= now - self._window:
            times.popleft()
        return times
