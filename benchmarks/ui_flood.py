"""Visitor flood into the desk window: 10,000 visitors, then R updates/s, through the real coalescing
(services' VisitorBatcher) and the real event bridge into the real main window (offscreen).

Measures, with a QTimer heartbeat every 5 ms on the Qt thread:
  - longest event-loop stall (heartbeat lateness) during the initial load (the model shows a first
    page at once and loads the rest in slices) and during the flood; and how much of it the Qt thread
    spent working (its CPU time), as the shared machine also deschedules the process now and then
  - how long until all visitors are in the model
  - update-to-model latency (update generated -> its row changed in the visitor model) p50/p99/max
  - process RSS, and how long one full garbage collection takes with the app's collector policy
    (ui.gc_guard: collection on the Qt thread, start-up objects frozen)
and, as a baseline in the same run, the same flood into a window whose visitor list is sorted by
"Current page" (the worst case: every batch re-sorts).

Also: cold start of ``operator-desk --demo`` (a subprocess) to "visitors: N" in its log. The start with a
1,000,000-message cache is ``ui_cold_start.py``.

Prints figures, asserts nothing.

    QT_QPA_PLATFORM=offscreen python benchmarks/ui_flood.py [--visitors 10000] [--rate 1000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import msgspec
import psutil
import qasync
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from operator_desk.domain.model import ConsentFlags, Insights, Location, Page, Visitor, VisitorState
from operator_desk.services.roster import VisitorBatcher
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.gc_guard import MainThreadGarbageCollector
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.windows.main_window import MainWindow

PAGES = ["Tents", "Boots", "Jackets", "Coffee beans", "Checkout", "Your cart", "Contact us"]
HEARTBEAT_MS = 5


class NoDesk:
    operator = None
    visitors: dict = {}
    chats: dict = {}
    notices = ()

    def consents_of(self, _visitor_id):
        return ()

    def details_of(self, _chat_id):
        return ()

    def messages_of(self, _chat_id):
        return ()


class Heartbeat:
    """A 5 ms timer on the Qt thread; how late it fires is how long the loop was blocked.

    On a shared machine the process is also descheduled now and then, which makes the timer late too.
    So each late beat also records the Qt thread's CPU time over the same interval: ``worst_busy`` is
    the longest stall the thread spent working (min of lateness and CPU time), ``worst`` the wall-clock
    one including time the thread was not running at all."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.worst_busy = 0.0
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer = QTimer()
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer.start()

    def reset(self) -> None:
        self.worst = 0.0
        self.worst_busy = 0.0

    def _on_timer_timeout(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        late = (now - self._last) * 1000 - HEARTBEAT_MS
        self.worst = max(self.worst, late)
        self.worst_busy = max(self.worst_busy, min(late, (cpu - self._last_cpu) * 1000))
        self._last, self._last_cpu = now, cpu


def make_visitor(index: int, rng: random.Random) -> Visitor:
    insights = rng.random() < 0.5
    return Visitor(
        id=f"v{index:06d}", state=VisitorState.BROWSING,
        page=Page(url=f"https://shop.example/p{index % 50}", title=rng.choice(PAGES)),
        pages_viewed=1, on_site_since="2026-11-29T10:00:00.000Z",
        consent=ConsentFlags(visitor_insights=insights),
        insights=Insights(ip=f"10.0.{index // 250 % 250}.{index % 250}",
                          location=Location(city="Lyon", country="France"), company="Acme")
        if insights else None,
    )


async def flood(visitors: int, rate: int, seconds: float, sort_column: int | None,
                collector: MainThreadGarbageCollector) -> dict[str, float]:
    rng = random.Random(7)
    bridge = EventBridge()
    settings = DeskSettings(QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(NoDesk(), bridge, settings, lambda _t: frozenset())
    window.show()
    if sort_column is not None:
        window.visitor_list.view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    model = window.visitor_model
    batcher = VisitorBatcher(bridge, 0.025)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []

    def _on_bridge_visitors_changed(batch) -> None:   # connected after the window: runs once applied
        now = time.perf_counter()
        for visitor in batch.upserts:
            started = sent_at.pop(visitor.id, None)
            if started is not None:
                latencies.append((now - started) * 1000)

    bridge.visitors_changed.connect(_on_bridge_visitors_changed)
    if hasattr(collector, "freeze"):   # (absent before; kept optional for before/after runs)
        collector.freeze()   # as the app does once its window is up
    # The snapshot is made before the heartbeat starts: making 10,000 visitors is the benchmark's work.
    population = [make_visitor(i, rng) for i in range(visitors)]
    heartbeat = Heartbeat()
    heartbeat.start()
    await asyncio.sleep(0.05)
    heartbeat.reset()
    loaded = asyncio.Event()

    def _on_model_visible_count_changed(shown: int, _total: int) -> None:
        if shown == visitors and not getattr(model, "is_loading", False):
            loaded.set()

    model.visible_count_changed.connect(_on_model_visible_count_changed)
    load_started = time.perf_counter()
    batcher.reset(population)
    load_ms = (time.perf_counter() - load_started) * 1000
    await loaded.wait()
    loaded_ms = (time.perf_counter() - load_started) * 1000
    await asyncio.sleep(0.2)
    load_stall, load_busy = heartbeat.worst, heartbeat.worst_busy
    heartbeat.reset()

    interval = 1.0 / rate
    deadline = time.perf_counter() + seconds
    next_at = time.perf_counter()
    sent = 0
    while time.perf_counter() < deadline:
        now = time.perf_counter()
        while next_at <= now:
            index = rng.randrange(visitors)
            current = population[index]
            updated = msgspec.structs.replace(
                current, page=Page(url=current.page.url, title=rng.choice(PAGES)),
                pages_viewed=current.pages_viewed + 1)
            population[index] = updated
            sent_at.setdefault(updated.id, next_at)
            batcher.upsert(updated)
            sent += 1
            next_at += interval
        await asyncio.sleep(0.002)
    await asyncio.sleep(0.1)
    flood_stall, flood_busy = heartbeat.worst, heartbeat.worst_busy
    rss = psutil.Process().memory_info().rss / 2**20
    gc.collect()   # garbage first (this run's and the previous window's): then time a pass over what lives
    gc_started = time.perf_counter()
    gc.collect()
    full_gc_ms = (time.perf_counter() - gc_started) * 1000
    window.close()
    window.deleteLater()
    latencies.sort()
    return {
        "rows": model.rowCount(), "load_ms": load_ms, "loaded_ms": loaded_ms, "load_stall_ms": load_stall,
        "load_busy_ms": load_busy, "flood_stall_ms": flood_stall, "flood_busy_ms": flood_busy, "sent": sent,
        "full_gc_ms": full_gc_ms,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
        "max_ms": latencies[-1] if latencies else float("nan"), "rss_mb": rss,
    }


def cold_start_demo(limit: float = 60.0) -> float | None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-m", "operator_desk", "--demo"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, env=env) as process:
        try:
            for line in process.stderr:
                if re.search(r"visitors: [1-9]", line):
                    return time.perf_counter() - started
                if time.perf_counter() - started > limit:
                    return None
        finally:
            process.terminate()
            process.wait(timeout=30)
    return None


def report(label: str, figures: dict[str, float]) -> None:
    print(f"{label}:")
    print(f"  rows in model            {figures['rows']:>10,}")
    print(f"  initial load (reset)     {figures['load_ms']:>10.1f} ms   all rows in after "
          f"{figures['loaded_ms']:.0f} ms")
    print(f"  longest stall, load      {figures['load_stall_ms']:>10.1f} ms   (aim < 50)   of it working "
          f"{figures['load_busy_ms']:.1f} ms")
    print(f"  updates sent             {figures['sent']:>10,}")
    print(f"  longest stall, flood     {figures['flood_stall_ms']:>10.1f} ms   (aim < 50)   of it working "
          f"{figures['flood_busy_ms']:.1f} ms")
    print(f"  update->model p50 / p99  {figures['p50_ms']:>7.1f} / {figures['p99_ms']:.1f} ms   max "
          f"{figures['max_ms']:.1f} ms   (aim p99 < 200)")
    print(f"  RSS                      {figures['rss_mb']:>10.0f} MB   (aim < 250)")
    print(f"  full gc pass (live)      {figures['full_gc_ms']:>10.1f} ms   (start-up objects frozen)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=1000, help="visitor updates per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--skip-cold-start", action="store_true")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    collector = MainThreadGarbageCollector(app)   # the app's garbage collection policy
    collector.start()

    async def both() -> tuple[dict, dict]:
        plain = await flood(args.visitors, args.rate, args.seconds, None, collector)
        from operator_desk.ui.models.visitor_model import VisitorColumn
        sorted_ = await flood(args.visitors, args.rate, args.seconds, int(VisitorColumn.PAGE), collector)
        return plain, sorted_

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        plain, sorted_ = runner.run(both())
    collector.stop()
    print(f"ui_flood: {args.visitors:,} visitors, {args.rate:,} updates/s for {args.seconds:.0f} s, "
          "coalesced every 25 ms (services' VisitorBatcher) into the main window")
    report("unsorted list", plain)
    report("sorted by current page (every batch re-sorts)", sorted_)
    if not args.skip_cold_start:
        seconds = cold_start_demo()
        print("cold start `operator-desk --demo` to first visitors listed: "
              + (f"{seconds:.2f} s (includes starting the embedded server and its simulator)"
                 if seconds is not None else "did not finish"))
    print("cold start with a 1,000,000-message cache: benchmarks/ui_cold_start.py")


if __name__ == "__main__":
    main()
