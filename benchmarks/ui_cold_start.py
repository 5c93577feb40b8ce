"""Cold start of the desk to a usable window, with an encrypted cache of 1,000,000 messages.

Builds once (cached under ``/tmp/od-bench-1m/``, rebuilt when older than a few days so that nothing
falls out of the 30-day retention) a profile whose SQLCipher cache holds 1,000,000 messages, written
with the store's own API (``Store``, the corpus of ``store_bench.py``), keyed by a random raw key
that the test kit's file keyring (``tests.kit.keyrings.FileKeyring``, a 0600 file of the benchmark's
own) hands to the app through ``PYTHON_KEYRING_BACKEND``: the app takes its usual path, keyring -> raw
key -> ``Store.open``. No login token is kept there, so the app shows the sign-in dialog.

Then, alternately and several times, each in a fresh process (offscreen):

- the app: ``operator-desk --profile bench --server ws://127.0.0.1:9`` (nothing listens there and
  there is no stored token, so it opens the cache, shows the main window and asks for a password);
- the baseline: a bare ``QApplication`` and an empty ``QMainWindow``, shown the same way;

timed from just before the process is started to a ``QTimer.singleShot(0)`` that fires after the
main window's first Show event (the window is on screen and the event loop is turning). The cache
status is already known then (the desk reports it before the window is shown).

Prints figures, asserts nothing.

    QT_QPA_PLATFORM=offscreen python benchmarks/ui_cold_start.py [--runs 7] [--messages 1000000]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
from operator_desk.platform.keystore import SERVICE
from tests.kit.keyrings import FileKeyring, file_keyring_env

PROFILE = "bench"
ROOT = Path("/tmp/od-bench-1m")
KEYRING_FILE = ROOT / "keyring.json"   # the profile's cache key, as FileKeyring keeps it


# In the measured process: wait for the main window's first Show, then report once the loop turns.
_PROBE = """
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([sys.argv[0]])

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and type(obj).__name__ in ("MainWindow", "QMainWindow"):
            app.removeEventFilter(self)
            QTimer.singleShot(0, self.ready)
        return False

    def ready(self):
        print("ready", flush=True)
        os._exit(0)

probe = Probe()
app.installEventFilter(probe)
"""
APP_CHILD = _PROBE + """
from operator_desk.app import main
sys.exit(main(["--profile", "bench", "--server", "ws://127.0.0.1:9", "--lang", "en"]))
"""
BASELINE_CHILD = _PROBE + """
from PySide6.QtWidgets import QMainWindow
window = QMainWindow()
window.resize(1360, 860)
window.show()
sys.exit(app.exec())
"""
MAX_AGE_DAYS = 3


def environment(*, bytecode: bool = True) -> dict[str, str]:
    """The measured processes' environment. ``bytecode``: compiled modules are cached (under ROOT, so the
    repository gets no __pycache__ folders) as an installed app has them; without it every start
    compiles ~90 modules from source (``PYTHONDONTWRITEBYTECODE``, set on the development machine)."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    if bytecode:
        base["PYTHONPYCACHEPREFIX"] = str(ROOT / "pycache")
    else:   # as on the development machine: installed packages' own .pyc files, none for the source tree
        base["PYTHONDONTWRITEBYTECODE"] = "1"
    return file_keyring_env(KEYRING_FILE, dict(
        base,
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(ROOT / "data"),
        XDG_CONFIG_HOME=str(ROOT / "config"),
        XDG_CACHE_HOME=str(ROOT / "cache"),
    ))


def build(messages: int) -> Path:
    """The profile's cache with ``messages`` messages, built once and reused while fresh."""
    import asyncio
    import secrets
    import shutil
    import time
    from datetime import UTC, datetime

    for name, value in environment().items():
        if name.startswith("XDG_"):
            os.environ[name] = value
    from operator_desk.platform.paths import cache_path
    from operator_desk.store import RawKey, Store
    from store_bench import Corpus, Rate, ingest_store

    path = cache_path(PROFILE)
    stamp = ROOT / f"built-{messages}"
    fresh = stamp.exists() and time.time() - stamp.stat().st_mtime < MAX_AGE_DAYS * 86400
    if fresh and path.exists() and KEYRING_FILE.exists():
        return path
    print(f"building a cache of {messages:,} messages in {path.parent} (once; a few minutes) ...", flush=True)
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    for folder in ("config", "cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    key = secrets.token_bytes(32)
    KEYRING_FILE.unlink(missing_ok=True)
    FileKeyring(KEYRING_FILE).set_password(SERVICE, PROFILE, key.hex())
    started = time.perf_counter()

    async def fill() -> Rate:
        db = await Store.open(path, RawKey(key))
        try:
            batches = Corpus(messages, datetime.now(UTC)).batches(5000)
            return await ingest_store(db, batches, report_every=100_000)
        finally:
            await db.close()

    rate = asyncio.run(fill())
    stamp.touch()
    print(f"built in {time.perf_counter() - started:.0f} s ({rate.count:,} messages), "
          f"{path.stat().st_size / 2**20:,.0f} MiB", flush=True)
    return path


def time_to_window(code: str, limit: float = 60.0, *, bytecode: bool = True) -> float | None:
    """Seconds from just before the process starts to its "ready" line."""
    import subprocess
    import time

    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, env=environment(bytecode=bytecode)) as process:
        try:
            line = process.stdout.readline() if process.stdout else ""
            elapsed = time.perf_counter() - started
            return elapsed if line.strip() == "ready" and elapsed < limit else None
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)


def main() -> None:
    import argparse
    import statistics

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile every module from source at each start (PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args()
    bytecode = not args.no_bytecode_cache
    ROOT.mkdir(mode=0o700, exist_ok=True)
    path = build(args.messages)
    # One of each first, not counted: builds the translations (.qm) into the profile's cache folder,
    # writes the bytecode cache and warms the file-system cache, as any second start of the app finds them.
    time_to_window(APP_CHILD, bytecode=bytecode)
    time_to_window(BASELINE_CHILD, bytecode=bytecode)
    app_runs: list[float] = []
    base_runs: list[float] = []
    for _ in range(args.runs):
        for code, runs in ((APP_CHILD, app_runs), (BASELINE_CHILD, base_runs)):
            seconds = time_to_window(code, bytecode=bytecode)
            if seconds is not None:
                runs.append(seconds)
    load = os.getloadavg()
    print(f"ui_cold_start: cache {path.stat().st_size / 2**20:,.0f} MiB ({args.messages:,} messages), "
          f"{args.runs} runs each, bytecode {'cached' if bytecode else 'compiled at each start'}, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for label, runs in (("app to usable main window", app_runs),
                        ("bare QApplication + QMainWindow", base_runs)):
        if runs:
            print(f"  {label:<34} median {statistics.median(runs):5.2f} s   min {min(runs):5.2f} s   "
                  f"max {max(runs):5.2f} s   (n={len(runs)})")
        else:
            print(f"  {label:<34} did not finish")
    if app_runs and base_runs:
        ratio = statistics.median(app_runs) / statistics.median(base_runs)
        print(f"  ratio app / bare (medians)         {ratio:5.2f}x   (aim: the app under 1.5 s)")


if __name__ == "__main__":
    main()
