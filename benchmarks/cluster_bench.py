"""One site's server on one node and on several, in one run (issue 17): pushes per second, push latency
and CPU per push per node, on each layout in turn with the same visitors, operators and probes, then the
time an operator takes to be back after its node is killed. Prints figures; never asserts.

Layouts, in this order (the first is the baseline every ratio is taken against):

1. one node on its SQLCipher file (today's default);
2. one node on PostgreSQL (a cluster of its own, every commit flushed: tests/kit/postgres.py);
3. two nodes, then three, on that PostgreSQL database and one Redis bus (``serve --bus``), the visitors,
   operators and probes spread evenly over the nodes: a probe's change on one node reaches operators on
   every node.

Each node, each simulator (``--visitors`` shared out among the nodes, at ``--sim-nice``), Redis and
PostgreSQL are processes of their own, so each one's CPU is its own; this script holds the operator
sessions and the probes (``server_bench.py``'s, whose docstring says how latency is timed). The machine
has two cores: raw throughput says little, so the figures are CPU per push, per node and in all, and what
one core carries at that cost. Failover (with two nodes or more): an operator signed in on the last node,
which is killed with SIGKILL; the operator signs in again on the first node with ``resume`` (its token,
its session and the last seq it took), and the times from the kill to the answer (``resumed`` true or
false), to the state rebuilt (a refused resume subscribes again and takes the snapshot) and to the first
push after are printed.

    python benchmarks/cluster_bench.py [--visitors 2000] [--operators 6] [--seconds 20] [--sim-nice 10]
        [--nodes 1,2,3] [--skip-sqlcipher]

Without ``serve --bus`` in this checkout (the several-nodes work not landed), or without redis-server,
only the one-node layouts run, and a line says so. PostgreSQL comes from Debian's ``postgresql`` package
(as root it runs as the ``postgres`` user, as in the tests).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from websockets.asyncio.client import connect

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
import server_bench as bench
from tests.kit.clients import AsyncClient

OPERATOR_ACCOUNTS = bench.OPERATOR_ACCOUNTS


@dataclass(frozen=True)
class Layout:
    name: str
    nodes: int
    postgresql: bool
    bus: bool


@dataclass
class Node:
    process: asyncio.subprocess.Process
    base: str
    data: Path
    psutil: psutil.Process
    simulators: list[asyncio.subprocess.Process] = field(default_factory=list)


@dataclass(frozen=True)
class Options:
    visitors: int
    operators: int
    seconds: float
    sim_nice: int
    think_min: float
    think_max: float
    ramp_seconds: float
    settle_seconds: float


def serve_has_bus() -> bool:
    """Whether this checkout's ``serve`` takes ``--bus`` (the several-nodes work, issue 17 item 3)."""
    usage = subprocess.run([sys.executable, "-m", "operator_desk.server.cli", "serve", "--help"],
                           capture_output=True, text=True, check=False).stdout
    return "--bus" in usage


def node_config(data: Path, options: Options) -> Path:
    """``server_bench.py``'s: the probes may change page more often than a visitor may, and the
    operator sessions and probes, all from this machine, may be more sockets than one address may open."""
    config = data / "bench.toml"
    sockets = options.operators + bench.PROBES + 8
    config.write_text("[limits]\npages_per_second = 10.0\npages_burst = 50\n"
                      + (f"connections_per_address = {sockets}\n" if sockets > 64 else ""))
    return config


async def start_node(folder: Path, index: int, options: Options, database: str | None,
                     bus: str | None) -> Node:
    data = folder / f"node{index}"
    data.mkdir()
    command = [sys.executable, "-m", "operator_desk.server.cli", "--log-level", "INFO", "serve",
               "--stats", "5", "--data", str(data), "--demo", "--config", str(node_config(data, options)),
               "--port", "0"]
    if database is not None:
        command += ["--database", database]
    if bus is not None:
        command += ["--bus", bus]
    if database is not None and index > 1:
        # Every node of a site seals with the same key file: the first node's (docs/scaling.md).
        command += ["--key-file", str(folder / "node1" / "server.key")]
    log = (data / "server.log").open("wb")
    process = await bench.spawn(*command, stderr=log)
    while not (line := (await process.stdout.readline()).decode()).startswith("listening on "):
        if not line:
            raise SystemExit(f"node {index} did not start: see {data / 'server.log'}")
    return Node(process, line.split()[-1], data, psutil.Process(process.pid))


