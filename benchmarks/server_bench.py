"""Server under load: 2,000 simulated visitors, 5 subscribed operators. Prints figures, never asserts.

Three processes: the server (what is measured, started with ``serve --stats 5``), the simulator (the
visitors, each acting every 1-3 s: about 1,000 visitor events per second at 2,000 while the server
answers promptly, since each visitor waits for its answer; one simulator process per 5,000 visitors),
and this script (the operator sessions and 20 probe visitors). Latency is measured from just before a
probe visitor's ``visitor.page`` is written to the moment an operator's reader takes the push that
carries it (a ``visitor.upsert``, or a ``visitors.feed`` with ``--coalesce-ms``); both ends live in this
process, so one monotonic clock times them. The probe's own request round trip and this process's loop
lag are printed too (a late reader inflates the figure), the server's CPU time per delivered visitor
state (per 5 s window too: a cost that grows with time shows there), and the server's own load lines
(loop lag, collector pauses, requests and pushes per second, database queue) for the measured window.

    python benchmarks/server_bench.py [--visitors 2000] [--seconds 30] [--sim-nice 10]
        [--operators 5] [--coalesce-ms 25] [--measuring 5] [--think-min 1 --think-max 3]
        [--ramp-seconds 300] [--settle-seconds 10] [--server-src DIR] [--baseline-src DIR --rounds 2]

Measuring starts ``--settle-seconds`` after every visitor is online (98 % of the target: visitors leave
and new ones arrive all the time), or after ``--ramp-seconds`` with a line that says how many were; the
figures say how many were online when measuring began and ended, and how often each visitor acts. The
ramp's line gives the server's and the simulators' CPU meanwhile (a simulator near 100 % of a core, or
starved by the load, is what held the ramp back, not the server), and the pushes one operator received
by action.

``--sim-nice`` runs the simulator at a lower priority: in production the browsers are elsewhere, and on a
2-core machine the simulator's CPU otherwise competes with the server's. ``--operators`` subscribes that
many sessions (the demo's accounts in turn); ``--coalesce-ms`` makes each subscription a feed coalesced
at that interval (docs/protocol.md, ``visitors.subscribe``); only the first ``--measuring`` sessions time
the probes (the others count what they receive), so that this process keeps up. Other work on the
machine moves the figures a lot: note ``uptime`` and run it several times.

``--server-src DIR`` runs the server from another checkout's source folder (``git worktree add /tmp/pre
cc0ce38``, then ``--server-src /tmp/pre/src``; ``DIR/packages/server/src`` after the package split):
the baseline server is then measured by this very script, with the same simulators, probes and
operator sessions, so that a difference in the figures is the server's, not the benchmark's. The
server's CPU per push is given for the whole process and for its event loop's thread alone (the one
that delays pushes; the rest is the database thread). ``--baseline-src DIR`` runs that server and this
one (or ``--server-src``) one after the other, ``--rounds`` times, and ends with a table of both
runs' figures and the ratios of their medians: issue 8's "within 10 % of p99 and pushes/s" is
``python benchmarks/server_bench.py --visitors 2000 --seconds 30 --baseline-src /tmp/pre/src``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from websockets.asyncio.client import connect

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
from operator_desk.server.simulator import MAX_VISITORS
from tests.kit.clients import AsyncClient
from tests.kit.frames import parsed, request_frame

PROBES = 20
PROBE_INTERVAL = 0.2
WINDOW = 5.0   # seconds: the server's CPU per push is printed for each window, to show whether it grows
OPERATOR_ACCOUNTS = ("supervisor", "lead", "operator")  # the demo's, taken in turn


async def spawn(*command: str, stderr: Any = asyncio.subprocess.DEVNULL) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE, stderr=stderr)


REQUEST_IDS = itertools.count(1)


async def request(ws, action: str, payload: dict) -> dict:
    """An operator session's request (its login, its subscription), answered before any push is read.

    The operator sessions are not the kit's ``AsyncClient`` (tests/kit/clients.py), which the probes
    are: that client decodes and keeps every frame it receives, and twenty sessions taking thousands of
    pushes a second would make this process the bottleneck (and grow without bound) while it measures
    the server. An ``Operator`` counts the frames and parses only those that carry a probe."""
    request_id = f"b{next(REQUEST_IDS)}"
    await ws.send(request_frame(request_id, action, payload))
    while True:
        message = parsed(await ws.recv())
        if message.get("type") == "res" and message.get("id") == request_id:
            return message


def action_of(frame: str) -> str:
    """A push's action, read off its text (the codec writes ``"action":"..."`` into each envelope)."""
    start = frame.find('"action":"') + len('"action":"')
    return frame[start : frame.find('"', start)]


