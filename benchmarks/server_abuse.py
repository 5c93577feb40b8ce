"""The server under hostile visitors (issue 8's figures). Prints figures, never asserts.

Each scenario starts ``operator-desk-server serve`` as its own process on a fresh data folder:

1. flood: one visitor floods every visitor action (messages, consent changes, page views, typing,
   details, malformed frames, new hellos; reconnecting whenever it is closed) for ``--seconds`` (20),
   while an operator pings every 100 ms. Figures: server RSS growth, the operator's ping p99 during the
   flood against the same operator's ping p99 idle just before, in the same run (the ratio), the bytes
   the database grew by, how the visitor's requests were answered, the largest frame any client got.
2. idle sockets: the server's open-file limit lowered to 1,024 (soft and hard: it cannot raise it), 1,100
   visitor WebSocket connections from one address that never say hello plus 300 TCP sockets that never
   send a byte; then an operator from another address signs in. Figures: sign-in time (connect +
   ``auth.login``) against the same sign-in with no idle sockets, ``/healthz`` time, open files.
3. long chat: 30 messages of 10,000 characters (4-byte characters: 40 KB each); an operator accepts the
   chat and reads every page. Figure: the largest frame, against the 256 KiB limit.

    python benchmarks/server_abuse.py [--seconds 20] [--only flood|idle|long]

Other work on the machine moves the figures: note ``uptime`` (printed) and run it more than once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
from tests.kit.frames import request_frame

LIMIT = 256 * 1024
PASSWORD = "violet tundra harbour 1987 quietly"
IDS = itertools.count(1)


def frame(action: str, payload: dict[str, Any]) -> str:
    return request_frame(f"b{next(IDS)}", action, payload)


class Peer:
    """A connection that records the size of every frame it receives and answers requests."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.largest = 0
        self.waiting: dict[str, asyncio.Future] = {}
        self.codes: dict[str, int] = {}
        self.reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(cls, url: str, **kwargs: Any) -> Peer:
        return cls(await connect(url, max_size=LIMIT, ping_interval=None, open_timeout=10, **kwargs))

    async def _read(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for text in self.ws:
                self.largest = max(self.largest, len(text.encode()))
                message = json.loads(text)
                if message.get("type") != "res":
                    continue
                code = "ok" if message["ok"] else message["error"]["code"]
                self.codes[code] = self.codes.get(code, 0) + 1
                waiter = self.waiting.pop(str(message.get("id")), None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(message)

    async def ask(self, action: str, payload: dict[str, Any], within: float = 30) -> dict[str, Any]:
        text = frame(action, payload)
        request_id = json.loads(text)["id"]
        waiter = asyncio.get_running_loop().create_future()
        self.waiting[request_id] = waiter
        await self.ws.send(text)
        return await asyncio.wait_for(waiter, within)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()
        self.reader.cancel()
        await asyncio.gather(self.reader, return_exceptions=True)


class Server:
    def __init__(
        self, data: Path, *, demo: bool = True, preexec_fn: Any = None, args: tuple[str, ...] = ()
    ) -> None:
        self.data = data
        self.demo = demo
        self.preexec_fn = preexec_fn
        self.args = args
        self.process: subprocess.Popen[str] | None = None
        self.port = 0

    def start(self) -> Server:
        command = [sys.executable, "-m", "operator_desk.server.cli", "serve", "--data", str(self.data),
                   "--port", "0", *(["--demo"] if self.demo else []), *self.args]
        log = (self.data.parent / "log").open("w")
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=log, text=True, preexec_fn=self.preexec_fn
        )
        assert self.process.stdout is not None
        while line := self.process.stdout.readline():
            if line.startswith("listening on "):
                self.port = int(line.strip().rsplit(":", 1)[1])
                return self
        raise SystemExit("the server did not start")

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def rss(self) -> int:
        assert self.process is not None
        return psutil.Process(self.process.pid).memory_info().rss

    def open_files(self) -> int:
        assert self.process is not None
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stored_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.data.glob("server.db*"))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


async def pinging(peer: Peer, seconds: float) -> list[float]:
    rtts = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        await peer.ask("ping", {})
        rtts.append((time.perf_counter() - started) * 1e3)
        await asyncio.sleep(0.1)  # 10 a second: under a connection's rate (20), far above a desk's
    return rtts


