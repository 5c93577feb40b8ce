"""Figures for data-subject requests: the export bundle and the erasure of a person with 50 chats and
5,000 messages, against the real server and a desk whose encrypted cache holds 1,000,000 messages;
in-process (the Requests window's path) and on the command line (``operator-desk export-subject`` ...).

Prints figures and never asserts. Baselines measured in the same run: reading the export alone (what
the bundle adds to it), and the same work for a person with one chat (what the size of the person
costs, beside the fixed costs of signing in and starting a process).

    python benchmarks/subject_bench.py                            # as the issue asks (several minutes)
    python benchmarks/subject_bench.py --cache-messages 100000    # a quicker run
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(tempfile.mkdtemp(prefix="subject-bench-"))
PROFILE = "bench"
# Before anything reads them: the desk's settings, cache and keyring of this run live in WORK.
os.environ.update(HOME=str(WORK), XDG_CONFIG_HOME=str(WORK / "config"), XDG_DATA_HOME=str(WORK / "data"),
                  XDG_CACHE_HOME=str(WORK / "cache"), OPERATOR_DESK_TEST_KEYRING=str(WORK / "keyring.json"),
                  PYTHON_KEYRING_BACKEND="tests.kit.keyrings.FileKeyring", QT_QPA_PLATFORM="offscreen")
sys.path.insert(0, str(ROOT / "benchmarks"))

# The checkout's root on sys.path: tests.kit, whose file keyring a desk subprocess shares.
import checkout  # noqa: E402, F401
from operator_desk.domain.cases import IdentityCheck, RequestKind  # noqa: E402
from operator_desk.domain.clock import format_ts  # noqa: E402
from operator_desk.domain.model import Author, Chat, ChatState, Message  # noqa: E402
from operator_desk.platform.keystore import KeyStore, TokenStore  # noqa: E402
from operator_desk.platform.paths import cache_path  # noqa: E402
from operator_desk.server import repository  # noqa: E402
from operator_desk.server.embedded import ServerOptions, start_server  # noqa: E402
from operator_desk.services.bundle.export import BundleRequest  # noqa: E402
from operator_desk.services.desk import Desk  # noqa: E402
from operator_desk.services.tokens import MemoryTokens  # noqa: E402
from operator_desk.store import RawKey, Store  # noqa: E402
from store_bench import Corpus, ingest_store  # noqa: E402
from tests.kit.clients import AsyncClient  # noqa: E402
from tests.kit.visitors import arrive, consent  # noqa: E402

# Anna, Berta and Emil have the full history; Carl and Dora one chat each (the baselines).
PEOPLE = {"anna": "anna@example.com", "berta": "berta@example.com", "emil": "emil@example.com",
          "carl": "carl@example.com", "dora": "dora@example.com"}


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def row(label: str, seconds: float, baseline: float | None = None) -> None:
    ratio = f"   {seconds / baseline:6.1f} x baseline" if baseline else ""
    print(f"  {label:<60} {seconds:8.2f} s{ratio}", flush=True)


async def visitor(server, name: str, email: str) -> AsyncClient:
    """A visitor with chat consent and one chat, through the real visitor endpoint."""
    client = await arrive(server, url="https://shop.example/")
    await consent(client, "chat", granted=True, method="prechat_form")
    await client.ok("chat.start", {"name": name.title(), "email": email, "message": "Please send me my data"})
    return client


def history(visitor_id: str, operator_id: str, chats: int, messages: int) -> tuple[list[Chat], list[Message]]:
    """``chats`` closed chats of the person with ``messages`` messages between them, a minute apart."""
    start = datetime.now(UTC) - timedelta(days=20)
    made_chats, made_messages = [], []
    for c in range(chats):
        began = start + timedelta(hours=6 * c)
        per_chat = messages // chats + (1 if c < messages % chats else 0)
        chat = Chat(id=f"{visitor_id[:12]}-c{c}", visitor_id=visitor_id, state=ChatState.CLOSED,
                    operator_id=operator_id, started_at=format_ts(began),
                    closed_at=format_ts(began + timedelta(minutes=per_chat)))
        made_chats.append(chat)
        for k in range(per_chat):
            made_messages.append(Message(
                id=f"{chat.id}-m{k}", chat_id=chat.id,
                author=Author.VISITOR if k % 2 == 0 else Author.OPERATOR,
                author_name="" if k % 2 == 0 else "Sam Supervisor",
                text=f"message {k} of chat {c}: where is my order, and when does it arrive?",
                at=format_ts(began + timedelta(seconds=60 * k))))
    return made_chats, made_messages


def store_on_server(conn, chats: list[Chat], messages: list[Message]) -> None:
    for chat in chats:
        repository.save_chat(conn, chat)
    for message in messages:
        repository.add_message(conn, message)


def desk(url: str, store: Store | None, tokens) -> Desk:
    return Desk(server_url=url, profile=PROFILE, sink=lambda event: None, store=store, tokens=tokens)


async def command(*argv: str, password: str | None = None) -> float:
    """Wall time of ``operator-desk ARGV`` as a process (the server goes on answering meanwhile)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "operator_desk", *argv, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=WORK)
    _, err = await process.communicate(f"{password or ''}\n".encode())
    elapsed = time.perf_counter() - started
    if process.returncode not in (0, 3, 7):   # done, no match (the warm-up), waiting for approval
        raise RuntimeError(f"{argv[0]} ended with {process.returncode}: {err.decode()[-2000:]}")
    return elapsed