def visitors_in(payload: dict) -> list[dict]:
    """The visitors a push carries: one in a ``visitor.upsert``, any number in a ``visitors.feed``."""
    if "visitors" in payload:
        return payload["visitors"]
    return [payload["visitor"]] if "visitor" in payload else []


class Operator:
    """One subscribed session. Only the first few parse the frames that carry a probe (``measures``)
    and only the first follows who is online: twenty sessions parsing every frame would make this
    process the bottleneck."""

    def __init__(self, ws, *, measures: bool, follows_online: bool) -> None:
        self.ws = ws
        self.measures = measures
        self.follows_online = follows_online
        self.frames = 0
        self.updates = 0   # visitor states delivered: one per upsert, any number per feed push
        self.latencies: list[float] = []
        self.online: set[str] = set()
        self.actions: Counter[str] = Counter()   # pushes by action, while measuring (the first session only)

    async def read(self, sent_at: dict[str, int], counting: asyncio.Event) -> None:
        async for frame in self.ws:
            now = time.monotonic_ns()
            if counting.is_set():
                self.frames += 1
                if self.follows_online:
                    self.actions[action_of(frame)] += 1
                self.updates += frame.count('"on_site_since"')   # once in every visitor object
                if self.measures and '"probe ' in frame:
                    for visitor in visitors_in(parsed(frame)["payload"]):
                        started = sent_at.get(visitor["page"]["title"])
                        if started is not None:
                            self.latencies.append((now - started) / 1e6)
                continue  # while measuring, parse only the probes: this process must not be the bottleneck
            if not self.follows_online:
                continue
            if '"visitor.left"' in frame:
                self.online.discard(parsed(frame)["payload"]["visitor_id"])
            elif '"visitor.upsert"' in frame or '"visitors.feed"' in frame:
                payload = parsed(frame)["payload"]
                self.online.update(v["id"] for v in visitors_in(payload))
                self.online.difference_update(payload.get("unmatched", ()))