async def flood_for(url: str, seconds: float) -> None:
    """The flooding visitor's process: floods for ``seconds``, then prints what it got as JSON."""
    stop = asyncio.Event()
    tally: dict[str, int] = {}
    asyncio.get_running_loop().call_later(seconds, stop.set)
    largest = await flooder(url, stop, tally)
    print(json.dumps({"tally": tally, "largest": largest[0]}))


async def flooder(url: str, stop: asyncio.Event, tally: dict[str, int]) -> list[int]:
    """One visitor, as fast as it can, every action; when closed, it comes back (same token)."""
    largest = [0]
    token = None
    long_text = "x" * 10_000
    while not stop.is_set():
        try:
            peer = await Peer.open(url, additional_headers={"X-Forwarded-For": "203.0.113.66"})
        except (OSError, InvalidHandshake, TimeoutError):
            tally["refused connections"] = tally.get("refused connections", 0) + 1
            await asyncio.sleep(0.05)
            continue
        try:
            hello = {"page": {"url": "http://shop.example/"}, **({"visitor_token": token} if token else {})}
            answer = await peer.ask("visitor.hello", hello, within=5)
            if answer["ok"]:
                token = answer["payload"]["visitor_token"]
                notices = answer["payload"]["notices"]
                chat_notice = next(n for n in notices if "chat" in n["purposes"])
                for purpose in ("chat", "visitor_insights"):
                    await peer.ws.send(frame("consent.set", {
                        "purpose": purpose, "granted": True, "notice_id": chat_notice["id"],
                        "notice_version": chat_notice["version"], "method": "widget_settings"}))
                await peer.ws.send(frame("chat.start", {"name": "Flood", "message": long_text}))
            for n in itertools.count():
                if stop.is_set():
                    break
                kind = n % 8
                if kind == 0:
                    text = frame("chat.send", {"client_msg_id": f"f{next(IDS)}", "text": long_text})
                elif kind == 1:
                    text = frame("visitor.page", {"url": f"http://shop.example/{n}", "title": "t" * 500})
                elif kind == 2:
                    text = frame("chat.typing", {"typing": True, "draft": long_text})
                elif kind == 3:
                    text = frame("consent.set", {"purpose": "visitor_insights", "granted": n % 16 == 3,
                                                 "notice_id": "prechat-en", "notice_version": 1,
                                                 "method": "widget_settings"})
                elif kind == 4:
                    text = frame("details.submit", {"request_id": "nope", "fields": {"phone": "1" * 1000}})
                elif kind == 5:
                    text = "not json " + "y" * 1000
                elif kind == 6:
                    text = frame("visitor.hello", {"page": {"url": "http://shop.example/"}})
                else:
                    text = frame("chat.end", {})
                await peer.ws.send(text)
                if n % 64 == 0:
                    await asyncio.sleep(0)  # let the reader run
        except (ConnectionClosed, OSError, TimeoutError):
            pass
        finally:
            largest[0] = max(largest[0], peer.largest)
            for code, count in peer.codes.items():
                tally[code] = tally.get(code, 0) + count
            tally["closed by the server"] = tally.get("closed by the server", 0) + 1
            await peer.close()
        # and new visitors, from the same address
        with contextlib.suppress(Exception):
            fresh = await Peer.open(url, additional_headers={"X-Forwarded-For": "203.0.113.66"})
            await fresh.ask("visitor.hello", {"page": {"url": "http://shop.example/new"}}, within=5)
            await fresh.close()
    return largest


