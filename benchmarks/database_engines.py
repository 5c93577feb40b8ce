"""The server's database worker on its two engines, in one run: the SQLCipher file (the baseline) and
PostgreSQL (a cluster of its own, started here as the tests start theirs: tests/kit/postgres.py), the
latter twice: with personal fields sealed per person as the server runs it (server/sealing.py), and with
them in clear as before schema 120 (the sealer swapped for ``sealing.PLAIN``), the cost of sealing.

What is timed is what a busy node asks of its database: stored writes that requests wait for (messages
of many chats at once, each awaited as ``chat.send`` awaits it: group commit), then reads of whole
transcripts; then what staff and the webhook outbox add, sealed since schema 130 (m0130): a lead's
review of each chat with the audit entry of its view, the audit log read back a page at a time, and a
webhook body per chat queued and read back to be sent. Prints figures and ratios; never asserts.

    python benchmarks/database_engines.py                    # 4,000 messages, 100 chats
    python benchmarks/database_engines.py --messages 20000
    python benchmarks/database_engines.py --people 1000000   # the erasure's rewrite of person_keys

Last, what an erasure adds on PostgreSQL: the rewrite of the part of the key table that held the key
(``VACUUM FULL``, ``PostgresEngine.after_erasure``) with ``--people`` keys in the table.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tests.kit

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Author, Chat, ChatState, Message
from operator_desk.protocol.messages import Review
from operator_desk.server import repository, reviews, sealing
from operator_desk.server.db import Database
from operator_desk.server.hub import new_id
from operator_desk.server.postgresql import PostgresEngine
from operator_desk.server.webhooks import outbox, payloads
from tests.kit.postgres import start_cluster

CONCURRENT = 50  # requests in flight at once, each waiting for its write to be committed
READ_ROUNDS = 5  # each chat's transcript read this many times: one pass is too short to time


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
    for _ in range(READ_ROUNDS):
        for chat_id in chat_ids:
            await db.call(repository.messages_of, chat_id)
    read_seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "writes/s": messages / write_seconds,
        "write p50 ms": statistics.median(latencies) * 1e3,
        "write p99 ms": latencies[int(len(latencies) * 0.99) - 1] * 1e3,
        "client CPU per write us": write_cpu / messages * 1e6,
        "transcripts/s": chats * READ_ROUNDS / read_seconds,
        **await staff_and_outbox(db, chat_ids),
    }


# A webhook body of the size of a chat.ended of 12 messages (docs/webhooks.md: 3.0 KB).
BODY_TEXT = "y" * 2900


FIELD_ROUNDS = 2000


def field_cost(conn: Any, size: int) -> float:
    """CPU microseconds (the worker thread's) to seal a field of ``size`` bytes and open it again, the
    person's key at hand: the cost each sealed field adds, a figure that holds on a loaded machine
    better than rates do."""
    seal, text = sealing.of(conn), "w" * size
    seal.open(conn, "v_0", "reviews.note", seal.seal(conn, "v_0", "reviews.note", text))  # the key read
    started = time.thread_time()
    for _ in range(FIELD_ROUNDS):
        seal.open(conn, "v_0", "reviews.note", seal.seal(conn, "v_0", "reviews.note", text))
    return (time.thread_time() - started) / FIELD_ROUNDS * 1e6


async def staff_and_outbox(db: Database, chat_ids: list[str]) -> dict[str, float]:
    """Per chat (its visitor ``v_<n>``): a review and the audit entry of the lead's view, stored as the
    request waits for it, READ_ROUNDS times; the audit log read back 100 entries a page; then a webhook
    body queued and read back (opened) to be sent."""
    def review_and_view(conn: Any, n: int, chat_id: str) -> None:
        at = now_ts()
        reviews.add(conn, Review(id=new_id("rev"), chat_id=chat_id, author_name="Lee", rating=4,
                                 note=f"note {n} " + "z" * 200, at=at))
        repository.audit(conn, at, "op_bench", "transcripts.get", f"v_{n % len(chat_ids)}",
                         {"chat_id": chat_id})

    writes = [(n, chat_ids[n % len(chat_ids)]) for n in range(len(chat_ids) * READ_ROUNDS)]
    started, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(writes), CONCURRENT):
        await asyncio.gather(*(asyncio.wrap_future(db.write(review_and_view, n, chat_id))
                               for n, chat_id in writes[first:first + CONCURRENT]))
    staff_seconds, staff_cpu = time.perf_counter() - started, time.process_time() - cpu

    started = time.perf_counter()
    entries, before = 0, None
    while True:
        page, before = await db.call(lambda conn, b=before: repository.audit_page(conn, before=b, limit=100))
        entries += len(page)
        if before is None:
            break
    audit_seconds = time.perf_counter() - started

    def queue(conn: Any, n: int) -> None:
        body = {"id": new_id("evt"), "type": "chat.ended", "person": f"p_{n}", "occurred_at": now_ts(),
                "sections": [{"purpose": "chat", "data": {"text": f"{n} {BODY_TEXT}"}}]}
        stored = outbox.stored_body(conn, f"v_{n}", payloads.encode(body))
        conn.execute("INSERT INTO webhook_outbox (event_id, receiver, kind, person, visitor_id, body, "
                     "created_at) VALUES (?, 'bench', 'chat.ended', ?, ?, ?, ?)",
                     (body["id"], body["person"], f"v_{n}", stored, body["occurred_at"]))

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(asyncio.wrap_future(db.write(queue, n)) for n in range(len(chat_ids))))
    due = await db.call(outbox.due, "bench", time.time(), len(chat_ids))
    outbox_seconds, outbox_cpu = time.perf_counter() - started, time.process_time() - cpu
    opened = sum(1 for item in due if item.body is not None and BODY_TEXT in item.body.decode())
    note_us = await db.call(field_cost, 200)
    body_us = await db.call(field_cost, 3000)
    return {
        "CPU seal+open 200 B us": note_us,
        "CPU seal+open 3 KB us": body_us,
        "review+audit writes/s": len(writes) / staff_seconds,
        "CPU per review+audit us": staff_cpu / len(writes) * 1e6,
        "audit entries read/s": entries / audit_seconds,
        "webhook bodies/s": opened / outbox_seconds,
        "CPU per webhook body us": outbox_cpu / max(opened, 1) * 1e6,
    }



async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--people", type=int, default=100_000, help="person keys when one is erased")
    options = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min), "
          f"{options.messages} messages in {options.chats} chats, {CONCURRENT} in flight")
    # PostgreSQL as it is run: every commit flushed to disk (SQLCipher runs synchronous=NORMAL: a commit
    # survives the process, not a power cut, so its figures are the less durable of the two).
    cluster = start_cluster(durable=True)
    try:
        results: dict[str, dict[str, float]] = {}
        with tempfile.TemporaryDirectory() as folder:
            for engine in ENGINES:
                db = await asyncio.to_thread(open_engine, engine, cluster, Path(folder))
                try:
                    results[engine] = await run(db, options.messages, options.chats)
                finally:
                    await db.close()
            rewrite = await asyncio.to_thread(erasure_rewrite, cluster, Path(folder), options.people)
    finally:
        cluster.stop()
    sqlcipher, clear, sealed = (results[engine] for engine in ENGINES)
    print(f"{'figure':26} {'sqlcipher':>10} {'pg clear':>10} {'pg sealed':>10} {'sealed/clear':>13} "
          f"{'sealed/sqlcipher':>17}")
    for name, value in sqlcipher.items():
        print(f"{name:26} {value:10.1f} {clear[name]:10.1f} {sealed[name]:10.1f} "
              f"{sealed[name] / clear[name]:13.2f} {sealed[name] / value:17.2f}")
    print(f"an erasure's rewrite of its part of person_keys with {options.people:,} people: "
          f"{rewrite * 1e3:.0f} ms")
    print(f"load average after {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")


def erasure_rewrite(cluster: Any, folder: Path, people: int) -> float:
    """Seconds that one erasure's ``after_erasure`` takes with ``people`` keys stored (blocking)."""
    engine = PostgresEngine.open(cluster.fresh(), folder / "erasure")
    conn = engine.acquire()
    try:
        conn.raw.execute("INSERT INTO visitors (id, token_sha256, created_at, last_seen) "
                         "SELECT 'v' || n, 't' || n, '', '' FROM generate_series(1, %s) n", (people,))
        # Wrapped keys are 60 bytes (nonce, key, tag): two SHA-256 digests stand in for them.
        conn.raw.execute("INSERT INTO person_keys (visitor_id, wrapped) SELECT 'v' || n, "
                         "sha256(n::text::bytea) || sha256(('k' || n)::bytea) FROM generate_series(1, %s) n",
                         (people,))
        started = time.perf_counter()
        engine.sealer.forget(conn, ["v1"])  # as subjects.erase does, before the delete
        conn.raw.execute("DELETE FROM visitors WHERE id = 'v1'")
        engine.after_erasure(conn)
        return time.perf_counter() - started
    finally:
        engine.release(conn)
        engine.close()


ENGINES = ("sqlcipher", "postgresql clear", "postgresql sealed")


def open_engine(engine: str, cluster: Any, folder: Path) -> Database:
    """The worker on ``engine`` (blocking)."""
    if engine == "sqlcipher":
        return Database.open(folder / "sqlcipher")
    postgres = PostgresEngine.open(cluster.fresh(), folder / engine.replace(" ", "-"))
    if engine == "postgresql clear":
        postgres.sealer = sealing.PLAIN  # the fields stored as they were before schema 120
    return Database(postgres)


if __name__ == "__main__":
    asyncio.run(main())