async def loop_lag(lags: list[float], counting: asyncio.Event, stop: asyncio.Event) -> None:
    """This process's own loop lag: a late reader would inflate the latencies it reports."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(0.01)
        if counting.is_set():
            lags.append((loop.time() - before - 0.01) * 1e3)


async def probe(
    url: str,
    index: int,
    sent_at: dict[str, int],
    rtts: list[float],
    counting: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    visitor = await AsyncClient.connect(url)   # the kit's client: a probe receives only its answers
    try:
        await visitor.ok("visitor.hello", {"page": {"url": "http://shop.example/", "title": "probe"}})
        for n in itertools.count():
            if stop.is_set():
                return
            title = f"probe {index} {n}"
            started = sent_at[title] = time.monotonic_ns()
            await visitor.ok("visitor.page", {"url": "http://shop.example/p", "title": title})
            if counting.is_set():
                rtts.append((time.monotonic_ns() - started) / 1e6)
            await asyncio.sleep(PROBE_INTERVAL)
    finally:
        await visitor.close()


def server_cpu(process: psutil.Process) -> tuple[float, float]:
    """CPU seconds of the whole server and of its main thread, the one that runs the event loop."""
    times = process.cpu_times()
    loop = next((t for t in process.threads() if t.id == process.pid), None)
    return times.user + times.system, (loop.user_time + loop.system_time) if loop is not None else 0.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


@dataclass(frozen=True)
class Options:
    visitors: int
    seconds: float
    think_min: float
    think_max: float
    sim_nice: int
    operators: int
    coalesce_ms: int | None
    measuring: int
    ramp_seconds: float
    settle_seconds: float
    server_src: Path | None = None  # another checkout's server (--baseline-src); None: this one's


@dataclass(frozen=True)
class Figures:
    """What one run measured, for the comparison with a baseline (``--baseline-src``)."""

    pushes_per_second: float
    p50: float
    p99: float
    cpu_per_push: float        # µs, the whole server process
    loop_cpu_per_push: float   # µs, its event loop's thread
    loop_lag_p99: float        # ms, the worst of the server's own 5 s windows
    db_batch_max: float        # ms, the longest transaction in the measured windows
    load: float                # the 1-minute load average at the start of measuring


STATS_FIGURES = re.compile(r"loop lag p50 [\d.]+ ms p99 ([\d.]+) ms.*db batches [\d.]+/s \(max ([\d.]+) ms\)")


def subscription(options: Options) -> dict:
    """What each operator asks ``visitors.subscribe`` for: a feed when a coalescing interval is given."""
    return {} if options.coalesce_ms is None else {"coalesce_ms": options.coalesce_ms}


def server_command(server_src: Path | None) -> tuple[str, ...]:
    """The server's command: this checkout's, or the one in ``server_src`` (put first on the path of
    that process only; the simulators and this script stay this checkout's)."""
    if server_src is None:
        return (sys.executable, "-m", "operator_desk.server.cli")
    source = str(server_src.resolve())
    # -c rather than -m: PYTHONPATH would reach the installed namespace portions after the other
    # checkout's; putting its folder first on sys.path before importing keeps every module its own.
    return (sys.executable, "-c",
            f"import sys, runpy; sys.path.insert(0, {source!r}); sys.argv[0] = 'server'; "
            "runpy.run_module('operator_desk.server.cli', run_name='__main__')")


async def start_simulators(base: str, options: Options) -> list[asyncio.subprocess.Process]:
    """The visitors, in processes of at most ``MAX_VISITORS`` each (the simulator's own bound)."""
    shares = [MAX_VISITORS] * (options.visitors // MAX_VISITORS)
    if options.visitors % MAX_VISITORS:
        shares.append(options.visitors % MAX_VISITORS)
    return [
        await spawn(
            *(("nice", "-n", str(options.sim_nice)) if options.sim_nice else ()),
            sys.executable, "-m", "operator_desk.server.simulator", "--url", base + "/v1/visitor",
            "-n", str(share), "--think-min", str(options.think_min), "--think-max", str(options.think_max),
        )
        for share in shares
    ]


async def measure(options: Options) -> Figures:
    data = Path(tempfile.mkdtemp(prefix="server-bench-"))
    server_log = (data / "server.log").open("wb")
    # The probes change page five times a second, to have many samples: more than any visitor may
    # (2 a second, docs/server.md "Rates"). Their rate is raised here so that they measure the push path,
    # not the rate limit; the operator sessions, all from this machine, may be more than the 64 one
    # address may open. Every other limit is the default.
    config = data / "bench.toml"
    sockets = options.operators + PROBES + 8
    config.write_text("[limits]\npages_per_second = 10.0\npages_burst = 50\n"
                      + (f"connections_per_address = {sockets}\n" if sockets > 64 else ""))
    server = await spawn(
        *server_command(options.server_src),
        "--log-level", "INFO", "serve", "--stats", "5",
        "--data", str(data), "--demo", "--config", str(config), "--port", "0",
        stderr=server_log,
    )
    simulators: list[asyncio.subprocess.Process] = []
    try:
        while not (line := (await server.stdout.readline()).decode()).startswith("listening on "):
            if not line:
                raise SystemExit("the server did not start")
        base = line.split()[-1]
        server_proc = psutil.Process(server.pid)
        rss_idle = server_proc.memory_info().rss
        simulators = await start_simulators(base, options)
        counting, stop = asyncio.Event(), asyncio.Event()
        sent_at: dict[str, int] = {}
        operators = []
        accounts = itertools.islice(itertools.cycle(OPERATOR_ACCOUNTS), options.operators)
        for index, account in enumerate(accounts):
            ws = await connect(base + "/v1/operator", max_size=2**24, max_queue=None, compression=None)
            await request(ws, "auth.login", {"username": account, "password": "demo"})
            await request(ws, "visitors.subscribe", subscription(options))
            operators.append(Operator(ws, measures=index < options.measuring, follows_online=index == 0))
        readers = [asyncio.create_task(op.read(sent_at, counting)) for op in operators]
        simulator_procs = [psutil.Process(sim.pid) for sim in simulators]
        for process in (server_proc, *simulator_procs):
            process.cpu_percent()   # from here: the ramp's CPU shares, to tell who held it back
        ramp_start = time.monotonic()
        # Measure only once every visitor is online (visitors leave and arrive all the time, so "all"
        # is 98 % of the target), or say that they never were.
        while (len(operators[0].online) < 0.98 * options.visitors  # noqa: ASYNC110
               and time.monotonic() - ramp_start < options.ramp_seconds):
            await asyncio.sleep(0.5)
        ramp = time.monotonic() - ramp_start
        online_at_start = len(operators[0].online)
        ramp_cpu = (f"ramp: server {server_proc.cpu_percent():.0f}% of a core, simulators "
                    + " + ".join(f"{p.cpu_percent():.0f}%" for p in simulator_procs)
                    + f" (at nice {options.sim_nice}); load average {os.getloadavg()[0]:.1f}")
        if online_at_start < 0.98 * options.visitors:
            print(f"NOT all online: {online_at_start} of {options.visitors} visitors after {ramp:.0f} s "
                  "of ramp; measured all the same")
        rtts: list[float] = []
        bench_lags: list[float] = []
        probes = [
            asyncio.create_task(probe(base + "/v1/visitor", i, sent_at, rtts, counting, stop))
            for i in range(PROBES)
        ]
        probes.append(asyncio.create_task(loop_lag(bench_lags, counting, stop)))
        # The ramp brings visitors in far faster than they come and go afterwards: let the server
        # catch up (its queues drain, the arrivals' consents and snapshots are sent) before measuring.
        await asyncio.sleep(options.settle_seconds)
        others = {"simulator": simulator_procs, "benchmark": [psutil.Process()]}
        load_before = os.getloadavg()[0]
        for process in (server_proc, *(p for group in others.values() for p in group)):
            process.cpu_percent()
        counting.set()
        started = time.monotonic()
        rss_peak = 0
        # (seconds, server CPU seconds, its loop thread's CPU seconds, updates delivered, pushes delivered)
        windows: list[tuple[float, float, float, int, int]] = []
        window_start, cpu_start, updates_start = started, server_cpu(server_proc), 0
        frames_start = 0
        while time.monotonic() - started < options.seconds:
            await asyncio.sleep(1)
            rss_peak = max(rss_peak, server_proc.memory_info().rss)
            now = time.monotonic()
            if now - window_start >= WINDOW or now - started >= options.seconds:
                cpu_now, updates_now = server_cpu(server_proc), sum(op.updates for op in operators)
                frames_now = sum(op.frames for op in operators)
                windows.append((now - window_start, cpu_now[0] - cpu_start[0], cpu_now[1] - cpu_start[1],
                                updates_now - updates_start, frames_now - frames_start))
                window_start, cpu_start, updates_start, frames_start = now, cpu_now, updates_now, frames_now
        elapsed = time.monotonic() - started
        counting.clear()
        cpu = server_proc.cpu_percent()
        other_cpu = ", ".join(f"{name} {sum(p.cpu_percent() for p in group):.0f}%"
                              for name, group in others.items())
        online = len(operators[0].online)
        stop.set()
        await asyncio.gather(*probes, return_exceptions=True)
        latencies = [v for op in operators for v in op.latencies]
        frames = sum(op.frames for op in operators)
        updates = sum(op.updates for op in operators)
        mean = statistics.fmean(latencies) if latencies else float("nan")
        mode = (f"a feed, coalesced every {options.coalesce_ms} ms" if options.coalesce_ms is not None
                else "a visitor.upsert per change")
        if options.server_src is not None:
            print(f"server from {options.server_src}")
        print(f"visitors online (seen by an operator): {online_at_start} when measuring began, {online} "
              f"at its end (target {options.visitors}, ramp {ramp:.1f} s; each acting every "
              f"{options.think_min:g}-{options.think_max:g} s)")
        print(ramp_cpu)
        print(f"operators subscribed: {len(operators)} ({mode}); measured for {elapsed:.0f} s after "
              f"{options.settle_seconds:g} s of settling; load average {load_before:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after")
        rate = frames / elapsed
        print(f"pushes delivered: {rate:,.0f}/s in total ({rate / len(operators):,.0f}/s per operator), "
              f"carrying {updates / elapsed:,.0f} visitor states/s")
        print("pushes to one operator by action: " + ", ".join(
            f"{action} {count / elapsed:,.0f}/s" for action, count in operators[0].actions.most_common()))
        print(
            f"visitor event -> operator push latency: p50 {percentile(latencies, 0.5):.1f} ms, "
            f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies, default=float('nan')):.1f} ms "
            f"({len(latencies)} samples at {min(options.measuring, len(operators))} operators, "
            f"mean {mean:.1f} ms)"
        )
        print(
            f"probe request round trip: p50 {percentile(rtts, 0.5):.1f} ms, "
            f"p99 {percentile(rtts, 0.99):.1f} ms; "
            f"benchmark loop lag p99 {percentile(bench_lags, 0.99):.1f} ms, "
            f"max {max(bench_lags, default=0):.1f} ms"
        )
        print(
            f"server RSS: {rss_idle / 2**20:.0f} MB idle, {rss_peak / 2**20:.0f} MB peak under load "
            f"({(rss_peak - rss_idle) / max(online, 1) / 1024:.1f} KB per visitor online); "
            f"server CPU {cpu:.0f}% of one core ({other_cpu}; 2 cores in all)"
        )
        cpu_seconds = sum(w[1] for w in windows)
        loop_seconds = sum(w[2] for w in windows)
        print(
            f"server CPU per delivered visitor state: {cpu_seconds / max(updates, 1) * 1e6:.0f} µs, "
            f"per push {cpu_seconds / max(frames, 1) * 1e6:.0f} µs, of which its loop thread "
            f"{loop_seconds / max(frames, 1) * 1e6:.0f} µs "
            f"(CPU time, which other load on the machine moves less than latencies); "
            f"per state in each {WINDOW:.0f} s window: "
            + ", ".join(f"{cpu / max(n, 1) * 1e6:.0f}" for _, cpu, _, n, _ in windows)
            + "; loop thread per push: "
            + ", ".join(f"{loop / max(n, 1) * 1e6:.0f}" for _, _, loop, _, n in windows)
        )
        server_log.flush()
        stats = [line for line in (data / "server.log").read_text().splitlines() if "stats: " in line]
        measured = stats[-int(options.seconds // 5) :]
        for line in measured:
            print("  server " + line.split("stats: ", 1)[1])
        for op in operators:
            await op.ws.close()
        await asyncio.gather(*readers, return_exceptions=True)
        windows_found = [(float(m[1]), float(m[2])) for m in map(STATS_FIGURES.search, measured) if m]
        return Figures(
            pushes_per_second=rate,
            p50=percentile(latencies, 0.5),
            p99=percentile(latencies, 0.99),
            cpu_per_push=cpu_seconds / max(frames, 1) * 1e6,
            loop_cpu_per_push=loop_seconds / max(frames, 1) * 1e6,
            loop_lag_p99=max((lag for lag, _ in windows_found), default=float("nan")),
            db_batch_max=max((batch for _, batch in windows_found), default=float("nan")),
            load=load_before,
        )
    finally:
        for process in (*simulators, server):
            await end_process(process)


COMPARED = (
    ("pushes/s", "pushes_per_second", "{:,.0f}"),
    ("push p50 ms", "p50", "{:.1f}"),
    ("push p99 ms", "p99", "{:.1f}"),
    ("CPU/push µs", "cpu_per_push", "{:.0f}"),
    ("loop CPU/push µs", "loop_cpu_per_push", "{:.0f}"),
    ("loop lag p99 ms (worst 5 s)", "loop_lag_p99", "{:.1f}"),
    ("db batch max ms", "db_batch_max", "{:.1f}"),
    ("load", "load", "{:.1f}"),
)


async def compare(options: Options, baseline: Path, rounds: int) -> None:
    """The baseline server and this one, one run after the other, ``rounds`` times; then each figure
    of both and the ratio of their medians (this / baseline). Alternating spreads what the rest of the
    machine does over both alike."""
    runs: dict[str, list[Figures]] = {"baseline": [], "this": []}
    for round_ in range(1, rounds + 1):
        for name, source in (("baseline", baseline), ("this", options.server_src)):
            print(f"=== {name} ({source or 'this checkout'}), round {round_} of {rounds}", flush=True)
            runs[name].append(await measure(dataclasses.replace(options, server_src=source)))
    print(f"\n=== {rounds} rounds, baseline {baseline} against {options.server_src or 'this checkout'}")
    print(f"{'':30}" + "".join(f"{f'{name} {n}':>12}" for name in runs for n in range(1, rounds + 1))
          + f"{'ratio of medians':>18}")
    for title, field_name, form in COMPARED:
        values = {name: [getattr(figures, field_name) for figures in runs[name]] for name in runs}
        medians = {name: statistics.median(values[name]) for name in runs}
        ratio = medians["this"] / medians["baseline"] if medians["baseline"] else float("nan")
        cells = "".join(f"{form.format(v):>12}" for name in runs for v in values[name])
        print(f"{title:30}{cells}{'' if field_name == 'load' else f'{ratio:>17.2f}x'}")


async def end_process(process: asyncio.subprocess.Process) -> None:
    """Ask a process to end (the server logs its last figures), and kill it if it will not."""
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think-min", type=float, default=1.0)
    parser.add_argument("--think-max", type=float, default=3.0)
    parser.add_argument(
        "--sim-nice",
        type=int,
        default=0,
        help="run the simulator (the visitors' browsers, elsewhere in real life) at this nice level",
    )
    parser.add_argument("--operators", type=int, default=5, help="operator sessions subscribed")
    parser.add_argument(
        "--coalesce-ms",
        type=int,
        default=None,
        help="subscribe as a feed coalesced every this many ms (default: a visitor.upsert per change)",
    )
    parser.add_argument(
        "--ramp-seconds",
        type=float,
        default=300,
        help="how long to wait for every visitor to be online before measuring",
    )
    parser.add_argument(
        "--settle-seconds",
        type=float,
        default=10,
        help="how long to wait once every visitor is online before measuring",
    )
    parser.add_argument(
        "--server-src",
        type=Path,
        default=None,
        help="run the server from this source folder of another checkout (a baseline), not this one's",
    )
    parser.add_argument(
        "--measuring",
        type=int,
        default=5,
        help="how many of the operators time the probes (the others only count what they receive)",
    )
    parser.add_argument(
        "--baseline-src",
        type=Path,
        default=None,
        help="also run the server of this source folder, alternately with this one, and print ratios",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --baseline-src: runs of each")
    args = parser.parse_args()
    run_options = Options(args.visitors, args.seconds, args.think_min, args.think_max, args.sim_nice,
                          args.operators, args.coalesce_ms, args.measuring, args.ramp_seconds,
                          args.settle_seconds, args.server_src)
    if args.baseline_src is None:
        asyncio.run(measure(run_options))
    else:
        asyncio.run(compare(run_options, args.baseline_src, args.rounds))
