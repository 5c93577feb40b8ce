"""Runs ``operator-desk --demo`` as a user would, and follows its log (stderr) line by line.

Shared by ``smoke_test.py`` and ``screenshot.py``, which run against any installed copy of the desk (an
editable checkout, a wheel in a fresh virtual environment, the frozen build): they use nothing but the
standard library, so they need nothing from the checkout.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

START_LIMIT = 90.0


class DeskProcess:
    def __init__(self, command: list[str], *, language: str, display: bool, log_level: str = "DEBUG"):
        self.home = Path(tempfile.mkdtemp(prefix="operator-desk-run-"))
        env = dict(os.environ)
        # A fresh profile: nothing from an earlier run (a .qm built into the cache, settings) is used.
        env.update(HOME=str(self.home), XDG_CONFIG_HOME=str(self.home / "config"),
                   XDG_CACHE_HOME=str(self.home / "cache"), XDG_DATA_HOME=str(self.home / "data"),
                   PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", OPERATOR_DESK_LOG=log_level)
        if not display:
            env["QT_QPA_PLATFORM"] = "offscreen"
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        self.process = subprocess.Popen([*command, "--demo", "--lang", language], cwd=self.home,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in iter(self.process.stdout.readline, ""):
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put("")  # the end

    def wait_for(self, pattern: str, limit: float = START_LIMIT) -> re.Match[str]:
        """The first log line from now on that matches ``pattern``; RuntimeError if none in time."""
        deadline = time.monotonic() + limit
        expression = re.compile(pattern)
        for line in self.lines:
            if found := expression.search(line):
                return found
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                break
            if line == "":
                raise RuntimeError(f"the desk ended before logging {pattern!r}:\n{self.log[-4000:]}")
            if found := expression.search(line):
                return found
        raise RuntimeError(f"no {pattern!r} within {limit:.0f} s:\n{self.log[-4000:]}")

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._reader.join(timeout=5)
        return code
