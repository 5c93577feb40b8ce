"""Visitor flood into the desk window: 10,000 visitors, then R updates/s, through the real coalescing
(services' VisitorBatcher) and the real event bridge into the real main window (offscreen).

Measures, with a QTimer heartbeat every 5 ms on the Qt thread:
  - longest event-loop stall (heartbeat lateness) during the initial load (the model shows a first
    page at once and loads the rest in slices) and during the flood; and how much of it the Qt thread
    spent working (its CPU time), as the shared machine also deschedules the process now and then
  - how long until all visitors are in the model
  - update-to-model latency (update generated -> its row changed in the visitor model) p50/p99/max;
    and, sorted, update-to-order (-> its row at its place in the order: the re-sort after it, at most
    every 250 ms, or at once when its key did not change)
  - process RSS, and how long one full garbage collection takes with the app's collector policy
    (ui.gc_guard: collection on the Qt thread, start-up objects frozen)
  - keypress-to-paint in the composer of an open chat tab during the flood: a key press is due every
    50 ms by the wall clock (whatever the Qt thread is doing); the time from when it was due to the
    composer's next paint after taking it
and, as a baseline in the same run, the same flood into a window whose visitor list is sorted by
"Current page" (the worst case: every batch re-sorts).

Also: cold start of ``operator-desk --demo`` (a subprocess) to "visitors: N" in its log. The start with a
1,000,000-message cache is ``ui_cold_start.py``.

Prints figures, asserts nothing.

    QT_QPA_PLATFORM=offscreen python benchmarks/ui_flood.py [--visitors 10000] [--rate 1000] [--seconds 10]
        [--baseline]   # also 10,000 visitors at 1,000 updates/s first, in the same process: ratios
        [--screenshot PNG]   # the window at the end of the last flood, to look at
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
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from operator_desk.domain.model import (
    Chat,
    ChatState,
    ConsentFlags,
    Insights,
    Location,
    Page,
    Visitor,
    VisitorState,
)
from operator_desk.protocol.messages import EarlierChatsResponse
from operator_desk.services.roster import VisitorBatcher
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.gc_guard import MainThreadGarbageCollector
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.windows.main_window import MainWindow

PAGES = ["Tents", "Boots", "Jackets", "Coffee beans", "Checkout", "Your cart", "Contact us"]
HEARTBEAT_MS = 5
KEY_INTERVAL = 0.05
CHAT = Chat(id="c-bench", visitor_id="v000000", state=ChatState.ACTIVE, started_at="2026-11-29T10:00:00.000Z")


class NoDesk:
    operator = None
    visitors: dict = {}
    chats: dict = {CHAT.id: CHAT}
    notices = ()

    def consents_of(self, _visitor_id):
        return ()

    def details_of(self, _chat_id):
        return ()

    def messages_of(self, _chat_id):
        return ()

    async def set_typing(self, _chat_id, _typing):
        return None

    async def earlier_chats(self, _visitor_id, _cursor=None):   # the visitor panel asks (insights)
        return EarlierChatsResponse(chats=())


class KeysToPaint(QObject):
    """An operator typing into the composer while the flood runs: a key is due every ``KEY_INTERVAL``
    by the wall clock, whatever the Qt thread is doing. A 5 ms timer posts each key that is due (a key
    that fell due while the loop was blocked is posted as soon as it runs again, as a real one would
    wait in the window system's queue), and an event filter notes when the composer's viewport paints
    after taking it: the latency runs from when the key was due to that paint."""

    def __init__(self, composer: QWidget) -> None:
        super().__init__()
        self._composer = composer
        self._due: list[float] = []        # when each posted key was due, in order
        self._taken = 0                    # keys the composer has handled
        self._painted = 0                  # keys whose effect has been painted
        self._next = 0.0
        self.latencies: list[float] = []
        composer.installEventFilter(self)
        composer.viewport().installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._next = time.perf_counter() + KEY_INTERVAL
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        while self._next <= now:
            self._due.append(self._next)
            self._next += KEY_INTERVAL
            QCoreApplication.postEvent(self._composer, QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and watched is self._composer:
            self._taken += 1
        elif kind == QEvent.Type.Paint and watched is not self._composer and self._painted < self._taken:
            now = time.perf_counter()
            self.latencies.extend((now - due) * 1000 for due in self._due[self._painted:self._taken])
            self._painted = self._taken
        return False


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
                collector: MainThreadGarbageCollector, screenshot: Path | None = None) -> dict[str, float]:
    rng = random.Random(7)
    bridge = EventBridge()
    settings = DeskSettings(QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(NoDesk(), bridge, settings, lambda _t: frozenset())
    window.resize(1400, 900)
    window.show()
    window.open_tab(CHAT)   # an operator in a chat, typing into its composer during the flood
    tab = window.tabs.chat_tab(CHAT.id)
    window.tabs.show_tab(tab)
    keys = KeysToPaint(tab.composer)
    if sort_column is not None:
        window.visitor_list.view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    model = window.visitor_model
    batcher = VisitorBatcher(bridge, 0.025)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    in_order: list[float] = []        # update -> its row in its place in the order
    awaiting_order: list[float] = []  # when the updates applied but not yet re-sorted were made

    def _on_bridge_visitors_changed(batch) -> None:   # connected after the window: runs once applied
        if not sent_at:   # (the snapshot: no pass over it here, which the heartbeat would count)
            return
        now = time.perf_counter()
        in_place = getattr(model.rows, "in_place", None)   # (absent before; optional for before/after runs)
        for visitor in batch.upserts:
            started = sent_at.pop(visitor.id, None)
            if started is not None:
                latencies.append((now - started) * 1000)
                if in_place is None:
                    continue
                if in_place(visitor.id):
                    in_order.append((now - started) * 1000)
                else:
                    awaiting_order.append(started)

    def _on_model_layout_changed(*_args) -> None:   # a re-sort: every row is in its place
        now = time.perf_counter()
        in_order.extend((now - started) * 1000 for started in awaiting_order)
        awaiting_order.clear()

    bridge.visitors_changed.connect(_on_bridge_visitors_changed)
    model.layoutChanged.connect(_on_model_layout_changed)
    if hasattr(collector, "freeze"):   # (absent before; kept optional for before/after runs)
        collector.freeze()   # as the app does once its window is up
    # The snapshot is made before the heartbeat starts: making 10,000 visitors is the benchmark's work.
    population = [make_visitor(i, rng) for i in range(visitors)]
    snapshot = {visitor.id: visitor for visitor in population}   # as the desk's roster hands it on
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
    batcher.reset(snapshot)
    load_ms = (time.perf_counter() - load_started) * 1000
    await loaded.wait()
    loaded_ms = (time.perf_counter() - load_started) * 1000
    await asyncio.sleep(0.2)
    load_stall, load_busy = heartbeat.worst, heartbeat.worst_busy
    heartbeat.reset()

    interval = 1.0 / rate
    cpu_started = time.process_time()
    keys.start()
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
    keys.stop()
    flood_cpu = time.process_time() - cpu_started
    if screenshot is not None:   # the window as the operator sees it, the flood just over
        window.grab().save(str(screenshot))
    await asyncio.sleep(0.1)
    flood_stall, flood_busy = heartbeat.worst, heartbeat.worst_busy
    keys_ms = sorted(keys.latencies)
    rss = psutil.Process().memory_info().rss / 2**20
    gc.collect()   # garbage first (this run's and the previous window's): then time a pass over what lives
    gc_started = time.perf_counter()
    gc.collect()
    full_gc_ms = (time.perf_counter() - gc_started) * 1000
    window.close()
    window.deleteLater()
    latencies.sort()
    in_order.sort()
    return {
        "rows": model.rowCount(), "load_ms": load_ms, "loaded_ms": loaded_ms, "load_stall_ms": load_stall,
        "load_busy_ms": load_busy, "flood_stall_ms": flood_stall, "flood_busy_ms": flood_busy, "sent": sent,
        "full_gc_ms": full_gc_ms, "cpu_per_update_us": flood_cpu / max(1, sent) * 1e6,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
        "max_ms": latencies[-1] if latencies else float("nan"), "rss_mb": rss,
        "sorted": sort_column is not None,
        "order_p50_ms": statistics.median(in_order) if in_order else float("nan"),
        "order_p99_ms": in_order[int(len(in_order) * 0.99) - 1] if in_order else float("nan"),
        "keys": len(keys_ms),
        "key_p50_ms": statistics.median(keys_ms) if keys_ms else float("nan"),
        "key_p99_ms": keys_ms[max(0, int(len(keys_ms) * 0.99) - 1)] if keys_ms else float("nan"),
        "key_max_ms": keys_ms[-1] if keys_ms else float("nan"),
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
    print(f"  updates sent             {figures['sent']:>10,}   CPU per update "
          f"{figures['cpu_per_update_us']:.0f} µs (the process: list, window, and making the updates)")
    print(f"  longest stall, flood     {figures['flood_stall_ms']:>10.1f} ms   (aim < 50)   of it working "
          f"{figures['flood_busy_ms']:.1f} ms")
    print(f"  update->model p50 / p99  {figures['p50_ms']:>7.1f} / {figures['p99_ms']:.1f} ms   max "
          f"{figures['max_ms']:.1f} ms   (aim p99 < 100)")
    if figures["sorted"]:
        print(f"  update->in order p50/p99 {figures['order_p50_ms']:>7.1f} / {figures['order_p99_ms']:.1f} "
              "ms   (its row at its place: the next re-sort, at most every 250 ms, puts it there)")
    print(f"  keypress->paint p50/p99  {figures['key_p50_ms']:>7.1f} / {figures['key_p99_ms']:.1f} ms   max "
          f"{figures['key_max_ms']:.1f} ms   ({figures['keys']} keys typed into the composer)")
    print(f"  RSS                      {figures['rss_mb']:>10.0f} MB   (aim < 200)")
    print(f"  full gc pass (live)      {figures['full_gc_ms']:>10.1f} ms   (start-up objects frozen)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=1000, help="visitor updates per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--baseline", action="store_true",
                        help="run 10,000 visitors at 1,000 updates/s first, in the same process, for ratios")
    parser.add_argument("--skip-cold-start", action="store_true")
    parser.add_argument("--lists", choices=("both", "unsorted", "sorted"), default="both",
                        help="which of the two lists to flood (both: unsorted, then sorted by page)")
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help="save the window at the end of the last flood (sorted, at --visitors)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    collector = MainThreadGarbageCollector(app)   # the app's garbage collection policy
    collector.start()
    loads = ([(10_000, 1000)] if args.baseline else []) + [(args.visitors, args.rate)]

    async def each() -> list[tuple[dict, dict]]:
        from operator_desk.ui.models.visitor_model import VisitorColumn
        runs = []
        for visitors, rate in loads:
            last = (visitors, rate) == loads[-1]
            plain = (await flood(visitors, rate, args.seconds, None, collector)
                     if args.lists != "sorted" else None)
            sorted_ = (await flood(visitors, rate, args.seconds, int(VisitorColumn.PAGE), collector,
                                   args.screenshot if last else None)
                       if args.lists != "unsorted" else None)
            runs.append((plain, sorted_))
        return runs

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runs = runner.run(each())
    collector.stop()
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())} at the end")
    for (visitors, rate), (plain, sorted_) in zip(loads, runs, strict=True):
        print(f"ui_flood: {visitors:,} visitors, {rate:,} updates/s for {args.seconds:.0f} s, "
              "coalesced every 25 ms (services' VisitorBatcher) into the main window")
        if plain is not None:
            report("unsorted list", plain)
        if sorted_ is not None:
            report("sorted by current page (every batch moves rows; re-sorted every 250 ms)", sorted_)
    if len(runs) == 2:
        print(f"ratios, {args.visitors:,} at {args.rate:,}/s against 10,000 at 1,000/s (same process):")
        for label, index in (("unsorted", 0), ("sorted", 1)):
            base, high = runs[0][index], runs[1][index]
            if base is None or high is None:
                continue
            print(f"  {label:9s} stall working {high['flood_busy_ms'] / base['flood_busy_ms']:.2f}x, "
                  f"update->model p99 {high['p99_ms'] / base['p99_ms']:.2f}x, "
                  f"keypress->paint p99 {high['key_p99_ms'] / base['key_p99_ms']:.2f}x, "
                  f"RSS {high['rss_mb'] / base['rss_mb']:.2f}x")
    if not args.skip_cold_start:
        seconds = cold_start_demo()
        print("cold start `operator-desk --demo` to first visitors listed: "
              + (f"{seconds:.2f} s (includes starting the embedded server and its simulator)"
                 if seconds is not None else "did not finish"))
    print("cold start with a 1,000,000-message cache: benchmarks/ui_cold_start.py")


if __name__ == "__main__":
    main()
