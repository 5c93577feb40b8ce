"""What reading the bus first costs a visitor's hello on a node of several (issue 17): the hello's
``available`` is said once the node has read the bus up to its end (``Cluster.caught_up``: a Redis
round trip and the reader catching up), so that an operator who signed in or said a status on another
node a moment before counts. Two in-process nodes on one PostgreSQL database (tests/kit/postgres.py)
and one Redis (tests/kit/redis.py); an operator signed in on node B; hellos on node A, one at a time,
in rounds that alternate with the catch-up and without it (the baseline, the same process). Prints the
hello's p50 and p99 for each and their ratio, and the load average; never asserts.

    python benchmarks/cluster_hello.py [--hellos 300] [--rounds 6]

One run (20 s), 2 Dec 02:39 UTC, load 1.5-3.2, 900 hellos each way: without the catch-up p50 5.74 ms,
p99 11.5 ms; with it p50 6.06 ms (1.06x), p99 12.2 ms (1.06x), the connection included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
from operator_desk.server import dbfile
from operator_desk.server.cluster import Cluster
from tests.kit.clients import login
from tests.kit.cluster import started_nodes
from tests.kit.postgres import start_cluster
from tests.kit.redis import RedisServer
from tests.kit.servers import GENEROUS
from tests.kit.visitors import arrive


async def hellos(node, count: int) -> list[float]:
    """Seconds from connecting to the hello's answer, for ``count`` visitors one after the other."""
    times = []
    for _ in range(count):
        began = time.perf_counter()
        visitor = await arrive(node)
        times.append(time.perf_counter() - began)
        await visitor.close()
    return times


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


async def main(options: argparse.Namespace) -> None:
    cluster = start_cluster()
    redis = RedisServer(Path(tempfile.mkdtemp(prefix="cluster-hello-redis-"))).start()
    os.environ[dbfile.DATABASE_VARIABLE] = cluster.fresh()
    real = Cluster.caught_up

    async def skipped(self: Cluster) -> None:
        return None

    measured: dict[str, list[float]] = {"without the catch-up (baseline)": [], "with the catch-up": []}
    try:
        folder = Path(tempfile.mkdtemp(prefix="cluster-hello-"))
        async with started_nodes(folder, redis.url, limits=GENEROUS) as site:   # many hellos a second
            a, b = site
            ann = await login(b, "ann")
            await ann.ok("presence.set", {"status": "available"})
            await hellos(a, 20)   # warm up
            for round_number in range(options.rounds):
                with_catch_up = round_number % 2 == 1
                Cluster.caught_up = real if with_catch_up else skipped  # type: ignore[method-assign]
                key = "with the catch-up" if with_catch_up else "without the catch-up (baseline)"
                measured[key] += await hellos(a, options.hellos)
            Cluster.caught_up = real  # type: ignore[method-assign]
            await ann.close()
    finally:
        Cluster.caught_up = real  # type: ignore[method-assign]
        redis.stop()
        cluster.stop()
    baseline = measured["without the catch-up (baseline)"]
    for key, values in measured.items():
        p50, tail = statistics.median(values), p99(values)
        ratio50, ratio99 = p50 / statistics.median(baseline), tail / p99(baseline)
        print(f"{key}: {len(values)} hellos, p50 {p50 * 1000:.2f} ms ({ratio50:.2f}x), "
              f"p99 {tail * 1000:.2f} ms ({ratio99:.2f}x)")
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hellos", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=6)
    asyncio.run(main(parser.parse_args()))