def cpu_of(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            total += bench.server_cpu(process)[0]  # the whole process, every thread
        except psutil.NoSuchProcess:
            pass
    return total


def postgres_processes(cluster: object | None) -> list[psutil.Process]:
    """The PostgreSQL server and its backends (their CPU is the database's share of a push)."""
    if cluster is None:
        return []
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])  # type: ignore[attr-defined]
    root = psutil.Process(postmaster)
    return [root, *root.children(recursive=True)]


def redis_processes(url: str) -> list[psutil.Process]:
    """This run's redis-server: its socket is in the command line (other engineers' tests run their
    own). Only processes named redis-server: the nodes name the socket too (``--bus unix://…``)."""
    socket_path = url.removeprefix("unix://")
    return [p for p in psutil.process_iter(["name", "cmdline"])
            if p.info["name"] == "redis-server" and socket_path in " ".join(p.info["cmdline"] or ())]


@dataclass
class Measured:
    layout: Layout
    online: int
    seconds: float
    pushes: int
    states: int
    latencies: list[float]
    node_cpu: list[float]          # CPU seconds of each node while measuring
    node_pushes: list[int]         # pushes delivered to the operators connected to each node
    database_cpu: float
    bus_cpu: float
    load: tuple[float, float]


async def measure(layout: Layout, nodes: list[Node], options: Options,
                  services: Callable[[], dict[str, list[psutil.Process]]]) -> Measured:
    share, extra = divmod(options.visitors, len(nodes))
    for n, node in enumerate(nodes):
        sim_options = bench.Options(share + (n < extra), options.seconds, options.think_min,
                                    options.think_max, options.sim_nice, 0, None, 0, 0, 0)
        node.simulators = await bench.start_simulators(node.base, sim_options)
    counting, stop_probes = asyncio.Event(), asyncio.Event()
    sent_at: dict[str, int] = {}
    operators: list[tuple[int, bench.Operator]] = []   # (node index, session)
    accounts = itertools.islice(itertools.cycle(OPERATOR_ACCOUNTS), options.operators)
    for index, account in enumerate(accounts):
        at = index % len(nodes)
        ws = await connect(nodes[at].base + "/v1/operator", max_size=2**24, max_queue=None, compression=None)
        await bench.request(ws, "auth.login", {"username": account, "password": "demo"})
        await bench.request(ws, "visitors.subscribe", {})
        operators.append((at, bench.Operator(ws, measures=True, follows_online=index == 0)))
    readers = [asyncio.create_task(op.read(sent_at, counting)) for _, op in operators]
    first = operators[0][1]
    ramp_start = time.monotonic()
    while (len(first.online) < 0.98 * options.visitors  # noqa: ASYNC110 - polled, as server_bench does
           and time.monotonic() - ramp_start < options.ramp_seconds):
        await asyncio.sleep(0.5)
    if len(first.online) < 0.98 * options.visitors:
        print(f"  NOT all online: {len(first.online)} of {options.visitors} after "
              f"{time.monotonic() - ramp_start:.0f} s; measured all the same")
    probes = [asyncio.create_task(bench.probe(nodes[i % len(nodes)].base + "/v1/visitor", i, sent_at, [],
                                              counting, stop_probes))
              for i in range(bench.PROBES)]
    await asyncio.sleep(options.settle_seconds)
    node_procs = [node.psutil for node in nodes]
    others = services()   # now: the database's backends for the nodes' pools are open by this time
    cpu_before = [cpu_of([p]) for p in node_procs]
    database_before = cpu_of(others["database"])
    bus_before = cpu_of(others["bus"])
    load_before = os.getloadavg()[0]
    counting.set()
    started = time.monotonic()
    await asyncio.sleep(options.seconds)
    elapsed = time.monotonic() - started
    counting.clear()
    node_cpu = [cpu_of([p]) - before for p, before in zip(node_procs, cpu_before, strict=True)]
    database_cpu = cpu_of(others["database"]) - database_before
    bus_cpu = cpu_of(others["bus"]) - bus_before
    online = len(first.online)
    stop_probes.set()
    await asyncio.gather(*probes, return_exceptions=True)
    node_pushes = [sum(op.frames for at, op in operators if at == n) for n in range(len(nodes))]
    for _, op in operators:
        await op.ws.close()
    await asyncio.gather(*readers, return_exceptions=True)
    for node in nodes:
        for simulator in node.simulators:
            await bench.end_process(simulator)
    return Measured(layout, online, elapsed, sum(node_pushes), sum(op.updates for _, op in operators),
                    [v for _, op in operators for v in op.latencies], node_cpu, node_pushes, database_cpu,
                    bus_cpu, (load_before, os.getloadavg()[0]))