async def main(args: argparse.Namespace) -> None:
    print(f"subject benchmark: a person with {args.chats} chats and {args.messages:,} messages; "
          f"{args.cache_messages:,} messages in the desk's cache; work folder {WORK}")
    print(f"  {load()}")
    server = await start_server(ServerOptions(data_dir=WORK / "server", host="127.0.0.1", port=0, demo=True,
                                              simulate=0))
    sockets = []
    try:
        key = KeyStore(PROFILE).get_or_create_key().material
        path = await asyncio.to_thread(cache_path, PROFILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        store = await Store.open(path, RawKey(key))
        sam = desk(server.url, store, TokenStore(PROFILE))
        await sam.sign_in("supervisor", "demo")   # its token is kept in the file keyring, as a desk keeps it
        ids = {}
        for name, email in PEOPLE.items():
            arrived = await visitor(server, name, email)
            ids[name] = arrived.visitor_id
            sockets.append(arrived)
        await sam.flush()
        print("  filling the server and the cache ...", flush=True)
        t0 = time.perf_counter()
        for name in PEOPLE:
            small = name in ("carl", "dora")
            # Besides the chat each began in the widget (with its first message).
            chats, messages = history(ids[name], sam.operator.id, 1 if small else args.chats - 1,
                                      40 if small else args.messages - 1)
            await server.db.call(store_on_server, chats, messages)
            await store.upsert_chats(chats)
            await store.upsert_messages(messages)
        rate = await ingest_store(store, Corpus(args.cache_messages, datetime.now(UTC)).batches(1000),
                                  report_every=max(1000, args.cache_messages // 5))
        print(f"  filled in {time.perf_counter() - t0:.0f} s ({rate})", flush=True)
        ini = WORK / "config" / "operator-desk" / f"desk-{PROFILE}.ini"
        ini.parent.mkdir(parents=True, exist_ok=True)
        ini.write_text(f"[connection]\nserver_url={server.url}\nlast_username=supervisor\n")

        print(f"\nexport bundle (JSON, HTML, PDF, manifest), in-process  [{load()}]")
        from PySide6.QtGui import QGuiApplication

        from operator_desk.ui.report_pdf import render_pdf
        from operator_desk.ui.report_words import QtReportWords

        app = QGuiApplication.instance() or QGuiApplication(["bench"])
        words = QtReportWords("en")
        stages: list[tuple[str, float]] = []
        t0 = time.perf_counter()
        await sam.export_subject(ids["anna"])
        read = time.perf_counter() - t0
        row("baseline: read the export alone (server pages + cache)", read)
        t0 = time.perf_counter()
        written = await sam.bundles.write(
            BundleRequest(visitor_id=ids["anna"], folder=WORK / "anna-bundle", make_zip=True), words,
            render_pdf, lambda stage, fraction: stages.append((stage.value, time.perf_counter())))
        bundle = time.perf_counter() - t0
        row("the bundle of the person (with zip)", bundle, read)
        for (stage, at), (_, following) in itertools.pairwise(stages):
            print(f"      {stage:<12} {following - at:6.2f} s")
        print(f"      bundle: {sum(f.size for f in written.files) / 2**20:.1f} MiB, "
              f"{written.counts['messages']:,} messages, {written.counts['chats']} chats")
        t0 = time.perf_counter()
        await sam.bundles.write(BundleRequest(visitor_id=ids["carl"], folder=WORK / "carl-bundle"), words,
                                render_pdf)
        row("a person with one chat", time.perf_counter() - t0)

        print(f"\nerasure with four eyes, in-process  [{load()}]")
        dana = desk(server.url, None, MemoryTokens())   # a desk without a cache
        await dana.sign_in("dpo", "demo")

        async def erase(name: str, requester: Desk, approver: Desk) -> tuple[float, object]:
            case = await requester.subject_requests.open_case(
                RequestKind.ERASURE, datetime.now(UTC).date().isoformat(), IdentityCheck.EMAIL_ON_RECORD,
                visitor_id=ids[name])
            approval = await requester.subject_requests.request_approval("subjects.erase", case.id,
                                                                         ids[name], "benchmark")
            t0 = time.perf_counter()
            decision = await approver.subject_requests.decide(approval, True)
            return time.perf_counter() - t0, decision

        baseline, _ = await erase("dora", dana, sam)
        row("baseline: approve the erasure of a person with one chat", baseline)
        server_only, _ = await erase("emil", sam, dana)
        row("approve on a desk without a cache: the server's part", server_only, baseline)
        # Sam's desk purges Emil too (the server's push): let that finish before the next figure.
        await asyncio.sleep(1.0)
        await store.retention()
        elapsed, decision = await erase("anna", dana, sam)
        row("approve on the desk with its large cache: server and cache", elapsed, baseline)
        print(f"      server: {decision.erased.chats} chats, {decision.erased.messages:,} messages; "
              f"cache: {', '.join(f'{t} {n:,}' for t, n in sorted(decision.erased_here.items()) if n)}")
        await dana.close()
        await sam.close()
        await store.close()

        print(f"\nthe command line (a process each; the profile's token and cache)  [{load()}]")
        base = ("--server", server.url, "--user", "supervisor", "--profile", PROFILE)
        # The first run builds the translation catalogs (a source checkout); a finished install ships them.
        await command("export-subject", *base, "--subject", "nobody@example.com", "--out", str(WORK / "x"))
        row("start, sign in, find nobody (exit 3)", await command(
            "export-subject", *base, "--subject", "nobody@example.com", "--out", str(WORK / "x")))
        small = await command("export-subject", *base, "--subject", PEOPLE["carl"], "--out", str(WORK / "c2"))
        row("baseline: export-subject, a person with one chat", small)
        row("export-subject --zip, the person", await command(
            "export-subject", *base, "--subject", PEOPLE["berta"], "--out", str(WORK / "b2"), "--zip"), small)
        dpo = ("--server", server.url, "--user", "dpo", "--profile", PROFILE)
        row("erase-subject (dpo files the request)", await command(
            "erase-subject", *dpo, "--subject", PEOPLE["berta"], "--reason", "benchmark", "--yes",
            "--identity-check", "email_on_record", password="demo"))
        row("approve-erasure (supervisor; server and this cache)", await command(
            "approve-erasure", *base, "--subject", PEOPLE["berta"], "--yes"), small)
        print(f"  {load()}")
        del app
    finally:
        for ws in sockets:
            await ws.close()
        await server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--cache-messages", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    arguments = parser.parse_args()
    try:
        asyncio.run(main(arguments))
    finally:
        if not arguments.keep:
            shutil.rmtree(WORK, ignore_errors=True)
