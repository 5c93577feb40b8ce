"""Services the tests start (PostgreSQL, Redis) stopped even when the test session is killed.

A clean session stops what it started in its fixtures' teardown. A session killed by a signal (a
developer's ^C twice, a CI timeout, SIGKILL) runs no teardown, and PostgreSQL's postmaster, which
``pg_ctl`` starts detached, would keep running with its data folder in /tmp. So each service gets a
watcher beside it: a tiny shell in its own session that waits for the test process to go, then runs
the service's stop command. A clean stop kills the watcher first."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

# ``$0`` is the test process's id, the rest is the stop command. ``kill -0`` only asks whether it lives;
# polling once a second costs nothing and is the only way to wait on a process that is not our child.
_WATCH = 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; exec "$@"'


def stop_when_gone(stop_command: Sequence[str]) -> subprocess.Popen[bytes]:
    """Run ``stop_command`` once this process has gone, however it went; ``.kill()`` the returned
    watcher when the service was stopped cleanly."""
    return subprocess.Popen(
        ["sh", "-c", _WATCH, str(os.getpid()), *stop_command],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        # Its own session: a ^C to the test's process group does not take the watcher with it.
        start_new_session=True,
    )


def dismiss(watcher: subprocess.Popen[bytes] | None) -> None:
    if watcher is not None:
        watcher.kill()
        watcher.wait(timeout=30)
