"""Figures for transcript review, the audit viewer and the daily report (issue 12).

Prints figures and never asserts. A real encrypted cache with ``--cache-messages`` messages, the real
server in-process with ``--server-chats`` chats of one message each (so as many messages) and
``--audit`` audit entries, and as many entries in the cache's own audit log; the desk signed in as a
team lead over a real WebSocket on loopback. Each figure is a p50/p95 over ``--runs`` runs, and a ratio
against a baseline measured in the same run: for the cache, its message-level search of the same words
(``store.search``); for the server, a ``ping`` round trip.

    python benchmarks/review_bench.py                    # the issue's sizes (several minutes)
    python benchmarks/review_bench.py --cache-messages 50000 --server-chats 10000 --audit 50000
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
from operator_desk.domain.clock import format_ts
from operator_desk.protocol.messages import AuditListRequest, Empty
from operator_desk.services.desk import Desk
from operator_desk.services.review import ReviewQuery
from operator_desk.services.timing import DeskTiming
from operator_desk.services.tokens import MemoryTokens
from operator_desk.store import CacheAuditQuery, Store
from operator_desk.store.records import CachedTranscriptQuery
from store_bench import COMMON_WORD, RARE_WORD, Corpus, ingest_store
from tests.kit.desks import make_desk, open_store
from tests.kit.servers import GENEROUS, start_demo

PAGE = 20
AUDIT_PAGE = 200
AUDIT_ACTIONS = ("transcripts.get", "chat.observe", "reviews.add", "subjects.export", "retention.purge")
SERVER_WORDS = ("refund", "parcel", "tent", "boots", "invoice", "colour", "size", "warranty")


async def timed(call: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    await call()   # warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def row(label: str, samples: list[float], baseline: list[float] | None = None) -> None:
    text = f"p50 {statistics.median(samples) * 1000:8.2f} ms   p95 {p95(samples) * 1000:8.2f} ms"
    if baseline:
        text += f"   x{p95(samples) / p95(baseline):6.1f} baseline p95"
    print(f"  {label:<52} {text}", flush=True)


# -- seeding the server ----------------------------------------------------------------------------


def seed_server(conn, chats: int, audit: int, now: datetime, operator_ids: list[str]) -> None:
    """``chats`` closed chats over the last 30 days, one message each, accepted within a minute, and
    ``audit`` audit entries, written straight into the server's tables (the endpoints would take hours)."""
    span = timedelta(days=30)
    step = span / max(1, chats)
    start = now - span
    visitors, chat_rows, messages = [], [], []
    for i in range(chats):
        at = start + step * i
        visitor = f"vb{i}"
        visitors.append((visitor, hashlib.sha256(visitor.encode()).hexdigest(), format_ts(at), format_ts(at),
                         "en", f"Visitor {i}", f"v{i}@example.org"))
        accepted = at + timedelta(seconds=5 + i % 55)
        closed = accepted + timedelta(seconds=60 + i % 600)
        missed = i % 20 == 0
        operator = None if missed else operator_ids[i % len(operator_ids)]
        chat_rows.append((f"cb{i}", visitor, "closed", operator,
                          format_ts(at), format_ts(closed), None if missed else format_ts(accepted)))
        word = SERVER_WORDS[i % len(SERVER_WORDS)]
        messages.append((f"cb{i}", format_ts(at + timedelta(seconds=1)), f"mb{i}", f"k{i}", "visitor", "",
                         f"About my {word}, order {i}"))
    conn.executemany("INSERT INTO visitors (id, token_sha256, created_at, last_seen, language, name, email) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", visitors)
    conn.executemany("INSERT INTO chats (id, visitor_id, state, operator_id, started_at, closed_at, "
                     "accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?)", chat_rows)
    conn.executemany("INSERT INTO messages (chat_id, at, id, client_msg_id, author, author_name, text) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", messages)
    step = span / max(1, audit)
    conn.executemany(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        ((format_ts(start + step * i), operator_ids[i % len(operator_ids)],
          AUDIT_ACTIONS[i % len(AUDIT_ACTIONS)],
          f"vb{i % max(1, chats)}", f'{{"chat_id": "cb{i % max(1, chats)}"}}') for i in range(audit)))


def seed_cache_audit(store: Store, entries: int, now: datetime) -> None:
    """``entries`` local audit entries in one transaction, on the store's own thread."""
    def write() -> None:
        conn = store._c
        span = timedelta(days=30)
        step = span / max(1, entries)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO audit_log (at, actor, action, subject, counts, detail) VALUES (?, ?, ?, ?, ?, ?)",
            ((format_ts(now - span + step * i), f"op{i % 20}", AUDIT_ACTIONS[i % len(AUDIT_ACTIONS)],
              f"{i % 5000:032x}", "{}", f'{{"chat_id": "c{i}"}}') for i in range(entries)))
        conn.execute("COMMIT")

    assert store._executor is not None
    store._executor.submit(write).result()


# -- the run ---------------------------------------------------------------------------------------


def desk_of(server_url: str, store: Store | None, profile: str) -> Desk:
    """A desk with the product's own delays (not the tests' quicker ones), its token in memory."""
    return make_desk(server_url, lambda event: None, store, profile, timing=DeskTiming(),
                     tokens=MemoryTokens())


