"""``operator-desk --demo`` as a user starts it: signs in, lists visitors, quits cleanly on SIGTERM, and
leaves no demo profile and no personal data in its log."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from operator_desk.app import DEMO_VISITORS

pytestmark = pytest.mark.slow

STARTUP_LIMIT = 60.0


def _pump(stream, lines: queue.Queue[str], kept: list[str]) -> None:
    for line in iter(stream.readline, ""):
        kept.append(line)
        lines.put(line)


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path / "tmp"), HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               OPERATOR_DESK_LOG="DEBUG")
    (tmp_path / "tmp").mkdir()
    return env


# With --simulate 3000 the crowd (all there from the start, as many arriving as leaving) is 3,000 less the
# simulated browsers, which come and go: the count the desk lists is at least the crowd, not 3,000. The
# desk logs its count at once, then at most every 30 s: waiting for 3,000 could wait past the limit.
@pytest.mark.parametrize(("simulate", "listed"), [((), 1), (("--simulate", "3000"), 3000 - DEMO_VISITORS)],
                         ids=["40 visitors", "a crowd of 3,000"])
def test_demo_signs_in_lists_visitors_and_quits_cleanly(tmp_path, simulate, listed):
    process = subprocess.Popen(
        [sys.executable, "-m", "operator_desk", "--demo", "--lang", "en", *simulate],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp_path),
    )
    lines: queue.Queue[str] = queue.Queue()
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=_pump, args=(process.stdout, lines, out), daemon=True),
               threading.Thread(target=_pump, args=(process.stderr, lines, err), daemon=True)]
    for reader in readers:
        reader.start()
    seen = {"widget": False, "signed in": False, "visitors": False}
    deadline = time.monotonic() + STARTUP_LIMIT
    try:
        while not all(seen.values()):
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            seen["widget"] |= line.startswith("widget: http://127.0.0.1:")
            seen["signed in"] |= "signed in" in line
            match = re.search(r"visitors: (\d+)", line)
            seen["visitors"] |= bool(match and int(match.group(1)) >= listed)
    except queue.Empty:
        process.kill()
        process.wait()
        pytest.fail(f"the demo did not come up: {seen}\n{''.join(err)[-3000:]}")
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("the demo did not quit on SIGTERM")
    for reader in readers:
        reader.join(timeout=5)
    process.stdout.close()
    process.stderr.close()
    log = "".join(err)
    assert code == 0, log[-3000:]
    assert "Traceback" not in log
    assert "demo profile removed" in log
    assert not list((tmp_path / "tmp").glob("operator-desk-demo-*"))
    # Simulated visitors give names and e-mail addresses with chat consent: none may reach the log.
    assert "@example.com" not in log


def test_version_and_bad_arguments(tmp_path):
    env = _env(tmp_path)
    done = subprocess.run([sys.executable, "-m", "operator_desk", "--version"], capture_output=True,
                          text=True, env=env, timeout=30)
    assert done.returncode == 0 and done.stdout.startswith("operator-desk ")
    bad = subprocess.run([sys.executable, "-m", "operator_desk", "--lang", "xx"], capture_output=True,
                         text=True, env=env, timeout=30)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    alone = subprocess.run([sys.executable, "-m", "operator_desk", "--simulate", "50"], capture_output=True,
                           text=True, env=env, timeout=30)
    assert alone.returncode == 2 and "--simulate goes with --demo" in alone.stderr
    crowded = subprocess.run([sys.executable, "-m", "operator_desk", "--demo", "--simulate", "100001"],
                             capture_output=True, text=True, env=env, timeout=30)
    assert crowded.returncode == 2 and "from 0 to 100,000" in crowded.stderr
