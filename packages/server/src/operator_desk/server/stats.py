"""Load figures for operators of the server and for the benchmark: event-loop lag, collector pauses,
requests and pushes per second, the database queue. Counts and timings only: nothing about a person.

``serve --stats SECONDS`` logs one line per interval at INFO (logger ``operator_desk.server.stats``)::

    stats: loop lag p50 0.1 ms p99 2.0 ms max 4.1 ms; gc pauses 3 (max 1.2 ms, generation 1; CPU
    0.4 ms/s); requests 812/s; pushes 4060/s; db queue 0 (max 12), db batches 95/s (max 3.1 ms);
    send queue max 2; visitors 2000

A pause is wall-clock time (what the loop waited); the collector's CPU time per second is counted
apart, since on a loaded machine a pause also holds the time the process waited for a core.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any

from operator_desk.server.db import Database
from operator_desk.server.hub import Hub

logger = logging.getLogger(__name__)

TICK = 0.01


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class LoadStats:
    """Samples the loop's lag every ``TICK`` and logs a summary every ``interval`` seconds."""

    def __init__(self, hub: Hub, db: Database, interval: float) -> None:
        self.hub = hub
        self.db = db
        self.interval = interval
        self._gc_started = 0.0
        self._gc_cpu_started = 0.0
        self._gc_pauses: list[tuple[float, int]] = []
        self._gc_cpu = 0.0   # seconds of the collector's CPU time since the last line

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
            self._gc_cpu_started = time.thread_time()
        else:
            self._gc_pauses.append((time.perf_counter() - self._gc_started, info.get("generation", -1)))
            self._gc_cpu += time.thread_time() - self._gc_cpu_started

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        gc.callbacks.append(self._on_gc)
        try:
            lags: list[float] = []
            db_queue_max = 0
            started = loop.time()
            requests, pushes = self.hub.requests_handled, self.hub.pushes_sent
            batches, batch_max = self.db.batches, 0.0
            while True:
                before = loop.time()
                await asyncio.sleep(TICK)
                lags.append(max(0.0, loop.time() - before - TICK))
                db_queue_max = max(db_queue_max, self.db.queued)
                now = loop.time()
                if now - started < self.interval:
                    continue
                elapsed = now - started
                pauses, self._gc_pauses = self._gc_pauses, []
                gc_cpu, self._gc_cpu = self._gc_cpu, 0.0
                batch_max, self.db.batch_max = self.db.batch_max, 0.0
                send_queue_max = max(
                    (s.send_queue.queued for s in self.hub.sessions.values() if s.send_queue is not None),
                    default=0,
                )
                logger.info(
                    "stats: loop lag p50 %.1f ms p99 %.1f ms max %.1f ms; "
                    "gc pauses %d (max %.1f ms, generation %d; CPU %.1f ms/s); "
                    "requests %.0f/s; pushes %.0f/s; "
                    "db queue %d (max %d), db batches %.0f/s (max %.1f ms); "
                    "send queue max %d; visitors %d",
                    percentile(lags, 0.5) * 1e3,
                    percentile(lags, 0.99) * 1e3,
                    max(lags, default=0.0) * 1e3,
                    len(pauses),
                    max(pauses, default=(0.0, -1))[0] * 1e3,
                    max(pauses, default=(0.0, -1))[1],
                    gc_cpu * 1e3 / elapsed,
                    (self.hub.requests_handled - requests) / elapsed,
                    (self.hub.pushes_sent - pushes) / elapsed,
                    self.db.queued,
                    db_queue_max,
                    (self.db.batches - batches) / elapsed,
                    batch_max * 1e3,
                    send_queue_max,
                    len(self.hub.visitors),
                )
                lags, db_queue_max, started = [], 0, now
                requests, pushes, batches = self.hub.requests_handled, self.hub.pushes_sent, self.db.batches
        finally:
            gc.callbacks.remove(self._on_gc)