def report(m: Measured, baseline: Measured | None) -> None:
    rate = m.pushes / m.seconds
    server_cpu = sum(m.node_cpu)
    per_push = server_cpu / max(m.pushes, 1) * 1e6
    cores = server_cpu / m.seconds
    print(f"{m.layout.name}: {m.online} visitors online; load average {m.load[0]:.1f} -> {m.load[1]:.1f}")
    print(f"  pushes delivered {rate:,.0f}/s ({m.states / m.seconds:,.0f} visitor states/s); latency p50 "
          f"{bench.percentile(m.latencies, 0.5):.1f} ms, p99 {bench.percentile(m.latencies, 0.99):.1f} ms "
          f"({len(m.latencies)} samples)")
    for n, (cpu, pushes) in enumerate(zip(m.node_cpu, m.node_pushes, strict=True)):
        print(f"  node {n + 1}: CPU {cpu / m.seconds * 100:.0f}% of a core, "
              f"{pushes / m.seconds:,.0f} pushes/s to its operators, "
              f"{cpu / max(pushes, 1) * 1e6:.0f} µs of its CPU per push it delivered")
    extra = ""
    if m.layout.postgresql:
        extra += f"; PostgreSQL {m.database_cpu / m.seconds * 100:.0f}% of a core"
    if m.layout.bus:
        extra += f"; Redis {m.bus_cpu / m.seconds * 100:.0f}% of a core"
    print(f"  all nodes: {cores * 100:.0f}% of a core, {per_push:.0f} µs per push delivered{extra}")
    with_services = (server_cpu + m.database_cpu + m.bus_cpu) / max(m.pushes, 1) * 1e6
    print(f"  per core: {1e6 / max(per_push, 1e-9):,.0f} pushes/s at the nodes' cost alone, "
          f"{1e6 / max(with_services, 1e-9):,.0f}/s with the database and bus counted; "
          f"{m.online / max(cores, 1e-9):,.0f} visitors per core of the nodes at this activity")
    if baseline is not None and baseline is not m:
        base_per_push = sum(baseline.node_cpu) / max(baseline.pushes, 1) * 1e6
        print(f"  against {baseline.layout.name}: CPU per push {per_push / max(base_per_push, 1e-9):.2f}x, "
              f"p99 {bench.percentile(m.latencies, 0.99) / bench.percentile(baseline.latencies, 0.99):.2f}x")


async def failover(nodes: list[Node]) -> None:
    """An operator on the last node; that node killed; the operator back on the first node."""
    victim, survivor = nodes[-1], nodes[0]
    ws = await connect(victim.base + "/v1/operator", max_size=2**24, max_queue=None, compression=None)
    login = await bench.request(ws, "auth.login", {"username": "operator", "password": "demo"})
    await bench.request(ws, "visitors.subscribe", {})
    last_seq = 0
    visitor = await AsyncClient.connect(victim.base + "/v1/visitor")   # something to push about
    await visitor.ok("visitor.hello", {"page": {"url": "http://shop.example/", "title": "failover"}})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:   # take pushes for a moment: a seq to resume from
        try:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 1))
        except TimeoutError:
            break
        last_seq = max(last_seq, frame.get("seq") or 0)
        if last_seq:
            break
    await visitor.close()
    killed = time.monotonic()
    victim.process.send_signal(signal.SIGKILL)
    await victim.process.wait()
    lost = ws
    ws = await connect(survivor.base + "/v1/operator", max_size=2**24, max_queue=None, compression=None)
    answer = await bench.request(ws, "auth.login", {
        "token": login["payload"]["token"],
        "resume": {"session_id": login["payload"]["session_id"], "last_seq": last_seq}})
    answered = time.monotonic()
    if not answer.get("ok"):
        print(f"failover: the sign-in on the surviving node was refused: {answer.get('error')}")
        return
    resumed = answer["payload"]["resumed"]
    if not resumed:
        await bench.request(ws, "visitors.subscribe", {})
    rebuilt = time.monotonic()
    probe = await AsyncClient.connect(survivor.base + "/v1/visitor")
    await probe.ok("visitor.hello", {"page": {"url": "http://shop.example/", "title": "after failover"}})
    first_push = None
    try:
        async with asyncio.timeout(10):
            while first_push is None:
                if '"push"' in await ws.recv():
                    first_push = time.monotonic()
    except TimeoutError:
        pass
    await probe.close()
    await ws.close()
    lost.transport.abort()   # its node is gone: no closing handshake to wait for
    print(f"failover: node {len(nodes)} killed (SIGKILL) -> signed in again on node 1 in "
          f"{(answered - killed) * 1e3:.0f} ms (resumed: {str(resumed).lower()}), state rebuilt "
          f"{(rebuilt - killed) * 1e3:.0f} ms after the kill, first push "
          + (f"{(first_push - killed) * 1e3:.0f} ms after" if first_push else "not within 10 s"))


