"""Fixtures of the server tests: a demo-mode server started in-process on 127.0.0.1, port 0, and the
server's command line beside it (tests.kit.servers)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from operator_desk.server.embedded import RunningServer
from tests.kit.redis import RedisServer
from tests.kit.servers import Admin, add_team, start


@pytest_asyncio.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    """A demo-mode server (loopback trusted as a proxy) with the kit's team (tests.kit.accounts.TEAM:
    ann, ben operators, lee team lead, sue and sam supervisors: an erasure needs two), all with
    PASSWORD."""
    running = await start(tmp_path, demo=True)
    try:
        yield await add_team(running)
    finally:
        await running.close()


@pytest.fixture
def admin(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Admin:
    """``operator-desk-server accounts ...`` on the data folder of a server started with
    ``start(tmp_path)``."""
    return Admin(tmp_path / "data", capsys, monkeypatch)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real ``redis-server`` of the test's own, persistence off (tests.kit.redis; the bus tests)."""
    running = RedisServer(tmp_path).start()
    try:
        yield running
    finally:
        running.stop()
