"""The services the tests start do not outlive a test session that is killed (tests.kit.reaper): a
killed session's PostgreSQL or Redis would hold ports, memory and, for PostgreSQL, a data folder of
test rows in /tmp until the machine restarts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A stand-in for a test session: starts the service, says where it lives, then waits to be killed.
_SESSION = {
    "postgresql": (
        "from tests.kit.postgres import start_cluster\n"
        "cluster = start_cluster()\n"
        "print(cluster.data, flush=True)\n"
    ),
    "redis": (
        "import sys, tempfile, pathlib\n"
        "from tests.kit.redis import RedisServer\n"
        "server = RedisServer(pathlib.Path(tempfile.mkdtemp())).start()\n"
        "print(server._process.pid, flush=True)\n"
    ),
}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone in every way that matters here; /proc says so.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "\nState:\tZ" not in status.read_text()


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 30
    while _alive(pid):
        assert time.monotonic() < deadline, f"process {pid} outlived the killed test session"
        # Waiting on a process that is not our child: polling is all there is.
        time.sleep(0.1)


def _killed_session(service: str) -> str:
    with subprocess.Popen(
        [sys.executable, "-c", _SESSION[service] + "import time\ntime.sleep(300)\n"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as session:
        try:
            assert session.stdout is not None
            where = session.stdout.readline().strip()
            assert where, "the stand-in session did not start its service"
        finally:
            session.send_signal(signal.SIGKILL)
    return where


@pytest.mark.usefixtures("postgres_cluster")  # skips (or fails in CI) as the other PostgreSQL tests do
def test_a_killed_test_session_leaves_no_postgresql_running() -> None:
    data = Path(_killed_session("postgresql"))
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    assert _alive(postmaster)
    _wait_gone(postmaster)
    deadline = time.monotonic() + 30
    while data.parent.exists():
        assert time.monotonic() < deadline, "the killed session's PostgreSQL folder was left behind"
        time.sleep(0.1)


def test_a_killed_test_session_leaves_no_redis_running() -> None:
    from tests.kit.redis import redis_server_command

    redis_server_command()  # skips (or fails in CI) as the bus tests do
    _wait_gone(int(_killed_session("redis")))