async def scenario_flood(root: Path, seconds: float) -> None:
    server = Server(root / "data").start()
    try:
        operator = await Peer.open(server.url + "/v1/operator")
        await operator.ask("auth.login", {"username": "supervisor", "password": "demo"})
        await operator.ask("visitors.subscribe", {})
        idle = await pinging(operator, 10)
        rss_before, stored_before = server.rss(), server.stored_bytes()
        stop = asyncio.Event()
        # The flooding visitor is a process of its own: in this one it would slow the operator's pings
        # down itself, and the ratio would measure this script rather than the server.
        flood = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--flooder", server.url + "/v1/visitor", "--seconds", str(seconds),
            stdout=asyncio.subprocess.PIPE,
        )
        rss_peak = 0

        async def watch() -> None:
            nonlocal rss_peak
            while not stop.is_set():
                rss_peak = max(rss_peak, server.rss())
                await asyncio.sleep(0.5)

        watcher = asyncio.get_running_loop().create_task(watch())
        during = await pinging(operator, seconds)
        stop.set()
        out, _ = await flood.communicate()
        report = json.loads(out.decode().strip().splitlines()[-1])
        tally, largest_visitor = report["tally"], report["largest"]
        await watcher
        rss_after = server.rss()
        stored_after = server.stored_bytes()
        ratio = percentile(during, 0.99) / percentile(idle, 0.99)
        print(f"flood ({seconds:.0f} s, one visitor, every action):")
        print(f"  server RSS {rss_before / 2**20:.0f} MB before, peak {rss_peak / 2**20:.0f} MB, "
              f"{rss_after / 2**20:.0f} MB after: growth {(rss_peak - rss_before) / 2**20:.1f} MB")
        print(f"  operator ping p99 {percentile(during, 0.99):.1f} ms during vs "
              f"{percentile(idle, 0.99):.1f} ms idle (p50 {statistics.median(during):.1f} vs "
              f"{statistics.median(idle):.1f}): ratio {ratio:.2f}x")
        print(f"  database grew by {(stored_after - stored_before) / 1024:.0f} KB "
              f"({stored_before / 1024:.0f} -> {stored_after / 1024:.0f} KB)")
        print(f"  the visitor's answers: {dict(sorted(tally.items()))}")
        print(f"  largest frame: operator {operator.largest:,} B, visitor {largest_visitor:,} B "
              f"(limit {LIMIT:,})")
        await operator.close()
    finally:
        server.stop()


def lowered_file_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


async def sign_in(url: str) -> float:
    started = time.perf_counter()
    peer = await Peer.open(url + "/v1/operator", local_addr=("127.0.0.2", 0))
    await peer.ask("auth.login", {"username": "ann", "password": PASSWORD})
    elapsed = (time.perf_counter() - started) * 1e3
    await peer.close()
    return elapsed


def healthz(port: int) -> float:
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30, source_address=("127.0.0.3", 0)) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.recv(1024)
    return (time.perf_counter() - started) * 1e3


async def scenario_idle(root: Path) -> None:
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    data = root / "idle-data"
    command = [sys.executable, "-m", "operator_desk.server.cli", "add-operator", "--data", str(data), "ann",
               "--role", "operator"]
    await asyncio.to_thread(
        subprocess.run, command, input=PASSWORD + "\n", text=True, check=True, capture_output=True
    )
    config = root / "site.toml"  # not a demo: a site of its own, which names its controller
    config.write_text(
        '[controller]\nname = "Bench Ltd"\naddress = "1 Bench Road"\nemail = "privacy@bench.example"\n'
    )
    server = Server(data, demo=False, preexec_fn=lowered_file_limit, args=("--config", str(config))).start()
    held: list[Any] = []
    raw: list[socket.socket] = []
    try:
        quiet = statistics.median([await sign_in(server.url) for _ in range(5)])
        started = time.perf_counter()
        refused = 0
        for _ in range(1100):
            try:
                held.append(await connect(server.url + "/v1/visitor", open_timeout=2, ping_interval=None))
            except (OSError, TimeoutError, InvalidHandshake):
                refused += 1
        for _ in range(300):
            sock = socket.socket()
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                sock.connect(("127.0.0.1", server.port))
            raw.append(sock)
        opened_in = time.perf_counter() - started
        await asyncio.sleep(1)
        files = server.open_files()
        try:
            busy = await asyncio.wait_for(sign_in(server.url), 30)
            busy_text = f"{busy:.0f} ms"
        except (TimeoutError, OSError) as exc:
            busy_text = f"failed ({type(exc).__name__})"
        try:
            health = f"{await asyncio.wait_for(asyncio.to_thread(healthz, server.port), 30):.0f} ms"
        except (TimeoutError, OSError) as exc:
            health = f"failed ({type(exc).__name__})"
        still_open = sum(1 for ws in held if ws.close_code is None)
        print("idle sockets (open-file limit 1,024; 1,100 visitor WebSockets that never say hello from one "
              "address, then 300 TCP sockets that send nothing):")
        print(f"  opened in {opened_in:.1f} s; refused at connect {refused}; still open {still_open}; "
              f"server open files {files}")
        print(f"  operator sign-in from another address: {busy_text} (median {quiet:.0f} ms with no idle "
              f"sockets, same run); /healthz {health}")
        log = (root / "log").read_text(errors="replace")
        emfile = log.count("Too many open files")
        print(f"  server log: {len(log):,} characters, 'Too many open files' {emfile}")
    finally:
        for sock in raw:
            sock.close()
        for ws in held:
            ws.transport.abort()
        server.stop()


