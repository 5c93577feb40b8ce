"""Server under load: 2,000 simulated visitors, 5 subscribed operators. Prints figures, never asserts.

Three processes: the server (what is measured, started with ``serve --stats 5``), the simulator (the
2,000 visitors, each acting every 1-3 s: about 1,000 visitor events per second while the server answers
promptly, since each visitor waits for its answer), and this script (5 operator sessions and 20 probe
visitors). Latency is measured from just before a probe visitor's ``visitor.page`` is written to the
moment each operator's reader takes the ``visitor.upsert`` it causes; both ends live in this process, so
one monotonic clock times them. The probe's own request round trip and this process's loop lag are
printed too (a late reader inflates the figure), and the server's own load lines (loop lag, collector
pauses, requests and pushes per second, database queue) for the measured window.

    python benchmarks/server_bench.py [--visitors 2000] [--seconds 30] [--sim-nice 10]

``--sim-nice`` runs the simulator at a lower priority: in production the browsers are elsewhere, and on a
2-core machine the simulator's CPU otherwise competes with the server's. Other work on the machine moves
the figures a lot: note ``uptime`` and run it several times.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from websockets.asyncio.client import connect

PROBES = 20
PROBE_INTERVAL = 0.2
WINDOW = 5.0   # seconds: the server's CPU per push is printed for each window, to show whether it grows
OPERATOR_ACCOUNTS = ("supervisor", "lead", "operator", "supervisor", "lead")


async def spawn(*command: str, stderr: Any = asyncio.subprocess.DEVNULL) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE, stderr=stderr)


REQUEST_IDS = itertools.count(1)


async def request(ws, action: str, payload: dict) -> dict:
    request_id = f"b{next(REQUEST_IDS)}"
    await ws.send(json.dumps({"v": 1, "type": "req", "id": request_id, "action": action, "payload": payload}))
    while True:
        message = json.loads(await ws.recv())
        if message.get("type") == "res" and message.get("id") == request_id:
            return message


class Operator:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.frames = 0
        self.latencies: list[float] = []
        self.online: set[str] = set()

    async def read(self, sent_at: dict[str, int], counting: asyncio.Event) -> None:
        async for frame in self.ws:
            now = time.monotonic_ns()
            if counting.is_set():
                self.frames += 1
            if '"probe ' in frame:
                message = json.loads(frame)
                title = message["payload"]["visitor"]["page"]["title"]
                started = sent_at.get(title)
                if started is not None and counting.is_set():
                    self.latencies.append((now - started) / 1e6)
            elif counting.is_set():
                continue  # while measuring, parse only the probes: this process must not be the bottleneck
            elif '"visitor.left"' in frame:
                self.online.discard(json.loads(frame)["payload"]["visitor_id"])
            elif '"visitor.upsert"' in frame:
                self.online.add(json.loads(frame)["payload"]["visitor"]["id"])


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
    async with connect(url) as ws:
        await request(ws, "visitor.hello", {"page": {"url": "http://shop.example/", "title": "probe"}})
        for n in itertools.count():
            if stop.is_set():
                return
            title = f"probe {index} {n}"
            started = sent_at[title] = time.monotonic_ns()
            await request(ws, "visitor.page", {"url": "http://shop.example/p", "title": title})
            if counting.is_set():
                rtts.append((time.monotonic_ns() - started) / 1e6)
            await asyncio.sleep(PROBE_INTERVAL)


def server_cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


async def main(visitors: int, seconds: float, think_min: float, think_max: float, sim_nice: int) -> None:
    data = Path(tempfile.mkdtemp(prefix="server-bench-"))
    server_log = (data / "server.log").open("wb")
    # The probes change page five times a second, to have many samples: more than any visitor may
    # (2 a second, docs/server.md "Rates"). Their rate is raised here so that they measure the push path,
    # not the rate limit; every other limit is the default.
    config = data / "bench.toml"
    config.write_text("[limits]\npages_per_second = 10.0\npages_burst = 50\n")
    server = await spawn(
        sys.executable,
        "-m",
        "operator_desk.server.cli",
        "--log-level",
        "INFO",
        "serve",
        "--stats",
        "5",
        "--data",
        str(data),
        "--demo",
        "--config",
        str(config),
        "--port",
        "0",
        stderr=server_log,
    )
    simulator = None
    try:
        while not (line := (await server.stdout.readline()).decode()).startswith("listening on "):
            if not line:
                raise SystemExit("the server did not start")
        base = line.split()[-1]
        server_proc = psutil.Process(server.pid)
        rss_idle = server_proc.memory_info().rss
        simulator = await spawn(
            *(("nice", "-n", str(sim_nice)) if sim_nice else ()),
            sys.executable,
            "-m",
            "operator_desk.server.simulator",
            "--url",
            base + "/v1/visitor",
            "-n",
            str(visitors),
            "--think-min",
            str(think_min),
            "--think-max",
            str(think_max),
        )
        counting, stop = asyncio.Event(), asyncio.Event()
        sent_at: dict[str, int] = {}
        operators = []
        for account in OPERATOR_ACCOUNTS:
            ws = await connect(base + "/v1/operator", max_size=2**24, max_queue=None, compression=None)
            await request(ws, "auth.login", {"username": account, "password": "demo"})
            await request(ws, "visitors.subscribe", {})
            operators.append(Operator(ws))
        readers = [asyncio.create_task(op.read(sent_at, counting)) for op in operators]
        ramp_start = time.monotonic()
        while len(operators[0].online) < visitors and time.monotonic() - ramp_start < 120:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        ramp = time.monotonic() - ramp_start
        rtts: list[float] = []
        bench_lags: list[float] = []
        probes = [
            asyncio.create_task(probe(base + "/v1/visitor", i, sent_at, rtts, counting, stop))
            for i in range(PROBES)
        ]
        probes.append(asyncio.create_task(loop_lag(bench_lags, counting, stop)))
        await asyncio.sleep(2)
        others = {"simulator": psutil.Process(simulator.pid), "benchmark": psutil.Process()}
        for process in (server_proc, *others.values()):
            process.cpu_percent()
        counting.set()
        started = time.monotonic()
        rss_peak = 0
        windows: list[tuple[float, float, int]] = []   # (seconds, server CPU seconds, pushes delivered)
        window_start, cpu_start, frames_start = started, server_cpu(server_proc), 0
        while time.monotonic() - started < seconds:
            await asyncio.sleep(1)
            rss_peak = max(rss_peak, server_proc.memory_info().rss)
            now = time.monotonic()
            if now - window_start >= WINDOW or now - started >= seconds:
                cpu_now, frames_now = server_cpu(server_proc), sum(op.frames for op in operators)
                windows.append((now - window_start, cpu_now - cpu_start, frames_now - frames_start))
                window_start, cpu_start, frames_start = now, cpu_now, frames_now
        elapsed = time.monotonic() - started
        counting.clear()
        cpu = server_proc.cpu_percent()
        other_cpu = ", ".join(f"{name} {process.cpu_percent():.0f}%" for name, process in others.items())
        online = len(operators[0].online)
        stop.set()
        await asyncio.gather(*probes, return_exceptions=True)
        latencies = [v for op in operators for v in op.latencies]
        frames = sum(op.frames for op in operators)
        mean = statistics.fmean(latencies) if latencies else float("nan")
        print(f"visitors online (seen by an operator): {online} (target {visitors}, ramp {ramp:.1f} s)")
        print(f"operators subscribed: {len(operators)}; measured for {elapsed:.0f} s")
        rate = frames / elapsed
        print(f"pushes delivered: {rate:,.0f}/s in total ({rate / len(operators):,.0f}/s per operator)")
        print(
            f"visitor event -> operator push latency: p50 {percentile(latencies, 0.5):.1f} ms, "
            f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies, default=float('nan')):.1f} ms "
            f"({len(latencies)} samples, mean {mean:.1f} ms)"
        )
        print(
            f"probe request round trip: p50 {percentile(rtts, 0.5):.1f} ms, "
            f"p99 {percentile(rtts, 0.99):.1f} ms; "
            f"benchmark loop lag p99 {percentile(bench_lags, 0.99):.1f} ms, "
            f"max {max(bench_lags, default=0):.1f} ms"
        )
        print(
            f"server RSS: {rss_idle / 2**20:.0f} MB idle, {rss_peak / 2**20:.0f} MB peak under load; "
            f"server CPU {cpu:.0f}% of one core ({other_cpu}; 2 cores in all)"
        )
        cpu_seconds = sum(w[1] for w in windows)
        print(
            f"server CPU per delivered push: {cpu_seconds / max(frames, 1) * 1e6:.0f} µs "
            f"(CPU time, which other load on the machine moves less than latencies); "
            f"per {WINDOW:.0f} s window: "
            + ", ".join(f"{cpu / max(n, 1) * 1e6:.0f}" for _, cpu, n in windows)
        )
        server_log.flush()
        stats = [line for line in (data / "server.log").read_text().splitlines() if "stats: " in line]
        for line in stats[-int(seconds // 5) :]:
            print("  server " + line.split("stats: ", 1)[1])
        for op in operators:
            await op.ws.close()
        await asyncio.gather(*readers, return_exceptions=True)
    finally:
        for process in (simulator, server):
            if process is not None and process.returncode is None:
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
    args = parser.parse_args()
    asyncio.run(main(args.visitors, args.seconds, args.think_min, args.think_max, args.sim_nice))
