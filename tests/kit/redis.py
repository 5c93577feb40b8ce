"""A real Redis for the bus tests: Debian's ``redis-server``, started by the test on a Unix socket of its
own (no port to collide on), with persistence off as the bus requires. Where ``redis-server`` is
missing the test is skipped, unless ``OPERATOR_DESK_REQUIRE_REDIS=1`` (CI sets it): then it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.kit.reaper import dismiss, stop_when_gone

REDIS_REQUIRED = os.environ.get("OPERATOR_DESK_REQUIRE_REDIS") == "1"
NO_PERSISTENCE = ("--save", "", "--appendonly", "no")


def redis_server_command() -> str:
    found = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists()
                                             else None)
    if found is None:
        if REDIS_REQUIRED:
            pytest.fail("OPERATOR_DESK_REQUIRE_REDIS=1 but redis-server is missing "
                        "(apt-get install redis-server)")
        pytest.skip("needs redis-server (apt-get install redis-server)")
    return found


class RedisServer:
    """``redis-server`` on ``folder/redis.sock``; ``restart()`` stops it and starts it again empty (what
    a crash does to a Redis without persistence)."""

    def __init__(self, folder: Path, *extra: str) -> None:
        self.folder = folder
        self.socket = folder / "redis.sock"
        self.extra = extra
        self.url = f"unix://{self.socket}"
        self._process: subprocess.Popen[bytes] | None = None
        self._watcher: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        command = [redis_server_command(), "--port", "0", "--unixsocket", str(self.socket),
                   "--unixsocketperm", "700", "--dir", str(self.folder), *NO_PERSISTENCE, *self.extra]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Stopped even if the test session is killed (tests.kit.reaper).
        self._watcher = stop_when_gone(["kill", "-9", str(self._process.pid)])
        self._wait_until_it_answers()
        return self

    def _wait_until_it_answers(self) -> None:
        import redis

        deadline = time.monotonic() + 30
        client = redis.Redis(unix_socket_path=str(self.socket))
        try:
            while True:
                try:
                    if client.ping():
                        return
                except redis.exceptions.ConnectionError:
                    gone = self._process is None or self._process.poll() is not None
                    if gone or time.monotonic() > deadline:
                        raise
                # Polling a process that is starting: nothing to wait on but the socket itself.
                time.sleep(0.02)
        finally:
            client.close()

    def stop(self) -> None:
        dismiss(self._watcher)
        self._watcher = None
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=30)
            self._process = None
        self.socket.unlink(missing_ok=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self):
        import redis

        return redis.Redis(unix_socket_path=str(self.socket))
