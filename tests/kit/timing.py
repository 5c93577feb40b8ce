"""How long tests wait, and the delays the desk runs with in tests: one of each, for every folder."""

from __future__ import annotations

import dataclasses

from operator_desk.services.timing import DeskTiming

# How long a test waits for something it expects (an answer, a push, an event, a closed socket) before
# it fails. Only a failing test waits this long; a loaded 2-core machine needs the margin.
WAIT = 10.0
# The same for what a headless Chromium must render first (the widget tests), on that machine.
BROWSER_WAIT = 15.0

# The desk against the real server: heartbeats slow enough that a loaded machine does not miss one,
# reconnects and coalescing quick enough that a test does not wait for them.
FAST = DeskTiming(heartbeat_interval=0.5, heartbeat_timeout=2.0, backoff_initial=0.02, backoff_max=0.2,
                  open_timeout=5.0, request_timeout=5.0, close_timeout=1.0, coalesce_window=0.02)

# The transport against a scripted fake server (tests/net), where heartbeats and backoff are what is
# tested and nothing else competes for the loop: ten times quicker still.
SCRIPTED = dataclasses.replace(FAST, heartbeat_interval=0.05, heartbeat_timeout=0.1, backoff_initial=0.01,
                               backoff_max=0.05, open_timeout=2.0, request_timeout=2.0, close_timeout=0.2)
