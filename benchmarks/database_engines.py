"""The server's database worker on its two engines, in one run: the SQLCipher file (the baseline) and
PostgreSQL (a cluster of its own, started here as the tests start theirs: tests/kit/postgres.py).

What is timed is what a busy node asks of its database: stored writes that requests wait for (messages
of many chats at once, each awaited as ``chat.send`` awaits it: group commit), then reads of whole
transcripts. Prints figures and ratios; never asserts.

    python benchmarks/database_engines.py                    # 4,000 messages, 100 chats
    python benchmarks/database_engines.py --messages 20000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tests.kit

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Author, Chat, ChatState, Message
from operator_desk.server import repository
from operator_desk.server.db import Database
from operator_desk.server.hub import new_id
from tests.kit.postgres import start_cluster

CONCURRENT = 50  # requests in flight at once, each waiting for its write to be committed


async def run(db: Database, messages: int, chats: int) -> dict[str, float]:
    at = now_ts()
    chat_ids = [new_id("chat") for _ in range(chats)]
    for n, chat_id in enumerate(chat_ids):
        visitor_id = f"v_{n}"
        await db.call(repository.create_visitor, visitor_id, new_id("tok"), at, "en")
        await db.call(repository.save_chat, Chat(id=chat_id, visitor_id=visitor_id, state=ChatState.ACTIVE,
                                                 operator_id=None, started_at=at))
    latencies: list[float] = []

    async def send(n: int) -> None:
        message = Message(id=new_id("msg"), chat_id=chat_ids[n % chats], client_msg_id=f"c{n}",
                          author=Author.VISITOR, author_name="", text=f"message {n} " + "x" * 120,
                          at=now_ts())
        started = time.perf_counter()
        await asyncio.wrap_future(db.write(repository.add_message, message))
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    cpu = time.process_time()
    for first in range(0, messages, CONCURRENT):
        await asyncio.gather(*(send(n) for n in range(first, min(first + CONCURRENT, messages))))
    write_seconds = time.perf_counter() - started
    write_cpu = time.process_time() - cpu
    started = time.perf_counter()
    for chat_id in chat_ids:
        await db.call(repository.messages_of, chat_id)
    read_seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "writes/s": messages / write_seconds,
        "write p50 ms": statistics.median(latencies) * 1e3,
        "write p99 ms": latencies[int(len(latencies) * 0.99) - 1] * 1e3,
        "client CPU per write us": write_cpu / messages * 1e6,
        "transcripts/s": chats / read_seconds,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--chats", type=int, default=100)
    options = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min), "
          f"{options.messages} messages in {options.chats} chats, {CONCURRENT} in flight")
    # PostgreSQL as it is run: every commit flushed to disk (SQLCipher runs synchronous=NORMAL: a commit
    # survives the process, not a power cut, so its figures are the less durable of the two).
    cluster = start_cluster(durable=True)
    try:
        results: dict[str, dict[str, float]] = {}
        with tempfile.TemporaryDirectory() as folder:
            for engine, database in (("sqlcipher", None), ("postgresql", cluster.fresh())):
                db = await asyncio.to_thread(Database.open, Path(folder) / engine, None, database)
                try:
                    results[engine] = await run(db, options.messages, options.chats)
                finally:
                    await db.close()
    finally:
        cluster.stop()
    base = results["sqlcipher"]
    print(f"{'figure':26} {'sqlcipher':>12} {'postgresql':>12} {'ratio':>8}")
    for name, value in base.items():
        other = results["postgresql"][name]
        print(f"{name:26} {value:12.1f} {other:12.1f} {other / value:8.2f}")
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