async def main(args: argparse.Namespace) -> None:
    print(f"load average before: {os.getloadavg()}", flush=True)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="review-bench-") as folder:
        work = Path(folder)
        store, _ = await open_store(work / "cache.db")
        # The request rates (20/s per connection, docs/server.md) are lifted: the runs ask as fast as
        # they can.
        server = await start_demo(work / "server", simulate=0, limits=GENEROUS)
        lead = desk_of(server.url, store, "bench")
        server_only = desk_of(server.url, None, "bench-server")
        try:
            # Signed in on an empty cache first: the desk gets its erasure-journal cursor, so the cache
            # filled next is vouched for (a cache with data and no cursor is emptied at sign-in).
            await lead.sign_in("lead", "demo")
            await server_only.sign_in("supervisor", "demo")
            started = time.perf_counter()
            await ingest_store(store, Corpus(args.cache_messages, now).batches(5000))
            seed_cache_audit(store, args.audit, now)
            print(f"cache: {args.cache_messages:,} messages, {args.audit:,} audit entries "
                  f"({time.perf_counter() - started:.0f} s to build)", flush=True)
            operator_ids = [row[0] for row in await server.db.call(
                lambda conn: conn.execute("SELECT id FROM operators").fetchall())]
            started = time.perf_counter()
            await server.db.call(seed_server, args.server_chats, args.audit, now, operator_ids)
            print(f"server: {args.server_chats:,} chats of one message, {args.audit:,} audit entries "
                  f"({time.perf_counter() - started:.0f} s to build)", flush=True)
            first = await store.search_transcripts(CachedTranscriptQuery(text=COMMON_WORD, limit=PAGE))
            print(f"a first page of the cache lists {len(first.transcripts)} chats", flush=True)
            await report(args, store, lead, server_only, now)
        finally:
            await lead.close()
            await server_only.close()
            await server.close()
            await store.close()
    print(f"load average after: {os.getloadavg()}", flush=True)


async def report(args, store: Store, lead: Desk, supervisor: Desk, now: datetime) -> None:
    runs = args.runs
    ping = await timed(lambda: supervisor.session.request("ping", Empty()), runs)
    print("\nbaselines", flush=True)
    row("ping round trip (server baseline)", ping)
    message_search = {word: await timed(lambda w=word: store.search(w, limit=PAGE), runs)
                      for word in (COMMON_WORD, RARE_WORD, "")}
    for word, samples in message_search.items():
        row(f"cache message search {word or '(no words)'!r} (cache baseline)", samples)

    print("\ntranscript search, newest 20 chats", flush=True)
    for word in (COMMON_WORD, RARE_WORD, ""):
        row(f"cache {word or '(no words)'!r}", await timed(
            lambda w=word: store.search_transcripts(CachedTranscriptQuery(text=w, limit=PAGE)), runs),
            message_search[word])
    for word in ("refund", "order", ""):
        row(f"server {word or '(no words)'!r}", await timed(
            lambda w=word: supervisor.review.search(ReviewQuery(text=w, limit=PAGE)).next_page(), runs), ping)
    for word in ("refund", COMMON_WORD, ""):
        row(f"merged {word or '(no words)'!r}", await timed(
            lambda w=word: lead.review.search(ReviewQuery(text=w, limit=PAGE)).next_page(), runs), ping)

    print(f"\naudit viewer, pages of {AUDIT_PAGE}", flush=True)
    first = await supervisor.review.server_audit(AuditListRequest(limit=AUDIT_PAGE))
    row("server, first page", await timed(
        lambda: supervisor.review.server_audit(AuditListRequest(limit=AUDIT_PAGE)), runs), ping)
    row("server, next page", await timed(lambda: supervisor.review.server_audit(
        AuditListRequest(limit=AUDIT_PAGE, cursor=first.next_cursor)), runs), ping)
    row("server, first page of one action", await timed(lambda: supervisor.review.server_audit(
        AuditListRequest(limit=AUDIT_PAGE, action="reviews.add")), runs), ping)
    local = await store.audit_page(CacheAuditQuery(limit=AUDIT_PAGE))
    row("cache, first page", await timed(lambda: store.audit_page(CacheAuditQuery(limit=AUDIT_PAGE)), runs))
    row("cache, next page", await timed(lambda: store.audit_page(
        CacheAuditQuery(limit=AUDIT_PAGE, cursor=local.next_cursor)), runs))
    row("cache, first page of one action", await timed(lambda: store.audit_page(
        CacheAuditQuery(limit=AUDIT_PAGE, action="reviews.add")), runs))

    print(f"\ndaily report over {args.server_chats:,} chats", flush=True)
    day = timedelta(days=1)
    first_day = (now - 30 * day).replace(hour=0, minute=0, second=0, microsecond=0)
    bounds = tuple(format_ts(first_day + day * i) for i in range(32))
    row("reports.daily, 31 days",
        await timed(lambda: lead.review.daily_report(bounds), max(3, runs // 4)), ping)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-messages", type=int, default=1_000_000)
    parser.add_argument("--server-chats", type=int, default=100_000)
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    asyncio.run(main(parser.parse_args()))