async def scenario_long(root: Path) -> None:
    config = root / "long.toml"
    config.write_text("[limits]\nmessages_burst = 100\n")  # thirty at once are over a visitor's default rate
    server = Server(root / "long-data", args=("--config", str(config))).start()
    try:
        visitor = await Peer.open(server.url + "/v1/visitor")
        hello = await visitor.ask("visitor.hello", {"page": {"url": "http://shop.example/"}})
        notice = next(n for n in hello["payload"]["notices"] if "chat" in n["purposes"])
        await visitor.ask("consent.set", {"purpose": "chat", "granted": True, "notice_id": notice["id"],
                                          "notice_version": notice["version"], "method": "prechat_form"})
        chat = (await visitor.ask("chat.start", {"name": "Long"}))["payload"]["chat"]
        for n in range(30):
            answer = await visitor.ask("chat.send", {"client_msg_id": f"l{n}", "text": "\U0001f600" * 10_000})
            assert answer["ok"], answer
        operator = await Peer.open(server.url + "/v1/operator")
        await operator.ask("auth.login", {"username": "lead", "password": "demo"})
        answer = await operator.ask("chat.accept", {"chat_id": chat["id"]})
        pages, count = 1, len(answer["payload"]["messages"])
        cursor = answer["payload"].get("next_cursor")
        while cursor:
            answer = await operator.ask("chat.history", {"chat_id": chat["id"], "cursor": cursor})
            pages, count = pages + 1, count + len(answer["payload"]["messages"])
            cursor = answer["payload"]["next_cursor"]
        transcript = [await operator.ask("transcripts.get", {"chat_id": chat["id"]})]
        while transcript[-1]["payload"].get("next_cursor"):
            following = {"chat_id": chat["id"], "cursor": transcript[-1]["payload"]["next_cursor"]}
            transcript.append(await operator.ask("transcripts.get", following))
        again = await Peer.open(server.url + "/v1/visitor")
        await again.ask("visitor.hello", {"page": {"url": "http://shop.example/"},
                                         "visitor_token": hello["payload"]["visitor_token"]})
        print("long chat (30 messages of 10,000 four-byte characters, about 1.2 MB in all):")
        print(f"  chat.accept + chat.history: {count} messages in {pages} pages; transcripts.get: "
              f"{len(transcript)} pages")
        print(f"  largest frame: operator {operator.largest:,} B, reloaded widget {again.largest:,} B "
              f"(limit {LIMIT:,})")
        for peer in (visitor, operator, again):
            await peer.close()
    finally:
        server.stop()


async def main(seconds: float, only: str | None) -> None:
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="server-abuse-") as folder:
        root = Path(folder)
        if only in (None, "flood"):
            (root / "flood").mkdir()
            await scenario_flood(root / "flood", seconds)
        if only in (None, "idle"):
            (root / "idle").mkdir()
            await scenario_idle(root / "idle")
        if only in (None, "long"):
            (root / "long").mkdir()
            await scenario_long(root / "long")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--only", choices=["flood", "idle", "long"])
    parser.add_argument("--flooder", metavar="URL", help=argparse.SUPPRESS)  # the flooding child process
    args = parser.parse_args()
    if args.flooder:
        asyncio.run(flood_for(args.flooder, args.seconds))
    else:
        asyncio.run(main(args.seconds, args.only))
