"""Figures for the encrypted cache: open, batched ingest with FTS, and queries over a large cache.

Prints figures and never asserts. The ingest baseline is plain stdlib ``sqlite3`` with the same schema,
measured in the same run (and, for a like-for-like engine, sqlcipher3's own SQLite without a key).

    python benchmarks/store_bench.py                    # 1,000,000 messages (a few minutes)
    python benchmarks/store_bench.py --messages 50000   # a quick run
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from operator_desk.domain.clock import format_ts
from operator_desk.domain.model import Author, Chat, ChatState, ConsentEvent, ConsentMethod, Message, Purpose
from operator_desk.store import Passphrase, RawKey, Store
from operator_desk.store.connection import open_connection
from operator_desk.store.messages import INSERT_MESSAGE, UPSERT_CHAT, chat_params, message_params
from operator_desk.store.migrations import MIGRATIONS

COMMON_WORD = "order"  # in about one message in five
RARE_WORD = "zanzibarquokka"  # in RARE_COUNT messages in all
RARE_COUNT = 20
MESSAGES_PER_CHAT = 40
CHATS_PER_VISITOR = 3
OPERATORS = 20
SPAN = timedelta(days=25)  # inside the 30-day transcript retention, so opening purges nothing


# -- synthetic data ----------------------------------------------------------------------------------


class Corpus:
    """Deterministic chats and messages: Zipf-distributed pseudo-words, a common and a rare word."""

    def __init__(self, total: int, now: datetime, seed: int = 7) -> None:
        self.total = total
        self.now = now
        self.rng = random.Random(seed)
        syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "da", "go", "fu", "ri", "ze"]
        self.vocabulary = sorted(
            {"".join(self.rng.choice(syllables) for _ in range(self.rng.randint(2, 4))) for _ in range(8000)}
        )
        weights = [1 / (rank + 1) for rank in range(len(self.vocabulary))]
        self.cumulative = list(_accumulate(weights))
        self.rare_at = set(self.rng.sample(range(total), min(RARE_COUNT, total)))
        self.chats = max(1, total // MESSAGES_PER_CHAT)

    def _text(self, index: int) -> str:
        words = self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=self.rng.randint(6, 16))
        if self.rng.random() < 0.2:
            words.insert(self.rng.randrange(len(words) + 1), COMMON_WORD)
        if index in self.rare_at:
            words.insert(self.rng.randrange(len(words) + 1), RARE_WORD)
        return " ".join(words)

    def batches(self, batch_size: int) -> Iterator[tuple[list[Chat], list[Message]]]:
        """Chats in order of start time, their messages a minute apart, cut into batches."""
        start = self.now - SPAN
        step = SPAN / self.chats
        chats: list[Chat] = []
        messages: list[Message] = []
        index = 0
        for c in range(self.chats):
            started = start + step * c
            chat = Chat(
                id=f"c{c}",
                visitor_id=f"v{c // CHATS_PER_VISITOR}",
                state=ChatState.CLOSED,
                operator_id=f"op{c % OPERATORS}",
                started_at=format_ts(started),
                closed_at=format_ts(started + timedelta(minutes=MESSAGES_PER_CHAT)),
            )
            chats.append(chat)
            count = MESSAGES_PER_CHAT if c < self.chats - 1 else self.total - index
            for k in range(count):
                messages.append(
                    Message(
                        id=f"m{index}",
                        chat_id=chat.id,
                        author=Author.VISITOR if k % 2 == 0 else Author.OPERATOR,
                        author_name="",
                        text=self._text(index),
                        at=format_ts(started + timedelta(seconds=60 * k + self.rng.random())),
                    )
                )
                index += 1
                if len(messages) >= batch_size:
                    yield chats, messages
                    chats, messages = [], []
        if messages or chats:
            yield chats, messages


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


# -- measuring ---------------------------------------------------------------------------------------


async def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per run (of ``fn()``, awaited when it returns an awaitable)."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        if inspect.isawaitable(result):
            await result
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):8.2f} ms   p95 {p95:8.2f} ms   max {ordered[-1]:8.2f} ms"


def row(label: str, text: str) -> None:
    print(f"  {label:<44} {text}")


# -- baselines ---------------------------------------------------------------------------------------


def _schema_statements(with_fts_secure_delete: bool) -> list[str]:
    statements = [s for m in MIGRATIONS for s in m.STATEMENTS]
    if not with_fts_secure_delete:  # stdlib SQLite older than 3.42 has no FTS5 secure-delete
        statements = [s for s in statements if "secure-delete" not in s]
    return statements


def plain_connection(path: Path, engine: str) -> sqlite3.Connection | sqlcipher.Connection:
    if engine == "stdlib":
        conn = sqlite3.connect(path, isolation_level=None)
        secure_fts = sqlite3.sqlite_version_info >= (3, 42, 0)
    else:
        conn = sqlcipher.connect(str(path), isolation_level=None)
        secure_fts = True
    for pragma in ("journal_mode = WAL", "foreign_keys = ON", "secure_delete = ON", "synchronous = NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA cache_size = -32768")
    conn.execute("BEGIN")
    for statement in _schema_statements(secure_fts):
        conn.execute(statement)
    conn.execute("COMMIT")
    return conn


Batch = tuple[list[Chat], list[Message]]
Batches = list[Batch]


class Rate:
    """Messages per second by the wall clock and by this process's CPU time. On a busy machine the
    wall-clock figure swings with other load; the CPU figure is the steadier one to compare."""

    def __init__(self, count: int, wall: float, cpu: float) -> None:
        self.count, self.wall, self.cpu = count, wall, cpu

    @property
    def per_wall_second(self) -> float:
        return self.count / self.wall

    @property
    def per_cpu_second(self) -> float:
        return self.count / self.cpu

    def __str__(self) -> str:
        return f"{self.per_wall_second:10,.0f} msg/s wall  {self.per_cpu_second:10,.0f} msg/s CPU"


def ingest_plain(conn, batches: Batches) -> Rate:
    """The same statements and parameters the store uses, one transaction per batch."""
    count = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for chats, messages in batches:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(UPSERT_CHAT, [chat_params(c) for c in chats])
        count += conn.executemany(INSERT_MESSAGE, [message_params(m) for m in messages]).rowcount
        conn.execute("COMMIT")
    return Rate(count, time.perf_counter() - wall, time.process_time() - cpu)


async def ingest_store(db: Store, batches: Iterable[Batch], report_every: int = 0) -> Rate:
    count = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for chats, messages in batches:
        if chats:
            await db.upsert_chats(chats)
        count += await db.upsert_messages(messages)
        if report_every and count % report_every < len(messages):
            print(
                f"    ... {count:,} messages, {count / (time.perf_counter() - wall):,.0f} msg/s", flush=True
            )
    return Rate(count, time.perf_counter() - wall, time.process_time() - cpu)


# -- the run -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=1_000_000, help="size of the large cache")
    parser.add_argument(
        "--ingest-sample", type=int, default=200_000, help="messages in the ingest comparison"
    )
    parser.add_argument("--batch", type=int, default=1000, help="messages per transaction")
    parser.add_argument("--runs", type=int, default=200, help="runs per query figure")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--skip-large", action="store_true", help="only the open and ingest figures")
    args = parser.parse_args()

    work = args.dir or Path(tempfile.mkdtemp(prefix="store-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    key = RawKey(os.urandom(32))
    print(f"store benchmark: {args.messages:,} messages, batches of {args.batch}, work folder {work}")
    print(f"  SQLCipher {_cipher_version()}; stdlib sqlite3 {sqlite3.sqlite_version}; {os.cpu_count()} CPUs")
    try:
        asyncio.run(bench_all(work, key, now, args))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


async def bench_all(work: Path, key: RawKey, now: datetime, args: argparse.Namespace) -> None:
    await bench_open(work, key)
    await bench_ingest(work, key, now, min(args.ingest_sample, args.messages), args.batch)
    if not args.skip_large:
        await bench_large(work, key, now, args.messages, args.batch, args.runs)


def _cipher_version() -> str:
    conn = sqlcipher.connect(":memory:")
    try:
        return conn.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        conn.close()


async def bench_open(work: Path, key: RawKey) -> None:
    print("\nopen (a small existing cache)")
    raw_path, pass_path = work / "open-raw.db", work / "open-pass.db"
    (await Store.open(raw_path, key)).close()
    Store.open(pass_path, Passphrase("correct horse battery staple")).close()
    row(
        "raw key: connection (key, check, schema)",
        summary(await timed(lambda: open_connection(raw_path, key).close(), 50)),
    )
    row(
        "raw key: Store.open (+ purge)",
        summary(await timed(lambda: _reopen(raw_path, key), 50)),
    )
    phrase = Passphrase("correct horse battery staple")
    row(
        "passphrase: Store.open",
        summary(await timed(lambda: _reopen(pass_path, phrase), 10)),
    )


async def bench_ingest(work: Path, key: RawKey, now: datetime, count: int, batch: int) -> None:
    print(
        f"\ningest with FTS, {count:,} messages in batches of {batch} (fresh databases, data made beforehand)"
    )
    batches = list(Corpus(count, now).batches(batch))
    rates: dict[str, Rate] = {}
    # Twice each, interleaved, so that a burst of load elsewhere does not favour one of them.
    for round_ in range(2):
        for engine in ("stdlib", "nokey", "store"):
            path = work / f"ingest-{engine}-{round_}.db"
            if engine == "store":
                db = await Store.open(path, key)
                rate = await ingest_store(db, batches)
                await db.close()
            else:
                conn = plain_connection(path, "stdlib" if engine == "stdlib" else "sqlcipher")
                rate = ingest_plain(conn, batches)
                conn.close()
            best = rates.get(engine)
            if best is None or rate.per_cpu_second > best.per_cpu_second:
                rates[engine] = rate
            _remove_database(path)
    stdlib_note = "" if sqlite3.sqlite_version_info >= (3, 42, 0) else " (no FTS secure-delete)"
    row(f"plain stdlib sqlite3 {sqlite3.sqlite_version}{stdlib_note}", str(rates["stdlib"]))
    row("sqlcipher3's SQLite without a key", str(rates["nokey"]))
    row("encrypted store (Store)", str(rates["store"]))
    for name, base in (("plain stdlib sqlite3", "stdlib"), ("same engine without a key", "nokey")):
        wall = rates["store"].per_wall_second / rates[base].per_wall_second
        cpu = rates["store"].per_cpu_second / rates[base].per_cpu_second
        row(f"store / {name}", f"{wall:10.2f} x wall      {cpu:10.2f} x CPU")


async def bench_large(work: Path, key: RawKey, now: datetime, count: int, batch: int, runs: int) -> None:
    path = work / "large.db"
    print(f"\nbuilding an encrypted cache of {count:,} messages")
    corpus = Corpus(count, now)
    db = await Store.open(path, key)
    t0 = time.perf_counter()
    rate = await ingest_store(db, corpus.batches(batch), report_every=max(batch, count // 10))
    row("build (data made on the fly, so slower)", f"{rate}, {time.perf_counter() - t0:.0f} s")
    await db.close()
    size = _size_of(work, "large.db*")
    row("file size", f"{size / 2**20:10,.0f} MiB")

    rng = random.Random(11)
    db = await Store.open(path, key)
    try:
        row("open the large cache (+ purge)", summary(await timed(lambda: _reopen(path, key), 10)))
        span_ms = int(SPAN.total_seconds() * 1000)

        def random_until() -> datetime:
            return now - timedelta(milliseconds=rng.randrange(span_ms))

        common_hits = len((await db.search(COMMON_WORD, limit=200)).hits)
        print(
            f"\nqueries ({runs} runs each; '{COMMON_WORD}' in ~20% of messages, "
            f"'{RARE_WORD}' in {RARE_COUNT})"
        )
        row(
            "newest-20 search, common word",
            summary(await timed(lambda: db.search(COMMON_WORD, limit=20), runs)),
        )
        row(
            "newest-20 search, common word, random 'until'",
            summary(await timed(lambda: db.search(COMMON_WORD, limit=20, until=random_until()), runs)),
        )
        row("newest-20 search, rare word", summary(await timed(lambda: db.search(RARE_WORD, limit=20), runs)))
        row(
            "newest-20 search, common word, one operator",
            summary(
                await timed(lambda: db.search(COMMON_WORD, operator_id=f"op{rng.randrange(OPERATORS)}"), runs)
            ),
        )
        row(
            "next page via cursor, common word",
            summary(await timed(lambda: _two_pages(db), runs)),
        )
        chats = corpus.chats
        row(
            "one chat's last 50 messages",
            summary(await timed(lambda: db.chat_messages(f"c{rng.randrange(chats)}", 50), runs)),
        )
        visitors = max(1, chats // CHATS_PER_VISITOR)
        picked = rng.sample(range(visitors), min(10, visitors))
        for v in picked:
            await _give_consents(db, f"v{v}", now)
        exports = await timed(lambda: db.export_subject(f"v{picked.pop()}"), len(picked))
        row(
            f"export_subject ({CHATS_PER_VISITOR} chats, ~{CHATS_PER_VISITOR * MESSAGES_PER_CHAT} msgs)",
            summary(exports),
        )
        victims = rng.sample(range(visitors), min(10, visitors))
        erases = await timed(lambda: db.erase_subject(f"v{victims.pop()}"), len(victims))
        row("erase_subject (+ WAL checkpoint TRUNCATE)", summary(erases))
        assert common_hits  # the common word really is there (not a figure: a sanity check of the data)
    finally:
        await db.close()


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _size_of(folder: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in folder.glob(pattern))


async def _reopen(path: Path, key: RawKey | Passphrase) -> None:
    await (await Store.open(path, key)).close()


async def _two_pages(db: Store) -> None:
    first = await db.search(COMMON_WORD, limit=20)
    await db.search(COMMON_WORD, limit=20, cursor=first.next_cursor)


async def _give_consents(db: Store, visitor_id: str, now: datetime) -> None:
    await db.add_consent_event(
        ConsentEvent(
            id=f"e-{visitor_id}",
            visitor_id=visitor_id,
            purpose=Purpose.CHAT,
            granted=True,
            notice_id="n1",
            notice_version=1,
            method=ConsentMethod.PRECHAT_FORM,
            at=format_ts(now),
        )
    )


if __name__ == "__main__":
    main()
