"""Visitor flood through the desk's receive path (net + services), against a bare websockets loop on the
same feed.

The real server runs in a child process (so its work is not charged to the client) with N visitors
(default 10,000) put straight into its hub; a driver there updates them through the hub's own push path.
Both clients subscribe as the desk does: a visitor feed coalesced every ``--feed-ms`` (the desk's 100 ms;
``visitors.feed`` pushes, each carrying every visitor that changed since the last, once). Two clients:

  bare  a websockets receive loop that parses each frame with json.loads, nothing else
  desk  the real Desk (session, decode, redaction, the roster, coalescing, event sink) with a real
        encrypted cache

Sustained phase, each client alone (R updates/s for S s): update-to-client latency p50/p99/max (for the
desk up to the ``VisitorsChanged`` batch that carries the update, its 25 ms coalescing included) and CPU
per visitor state.

Burst phase, both connected to the same feed: B updates are made at the server while both clients read
nothing (their sockets' reading paused), so each has the same frames queued; then one client reads them
as fast as it can while the other waits, then the other. Visitor states per second from the first frame
read to the last state handled (the desk: applied to its roster; its batch to the UI follows within
25 ms), and CPU per state. Repeated ``--repeat`` times, the order alternating; the figure is the median
with its spread, and the ratio of the medians (one run moved 0.58-0.94 on this shared machine). Each
burst is also printed with how busy the client and the server were over it (CPU over wall time), and
how much of the client's CPU went to other threads (the cache's) and to the garbage collector: a burst
slower at the same CPU per state waited for a core.
``--profile`` prints where the desk's time goes in its bursts (cProfile, by own time).
Prints figures, asserts nothing.

    python benchmarks/client_flood.py [--visitors 10000] [--rate 1000] [--seconds 10] [--burst 30000]
                                      [--repeat 5] [--feed-ms 100] [--no-cache] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import multiprocessing
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from websockets.asyncio.client import connect

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
from tests.kit.frames import request_frame

END = "end-of-burst"


# -- the server and its driver (child process) ---------------------------------------------------------


def serve(pipe, data_dir: str, visitors: int) -> None:
    asyncio.run(_serve(pipe, data_dir, visitors))


async def _serve(pipe, data_dir: str, count: int) -> None:
    from operator_desk.domain.clock import now_ts
    from operator_desk.domain.model import Page
    from operator_desk.server.embedded import ServerOptions, start_server
    from operator_desk.server.hub import LiveVisitor, Settings

    server = await start_server(ServerOptions(data_dir=Path(data_dir), demo=True,
                                              settings=Settings(send_queue_limit=1_000_000)))
    hub = server.hub
    people: list[LiveVisitor] = []
    pipe.send(server.operator_url)
    while True:
        command = await asyncio.to_thread(pipe.recv)
        if command[0] == "populate":
            # All visitors are on the site before a client subscribes: the snapshot comes in pages
            # (visitors.subscribe, then visitors.list), each under the 256 KiB frame limit.
            for n in range(len(people), count):
                visitor = LiveVisitor(id=f"v{n:06d}", token_digest=f"digest-{n}",
                                      ip=f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}", language="en",
                                      on_site_since=now_ts(),
                                      page=Page(url="https://shop.example/", title="t=0"))
                hub.visitors[visitor.id] = visitor
                people.append(visitor)
            pipe.send(("done", count))
        elif command[0] == "flood":
            _, rate, seconds = command
            tick = 0.01
            per_tick = max(1, int(rate * tick))
            started = time.perf_counter()
            sent = 0
            while time.perf_counter() - started < seconds:
                for _ in range(per_tick):
                    visitor = people[sent % count]
                    visitor.pages_viewed += 1
                    visitor.page = Page(url="https://shop.example/p", title=f"t={time.time():.6f}")
                    hub.upsert_visitor(visitor)
                    sent += 1
                due = started + (sent / per_tick) * tick
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            visitor = people[sent % count]   # the last state: the client knows the phase is over
            visitor.page = Page(url="https://shop.example/p", title=END)
            hub.upsert_visitor(visitor)
            pipe.send(("done", sent))
        elif command[0] == "burst":
            _, total, marker = command
            for n in range(total):
                visitor = people[n % count]
                visitor.pages_viewed += 1
                visitor.page = Page(url="https://shop.example/b", title=marker if n == total - 1 else "b")
                hub.upsert_visitor(visitor)
                if n % 500 == 499:
                    await asyncio.sleep(0)  # let the server's feed clock and writers run
            await asyncio.sleep(0.5)   # the last feed tick
            pipe.send(("done", total))
        else:
            await server.close()
            return


async def ask(pipe, *command):
    """Send the server's driver a command and wait until it is done."""
    pipe.send(command)
    return await asyncio.to_thread(pipe.recv)