async def run_layout(layout: Layout, options: Options, cluster: object | None, redis_url: str | None
                     ) -> tuple[Measured, list[Node]]:
    folder = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    database = cluster.fresh() if layout.postgresql else None  # type: ignore[attr-defined]
    nodes: list[Node] = []
    for index in range(layout.nodes):   # one after another: the first migrates and adds the demo accounts
        nodes.append(await start_node(folder, index + 1, options, database,
                                      redis_url if layout.bus else None))

    def services() -> dict[str, list[psutil.Process]]:
        return {"database": postgres_processes(cluster) if layout.postgresql else [],
                "bus": redis_processes(redis_url) if layout.bus and redis_url else []}

    return await measure(layout, nodes, options, services), nodes


async def main(options: Options, node_counts: list[int], with_sqlcipher: bool) -> None:
    print(f"{options.visitors} visitors (each acting every {options.think_min:g}-{options.think_max:g} s), "
          f"{options.operators} operators subscribed to a visitor.upsert per change, {bench.PROBES} probes; "
          f"{options.seconds:g} s measured per layout; {os.cpu_count()} cores")
    has_bus = serve_has_bus()
    layouts = [Layout("one node, SQLCipher", 1, False, False)] if with_sqlcipher else []
    layouts.append(Layout("one node, PostgreSQL", 1, True, False))
    several = [n for n in node_counts if n > 1]
    redis = None
    if several and not has_bus:
        print("NOT measured: several nodes (this checkout's serve has no --bus yet)")
    elif several:
        try:
            from tests.kit.redis import RedisServer
            redis = RedisServer(Path(tempfile.mkdtemp(prefix="cluster-bench-redis-"))).start()
        except BaseException as exc:   # the kit skips (pytest's Skipped) without redis-server
            print(f"NOT measured: several nodes (no Redis: {exc})")
        else:
            layouts += [Layout(f"{n} nodes, PostgreSQL + Redis", n, True, True) for n in several]
    from tests.kit.postgres import start_cluster
    cluster = start_cluster(durable=True)
    results: list[Measured] = []
    try:
        for layout in layouts:
            measured, nodes = await run_layout(layout, options, cluster, redis.url if redis else None)
            results.append(measured)
            report(measured, results[0])
            try:
                if layout.bus and layout is layouts[-1]:
                    await failover(nodes)
            finally:
                for node in nodes:
                    await bench.end_process(node.process)
    finally:
        cluster.stop()
        if redis is not None:
            redis.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--operators", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--sim-nice", type=int, default=10)
    parser.add_argument("--think-min", type=float, default=1.0)
    parser.add_argument("--think-max", type=float, default=3.0)
    parser.add_argument("--ramp-seconds", type=float, default=120)
    parser.add_argument("--settle-seconds", type=float, default=5)
    parser.add_argument("--nodes", default="1,2,3", help="which several-node layouts to run besides one node")
    parser.add_argument("--skip-sqlcipher", action="store_true", help="leave out the SQLCipher baseline")
    args = parser.parse_args()
    counts = [int(n) for n in args.nodes.split(",") if n.strip()]
    asyncio.run(main(Options(args.visitors, args.operators, args.seconds, args.sim_nice, args.think_min,
                             args.think_max, args.ramp_seconds, args.settle_seconds),
                     counts, not args.skip_sqlcipher))
