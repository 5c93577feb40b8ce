"""Fixtures of the server tests: a demo-mode server started in-process on 127.0.0.1, port 0."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from server_testkit import PASSWORD, start

from operator_desk.server.embedded import RunningServer


@pytest_asyncio.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    """A demo-mode server (loopback trusted as a proxy) with operators ann, ben (operators), lee
    (team lead), sue and sam (supervisors: an erasure needs two), all with PASSWORD."""
    running = await start(tmp_path, demo=True)
    try:
        for username, role in (
            ("ann", "operator"),
            ("ben", "operator"),
            ("lee", "team_lead"),
            ("sue", "supervisor"),
            ("sam", "supervisor"),
        ):
            await running.add_operator(username, PASSWORD, role, username.title())
        yield running
    finally:
        await running.close()