# -- the two clients (this process) --------------------------------------------------------------------


def stamp_of(title: str) -> float | None:
    return float(title[2:]) if title.startswith("t=") and title != "t=0" else None


def summary(latencies: list[float]) -> str:
    if not latencies:
        return "no samples"
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms  "
            f"max {ordered[-1] * 1000:6.1f} ms  ({len(ordered)} samples)")


class Bare:
    """The baseline: websockets and json.loads, nothing else."""

    def __init__(self, url: str, feed_ms: int) -> None:
        self._url, self._feed_ms = url, feed_ms
        self.latencies: list[float] = []
        self.states = 0
        self.measure = False
        self.ended: asyncio.Event = asyncio.Event()
        self._end = END

    async def open(self, total: int) -> float:
        self.ws = await connect(self._url, max_size=256 * 1024, proxy=None)
        await self.ws.send(request_frame("1", "auth.login", {"username": "supervisor", "password": "demo"}))
        json.loads(await self.ws.recv())
        started = time.perf_counter()
        action, seen, page = "visitors.subscribe", 0, 0
        payload = {"limit": 1000, "coalesce_ms": self._feed_ms}   # the desk's own subscription
        while True:
            page += 1
            await self.ws.send(request_frame(f"p{page}", action, payload))
            answer = json.loads(await self.ws.recv())  # nothing changes while paging: no pushes between
            assert answer["ok"], answer
            seen += len(answer["payload"]["visitors"])
            cursor = answer["payload"].get("next_cursor")
            if cursor is None:
                break
            action, payload = "visitors.list", {"cursor": cursor, "limit": 1000}
        assert seen == total, (seen, total)
        self._reader = asyncio.ensure_future(self._read())
        return time.perf_counter() - started

    async def _read(self) -> None:
        async for frame in self.ws:
            message = json.loads(frame)
            action = message.get("action")
            if action == "visitors.feed":
                visitors = message["payload"]["visitors"]
            elif action == "visitor.upsert":
                visitors = [message["payload"]["visitor"]]
            else:
                continue
            self.states += len(visitors)
            now = time.time()
            for visitor in visitors:
                title = visitor["page"]["title"]
                if title == self._end:
                    self.ended.set()
                elif self.measure and (stamp := stamp_of(title)) is not None:
                    self.latencies.append(now - stamp)

    def expect(self, end: str) -> None:
        self._end = end
        self.ended = asyncio.Event()

    @property
    def transport(self):
        return self.ws.transport

    async def close(self) -> None:
        await self.ws.close()
        await asyncio.gather(self._reader, return_exceptions=True)


class DeskClient:
    """The real desk's receive path, its cache open."""

    def __init__(self, url: str, feed_ms: int, cache_dir: Path | None) -> None:
        self._url, self._feed_ms, self._cache_dir = url, feed_ms, cache_dir
        self.latencies: list[float] = []
        self.states = 0
        self.batches = 0
        self.measure = False
        self.ended: asyncio.Event = asyncio.Event()
        self._end = END
        self._reset = asyncio.Event()

    async def open(self, total: int) -> float:
        import keyring

        from operator_desk.platform.keystore import TokenStore
        from operator_desk.protocol.messages import VisitorFeed, VisitorUpsert
        from operator_desk.services.desk import Desk
        from operator_desk.services.timing import DeskTiming
        from operator_desk.store import RawKey, Store
        from tests.kit.keyrings import MemoryKeyring

        keyring.set_keyring(MemoryKeyring())
        self.store = (await Store.open(self._cache_dir / "cache.db", RawKey(os.urandom(32)))
                      if self._cache_dir else None)
        self.desk = Desk(server_url=self._url, profile="bench", sink=self._sink, store=self.store,
                         tokens=TokenStore("bench"),
                         timing=DeskTiming(heartbeat_interval=60, request_timeout=60,
                                           visitor_feed=self._feed_ms / 1000))
        handle = self.desk.push_received

        def push_received(push) -> None:   # count the states handed to the services, and see the end
            handle(push)
            payload = push.payload
            if isinstance(payload, VisitorFeed):
                visitors = payload.visitors
            elif isinstance(payload, VisitorUpsert):
                visitors = (payload.visitor,)
            else:
                return
            self.states += len(visitors)
            if any(visitor.page.title == self._end for visitor in visitors):
                self.ended.set()

        self.desk.push_received = push_received
        started = time.perf_counter()
        await self.desk.sign_in("supervisor", "demo")
        await asyncio.wait_for(self._reset.wait(), 60)  # every page, then one reset
        assert len(self.desk.visitors) == total, (len(self.desk.visitors), total)
        return time.perf_counter() - started

    def _sink(self, event) -> None:
        from operator_desk.services.events import VisitorsChanged

        if not isinstance(event, VisitorsChanged):
            return
        if event.reset:
            self._reset.set()
            return
        self.batches += 1
        if self.measure:
            now = time.time()
            self.latencies.extend(now - stamp for visitor in event.upserts
                                  if (stamp := stamp_of(visitor.page.title)) is not None)

    def expect(self, end: str) -> None:
        self._end = end
        self.ended = asyncio.Event()

    @property
    def transport(self):
        return self.desk.session._conn._ws.transport   # the benchmark reaches in: reading paused

    async def close(self) -> None:
        await self.desk.close()
        if self.store is not None:
            await self.store.close()


