"""Visitor flood through the client's receive path (net + services), against a bare websockets loop.

The real server runs in a child process (so its work is not charged to the client) with N visitors
(default 10,000) put straight into its hub; a driver there updates them through the hub's own push path.
The client side, in this process, is measured twice on the same feed:

  bare  a websockets receive loop that parses each frame with json.loads, nothing else
  desk  the real Desk (session, decode, redaction, coalescing, event sink) with a real encrypted cache

For each: sustained phase (R updates/s for S seconds): update-to-event latency p50/p99/max (for the desk
"event" is the VisitorsChanged batch that carries the update, coalescing included); CPU seconds per 1,000
pushes. Burst phase: B updates are queued at the server while the client reads nothing (its socket's
reading paused), then the client reads them as fast as it can: pushes/s from the first to the last one
handled, and CPU per push. (Sent as the server makes them, both clients kept up with the server, which
sends about 7,000 a second on this machine: the ratio then said nothing about the client.)
``--profile`` prints where the desk's time goes in its burst (cProfile, by own time).
Prints figures, asserts nothing.

    python benchmarks/client_flood.py [--visitors 10000] [--rate 1000] [--seconds 10] [--burst 30000]
                                      [--no-cache] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
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
            pipe.send(("done", sent))
        elif command[0] == "burst":
            _, total = command
            for n in range(total):
                visitor = people[n % count]
                visitor.pages_viewed += 1
                visitor.page = Page(url="https://shop.example/b", title=END if n == total - 1 else "b")
                hub.upsert_visitor(visitor)
                if n % 500 == 499:
                    await asyncio.sleep(0)  # let the server's writer run
            pipe.send(("done", total))
        else:
            await server.close()
            return


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


async def bare(url: str, pipe, total: int, rate: int, seconds: float, burst: int) -> dict:
    async with connect(url, max_size=256 * 1024, proxy=None) as ws:
        await ws.send(request_frame("1", "auth.login", {"username": "supervisor", "password": "demo"}))
        json.loads(await ws.recv())
        started = time.perf_counter()
        action, payload, seen, page = "visitors.subscribe", {"limit": 1000}, 0, 0
        while True:
            page += 1
            await ws.send(request_frame(f"p{page}", action, payload))
            answer = json.loads(await ws.recv())  # nothing changes while paging: no pushes between
            assert answer["ok"], answer
            seen += len(answer["payload"]["visitors"])
            cursor = answer["payload"].get("next_cursor")
            if cursor is None:
                break
            action, payload = "visitors.list", {"cursor": cursor, "limit": 1000}
        assert seen == total, (seen, total)
        snapshot_s = time.perf_counter() - started

        latencies: list[float] = []
        cpu0 = time.process_time()
        pipe.send(("flood", rate, seconds))
        received = 0
        done = asyncio.ensure_future(asyncio.to_thread(pipe.recv))
        expected = None
        while expected is None or received < expected:
            if expected is None and done.done():
                expected = done.result()[1]
                continue
            try:
                frame = await asyncio.wait_for(ws.recv(), 0.2)
            except TimeoutError:
                continue
            message = json.loads(frame)
            if message.get("action") == "visitor.upsert":
                received += 1
                stamp = stamp_of(message["payload"]["visitor"]["page"]["title"])
                if stamp is not None:
                    latencies.append(time.time() - stamp)
        cpu = time.process_time() - cpu0

        ws.transport.pause_reading()   # the burst waits at the server, then is read as fast as we can
        pipe.send(("burst", burst))
        await asyncio.to_thread(pipe.recv)
        ws.transport.resume_reading()
        first = None
        count = 0
        cpu1 = time.process_time()
        while True:
            frame = await ws.recv()
            first = first or time.perf_counter()
            message = json.loads(frame)
            if message.get("action") == "visitor.upsert":
                count += 1
                if message["payload"]["visitor"]["page"]["title"] == END:
                    break
        burst_s = time.perf_counter() - first
        burst_cpu = time.process_time() - cpu1
    return {"snapshot_s": snapshot_s, "latencies": latencies, "pushes": received, "cpu": cpu,
            "burst": count, "burst_s": burst_s, "burst_cpu": burst_cpu}


async def desk(url: str, pipe, total: int, rate: int, seconds: float, burst: int,
               cache_dir: Path | None, profile: cProfile.Profile | None) -> dict:
    import keyring

    from operator_desk.platform.keystore import TokenStore
    from operator_desk.services.desk import Desk
    from operator_desk.services.events import VisitorsChanged
    from operator_desk.services.timing import DeskTiming
    from operator_desk.store import RawKey, Store
    from tests.kit.keyrings import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    store = await Store.open(cache_dir / "cache.db", RawKey(os.urandom(32))) if cache_dir else None
    latencies: list[float] = []
    batches = [0]
    upserts = [0]
    state = {"reset": asyncio.Event(), "end": asyncio.Event(), "measure": False}

    def sink(event) -> None:
        if isinstance(event, VisitorsChanged):
            if event.reset:
                state["reset"].set()
                return
            batches[0] += 1
            now = time.time()
            upserts[0] += len(event.upserts)
            for visitor in event.upserts:
                title = visitor.page.title
                if title == END:
                    state["end"].set()
                elif state["measure"]:
                    stamp = stamp_of(title)
                    if stamp is not None:
                        latencies.append(now - stamp)

    the_desk = Desk(server_url=url, profile="bench", sink=sink, store=store, tokens=TokenStore("bench"),
                    timing=DeskTiming(heartbeat_interval=60, request_timeout=60))
    pushes = [0]
    original = the_desk.push_received

    def counting(push) -> None:
        pushes[0] += 1
        original(push)

    the_desk.push_received = counting  # count pushes handed to the services
    try:
        started = time.perf_counter()
        await the_desk.sign_in("supervisor", "demo")
        await asyncio.wait_for(state["reset"].wait(), 60)  # every page, then one reset
        snapshot_s = time.perf_counter() - started
        assert len(the_desk.visitors) == total, (len(the_desk.visitors), total)

        state["measure"] = True
        pushes[0] = 0
        cpu0 = time.process_time()
        pipe.send(("flood", rate, seconds))
        _, expected = await asyncio.to_thread(pipe.recv)
        while pushes[0] < expected:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)  # the last coalescing window
        cpu = time.process_time() - cpu0
        received = pushes[0]
        flood_batches = batches[0]
        state["measure"] = False

        pushes[0] = 0
        first_at = [None]
        original_count = the_desk.push_received

        def first_push(push) -> None:
            if first_at[0] is None:
                first_at[0] = time.perf_counter()
            original_count(push)

        the_desk.push_received = first_push
        transport = the_desk.session._conn._ws.transport   # the benchmark reaches in: reading paused
        transport.pause_reading()
        pipe.send(("burst", burst))
        await asyncio.to_thread(pipe.recv)
        if profile is not None:
            profile.enable()
        cpu1 = time.process_time()
        transport.resume_reading()
        await asyncio.wait_for(state["end"].wait(), 300)
        burst_s = time.perf_counter() - first_at[0]
        burst_cpu = time.process_time() - cpu1
        if profile is not None:
            profile.disable()
        burst_count = pushes[0]
        cache_start = time.perf_counter()
        await the_desk.flush()
        cache_drain = time.perf_counter() - cache_start
    finally:
        await the_desk.close()
        if store is not None:
            await store.close()
    return {"snapshot_s": snapshot_s, "latencies": latencies, "pushes": received, "cpu": cpu,
            "batches": flood_batches, "burst": burst_count, "burst_s": burst_s, "burst_cpu": burst_cpu,
            "cache_drain_s": cache_drain}


def report(name: str, result: dict) -> None:
    per_k = result["cpu"] / max(1, result["pushes"]) * 1000
    print(f"{name:5} all visitors in {result['snapshot_s']:.2f} s | sustained: {result['pushes']} pushes, "
          f"{per_k * 1000:.1f} ms CPU per 1,000 | latency {summary(result['latencies'])}")
    rate = result["burst"] / result["burst_s"] if result["burst_s"] else float("nan")
    print(f"{'':5} burst: {result['burst']} pushes in {result['burst_s']:.2f} s = {rate:,.0f} pushes/s, "
          f"{result['burst_cpu'] / max(1, result['burst']) * 1e6:.0f} µs CPU per push")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=30_000)
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
            print(f"client_flood: {args.visitors} visitors, {args.rate} updates/s for {args.seconds:.0f} s, "
                  f"burst of {args.burst}; Python {sys.version.split()[0]}")
            here.send(("populate",))
            total = here.recv()[1]
            bare_result = asyncio.run(bare(url, here, total, args.rate, args.seconds, args.burst))
            report("bare", bare_result)
            cache = Path(tmp) / "client"
            cache.mkdir()
            desk_result = asyncio.run(desk(url, here, total, args.rate, args.seconds, args.burst,
                                           None if args.no_cache else cache, profile))
            report("desk", desk_result)
            print(f"      (desk {'without' if args.no_cache else 'with'} the encrypted cache)")
            print(f"      desk emitted {desk_result['batches']} VisitorsChanged batches for "
                  f"{desk_result['pushes']} pushes in the sustained phase; cache drained "
                  f"{desk_result['cache_drain_s']:.2f} s after the burst")
            bare_rate = bare_result["burst"] / bare_result["burst_s"]
            desk_rate = desk_result["burst"] / desk_result["burst_s"]
            cpu_ratio = (desk_result["cpu"] / max(1, desk_result["pushes"])) / (
                bare_result["cpu"] / max(1, bare_result["pushes"]))
            print(f"ratio desk/bare: burst throughput {desk_rate / bare_rate:.2f}, "
                  f"sustained CPU per push {cpu_ratio:.2f}x")
            print(f"client max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
            if profile is not None:
                text = io.StringIO()
                pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(18)
                print("desk burst profile (own time per function):")
                print("\n".join(line for line in text.getvalue().splitlines()[4:] if line.strip()))
            here.send(("stop",))
        finally:
            child.join(30)
            if child.is_alive():
                child.terminate()


if __name__ == "__main__":
    main()
