"""What sharing the limits over the nodes of a site costs a node (issue 17; docs/scaling.md, "Limits
across nodes"): the guard's decisions for visitors' page views (each a frame on its connection and
address, then the visitor's "pages" class) made alone, in memory (the baseline), then with the site's
buckets in a real Redis (``shared_limits.py``: a lease at a time), in one run, on the same requests.
Prints the node's CPU per request, the Redis calls per request and redis-server's CPU per request, and
the ratios to the baseline; never asserts.

    python benchmarks/shared_limits_bench.py [--visitors 2000] [--requests 200000] [--repeat 3]
        [--concurrency 1,20]

The visitors take turns (one request each, round after round), each from an address of its own, under
the default bursts (so the default lease sizes) with rates that refuse nothing: the cost of the everyday
path, not of a flood. ``--concurrency`` runs that many requests at once (as the server handles frames of
many connections in one loop step, whose leases go to Redis in one call), each value a layout of its
own. redis-server comes from Debian (``tests/kit/redis.py`` starts it on a socket of its own).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import psutil
import redis.asyncio as redis_asyncio

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
from operator_desk.server.config import Limits
from operator_desk.server.guard import Guard
from operator_desk.server.shared_limits import SharedLimits
from operator_desk.server.sockets import Sockets
from tests.kit.redis import RedisServer

# Nothing refused: the rates far above what the run asks; the bursts (and so the leases) the defaults.
ROOMY = Limits(requests_per_second=1e6, address_requests_per_second=1e6, pages_per_second=1e6)


async def run(guard: Guard, visitors: int, requests: int, concurrency: int) -> float:
    """The requests through the guard, ``concurrency`` at a time; returns this process's CPU seconds."""
    budgets = [guard.budget(f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}") for n in range(visitors)]
    ids = [f"v_{n:08x}" for n in range(visitors)]

    async def requester(first: int) -> None:
        for n in range(first, requests, concurrency):
            budget = budgets[n % visitors]
            waiting = guard.admit_frame(budget)
            if waiting is not None:
                await waiting
            waiting = guard.admit_action(budget, "visitor.page", ids[n % visitors])
            if waiting is not None:
                await waiting

    started = time.process_time()
    await asyncio.gather(*(requester(first) for first in range(concurrency)))
    return time.process_time() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", default="1,20")
    args = parser.parse_args()
    redis_server = RedisServer(Path(tempfile.mkdtemp(prefix="shared-limits-bench-"))).start()
    redis_process = psutil.Process(redis_server._process.pid)  # type: ignore[union-attr]
    client = redis_asyncio.Redis.from_url(redis_server.url)
    print(f"{args.visitors} visitors, {args.requests} page views a pass, {args.repeat} passes (medians)")
    try:
        for concurrency in [int(value) for value in args.concurrency.split(",")]:
            alone_cpu, site_cpu, redis_cpu, asked = [], [], [], []
            for _ in range(args.repeat):
                alone = Guard(ROOMY, Sockets(ROOMY, (), 1024))
                alone_cpu.append(await run(alone, args.visitors, args.requests, concurrency))
                await client.flushall()
                shared = SharedLimits(client, "bench", "a")
                on_site = Guard(ROOMY, Sockets(ROOMY, (), 1024), shared=shared)
                before = redis_process.cpu_times()
                site_cpu.append(await run(on_site, args.visitors, args.requests, concurrency))
                after = redis_process.cpu_times()
                redis_cpu.append(after.user + after.system - before.user - before.system)
                asked.append(shared.asked)
            per = 1e6 / args.requests
            alone_us, site_us = statistics.median(alone_cpu) * per, statistics.median(site_cpu) * per
            print(f"{concurrency} at a time; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            print(f"  alone (baseline): {alone_us:.2f} us of the node's CPU per request")
            print(f"  site buckets in Redis: {site_us:.2f} us per request ({site_us / alone_us:.2f}x), "
                  f"{statistics.median(asked) / args.requests:.3f} Redis calls per request, "
                  f"redis-server {statistics.median(redis_cpu) * per:.2f} us per request")
    finally:
        await client.aclose()
        redis_server.stop()

if __name__ == "__main__":
    asyncio.run(main())
