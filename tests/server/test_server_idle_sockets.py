"""Connections that don't speak are closed, and idle sockets cannot crowd operators out: the server runs
as a process with its open-file limit lowered to 1,024 (soft and hard: it cannot raise it), and 1,100
sockets from one address connect and send nothing. An operator from another address still signs in,
``/healthz`` answers, and the log holds no flood of "Too many open files" nor a line per refused socket.

Before, 1,014 idle sockets from one address made sign-in and ``/healthz`` time out, and the log grew by
450 MB in 90 s. The visitor endpoint had no deadline for its first message either.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake

from tests.kit.clients import AsyncClient
from tests.kit.faults import skip_or_fail
from tests.kit.servers import ServerProcess, start, with_controller
from tests.kit.timing import WAIT

IDLE = 1_100
FILE_LIMIT = 1_024
STRONG = "violet tundra harbour 1987 quietly"


def lowered_file_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


def own_file_limit_at_least(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            skip_or_fail(f"this process may open {hard} files; the test needs {needed}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


async def server_took_them_all(pid: int) -> None:
    """Wait until the server has accepted (or refused) every socket it will: its count of open files
    no longer changes, or it reached its limit."""
    def open_files() -> int:
        return len(os.listdir(f"/proc/{pid}/fd"))

    async def settled() -> None:
        last, same = -1, 0
        while same < 5 and last < FILE_LIMIT - 1:
            await asyncio.sleep(0.1)
            now = open_files()
            same = same + 1 if now == last else 0
            last = now

    await asyncio.wait_for(settled(), 30)


async def idle_websockets(url: str, count: int) -> list:
    """``count`` visitor connections that complete their handshake and then say nothing."""
    opened = []
    for _ in range(count):
        try:
            opened.append(await connect(url, open_timeout=2, ping_interval=None))
        except (OSError, TimeoutError, InvalidHandshake):
            pass  # refused (or the server is out of files): the attacker goes on
    return opened


def idle_sockets(port: int, count: int) -> list[socket.socket]:
    """``count`` TCP connections that never send a byte (not even the HTTP request)."""
    opened = []
    for _ in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            sock.connect(("127.0.0.1", port))
        opened.append(sock)
    return opened


@pytest.mark.asyncio
@pytest.mark.slow
async def test_idle_sockets_under_a_lowered_file_limit_do_not_stop_sign_in(tmp_path):
    own_file_limit_at_least(IDLE + 400)
    data = tmp_path / "data"
    command = [sys.executable, "-m", "operator_desk.server.cli", "add-operator", "--data", str(data), "ann",
               "--role", "operator"]
    added = await asyncio.to_thread(
        subprocess.run, command, input=STRONG + "\n", capture_output=True, text=True, timeout=60
    )
    assert added.returncode == 0, added.stderr
    config = with_controller(tmp_path, None)  # not a demo: a site of its own, which names its controller
    server = ServerProcess(data, demo=False, preexec_fn=lowered_file_limit, args=("--config", str(config)))
    await server.start()
    websockets_held, sockets_held = [], []
    try:
        websockets_held = await idle_websockets(server.visitor_url, IDLE)
        sockets_held = idle_sockets(server.port, 300)
        await server_took_them_all(server.process.pid)

        # An operator on another address signs in at once, and the health check answers.
        operator = await AsyncClient.connect(server.operator_url, local_addr=("127.0.0.2", 0))
        login = await operator.ok("auth.login", {"username": "ann", "password": STRONG})
        assert login["operator"]["name"] == "ann"
        await operator.close()

        def healthz() -> bytes:
            connection = http.client.HTTPConnection(
                "127.0.0.1", server.port, timeout=WAIT, source_address=("127.0.0.3", 0)
            )
            try:
                connection.request("GET", "/healthz")
                return connection.getresponse().read()
            finally:
                connection.close()

        assert await asyncio.to_thread(healthz) == b"ok\n"
    finally:
        for sock in sockets_held:
            sock.close()
        for ws in websockets_held:
            ws.transport.abort()
        await server.stop()
    log = server.log()
    assert "Too many open files" not in log
    # Each refused socket is a kind of record already seen: a summary a minute, not a line each (before:
    # one line per refusal, as many as an attacker liked).
    refusals = [line for line in log.splitlines() if "refused a visitor connection" in line]
    assert 1 <= len(refusals) <= 3, f"{len(refusals)} lines about refused connections"
    assert len(log) < 20_000, f"the log grew to {len(log)} characters"


def open_file_limits_of(pid: int) -> tuple[int, int]:
    """The soft and hard open-file limits of a running process, as the kernel holds them."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            soft, hard = line.split()[3:5]
            return int(soft), int(hard)
    raise AssertionError("no open-file limit in /proc")


@pytest.mark.asyncio
async def test_serve_raises_its_soft_file_limit_to_the_hard_one(tmp_path):
    """Systemd and shells start services with a soft limit of 1,024 though the hard one is far higher:
    the server takes what it may, so that the room it keeps for operators is more than a few sockets."""
    soft_start = 256
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY or hard <= soft_start:
        skip_or_fail(f"the hard open-file limit here is {hard}: nothing to raise the soft one to")

    def lowered_soft_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft_start, hard))

    server = ServerProcess(tmp_path / "data", preexec_fn=lowered_soft_limit)
    await server.start()
    try:
        assert open_file_limits_of(server.process.pid) == (hard, hard)
    finally:
        await server.stop()


@pytest.mark.asyncio
async def test_a_visitor_socket_that_never_says_hello_is_closed(tmp_path):
    from operator_desk.server.config import Limits

    async with await start(tmp_path, limits=Limits(first_message_deadline=0.3)) as server:
        silent = await AsyncClient.connect(server.visitor_url)
        prompt = await AsyncClient.connect(server.visitor_url)
        await prompt.ok("visitor.hello", {"page": {"url": "http://shop.example/"}})
        assert await asyncio.wait_for(silent.closed, WAIT) == 1008
        assert await prompt.ok("ping") == {}  # said hello in time: stays open past the deadline


@pytest.mark.asyncio
async def test_connections_per_address_are_capped(tmp_path):
    from operator_desk.server.config import Limits

    async with await start(tmp_path, demo=True, limits=Limits(connections_per_address=3)) as server:
        headers = {"additional_headers": {"X-Forwarded-For": "203.0.113.50"}}
        kept = [await AsyncClient.connect(server.visitor_url, **headers) for _ in range(3)]
        extra = await AsyncClient.connect(server.visitor_url, **headers)
        assert await asyncio.wait_for(extra.closed, WAIT) == 1013  # try again later
        elsewhere = {"additional_headers": {"X-Forwarded-For": "203.0.113.51"}}
        other = await AsyncClient.connect(server.visitor_url, **elsewhere)
        assert (await other.ok("visitor.hello", {"page": {"url": "http://shop.example/"}}))["visitor_id"]
        await kept[0].close()
        await asyncio.wait_for(kept[0].closed, WAIT)
        again = await AsyncClient.connect(server.visitor_url, **headers)
        assert (await again.ok("visitor.hello", {"page": {"url": "http://shop.example/"}}))["visitor_id"]