async def sustained(client, pipe, rate: int, seconds: float) -> dict:
    client.measure, client.latencies = True, []
    client.expect(END)
    states0, cpu0 = client.states, time.process_time()
    await ask(pipe, "flood", rate, seconds)
    await asyncio.wait_for(client.ended.wait(), 60)
    await asyncio.sleep(0.1)   # the last coalescing window
    client.measure = False
    states = client.states - states0
    return {"latencies": list(client.latencies), "states": states, "cpu": time.process_time() - cpu0}


class Collections:
    """Time the cyclic garbage collector spends, by the wall clock (it runs in the thread that
    allocates: here the event loop's)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._started = 0.0

    def __enter__(self) -> Collections:
        gc.callbacks.append(self._on_collection)
        return self

    def __exit__(self, *_exc) -> None:
        gc.callbacks.remove(self._on_collection)

    def _on_collection(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.full += info["generation"] == 2


async def read_burst(client, end: str, server: psutil.Process) -> dict:
    """Let the client read what is queued for it, as fast as it can, until the burst's last state."""
    states0 = client.states
    server0 = sum(server.cpu_times()[:2])
    with Collections() as collections:
        cpu0, loop0, started = time.process_time(), time.thread_time(), time.perf_counter()
        client.transport.resume_reading()
        await asyncio.wait_for(client.ended.wait(), 300)
        seconds = time.perf_counter() - started
        cpu, loop_cpu = time.process_time() - cpu0, time.thread_time() - loop0
    states = client.states - states0
    return {"states": states, "seconds": seconds, "cpu": cpu, "rate": states / seconds,
            "server_cpu": sum(server.cpu_times()[:2]) - server0,
            "other_threads_cpu": max(0.0, cpu - loop_cpu),
            "gc_seconds": collections.seconds, "full_collections": collections.full}


async def run(url: str, pipe, total: int, args, profile: cProfile.Profile | None, cache: Path | None,
              server: psutil.Process) -> dict:
    results: dict = {"bare": {}, "desk": {}}
    bare = Bare(url, args.feed_ms)
    results["bare"]["snapshot_s"] = await bare.open(total)
    results["bare"]["sustained"] = await sustained(bare, pipe, args.rate, args.seconds)
    await bare.close()   # alone in its sustained phase, as the desk is in its own
    desk = DeskClient(url, args.feed_ms, cache)
    results["desk"]["snapshot_s"] = await desk.open(total)
    results["desk"]["sustained"] = await sustained(desk, pipe, args.rate, args.seconds)
    results["desk"]["batches"] = desk.batches
    bare = Bare(url, args.feed_ms)
    await bare.open(total)
    clients = {"bare": bare, "desk": desk}
    bursts: dict[str, list[dict]] = {"bare": [], "desk": []}
    for repeat in range(args.repeat):
        end = f"{END}-{repeat}"
        for client in clients.values():
            client.expect(end)
            client.transport.pause_reading()
        await ask(pipe, "burst", args.burst, end)   # queued for both, the same frames
        order = ["bare", "desk"] if repeat % 2 == 0 else ["desk", "bare"]
        for name in order:
            if name == "desk" and profile is not None:
                profile.enable()
            bursts[name].append(await read_burst(clients[name], end, server))
            if name == "desk" and profile is not None:
                profile.disable()
    cache_start = time.perf_counter()
    await desk.desk.flush()
    results["desk"]["cache_drain_s"] = time.perf_counter() - cache_start
    await bare.close()
    await desk.close()
    results["bare"]["bursts"], results["desk"]["bursts"] = bursts["bare"], bursts["desk"]
    return results


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def spread(values: list[float], unit: str, digits: int = 0) -> str:
    return (f"median {statistics.median(values):,.{digits}f}{unit} (min {min(values):,.{digits}f}, "
            f"max {max(values):,.{digits}f})")


def report(name: str, result: dict) -> None:
    flood = result["sustained"]
    per_state = flood["cpu"] / max(1, flood["states"]) * 1e6
    print(f"{name:5} all visitors in {result['snapshot_s']:.2f} s | sustained: {flood['states']:,} visitor "
          f"states, {per_state:.1f} µs CPU each | latency {summary(flood['latencies'])}")
    bursts = result["bursts"]
    print(f"{'':5} burst ({len(bursts)}x, {bursts[0]['states']:,} states each): "
          f"{spread([b['rate'] for b in bursts], ' states/s')}; CPU per state "
          f"{spread([b['cpu'] / max(1, b['states']) * 1e6 for b in bursts], ' µs', 1)}")
    # Busy: a process's CPU over the burst's wall time, the client's and the server's (had the server still
    # been writing much of the burst as the client read, its share would show it). A slow burst at the same
    # CPU per state was spent waiting (for a core, on a loaded machine), not working.
    print(f"{'':5} each burst: states/s, client CPU per state, client busy, server busy; of the client's "
          "CPU, other threads' (the cache's) and the garbage collector's (full collections)")
    for b in bursts:
        print(f"{'':7} {b['rate']:7,.0f}/s {b['cpu'] / max(1, b['states']) * 1e6:5.1f} µs "
              f"{b['cpu'] / b['seconds']:4.0%} {b['server_cpu'] / b['seconds']:4.0%}; "
              f"other threads {b['other_threads_cpu'] * 1000:4.0f} ms, gc {b['gc_seconds'] * 1000:4.0f} ms "
              f"({b['full_collections']} full) of {b['cpu'] * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=5, help="bursts per client (the order alternating)")
    parser.add_argument("--feed-ms", type=int, default=100,
                        help="the feed's coalescing interval both clients subscribe with (the desk's: 100)")
    parser.add_argument("--no-cache", action="store_true", help="run the desk without a local cache")
    parser.add_argument("--profile", action="store_true", help="where the desk's burst time goes")
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None

    with tempfile.TemporaryDirectory() as tmp:
        context = multiprocessing.get_context("spawn")
        here, there = context.Pipe()
        child = context.Process(target=serve, args=(there, str(Path(tmp) / "server"), args.visitors))
        child.start()
        try:
            url = here.recv()
            print(f"client_flood: {args.visitors:,} visitors, {args.rate:,} updates/s for "
                  f"{args.seconds:.0f} s, bursts of {args.burst:,}, a feed every {args.feed_ms} ms; "
                  f"load average {load_average()}; Python {sys.version.split()[0]}")
            here.send(("populate",))
            total = here.recv()[1]
            cache = None
            if not args.no_cache:
                cache = Path(tmp) / "client"
                cache.mkdir()
            results = asyncio.run(run(url, here, total, args, profile, cache, psutil.Process(child.pid)))
            report("bare", results["bare"])
            report("desk", results["desk"])
            print(f"      (desk {'without' if args.no_cache else 'with'} the encrypted cache; "
                  f"{results['desk']['batches']} VisitorsChanged batches; cache drained "
                  f"{results['desk']['cache_drain_s']:.2f} s after the bursts)")
            rates = {name: statistics.median(b["rate"] for b in results[name]["bursts"])
                     for name in ("bare", "desk")}
            pairs = [d["rate"] / b["rate"] for b, d in zip(results["bare"]["bursts"],
                                                          results["desk"]["bursts"], strict=True)]
            flood = {name: results[name]["sustained"] for name in ("bare", "desk")}
            cpu_ratio = ((flood["desk"]["cpu"] / max(1, flood["desk"]["states"]))
                         / (flood["bare"]["cpu"] / max(1, flood["bare"]["states"])))
            per_state = {name: statistics.median(burst["cpu"] / max(1, burst["states"])
                                                 for burst in results[name]["bursts"])
                         for name in ("bare", "desk")}
            print(f"ratio desk/bare: burst throughput {rates['desk'] / rates['bare']:.2f} (medians; burst by "
                  f"burst {spread(pairs, '', 2)}), by CPU per state in the bursts "
                  f"{per_state['bare'] / per_state['desk']:.2f} (the machine's load moves it least), "
                  f"sustained CPU per state {cpu_ratio:.2f}x")
            print(f"client max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
                  f"load average {load_average()}")
            if profile is not None:
                text = io.StringIO()
                pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(22)
                print("desk burst profile (own time per function):")
                print("\n".join(line for line in text.getvalue().splitlines()[4:] if line.strip()))
            here.send(("stop",))
        finally:
            child.join(30)
            if child.is_alive():
                child.terminate()


if __name__ == "__main__":
    main()
